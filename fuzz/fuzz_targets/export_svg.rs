//! The svg export of every diagram of a fuzzed session.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mlsd_studio::export::ExportFormat;

#[path = "../common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    for bytes in common::exports(data, ExportFormat::Svg) {
        let svg = String::from_utf8(bytes).expect("SVG is text");
        roxmltree::Document::parse(&svg).expect("SVG is well-formed XML");
    }
});
