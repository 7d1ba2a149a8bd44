//! The app state without a window: commands in, effects out, follow-ups
//! queued, the session and mock rules, and simulation jobs.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mlsd_studio::app::{
    AppState, Command, DiagramAction, Effect, FilePurpose, MockAction, Modal, RemoteAction,
    SimAction, StateConfig,
};
use mlsd_studio::content;
use mlsd_studio::diagram::{DiagramEdit, SERVING_DIAGRAM};
use mlsd_studio::export::{ExportFormat, ReportFormat};
use mlsd_studio::framework::MAX_TICK_GAP_SECS;
use mlsd_studio::mock::{MockConfig, MockMode};
use mlsd_studio::session::SessionEdit;
use mlsd_studio::settings::Settings;

const CASE: &str = "harmful-content-detection";
const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn state(dir: &Path) -> AppState {
    AppState::new(StateConfig {
        library: content::bundled(),
        settings: Settings::default(),
        recovery_dir: dir.join("recovery"),
        progress_path: dir.join("history.ron"),
        waker: Arc::new(|| {}),
        no_relay: true,
    })
}

fn answer(step: u8, text: &str) -> Command {
    SessionEdit::SetAnswer {
        step,
        text: text.into(),
    }
    .into()
}

#[test]
fn a_guarded_command_waits_for_the_save_and_then_runs_from_the_queue() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase(CASE.into()), 0.0);
    s.apply(answer(1, "my scoping"), 1.0);
    assert!(s.dirty());

    // Starting another case would lose the answer: the app asks first.
    s.apply(Command::StartCase("visual-search".into()), 2.0);
    assert!(matches!(s.modal(), Some(Modal::UnsavedChanges { .. })));
    assert_eq!(
        s.open_session().map(|o| o.session.case_study.as_str()),
        Some(CASE)
    );

    // Saving an unsaved session asks for a file.
    let effects = s.apply(Command::ConfirmSave, 3.0);
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::ChooseFile {
            purpose: FilePurpose::Save,
            ..
        }
    )));
    assert!(s.choosing_file());

    // Once the file is chosen, the save and then the waiting command run.
    let file = dir.path().join("first.mlsd");
    let effects = s.apply(
        Command::FileChosen {
            purpose: FilePurpose::Save,
            path: Some(file.clone()),
        },
        4.0,
    );
    assert!(file.exists());
    assert!(!s.choosing_file());
    let open = s.open_session().expect("a session is open");
    assert_eq!(open.session.case_study, "visual-search");
    assert!(!open.dirty);
    assert!(effects.contains(&Effect::PageChanged));
}

#[test]
fn a_cancelled_save_dialog_drops_the_waiting_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase(CASE.into()), 0.0);
    s.apply(answer(2, "framing"), 1.0);
    s.apply(Command::Quit, 2.0);
    s.apply(Command::ConfirmSave, 3.0);
    let effects = s.apply(
        Command::FileChosen {
            purpose: FilePurpose::Save,
            path: None,
        },
        4.0,
    );
    assert!(!effects.contains(&Effect::Close));
    assert!(s.dirty());
    assert!(!s.close_confirmed());
}

#[test]
fn next_step_in_a_mock_marks_done_moves_and_moves_the_clock_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    let config = MockConfig::new(45, MockMode::Solo);
    s.apply(
        MockAction::Start {
            case_id: CASE.into(),
            config,
        }
        .into(),
        100.0,
    );
    s.apply(Command::Tick { focused: true }, 100.0);
    s.apply(Command::Tick { focused: true }, 130.0);
    s.apply(MockAction::NextStep.into(), 160.0);
    let session = &s.open_session().expect("open").session;
    assert_eq!(session.current_step, 2);
    assert!(session.step(1).done);
    assert!(!session.step(2).done);
    let mock = session.mock.as_ref().expect("mock");
    assert_eq!(mock.clock_step, 2);
    // All 60 s went to step 1: 30 by ticks, 30 when the step changed.
    assert!(
        (mock.elapsed_secs(1) - 60.0).abs() < 1e-9,
        "{}",
        mock.elapsed_secs(1)
    );
    assert_eq!(mock.elapsed_secs(2), 0.0);
}

#[test]
fn going_to_a_step_moves_the_mock_clock_with_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    let config = MockConfig::new(45, MockMode::Solo);
    s.apply(
        MockAction::Start {
            case_id: CASE.into(),
            config,
        }
        .into(),
        0.0,
    );
    s.apply(SessionEdit::GoToStep(4).into(), 20.0);
    s.apply(Command::Tick { focused: true }, 30.0);
    let mock = s
        .open_session()
        .and_then(|o| o.session.mock.as_ref())
        .expect("mock");
    assert_eq!(mock.clock_step, 4);
    assert!((mock.elapsed_secs(1) - 20.0).abs() < 1e-9);
    assert!((mock.elapsed_secs(4) - 10.0).abs() < 1e-9);
}

#[test]
fn step_time_counts_only_in_view_and_not_across_a_sleep() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase(CASE.into()), 0.0);
    let spent = |s: &AppState| {
        s.open_session()
            .expect("open")
            .session
            .step(1)
            .seconds_spent
    };
    s.apply(Command::Tick { focused: true }, 1.0);
    s.apply(Command::Tick { focused: true }, 3.0);
    assert!((spent(&s) - 2.0).abs() < 1e-9);
    // Out of view: nothing counts, including the gap that ends it.
    s.apply(Command::Tick { focused: false }, 10.0);
    s.apply(Command::Tick { focused: true }, 20.0);
    assert!((spent(&s) - 2.0).abs() < 1e-9);
    // A gap longer than the threshold is a sleep.
    s.apply(Command::Tick { focused: true }, 21.0 + MAX_TICK_GAP_SECS);
    assert!((spent(&s) - 2.0).abs() < 1e-9);
    s.apply(Command::Tick { focused: true }, 25.0 + MAX_TICK_GAP_SECS);
    assert!((spent(&s) - 6.0).abs() < 1e-9, "{}", spent(&s));
}

/// Ticks until `done` holds, for at most a minute of wall time.
fn tick_until(s: &mut AppState, now: &mut f64, done: impl Fn(&AppState) -> bool) {
    let started = Instant::now();
    while !done(s) {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the simulation never finished"
        );
        std::thread::sleep(Duration::from_millis(10));
        *now += 0.01;
        s.apply(Command::Tick { focused: true }, *now);
    }
}

fn sim(diagram: &str, action: SimAction) -> Command {
    Command::Sim {
        diagram: diagram.into(),
        action,
    }
}

#[test]
fn a_live_simulation_reruns_on_each_revision_and_its_result_reaches_the_report() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    let mut now = 0.0;
    s.apply(Command::OpenPath(PathBuf::from(EXAMPLE)), now);
    s.apply(sim(SERVING_DIAGRAM, SimAction::SetOpen(true)), now);
    let mut inputs = s.sims().get(SERVING_DIAGRAM).expect("made").inputs.clone();
    inputs.requests = 5_000;
    inputs.replications = 2;
    s.apply(sim(SERVING_DIAGRAM, SimAction::SetInputs(inputs)), now);
    assert!(s.sims().any_running());
    tick_until(&mut s, &mut now, |s| {
        s.sims()
            .get(SERVING_DIAGRAM)
            .and_then(|d| d.result())
            .is_some()
    });
    let first = s.sims().get(SERVING_DIAGRAM).and_then(|d| d.result());
    assert_eq!(first.map(|r| r.revision), Some(0));

    // An edit makes a new revision, and the live simulator runs on it.
    let node = s
        .open_session()
        .and_then(|o| o.session.diagram(SERVING_DIAGRAM))
        .and_then(|d| d.nodes.first())
        .map(|n| n.id)
        .expect("the example has nodes");
    s.apply(
        Command::Diagram {
            name: SERVING_DIAGRAM.into(),
            action: DiagramAction::Edit(DiagramEdit::RenameNode {
                id: node,
                label: "Renamed entry".into(),
            }),
        },
        now,
    );
    tick_until(&mut s, &mut now, |s| {
        s.sims()
            .get(SERVING_DIAGRAM)
            .and_then(|d| d.result())
            .is_some_and(|r| r.revision == 1)
    });

    // The report written from anywhere carries the last result.
    s.apply(Command::GoHome, now);
    let out = dir.path().join("report.md");
    s.apply(
        Command::FileChosen {
            purpose: FilePurpose::Report(ReportFormat::Md),
            path: Some(out.clone()),
        },
        now,
    );
    let text = std::fs::read_to_string(&out).expect("report written");
    assert!(text.contains("Simulator results"), "{text}");
}

#[test]
fn leaving_the_page_cancels_a_run_and_hiding_the_simulator_stops_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::OpenPath(PathBuf::from(EXAMPLE)), 0.0);
    s.apply(sim(SERVING_DIAGRAM, SimAction::SetOpen(true)), 0.0);
    assert!(s.sims().any_running());
    s.apply(Command::GoHome, 0.1);
    assert!(!s.sims().any_running());

    s.apply(Command::ResumeOpen, 0.2);
    s.apply(sim(SERVING_DIAGRAM, SimAction::Run), 0.3);
    assert!(s.sims().any_running());
    s.apply(sim(SERVING_DIAGRAM, SimAction::SetOpen(false)), 0.4);
    assert!(!s.sims().any_running());
}

#[test]
fn a_diagram_edit_asks_the_view_to_select_what_it_added() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase(CASE.into()), 0.0);
    let effects = s.apply(
        Command::Diagram {
            name: SERVING_DIAGRAM.into(),
            action: DiagramAction::AddAndRename(DiagramEdit::AddNode {
                kind: mlsd_studio::diagram::ComponentKind::ALL[0],
                pos: mlsd_studio::diagram::Point { x: 10.0, y: 10.0 },
            }),
        },
        1.0,
    );
    assert!(effects.iter().any(|e| matches!(
        e,
        Effect::DiagramView {
            change: mlsd_studio::app::ViewChange::Rename { .. },
            ..
        }
    )));
    assert_eq!(s.undo_state(SERVING_DIAGRAM), (true, false));
    assert!(s.dirty());
}

#[test]
fn copying_the_reference_is_one_undoable_edit_of_a_new_diagram() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase("video-recommendation".into()), 0.0);
    let reference_nodes = s
        .reference()
        .and_then(|r| r.diagram(SERVING_DIAGRAM))
        .map(|d| d.nodes.len())
        .expect("a reference ships");
    s.apply(Command::CopyReference(SERVING_DIAGRAM.into()), 1.0);
    let copy = "Serving (reference)";
    let nodes = |s: &AppState| {
        s.open_session()
            .and_then(|o| o.session.diagram(copy))
            .map(|d| d.nodes.len())
    };
    assert_eq!(nodes(&s), Some(reference_nodes));
    s.apply(
        Command::Diagram {
            name: copy.into(),
            action: DiagramAction::Undo,
        },
        2.0,
    );
    assert_eq!(nodes(&s), Some(0), "one undo takes the whole copy back");
}

fn error_body(s: &AppState) -> String {
    match s.modal() {
        Some(Modal::Message { body, .. }) => body.clone(),
        other => panic!("expected an error message, got {other:?}"),
    }
}

#[test]
fn the_app_opens_no_pipe_and_exports_over_no_session() {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = dir.path().join("s.mlsd");
    fs::copy(EXAMPLE, &session).expect("copy the example");
    let original = fs::read(&session).expect("read");
    let mut s = state(dir.path());
    #[cfg(unix)]
    {
        let pipe = dir.path().join("pipe.mlsd");
        let made = std::process::Command::new("mkfifo")
            .arg(&pipe)
            .status()
            .expect("mkfifo");
        assert!(made.success());
        s.apply(Command::OpenPath(pipe), 0.0);
        assert!(error_body(&s).contains("named pipe"), "{}", error_body(&s));
        s.apply(Command::DismissModal, 0.0);
    }
    s.apply(Command::OpenPath(session.clone()), 0.0);
    assert!(s.open_session().is_some());
    let purposes = [
        FilePurpose::Export {
            diagram: "Serving".into(),
            format: ExportFormat::Svg,
        },
        FilePurpose::Report(ReportFormat::Html),
    ];
    for purpose in purposes {
        s.apply(
            Command::FileChosen {
                purpose,
                path: Some(session.clone()),
            },
            1.0,
        );
        assert!(error_body(&s).contains("that is the session being exported"));
        s.apply(Command::DismissModal, 1.0);
    }
    assert_eq!(fs::read(&session).expect("read"), original);
}

#[test]
fn the_estimate_starts_from_the_case_is_kept_in_the_session_and_drives_the_simulator() {
    use mlsd_studio::app::EstimateAction;
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::StartCase(CASE.into()), 0.0);
    let study = s.open_study().expect("open").clone();
    assert!(!s.estimator_open());
    s.apply(EstimateAction::SetOpen(true).into(), 0.0);
    assert!(s.estimator_open());
    // Seeded from the case's scenario and sizing; nothing saved until edited.
    let seeded = s.estimate_inputs().expect("inputs");
    assert_eq!(seeded, content::EstimateInputs::from_case(&study));
    assert!(!s.dirty());

    let mut edited = seeded.clone();
    edited.daily_active_users = 600e6;
    s.apply(EstimateAction::SetInputs(edited.clone()).into(), 0.0);
    assert!(s.dirty());
    assert_eq!(s.estimate_inputs(), Some(edited.clone()));
    assert_eq!(
        s.open_session().and_then(|o| o.session.estimate.clone()),
        Some(edited)
    );

    // Twice the DAU of the case: twice its peak reaches the simulator.
    s.apply(
        EstimateAction::UseAsTraffic {
            diagram: SERVING_DIAGRAM.into(),
        }
        .into(),
        0.0,
    );
    let sim = s.sims().get(SERVING_DIAGRAM).expect("made");
    assert!(sim.open);
    let expected =
        600e6 * study.scenario.requests_per_user_per_day / 86_400.0 * study.scenario.peak_to_mean;
    assert!(
        (sim.inputs.qps - expected).abs() < 1e-6,
        "{}",
        sim.inputs.qps
    );
    assert!(
        s.status().is_some_and(|m| m.contains("12.5K QPS")),
        "{:?}",
        s.status()
    );

    // Impossible figures are not sent on: the message names the field.
    let mut broken = s.estimate_inputs().expect("inputs");
    broken.peak_to_mean = 0.0;
    s.apply(EstimateAction::SetInputs(broken).into(), 0.0);
    s.apply(
        EstimateAction::UseAsTraffic {
            diagram: SERVING_DIAGRAM.into(),
        }
        .into(),
        0.0,
    );
    assert!(
        error_body(&s).contains("peak_to_mean"),
        "{}",
        error_body(&s)
    );
    let still = s.sims().get(SERVING_DIAGRAM).expect("made").inputs.qps;
    assert!((still - expected).abs() < 1e-6);

    // Back to the case's own figures.
    s.apply(Command::DismissModal, 0.0);
    s.apply(EstimateAction::Reset.into(), 0.0);
    assert_eq!(s.estimate_inputs(), Some(seeded));
    assert_eq!(
        s.open_session().and_then(|o| o.session.estimate.clone()),
        None
    );
}

#[test]
fn duplicating_a_diagram_adds_the_next_free_version_with_the_same_nodes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(Command::OpenPath(EXAMPLE.into()), 0.0);
    let duplicate = || Command::Diagram {
        name: SERVING_DIAGRAM.into(),
        action: DiagramAction::Duplicate,
    };
    s.apply(duplicate(), 1.0);
    s.apply(duplicate(), 2.0);
    let session = &s.open_session().expect("open").session;
    let names: Vec<&str> = session.diagrams.iter().map(|d| d.name.as_str()).collect();
    assert!(names.ends_with(&["Serving v2", "Serving v3"]), "{names:?}");
    let original = session.diagram(SERVING_DIAGRAM).expect("serving");
    assert!(!original.nodes.is_empty());
    assert_eq!(session.diagram("Serving v2"), Some(original));
    assert!(s.dirty());
}

#[test]
fn opening_another_session_ends_the_sharing_of_a_remote_mock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut s = state(dir.path());
    s.apply(
        RemoteAction::StartMock {
            case_id: "ad-click-prediction".into(),
            config: MockConfig::new(45, MockMode::Solo),
        }
        .into(),
        0.0,
    );
    let mock = s.open_session().and_then(|o| o.session.mock.as_ref());
    assert_eq!(
        mock.map(|m| m.config.mode),
        Some(MockMode::WithInterviewer),
        "a remote mock always has an interviewer"
    );
    assert!(!s.interviewer_window(), "the rubric stays off this screen");
    let invitation = s.sharing().expect("sharing is on").invitation.clone();
    assert!(invitation.starts_with("mlsd1"));
    assert_eq!(
        s.link_line().as_deref(),
        Some("● Sharing: waiting for the interviewer")
    );

    s.apply(Command::StartCase("visual-search".into()), 1.0);
    assert!(matches!(s.modal(), Some(Modal::UnsavedChanges { .. })));
    assert!(s.sharing().is_some(), "nothing ends before the answer");
    s.apply(Command::ConfirmDiscard, 2.0);
    assert!(s.sharing().is_none());
    assert!(s.link_line().is_none());
}
