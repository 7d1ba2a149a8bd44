//! The About dialog, reached from the Help menu: version, licence and links
//! to the documentation installed with the app.

use std::path::{Path, PathBuf};

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::ui::{AppConfig, Modal, StudioApp};

mod common;

fn app(recovery: &Path, docs_dir: Option<PathBuf>) -> Harness<'static, StudioApp> {
    let config = AppConfig {
        docs_dir,
        ..common::app_config(recovery, None, Vec::new())
    };
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| StudioApp::new(cc, config));
    harness.run();
    harness
}

fn open_about(harness: &mut Harness<'_, StudioApp>) {
    harness.get_by_label("Help").click();
    harness.run();
    harness.get_by_label("About mlsd-studio").click();
    harness.run();
}

/// The folder this crate's README and docs/ live in, as an install has them.
fn source_docs() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn help_menu_opens_about_with_version_and_licence() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path(), Some(source_docs()));
    open_about(&mut harness);
    assert!(matches!(harness.state().modal(), Some(Modal::About)));
    harness.get_by_label(&format!("Version {}", env!("CARGO_PKG_VERSION")));
    harness.get_by_label(&format!("Licence: {}", env!("CARGO_PKG_LICENSE")));
    harness.get_by_label("Close").click();
    harness.run();
    assert!(harness.state().modal().is_none());
}

#[test]
fn doc_links_open_the_installed_files() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path(), Some(source_docs()));
    open_about(&mut harness);
    for (title, _) in mlsd_studio::about::DOCS {
        harness.get_by_label(title);
    }
    harness.get_by_label("Simulator").click();
    harness.step();
    let opened: Vec<String> = harness
        .output()
        .platform_output
        .commands
        .iter()
        .filter_map(|c| match c {
            egui::OutputCommand::OpenUrl(open) => Some(open.url.clone()),
            _ => None,
        })
        .collect();
    let expected = mlsd_studio::about::file_url(&source_docs().join("docs/simulator.md"));
    assert_eq!(opened, [expected]);
}

#[test]
fn without_installed_docs_the_dialog_says_where_they_are() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path(), None);
    open_about(&mut harness);
    assert!(harness.query_by_label("Simulator").is_none());
    assert!(
        harness
            .query_by_label_contains("No documentation was installed")
            .is_some()
    );
}

#[test]
fn about_dialog_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let mut harness = app(dir.path(), Some(source_docs()));
    open_about(&mut harness);
    harness.snapshot("about_dialog");
}

#[test]
fn the_window_icon_is_drawn_from_the_svg() {
    let icon = mlsd_studio::ui::window_icon().expect("the icon renders");
    assert_eq!((icon.width, icon.height), (128, 128));
    assert_eq!(icon.rgba.len(), 128 * 128 * 4);
    // Opaque in the middle of the tile, transparent in the rounded corner.
    let alpha = |x: usize, y: usize| icon.rgba[(y * 128 + x) * 4 + 3];
    assert_eq!(alpha(64, 64), 255);
    assert_eq!(alpha(0, 0), 0);
}
