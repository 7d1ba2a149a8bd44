//! Session files round-trip, bad files are refused without touching them, and
//! autosaves are found again after a crash.

use std::fs;
use std::path::Path;

use mlsd_studio::content;
use mlsd_studio::diagram::{ComponentKind, DiagramEdit, PIPELINE_DIAGRAM, Point, SERVING_DIAGRAM};
use mlsd_studio::session::{
    RecoveryStore, SESSION_FORMAT_VERSION, Session, SessionEdit, SessionFileError,
    check_against_library, discard, load_session, save_session,
};

fn worked_session() -> Session {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut s = Session::new(study);
    for edit in [
        SessionEdit::SetAnswer {
            step: 1,
            text:
                "Scope: **hate speech**, \"nudity\" and `spam`.\n\n| a | b |\n|---|---|\n| 1 | 2 |"
                    .into(),
        },
        SessionEdit::ToggleCheck { step: 1, index: 0 },
        SessionEdit::ToggleCheck { step: 1, index: 3 },
        SessionEdit::AskQuestion(study.questions[2].id.clone()),
        SessionEdit::AskQuestion(study.questions[0].id.clone()),
        SessionEdit::SetDone {
            step: 1,
            done: true,
        },
        SessionEdit::GoToStep(2),
        SessionEdit::RevealNextHint { step: 2 },
        SessionEdit::RevealReference { step: 5 },
    ] {
        assert!(
            s.apply(study, edit.clone(), 0.0),
            "{edit:?} changed nothing"
        );
    }
    s.add_time(93.5);
    s
}

#[test]
fn a_session_saves_and_loads_back_equal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("practice.mlsd");
    let session = worked_session();
    save_session(&path, &session).expect("save");
    let loaded = load_session(&path).expect("load");
    assert_eq!(loaded, session);
    check_against_library(&loaded, &content::bundled(), &path).expect("fits its case study");
    assert_eq!(loaded.questions_asked.len(), 2);
    assert_eq!(loaded.step(2).seconds_spent, 93.5);
}

#[test]
fn a_truncated_file_gives_an_error_and_is_left_unchanged() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("cut.mlsd");
    save_session(&path, &worked_session()).expect("save");
    let full = fs::read(&path).expect("read");
    let cut = &full[..full.len() / 2];
    fs::write(&path, cut).expect("truncate");
    let err = load_session(&path).expect_err("a truncated file is refused");
    let message = err.to_string();
    assert!(matches!(err, SessionFileError::Parse { .. }), "{message}");
    assert!(
        message.starts_with(&format!("{}:", path.display())),
        "{message}"
    );
    assert_eq!(
        fs::read(&path).expect("read"),
        cut,
        "the file on disk must not change"
    );
}

#[test]
fn a_newer_format_version_is_refused_with_a_message() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("future.mlsd");
    let text = mlsd_studio::session::session_to_string(&worked_session())
        .replacen(
            &format!("format_version: {SESSION_FORMAT_VERSION}"),
            "format_version: 9",
            1,
        )
        .replacen("Session(", "Session(\n    hologram: true,", 1);
    fs::write(&path, &text).expect("write");
    let err = load_session(&path).expect_err("refused");
    assert!(
        matches!(err, SessionFileError::Newer { found: 9, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer mlsd-studio"));
    assert_eq!(fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn a_session_for_an_unknown_case_study_is_refused() {
    let mut session = worked_session();
    session.case_study = "quantum-dating".into();
    let err = check_against_library(&session, &content::bundled(), Path::new("x.mlsd"))
        .expect_err("refused");
    assert!(err.to_string().contains("quantum-dating"), "{err}");
}

#[test]
fn ticks_beyond_the_checklist_are_refused() {
    let mut session = worked_session();
    session.steps[0].ticked.insert(999);
    let err = check_against_library(&session, &content::bundled(), Path::new("x.mlsd"))
        .expect_err("refused");
    assert!(err.to_string().contains("checklist point 1000"), "{err}");
}

#[test]
fn garbage_and_wrong_shapes_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases: [(&str, &[u8]); 4] = [
        ("binary.mlsd", &[0xff, 0x00, 0x13, 0x37]),
        ("empty.mlsd", b""),
        (
            "three-steps.mlsd",
            b"Session(format_version: 1, case_study: \"visual-search\", current_step: 1, steps: [StepProgress(), StepProgress(), StepProgress()])",
        ),
        (
            "step-99.mlsd",
            b"Session(format_version: 1, case_study: \"visual-search\", current_step: 99, steps: [StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress()])",
        ),
    ];
    for (name, bytes) in cases {
        let path = dir.path().join(name);
        fs::write(&path, bytes).expect("write");
        let err = load_session(&path).expect_err(name);
        assert!(err.to_string().contains(name), "{name}: {err}");
        assert_eq!(
            fs::read(&path).expect("read"),
            bytes,
            "{name} changed on disk"
        );
    }
    let missing = load_session(&dir.path().join("nope.mlsd")).expect_err("missing");
    assert!(matches!(missing, SessionFileError::Read { .. }));
}

#[test]
fn an_autosave_from_a_dead_run_is_found_and_a_corrupt_one_set_aside() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = worked_session();
    let mut crashed = RecoveryStore::new(dir.path());
    crashed
        .write(Some(Path::new("/home/me/practice.mlsd")), &session)
        .expect("autosave");
    let crashed_file = crashed.own_file().expect("written").to_path_buf();
    // A killed run's lock is released like this (tests/crash_safety.rs
    // kills real processes).
    drop(crashed);
    // Named the way older versions named autosaves, with no lock beside it.
    fs::write(
        dir.path().join("session-4000000001.recovery"),
        "12\n\nnot ron",
    )
    .expect("write");

    let mut me = RecoveryStore::new(dir.path());
    let (found, errors) = me.find_orphans();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].file, crashed_file);
    assert_eq!(found[0].recovery.session, session);
    assert_eq!(
        found[0].recovery.original_path.as_deref(),
        Some(Path::new("/home/me/practice.mlsd"))
    );
    assert_eq!(errors.len(), 1);
    assert!(
        dir.path().join("session-4000000001.corrupt").exists(),
        "kept aside, not deleted"
    );

    // Our own autosave is never offered back to ourselves.
    me.write(None, &session).expect("own autosave");
    let (again, _) = me.find_orphans();
    assert_eq!(again.len(), 1);
    me.clear().expect("removed");
    assert!(!me.own_file().expect("written").exists());
}

#[test]
fn a_running_apps_autosave_is_never_offered_to_another_run() {
    // Process ids repeat across containers and sandboxes; names and locks
    // do not.
    let dir = tempfile::tempdir().expect("temp dir");
    let session = worked_session();
    let mut alive = RecoveryStore::new(dir.path());
    alive.write(None, &session).expect("autosave");
    let mut other = RecoveryStore::new(dir.path());
    other.write(None, &session).expect("autosave");
    assert_ne!(alive.own_file(), other.own_file());
    let (found, errors) = RecoveryStore::new(dir.path()).find_orphans();
    assert!(found.is_empty(), "both runs are alive: {found:?}");
    assert!(errors.is_empty());
    assert!(alive.own_file().expect("written").exists());

    // Discarding a dead run's autosave takes its lock file too.
    let dead = other.own_file().expect("written").to_path_buf();
    drop(other);
    let (found, _) = RecoveryStore::new(dir.path()).find_orphans();
    assert_eq!(found.len(), 1);
    discard(&dead).expect("discard");
    let left: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
    assert_eq!(
        left.len(),
        2,
        "only the live run's autosave and lock: {left:?}"
    );
}

#[test]
fn a_version_1_session_is_migrated_with_both_diagrams() {
    let path = Path::new("tests/fixtures/session-v1.mlsd");
    let before = fs::read(path).expect("read");
    let session = load_session(path).expect("version 1 still opens");
    assert_eq!(session.format_version, SESSION_FORMAT_VERSION);
    assert!(
        session
            .diagram(PIPELINE_DIAGRAM)
            .is_some_and(|d| d.is_empty())
    );
    assert!(
        session
            .diagram(SERVING_DIAGRAM)
            .is_some_and(|d| d.is_empty())
    );
    assert_eq!(session.step(1).ticked.len(), 2);
    assert_eq!(
        fs::read(path).expect("read"),
        before,
        "opening never rewrites the file"
    );
}

#[test]
fn diagrams_round_trip_and_broken_ones_are_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("d.mlsd");
    let mut session = worked_session();
    let serving = session
        .diagram_mut(SERVING_DIAGRAM)
        .expect("default diagram");
    let a = serving
        .apply(DiagramEdit::AddNode {
            kind: ComponentKind::Client,
            pos: Point::new(0.0, 0.0),
        })
        .nodes[0];
    let b = serving
        .apply(DiagramEdit::AddNode {
            kind: ComponentKind::RankingModel,
            pos: Point::new(300.0, 0.0),
        })
        .nodes[0];
    serving.apply(DiagramEdit::Connect { from: a, to: b });
    save_session(&path, &session).expect("save");
    assert_eq!(load_session(&path).expect("load"), session);

    // An edge to a node that is not there is refused, naming the diagram.
    let text = fs::read_to_string(&path).expect("read");
    let broken = text.replacen(&format!("to: NodeId({})", b.0), "to: NodeId(999)", 1);
    assert_ne!(broken, text);
    fs::write(&path, &broken).expect("write");
    let err = load_session(&path).expect_err("dangling edge");
    assert!(err.to_string().contains("diagram \"Serving\""), "{err}");
    assert!(err.to_string().contains("999"), "{err}");
    assert_eq!(fs::read_to_string(&path).expect("read"), broken);
}

fn session_with_serving_nodes(nodes: &str) -> String {
    format!(
        "Session(format_version: 2, case_study: \"visual-search\", current_step: 1, \
         steps: [StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress(), StepProgress()], \
         diagrams: [SessionDiagram(name: \"Serving\", diagram: Diagram(nodes: [{nodes}], edges: [], groups: [], next_id: 0))])"
    )
}

#[test]
fn a_diagram_with_100000_nodes_is_refused_quickly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.mlsd");
    let nodes: Vec<String> = (1..=100_000)
        .map(|i| format!("Node(id: NodeId({i}), kind: Generic, label: \"n\", pos: Point(x: 0.0, y: 0.0), size: Size(w: 10.0, h: 10.0))"))
        .collect();
    fs::write(&path, session_with_serving_nodes(&nodes.join(","))).expect("write");
    let err = load_session(&path).expect_err("too many nodes");
    assert!(err.to_string().contains("100000 nodes"), "{err}");
    assert!(err.to_string().contains("Serving"), "{err}");
}

#[test]
fn nan_and_huge_coordinates_are_clamped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("nan.mlsd");
    let node = "Node(id: NodeId(3), kind: Cache, label: \"c\", pos: Point(x: NaN, y: 1e38), size: Size(w: inf, h: -5.0))";
    fs::write(&path, session_with_serving_nodes(node)).expect("write");
    let session = load_session(&path).expect("clamped, not refused");
    let n = &session.diagram(SERVING_DIAGRAM).expect("serving").nodes[0];
    assert_eq!((n.pos.x, n.pos.y), (0.0, mlsd_studio::diagram::MAX_COORD));
    assert!(n.size.w.is_finite() && n.size.h >= 20.0);
    assert!(session.diagram(SERVING_DIAGRAM).expect("serving").next_id >= 3);
}

#[test]
fn an_edited_estimate_round_trips_and_older_files_open_without_one() {
    // Files written before the estimator existed open with the case's figures.
    let old = load_session(Path::new("tests/fixtures/session-v1.mlsd")).expect("opens");
    assert_eq!(old.estimate, None);
    let example =
        load_session(Path::new("examples/harmful-content-detection.mlsd")).expect("opens");
    assert_eq!(example.estimate, None);

    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut session = worked_session();
    let mut inputs = content::EstimateInputs::from_case(study);
    inputs.daily_active_users = 450e6;
    inputs.sizing.hardware = "gpu-l4".into();
    session.estimate = Some(inputs.clone());
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("estimate.mlsd");
    save_session(&path, &session).expect("save");
    let text = fs::read_to_string(&path).expect("read");
    assert!(text.contains("estimate:"), "{text}");
    let loaded = load_session(&path).expect("load");
    assert_eq!(loaded.estimate, Some(inputs));

    // An unknown field inside the estimate is refused with its position.
    let spoiled = text.replace("catalog_items:", "catalogue_items:");
    let bad = dir.path().join("bad.mlsd");
    fs::write(&bad, &spoiled).expect("write");
    let err = load_session(&bad).expect_err("refused").to_string();
    assert!(
        err.contains("bad.mlsd:") && err.contains("catalogue_items"),
        "{err}"
    );
}

#[test]
fn a_history_with_times_out_of_order_is_refused_naming_the_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.mlsd");
    let mut s = worked_session();
    assert!(!s.history.moments.is_empty(), "answers are recorded");
    s.history.moments[0].at_secs = -5.0;
    save_session(&path, &s).expect("saved");
    let before = fs::read(&path).expect("read");
    let err = load_session(&path).expect_err("refused").to_string();
    assert!(
        err.contains("history.mlsd") && err.contains("history"),
        "{err}"
    );
    assert_eq!(fs::read(&path).expect("read"), before, "left unchanged");
}
