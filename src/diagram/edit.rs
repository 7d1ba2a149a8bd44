//! Every change to a diagram is a [`DiagramEdit`], applied in one place.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::catalog::ComponentKind;
use super::geometry::{Point, Size, Vector};
use super::model::{
    Diagram, Edge, EdgeId, Group, GroupId, MAX_EDGES, MAX_GROUP_MEMBERS, MAX_GROUPS,
    MAX_LABEL_CHARS, MAX_NODES, Node, NodeId,
};
use super::params::{EdgeSim, NodeSim};
use super::scenario::{MAX_SCENARIO_EVENTS, Scenario};
use crate::format::first_chars;

/// Nodes and the edges between them, as copied to the clipboard.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Fragment {
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
}

/// A change to a diagram.
#[derive(Debug, Clone, PartialEq)]
pub enum DiagramEdit {
    AddNode {
        kind: ComponentKind,
        pos: Point,
    },
    MoveNodes {
        ids: Vec<NodeId>,
        delta: Vector,
    },
    /// Absolute positions, e.g. during a drag or after auto-layout.
    SetPositions(Vec<(NodeId, Point)>),
    Resize {
        id: NodeId,
        size: Size,
    },
    Connect {
        from: NodeId,
        to: NodeId,
    },
    Delete {
        nodes: Vec<NodeId>,
        edges: Vec<EdgeId>,
        groups: Vec<GroupId>,
    },
    RenameNode {
        id: NodeId,
        label: String,
    },
    SetNotes {
        id: NodeId,
        notes: String,
    },
    SetKind {
        id: NodeId,
        kind: ComponentKind,
    },
    SetNodeSim {
        id: NodeId,
        sim: Option<NodeSim>,
    },
    RenameEdge {
        id: EdgeId,
        label: String,
    },
    SetEdgeSim {
        id: EdgeId,
        sim: EdgeSim,
    },
    /// Replaces the diagram's scenario over time; more events than
    /// [`MAX_SCENARIO_EVENTS`] change nothing.
    SetScenario(Option<Scenario>),
    Group {
        members: Vec<NodeId>,
        label: String,
    },
    Ungroup {
        id: GroupId,
    },
    RenameGroup {
        id: GroupId,
        label: String,
    },
    /// Copies of the fragment's nodes and edges with fresh ids, shifted.
    Paste {
        fragment: Fragment,
        offset: Vector,
    },
    /// Another diagram's nodes, edges and groups with fresh ids, shifted
    /// (an imported drawing): all of them, or nothing when they would pass
    /// a size limit or name a node the other diagram lacks.
    Merge {
        diagram: Box<Diagram>,
        offset: Vector,
    },
}

/// What an edit created, so the editor can select it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Applied {
    pub changed: bool,
    pub nodes: Vec<NodeId>,
    pub edges: Vec<EdgeId>,
    pub group: Option<GroupId>,
}

impl Applied {
    fn changed(changed: bool) -> Applied {
        Applied {
            changed,
            ..Applied::default()
        }
    }
}

impl Diagram {
    /// Applies `edit`. Edits naming missing ids, self-loops, repeated edges
    /// and edits past the size limits change nothing; labels are cut to
    /// [`MAX_LABEL_CHARS`].
    pub fn apply(&mut self, edit: DiagramEdit) -> Applied {
        match edit {
            DiagramEdit::AddNode { kind, pos } => {
                if self.nodes.len() >= MAX_NODES {
                    return Applied::default();
                }
                let id = NodeId(self.fresh_id());
                self.nodes.push(Node {
                    id,
                    kind,
                    label: kind.label().to_owned(),
                    notes: String::new(),
                    pos,
                    size: kind.default_size(),
                    sim: None,
                });
                Applied {
                    changed: true,
                    nodes: vec![id],
                    ..Applied::default()
                }
            }
            DiagramEdit::MoveNodes { ids, delta } => {
                let ids: HashSet<NodeId> = ids.into_iter().collect();
                let mut changed = false;
                for n in self.nodes.iter_mut().filter(|n| ids.contains(&n.id)) {
                    n.pos = n.pos + delta;
                    changed |= delta != Vector::default();
                }
                Applied::changed(changed)
            }
            DiagramEdit::SetPositions(positions) => {
                let mut changed = false;
                for (id, pos) in positions {
                    if let Some(n) = self.node_mut(id)
                        && n.pos != pos
                        && pos.x.is_finite()
                        && pos.y.is_finite()
                    {
                        n.pos = pos;
                        changed = true;
                    }
                }
                Applied::changed(changed)
            }
            DiagramEdit::Resize { id, size } => {
                let size = Size::new(size.w.clamp(20.0, 2_000.0), size.h.clamp(20.0, 2_000.0));
                set(self.node_mut(id).map(|n| &mut n.size), size)
            }
            DiagramEdit::Connect { from, to } => self.connect(from, to),
            DiagramEdit::Delete {
                nodes,
                edges,
                groups,
            } => self.delete(&nodes, &edges, &groups),
            DiagramEdit::RenameNode { id, label } => {
                set(self.node_mut(id).map(|n| &mut n.label), clip_label(label))
            }
            DiagramEdit::SetNotes { id, notes } => {
                set(self.node_mut(id).map(|n| &mut n.notes), notes)
            }
            DiagramEdit::SetKind { id, kind } => set(self.node_mut(id).map(|n| &mut n.kind), kind),
            DiagramEdit::SetNodeSim { id, sim } => set(self.node_mut(id).map(|n| &mut n.sim), sim),
            DiagramEdit::RenameEdge { id, label } => {
                set(self.edge_mut(id).map(|e| &mut e.label), clip_label(label))
            }
            DiagramEdit::SetEdgeSim { id, sim } => set(self.edge_mut(id).map(|e| &mut e.sim), sim),
            DiagramEdit::SetScenario(scenario) => {
                let too_many = scenario
                    .as_ref()
                    .is_some_and(|s| s.events.len() > MAX_SCENARIO_EVENTS);
                if too_many {
                    Applied::default()
                } else {
                    set(Some(&mut self.scenario), scenario)
                }
            }
            DiagramEdit::Group { members, label } => self.group_nodes(members, label),
            DiagramEdit::Ungroup { id } => {
                let before = self.groups.len();
                self.groups.retain(|g| g.id != id);
                Applied::changed(self.groups.len() != before)
            }
            DiagramEdit::RenameGroup { id, label } => {
                set(self.group_mut(id).map(|g| &mut g.label), clip_label(label))
            }
            DiagramEdit::Paste { fragment, offset } => self.paste(fragment, offset),
            DiagramEdit::Merge { diagram, offset } => self.merge(*diagram, offset),
        }
    }

    fn merge(&mut self, other: Diagram, offset: Vector) -> Applied {
        let known: HashSet<NodeId> = other.nodes.iter().map(|n| n.id).collect();
        let whole = other
            .edges
            .iter()
            .all(|e| known.contains(&e.from) && known.contains(&e.to) && e.from != e.to)
            && other.groups.iter().all(|g| {
                g.members.len() <= MAX_GROUP_MEMBERS && g.members.iter().all(|m| known.contains(m))
            });
        let fits = self.nodes.len() + other.nodes.len() <= MAX_NODES
            && self.edges.len() + other.edges.len() <= MAX_EDGES
            && self.groups.len() + other.groups.len() <= MAX_GROUPS;
        if !whole || !fits || other.nodes.is_empty() {
            return Applied::default();
        }
        let mut new_ids = HashMap::new();
        let mut applied = Applied {
            changed: true,
            ..Applied::default()
        };
        for mut node in other.nodes {
            let id = NodeId(self.fresh_id());
            new_ids.insert(node.id, id);
            node.id = id;
            node.pos = node.pos + offset;
            node.label = clip_label(node.label);
            applied.nodes.push(id);
            self.nodes.push(node);
        }
        for mut edge in other.edges {
            let (from, to) = (new_ids[&edge.from], new_ids[&edge.to]);
            edge.id = EdgeId(self.fresh_id());
            (edge.from, edge.to) = (from, to);
            edge.label = clip_label(edge.label);
            applied.edges.push(edge.id);
            self.edges.push(edge);
        }
        for mut group in other.groups {
            group.id = GroupId(self.fresh_id());
            group.members = group.members.iter().map(|m| new_ids[m]).collect();
            group.label = clip_label(group.label);
            self.groups.push(group);
        }
        applied
    }

    fn connect(&mut self, from: NodeId, to: NodeId) -> Applied {
        let exists = self.edges.iter().any(|e| e.from == from && e.to == to);
        if from == to
            || exists
            || self.node(from).is_none()
            || self.node(to).is_none()
            || self.edges.len() >= MAX_EDGES
        {
            return Applied::default();
        }
        let id = EdgeId(self.fresh_id());
        self.edges.push(Edge {
            id,
            from,
            to,
            label: String::new(),
            sim: EdgeSim::default(),
        });
        Applied {
            changed: true,
            edges: vec![id],
            ..Applied::default()
        }
    }

    fn delete(&mut self, nodes: &[NodeId], edges: &[EdgeId], groups: &[GroupId]) -> Applied {
        let nodes: HashSet<NodeId> = nodes.iter().copied().collect();
        let edges: HashSet<EdgeId> = edges.iter().copied().collect();
        let groups: HashSet<GroupId> = groups.iter().copied().collect();
        let before = (self.nodes.len(), self.edges.len(), self.groups.len());
        self.nodes.retain(|n| !nodes.contains(&n.id));
        // An edge goes with either of its ends.
        self.edges.retain(|e| {
            !edges.contains(&e.id) && !nodes.contains(&e.from) && !nodes.contains(&e.to)
        });
        self.groups.retain(|g| !groups.contains(&g.id));
        let mut members_changed = false;
        for g in &mut self.groups {
            let n = g.members.len();
            g.members.retain(|m| !nodes.contains(m));
            members_changed |= g.members.len() != n;
        }
        self.groups.retain(|g| !g.members.is_empty());
        let after = (self.nodes.len(), self.edges.len(), self.groups.len());
        Applied::changed(before != after || members_changed)
    }

    fn group_nodes(&mut self, members: Vec<NodeId>, label: String) -> Applied {
        let mut seen = HashSet::new();
        let members: Vec<NodeId> = members
            .into_iter()
            .filter(|m| self.node(*m).is_some() && seen.insert(*m))
            .collect();
        if members.is_empty()
            || members.len() > MAX_GROUP_MEMBERS
            || self.groups.len() >= MAX_GROUPS
        {
            return Applied::default();
        }
        let id = GroupId(self.fresh_id());
        self.groups.push(Group {
            id,
            label: clip_label(label),
            members,
        });
        Applied {
            changed: true,
            group: Some(id),
            ..Applied::default()
        }
    }

    fn paste(&mut self, fragment: Fragment, offset: Vector) -> Applied {
        if self.nodes.len() + fragment.nodes.len() > MAX_NODES
            || self.edges.len() + fragment.edges.len() > MAX_EDGES
        {
            return Applied::default();
        }
        let mut new_ids = HashMap::new();
        let mut applied = Applied::default();
        for mut node in fragment.nodes {
            let id = NodeId(self.fresh_id());
            new_ids.insert(node.id, id);
            node.id = id;
            node.pos = node.pos + offset;
            applied.nodes.push(id);
            self.nodes.push(node);
        }
        for mut edge in fragment.edges {
            let (Some(&from), Some(&to)) = (new_ids.get(&edge.from), new_ids.get(&edge.to)) else {
                continue;
            };
            edge.id = EdgeId(self.fresh_id());
            edge.from = from;
            edge.to = to;
            applied.edges.push(edge.id);
            self.edges.push(edge);
        }
        applied.changed = !applied.nodes.is_empty();
        applied
    }

    /// The selected nodes and the edges among them.
    pub fn copy(&self, nodes: &[NodeId]) -> Fragment {
        let set: HashSet<NodeId> = nodes.iter().copied().collect();
        Fragment {
            nodes: self
                .nodes
                .iter()
                .filter(|n| set.contains(&n.id))
                .cloned()
                .collect(),
            edges: self
                .edges
                .iter()
                .filter(|e| set.contains(&e.from) && set.contains(&e.to))
                .cloned()
                .collect(),
        }
    }
}

/// `label` cut to [`MAX_LABEL_CHARS`] characters.
fn clip_label(mut label: String) -> String {
    label.truncate(first_chars(&label, MAX_LABEL_CHARS).len());
    label
}

fn set<T: PartialEq>(slot: Option<&mut T>, value: T) -> Applied {
    match slot {
        Some(slot) if *slot != value => {
            *slot = value;
            Applied::changed(true)
        }
        _ => Applied::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(d: &mut Diagram, kind: ComponentKind, x: f32) -> NodeId {
        d.apply(DiagramEdit::AddNode {
            kind,
            pos: Point::new(x, 0.0),
        })
        .nodes[0]
    }

    #[test]
    fn add_connect_and_refuse_bad_edges() {
        let mut d = Diagram::default();
        let a = add(&mut d, ComponentKind::Client, 0.0);
        let b = add(&mut d, ComponentKind::ApiGateway, 200.0);
        assert_eq!(d.node(a).map(|n| n.label.as_str()), Some("Client"));
        let e = d.apply(DiagramEdit::Connect { from: a, to: b });
        assert_eq!(e.edges.len(), 1);
        assert!(
            !d.apply(DiagramEdit::Connect { from: a, to: b }).changed,
            "no repeat"
        );
        assert!(
            !d.apply(DiagramEdit::Connect { from: a, to: a }).changed,
            "no self-loop"
        );
        assert!(
            !d.apply(DiagramEdit::Connect {
                from: a,
                to: NodeId(99)
            })
            .changed
        );
        assert!(
            d.apply(DiagramEdit::Connect { from: b, to: a }).changed,
            "reverse is allowed"
        );
    }

    #[test]
    fn deleting_a_node_takes_its_edges_and_group_membership() {
        let mut d = Diagram::default();
        let a = add(&mut d, ComponentKind::Client, 0.0);
        let b = add(&mut d, ComponentKind::Cache, 200.0);
        let c = add(&mut d, ComponentKind::RankingModel, 400.0);
        d.apply(DiagramEdit::Connect { from: a, to: b });
        d.apply(DiagramEdit::Connect { from: b, to: c });
        let g = d
            .apply(DiagramEdit::Group {
                members: vec![b],
                label: "online".into(),
            })
            .group
            .expect("group");
        d.apply(DiagramEdit::Group {
            members: vec![a, c],
            label: "ends".into(),
        });
        assert!(
            d.apply(DiagramEdit::Delete {
                nodes: vec![b],
                edges: vec![],
                groups: vec![]
            })
            .changed
        );
        assert!(d.edges.is_empty());
        assert!(d.group(g).is_none(), "an emptied group goes too");
        assert_eq!(d.groups.len(), 1);
    }

    #[test]
    fn edits_to_missing_things_change_nothing() {
        let mut d = Diagram::default();
        let before = d.clone();
        for edit in [
            DiagramEdit::RenameNode {
                id: NodeId(5),
                label: "x".into(),
            },
            DiagramEdit::MoveNodes {
                ids: vec![NodeId(5)],
                delta: Vector::new(1.0, 1.0),
            },
            DiagramEdit::Ungroup { id: GroupId(1) },
            DiagramEdit::Group {
                members: vec![NodeId(3)],
                label: "g".into(),
            },
        ] {
            assert!(!d.apply(edit).changed);
        }
        assert_eq!(d, before);
    }

    #[test]
    fn paste_gives_fresh_ids_and_keeps_internal_edges_only() {
        let mut d = Diagram::default();
        let a = add(&mut d, ComponentKind::Client, 0.0);
        let b = add(&mut d, ComponentKind::Cache, 200.0);
        let c = add(&mut d, ComponentKind::RankingModel, 400.0);
        d.apply(DiagramEdit::Connect { from: a, to: b });
        d.apply(DiagramEdit::Connect { from: b, to: c });
        let fragment = d.copy(&[a, b]);
        assert_eq!(fragment.edges.len(), 1);
        let pasted = d.apply(DiagramEdit::Paste {
            fragment,
            offset: Vector::new(20.0, 20.0),
        });
        assert_eq!(pasted.nodes.len(), 2);
        assert_eq!(pasted.edges.len(), 1);
        assert!(pasted.nodes.iter().all(|id| ![a, b, c].contains(id)));
        let copy = d.node(pasted.nodes[0]).expect("pasted");
        assert_eq!(copy.pos, Point::new(20.0, 20.0));
        assert!(d.clone().sanitize().is_ok());
    }

    #[test]
    fn merge_adds_everything_with_fresh_ids_or_nothing() {
        let mut other = Diagram::default();
        let a = add(&mut other, ComponentKind::Client, 0.0);
        let b = add(&mut other, ComponentKind::Cache, 200.0);
        other.apply(DiagramEdit::Connect { from: a, to: b });
        other.apply(DiagramEdit::Group {
            members: vec![a, b],
            label: "online".into(),
        });
        let mut d = Diagram::default();
        let c = add(&mut d, ComponentKind::RankingModel, 0.0);
        let merged = d.apply(DiagramEdit::Merge {
            diagram: Box::new(other.clone()),
            offset: Vector::new(0.0, 100.0),
        });
        assert_eq!((merged.nodes.len(), merged.edges.len()), (2, 1));
        assert!(!merged.nodes.contains(&c));
        assert_eq!(d.nodes.len(), 3);
        assert_eq!(d.groups[0].members, merged.nodes);
        assert_eq!(
            d.node(merged.nodes[1]).map(|n| n.pos),
            Some(Point::new(200.0, 100.0))
        );
        assert!(d.clone().sanitize().is_ok());

        // An edge to a node the other diagram lacks: nothing comes in.
        let mut broken = other.clone();
        broken.edges[0].to = NodeId(999);
        let before = d.clone();
        let refused = d.apply(DiagramEdit::Merge {
            diagram: Box::new(broken),
            offset: Vector::default(),
        });
        assert!(!refused.changed);
        assert_eq!(d, before);
        // Past the node limit: nothing comes in either.
        let mut big = Diagram::default();
        for i in 0..MAX_NODES {
            add(&mut big, ComponentKind::Generic, i as f32);
        }
        assert!(
            !d.apply(DiagramEdit::Merge {
                diagram: Box::new(big),
                offset: Vector::default(),
            })
            .changed
        );
        assert_eq!(d, before);
    }

    #[test]
    fn sanitize_rejects_structure_errors_and_clamps_coordinates() {
        let mut d = Diagram::default();
        let a = add(&mut d, ComponentKind::Client, 0.0);
        let mut bad = d.clone();
        bad.edges.push(Edge {
            id: EdgeId(50),
            from: a,
            to: NodeId(77),
            label: String::new(),
            sim: EdgeSim::default(),
        });
        assert_eq!(
            bad.sanitize(),
            Err(super::super::model::DiagramError::DanglingEdge { edge: 50, node: 77 })
        );
        let mut dup = d.clone();
        let mut twin = dup.nodes[0].clone();
        twin.pos = Point::new(f32::NAN, 1e30);
        dup.nodes.push(twin);
        assert!(dup.sanitize().is_err());
        let mut far = d.clone();
        far.nodes[0].pos = Point::new(f32::NAN, 1e30);
        far.next_id = 0;
        far.sanitize().expect("clamped");
        assert_eq!(far.nodes[0].pos, Point::new(0.0, 1_000_000.0));
        assert_eq!(far.next_id, a.0, "next_id raised past existing ids");
    }
}
