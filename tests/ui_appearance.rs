//! The UI scale and the high-contrast theme through the real app: the
//! keys and the View menu change them, the settings remember them, and a
//! new window starts with them.

mod common;

use std::collections::HashMap;
use std::path::PathBuf;

use egui::{Color32, Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::settings::ThemeChoice;
use mlsd_studio::ui::StudioApp;

/// eframe's storage, kept in memory.
#[derive(Default, Clone)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_owned(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

/// The app started with `storage` as what earlier runs saved.
fn app(
    dir: &std::path::Path,
    open: Option<PathBuf>,
    storage: MemoryStorage,
) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, open, Vec::new());
    let storage: &'static MemoryStorage = Box::leak(Box::new(storage));
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| {
            cc.storage = Some(storage);
            StudioApp::new(cc, config)
        });
    h.run();
    h
}

/// What the app saves when the window closes.
fn saved(h: &mut Harness<'_, StudioApp>) -> MemoryStorage {
    let mut storage = MemoryStorage::default();
    eframe::App::save(h.state_mut(), &mut storage);
    storage
}

fn press(h: &mut Harness<'_, StudioApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

#[test]
fn ctrl_plus_and_minus_scale_the_ui_and_the_scale_is_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), None, MemoryStorage::default());
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    press(&mut h, Modifiers::COMMAND, Key::Equals);
    press(&mut h, Modifiers::COMMAND, Key::Equals);
    assert_eq!(h.state().settings().ui_zoom, 1.25);
    assert_eq!(h.ctx.zoom_factor(), 1.25);
    press(&mut h, Modifiers::COMMAND, Key::Minus);
    assert_eq!(h.ctx.zoom_factor(), 1.1);
    let storage = saved(&mut h);

    let mut h = app(dir.path(), None, storage);
    assert_eq!(h.ctx.zoom_factor(), 1.1, "restored at start");
    press(&mut h, Modifiers::COMMAND, Key::Num0);
    assert_eq!(h.ctx.zoom_factor(), 1.0);
    assert_eq!(h.state().settings().ui_zoom, 1.0);
}

#[test]
fn high_contrast_from_the_view_menu_is_applied_and_remembered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), None, MemoryStorage::default());
    h.get_by_label("View").click();
    h.run();
    h.get_by_label("High-contrast theme").click();
    h.run();
    assert_eq!(h.state().settings().theme, ThemeChoice::HighContrast);
    assert_eq!(h.ctx.global_style().visuals.panel_fill, Color32::BLACK);
    let storage = saved(&mut h);

    let h = app(dir.path(), None, storage);
    assert_eq!(h.state().settings().theme, ThemeChoice::HighContrast);
    assert_eq!(h.ctx.global_style().visuals.panel_fill, Color32::BLACK);
}

#[test]
fn leaving_high_contrast_gives_back_the_ordinary_dark_theme() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), None, MemoryStorage::default());
    for label in ["High-contrast theme", "Dark theme"] {
        h.get_by_label("View").click();
        h.run();
        h.get_by_label(label).click();
        h.run();
    }
    assert_eq!(h.state().settings().theme, ThemeChoice::Dark);
    assert_ne!(h.ctx.global_style().visuals.panel_fill, Color32::BLACK);
}

#[test]
fn question_mark_opens_the_shortcut_help() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), None, MemoryStorage::default());
    press(&mut h, Modifiers::NONE, Key::Questionmark);
    h.run();
    assert!(matches!(
        h.state().app_state().modal(),
        Some(mlsd_studio::app::Modal::Shortcuts)
    ));
}

#[test]
fn high_contrast_canvas_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let settings = mlsd_studio::settings::Settings {
        theme: ThemeChoice::HighContrast,
        ..Default::default()
    };
    let mut storage = MemoryStorage::default();
    eframe::set_value(&mut storage, "mlsd-studio-settings", &settings);
    let example = PathBuf::from("examples/harmful-content-detection.mlsd");
    let mut h = app(dir.path(), Some(example), storage);
    h.run_steps(4);
    // The status bar names the session's path, the clock counts seconds.
    common::mask_status_bar_and_clock(&mut h, 1280.0, 800.0);
    h.snapshot("high_contrast_canvas");
}
