//! Right-sizing from the simulator panel: the diff in its window, applied
//! as one undoable edit.

mod common;

use std::path::PathBuf;

use egui::accesskit::Role;
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::ui::StudioApp;

/// Steps frames until the right-size window is up.
fn wait_for_result(h: &mut Harness<'_, StudioApp>) {
    common::run_until(h, "the right-size answer", |h| {
        h.query_by_label("Right-size \"Serving\"").is_some()
    });
}

#[test]
fn right_size_shows_the_diff_and_applies_it_as_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(
        dir.path(),
        Some(PathBuf::from("examples/harmful-content-detection.mlsd")),
        Vec::new(),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Full screen").click();
    h.run_steps(4);
    h.get_by_label("Simulate").click();
    h.run_steps(4);
    let replicas = |h: &Harness<'_, StudioApp>| -> Vec<u32> {
        let session = &h.state().open_session().expect("open").session;
        let diagram = session.diagram("Serving").expect("serving");
        diagram
            .nodes
            .iter()
            .filter_map(|n| n.sim.as_ref().map(|s| s.replicas))
            .collect()
    };
    let before = replicas(&h);
    h.get_by_role_and_label(Role::Button, "Right-size").click();
    h.run_steps(2);
    // The search runs in the background; the panel says so meanwhile.
    assert!(h.query_by_label("Right-sizing…").is_some());
    wait_for_result(&mut h);
    h.get_by_label("14 → 4");
    h.get_by_label_contains("Proven the cheapest");
    h.get_by_role_and_label(Role::Button, "Apply").click();
    h.run_steps(4);
    let after = replicas(&h);
    assert_ne!(after, before);
    assert!(after.contains(&4) && !after.contains(&14), "{after:?}");
    assert!(h.query_by_label("Right-size \"Serving\"").is_none());
    // One undo takes every node back.
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run_steps(4);
    assert_eq!(replicas(&h), before);
}

#[test]
fn with_other_hardware_allowed_the_model_node_moves_and_apply_sets_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(
        dir.path(),
        Some(PathBuf::from("examples/harmful-content-detection.mlsd")),
        Vec::new(),
    );
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Full screen").click();
    h.run_steps(4);
    h.get_by_label("Simulate").click();
    h.run_steps(4);
    h.get_by_role_and_label(Role::CheckBox, "other hardware")
        .click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Right-size").click();
    wait_for_result(&mut h);
    h.get_by_label("Hardware");
    // At this load an L4 replica does the work of several T4s for less.
    h.get_by_label("gpu-t4 → gpu-l4");
    h.get_by_role_and_label(Role::Button, "Apply").click();
    h.run_steps(4);
    let session = &h.state().open_session().expect("open").session;
    let model = session
        .diagram("Serving")
        .expect("serving")
        .nodes
        .iter()
        .find(|n| n.label == "Fast text+image model (T4)")
        .and_then(|n| n.sim.clone())
        .expect("the model node");
    assert_eq!(model.hardware_id, "gpu-l4");
}
