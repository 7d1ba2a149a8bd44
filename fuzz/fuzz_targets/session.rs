//! The session loader: any text either loads or gives an error, never a
//! panic or a hang, and a session that loads saves to text that loads back
//! to the same text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mlsd_studio::session::{parse_session, session_to_string};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.mlsd");
    if let Ok(session) = parse_session(path, text) {
        let saved = session_to_string(&session);
        let again = parse_session(path, &saved).expect("a saved session loads");
        assert_eq!(session_to_string(&again), saved, "saving is stable");
    }
});
