//! A whole short mock interview through the app's widgets. The clock is
//! injected: the test sets the frame time the app reads, so nothing sleeps.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::content;
use mlsd_studio::mock::{Competency, rubric};
use mlsd_studio::progress::ProgressStore;
use mlsd_studio::ui::StudioApp;

mod common;

/// Moves the app's clock forward by `secs`, in 30-second frames (longer
/// gaps would count as the machine sleeping).
fn advance(h: &mut Harness<'_, StudioApp>, secs: f64) {
    let mut left = secs;
    while left > 0.0 {
        let hop = left.min(30.0);
        let now = h.ctx.input(|i| i.time);
        h.input_mut().time = Some(now + hop);
        h.step();
        left -= hop;
    }
    h.run();
}

#[test]
fn a_mock_with_an_interviewer_records_scores_notes_and_times() {
    let dir = tempfile::tempdir().expect("temp dir");
    let history_path = dir.path().join("history.ron");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    let study = content::bundled()
        .get("ad-click-prediction")
        .expect("shipped")
        .clone();

    // The first card is ad click prediction.
    h.get_all_by_label("Mock interview")
        .next()
        .expect("a mock button")
        .click();
    h.run();
    h.get_by_label("With an interviewer at this computer")
        .click();
    h.run();
    h.get_by_label("Start the interview").click();
    h.run();
    let mock = |h: &Harness<'_, StudioApp>| {
        h.state()
            .open_session()
            .and_then(|o| o.session.mock.clone())
            .expect("a mock is running")
    };
    assert!(mock(&h).started && !mock(&h).is_finished());
    assert_eq!(
        h.state()
            .open_session()
            .map(|o| o.session.case_study.clone()),
        Some(study.id.clone())
    );

    // The interviewer's window is open (embedded in the harness).
    h.get_by_label("Move candidate to next step");

    // The candidate answers; the interviewer sees it live.
    let answer = egui::accesskit::Role::MultilineTextInput;
    h.get_by_role_and_label(answer, "Your answer")
        .scroll_to_me();
    h.run();
    h.get_by_role_and_label(answer, "Your answer").click();
    h.run();
    h.get_by_role_and_label(answer, "Your answer")
        .type_text("Goal: calibrated pCTR for the auction.");
    h.run();
    let typed = h
        .state()
        .open_session()
        .map(|o| o.session.step(1).answer.clone());
    assert_eq!(
        typed.as_deref(),
        Some("Goal: calibrated pCTR for the auction.")
    );
    assert!(
        h.query_all_by_label_contains("calibrated pCTR")
            .next()
            .is_some(),
        "shown to the interviewer"
    );

    // Step 1 has a 5-minute budget.
    advance(&mut h, 330.0);
    assert!(mock(&h).overrun(1), "{:?}", mock(&h).step_elapsed_secs);
    assert!(
        h.query_all_by_label_contains("Over this step's budget")
            .next()
            .is_some()
    );

    let criterion = &rubric(1)[0];
    h.get_by_label(&format!("{}: 3 solid", criterion.name))
        .click();
    h.run();
    assert_eq!(
        mock(&h).score(1, criterion.id),
        Some(3),
        "status: {:?}",
        h.state().status()
    );
    h.get_by_label(&study.steps[0].follow_ups[0]).click();
    h.run();
    h.get_by_label("Note").scroll_to_me();
    h.run();
    h.get_by_label("Note").click();
    h.run();
    h.get_by_label("Note")
        .type_text("asked for the base CTR before anything else");
    h.run();
    h.get_by_label("Add note").click();
    h.run();
    // The signals are at the bottom of the interviewer's scrolling panel.
    h.get_by_label("Communication: 3").scroll_to_me();
    h.run();
    h.get_by_label("Communication: 3").click();
    h.run();

    h.get_by_label("Move candidate to next step").scroll_to_me();
    h.run();
    h.get_by_label("Move candidate to next step").click();
    h.run();
    assert_eq!(
        h.state().open_session().map(|o| o.session.current_step),
        Some(2)
    );
    advance(&mut h, 60.0);
    // In the timer bar and in the interviewer's window: the interviewer ends it.
    h.get_all_by_label("End interview")
        .last()
        .expect("end button")
        .scroll_to_me();
    h.run();
    h.get_all_by_label("End interview")
        .last()
        .expect("end button")
        .click();
    h.run();

    let m = mock(&h);
    assert!(m.is_finished());
    let session = h
        .state()
        .open_session()
        .map(|o| o.session.clone())
        .expect("open");
    assert_eq!(
        session.step(1).answer,
        "Goal: calibrated pCTR for the auction."
    );
    assert_eq!(m.score(1, criterion.id), Some(3));
    assert!(m.follow_up_asked(1, 0));
    assert_eq!(m.signal(Competency::Communication), Some(3));
    assert_eq!(m.notes.len(), 1);
    assert_eq!(m.notes[0].step, 1);
    assert!(
        m.notes[0].at_secs > 300.0,
        "stamped with the interview clock: {}",
        m.notes[0].at_secs
    );
    assert!(m.step_elapsed_secs[0] > 300.0 && m.step_elapsed_secs[1] > 0.0);
    let saved_time = m.total_elapsed_secs;
    advance(&mut h, 90.0);
    assert_eq!(
        mock(&h).total_elapsed_secs,
        saved_time,
        "the clock stops at the end"
    );

    let entries = ProgressStore::new(&history_path).load().expect("history");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].case_study, "ad-click-prediction");
    assert_eq!(entries[0].step_scores[0], Some(3.0));
}

#[test]
fn pausing_stops_the_interview_clock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_all_by_label("Mock interview")
        .next()
        .expect("a mock button")
        .click();
    h.run();
    h.get_by_label("Start the interview").click();
    h.run();
    advance(&mut h, 60.0);
    h.get_by_label("Pause").click();
    h.run();
    let total = |h: &Harness<'_, StudioApp>| {
        h.state()
            .open_session()
            .and_then(|o| o.session.mock.as_ref())
            .map(|m| m.total_elapsed_secs)
            .expect("mock")
    };
    let paused_at = total(&h);
    advance(&mut h, 120.0);
    assert_eq!(total(&h), paused_at, "no time passes while paused");
    h.get_by_label("Resume").click();
    h.run();
    advance(&mut h, 45.0);
    assert!(total(&h) > paused_at);
    // Solo mode: no interviewer window.
    assert!(h.query_by_label("Move candidate to next step").is_none());

    // At the end the candidate scores themselves and records the result.
    h.get_by_label("End interview").click();
    h.run();
    h.get_by_label("Score yourself");
    let criterion = &rubric(1)[1];
    h.get_by_label(&format!("{}: 2 partial", criterion.name))
        .click();
    h.run();
    let scored = h
        .state()
        .open_session()
        .and_then(|o| o.session.mock.as_ref())
        .and_then(|m| m.score(1, criterion.id));
    assert_eq!(scored, Some(2));
    assert!(
        h.query_all_by_label_contains("Checklist points you missed")
            .next()
            .is_some()
    );
    h.get_by_label("Record in progress history").scroll_to_me();
    h.run();
    h.get_by_label("Record in progress history").click();
    h.run();
    let entries = ProgressStore::new(dir.path().join("history.ron"))
        .load()
        .expect("history");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].step_scores[0], Some(2.0));
}

#[test]
fn a_running_mock_hides_the_checklist_hints_and_reference_until_it_ends() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1400.0, 1000.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_all_by_label("Mock interview")
        .next()
        .expect("a mock button")
        .click();
    h.run();
    h.get_by_label("Start the interview").click();
    h.run();
    let coaching_shown = |h: &Harness<'_, StudioApp>| {
        h.query_all_by_label_contains("Tick what your answer covers")
            .next()
            .is_some()
            || h.query_by_label("Reveal reference answer").is_some()
            || h.query_all_by_label_contains("Reveal next hint")
                .next()
                .is_some()
    };
    assert!(!coaching_shown(&h), "nothing that gives the answer away");
    h.get_by_label_contains("hidden until the interview ends");
    // Moving on keeps them hidden.
    h.get_by_label("Next step").click();
    h.run();
    assert!(!coaching_shown(&h));

    h.get_by_label("End interview").click();
    h.run();
    assert!(coaching_shown(&h), "the debrief brings them back");
    assert!(
        h.query_all_by_label_contains("hidden until the interview ends")
            .next()
            .is_none()
    );
}
