//! Mermaid flowcharts and Graphviz DOT into a diagram: nodes with kinds
//! guessed from their shape and words, edges, labels and groups, placed by
//! the layered auto-layout. A parse builds a whole new diagram or fails, so
//! nothing is ever half imported.

mod dot;
mod kinds;
mod mermaid;
mod sketch;

pub use kinds::infer_kind;

use std::fmt;
use std::path::Path;

use crate::diagram::{Diagram, DiagramEdit, Vector};

/// Space left between a diagram and a drawing imported below it.
pub const IMPORT_GAP: f32 = 80.0;

/// Longest text an import reads. Real diagrams are a few kilobytes; the
/// limit keeps a hostile paste or file from tying the app up.
pub const MAX_IMPORT_BYTES: usize = 2 << 20;
/// Deepest nesting of Mermaid subgraphs an import accepts.
pub const MAX_NESTING: usize = 32;
/// Deepest nesting of DOT braces an import accepts. The DOT parser
/// backtracks through every level of a broken text, so each level doubles
/// its work there; real drawings nest two or three deep.
pub const MAX_DOT_NESTING: usize = 16;

/// A text format diagrams come in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportFormat {
    Mermaid,
    Dot,
}

impl ImportFormat {
    /// The name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            ImportFormat::Mermaid => "Mermaid flowchart",
            ImportFormat::Dot => "Graphviz DOT",
        }
    }

    /// The format a file's extension names (`.mmd`, `.mermaid`, `.dot`, `.gv`).
    pub fn from_path(path: &Path) -> Option<ImportFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "mmd" | "mermaid" => Some(ImportFormat::Mermaid),
            "dot" | "gv" => Some(ImportFormat::Dot),
            _ => None,
        }
    }

    /// The format a text is written in, judged by its first statement:
    /// `flowchart`/`graph` followed by a direction or nothing is Mermaid,
    /// `digraph`/`graph`/`strict` followed by a brace or a name is DOT.
    pub fn detect(text: &str) -> Option<ImportFormat> {
        let first = text
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty() && !l.starts_with("%%") && !l.starts_with("//"))?;
        let split = first
            .find(|c: char| c.is_whitespace() || c == '{' || c == ';')
            .unwrap_or(first.len());
        let (head, rest) = (first[..split].to_ascii_lowercase(), first[split..].trim());
        let is_direction = |w: &str| {
            let w = w.trim_end_matches(';').to_ascii_uppercase();
            ["TB", "TD", "BT", "RL", "LR"].contains(&w.as_str())
        };
        match head.as_str() {
            "flowchart" => Some(ImportFormat::Mermaid),
            "digraph" | "strict" => Some(ImportFormat::Dot),
            "graph" if rest.contains('{') => Some(ImportFormat::Dot),
            "graph"
                if rest.is_empty()
                    || rest == ";"
                    || rest.split_whitespace().next().is_some_and(is_direction) =>
            {
                Some(ImportFormat::Mermaid)
            }
            "graph" => Some(ImportFormat::Dot),
            _ => None,
        }
    }
}

/// Something in the text that the import left out, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportWarning {
    /// 1-based line of the text.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ImportWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// A diagram read from text, laid out from the origin.
#[derive(Debug, Clone, PartialEq)]
pub struct Imported {
    pub format: ImportFormat,
    pub diagram: Diagram,
    /// The id each node had in the text, in the order of `diagram.nodes`.
    pub source_ids: Vec<String>,
    /// Lines left out, in text order.
    pub warnings: Vec<ImportWarning>,
}

/// Why a text could not be imported. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("the text is empty")]
    Empty,
    #[error(
        "the text is neither a Mermaid flowchart (it would start with `flowchart` or `graph`) nor Graphviz DOT (`digraph` or `graph` and a brace)"
    )]
    UnknownFormat,
    #[error("the text has {bytes} bytes; an import reads at most {MAX_IMPORT_BYTES}")]
    TooLarge { bytes: usize },
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
    #[error("line {line}: {what} nested more than {limit} deep")]
    TooDeep {
        line: usize,
        what: &'static str,
        limit: usize,
    },
    #[error("line {line}: more than {limit} {what}; a diagram holds at most that many")]
    TooMany {
        line: usize,
        what: &'static str,
        limit: usize,
    },
    #[error("the text has no nodes")]
    NoNodes,
}

/// Reads `text` as `format` into a new diagram.
pub fn import(text: &str, format: ImportFormat) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    if text.trim().is_empty() {
        return Err(ImportError::Empty);
    }
    let sketch = match format {
        ImportFormat::Mermaid => mermaid::parse(text)?,
        ImportFormat::Dot => dot::parse(text)?,
    };
    sketch.build(format)
}

/// Reads `text` in the format it is written in (see [`ImportFormat::detect`]).
pub fn import_detected(text: &str) -> Result<Imported, ImportError> {
    if text.len() > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { bytes: text.len() });
    }
    let format = ImportFormat::detect(text).ok_or(if text.trim().is_empty() {
        ImportError::Empty
    } else {
        ImportError::UnknownFormat
    })?;
    import(text, format)
}

/// The edit that adds `imported` to `target`: below what `target` holds,
/// lined up with its left edge, or at the origin of an empty diagram.
pub fn merge_edit(target: &Diagram, imported: Diagram) -> DiagramEdit {
    let offset = target.bounds().map_or(Vector::new(0.0, 0.0), |b| {
        Vector::new(b.min.x, b.max.y + IMPORT_GAP)
    });
    DiagramEdit::Merge {
        diagram: Box::new(imported),
        offset,
    }
}
