//! Rendered pictures of the main pages, compared against tests/snapshots/.
//! `UPDATE_SNAPSHOTS=1 cargo test --test ui_snapshots` rewrites them.

use egui_kittest::Harness;
use mlsd_studio::content;
use mlsd_studio::session::{Session, SessionEdit, save_session};
use mlsd_studio::ui::StudioApp;

mod common;

fn app(
    open_file: Option<std::path::PathBuf>,
    recovery: &std::path::Path,
) -> Harness<'static, StudioApp> {
    let config = common::app_config(recovery, open_file, Vec::new());
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| StudioApp::new(cc, config));
    harness.run();
    harness
}

#[test]
fn home_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = app(None, dir.path());
    harness.snapshot("home_page");
}

#[test]
fn practice_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    let library = content::bundled();
    let study = library.get("video-recommendation").expect("shipped");
    let mut session = Session::new(study);
    for edit in [
        SessionEdit::SetDone {
            step: 1,
            done: true,
        },
        SessionEdit::GoToStep(2),
        SessionEdit::SetAnswer {
            step: 2,
            text: "Rank videos by **expected watch time** per impression.".into(),
        },
        SessionEdit::ToggleCheck { step: 2, index: 0 },
        SessionEdit::RevealNextHint { step: 2 },
    ] {
        session.apply(study, edit, 0.0);
    }
    let file = dir.path().join("snapshot.mlsd");
    save_session(&file, &session).expect("save");
    let mut harness = app(Some(file), &dir.path().join("recovery"));
    // The status bar names the temporary file, which differs every run.
    harness.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, 770.0),
        egui::pos2(1280.0, 800.0),
    ));
    harness.snapshot("practice_page");
}
