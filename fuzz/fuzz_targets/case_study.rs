//! The case-study loader and validator: any text either loads or gives
//! errors with positions inside the text, never a panic or a hang.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mlsd_studio::content::parse_case_study;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(errors) = parse_case_study(Path::new("fuzz.ron"), text) {
        assert!(!errors.is_empty());
        let lines = text.split('\n').count();
        for e in errors {
            assert!(e.position.line >= 1 && e.position.line <= lines, "{e}");
        }
    }
});
