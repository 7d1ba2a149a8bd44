//! What a parser collects before it becomes a diagram: nodes by their text
//! id, edges and groups, with the limits of a diagram checked as they grow.

use std::collections::HashMap;

use super::kinds::infer_kind;
use super::{ImportError, ImportFormat, ImportWarning, Imported};
use crate::diagram::{
    Diagram, Edge, EdgeId, EdgeSim, Group, GroupId, MAX_EDGES, MAX_GROUP_MEMBERS, MAX_GROUPS,
    MAX_LABEL_CHARS, MAX_NODES, Node, NodeId, Point, Shape, layered_positions, layered_work,
};
use crate::format::first_chars;

/// Diagrams whose layered layout would take more work than this (see
/// [`layered_work`]) are placed on a grid instead: long edges through many
/// layers make the layered one slow.
const LAYERED_MAX_WORK: u64 = 4_000_000;
const GRID_COLUMNS: usize = 12;

#[derive(Debug)]
pub(super) struct SketchNode {
    pub key: String,
    pub label: Option<String>,
    pub shape: Option<Shape>,
}

#[derive(Debug)]
pub(super) struct SketchGroup {
    pub label: String,
    pub members: Vec<usize>,
}

/// The graph a parser has read so far.
#[derive(Debug, Default)]
pub(super) struct Sketch {
    pub nodes: Vec<SketchNode>,
    index: HashMap<String, usize>,
    edges: Vec<(usize, usize, String)>,
    pub groups: Vec<SketchGroup>,
    /// The group each node joined first: a node sits in one group only, as
    /// in Mermaid and in Graphviz clusters.
    member_of: HashMap<usize, usize>,
    pub warnings: Vec<ImportWarning>,
}

impl Sketch {
    pub fn warn(&mut self, line: usize, message: impl Into<String>) {
        self.warnings.push(ImportWarning {
            line,
            message: message.into(),
        });
    }

    /// The node with text id `key`, added if new.
    pub fn node(&mut self, key: &str, line: usize) -> Result<usize, ImportError> {
        if let Some(&i) = self.index.get(key) {
            return Ok(i);
        }
        if self.nodes.len() >= MAX_NODES {
            return Err(ImportError::TooMany {
                line,
                what: "nodes",
                limit: MAX_NODES,
            });
        }
        let i = self.nodes.len();
        self.nodes.push(SketchNode {
            key: key.to_owned(),
            label: None,
            shape: None,
        });
        self.index.insert(key.to_owned(), i);
        Ok(i)
    }

    /// An edge. Repeated edges stay (parallel calls, such as one per shard);
    /// a loop is left out, since a diagram has none.
    pub fn edge(
        &mut self,
        from: usize,
        to: usize,
        label: &str,
        line: usize,
    ) -> Result<(), ImportError> {
        if from == to {
            let key = &self.nodes[from].key;
            let message = format!("the edge from \"{key}\" to itself is left out");
            self.warn(line, message);
            return Ok(());
        }
        if self.edges.len() >= MAX_EDGES {
            return Err(ImportError::TooMany {
                line,
                what: "edges",
                limit: MAX_EDGES,
            });
        }
        self.edges.push((from, to, label.to_owned()));
        Ok(())
    }

    /// A new, empty group.
    pub fn group(&mut self, label: &str, line: usize) -> Result<usize, ImportError> {
        if self.groups.len() >= MAX_GROUPS {
            return Err(ImportError::TooMany {
                line,
                what: "groups",
                limit: MAX_GROUPS,
            });
        }
        self.groups.push(SketchGroup {
            label: label.to_owned(),
            members: Vec::new(),
        });
        Ok(self.groups.len() - 1)
    }

    /// Puts `node` in `group` unless it is in a group already.
    pub fn join(&mut self, group: usize, node: usize, line: usize) -> Result<(), ImportError> {
        if self.member_of.contains_key(&node) {
            return Ok(());
        }
        let Some(g) = self.groups.get_mut(group) else {
            return Ok(());
        };
        if g.members.len() >= MAX_GROUP_MEMBERS {
            return Err(ImportError::TooMany {
                line,
                what: "members in one group",
                limit: MAX_GROUP_MEMBERS,
            });
        }
        g.members.push(node);
        self.member_of.insert(node, group);
        Ok(())
    }

    /// The diagram: kinds guessed, ids handed out in text order, laid out.
    pub fn build(self, format: ImportFormat) -> Result<Imported, ImportError> {
        if self.nodes.is_empty() {
            return Err(ImportError::NoNodes);
        }
        let mut d = Diagram::default();
        let mut ids = Vec::with_capacity(self.nodes.len());
        let mut source_ids = Vec::with_capacity(self.nodes.len());
        for n in self.nodes {
            let label = clip(n.label.unwrap_or_else(|| n.key.clone()));
            let kind = infer_kind(n.shape, &label);
            let id = NodeId(d.fresh_id());
            ids.push(id);
            d.nodes.push(Node {
                id,
                kind,
                label,
                notes: String::new(),
                pos: Point::ZERO,
                size: kind.default_size(),
                sim: None,
            });
            source_ids.push(n.key);
        }
        for (from, to, label) in self.edges {
            let id = EdgeId(d.fresh_id());
            d.edges.push(Edge {
                id,
                from: ids[from],
                to: ids[to],
                label: clip(label),
                sim: EdgeSim::default(),
            });
        }
        // Laid out before the groups exist, so the layout starts at the origin.
        let positions = if layered_work(&d) <= LAYERED_MAX_WORK {
            layered_positions(&d)
        } else {
            grid_positions(&d)
        };
        for (id, pos) in positions {
            if let Some(n) = d.node_mut(id) {
                n.pos = pos;
            }
        }
        for g in self.groups.into_iter().filter(|g| !g.members.is_empty()) {
            let id = GroupId(d.fresh_id());
            d.groups.push(Group {
                id,
                label: clip(g.label),
                members: g.members.iter().map(|&m| ids[m]).collect(),
            });
        }
        Ok(Imported {
            format,
            diagram: d,
            source_ids,
            warnings: self.warnings,
        })
    }
}

fn clip(mut label: String) -> String {
    label.truncate(first_chars(&label, MAX_LABEL_CHARS).len());
    label
}

/// Rows of nodes in text order, for diagrams too big for the layered layout.
fn grid_positions(d: &Diagram) -> Vec<(NodeId, Point)> {
    d.nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let (col, row) = ((i % GRID_COLUMNS) as f32, (i / GRID_COLUMNS) as f32);
            (n.id, Point::new(col * 260.0, row * 120.0))
        })
        .collect()
}
