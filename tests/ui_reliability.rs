//! A node's reliability and scaling edited in its properties, and the
//! path's availability in the simulator's results, through the app's
//! widgets.

mod common;

use std::path::PathBuf;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use mlsd_studio::diagram::{Autoscale, NodeSim, SERVING_DIAGRAM};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn app(dir: &std::path::Path) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, Some(PathBuf::from(EXAMPLE)), Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h
}

fn node_sim(h: &Harness<'_, StudioApp>, label: &str) -> NodeSim {
    h.state()
        .open_session()
        .and_then(|o| o.session.diagram(SERVING_DIAGRAM))
        .and_then(|d| d.nodes.iter().find(|n| n.label == label))
        .and_then(|n| n.sim.clone())
        .expect("a simulated node")
}

/// The spin button (drag value) named `label`.
fn spin<'a>(h: &'a Harness<'_, StudioApp>, label: &'a str) -> egui_kittest::Node<'a> {
    h.get_by_role_and_label(egui::accesskit::Role::SpinButton, label)
}

fn value_of(h: &Harness<'_, StudioApp>, label: &str) -> f64 {
    spin(h, label)
        .accesskit_node()
        .numeric_value()
        .expect("a number")
}

fn select(h: &mut Harness<'_, StudioApp>, label: &str) {
    // The node's accessible area sits over the canvas; a click on it lands
    // on the canvas and selects the node.
    h.query_all_by_label_contains(label)
        .max_by(|a, b| a.rect().area().total_cmp(&b.rect().area()))
        .expect("the node")
        .click();
    h.run();
}

#[test]
fn failure_rates_and_autoscaling_are_set_per_node_and_undone_in_one_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path());
    select(&mut h, "Upload API");
    let before = node_sim(&h, "Upload API");
    assert_eq!(before.mtbf_hours, None);
    assert_eq!(before.autoscale, None);

    h.get_by_label("Reliability and scaling").click();
    h.run();
    // A CPU service shows the CPU defaults until the user gives their own.
    assert_eq!(value_of(&h, "MTBF"), 4380.0);
    assert_eq!(value_of(&h, "MTTR"), 0.1);
    assert_eq!(h.query_all_by_label("default").count(), 2);
    spin(&h, "MTBF").set_value_accesskit(1000.0);
    h.run();
    assert_eq!(node_sim(&h, "Upload API").mtbf_hours, Some(1000.0));
    assert_eq!(h.query_all_by_label("default").count(), 1);
    h.get_by_label("reset").click();
    h.run();
    assert_eq!(node_sim(&h, "Upload API").mtbf_hours, None);
    spin(&h, "MTTR").set_value_accesskit(2.0);
    h.run();
    assert_eq!(node_sim(&h, "Upload API").mttr_hours, Some(2.0));

    h.get_by_label("Autoscale over time").click();
    h.run();
    assert_eq!(
        node_sim(&h, "Upload API").autoscale,
        Some(Autoscale::default())
    );
    // Each field is there and named by its label for screen readers.
    assert_eq!(value_of(&h, "Target load"), 0.6);
    for field in [
        "Target load",
        "Min replicas",
        "Max replicas",
        "Look every",
        "Cold start",
    ] {
        spin(&h, field);
    }

    // The inference node on a T4 takes the accelerator's defaults.
    // Fitting the view to the canvas left beside the properties shows it.
    h.get_by_label("Fit").click();
    h.run();
    select(&mut h, "Fast text+image model");
    assert_eq!(value_of(&h, "MTBF"), 2190.0);
    assert_eq!(value_of(&h, "MTTR"), 0.5);

    // Each change was one undo step: autoscaling, the MTTR, the reset, the MTBF.
    for _ in 0..4 {
        h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
        h.run();
    }
    assert_eq!(node_sim(&h, "Upload API"), before);
}

#[test]
fn the_results_show_the_paths_availability_and_the_zone_check() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path());
    h.get_by_label("Full screen").click();
    h.run();
    h.get_by_label("Simulate").click();
    for _ in 0..1200 {
        h.step();
        let checked = h
            .query_by_label("One zone lost: ✖ the SLA breaks")
            .is_some()
            || h.query_by_label("One zone lost: ✔ the SLA holds").is_some();
        if checked {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let line = h.get_by_label_contains("% available (");
    let text = line.accesskit_node().value().unwrap_or_default();
    assert!(
        text.contains("nines), ") && text.contains(" min down a month"),
        "{text}"
    );
    // Every node of the example sits in one zone: each is a single point of
    // failure, and losing the zone loses the path.
    h.get_by_label_contains("Upload API: every replica in one zone");
    h.get_by_label("One zone lost: ✖ the SLA breaks");
}
