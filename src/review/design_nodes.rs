//! Which nodes one design adds, removes or resizes against another. Nodes
//! are matched by id first (a duplicated diagram keeps its ids), then by
//! label, so a node redrawn under the same name still counts as the same.

use serde::Serialize;

use crate::diagram::{Diagram, Node};
use crate::format::ms;

/// A node's simulator settings as a comparison shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSizing {
    pub replicas: u32,
    pub hardware: String,
    /// Mean service time, ms.
    pub service_ms: f64,
}

impl NodeSizing {
    fn of(node: &Node) -> Option<NodeSizing> {
        node.sim.as_ref().map(|sim| NodeSizing {
            replicas: sim.replicas,
            hardware: sim.hardware_id.clone(),
            service_ms: sim.service.mean_ms(),
        })
    }
}

/// A node present in only one design.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeEntry {
    pub label: String,
    pub sizing: Option<NodeSizing>,
}

/// A node in both designs whose replicas, hardware or service time differ.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeChange {
    /// The label in design B (the label in A when B's is empty).
    pub label: String,
    pub before: Option<NodeSizing>,
    pub after: Option<NodeSizing>,
    /// What changed, in words: "replicas 2 → 3", "hardware gpu-t4 → gpu-a10g".
    pub changes: Vec<String>,
}

/// A node's size in words: "3 × gpu-t4", or that it was not simulated.
pub fn sizing_text(s: Option<&NodeSizing>) -> String {
    s.map_or_else(
        || "not simulated".to_owned(),
        |s| format!("{} × {}", s.replicas, s.hardware),
    )
}

/// The per-node difference from design A to design B.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct NodeDiff {
    pub added: Vec<NodeEntry>,
    pub removed: Vec<NodeEntry>,
    pub changed: Vec<NodeChange>,
}

impl NodeDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// The node of `b` that stands for `node` of `a`: same id and label, else
/// same label, else same id (a relabelled node).
fn counterpart(node: &Node, b: &Diagram, taken: &[bool]) -> Option<usize> {
    let free = |i: &usize| !taken[*i];
    let nodes = &b.nodes;
    let by =
        |pred: &dyn Fn(&Node) -> bool| (0..nodes.len()).filter(free).find(|&i| pred(&nodes[i]));
    by(&|n| n.id == node.id && n.label == node.label)
        .or_else(|| by(&|n| !node.label.is_empty() && n.label == node.label))
        .or_else(|| by(&|n| n.id == node.id && n.kind == node.kind))
}

fn sizing_changes(before: Option<&NodeSizing>, after: Option<&NodeSizing>) -> Vec<String> {
    let (Some(a), Some(b)) = (before, after) else {
        return match (before, after) {
            (None, Some(_)) => vec!["now simulated".to_owned()],
            (Some(_), None) => vec!["no longer simulated".to_owned()],
            _ => Vec::new(),
        };
    };
    let mut changes = Vec::new();
    if a.replicas != b.replicas {
        changes.push(format!("replicas {} → {}", a.replicas, b.replicas));
    }
    if a.hardware != b.hardware {
        changes.push(format!("hardware {} → {}", a.hardware, b.hardware));
    }
    // Differences below a microsecond are rounding, not a resize.
    if (a.service_ms - b.service_ms).abs() > 1e-3 {
        changes.push(format!(
            "service {} → {}",
            ms(a.service_ms),
            ms(b.service_ms)
        ));
    }
    changes
}

/// What B adds, removes and resizes against A.
pub fn node_diff(a: &Diagram, b: &Diagram) -> NodeDiff {
    let mut taken = vec![false; b.nodes.len()];
    let mut diff = NodeDiff::default();
    for node in &a.nodes {
        let before = NodeSizing::of(node);
        match counterpart(node, b, &taken) {
            Some(i) => {
                taken[i] = true;
                let other = &b.nodes[i];
                let after = NodeSizing::of(other);
                let changes = sizing_changes(before.as_ref(), after.as_ref());
                if !changes.is_empty() {
                    let label = if other.label.is_empty() {
                        &node.label
                    } else {
                        &other.label
                    };
                    diff.changed.push(NodeChange {
                        label: label.clone(),
                        before,
                        after,
                        changes,
                    });
                }
            }
            None => diff.removed.push(NodeEntry {
                label: node.label.clone(),
                sizing: before,
            }),
        }
    }
    for (node, _) in b.nodes.iter().zip(&taken).filter(|(_, t)| !**t) {
        diff.added.push(NodeEntry {
            label: node.label.clone(),
            sizing: NodeSizing::of(node),
        });
    }
    diff
}
