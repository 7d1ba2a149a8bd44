//! Every control a user can act on has an accessible name, on every page:
//! the AccessKit tree of the real app is walked and unnamed inputs listed.

mod common;

use std::path::PathBuf;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::ui::StudioApp;

fn app(dir: &std::path::Path, open: Option<PathBuf>) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, open, Vec::new());
    // The check is done by hand below, so that a failure names the page.
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_accessibility_check(false)
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h
}

fn assert_all_named(h: &Harness<'_, StudioApp>, page: &str) {
    let unnamed = h.unnamed_widgets();
    assert!(
        unnamed.is_empty(),
        "{page}: controls without a name:\n{}",
        unnamed.join("\n")
    );
}

#[test]
fn every_page_names_its_controls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), None);
    assert_all_named(&h, "home");

    h.get_all_by_label("Mock interview")
        .next()
        .expect("a mock interview button")
        .click();
    h.run();
    assert_all_named(&h, "mock interview start");

    let mut h = app(dir.path(), None);
    h.get_by_label("Progress across mock interviews").click();
    h.run();
    assert_all_named(&h, "progress");

    let example = PathBuf::from("examples/harmful-content-detection.mlsd");
    let mut h = app(dir.path(), Some(example));
    h.run_steps(4);
    assert_all_named(&h, "practice with the diagram");

    h.get_by_label("Simulate").click();
    h.run_steps(6);
    assert_all_named(&h, "simulator panel");
}
