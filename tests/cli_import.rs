//! `mlsd-studio import` through the binary: a new session for a case
//! study, more into an existing one, lines left out on standard error, and
//! nothing written when anything is wrong.

use std::fs;
use std::path::Path;
use std::process::{Command, Output};

use mlsd_studio::diagram::ComponentKind;
use mlsd_studio::session::load_session;

fn import(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("import")
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const PIPELINE: &str = "flowchart LR\n  logs[Event logs] --> etl[/Spark ETL/] --> fs[(Feature store)]\n  style etl fill:#eee\n  fs --> t[Training job]\n";
const SERVING: &str = "digraph serving {\n  subgraph cluster_online { label=\"Online\"; api [label=\"API gateway\"]; rank [label=\"Ranker\", shape=hexagon]; }\n  client -> api -> rank;\n}\n";

#[test]
fn a_new_session_then_more_into_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mmd = dir.path().join("pipeline.mmd");
    let dot = dir.path().join("serving.dot");
    let out = dir.path().join("mine.mlsd");
    fs::write(&mmd, PIPELINE).expect("write");
    fs::write(&dot, SERVING).expect("write");
    let o = import(&[
        mmd.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
        "--case",
        "ad-click-prediction",
        "--diagram",
        "Data & training pipeline",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("Imported 4 nodes, 3 edges and 0 groups"));
    // The style line is left out, with its file and line.
    assert_eq!(
        text(&o.stderr).trim(),
        format!(
            "{}:3: `style` lines are left out: styles are not imported",
            mmd.display()
        )
    );
    let session = load_session(&out).expect("a session");
    assert_eq!(session.case_study, "ad-click-prediction");
    let pipeline = session
        .diagram("Data & training pipeline")
        .expect("diagram");
    let kinds: Vec<ComponentKind> = pipeline.nodes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            ComponentKind::EventLogs,
            ComponentKind::BatchEtl,
            ComponentKind::OnlineFeatureStore,
            ComponentKind::TrainingJob
        ]
    );

    // Without --diagram the drawing goes into a diagram named after the file.
    let o = import(&[
        dot.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let session = load_session(&out).expect("a session");
    let serving = session.diagram("serving").expect("a new diagram");
    assert_eq!(serving.nodes.len(), 3);
    assert_eq!(serving.groups.len(), 1);
    assert_eq!(serving.groups[0].label, "Online");
    assert_eq!(session.diagram("Data & training pipeline"), Some(pipeline));

    // Importing again adds a second copy below the first.
    let o = import(&[
        dot.to_str().expect("utf-8"),
        "-o",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let twice = load_session(&out).expect("a session");
    let serving2 = twice.diagram("serving").expect("diagram");
    assert_eq!(serving2.nodes.len(), 6);
    let lowest_first = serving
        .nodes
        .iter()
        .map(|n| n.pos.y + n.size.h)
        .fold(0.0, f32::max);
    assert!(serving2.nodes[3..].iter().all(|n| n.pos.y > lowest_first));
}

fn unchanged_after(args: &[&str], out: &Path, needle: &str) {
    let before = fs::read(out).ok();
    let o = import(args);
    assert_ne!(o.status.code(), Some(0));
    let err = text(&o.stderr);
    assert!(err.contains(needle), "{err}");
    assert_eq!(fs::read(out).ok(), before, "nothing written");
}

#[test]
fn errors_name_the_file_and_line_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let bad = dir.path().join("bad.mmd");
    fs::write(&bad, "flowchart LR\n  a --> b\n  subgraph open\n  c\n").expect("write");
    let out = dir.path().join("new.mlsd");
    let (bad_s, out_s) = (bad.to_str().expect("utf-8"), out.to_str().expect("utf-8"));
    unchanged_after(
        &[bad_s, "-o", out_s, "--case", "ad-click-prediction"],
        &out,
        &format!("{bad_s}: line 3: `subgraph` \"open\" is never closed with `end`"),
    );
    assert!(!out.exists());

    let good = dir.path().join("good.mmd");
    fs::write(&good, "graph TD\n a --> b\n").expect("write");
    let good_s = good.to_str().expect("utf-8");
    unchanged_after(&[good_s, "-o", out_s], &out, "give --case ID");
    unchanged_after(
        &[good_s, "-o", out_s, "--case", "no-such-case"],
        &out,
        "no case study has the id",
    );

    let ok = import(&[good_s, "-o", out_s, "--case", "video-search"]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok.stderr));
    unchanged_after(
        &[good_s, "-o", out_s, "--case", "video-search"],
        &out,
        "the session exists",
    );
    unchanged_after(&[bad_s, "-o", out_s], &out, "line 3");

    let huge = dir.path().join("huge.mmd");
    let mut big = String::from("flowchart LR\n");
    while big.len() < 10_000_000 {
        big.push_str("  a --> b\n");
    }
    fs::write(&huge, big).expect("write");
    unchanged_after(
        &[huge.to_str().expect("utf-8"), "-o", out_s],
        &out,
        "larger than 2 MiB",
    );
}
