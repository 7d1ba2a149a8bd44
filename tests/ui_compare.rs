//! Comparing two designs from the simulator panel: a copy made from the
//! window, then a changed copy compared figure by figure and node by node.

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::review::designs::{DesignComparison, Metric, Verdict};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn open_simulator(file: PathBuf, dir: &Path) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, Some(file), Vec::new());
    let mut h = common::start(config, [1280.0, 800.0]);
    h.get_by_label("Full screen").click();
    h.run_steps(4);
    h.get_by_label("Simulate").click();
    h.run_steps(4);
    h.get_by_role_and_label(Role::Button, "Compare…").click();
    h.run_steps(4);
    h
}

/// The comparison of "Serving", once there.
fn comparison(h: &Harness<'_, StudioApp>) -> Option<DesignComparison> {
    let sims = h.state().app_state().sims();
    let outcome = sims.get("Serving")?.compare.clone()?;
    Some(outcome.result.expect("both ran"))
}

/// Steps frames until the comparison of "Serving" has arrived.
fn wait_for_comparison(h: &mut Harness<'_, StudioApp>) -> DesignComparison {
    common::run_until(h, "the comparison", |h| comparison(h).is_some());
    h.run_steps(2);
    comparison(h).expect("arrived")
}

#[test]
fn a_changed_copy_is_compared_figure_by_figure_and_node_by_node() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = common::example_with_second_design(dir.path(), 2);
    let mut h = open_simulator(file, dir.path());
    h.get_by_label("A: Serving");
    h.get_by_role_and_label(Role::Button, "Simulate both")
        .click();
    h.run_steps(2);
    assert!(h.query_by_label("Simulating both…").is_some());
    let comparison = wait_for_comparison(&mut h);
    assert_eq!(comparison.b.name, "Serving v2");
    // Two more replicas cost more, and every figure's difference is shown
    // as the window's last column.
    let cost = comparison
        .deltas
        .iter()
        .find(|d| d.metric == Metric::CostUsdPerMonth)
        .expect("cost");
    assert_eq!(cost.verdict, Verdict::Worse);
    assert!(cost.b > cost.a, "{cost:?}");
    for d in &comparison.deltas {
        h.get_by_label(d.metric.label());
        assert!(
            h.query_all_by_label(&d.said).count() >= 1,
            "no \"{}\" for {}",
            d.said,
            d.metric.label()
        );
    }
    h.get_by_label("B: Serving v2");
    h.get_by_label_contains(&format!("~ {}: replicas", common::EXAMPLE_BOTTLENECK));
    // The picture once the panel's own run (and its load curve) is done.
    common::run_until(&mut h, "the panel's run", |h| {
        !h.state().app_state().sims().any_running()
    });
    h.run_steps(4);
    common::mask_status_bar_and_clock(&mut h, 1280.0, 800.0);
    h.snapshot("compare_designs");
    // Closing the window puts the comparison away.
    h.get_by_label("Close window").click();
    h.run_steps(4);
    assert!(h.query_by_label("B: Serving v2").is_none());
    let sims = h.state().app_state().sims();
    assert!(sims.get("Serving").expect("sim").compare.is_none());
}

#[test]
fn a_copy_made_from_the_window_compares_with_no_node_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = open_simulator(PathBuf::from(EXAMPLE), dir.path());
    h.get_by_role_and_label(Role::Button, "Duplicate \"Serving\"")
        .click();
    h.run_steps(4);
    let names: Vec<String> = h
        .state()
        .open_session()
        .expect("open")
        .session
        .diagrams
        .iter()
        .map(|d| d.name.clone())
        .collect();
    assert!(names.contains(&"Serving v2".to_owned()), "{names:?}");
    // The copy, the newest diagram, is the one offered to compare with.
    h.get_by_role_and_label(Role::Button, "Simulate both")
        .click();
    let comparison = wait_for_comparison(&mut h);
    h.get_by_label("B: Serving v2");
    h.get_by_label("No node was added, removed or resized.");
    // The same design at the same inputs and seed: the same figures.
    for d in &comparison.deltas {
        assert_eq!(d.a, d.b, "{}", d.metric.label());
    }
}
