//! Random edit sequences keep the diagram consistent, and undo/redo walk
//! back and forth through exactly the states the edits produced.

use mlsd_studio::diagram::{ComponentKind, Diagram, DiagramEdit, NodeId, Point, UndoStack, Vector};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    Add(usize, i16, i16),
    Move(usize, i16, i16),
    Drag(usize, u8),
    Connect(usize, usize),
    DeleteNode(usize),
    DeleteEdge(usize),
    Group(Vec<usize>),
    Ungroup(usize),
    Rename(usize, String),
    Duplicate(Vec<usize>),
    Undo,
    Redo,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..ComponentKind::ALL.len(), any::<i16>(), any::<i16>()).prop_map(|(k, x, y)| Op::Add(k, x, y)),
        2 => (any::<usize>(), -50i16..50, -50i16..50).prop_map(|(n, x, y)| Op::Move(n, x, y)),
        1 => (any::<usize>(), 1u8..6).prop_map(|(n, s)| Op::Drag(n, s)),
        4 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Connect(a, b)),
        1 => any::<usize>().prop_map(Op::DeleteNode),
        1 => any::<usize>().prop_map(Op::DeleteEdge),
        1 => prop::collection::vec(any::<usize>(), 1..4).prop_map(Op::Group),
        1 => any::<usize>().prop_map(Op::Ungroup),
        1 => (any::<usize>(), "[a-z \"<>&]{0,12}").prop_map(|(n, s)| Op::Rename(n, s)),
        1 => prop::collection::vec(any::<usize>(), 1..3).prop_map(Op::Duplicate),
        2 => Just(Op::Undo),
        1 => Just(Op::Redo),
    ]
}

fn pick(d: &Diagram, i: usize) -> Option<NodeId> {
    (!d.nodes.is_empty()).then(|| d.nodes[i % d.nodes.len()].id)
}

fn apply(h: &mut UndoStack, d: &mut Diagram, op: Op) {
    match op {
        Op::Add(k, x, y) => {
            h.apply(
                d,
                DiagramEdit::AddNode {
                    kind: ComponentKind::ALL[k],
                    pos: Point::new(f32::from(x), f32::from(y)),
                },
            );
        }
        Op::Move(n, dx, dy) => {
            if let Some(id) = pick(d, n) {
                h.apply(
                    d,
                    DiagramEdit::MoveNodes {
                        ids: vec![id],
                        delta: Vector::new(f32::from(dx), f32::from(dy)),
                    },
                );
            }
        }
        Op::Drag(n, steps) => {
            if let Some(id) = pick(d, n) {
                let start = d.node(id).map(|n| n.pos).unwrap_or_default();
                h.begin_interaction();
                for s in 1..=steps {
                    let p = Point::new(start.x + f32::from(s) * 7.0, start.y - f32::from(s) * 3.0);
                    h.apply(d, DiagramEdit::SetPositions(vec![(id, p)]));
                }
                h.end_interaction();
            }
        }
        Op::Connect(a, b) => {
            if let (Some(a), Some(b)) = (pick(d, a), pick(d, b)) {
                h.apply(d, DiagramEdit::Connect { from: a, to: b });
            }
        }
        Op::DeleteNode(n) => {
            if let Some(id) = pick(d, n) {
                h.apply(
                    d,
                    DiagramEdit::Delete {
                        nodes: vec![id],
                        edges: vec![],
                        groups: vec![],
                    },
                );
            }
        }
        Op::DeleteEdge(e) => {
            if !d.edges.is_empty() {
                let id = d.edges[e % d.edges.len()].id;
                h.apply(
                    d,
                    DiagramEdit::Delete {
                        nodes: vec![],
                        edges: vec![id],
                        groups: vec![],
                    },
                );
            }
        }
        Op::Group(picks) => {
            let members: Vec<NodeId> = picks.iter().filter_map(|i| pick(d, *i)).collect();
            h.apply(
                d,
                DiagramEdit::Group {
                    members,
                    label: "g".into(),
                },
            );
        }
        Op::Ungroup(g) => {
            if !d.groups.is_empty() {
                let id = d.groups[g % d.groups.len()].id;
                h.apply(d, DiagramEdit::Ungroup { id });
            }
        }
        Op::Rename(n, label) => {
            if let Some(id) = pick(d, n) {
                h.apply(d, DiagramEdit::RenameNode { id, label });
            }
        }
        Op::Duplicate(picks) => {
            let ids: Vec<NodeId> = picks.iter().filter_map(|i| pick(d, *i)).collect();
            let fragment = d.copy(&ids);
            h.apply(
                d,
                DiagramEdit::Paste {
                    fragment,
                    offset: Vector::new(40.0, 40.0),
                },
            );
        }
        Op::Undo => {
            h.undo(d);
        }
        Op::Redo => {
            h.redo(d);
        }
    }
}

fn assert_consistent(d: &Diagram) {
    let mut copy = d.clone();
    copy.sanitize()
        .expect("no dangling edge, member or repeated id");
    assert!(
        d.groups.iter().all(|g| !g.members.is_empty()),
        "no empty group"
    );
    for e in &d.edges {
        assert_ne!(e.from, e.to, "no self-loop");
    }
    let ids_below_next =
        d.nodes.iter().all(|n| n.id.0 <= d.next_id) && d.edges.iter().all(|e| e.id.0 <= d.next_id);
    assert!(ids_below_next, "fresh ids stay ahead of every used id");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn edits_keep_invariants_and_undo_redo_round_trip(ops in prop::collection::vec(op(), 1..60)) {
        let initial = Diagram::default();
        let mut d = initial.clone();
        let mut h = UndoStack::default();
        for op in ops {
            apply(&mut h, &mut d, op);
            assert_consistent(&d);
        }
        // The newest state on the current branch: redo whatever is pending.
        while h.redo(&mut d) {
            assert_consistent(&d);
        }
        let last = d.clone();
        while h.undo(&mut d) {
            assert_consistent(&d);
        }
        prop_assert_eq!(&d, &initial);
        while h.redo(&mut d) {}
        prop_assert_eq!(&d, &last);
    }
}
