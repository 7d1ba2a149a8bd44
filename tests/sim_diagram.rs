//! Serving diagrams become simulator networks, errors name the node, and the
//! simulate command and panel report what the engine computes.

use std::path::{Path, PathBuf};
use std::process::Command;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::{
    CallMode, ComponentKind, Diagram, DiagramEdit, EdgeSim, MlRole, NodeSim, Point,
    SERVING_DIAGRAM, ServiceTime,
};
use mlsd_studio::session::load_session;
use mlsd_studio::sim::from_diagram::{DiagramSimError, network_from_diagram};
use mlsd_studio::sim::{RunConfig, Traffic, run};
use mlsd_studio::ui::StudioApp;

mod common;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn example_serving() -> Diagram {
    load_session(Path::new(EXAMPLE))
        .expect("example loads")
        .diagram(SERVING_DIAGRAM)
        .cloned()
        .expect("serving diagram")
}

fn add(d: &mut Diagram, label: &str, sim: Option<NodeSim>) -> mlsd_studio::diagram::NodeId {
    let id = d
        .apply(DiagramEdit::AddNode {
            kind: ComponentKind::PredictionService,
            pos: Point::new(d.nodes.len() as f32 * 200.0, 0.0),
        })
        .nodes[0];
    d.apply(DiagramEdit::RenameNode {
        id,
        label: label.into(),
    });
    d.apply(DiagramEdit::SetNodeSim { id, sim });
    id
}

fn constant(ms: f64) -> NodeSim {
    NodeSim {
        service: ServiceTime::Constant { ms },
        servers_per_replica: 8,
        replicas: 2,
        ..NodeSim::default()
    }
}

#[test]
fn only_simulated_nodes_become_stations_with_their_calls() {
    let d = example_serving();
    let mapped = network_from_diagram(&d).expect("maps");
    let simulated = d.nodes.iter().filter(|n| n.sim.is_some()).count();
    assert_eq!(mapped.network.stations().len(), simulated);
    assert_eq!(mapped.nodes.len(), simulated);
    let names: Vec<&str> = mapped
        .network
        .stations()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert!(names.contains(&"Integrity decision service"));
    assert!(
        !names.contains(&"Mobile and web clients"),
        "the client is not a station"
    );
    // The decision service fans out to the hash match and the features in parallel.
    let decision = &mapped.network.stations()[names
        .iter()
        .position(|n| *n == "Integrity decision service")
        .expect("present")];
    assert_eq!(decision.fan_out, mlsd_studio::sim::FanOut::Parallel);
    assert!(
        mlsd_studio::sim::sweep::Plan::new(&mapped.network).is_some(),
        "the example runs on the fast engine"
    );
}

#[test]
fn a_constant_chain_at_low_load_takes_the_sum_of_its_times() {
    let mut d = Diagram::default();
    let a = add(&mut d, "gateway", Some(constant(2.0)));
    let b = add(&mut d, "ranker", Some(constant(5.0)));
    let e = d.apply(DiagramEdit::Connect { from: a, to: b }).edges[0];
    d.apply(DiagramEdit::SetEdgeSim {
        id: e,
        sim: EdgeSim {
            mode: CallMode::Sequential,
            calls_per_request: 1.0,
            network_ms: 1.5,
        },
    });
    let mapped = network_from_diagram(&d).expect("maps");
    let report = run(
        &mapped.network,
        &RunConfig::new(Traffic::rps(1.0))
            .with_requests(2_000)
            .with_replications(2),
    )
    .expect("runs");
    let p50 = report.latency_ms.expect("latency").p50.mean;
    assert!((p50 - 8.5).abs() < 0.05, "2 + 1.5 + 5 ms, got {p50}");
}

#[test]
fn errors_name_the_node() {
    let mut d = Diagram::default();
    assert_eq!(
        network_from_diagram(&d).err(),
        Some(DiagramSimError::NothingToSimulate)
    );

    let a = add(&mut d, "front door", Some(constant(1.0)));
    let b = add(&mut d, "side door", Some(constant(1.0)));
    let err = network_from_diagram(&d)
        .expect_err("two entries")
        .to_string();
    assert!(
        err.contains("front door") && err.contains("side door"),
        "{err}"
    );

    d.apply(DiagramEdit::Connect { from: a, to: b });
    d.apply(DiagramEdit::Connect { from: b, to: a });
    assert_eq!(
        network_from_diagram(&d).err(),
        Some(DiagramSimError::NoEntry {
            cycle: "front door → side door → front door".into()
        })
    );

    let mut d = Diagram::default();
    add(
        &mut d,
        "gpu box",
        Some(NodeSim {
            hardware_id: "quantum-9000".into(),
            ..constant(1.0)
        }),
    );
    let err = network_from_diagram(&d)
        .expect_err("unknown hardware")
        .to_string();
    assert!(
        err.contains("gpu box") && err.contains("quantum-9000"),
        "{err}"
    );

    let mut d = Diagram::default();
    add(
        &mut d,
        "broken",
        Some(NodeSim {
            servers_per_replica: 0,
            ..constant(1.0)
        }),
    );
    let err = network_from_diagram(&d)
        .expect_err("zero servers")
        .to_string();
    assert!(err.contains("broken"), "{err}");

    let mut d = Diagram::default();
    add(
        &mut d,
        "nan",
        Some(NodeSim {
            service: ServiceTime::Exponential { mean_ms: f64::NAN },
            ..constant(1.0)
        }),
    );
    let err = network_from_diagram(&d).expect_err("NaN").to_string();
    assert!(err.contains("nan"), "{err}");

    let mut d = Diagram::default();
    let id = add(&mut d, "cache", Some(constant(1.0)));
    d.apply(DiagramEdit::SetNodeSim {
        id,
        sim: Some(NodeSim {
            ml: MlRole::Cache { hit_ratio: 1.5 },
            ..constant(1.0)
        }),
    });
    assert!(
        network_from_diagram(&d).is_err(),
        "a hit ratio above 1 is refused"
    );
}

#[test]
fn an_overloaded_design_is_bounded_and_reported_unstable() {
    let mut d = Diagram::default();
    add(
        &mut d,
        "tiny",
        Some(NodeSim {
            servers_per_replica: 1,
            replicas: 1,
            ..constant(10.0)
        }),
    );
    let mapped = network_from_diagram(&d).expect("maps");
    // One 10 ms server saturates at 100 req/s; offer 150.
    let report = run(
        &mapped.network,
        &RunConfig::new(Traffic::rps(150.0))
            .with_requests(20_000)
            .with_replications(2),
    )
    .expect("bounded");
    assert!(report.unstable);
    assert_eq!(report.bottleneck.as_deref(), Some("tiny"));
}

fn simulate(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args([
            "simulate",
            EXAMPLE,
            "--requests",
            "20000",
            "--replications",
            "4",
        ])
        .args(args)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn simulate_command_is_deterministic_and_prints_json() {
    let a = simulate(&["--json", "--seed", "5"]);
    let b = simulate(&["--json", "--seed", "5"]);
    assert_eq!(a, b, "the same seed gives the same numbers");
    let json: serde_json::Value = serde_json::from_str(&a).expect("JSON");
    for key in [
        "latency_ms",
        "throughput_rps",
        "stations",
        "bottleneck",
        "saturation_rps",
        "cost_usd_per_hour",
        "sla",
    ] {
        assert!(!json[key].is_null(), "{key} missing");
    }
    assert_eq!(json["sla"]["p99_limit_ms"], 200.0, "the case study's SLA");
    assert_eq!(json["offered_rps"], 6250.0, "the case study's peak load");
    let c = simulate(&["--json", "--seed", "6"]);
    assert_ne!(a, c, "another seed gives other samples");
    let text = simulate(&["--qps", "40000"]);
    assert!(text.contains("UNSTABLE"), "past saturation:\n{text}");
}

#[test]
fn simulate_command_refuses_a_run_above_the_budget_before_it_starts() {
    let out = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args(["simulate", EXAMPLE, "--requests", "1000000000"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    for part in [
        EXAMPLE,
        "1000000000 requests × 10 replications",
        "simulation budget",
        "requests per replication fit",
        "--requests",
    ] {
        assert!(err.contains(part), "'{err}' lacks '{part}'");
    }
    assert!(out.stdout.is_empty());
}

#[test]
fn the_panel_runs_the_example_and_colours_the_canvas() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), Some(PathBuf::from(EXAMPLE)), Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Full screen").click();
    h.run();
    h.get_by_label("Simulate").click();
    // The run happens on another thread: give it real time.
    for _ in 0..400 {
        h.step();
        if h.query_by_label("✔ p99 within 200 ms").is_some() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    h.get_by_label("✔ p99 within 200 ms");
    // The bottleneck row of the results table names the model server, which
    // also appears in the per-node table and on the canvas.
    h.get_by_label("Bottleneck");
    assert!(h.query_all_by_label("Fast text+image model (T4)").count() >= 3);
}
