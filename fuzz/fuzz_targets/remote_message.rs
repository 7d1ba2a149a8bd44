//! What a peer can send over the remote link: any bytes either decode as a
//! message or give an error, never a panic. A decoded message re-encodes to
//! the same message; one from the candidate, applied to the interviewer's
//! copy, leaves a session that saves and loads back, and the same change
//! twice is applied once. Any text either reads as an invitation or gives
//! an error, and an invitation reads back from its own text.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mlsd_studio::content::bundled;
use mlsd_studio::remote::Ticket;
use mlsd_studio::remote::protocol::{ToGuest, ToHost, decode, encode};
use mlsd_studio::remote::sync::{Applied, Mirror, Publisher};
use mlsd_studio::session::{Session, parse_session, session_to_string};

/// The snapshot an interviewer's copy starts from: a fresh session of a
/// bundled case, so each input parses a small file rather than a large one.
fn snapshot() -> &'static ToGuest {
    static SNAPSHOT: OnceLock<ToGuest> = OnceLock::new();
    SNAPSHOT.get_or_init(|| {
        let library = bundled();
        let study = library.studies.first().expect("a bundled case study");
        Publisher::new(&Session::new(study), 1).snapshot()
    })
}

/// Encoding what was decoded gives bytes that decode to a message encoding
/// to the same bytes: comparing bytes, since a clock may hold NaN. A macro,
/// as the message types' serde bounds would need serde here.
macro_rules! round_trips {
    ($message:expr, $type:ty) => {
        if let Ok(frame) = encode($message) {
            let again = decode::<$type>(&frame).expect("an encoded message decodes");
            assert_eq!(
                encode(&again).expect("a decoded message encodes"),
                frame,
                "encoding is stable"
            );
        }
    };
}

fn saves_and_loads(session: &Session) {
    let path = Path::new("fuzz.mlsd");
    let saved = session_to_string(session);
    parse_session(path, &saved).expect("a mirrored session saves to a file that loads");
}

fn apply(mirror: &mut Mirror, message: &ToGuest) {
    let Ok(applied) = mirror.apply(message) else {
        return;
    };
    if applied == Applied::Updated {
        let session = mirror.session().expect("an updated copy has a session");
        saves_and_loads(session);
        if matches!(message, ToGuest::Change { .. }) {
            assert_eq!(
                mirror.apply(message),
                Ok(Applied::Duplicate),
                "a change is applied once"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(message) = decode::<ToHost>(data) {
        round_trips!(&message, ToHost);
    }
    if let Ok(message) = decode::<ToGuest>(data) {
        round_trips!(&message, ToGuest);
        // A copy that has the candidate's session, and one that has nothing
        // yet: a change must not assume a snapshot came first.
        let mut mirror = Mirror::default();
        mirror
            .apply(snapshot())
            .expect("the starting snapshot applies");
        apply(&mut mirror, &message);
        apply(&mut Mirror::default(), &message);
    }
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(ticket) = Ticket::parse(text)
    {
        assert_eq!(
            Ticket::parse(&ticket.to_text()).as_ref(),
            Ok(&ticket),
            "an invitation reads back from its text"
        );
    }
});
