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
pub use png::{MAX_PNG_SIDE, svg_to_png};
pub use report::{ReportFormat, report, report_html, report_markdown};
pub use svg::{FONT_FAMILY, LABEL_SIZE, to_svg};
pub use text::{wrap, xml_escape};

use crate::diagram::Diagram;

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

/// Why an export failed.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("the SVG could not be rendered: {0}")]
    Svg(String),
}

/// The diagram in `format`, as file bytes.
pub fn export(d: &Diagram, format: ExportFormat) -> Result<Vec<u8>, ExportError> {
    Ok(match format {
        ExportFormat::Svg => to_svg(d).into_bytes(),
        ExportFormat::Png => svg_to_png(&to_svg(d), 2.0)?,
        ExportFormat::Mermaid => to_mermaid(d).into_bytes(),
        ExportFormat::Dot => to_dot(d).into_bytes(),
        ExportFormat::Excalidraw => {
            let mut text = serde_json::to_string_pretty(&to_excalidraw(d))
                .expect("a JSON value always serialises");
            text.push('\n');
            text.into_bytes()
        }
    })
}
