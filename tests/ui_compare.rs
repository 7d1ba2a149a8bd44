//! Comparing two designs from the simulator panel: a copy made from the
//! window, then a changed copy compared figure by figure and node by node.

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::review::designs::{Metric, Verdict};
use mlsd_studio::session::{SessionDiagram, load_session, save_session};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";
const BOTTLENECK: &str = "Fast text+image model (T4)";

/// The example with "Serving v2": two more replicas on the model server.
fn with_second_design(dir: &Path) -> PathBuf {
    let mut session = load_session(Path::new(EXAMPLE)).expect("the example loads");
    let mut v2 = session.diagram("Serving").expect("serving").clone();
    let node = v2
        .nodes
        .iter_mut()
        .find(|n| n.label == BOTTLENECK)
        .expect("the model node");
    node.sim.as_mut().expect("simulated").replicas += 2;
    session.diagrams.push(SessionDiagram {
        name: "Serving v2".into(),
        diagram: v2,
    });
    let path = dir.join("two-designs.mlsd");
    save_session(&path, &session).expect("saved");
    path
}

fn open_simulator(file: PathBuf, dir: &Path) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, Some(file), Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Full screen").click();
    h.run_steps(4);
    h.get_by_label("Simulate").click();
    h.run_steps(4);
    h.get_by_role_and_label(Role::Button, "Compare…").click();
    h.run_steps(4);
    h
}

/// Steps frames until the comparison of "Serving" has arrived.
fn wait_for_comparison(h: &mut Harness<'_, StudioApp>) {
    for _ in 0..2_000 {
        h.run_steps(1);
        let done = h
            .state()
            .app_state()
            .sims()
            .get("Serving")
            .is_some_and(|s| s.compare.is_some());
        if done {
            h.run_steps(2);
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("the comparison never arrived");
}

#[test]
fn a_changed_copy_is_compared_figure_by_figure_and_node_by_node() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = with_second_design(dir.path());
    let mut h = open_simulator(file, dir.path());
    h.get_by_label("A: Serving");
    h.get_by_role_and_label(Role::Button, "Simulate both")
        .click();
    h.run_steps(2);
    assert!(h.query_by_label("Simulating both…").is_some());
    wait_for_comparison(&mut h);
    let comparison = h
        .state()
        .app_state()
        .sims()
        .get("Serving")
        .expect("sim")
        .compare
        .clone();
    let comparison = comparison.expect("compared").result.expect("both ran");
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
    h.get_by_label_contains(&format!("~ {BOTTLENECK}: replicas"));
    // The picture once the panel's own run (and its load curve) is done.
    for _ in 0..2_000 {
        if !h.state().app_state().sims().any_running() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
        h.run_steps(1);
    }
    h.run_steps(4);
    // The status bar names the temporary file; the session clock counts
    // the seconds the runs took.
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, 770.0),
        egui::pos2(1280.0, 800.0),
    ));
    h.mask(egui::Rect::from_min_max(
        egui::pos2(1160.0, 0.0),
        egui::pos2(1280.0, 28.0),
    ));
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
    wait_for_comparison(&mut h);
    h.get_by_label("B: Serving v2");
    h.get_by_label("No node was added, removed or resized.");
    let comparison = h
        .state()
        .app_state()
        .sims()
        .get("Serving")
        .expect("sim")
        .compare
        .clone();
    let comparison = comparison.expect("compared").result.expect("both ran");
    // The same design at the same inputs and seed: the same figures.
    for d in &comparison.deltas {
        assert_eq!(d.a, d.b, "{}", d.metric.label());
    }
}
