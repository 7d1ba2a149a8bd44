//! The dot export of every diagram of a fuzzed session.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsd_studio::export::ExportFormat;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for bytes in common::exports(data, ExportFormat::Dot) {
        assert!(std::str::from_utf8(&bytes).is_ok(), "text");
    }
});
