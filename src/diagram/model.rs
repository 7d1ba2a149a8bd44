//! The diagram document: nodes, edges and groups with stable ids.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::catalog::ComponentKind;
use super::geometry::{Point, Rect, Size, bounding};
use super::params::{EdgeSim, NodeSim};
use crate::format::thousands;

/// Most nodes a diagram may hold; larger files are refused.
pub const MAX_NODES: usize = 20_000;
/// Most edges a diagram may hold.
pub const MAX_EDGES: usize = 60_000;
/// Longest node, edge or group label, in characters. Labels name things;
/// longer text belongs in a node's notes.
pub const MAX_LABEL_CHARS: usize = 1_000;
/// Most groups a diagram may hold.
pub const MAX_GROUPS: usize = 1_000;
/// Most nodes one group may hold.
pub const MAX_GROUP_MEMBERS: usize = 5_000;
/// Coordinates are clamped to this range so a hostile file cannot overflow
/// layout or rendering.
pub const MAX_COORD: f32 = 1_000_000.0;
/// Space between a group's members and its frame.
pub const GROUP_PADDING: f32 = 24.0;
/// Height of the label bar above a group's members.
pub const GROUP_LABEL_HEIGHT: f32 = 22.0;

/// Stable id of a node, kept in files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeId(pub u64);

/// Stable id of an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct EdgeId(pub u64);

/// Stable id of a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct GroupId(pub u64);

/// A component on the canvas.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Node {
    pub id: NodeId,
    pub kind: ComponentKind,
    pub label: String,
    /// Free text about the node.
    #[serde(default)]
    pub notes: String,
    /// Top-left corner.
    pub pos: Point,
    pub size: Size,
    /// Simulator parameters, for nodes on the serving path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sim: Option<NodeSim>,
}

impl Node {
    pub fn rect(&self) -> Rect {
        Rect::from_pos_size(self.pos, self.size)
    }
}

/// A directed connection: data or calls flow from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edge {
    pub id: EdgeId,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub sim: EdgeSim,
}

/// A labelled frame around nodes (e.g. "online" and "offline"); moving the
/// group moves its members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    pub id: GroupId,
    pub label: String,
    pub members: Vec<NodeId>,
}

/// One diagram.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    #[serde(default)]
    pub nodes: Vec<Node>,
    #[serde(default)]
    pub edges: Vec<Edge>,
    #[serde(default)]
    pub groups: Vec<Group>,
    /// The next id to hand out; ids are never reused.
    #[serde(default)]
    pub next_id: u64,
    /// The what-if timeline a run over time plays on this diagram.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<super::scenario::Scenario>,
}

/// Why a diagram from a file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DiagramError {
    #[error("{count} nodes; a diagram may hold at most {MAX_NODES}")]
    TooManyNodes { count: usize },
    #[error("{count} edges; a diagram may hold at most {MAX_EDGES}")]
    TooManyEdges { count: usize },
    #[error("id {0} is used by more than one node, edge or group")]
    DuplicateId(u64),
    #[error("edge {edge} points to node {node}, which does not exist")]
    DanglingEdge { edge: u64, node: u64 },
    #[error("group {group} lists node {node}, which does not exist")]
    DanglingMember { group: u64, node: u64 },
    #[error("{count} groups; a diagram may hold at most {MAX_GROUPS}")]
    TooManyGroups { count: usize },
    #[error("group {group} has {count} members; a group may hold at most {MAX_GROUP_MEMBERS}")]
    GroupTooLarge { group: u64, count: usize },
    #[error(
        "the label of {what} {id} has {} characters; labels are limited to {}",
        thousands(*count as f64),
        thousands(MAX_LABEL_CHARS as f64)
    )]
    LabelTooLong {
        what: &'static str,
        id: u64,
        count: usize,
    },
    #[error(
        "its scenario has {count} events; a scenario may hold at most {}",
        super::scenario::MAX_SCENARIO_EVENTS
    )]
    TooManyEvents { count: usize },
}

impl Diagram {
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    pub fn node_mut(&mut self, id: NodeId) -> Option<&mut Node> {
        self.nodes.iter_mut().find(|n| n.id == id)
    }

    pub fn edge(&self, id: EdgeId) -> Option<&Edge> {
        self.edges.iter().find(|e| e.id == id)
    }

    pub fn edge_mut(&mut self, id: EdgeId) -> Option<&mut Edge> {
        self.edges.iter_mut().find(|e| e.id == id)
    }

    pub fn group(&self, id: GroupId) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    pub fn group_mut(&mut self, id: GroupId) -> Option<&mut Group> {
        self.groups.iter_mut().find(|g| g.id == id)
    }

    /// A fresh id, never used before in this diagram.
    pub fn fresh_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Where an edge is drawn: from its source's border, facing the target,
    /// to the target's border. `None` when an end is missing.
    pub fn edge_ends(&self, e: &Edge) -> Option<(Point, Point)> {
        edge_ends(|id| self.node(id), e)
    }

    /// The frame of a group: its members' bounds plus padding and a label bar.
    pub fn group_rect(&self, group: &Group) -> Option<Rect> {
        group_rect(|id| self.node(id), group)
    }

    /// Bounds of everything drawn, groups included.
    pub fn bounds(&self) -> Option<Rect> {
        NodeMap::new(self).bounds()
    }

    /// Checks a diagram read from a file and repairs what is safe to repair:
    /// coordinates are clamped, sizes kept positive and `next_id` raised above
    /// every id. Structural problems are errors.
    pub fn sanitize(&mut self) -> Result<(), DiagramError> {
        if self.nodes.len() > MAX_NODES {
            return Err(DiagramError::TooManyNodes {
                count: self.nodes.len(),
            });
        }
        if self.edges.len() > MAX_EDGES {
            return Err(DiagramError::TooManyEdges {
                count: self.edges.len(),
            });
        }
        if self.groups.len() > MAX_GROUPS {
            return Err(DiagramError::TooManyGroups {
                count: self.groups.len(),
            });
        }
        if let Some(s) = &self.scenario
            && s.events.len() > super::scenario::MAX_SCENARIO_EVENTS
        {
            return Err(DiagramError::TooManyEvents {
                count: s.events.len(),
            });
        }
        let labels = self
            .nodes
            .iter()
            .map(|n| ("node", n.id.0, &n.label))
            .chain(self.edges.iter().map(|e| ("edge", e.id.0, &e.label)))
            .chain(self.groups.iter().map(|g| ("group", g.id.0, &g.label)));
        for (what, id, label) in labels {
            // Bytes bound characters from above, so most labels skip the count.
            if label.len() > MAX_LABEL_CHARS && label.chars().count() > MAX_LABEL_CHARS {
                return Err(DiagramError::LabelTooLong {
                    what,
                    id,
                    count: label.chars().count(),
                });
            }
        }
        let mut seen = HashSet::new();
        let ids = self
            .nodes
            .iter()
            .map(|n| n.id.0)
            .chain(self.edges.iter().map(|e| e.id.0))
            .chain(self.groups.iter().map(|g| g.id.0));
        for id in ids {
            if !seen.insert(id) {
                return Err(DiagramError::DuplicateId(id));
            }
        }
        let nodes: HashSet<NodeId> = self.nodes.iter().map(|n| n.id).collect();
        for e in &self.edges {
            for end in [e.from, e.to] {
                if !nodes.contains(&end) {
                    return Err(DiagramError::DanglingEdge {
                        edge: e.id.0,
                        node: end.0,
                    });
                }
            }
        }
        for g in &mut self.groups {
            if let Some(m) = g.members.iter().find(|m| !nodes.contains(m)) {
                return Err(DiagramError::DanglingMember {
                    group: g.id.0,
                    node: m.0,
                });
            }
            // A member listed twice is listed once.
            let mut seen = HashSet::new();
            g.members.retain(|m| seen.insert(*m));
            if g.members.len() > MAX_GROUP_MEMBERS {
                return Err(DiagramError::GroupTooLarge {
                    group: g.id.0,
                    count: g.members.len(),
                });
            }
        }
        for n in &mut self.nodes {
            n.pos = Point::new(clamp_coord(n.pos.x), clamp_coord(n.pos.y));
            n.size = Size::new(clamp_size(n.size.w), clamp_size(n.size.h));
        }
        self.next_id = self.next_id.max(seen.into_iter().max().unwrap_or(0));
        Ok(())
    }
}

/// The nodes of a diagram by id, for work over a whole diagram: an export
/// of 60,000 edges looks up 120,000 ends, which a search through the node
/// list makes quadratic.
pub struct NodeMap<'a> {
    diagram: &'a Diagram,
    by_id: HashMap<NodeId, &'a Node>,
}

impl<'a> NodeMap<'a> {
    pub fn new(diagram: &'a Diagram) -> NodeMap<'a> {
        NodeMap {
            diagram,
            by_id: diagram.nodes.iter().map(|n| (n.id, n)).collect(),
        }
    }

    pub fn node(&self, id: NodeId) -> Option<&'a Node> {
        self.by_id.get(&id).copied()
    }

    /// As [`Diagram::edge_ends`].
    pub fn edge_ends(&self, e: &Edge) -> Option<(Point, Point)> {
        edge_ends(|id| self.node(id), e)
    }

    /// As [`Diagram::group_rect`].
    pub fn group_rect(&self, group: &Group) -> Option<Rect> {
        group_rect(|id| self.node(id), group)
    }

    /// As [`Diagram::bounds`].
    pub fn bounds(&self) -> Option<Rect> {
        let nodes = self.diagram.nodes.iter().map(Node::rect);
        let groups = self
            .diagram
            .groups
            .iter()
            .filter_map(|g| self.group_rect(g));
        bounding(nodes.chain(groups))
    }
}

fn edge_ends<'a>(node: impl Fn(NodeId) -> Option<&'a Node>, e: &Edge) -> Option<(Point, Point)> {
    let (a, b) = (node(e.from)?.rect(), node(e.to)?.rect());
    Some((a.border_towards(b.center()), b.border_towards(a.center())))
}

fn group_rect<'a>(node: impl Fn(NodeId) -> Option<&'a Node>, group: &Group) -> Option<Rect> {
    let members = group
        .members
        .iter()
        .filter_map(|id| node(*id))
        .map(Node::rect);
    bounding(members).map(|r| {
        let mut r = r.expand(GROUP_PADDING);
        r.min.y -= GROUP_LABEL_HEIGHT;
        r
    })
}

fn clamp_coord(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(-MAX_COORD, MAX_COORD)
    } else {
        0.0
    }
}

fn clamp_size(v: f32) -> f32 {
    if v.is_finite() {
        v.clamp(20.0, 2_000.0)
    } else {
        120.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::DiagramEdit;

    fn with_nodes(count: usize) -> Diagram {
        let mut d = Diagram::default();
        for i in 0..count {
            d.apply(DiagramEdit::AddNode {
                kind: ComponentKind::ALL[0],
                pos: Point::new(i as f32, 0.0),
            });
        }
        d
    }

    #[test]
    fn groups_past_the_limits_are_refused_by_files_and_edits() {
        let mut d = with_nodes(MAX_GROUP_MEMBERS + 1);
        let all: Vec<NodeId> = d.nodes.iter().map(|n| n.id).collect();
        let refused = d.apply(DiagramEdit::Group {
            members: all.clone(),
            label: "everything".into(),
        });
        assert!(!refused.changed, "an edit past the limit changes nothing");

        let mut file = d.clone();
        file.groups.push(Group {
            id: GroupId(u64::MAX),
            label: "everything".into(),
            members: all.clone(),
        });
        assert_eq!(
            file.sanitize(),
            Err(DiagramError::GroupTooLarge {
                group: u64::MAX,
                count: MAX_GROUP_MEMBERS + 1
            })
        );
        assert_eq!(
            file.sanitize().map_err(|e| e.to_string()),
            Err(format!(
                "group {} has 5001 members; a group may hold at most 5000",
                u64::MAX
            ))
        );

        // A member listed twice counts once.
        let mut twice = with_nodes(2);
        let id = twice.nodes[0].id;
        twice.groups.push(Group {
            id: GroupId(100),
            label: "g".into(),
            members: vec![id; MAX_GROUP_MEMBERS + 10],
        });
        assert_eq!(twice.sanitize(), Ok(()));
        assert_eq!(twice.groups[0].members, vec![id]);

        let mut many = with_nodes(1);
        let id = many.nodes[0].id;
        for g in 0..=MAX_GROUPS as u64 {
            many.groups.push(Group {
                id: GroupId(1_000 + g),
                label: String::new(),
                members: vec![id],
            });
        }
        assert_eq!(
            many.sanitize(),
            Err(DiagramError::TooManyGroups {
                count: MAX_GROUPS + 1
            })
        );
        many.groups.pop();
        assert!(
            !many
                .apply(DiagramEdit::Group {
                    members: vec![id],
                    label: String::new(),
                })
                .changed
        );
    }

    #[test]
    fn long_labels_are_cut_by_edits_and_refused_in_files() {
        let mut d = with_nodes(1);
        let id = d.nodes[0].id;
        d.apply(DiagramEdit::RenameNode {
            id,
            label: "é".repeat(MAX_LABEL_CHARS + 5),
        });
        assert_eq!(d.nodes[0].label.chars().count(), MAX_LABEL_CHARS);
        assert_eq!(d.sanitize(), Ok(()));
        d.nodes[0].label.push('é');
        assert!(matches!(
            d.sanitize(),
            Err(DiagramError::LabelTooLong { what: "node", .. })
        ));
    }
}
