//! `mlsd-studio simulate --right-size` through the binary: the diff as
//! JSON, the right-sized session written with -o, and the refusals.

use std::path::Path;
use std::process::Command;

use mlsd_studio::session::load_session;
use mlsd_studio::sim::from_diagram::network_from_diagram;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn simulate(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("simulate")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn the_diff_is_written_and_so_is_the_right_sized_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("right-sized.mlsd");
    let out_text = out.to_string_lossy().into_owned();
    let run = simulate(&[EXAMPLE, "--right-size", "--json", "-o", &out_text]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    let stations = v["stations"].as_array().expect("stations");
    assert!(!stations.is_empty());
    assert!(v["proven_optimal"].is_boolean());
    assert!(v["cost_after_usd_per_month"].as_f64() <= v["cost_before_usd_per_month"].as_f64());
    assert!(
        v["p99_after_ms"].as_f64().is_some_and(|p| p <= 200.0),
        "{v}"
    );

    // The written session has exactly the "after" replica counts.
    let before = load_session(Path::new(EXAMPLE)).expect("example");
    let after = load_session(&out).expect("written");
    let replicas = |s: &mlsd_studio::session::Session| -> Vec<u32> {
        let net = network_from_diagram(s.diagram("Serving").expect("serving")).expect("simulable");
        net.network
            .stations()
            .iter()
            .map(|st| st.replicas)
            .collect()
    };
    let want: Vec<u32> = stations
        .iter()
        .map(|s| s["replicas_after"].as_u64().expect("count") as u32)
        .collect();
    let was: Vec<u32> = stations
        .iter()
        .map(|s| s["replicas_before"].as_u64().expect("count") as u32)
        .collect();
    assert_eq!(replicas(&after), want);
    assert_eq!(replicas(&before), was);
}

#[test]
fn a_tighter_sla_overrides_the_case_and_an_impossible_one_names_the_node() {
    let run = simulate(&[EXAMPLE, "--right-size", "--sla-p99", "3"]);
    assert_eq!(run.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("Integrity decision service") && stderr.contains("on its own"),
        "{stderr}"
    );
    let run = simulate(&[EXAMPLE, "--right-size", "--zone-loss"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("one zone"));
    let run = simulate(&[EXAMPLE, "--right-size", "--sla-p99=-5"]);
    assert_eq!(run.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&run.stderr).contains("--sla-p99"));
    // The flags belong to --right-size.
    let run = simulate(&[EXAMPLE, "--zone-loss"]);
    assert_eq!(run.status.code(), Some(2));
}

#[test]
fn the_text_diff_marks_what_changed() {
    let run = simulate(&[EXAMPLE, "--right-size"]);
    assert_eq!(run.status.code(), Some(0));
    let text = String::from_utf8_lossy(&run.stdout);
    assert!(
        text.contains("Right-sized for 6,250 req/s, p99 ≤ 200 ms"),
        "{text}"
    );
    assert!(text.contains("Fast text+image model (T4)"), "{text}");
    assert!(text.contains("total cost"), "{text}");
}

#[test]
fn with_hardware_choice_model_nodes_may_move_and_the_session_follows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("moved.mlsd");
    let out_text = out.to_string_lossy().into_owned();
    let plain = simulate(&[EXAMPLE, "--right-size", "--json"]);
    let plain: serde_json::Value = serde_json::from_slice(&plain.stdout).expect("JSON");
    let run = simulate(&[
        EXAMPLE,
        "--right-size",
        "--choose-hardware",
        "--json",
        "-o",
        &out_text,
    ]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&run.stdout).expect("JSON");
    assert!(
        v["cost_after_usd_per_month"].as_f64() <= plain["cost_after_usd_per_month"].as_f64(),
        "choosing hardware never costs more: {v}"
    );
    let stations = v["stations"].as_array().expect("stations");
    let model = stations
        .iter()
        .find(|s| s["name"] == "Fast text+image model (T4)")
        .expect("the model node");
    assert_eq!(model["hardware_before"], "gpu-t4");
    let upload = stations
        .iter()
        .find(|s| s["name"] == "Upload API")
        .expect("a plain node");
    assert!(upload["hardware_after"].is_null(), "{upload}");
    // The written session puts each model node on its chosen machine.
    let after = load_session(&out).expect("written");
    let net = network_from_diagram(after.diagram("Serving").expect("serving")).expect("simulable");
    for (st, s) in net.network.stations().iter().zip(stations) {
        if let mlsd_studio::sim::StationKind::Inference(m) = &st.kind {
            assert_eq!(s["hardware_after"], m.hardware.id.as_str(), "{}", st.name);
        }
        assert_eq!(Some(u64::from(st.replicas)), s["replicas_after"].as_u64());
    }
}
