//! What the export targets share: a fuzzed session, exported.

use std::path::Path;

use mlsd_studio::export::{ExportFormat, export};
use mlsd_studio::session::parse_session;

/// Each diagram of the session in `data` (when it loads) in `format`. An
/// export may fail only with an error, never a panic.
pub fn exports(data: &[u8], format: ExportFormat) -> Vec<Vec<u8>> {
    let Ok(text) = std::str::from_utf8(data) else {
        return Vec::new();
    };
    let Ok(session) = parse_session(Path::new("fuzz.mlsd"), text) else {
        return Vec::new();
    };
    session
        .diagrams
        .iter()
        .filter_map(|d| export(&d.diagram, format).ok())
        .collect()
}
