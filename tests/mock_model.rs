//! The mock-interview model: a clock driven by injected times, validated
//! scoring, notes stamped with the clock, budgets, and repair of bad files.

use mlsd_studio::content;
use mlsd_studio::framework::{MAX_TICK_GAP_SECS, STEPS, Step};
use mlsd_studio::mock::{
    Competency, MockConfig, MockError, MockMode, MockState, Scorer, default_budget_minutes,
    format_clock, rubric,
};
use mlsd_studio::session::{Session, SessionEdit, parse_session, session_to_string};

fn running(start: f64) -> MockState {
    let mut m = MockState::new(MockConfig::new(45, MockMode::WithInterviewer));
    m.start(start);
    m
}

#[test]
fn budgets_for_45_and_60_minutes_are_whole_minutes_that_add_up() {
    let c45 = MockConfig::new(45, MockMode::Solo);
    let c60 = MockConfig::new(60, MockMode::Solo);
    assert_eq!(c45.budgets_secs.iter().sum::<f64>(), 45.0 * 60.0);
    assert_eq!(c60.budgets_secs.iter().sum::<f64>(), 60.0 * 60.0);
    for (b, s) in c45.budgets_secs.iter().zip(STEPS.iter()) {
        assert_eq!(*b, f64::from(s.default_minutes) * 60.0);
    }
    for b in c60.budgets_secs {
        assert_eq!(b % 60.0, 0.0, "whole minutes");
    }
    // Scaling keeps the proportions: model development stays the longest step.
    let m60 = default_budget_minutes(60);
    assert_eq!(m60.iter().max(), Some(&m60[3]));
    assert!(
        m60.iter()
            .zip(default_budget_minutes(45))
            .all(|(a, b)| *a >= b)
    );
}

#[test]
fn budgets_are_editable_but_validated() {
    let mut c = MockConfig::new(45, MockMode::Solo);
    c.set_budget(4, 900.0).expect("valid budget");
    assert_eq!(c.budget_secs(4), 900.0);
    assert!(matches!(
        c.set_budget(4, f64::NAN),
        Err(MockError::BadBudget { .. })
    ));
    assert!(matches!(
        c.set_budget(4, -1.0),
        Err(MockError::BadBudget { .. })
    ));
    assert_eq!(c.set_budget(8, 60.0), Err(MockError::NoSuchStep(8)));
    assert_eq!(c.budget_secs(4), 900.0);
    c.set_length(60).expect("60 is allowed");
    assert_eq!(c.budgets_secs.iter().sum::<f64>(), 3600.0);
    assert_eq!(c.set_length(3), Err(MockError::BadLength(3)));
}

#[test]
fn the_clock_counts_only_while_running_on_the_current_step() {
    let mut m = MockState::default();
    m.tick(10.0);
    assert_eq!(m.total_elapsed_secs, 0.0, "not started: nothing counts");
    m.start(100.0);
    assert!(m.is_running());
    m.tick(130.0);
    m.tick(160.0);
    assert_eq!(m.elapsed_secs(1), 60.0);
    assert_eq!(m.remaining_step_secs(), 5.0 * 60.0 - 60.0);
    m.move_to_step(Step::new(2).expect("step 2 exists"), 190.0);
    assert_eq!(
        m.elapsed_secs(1),
        90.0,
        "time up to the move goes to step 1"
    );
    m.tick(200.0);
    assert_eq!(m.elapsed_secs(2), 10.0);
    assert_eq!(m.total_elapsed_secs, 100.0);
    assert_eq!(m.remaining_total_secs(), 45.0 * 60.0 - 100.0);
    assert_eq!(Step::new(0), None);
    assert_eq!(Step::new(12), None);
    assert_eq!(m.clock_step, 2);
}

#[test]
fn pause_and_resume_do_not_count_the_time_between() {
    let mut m = running(0.0);
    m.tick(20.0);
    m.pause(30.0);
    assert!(m.paused && !m.is_running());
    m.tick(40.0);
    m.tick(500.0);
    m.resume(1000.0);
    m.tick(1010.0);
    assert_eq!(m.total_elapsed_secs, 40.0);
    assert_eq!(m.elapsed_secs(1), 40.0);
}

#[test]
fn sleeps_and_backwards_clocks_are_ignored() {
    let mut m = running(0.0);
    m.tick(10.0);
    m.tick(10.0 + MAX_TICK_GAP_SECS + 1.0); // the laptop slept
    m.tick(80.0);
    m.tick(75.0); // a clock that went backwards
    m.tick(f64::NAN);
    m.tick(85.0);
    assert_eq!(m.total_elapsed_secs, 10.0 + 9.0 + 10.0);
}

#[test]
fn overrunning_a_step_is_reported_and_measured() {
    let mut m = running(0.0);
    // Step 1 has 5 minutes; spend 5:30 in ticks of 30 s.
    for k in 1..=11 {
        m.tick(f64::from(k) * 30.0);
    }
    assert!(m.overrun(1));
    assert_eq!(m.overrun_secs(1), 30.0);
    assert_eq!(m.remaining_step_secs(), -30.0);
    assert!(!m.overrun(2));
    assert_eq!(m.overrun_secs(2), 0.0);
    assert_eq!(format_clock(m.remaining_step_secs()), "-0:30");
    let times = m.time_summary();
    assert_eq!(times[0].spent_secs, 330.0);
    assert_eq!(times[0].budget_secs, 300.0);
    assert_eq!(times[0].overrun_secs, 30.0);
}

#[test]
fn finishing_stops_the_clock_for_good() {
    let mut m = running(0.0);
    m.tick(50.0);
    m.finish(60.0);
    assert!(m.is_finished() && !m.is_running());
    m.tick(70.0);
    m.resume(80.0);
    m.start(90.0);
    m.tick(100.0);
    assert_eq!(m.total_elapsed_secs, 60.0);
}

#[test]
fn scores_are_validated_and_summarised() {
    let mut m = running(0.0);
    assert_eq!(m.scorer, Scorer::Interviewer);
    assert_eq!(
        MockState::new(MockConfig::default()).scorer,
        Scorer::SelfAssessed
    );
    let [a, b, ..] = rubric(3) else {
        panic!("step 3 has criteria")
    };
    m.set_score(3, a.id, Some(4)).expect("valid");
    m.set_score(3, b.id, Some(1)).expect("valid");
    assert_eq!(
        m.set_score(3, a.id, Some(5)),
        Err(MockError::ScoreOutOfRange(5))
    );
    assert_eq!(
        m.set_score(3, a.id, Some(0)),
        Err(MockError::ScoreOutOfRange(0))
    );
    assert!(matches!(
        m.set_score(2, a.id, Some(3)),
        Err(MockError::NoSuchCriterion { step: 2, .. })
    ));
    assert_eq!(m.set_score(9, a.id, Some(3)), Err(MockError::NoSuchStep(9)));
    assert_eq!(m.score(3, a.id), Some(4));
    assert_eq!(m.step_score(3), Some(2.5));
    assert_eq!(m.step_score(4), None);
    m.set_score(3, b.id, None).expect("clearing is allowed");
    assert_eq!(m.step_score(3), Some(4.0));

    // Competencies: the signal wins; without one the rubric mean stands in.
    let data = m.competency_summary(Competency::Data);
    assert_eq!(data.signal, None);
    assert_eq!(data.rubric_mean, Some(4.0));
    assert_eq!(data.overall(), Some(4.0));
    m.set_signal(Competency::Data, Some(2)).expect("valid");
    assert_eq!(m.competency_summary(Competency::Data).overall(), Some(2.0));
    assert_eq!(
        m.set_signal(Competency::Communication, Some(7)),
        Err(MockError::ScoreOutOfRange(7))
    );
    assert_eq!(m.signal(Competency::Communication), None);
}

#[test]
fn notes_are_stamped_with_the_interview_clock() {
    let mut m = running(1000.0);
    m.tick(1030.0);
    m.move_to_step(Step::new(3).expect("step 3"), 1045.0);
    let note = m
        .add_note("  asks about label delay  ", 1050.0)
        .expect("note");
    assert_eq!(note.at_secs, 50.0);
    assert_eq!(note.step, 3);
    assert_eq!(note.text, "asks about label delay");
    m.pause(1060.0);
    let later = m.add_note("paused here", 2000.0).expect("note");
    assert_eq!(later.at_secs, 60.0, "a paused clock does not move");
    assert_eq!(m.add_note("   ", 2001.0), Err(MockError::EmptyNote));
    assert_eq!(m.notes.len(), 2);
}

#[test]
fn follow_ups_toggle_within_the_case_study() {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut m = running(0.0);
    let n = study.steps[4].follow_ups.len();
    assert_eq!(m.toggle_follow_up(study, 5, 1), Ok(true));
    assert!(m.follow_up_asked(5, 1));
    assert_eq!(m.toggle_follow_up(study, 5, 1), Ok(false));
    assert!(!m.follow_up_asked(5, 1));
    assert!(matches!(
        m.toggle_follow_up(study, 5, n),
        Err(MockError::NoSuchFollowUp { .. })
    ));
    assert_eq!(
        m.toggle_follow_up(study, 0, 0),
        Err(MockError::NoSuchStep(0))
    );
}

#[test]
fn missed_checklist_points_are_the_unticked_ones() {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut s = Session::new(study);
    s.apply(study, SessionEdit::ToggleCheck { step: 2, index: 0 }, 0.0);
    s.apply(study, SessionEdit::ToggleCheck { step: 2, index: 2 }, 0.0);
    let n = study.steps[1].checklist.len();
    let missed = s.missed_checklist(study, 2);
    assert_eq!(missed.len(), n - 2);
    assert!(!missed.contains(&0) && !missed.contains(&2) && missed.contains(&1));
    assert!(s.missed_checklist(study, 9).is_empty());
}

#[test]
fn a_mock_round_trips_through_the_session_file() {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut s = Session::new(study);
    let mut m = running(5.0);
    m.tick(47.0);
    m.set_score(1, rubric(1)[0].id, Some(3)).expect("valid");
    m.add_note("good scoping", 50.0).expect("note");
    m.set_signal(Competency::Communication, Some(4))
        .expect("valid");
    m.toggle_follow_up(study, 2, 0).expect("exists");
    s.mock = Some(m);
    let text = session_to_string(&s);
    let back = parse_session(std::path::Path::new("t.mlsd"), &text).expect("parses");
    let (a, b) = (
        s.mock.as_ref().expect("mock"),
        back.mock.as_ref().expect("mock"),
    );
    assert_eq!(b.last_tick, None, "the monotonic clock is not saved");
    assert_eq!(a.scores, b.scores);
    assert_eq!(a.notes, b.notes);
    assert_eq!(a.step_elapsed_secs, b.step_elapsed_secs);
    assert_eq!(a.follow_ups_asked, b.follow_ups_asked);
    assert_eq!(a.competency_signals, b.competency_signals);
    // A session without a mock does not mention it at all.
    assert!(!session_to_string(&Session::new(study)).contains("mock"));
}

#[test]
fn bad_values_from_a_file_are_repaired_with_messages() {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut s = Session::new(study);
    let mut m = running(0.0);
    m.set_score(1, rubric(1)[0].id, Some(3)).expect("valid");
    m.add_note("fine", 1.0).expect("note");
    s.mock = Some(m);
    // Values no UI action can produce, as a broken tool or a person might
    // write them into the file.
    let m = s.mock.as_mut().expect("mock");
    m.scores.insert("s1-objective".into(), 9);
    m.scores.insert("no-such".into(), 2);
    m.clock_step = 12;
    m.notes[0].step = 12;
    m.total_elapsed_secs = f64::NAN;
    let bad = session_to_string(&s);
    assert!(
        bad.contains("NaN") && bad.contains("clock_step: 12"),
        "{bad}"
    );
    // The repair says what it fixed...
    let mut broken = s.mock.clone().expect("mock");
    let fixes = broken.validate_for(study);
    let all = fixes.join("\n");
    assert!(all.contains("score 9"), "{all}");
    assert!(all.contains("no-such"), "{all}");
    assert!(all.contains("clock step 12"), "{all}");
    assert!(all.contains("note 1 is on step 12"), "{all}");
    assert!(all.contains("total time NaN"), "{all}");
    // ...and loading the file applies it.
    let mut back = parse_session(std::path::Path::new("bad.mlsd"), &bad).expect("still RON");
    let mock = back.mock.as_mut().expect("mock");
    assert!(mock.scores.is_empty());
    assert_eq!(mock.clock_step, 1);
    assert_eq!(mock.notes[0].step, 7);
    assert!(mock.total_elapsed_secs.is_finite());
    // The loaded one differs only in the clock's last tick, which is not saved.
    broken.last_tick = None;
    assert_eq!(mock, &mut broken);
    // Repaired once, it is sound.
    assert!(mock.validate_for(study).is_empty());
}

#[test]
fn validate_clamps_nan_times_and_follow_ups_outside_the_study() {
    let library = content::bundled();
    let study = library.get("harmful-content-detection").expect("shipped");
    let mut m = running(0.0);
    m.step_elapsed_secs[2] = f64::NAN;
    m.step_elapsed_secs[3] = -5.0;
    m.config.budgets_secs[0] = f64::INFINITY;
    m.config.length_minutes = 100_000;
    m.follow_ups_asked[0].insert(999);
    m.competency_signals.insert(Competency::Data, 0);
    let fixes = m.validate_for(study);
    assert_eq!(fixes.len(), 6, "{fixes:#?}");
    assert_eq!(m.step_elapsed_secs[2], 0.0);
    assert_eq!(m.step_elapsed_secs[3], 0.0);
    assert!(m.config.budgets_secs[0].is_finite());
    assert_eq!(m.config.length_minutes, 240);
    assert!(m.follow_ups_asked[0].is_empty());
    assert_eq!(m.signal(Competency::Data), None);
}

#[test]
fn a_running_mock_refuses_edits_that_reveal_the_answers() {
    let library = content::bundled();
    let study = library.get("visual-search").expect("shipped");
    let mut s = Session::new(study);
    let mut m = MockState::new(MockConfig::new(45, MockMode::WithInterviewer));
    m.start(0.0);
    s.mock = Some(m);
    assert!(s.coaching_hidden() && s.scripted_answers_hidden());
    for edit in [
        SessionEdit::RevealReference { step: 1 },
        SessionEdit::RevealNextHint { step: 1 },
        SessionEdit::ToggleCheck { step: 1, index: 0 },
    ] {
        assert!(!s.apply(study, edit.clone(), 1.0), "{edit:?}");
    }
    assert!(!s.step(1).reference_revealed);
    // Writing the answer is what a mock is for.
    assert!(s.apply(
        study,
        SessionEdit::SetAnswer {
            step: 1,
            text: "scope".into()
        },
        2.0
    ));
    if let Some(m) = &mut s.mock {
        m.finish(3.0);
    }
    assert!(!s.coaching_hidden() && !s.scripted_answers_hidden());
    assert!(s.apply(study, SessionEdit::RevealReference { step: 1 }, 4.0));
}
