//! How long a candidate's edit takes to reach the interviewer's copy over a
//! real iroh link on loopback (relays off): publish, send, decode, check and
//! apply, measured from the candidate's app handing over the session to the
//! interviewer's copy holding the edit.

use std::sync::{Arc, mpsc};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use mlsd_studio::content;
use mlsd_studio::remote::{Guest, GuestEvent, Host, LinkOptions};
use mlsd_studio::session::Session;

fn loopback() -> LinkOptions {
    LinkOptions {
        relay: false,
        bind: Some("127.0.0.1:0".parse().expect("an address")),
    }
}

fn edit_reaches_the_interviewer(c: &mut Criterion) {
    let library = content::bundled();
    let study = library.get("video-recommendation").expect("shipped");
    let mut session = Session::new(study);
    let host = Host::start(&session, "candidate", &loopback(), Arc::new(|| {})).expect("binds");
    let (tx, rx) = mpsc::channel();
    let wake = Arc::new(move || {
        tx.send(()).ok();
    });
    let guest = Guest::start(host.ticket(), "interviewer", &loopback(), wake).expect("binds");
    let wait_for = |done: &dyn Fn(&Guest) -> bool| {
        while !done(&guest) {
            rx.recv_timeout(Duration::from_secs(10))
                .expect("news in time");
        }
    };
    wait_for(&|g| g.session().is_some());
    guest.poll();
    let mut round = 0u64;
    c.bench_function("remote/an answer edit reaches the interviewer", |b| {
        b.iter(|| {
            round += 1;
            let text = format!("Two-tower retrieval, then a ranker (draft {round})");
            session.steps[3].answer = text.clone();
            host.publish(&session);
            loop {
                rx.recv_timeout(Duration::from_secs(10))
                    .expect("news in time");
                if guest.poll().contains(&GuestEvent::Updated)
                    && guest.session().is_some_and(|s| s.steps[3].answer == text)
                {
                    break;
                }
            }
        });
    });
}

criterion_group!(benches, edit_reaches_the_interviewer);
criterion_main!(benches);
