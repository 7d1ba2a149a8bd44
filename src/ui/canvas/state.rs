//! View state of a diagram editor: what is selected, what is being dragged,
//! pan and zoom. None of it is saved in the document.

use std::collections::BTreeSet;

use crate::diagram::{ComponentKind, Diagram, EdgeId, Fragment, GroupId, NodeId, Point};

use super::keys::KeyboardConnect;
use super::view::View;

/// The selected parts of a diagram.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub nodes: BTreeSet<NodeId>,
    pub edges: BTreeSet<EdgeId>,
    pub groups: BTreeSet<GroupId>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty() && self.edges.is_empty() && self.groups.is_empty()
    }

    pub fn clear(&mut self) {
        *self = Selection::default();
    }

    pub fn only_node(id: NodeId) -> Selection {
        Selection {
            nodes: [id].into(),
            ..Selection::default()
        }
    }

    /// Nodes that move when the selection is dragged: the selected nodes and
    /// the members of selected groups.
    pub fn moving_nodes(&self, d: &Diagram) -> Vec<NodeId> {
        let mut ids: BTreeSet<NodeId> = self.nodes.clone();
        for g in d.groups.iter().filter(|g| self.groups.contains(&g.id)) {
            ids.extend(g.members.iter().copied());
        }
        ids.into_iter().filter(|id| d.node(*id).is_some()).collect()
    }

    /// Drops ids that no longer exist (after undo, delete or a file load).
    pub fn retain_existing(&mut self, d: &Diagram) {
        self.nodes.retain(|id| d.node(*id).is_some());
        self.edges.retain(|id| d.edge(*id).is_some());
        self.groups.retain(|id| d.group(*id).is_some());
    }
}

/// What a pointer drag on the canvas is doing.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Drag {
    #[default]
    None,
    Pan,
    /// Moving nodes: where each started and where the pointer started.
    Move {
        start: Point,
        origins: Vec<(NodeId, Point)>,
    },
    /// Drawing a new edge from a node.
    Connect {
        from: NodeId,
    },
    /// Selecting with a rectangle; `additive` keeps the old selection.
    RubberBand {
        start: Point,
        additive: bool,
        before: Selection,
    },
}

/// Everything the editor of one diagram remembers between frames.
#[derive(Debug, Clone)]
pub struct DiagramEditorState {
    pub view: View,
    pub selection: Selection,
    pub drag: Drag,
    /// Positions snap to the grid while dragging.
    pub snap: bool,
    /// The node being renamed in place, with the text typed so far.
    pub renaming: Option<(NodeId, String)>,
    /// The kind double-clicking on empty canvas adds.
    pub last_kind: ComponentKind,
    /// Fit the view to the content on the next frame.
    pub fit_requested: bool,
    /// Copied nodes, for paste and duplicate.
    pub clipboard: Option<Fragment>,
    /// Pastes in a row, so each lands a little further away.
    pub paste_count: u32,
    pub show_help: bool,
    /// A connection being drawn from the keyboard (`C`).
    pub keyboard_connect: Option<KeyboardConnect>,
    /// The canvas had keyboard focus (F6 or a click) and keeps it.
    pub keyboard_focus: bool,
    /// An arrow key is held: its nudges are one undo step, like a drag.
    pub nudging: bool,
    /// The canvas's widget id in the last frame.
    pub last_canvas_id: Option<eframe::egui::Id>,
    /// Where the canvas was last drawn, for placing clicked palette items.
    pub last_canvas: eframe::egui::Rect,
}

impl Default for DiagramEditorState {
    fn default() -> DiagramEditorState {
        DiagramEditorState {
            view: View::default(),
            selection: Selection::default(),
            drag: Drag::None,
            snap: true,
            renaming: None,
            last_kind: ComponentKind::Generic,
            fit_requested: true,
            clipboard: None,
            paste_count: 0,
            show_help: false,
            keyboard_connect: None,
            keyboard_focus: false,
            nudging: false,
            last_canvas_id: None,
            last_canvas: eframe::egui::Rect::from_min_size(
                eframe::egui::Pos2::ZERO,
                eframe::egui::vec2(800.0, 600.0),
            ),
        }
    }
}

/// Grid spacing in model units.
pub const GRID: f32 = 20.0;
