//! The png export of every diagram of a fuzzed session.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsd_studio::export::ExportFormat;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for bytes in common::exports(data, ExportFormat::Png) {
        assert!(bytes.starts_with(b"\x89PNG"), "a PNG");
    }
});
