//! What start-up and saving cost: loading every case study, and a session's
//! save and load.

use criterion::{Criterion, criterion_group, criterion_main};
use mlsd_studio::content;
use mlsd_studio::session::{Session, SessionEdit, parse_session, session_to_string};

fn load_case_studies(c: &mut Criterion) {
    c.bench_function("load and validate all case studies", |b| {
        b.iter(|| {
            let library = content::bundled();
            assert!(library.failures.is_empty());
            library
        });
    });
}

fn session_round_trip(c: &mut Criterion) {
    let library = content::bundled();
    let study = library.get("video-recommendation").expect("shipped");
    let mut session = Session::new(study);
    for step in 1..=7 {
        session.apply(
            study,
            SessionEdit::SetAnswer {
                step,
                text: "A long answer with **markdown**. ".repeat(40),
            },
            0.0,
        );
    }
    c.bench_function("serialise a session", |b| {
        b.iter(|| session_to_string(&session))
    });
    let text = session_to_string(&session);
    c.bench_function("parse a session", |b| {
        b.iter(|| parse_session(std::path::Path::new("bench.mlsd"), &text))
    });
}

criterion_group!(benches, load_case_studies, session_round_trip);
criterion_main!(benches);
