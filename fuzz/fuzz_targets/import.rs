//! Mermaid and DOT import of fuzzed text: an error or a diagram that passes
//! the checks a session file gets, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsd_studio::import::{ImportFormat, import, import_detected};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for result in [
        import_detected(text),
        import(text, ImportFormat::Mermaid),
        import(text, ImportFormat::Dot),
    ] {
        if let Ok(imported) = result {
            let mut checked = imported.diagram.clone();
            assert!(checked.sanitize().is_ok(), "a valid diagram");
            assert_eq!(checked, imported.diagram, "nothing to repair");
        }
    }
});
