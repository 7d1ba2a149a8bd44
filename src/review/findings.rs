//! What a design review reports: findings with a rule, a severity, the
//! nodes they concern, the framework step and the reason.

use serde::Serialize;

use crate::diagram::NodeId;

/// How much a finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The design fails its requirements or cannot work as drawn.
    Error,
    /// A gap a strong answer would close.
    Warning,
    /// Worth a thought; not necessarily wrong.
    Info,
}

impl Severity {
    /// The word shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One thing the review found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The rule's stable id, e.g. `single-replica`.
    pub rule: &'static str,
    pub severity: Severity,
    /// The diagram the nodes belong to.
    pub diagram: String,
    #[serde(skip)]
    pub node_ids: Vec<NodeId>,
    /// The nodes it concerns, by label.
    pub nodes: Vec<String>,
    /// The framework step it belongs to, 1 to 7.
    pub step: u8,
    /// Why it matters, in plain words.
    pub message: String,
}
