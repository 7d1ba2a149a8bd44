//! The remote mock interview's link: two endpoints in one process, on
//! loopback with relays off.

use std::sync::Arc;
use std::time::{Duration, Instant};

use mlsd_studio::content::bundled;
use mlsd_studio::diagram::{ComponentKind, DiagramEdit, Point};
use mlsd_studio::mock::{Competency, MockConfig, MockMode, MockState, Note};
use mlsd_studio::remote::protocol::{self, ALPN, ToGuest};
use mlsd_studio::remote::{
    Control, Guest, GuestEvent, Host, HostEvent, InterviewerScores, LinkOptions, Ticket, Wake,
};
use mlsd_studio::session::Session;

const PATIENCE: Duration = Duration::from_secs(20);

fn loopback() -> LinkOptions {
    LinkOptions {
        relay: false,
        bind: Some("127.0.0.1:0".parse().expect("an address")),
    }
}

fn no_wake() -> Wake {
    Arc::new(|| {})
}

fn mock_session() -> Session {
    let library = bundled();
    let mut session = Session::new(library.get("ad-click-prediction").expect("bundled"));
    let mut mock = MockState::new(MockConfig::new(45, MockMode::WithInterviewer));
    mock.start(0.0);
    session.mock = Some(mock);
    session
}

/// Polls `poll` until `done` says an event arrived, collecting them all.
fn wait_for<E: Clone + std::fmt::Debug>(
    what: &str,
    mut poll: impl FnMut() -> Vec<E>,
    mut done: impl FnMut(&E) -> bool,
) -> Vec<E> {
    let start = Instant::now();
    let mut seen = Vec::new();
    while start.elapsed() < PATIENCE {
        for event in poll() {
            let hit = done(&event);
            seen.push(event);
            if hit {
                return seen;
            }
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("waited {PATIENCE:?} for {what}; saw {seen:?}");
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while start.elapsed() < PATIENCE {
        if check() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("waited {PATIENCE:?} for {what}");
}

fn join(host: &Host, name: &str) -> Guest {
    let guest = Guest::start(host.ticket(), name, &loopback(), no_wake()).expect("binds");
    wait_for(
        "the welcome",
        || guest.poll(),
        |e| matches!(e, GuestEvent::Connected { .. }),
    );
    wait_until("the snapshot", || guest.session().is_some());
    guest
}

#[test]
fn the_right_ticket_joins_and_a_wrong_secret_is_refused() {
    let session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let ticket = Ticket::parse(&host.ticket().to_text()).expect("the text reads back");

    let mut forged = ticket.clone();
    forged.secret[0] ^= 1;
    let intruder = Guest::start(forged, "Mallory", &loopback(), no_wake()).expect("binds");
    let seen = wait_for(
        "the refusal",
        || intruder.poll(),
        |e| matches!(e, GuestEvent::Ended(_)),
    );
    let Some(GuestEvent::Ended(reason)) = seen.last() else {
        unreachable!()
    };
    assert!(reason.contains("secret is wrong"), "{reason}");
    assert!(intruder.session().is_none(), "nothing was shared with it");
    wait_for(
        "the candidate to hear of it",
        || host.poll(),
        |e| matches!(e, HostEvent::Refused { .. }),
    );

    let guest = Guest::start(ticket, "Robin", &loopback(), no_wake()).expect("binds");
    let seen = wait_for(
        "the welcome",
        || guest.poll(),
        |e| matches!(e, GuestEvent::Connected { .. }),
    );
    assert!(
        seen.contains(&GuestEvent::Connected {
            candidate: "Casey".into()
        }),
        "{seen:?}"
    );
    wait_until("the snapshot", || guest.session().is_some());
    let copy = guest.session().expect("a copy");
    assert_eq!(copy.case_study, session.case_study);
    assert_eq!(copy.diagrams, session.diagrams);
    let joined = wait_for(
        "the join",
        || host.poll(),
        |e| matches!(e, HostEvent::Joined { .. }),
    );
    assert!(
        joined
            .iter()
            .any(|e| matches!(e, HostEvent::Joined { name, .. } if name == "Robin"))
    );

    // The invitation is used: another interviewer with the same secret is
    // turned away.
    let second = Guest::start(host.ticket(), "Sam", &loopback(), no_wake()).expect("binds");
    let seen = wait_for(
        "the second refusal",
        || second.poll(),
        |e| matches!(e, GuestEvent::Ended(_)),
    );
    assert!(
        matches!(seen.last(), Some(GuestEvent::Ended(r)) if r.contains("already used")),
        "{seen:?}"
    );
}

#[test]
fn answers_diagrams_and_the_clock_reach_the_interviewer() {
    let mut session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let guest = join(&host, "Robin");

    session.steps[1].answer = "Predict P(click) with a calibrated GBDT, then a DCN".into();
    session.diagrams[0].diagram.apply(DiagramEdit::AddNode {
        kind: ComponentKind::OnlineFeatureStore,
        pos: Point { x: 300.0, y: 80.0 },
    });
    if let Some(mock) = session.mock.as_mut() {
        mock.tick(42.0);
    }
    let sent = Instant::now();
    host.publish(&session);
    wait_until("the answer and the diagram", || {
        guest.session().is_some_and(|c| {
            c.steps[1].answer == session.steps[1].answer && c.diagrams == session.diagrams
        })
    });
    let latency = sent.elapsed();
    assert!(latency < PATIENCE);
    wait_until("the clock", || {
        guest
            .session()
            .and_then(|c| c.mock)
            .is_some_and(|m| (m.total_elapsed_secs - 42.0).abs() < 1e-9)
    });
}

#[test]
fn step_changes_and_scores_reach_the_candidate_once() {
    let session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let guest = join(&host, "Robin");
    guest.send(Control::NextStep);
    let scores = InterviewerScores {
        scores: [("s1-objective".to_owned(), 3)].into_iter().collect(),
        signals: [(Competency::Communication, 4)].into_iter().collect(),
        notes: vec![Note {
            at_secs: 95.0,
            step: 1,
            text: "clear on the business goal".into(),
        }],
    };
    guest.send(Control::SendScores(scores.clone()));
    let seen = wait_for(
        "the scores",
        || host.poll(),
        |e| matches!(e, HostEvent::Control(Control::SendScores(_))),
    );
    let controls: Vec<_> = seen
        .into_iter()
        .filter_map(|e| match e {
            HostEvent::Control(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(
        controls,
        vec![Control::NextStep, Control::SendScores(scores)]
    );
    wait_until("the acknowledgement", || guest.unapplied() == 0);
}

#[test]
fn a_cut_link_reconnects_and_both_sides_converge_with_nothing_lost() {
    let mut session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let guest = join(&host, "Robin");
    wait_for(
        "the join",
        || host.poll(),
        |e| matches!(e, HostEvent::Joined { .. }),
    );

    guest.cut_connection();
    // While the link is down both sides keep working.
    for i in 0..5 {
        session.steps[2].answer = format!("Features, draft {i}");
        host.publish(&session);
    }
    guest.send(Control::Pause);
    guest.send(Control::Resume);

    let seen = wait_for(
        "the reconnect",
        || guest.poll(),
        |e| matches!(e, GuestEvent::Connected { .. }),
    );
    assert!(
        seen.iter()
            .any(|e| matches!(e, GuestEvent::Disconnected(_))),
        "{seen:?}"
    );
    wait_until("the copy to converge", || {
        guest
            .session()
            .is_some_and(|c| c.steps[2].answer == "Features, draft 4")
    });
    wait_until("the requests to be applied", || guest.unapplied() == 0);
    let controls: Vec<_> = host
        .poll()
        .into_iter()
        .filter_map(|e| match e {
            HostEvent::Control(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(controls, vec![Control::Pause, Control::Resume], "each once");
}

#[test]
fn ending_the_share_tells_the_interviewer() {
    let session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let guest = join(&host, "Robin");
    host.stop("the candidate ended the sharing");
    let seen = wait_for(
        "the goodbye",
        || guest.poll(),
        |e| matches!(e, GuestEvent::Ended(_)),
    );
    assert!(
        matches!(seen.last(), Some(GuestEvent::Ended(r)) if r.contains("ended the sharing")),
        "{seen:?}"
    );
}

#[test]
fn the_interviewer_leaving_tells_the_candidate() {
    let session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let guest = join(&host, "Robin");
    wait_for(
        "the join",
        || host.poll(),
        |e| matches!(e, HostEvent::Joined { .. }),
    );
    guest.stop();
    let seen = wait_for(
        "the goodbye",
        || host.poll(),
        |e| matches!(e, HostEvent::Left { .. }),
    );
    assert!(
        matches!(seen.last(), Some(HostEvent::Left { name, reason }) if name == "Robin" && reason.contains("left")),
        "{seen:?}"
    );
}

#[test]
fn a_peer_sending_garbage_is_closed_and_the_share_goes_on() {
    let session = mock_session();
    let host = Host::start(&session, "Casey", &loopback(), no_wake()).expect("binds");
    let addr = host.ticket().addr;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let answer = runtime.block_on(async {
        let endpoint = iroh::Endpoint::builder(iroh::endpoint::presets::Minimal)
            .relay_mode(iroh::RelayMode::Disabled)
            .clear_ip_transports()
            .bind_addr("127.0.0.1:0")
            .expect("an address")
            .bind()
            .await
            .expect("binds");
        let connection = endpoint.connect(addr, ALPN).await.expect("connects");
        let (mut send, mut recv) = connection.open_bi().await.expect("a stream");
        // A frame claiming a newer protocol, then junk.
        let mut frame = protocol::encode(&ToGuest::Applied { through: 1 }).expect("encodes");
        frame[4..6].copy_from_slice(&9u16.to_be_bytes());
        send.write_all(&frame).await.expect("sent");
        send.write_all(&[0xff; 64]).await.expect("sent");
        let reply = recv.read_to_end(1 << 16).await.unwrap_or_default();
        endpoint.close().await;
        reply
    });
    let refusal: ToGuest = protocol::decode(&answer[..]).expect("a refusal frame");
    assert!(
        matches!(&refusal, ToGuest::Refused { reason } if reason.contains("version 9")),
        "{refusal:?}"
    );
    // A real interviewer still gets in afterwards.
    let guest = join(&host, "Robin");
    assert!(guest.session().is_some());
}
