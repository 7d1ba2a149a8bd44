//! Comparing two designs of a session: the deltas are the difference of
//! two plain simulations, the node changes are found, and the CLI prints
//! both as a table and as JSON.

use std::path::Path;
use std::process::Command;

use mlsd_studio::diagram::{Diagram, NodeId};
use mlsd_studio::review::designs::node_diff;
use mlsd_studio::session::{Session, load_session};

mod common;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";
const BOTTLENECK: &str = common::EXAMPLE_BOTTLENECK;
/// Near the bottleneck's saturation, where one replica more shows in p99.
const QPS: &str = "33300";

fn example() -> Session {
    load_session(Path::new(EXAMPLE)).expect("the example loads")
}

fn serving(session: &Session) -> Diagram {
    session
        .diagram("Serving")
        .expect("a serving diagram")
        .clone()
}

fn run(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("simulate")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn json_of(out: &std::process::Output) -> serde_json::Value {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn an_extra_replica_on_the_bottleneck_lowers_p99_and_costs_more() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = common::example_with_second_design(dir.path(), 1);
    let file = file.to_string_lossy();
    let cmp = json_of(&run(&[
        &file,
        "--compare",
        "Serving",
        "Serving v2",
        "--json",
        "--qps",
        QPS,
    ]));
    let deltas = &cmp["deltas"];
    assert!(
        deltas["p99_ms"]["delta"].as_f64().expect("p99 delta") < 0.0,
        "{cmp}"
    );
    assert_eq!(deltas["p99_ms"]["verdict"], "better");
    assert!(
        deltas["cost_usd_per_month"]["delta"]
            .as_f64()
            .expect("cost")
            > 0.0
    );
    assert_eq!(deltas["cost_usd_per_month"]["verdict"], "worse");
    assert!(
        deltas["cost_usd_per_month"]["said"]
            .as_str()
            .expect("words")
            .starts_with("+$")
    );
    assert!(
        deltas["saturation_rps"]["delta"]
            .as_f64()
            .expect("saturation")
            > 0.0
    );

    // Each side is what a plain simulate of that diagram reports.
    let plain_a = json_of(&run(&[
        &file,
        "--diagram",
        "Serving",
        "--json",
        "--qps",
        QPS,
    ]));
    let plain_b = json_of(&run(&[
        &file,
        "--diagram",
        "Serving v2",
        "--json",
        "--qps",
        QPS,
    ]));
    let p99 = |v: &serde_json::Value| v["latency_ms"]["p99"]["mean"].as_f64().expect("p99");
    let cost = |v: &serde_json::Value| v["cost_usd_per_hour"].as_f64().expect("cost") * 730.0;
    assert_eq!(cmp["a"]["metrics"]["p99_ms"].as_f64(), Some(p99(&plain_a)));
    assert_eq!(cmp["b"]["metrics"]["p99_ms"].as_f64(), Some(p99(&plain_b)));
    let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * y.abs().max(1.0);
    assert!(close(
        deltas["p99_ms"]["delta"].as_f64().expect("p99"),
        p99(&plain_b) - p99(&plain_a)
    ));
    assert!(close(
        deltas["cost_usd_per_month"]["delta"]
            .as_f64()
            .expect("cost"),
        cost(&plain_b) - cost(&plain_a)
    ));
    assert_eq!(cmp["a"]["name"], "Serving");
    assert_eq!(cmp["b"]["name"], "Serving v2");

    let changed = cmp["nodes"]["changed"].as_array().expect("changed");
    assert_eq!(changed.len(), 1, "{cmp}");
    assert_eq!(changed[0]["label"], BOTTLENECK);
    let replicas = |side: &str| changed[0][side]["replicas"].as_u64().expect("replicas");
    assert_eq!(replicas("after"), replicas("before") + 1);
    assert!(cmp["nodes"]["added"].as_array().is_some_and(Vec::is_empty));
}

#[test]
fn the_text_table_lines_up_and_lists_the_resized_node() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = common::example_with_second_design(dir.path(), 1);
    let out = run(&[
        &file.to_string_lossy(),
        "--compare",
        "Serving",
        "Serving v2",
        "--qps",
        QPS,
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("metric") && lines[0].contains("B: Serving v2"),
        "{text}"
    );
    // The B column starts at the same place on every row.
    let b_at = lines[0].find("B: ").expect("B header");
    let cost_row = lines
        .iter()
        .find(|l| l.starts_with("cost per month"))
        .expect("cost row");
    assert_eq!(cost_row[b_at..].chars().next(), Some('$'), "{text}");
    assert!(text.contains("/month") && text.contains("p99 −"), "{text}");
    assert!(
        text.contains(&format!("~ {BOTTLENECK}: replicas")),
        "{text}"
    );
}

#[test]
fn a_design_against_itself_changes_nothing() {
    let out = run(&[EXAMPLE, "--compare", "Serving", "Serving", "--json"]);
    let cmp = json_of(&out);
    for (key, d) in cmp["deltas"].as_object().expect("deltas") {
        assert_eq!(d["delta"].as_f64(), Some(0.0), "{key}");
        assert_eq!(d["verdict"], "same", "{key}");
    }
    assert!(
        cmp["nodes"]["changed"]
            .as_array()
            .is_some_and(Vec::is_empty)
    );
}

#[test]
fn an_unknown_name_lists_the_diagrams_and_right_size_is_refused() {
    let out = run(&[EXAMPLE, "--compare", "Serving", "Serving v9"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("\"Serving v9\"") && stderr.contains("Data & training pipeline, Serving"),
        "{stderr}"
    );
    let out = run(&[EXAMPLE, "--compare", "Serving", "Serving", "--right-size"]);
    assert_ne!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--right-size"));
}

#[test]
fn nodes_are_matched_by_id_then_label() {
    let a = serving(&example());
    let mut b = a.clone();
    // Removed: the first node. Added: a new one. Resized: new hardware.
    let removed = b.nodes.remove(0);
    let mut extra = b.nodes[0].clone();
    extra.id = NodeId(9_999);
    extra.label = "Shadow model".into();
    b.nodes.push(extra);
    let resized = b
        .nodes
        .iter_mut()
        .find(|n| n.label == BOTTLENECK)
        .expect("bottleneck");
    resized.sim.as_mut().expect("simulated").hardware_id = "gpu-a10g".into();
    // Redrawn under the same label with a new id: still the same node.
    let redrawn = b.nodes.iter_mut().rev().nth(1).expect("a node");
    let redrawn_label = redrawn.label.clone();
    redrawn.id = NodeId(8_888);

    let diff = node_diff(&a, &b);
    assert_eq!(diff.removed.len(), 1);
    assert_eq!(diff.removed[0].label, removed.label);
    assert_eq!(diff.added.len(), 1);
    assert_eq!(diff.added[0].label, "Shadow model");
    assert_eq!(diff.changed.len(), 1, "{diff:?}");
    assert_eq!(diff.changed[0].label, BOTTLENECK);
    assert!(diff.changed[0].changes[0].starts_with("hardware"));
    assert!(diff.added.iter().all(|n| n.label != redrawn_label));
}
