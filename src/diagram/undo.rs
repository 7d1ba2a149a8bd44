//! Undo and redo by snapshots taken at command boundaries. A drag is one
//! interaction, so it becomes one undo step however many frames it lasts.

use super::edit::{Applied, DiagramEdit};
use super::model::Diagram;

/// Undo steps kept per diagram.
pub const UNDO_LIMIT: usize = 200;

/// The undo and redo stacks of one diagram.
#[derive(Debug, Clone, Default)]
pub struct UndoStack {
    undo: Vec<Diagram>,
    redo: Vec<Diagram>,
    /// Inside a drag: the snapshot is taken at the first change only.
    interacting: bool,
    snapshot_taken: bool,
}

impl UndoStack {
    /// Applies `edit` to `diagram`, recording an undo step if it changed anything.
    pub fn apply(&mut self, diagram: &mut Diagram, edit: DiagramEdit) -> Applied {
        let before = diagram.clone();
        let applied = diagram.apply(edit);
        if applied.changed && !(self.interacting && self.snapshot_taken) {
            self.push(before);
            self.snapshot_taken = self.interacting;
        }
        applied
    }

    fn push(&mut self, snapshot: Diagram) {
        self.undo.push(snapshot);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// Starts an interaction (a drag): its edits become one undo step.
    pub fn begin_interaction(&mut self) {
        self.interacting = true;
        self.snapshot_taken = false;
    }

    pub fn end_interaction(&mut self) {
        self.interacting = false;
        self.snapshot_taken = false;
    }

    pub fn is_interacting(&self) -> bool {
        self.interacting
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Restores the state before the last step. Returns false if there is none.
    pub fn undo(&mut self, diagram: &mut Diagram) -> bool {
        self.end_interaction();
        match self.undo.pop() {
            Some(previous) => {
                self.redo.push(std::mem::replace(diagram, previous));
                true
            }
            None => false,
        }
    }

    /// Re-applies the last undone step. Returns false if there is none.
    pub fn redo(&mut self, diagram: &mut Diagram) -> bool {
        self.end_interaction();
        match self.redo.pop() {
            Some(next) => {
                self.undo.push(std::mem::replace(diagram, next));
                true
            }
            None => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{ComponentKind, Point, Vector};

    #[test]
    fn a_drag_is_one_undo_step() {
        let mut d = Diagram::default();
        let mut h = UndoStack::default();
        let id = h
            .apply(
                &mut d,
                DiagramEdit::AddNode {
                    kind: ComponentKind::Cache,
                    pos: Point::ZERO,
                },
            )
            .nodes[0];
        h.begin_interaction();
        for _ in 0..10 {
            h.apply(
                &mut d,
                DiagramEdit::MoveNodes {
                    ids: vec![id],
                    delta: Vector::new(3.0, 0.0),
                },
            );
        }
        h.end_interaction();
        assert_eq!(d.node(id).map(|n| n.pos.x), Some(30.0));
        assert!(h.undo(&mut d));
        assert_eq!(
            d.node(id).map(|n| n.pos.x),
            Some(0.0),
            "the whole drag undone at once"
        );
        assert!(h.undo(&mut d));
        assert!(d.is_empty());
        assert!(!h.undo(&mut d));
        assert!(h.redo(&mut d) && h.redo(&mut d));
        assert_eq!(d.node(id).map(|n| n.pos.x), Some(30.0));
    }

    #[test]
    fn edits_that_change_nothing_leave_no_step_and_new_edits_clear_redo() {
        let mut d = Diagram::default();
        let mut h = UndoStack::default();
        h.apply(
            &mut d,
            DiagramEdit::Ungroup {
                id: crate::diagram::GroupId(4),
            },
        );
        assert!(!h.can_undo());
        h.apply(
            &mut d,
            DiagramEdit::AddNode {
                kind: ComponentKind::Cache,
                pos: Point::ZERO,
            },
        );
        h.undo(&mut d);
        assert!(h.can_redo());
        h.apply(
            &mut d,
            DiagramEdit::AddNode {
                kind: ComponentKind::Note,
                pos: Point::ZERO,
            },
        );
        assert!(!h.can_redo());
    }

    #[test]
    fn every_kind_of_edit_is_undone_and_redone_exactly() {
        use crate::diagram::{CallMode, EdgeSim, Fragment, MlRole, NodeSim, Point, Size, Vector};
        let mut d = Diagram::default();
        let a = d
            .apply(DiagramEdit::AddNode {
                kind: ComponentKind::Client,
                pos: Point::ZERO,
            })
            .nodes[0];
        let b = d
            .apply(DiagramEdit::AddNode {
                kind: ComponentKind::Cache,
                pos: Point::new(300.0, 0.0),
            })
            .nodes[0];
        let e = d.apply(DiagramEdit::Connect { from: a, to: b }).edges[0];
        let g = d
            .apply(DiagramEdit::Group {
                members: vec![a],
                label: "online".into(),
            })
            .group
            .expect("group");
        let edits = vec![
            DiagramEdit::AddNode {
                kind: ComponentKind::Note,
                pos: Point::new(5.0, 5.0),
            },
            DiagramEdit::MoveNodes {
                ids: vec![a, b],
                delta: Vector::new(10.0, -4.0),
            },
            DiagramEdit::SetPositions(vec![(b, Point::new(640.0, 80.0))]),
            DiagramEdit::Resize {
                id: a,
                size: Size::new(220.0, 90.0),
            },
            DiagramEdit::Connect { from: b, to: a },
            DiagramEdit::Delete {
                nodes: vec![b],
                edges: vec![],
                groups: vec![],
            },
            DiagramEdit::Delete {
                nodes: vec![],
                edges: vec![e],
                groups: vec![g],
            },
            DiagramEdit::RenameNode {
                id: a,
                label: "Mobile app".into(),
            },
            DiagramEdit::SetNotes {
                id: a,
                notes: "iOS and Android".into(),
            },
            DiagramEdit::SetKind {
                id: b,
                kind: ComponentKind::KeyValueStore,
            },
            DiagramEdit::SetNodeSim {
                id: b,
                sim: Some(NodeSim {
                    ml: MlRole::Cache { hit_ratio: 0.9 },
                    ..NodeSim::default()
                }),
            },
            DiagramEdit::RenameEdge {
                id: e,
                label: "lookup".into(),
            },
            DiagramEdit::SetEdgeSim {
                id: e,
                sim: EdgeSim {
                    mode: CallMode::Parallel,
                    calls_per_request: 2.0,
                    network_ms: 1.0,
                },
            },
            DiagramEdit::Group {
                members: vec![a, b],
                label: "serving".into(),
            },
            DiagramEdit::Ungroup { id: g },
            DiagramEdit::RenameGroup {
                id: g,
                label: "edge".into(),
            },
            DiagramEdit::Paste {
                fragment: d.copy(&[a, b]),
                offset: Vector::new(40.0, 40.0),
            },
            DiagramEdit::Paste {
                fragment: Fragment::default(),
                offset: Vector::default(),
            },
        ];
        for edit in edits {
            let empty_paste =
                matches!(&edit, DiagramEdit::Paste { fragment, .. } if fragment.nodes.is_empty());
            let mut h = UndoStack::default();
            let mut doc = d.clone();
            let applied = h.apply(&mut doc, edit.clone());
            assert_eq!(applied.changed, !empty_paste, "{edit:?}");
            if empty_paste {
                assert!(
                    !h.can_undo(),
                    "an edit that changes nothing leaves no undo step"
                );
                continue;
            }
            assert_ne!(doc, d, "{edit:?} changed the diagram");
            let after = doc.clone();
            assert!(h.undo(&mut doc));
            assert_eq!(doc, d, "undo of {edit:?}");
            assert!(h.redo(&mut doc));
            assert_eq!(doc, after, "redo of {edit:?}");
            assert!(
                doc.clone().sanitize().is_ok(),
                "{edit:?} keeps the diagram consistent"
            );
        }
    }
}
