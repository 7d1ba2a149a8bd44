//! The excalidraw export of every diagram of a fuzzed session.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsd_studio::export::ExportFormat;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for bytes in common::exports(data, ExportFormat::Excalidraw) {
        serde_json::from_slice::<serde_json::Value>(&bytes).expect("valid JSON");
    }
});
