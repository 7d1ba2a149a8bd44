//! The back-of-envelope estimator through the app's widgets: opened from
//! steps 1, 3 and 6, the shortcut and the simulator; edited as on a
//! whiteboard; saved in the session; its peak sent to the simulator.

mod common;

use std::path::PathBuf;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::content;
use mlsd_studio::session::{Session, SessionEdit, save_session};
use mlsd_studio::ui::StudioApp;

const CASE: &str = "ad-click-prediction";
const OPEN_BUTTON: &str = "Back-of-envelope estimator";

fn app(dir: &std::path::Path, step: u8) -> Harness<'static, StudioApp> {
    let library = content::bundled();
    let study = library.get(CASE).expect("shipped");
    let mut session = Session::new(study);
    session.apply(study, SessionEdit::GoToStep(step), 0.0);
    let file = dir.join("estimate.mlsd");
    save_session(&file, &session).expect("save");
    let config = common::app_config(dir, Some(PathBuf::from(&file)), Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h
}

fn open_button_count(h: &Harness<'_, StudioApp>) -> usize {
    h.query_all_by_role_and_label(Role::Button, OPEN_BUTTON)
        .count()
}

fn type_into(h: &mut Harness<'_, StudioApp>, label: &str, text: &str) {
    h.get_by_label(label).click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::A);
    h.run();
    h.get_by_label(label).type_text(text);
    h.run();
}

#[test]
fn the_estimate_is_edited_saved_and_sent_to_the_simulator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), 1);
    assert_eq!(open_button_count(&h), 1, "step 1 offers the estimator");
    h.get_by_role_and_label(Role::Button, OPEN_BUTTON).click();
    h.run();
    // Seeded from the case: its own scale answer, as a formula.
    h.get_by_label("200M × 25 / 86,400 × 2 ≈ 116K QPS");

    type_into(&mut h, "Daily active users", "400M");
    h.get_by_label("400M × 25 / 86,400 × 2 ≈ 231K QPS");
    let saved = h
        .state()
        .open_session()
        .and_then(|o| o.session.estimate.clone())
        .expect("the edit is kept in the session");
    assert_eq!(saved.daily_active_users, 400e6);
    assert!(h.state().open_session().is_some_and(|o| o.dirty));

    h.get_by_label("Use as simulator traffic (231K QPS)")
        .click();
    h.run();
    let qps = h
        .state()
        .app_state()
        .sims()
        .get("Serving")
        .map(|s| s.inputs.qps)
        .expect("the serving simulator has inputs");
    assert!((qps - 400e6 * 25.0 / 86_400.0 * 2.0).abs() < 1e-6, "{qps}");

    // An impossible figure names its field instead of a result.
    type_into(&mut h, "Peak-to-mean factor", "0");
    h.get_by_label_contains("peak_to_mean must be above 0");
    assert!(h.query_by_label_contains("≈ 231K QPS").is_none());
}

#[test]
fn steps_1_3_and_6_the_shortcut_and_the_simulator_open_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (step, offered) in [(1, 1), (2, 0), (3, 1), (6, 1), (7, 0)] {
        let h = app(dir.path(), step);
        assert_eq!(open_button_count(&h), offered, "step {step}");
    }
    let mut h = app(dir.path(), 2);
    h.key_press_modifiers(Modifiers::COMMAND, Key::E);
    h.run();
    assert!(h.state().app_state().estimator_open());
    h.get_by_label("Items in the catalog");

    let mut h = app(dir.path(), 6);
    h.get_by_label("Full screen").click();
    h.run();
    h.get_by_label("Simulate").click();
    h.run();
    h.get_by_role_and_label(Role::Button, "Estimator").click();
    h.run();
    assert!(h.state().app_state().estimator_open());
    h.get_by_label("Use as simulator traffic (116K QPS)");
}

#[test]
fn estimator_panel_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), 6);
    h.get_by_role_and_label(Role::Button, OPEN_BUTTON).click();
    h.run();
    // The status bar names the temporary file, which differs every run.
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, 770.0),
        egui::pos2(1280.0, 800.0),
    ));
    h.snapshot("estimator_panel");
}
