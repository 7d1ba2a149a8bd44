//! `mlsd-studio review` through the binary: JSON keys, text, exit codes.

use std::process::Command;

fn review(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("review")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn json_has_findings_and_coverage_with_their_keys() {
    let out = review(&["examples/harmful-content-detection.mlsd", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let findings = v["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for f in findings {
        assert!(f["rule"].is_string());
        assert!(matches!(
            f["severity"].as_str(),
            Some("error" | "warning" | "info")
        ));
        assert!(
            f["nodes"]
                .as_array()
                .is_some_and(|n| n.iter().all(|l| l.is_string()))
        );
        assert!((1..=7).contains(&f["step"].as_u64().expect("step")));
        assert!(f["message"].as_str().is_some_and(|m| m.len() > 20));
    }
    let coverage = v["coverage"].as_array().expect("coverage");
    assert_eq!(coverage.len(), 7);
    for (i, c) in coverage.iter().enumerate() {
        assert_eq!(c["step"].as_u64(), Some(i as u64 + 1));
        assert!(c["covered"].is_array() && c["missing"].is_array());
    }
}

#[test]
fn text_lists_findings_and_coverage() {
    let out = review(&["examples/harmful-content-detection.mlsd"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("no-fallback"), "{text}");
    assert!(
        text.contains("step 1: the answer appears to cover"),
        "{text}"
    );
}

#[test]
fn an_unreadable_file_exits_2_with_its_name() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope.mlsd");
    let out = review(&[missing.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nope.mlsd"));
    let broken = dir.path().join("broken.mlsd");
    std::fs::write(&broken, "Session(").expect("write");
    let out = review(&[broken.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}
