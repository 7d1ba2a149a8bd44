//! Exports of diagrams to files other tools open: SVG, PNG, Mermaid,
//! Graphviz DOT and Excalidraw; and session reports (Markdown, HTML).

mod dot;
mod excalidraw;
mod mermaid;
mod png;
mod report;
mod svg;
mod text;

pub use dot::{dot_escape, to_dot};
pub use excalidraw::to_excalidraw;
pub use mermaid::{mermaid_id, mermaid_label, to_mermaid};
pub use png::{MAX_PNG_PIXELS, MAX_PNG_SIDE, PNG_SCALE, diagram_png, png_scale, svg_to_png};
pub use report::{ReportFormat, report, report_html, report_markdown};
pub use svg::{FONT_FAMILY, LABEL_SIZE, to_svg};
pub use text::{wrap, xml_escape};

use std::io;
use std::path::{Path, PathBuf};

use crate::diagram::Diagram;
use crate::fsutil::{atomic_write, same_file};
use crate::session::is_session_file;

/// A diagram file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Svg,
    Png,
    Mermaid,
    Dot,
    Excalidraw,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 5] = [
        ExportFormat::Svg,
        ExportFormat::Png,
        ExportFormat::Mermaid,
        ExportFormat::Dot,
        ExportFormat::Excalidraw,
    ];

    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Svg => "svg",
            ExportFormat::Png => "png",
            ExportFormat::Mermaid => "mmd",
            ExportFormat::Dot => "dot",
            ExportFormat::Excalidraw => "excalidraw",
        }
    }

    /// The name shown in menus.
    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Svg => "SVG image",
            ExportFormat::Png => "PNG image (2x)",
            ExportFormat::Mermaid => "Mermaid flowchart",
            ExportFormat::Dot => "Graphviz DOT",
            ExportFormat::Excalidraw => "Excalidraw scene",
        }
    }
}

/// Why an export failed. Each message carries its cause once.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the SVG could not be rendered: {0}")]
    Svg(String),
    #[error("{}: that is the session being exported; choose another output file", path.display())]
    OverSource { path: PathBuf },
    #[error("{}: that is a session file; an export never replaces one", path.display())]
    OverSession { path: PathBuf },
    #[error("{}: cannot write: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
}

/// Writes an export or report to `path` as [`atomic_write`] does. It never
/// replaces `source` (the session it was made from) nor any file that holds
/// or is named like a session.
pub fn write_export(path: &Path, bytes: &[u8], source: Option<&Path>) -> Result<(), ExportError> {
    let path_buf = || path.to_path_buf();
    if source.is_some_and(|s| same_file(s, path)) {
        return Err(ExportError::OverSource { path: path_buf() });
    }
    if is_session_file(path) {
        return Err(ExportError::OverSession { path: path_buf() });
    }
    atomic_write(path, bytes).map_err(|error| ExportError::Write {
        path: path_buf(),
        error,
    })
}

/// The diagram in `format`, as file bytes.
pub fn export(d: &Diagram, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        ExportFormat::Svg => to_svg(d).into_bytes(),
        ExportFormat::Png => diagram_png(d)?,
        ExportFormat::Mermaid => to_mermaid(d).into_bytes(),
        ExportFormat::Dot => to_dot(d).into_bytes(),
        ExportFormat::Excalidraw => to_excalidraw(d).into_bytes(),
    })
}
