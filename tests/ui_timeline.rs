//! The simulator's "Over time" view through the app's widgets: one-click
//! events, playing the scenario, the summary, scrubbing, and the scenario
//! saved with the diagram.

mod common;

use std::path::PathBuf;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::{EventKind, Scenario};
use mlsd_studio::session::{load_session, save_session};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn wait_for(h: &mut Harness<'_, StudioApp>, label: &str) {
    for _ in 0..1200 {
        h.step();
        if h.query_by_label(label).is_some() {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    h.get_by_label(label);
}

#[test]
fn a_spike_is_added_in_one_click_played_scrubbed_and_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("session.mlsd");
    // A one-minute scenario keeps the test quick; it also shows that a
    // saved scenario opens with the session.
    let mut session = load_session(std::path::Path::new(EXAMPLE)).expect("example");
    session.diagram_mut("Serving").expect("serving").scenario = Some(Scenario {
        duration_s: 60.0,
        ..Scenario::default()
    });
    save_session(&file, &session).expect("save");
    let config = common::app_config(dir.path(), Some(PathBuf::from(&file)), Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Full screen").click();
    h.run();
    h.get_by_label("Simulate").click();
    h.run();
    h.get_by_label("Over time").click();
    // Opening the view plays the saved scenario (no events yet).
    wait_for(&mut h, "Worst p99");
    // Only the button says "spike" so far.
    assert_eq!(h.query_all_by_label_contains("3× spike for").count(), 1);
    // One click adds a spike; the edit re-runs the scenario by itself.
    h.get_by_label("3× spike for 5 min").click();
    // Its recovery is reported once the re-run is in.
    for _ in 0..1200 {
        h.step();
        if h.query_all_by_label_contains("3× spike for 45 s:").count() > 0 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    h.get_by_label_contains("3× spike for 45 s:");
    h.get_by_label("▶ Play").click();
    wait_for(&mut h, "Worst p99");
    h.get_by_label("Over the SLA");
    h.get_by_label("Availability");
    assert!(
        h.query_all_by_label_contains("3× spike for").count() >= 2,
        "the button and the event's recovery"
    );
    h.get_by_label("Canvas at").click();
    h.run_steps(4);
    h.key_press_modifiers(Modifiers::COMMAND, Key::S);
    h.run_steps(4);
    let saved = load_session(&file).expect("saved");
    let scenario = saved
        .diagram("Serving")
        .and_then(|d| d.scenario.clone())
        .expect("the scenario is saved with the diagram");
    assert_eq!(scenario.duration_s, 60.0);
    assert!(matches!(
        scenario.events.as_slice(),
        [e] if matches!(e.kind, EventKind::Spike { factor, .. } if factor == 3.0)
    ));
}
