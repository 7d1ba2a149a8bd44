//! A remote mock interview between two copies of the app in one process:
//! the candidate shares from the start dialog, the interviewer joins from
//! the join dialog, and each acts through the app's own widgets.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::app::{LinkState, Screen};
use mlsd_studio::ui::StudioApp;

mod common;

type App = Harness<'static, StudioApp>;

fn app(dir: &std::path::Path) -> App {
    // The configuration turns relays off: the two apps meet on this machine.
    common::start(common::app_config(dir, None, Vec::new()), [1280.0, 800.0])
}

/// Steps `h` until it settles; a spinner (a link being set up) never
/// settles, and that is fine here.
fn settle(h: &mut App) {
    h.try_run().ok();
}

/// Steps both apps, giving the network time, until `done`.
fn run_both(a: &mut App, b: &mut App, what: &str, done: impl Fn(&App, &App) -> bool) {
    for _ in 0..800 {
        a.run_steps(1);
        b.run_steps(1);
        if done(a, b) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    let said = |h: &App| {
        let s = h.state().app_state();
        (
            s.status().map(str::to_owned),
            s.link_line(),
            answer_of(h, 0),
            h.state().open_session().map(|o| o.session.current_step),
        )
    };
    panic!(
        "{what} never happened; the candidate's app says {:?}, the interviewer's {:?}",
        said(a),
        said(b)
    );
}

/// The candidate starts a shared mock; returns the invitation's text.
fn start_shared_mock(a: &mut App) -> String {
    a.get_all_by_label("Mock interview")
        .next()
        .expect("a mock button")
        .click();
    settle(a);
    a.get_by_label("With an interviewer on another computer")
        .click();
    settle(a);
    a.get_by_label("Start the interview").click();
    settle(a);
    // The invitation window is up, with the copy button and the QR code.
    a.get_by_label("Copy invitation");
    a.get_by_label("Invitation as a QR code");
    assert!(
        !a.state().app_state().interviewer_window(),
        "the rubric stays off the candidate's screen"
    );
    a.state()
        .app_state()
        .sharing()
        .expect("sharing is on")
        .invitation
        .clone()
}

fn join(b: &mut App, ticket: &str, name: &str) {
    b.get_by_label("Join a mock interview…").click();
    settle(b);
    b.get_by_role_and_label(Role::MultilineTextInput, "Invitation")
        .click();
    settle(b);
    b.get_by_role_and_label(Role::MultilineTextInput, "Invitation")
        .type_text(ticket);
    settle(b);
    let field = b.get_by_role_and_label(Role::TextInput, "Your name");
    field.click();
    settle(b);
    b.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    b.get_by_role_and_label(Role::TextInput, "Your name")
        .type_text(name);
    settle(b);
    b.get_by_label("Join").click();
    settle(b);
}

/// Types `text` into the candidate's answer on the page.
fn type_answer(a: &mut App, text: &str) {
    let answer = Role::MultilineTextInput;
    a.get_by_role_and_label(answer, "Your answer")
        .scroll_to_me();
    settle(a);
    a.get_by_role_and_label(answer, "Your answer").click();
    settle(a);
    a.get_by_role_and_label(answer, "Your answer")
        .type_text(text);
    settle(a);
}

fn answer_of(h: &App, step: usize) -> String {
    h.state()
        .open_session()
        .map(|o| o.session.steps[step].answer.clone())
        .unwrap_or_default()
}

#[test]
fn an_interviewer_joins_follows_the_answers_moves_the_step_and_sends_scores() {
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let (mut a, mut b) = (app(da.path()), app(db.path()));
    let ticket = start_shared_mock(&mut a);
    join(&mut b, &ticket, "Robin");
    run_both(&mut a, &mut b, "the interviewer's view", |a, b| {
        b.state().app_state().screen() == &Screen::Interviewing
            && b.state().open_session().is_some()
            && a.state().app_state().link_line().as_deref() == Some("● Sharing with Robin")
    });
    b.get_by_label("Rubric");
    b.get_by_label("● Live");

    // The candidate types; the interviewer's page shows it.
    type_answer(&mut a, "Maximise revenue through calibrated pCTR");
    run_both(&mut a, &mut b, "the answer to arrive", |_, b| {
        answer_of(b, 0).contains("calibrated pCTR")
    });
    settle(&mut b);
    assert!(
        b.query_all_by_label_contains("calibrated pCTR").count() > 0,
        "the answer is on the interviewer's page"
    );

    // The interviewer moves the candidate on; the candidate sees it.
    b.get_by_label("Next step").click();
    settle(&mut b);
    run_both(&mut a, &mut b, "the step change", |a, b| {
        a.state().open_session().map(|o| o.session.current_step) == Some(2)
            && b.state()
                .open_session()
                .and_then(|o| o.session.mock.as_ref())
                .map(|m| m.clock_step)
                == Some(2)
    });
    assert_eq!(
        a.state().app_state().status(),
        Some("The interviewer moved to step 2.")
    );

    // A private note and a shared one, a score, then the end.
    for text in ["Strong on calibration", "Private: rushed the data step"] {
        let note = b.get_by_role_and_label(Role::TextInput, "Note");
        note.click();
        settle(&mut b);
        b.get_by_role_and_label(Role::TextInput, "Note")
            .type_text(text);
        settle(&mut b);
        b.get_by_label("Add note").click();
        settle(&mut b);
    }
    b.get_all_by_label("End interview")
        .next()
        .expect("an end button")
        .click();
    settle(&mut b);
    run_both(&mut a, &mut b, "the end", |a, b| {
        let finished = |h: &App| {
            h.state()
                .open_session()
                .and_then(|o| o.session.mock.as_ref())
                .is_some_and(|m| m.is_finished())
        };
        finished(a) && finished(b)
    });
    settle(&mut b);
    b.get(
        egui_kittest::kittest::by()
            .role(Role::CheckBox)
            .label_contains("Strong on calibration"),
    )
    .click();
    settle(&mut b);
    b.get_by_label("Send scores and 1 note").click();
    settle(&mut b);
    run_both(&mut a, &mut b, "the scores to land", |a, b| {
        a.state()
            .open_session()
            .and_then(|o| o.session.mock.as_ref())
            .is_some_and(|m| m.remote_interviewer.is_some())
            && b.state()
                .app_state()
                .joined()
                .is_some_and(|j| j.delivered())
    });
    let mock = a
        .state()
        .open_session()
        .and_then(|o| o.session.mock.clone())
        .expect("a mock");
    assert_eq!(mock.remote_interviewer.as_deref(), Some("Robin"));
    let texts: Vec<_> = mock.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Strong on calibration"],
        "the private note stays private"
    );
    let candidate = a.state().open_session().expect("open").session.clone();
    let study = a.state().app_state().open_study().expect("a study").clone();
    let report = mlsd_studio::export::report(
        &candidate,
        &study,
        None,
        mlsd_studio::export::ReportFormat::Md,
    );
    assert!(report.contains("the interviewer, Robin, from their own computer"));
    assert!(report.contains("Strong on calibration"));
    assert!(!report.contains("rushed the data step"));
    // The interviewer's own copy keeps both notes.
    let own = b
        .state()
        .open_session()
        .and_then(|o| o.session.mock.clone())
        .expect("the interviewer's copy");
    assert_eq!(own.notes.len(), 2);
    assert!(b.state().open_session().is_some_and(|o| o.dirty));

    // The candidate ends the sharing; the interviewer's app says so.
    a.get_by_label("End sharing").click();
    settle(&mut a);
    run_both(&mut a, &mut b, "the goodbye", |_, b| {
        matches!(
            b.state().app_state().joined().map(|j| &j.link),
            Some(LinkState::Closed(_))
        )
    });
    assert!(a.state().app_state().link_line().is_none());
    b.get_by_label_contains("Link closed: The candidate ended the sharing");
}

#[test]
fn a_damaged_invitation_is_explained_in_the_dialog() {
    let dir = tempfile::tempdir().expect("dir");
    let mut b = app(dir.path());
    join(&mut b, "mlsd1-this-is-not-it", "Robin");
    b.get_by_label_contains("is damaged");
    b.snapshot("join_dialog");
    assert!(b.state().app_state().joined().is_none());
    b.get_by_label("Cancel").click();
    settle(&mut b);
    assert!(b.state().app_state().join_dialog().is_none());
}

#[test]
fn a_dropped_link_reconnects_and_work_on_both_sides_survives() {
    let (da, db) = (
        tempfile::tempdir().expect("dir"),
        tempfile::tempdir().expect("dir"),
    );
    let (mut a, mut b) = (app(da.path()), app(db.path()));
    let ticket = start_shared_mock(&mut a);
    join(&mut b, &ticket, "Robin");
    run_both(&mut a, &mut b, "the join", |_, b| {
        b.state().open_session().is_some()
    });

    b.state()
        .app_state()
        .joined()
        .expect("joined")
        .cut_connection();
    // While the link is down, the candidate writes and the interviewer
    // takes a note.
    type_answer(&mut a, "Written while the link was down");
    b.get_by_role_and_label(Role::TextInput, "Note").click();
    settle(&mut b);
    b.get_by_role_and_label(Role::TextInput, "Note")
        .type_text("Noted offline");
    settle(&mut b);
    b.get_by_label("Add note").click();
    settle(&mut b);

    run_both(&mut a, &mut b, "the reconnect and catch-up", |_, b| {
        let joined = b.state().app_state().joined();
        joined.is_some_and(|j| j.reconnects == 1 && j.link == LinkState::Live)
            && answer_of(b, 0) == "Written while the link was down"
    });
    let notes = b
        .state()
        .open_session()
        .and_then(|o| o.session.mock.as_ref())
        .map(|m| m.notes.len());
    assert_eq!(notes, Some(1), "the interviewer's note survived the drop");
}
