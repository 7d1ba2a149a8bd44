//! Replaying a session: the timeline steps through the recorded changes,
//! showing the answers and the diagram as they were, plays, exports the
//! diagram's states as SVG frames, and closes back to the practice page.

mod common;

use std::path::{Path, PathBuf};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::content;
use mlsd_studio::diagram::{ComponentKind, DiagramEdit, Point};
use mlsd_studio::session::{Session, SessionEdit, load_session, save_session};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

/// The example with a history: an answer at 1 min, a node added to
/// "Serving" at 3 min, the answer again at 8 min.
fn session_with_history(dir: &Path) -> (PathBuf, Session) {
    let library = content::bundled();
    let mut session = load_session(Path::new(EXAMPLE)).expect("the example loads");
    let study = library.get(&session.case_study).expect("shipped");
    let set_answer = |session: &mut Session, text: &str| {
        let edit = SessionEdit::SetAnswer {
            step: 1,
            text: text.into(),
        };
        assert!(session.apply(study, edit, 0.0));
    };
    let spent = session.total_seconds();
    session.add_time(60.0);
    set_answer(&mut session, "First draft: 10M daily users.");
    session.add_time(120.0);
    let before = session.diagram("Serving").cloned();
    let serving = session
        .diagrams
        .iter_mut()
        .find(|d| d.name == "Serving")
        .expect("serving");
    serving.diagram.apply(DiagramEdit::AddNode {
        kind: ComponentKind::Cache,
        pos: Point::new(2_000.0, 2_000.0),
    });
    session.record_diagram("Serving", before);
    session.add_time(300.0);
    set_answer(
        &mut session,
        "Second draft: 50M daily users, p99 under 200 ms.",
    );
    assert_eq!(session.history.span(), (spent + 59.0, spent + 480.0));
    let file = dir.join("replayed.mlsd");
    save_session(&file, &session).expect("saved");
    (file, session)
}

fn answer_shown(h: &Harness<'_, StudioApp>, text: &str) -> bool {
    h.query_by_label(text).is_some()
}

#[test]
fn the_timeline_steps_plays_exports_and_closes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (file, original) = session_with_history(dir.path());
    let frames = dir.path().join("frames").join("serving.svg");
    std::fs::create_dir_all(frames.parent().expect("folder")).expect("folder");
    let config = common::app_config(dir.path(), Some(file.clone()), vec![Some(frames.clone())]);
    let mut h = common::start(config, [1280.0, 800.0]);
    h.get_by_label("Go").click();
    h.run_steps(2);
    h.get_by_label("Replay the session").click();
    h.run_steps(4);
    let (start, end) = original.history.span();
    let clock = |t: f64| mlsd_studio::format::format_clock(t);
    // At the start, the answers as they were before the first change.
    h.get_by_label(&format!("{} of {}", clock(start), clock(end)));
    let first = "First draft: 10M daily users.";
    let second = "Second draft: 50M daily users, p99 under 200 ms.";
    assert!(!answer_shown(&h, first) && !answer_shown(&h, second));
    // The first change is the first draft.
    h.get_by_label("Change ▶").click();
    h.run_steps(2);
    assert!(answer_shown(&h, first));
    // No diagram has changed yet: the first one is on show, as it is.
    let counts = |d: &mlsd_studio::diagram::Diagram| {
        format!(
            "{} nodes, {} edges at this moment",
            d.nodes.len(),
            d.edges.len()
        )
    };
    h.get_by_label(&counts(&original.diagrams[0].diagram));
    // Picked by name, "Serving" shows as it was: without the node added
    // at 3 min.
    h.get_by_label("Diagram").click();
    h.run_steps(2);
    h.get_by_role_and_label(Role::Button, "Serving").click();
    h.run_steps(2);
    let serving = original.diagram("Serving").expect("serving");
    let (nodes, edges) = (serving.nodes.len(), serving.edges.len());
    h.get_by_label(&format!(
        "{} nodes, {edges} edges at this moment",
        nodes - 1
    ));
    h.get_by_label("Change ▶").click();
    h.run_steps(2);
    h.get_by_label(&counts(serving));
    h.run_steps(4);
    // The status bar names the temporary file; the session clock runs.
    common::mask_status_bar_and_clock(&mut h, 1280.0, 800.0);
    h.snapshot("replay");
    h.get_by_label("Change ▶").click();
    h.run_steps(2);
    assert!(answer_shown(&h, second) && !answer_shown(&h, first));
    h.get_by_label(&format!("{} of {}", clock(end), clock(end)));
    // Back one change: the first draft again.
    h.get_by_label("◀ Change").click();
    h.run_steps(2);
    assert!(answer_shown(&h, first));
    // The slider goes to any moment: one second before the end is still
    // before the second draft.
    h.get_by_label("Time").set_value_accesskit(end - 1.0);
    h.run_steps(2);
    h.get_by_label(&format!("{} of {}", clock(end - 1.0), clock(end)));
    assert!(answer_shown(&h, first) && !answer_shown(&h, second));
    h.get_by_label("Time").set_value_accesskit(end);
    h.run_steps(2);
    assert!(answer_shown(&h, second));
    h.get_by_label("◀ Change").click();
    h.run_steps(2);
    // Playing moves the clock on; the end of the history stops it.
    h.get_by_role_and_label(Role::Button, "16×").click();
    h.get_by_role_and_label(Role::Button, "Play").click();
    h.run_steps(30);
    h.get_by_role_and_label(Role::Button, "Pause");
    assert!(
        h.query_by_label(&format!("{} of {}", clock(start + 181.0), clock(end)))
            .is_none(),
        "the clock moved on from the first draft"
    );
    h.get_by_role_and_label(Role::Button, "Pause").click();
    h.run_steps(2);
    // Export: the two states of "Serving" as numbered SVG frames.
    h.get_by_role_and_label(Role::Button, "Export frames…")
        .click();
    for _ in 0..20 {
        h.run_steps(1);
    }
    let mut written: Vec<String> = std::fs::read_dir(frames.parent().expect("folder"))
        .expect("listed")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    assert_eq!(written.len(), 2, "{written:?}");
    assert!(written[0].starts_with("serving-001-") && written[1].starts_with("serving-002-"));
    let last = std::fs::read_to_string(frames.with_file_name(&written[1])).expect("read");
    let first_frame = std::fs::read_to_string(frames.with_file_name(&written[0])).expect("read");
    assert!(last.contains("<svg") && first_frame.contains("<svg"));
    assert!(
        last.len() > first_frame.len(),
        "the later frame has the added node"
    );
    // Closing goes back to the practice page; the session is unchanged.
    h.get_by_role_and_label(Role::Button, "Close replay")
        .click();
    h.run_steps(4);
    assert!(h.query_by_label("Change ▶").is_none());
    let open = h.state().open_session().expect("open");
    assert_eq!(open.session.history, original.history);
}

#[test]
fn a_session_without_history_says_so_and_answers_start_recording() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    // Tall, so the answer box is on screen without scrolling.
    let mut h = common::start(config, [1280.0, 2400.0]);
    h.get_by_label("Harmful content detection").click();
    h.run_steps(4);
    assert!(
        h.state()
            .open_session()
            .expect("open")
            .session
            .history
            .is_empty()
    );
    h.get_by_label("Go").click();
    h.run_steps(2);
    h.get_by_label("Replay the session").click();
    h.run_steps(4);
    h.get_by_label_contains("This session has no history yet");
    // Back on the page, typing an answer starts the history.
    h.get_by_role_and_label(Role::Button, "Close replay")
        .click();
    h.run_steps(4);
    h.get_by_role_and_label(Role::MultilineTextInput, "Your answer")
        .click();
    h.run();
    h.get_by_role_and_label(Role::MultilineTextInput, "Your answer")
        .type_text(" Also: 2 s freshness.");
    h.run_steps(4);
    let session = &h.state().open_session().expect("open").session;
    let history = &session.history;
    assert!(
        session
            .step(session.current_step)
            .answer
            .ends_with(" Also: 2 s freshness."),
        "typed: {:?} step {}",
        session.step(session.current_step).answer,
        session.current_step
    );
    assert_eq!(history.moments.len(), 1, "{history:?}");
    assert_eq!(history.start.len(), 1, "the answer as it was before");
    h.get_by_label("Go").click();
    h.run_steps(2);
    h.get_by_label("Replay the session").click();
    h.run_steps(4);
    assert!(h.query_by_label_contains("no history yet").is_none());
    assert!(h.query_by_label_contains("Also: 2 s freshness.").is_none());
    h.get_by_label("Change ▶").click();
    h.run_steps(2);
    h.get_by_label_contains("Also: 2 s freshness.");
}
