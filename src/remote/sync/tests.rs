use super::*;
use crate::diagram::{ComponentKind, DiagramEdit, Point};
use crate::mock::{MockConfig, MockMode};

fn session() -> Session {
    let library = crate::content::bundled();
    let study = library.get("visual-search").expect("bundled case");
    Session::new(study)
}

fn follow(publisher: &Publisher, mirror: &mut Mirror, from: Option<Resume>) {
    mirror.welcome(publisher.epoch());
    for message in publisher.catch_up(from) {
        assert_eq!(mirror.apply(&message), Ok(Applied::Updated));
    }
}

fn shared(session: &Session) -> Shared {
    Shared::of(session)
}

#[test]
fn a_new_interviewer_gets_a_snapshot_then_each_change_once() {
    let mut candidate = session();
    let mut publisher = Publisher::new(&candidate, 11);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    assert_eq!(mirror.session().map(shared), Some(shared(&candidate)));

    candidate.steps[2].answer = "Embeddings from a CNN, ANN index".into();
    candidate.current_step = 3;
    assert!(publisher.publish(&candidate));
    assert!(
        !publisher.publish(&candidate),
        "nothing new the second time"
    );
    let changes = publisher
        .changes_after(mirror.resume().expect("has a session").seq)
        .expect("logged");
    assert_eq!(changes.len(), 2, "{changes:?}");
    for c in &changes {
        assert_eq!(mirror.apply(c), Ok(Applied::Updated));
    }
    // The same changes again, as after a resend: ignored.
    for c in &changes {
        assert_eq!(mirror.apply(c), Ok(Applied::Duplicate));
    }
    assert_eq!(mirror.session().map(shared), Some(shared(&candidate)));
}

#[test]
fn diagram_edits_additions_and_removals_reach_the_copy() {
    let mut candidate = session();
    let mut publisher = Publisher::new(&candidate, 1);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    let name = candidate.diagrams[0].name.clone();
    candidate.diagrams[0].diagram.apply(DiagramEdit::AddNode {
        kind: ComponentKind::OnlineFeatureStore,
        pos: Point { x: 40.0, y: 60.0 },
    });
    candidate.diagrams.push(SessionDiagram {
        name: "sketch".into(),
        diagram: Diagram::default(),
    });
    publisher.publish(&candidate);
    let resume = mirror.resume();
    follow(&publisher, &mut mirror, resume);
    let copy = mirror.session().expect("copy");
    assert_eq!(copy.diagram(&name), candidate.diagram(&name));
    assert!(copy.diagram("sketch").is_some());

    candidate.diagrams.retain(|d| d.name != "sketch");
    publisher.publish(&candidate);
    let resume = mirror.resume();
    follow(&publisher, &mut mirror, resume);
    assert!(mirror.session().expect("copy").diagram("sketch").is_none());
}

#[test]
fn a_reconnect_after_the_log_moved_on_gets_a_snapshot() {
    let mut candidate = session();
    let mut publisher = Publisher::new(&candidate, 4);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    let left_at = mirror.resume();
    for i in 0..(MAX_LOGGED_CHANGES + 10) {
        candidate.steps[0].answer = format!("draft {i}");
        publisher.publish(&candidate);
    }
    let catch_up = publisher.catch_up(left_at);
    assert!(
        matches!(catch_up.as_slice(), [ToGuest::Snapshot { .. }]),
        "the early changes are gone, so a snapshot"
    );
    follow(&publisher, &mut mirror, left_at);
    assert_eq!(mirror.session().map(shared), Some(shared(&candidate)));
    assert_eq!(mirror.resume().map(|r| r.seq), Some(publisher.seq()));
}

#[test]
fn a_resume_from_another_run_gets_a_snapshot() {
    let candidate = session();
    let publisher = Publisher::new(&candidate, 2);
    let stale = Resume { epoch: 1, seq: 0 };
    assert!(matches!(
        publisher.catch_up(Some(stale)).as_slice(),
        [ToGuest::Snapshot { .. }]
    ));
    let current = Resume { epoch: 2, seq: 0 };
    assert!(publisher.catch_up(Some(current)).is_empty());
}

#[test]
fn a_change_that_skips_ahead_is_a_gap_not_applied() {
    let candidate = session();
    let publisher = Publisher::new(&candidate, 1);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    let skipped = ToGuest::Change {
        seq: 5,
        change: Change::CurrentStep(4),
    };
    assert_eq!(mirror.apply(&skipped), Ok(Applied::Gap { have: 0, got: 5 }));
    assert_eq!(mirror.session().map(|s| s.current_step), Some(1));
}

#[test]
fn hostile_changes_are_refused_and_leave_the_copy_alone() {
    let candidate = session();
    let publisher = Publisher::new(&candidate, 1);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    let before = mirror.session().map(shared);
    let bad = [
        Change::CurrentStep(9),
        Change::Answer {
            step: 0,
            text: "x".into(),
        },
        Change::Diagram {
            name: "pipeline".into(),
            diagram: "(nodes: [".into(),
        },
    ];
    for change in bad {
        let message = ToGuest::Change { seq: 1, change };
        assert!(mirror.apply(&message).is_err(), "{message:?}");
    }
    let broken = ToGuest::Snapshot {
        seq: 3,
        session: "not a session".into(),
    };
    assert!(matches!(
        mirror.apply(&broken),
        Err(MirrorError::Session(_))
    ));
    assert_eq!(mirror.session().map(shared), before);
}

#[test]
fn the_clock_reaches_the_copy_without_touching_its_scores() {
    let mut candidate = session();
    let mut mock = MockState::new(MockConfig::new(45, MockMode::WithInterviewer));
    mock.start(0.0);
    mock.tick(30.0);
    candidate.mock = Some(mock);
    let mut publisher = Publisher::new(&candidate, 1);
    let mut mirror = Mirror::default();
    follow(&publisher, &mut mirror, None);
    let mut copy = mirror.session().expect("copy").clone();
    copy.mock
        .as_mut()
        .expect("mock")
        .set_score(1, "s1-objective", Some(3))
        .expect("a criterion of step 1");

    let version = publisher.clock_version();
    if let Some(m) = candidate.mock.as_mut() {
        m.move_to_step(crate::framework::Step::clamped(2), 50.0);
    }
    publisher.publish(&candidate);
    assert!(publisher.clock_version() > version);
    let clock = publisher.clock().expect("a clock").clone();
    set_clock(&mut copy, &clock);
    let mock = copy.mock.as_ref().expect("mock");
    assert_eq!(mock.clock_step, 2);
    assert!((mock.total_elapsed_secs - 50.0).abs() < 1e-9);
    assert_eq!(mock.score(1, "s1-objective"), Some(3));
}

#[test]
fn requests_are_resent_until_applied_and_applied_once() {
    let mut outbox = Outbox::default();
    let mut inbox = Inbox::default();
    outbox.push(Control::Pause);
    outbox.push(Control::NextStep);
    // The first send reaches the candidate, the link drops before the ack.
    let first: Vec<_> = outbox.pending().cloned().collect();
    let applied: Vec<_> = first.iter().filter(|(s, _)| inbox.accept(*s)).collect();
    assert_eq!(applied.len(), 2);
    // After the reconnect everything unacknowledged is sent again.
    let again: Vec<_> = outbox.pending().cloned().collect();
    assert!(again.iter().all(|(s, _)| !inbox.accept(*s)));
    outbox.applied(inbox.applied());
    assert!(outbox.is_empty());
    assert_eq!(outbox.push(Control::End), 3);
    assert!(inbox.accept(3));
}
