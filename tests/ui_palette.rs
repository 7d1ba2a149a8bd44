//! The command palette through the real app: Ctrl+K opens it with every
//! command of the table and its shortcut; typing narrows it; Enter or a
//! click runs the highlighted command.

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use mlsd_studio::app::{Modal, Screen};
use mlsd_studio::ui::StudioApp;

mod common;

fn app(dir: &std::path::Path) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, None, Vec::new());
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    harness.run();
    harness
}

fn open_palette(h: &mut Harness<'_, StudioApp>) {
    h.key_press_modifiers(Modifiers::COMMAND, Key::K);
    h.run();
    h.run();
    assert!(matches!(
        h.state().app_state().modal(),
        Some(Modal::Palette)
    ));
}

fn search(h: &mut Harness<'_, StudioApp>, words: &str) {
    h.get_by_role_and_label(Role::TextInput, "Commands")
        .type_text(words);
    h.run();
}

#[test]
fn every_command_is_listed_with_its_shortcut_and_runs() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path());
    open_palette(&mut h);
    // Every command of the table with its shortcut, the ones not available
    // now greyed out.
    for (label, available) in [
        ("New session (choose a case study) Ctrl+N", true),
        ("Open a session file Ctrl+O", true),
        ("Save Ctrl+S", false),
        ("Import a Mermaid or DOT diagram", false),
        ("Progress", true),
        ("Next step Alt+Right or Ctrl+PageDown", false),
        ("Dark theme", true),
        ("Show or hide the keyboard shortcuts F1 or ?", true),
        ("Search commands (command palette) Ctrl+K", true),
    ] {
        let row = h.get_by_role_and_label(Role::Button, label);
        assert_eq!(!row.accesskit_node().is_disabled(), available, "{label}");
    }
    h.snapshot("command_palette");

    // Typing narrows the list; Enter runs the first match.
    search(&mut h, "progr");
    assert!(h.query_by_label("Open a session file Ctrl+O").is_none());
    assert!(h.query_by_label("Progress").is_some());
    h.key_press(Key::Enter);
    h.run();
    h.run();
    assert!(matches!(
        h.state().app_state().screen(),
        Screen::Progress { .. }
    ));
    assert!(
        h.state().app_state().modal().is_none(),
        "the palette closed"
    );

    // A shortcut is searchable too, and arrows move the highlight.
    open_palette(&mut h);
    search(&mut h, "theme");
    h.key_press(Key::ArrowDown);
    h.run();
    h.key_press(Key::Enter);
    h.run();
    h.run();
    assert_eq!(
        h.state().settings().theme,
        mlsd_studio::settings::ThemeChoice::Light
    );

    open_palette(&mut h);
    search(&mut h, "F1");
    h.get_by_role_and_label(Role::Button, "Show or hide the keyboard shortcuts F1 or ?")
        .click();
    h.run();
    h.run();
    assert!(matches!(
        h.state().app_state().modal(),
        Some(Modal::Shortcuts)
    ));
    // The help lists the palette's own key from the same table.
    assert!(
        h.query_by_label("Search commands (command palette)")
            .is_some()
    );
}

#[test]
fn with_a_diagram_on_screen_the_canvas_keys_are_commands_too() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path());
    // On the home page there is no canvas: none of its keys is offered.
    open_palette(&mut h);
    search(&mut h, "palette's component");
    assert!(
        h.query_by_label_contains("Add the palette's component")
            .is_none()
    );
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label("Ad click prediction").click();
    h.run();
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
        h.run();
    }
    let nodes = |h: &Harness<'_, StudioApp>| common::diagram_nodes(h, "Serving");
    assert_eq!(nodes(&h), 0);
    // Each canvas key is listed with its key; running one presses it on
    // the canvas.
    open_palette(&mut h);
    search(&mut h, "select");
    h.get_by_role_and_label(Role::Button, "Select everything Ctrl+A");
    h.snapshot("command_palette_canvas");
    // It opens empty each time.
    h.key_press(Key::Escape);
    h.run();
    open_palette(&mut h);
    search(&mut h, "palette's component");
    h.get_by_role_and_label(Role::Button, "Add the palette's component at the centre N");
    h.key_press(Key::Enter);
    for _ in 0..6 {
        h.run();
    }
    assert_eq!(nodes(&h), 1, "the node was added");
    open_palette(&mut h);
    search(&mut h, "undo");
    h.get_by_role_and_label(Role::Button, "Undo Ctrl+Z").click();
    for _ in 0..6 {
        h.run();
    }
    assert_eq!(nodes(&h), 0, "and undone");
}
