//! Drawing without a mouse: F6 focuses the canvas, Tab walks the nodes in
//! reading order, `N` adds a node, `C` connects the selected node to one
//! picked with Tab or the arrows. Every change goes out as a diagram edit,
//! so undo covers it.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers, Rect, Response, Stroke};

use super::commands::{ADD_NODE, CONNECT, FOCUS_CANVAS, NEXT_NODE, PREVIOUS_NODE};

use super::state::{DiagramEditorState, Selection};
use crate::app::DiagramAction;
use crate::diagram::{Diagram, DiagramEdit, NodeId, Point};

/// A connection being drawn from the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyboardConnect {
    pub from: NodeId,
    /// The node Enter would connect to (highlighted).
    pub target: Option<NodeId>,
}

/// F6 (anywhere) gives the canvas focus; while it has focus, Tab, the
/// arrows and Escape stay with it instead of moving focus elsewhere.
///
/// The canvas's id changes when panels beside it come and go (a selection
/// shows the properties), so the editor remembers that it had the keyboard
/// and takes focus back from its old id.
pub fn focus_keys(ui: &egui::Ui, state: &mut DiagramEditorState, response: &Response) {
    // F6 takes the focus from whichever widget has it.
    let take = ui.input_mut(|i| i.consume_shortcut(&FOCUS_CANVAS)) || response.clicked();
    if take {
        state.keyboard_focus = true;
        response.request_focus();
    }
    let focused = ui.memory(|m| m.focused());
    let ours = take || focused.is_none_or(|f| f == response.id || Some(f) == state.last_canvas_id);
    if !ours {
        state.keyboard_focus = false;
    } else if state.keyboard_focus && focused != Some(response.id) {
        response.request_focus();
    }
    state.last_canvas_id = Some(response.id);
    if response.has_focus() {
        let filter = egui::EventFilter {
            tab: true,
            horizontal_arrows: true,
            vertical_arrows: true,
            escape: true,
        };
        ui.memory_mut(|m| m.set_focus_lock_filter(response.id, filter));
    }
}

/// The nodes top to bottom, then left to right: the order Tab follows.
pub fn reading_order(diagram: &Diagram) -> Vec<NodeId> {
    let mut nodes: Vec<_> = diagram.nodes.iter().collect();
    nodes.sort_by(|a, b| {
        let (ra, rb) = (a.rect(), b.rect());
        ra.min
            .y
            .total_cmp(&rb.min.y)
            .then(ra.min.x.total_cmp(&rb.min.x))
    });
    nodes.into_iter().map(|n| n.id).collect()
}

/// The next (or previous) node after `from` in reading order, wrapping and
/// never `skip`; the first (or last) node when there is no `from`.
fn step_from(
    diagram: &Diagram,
    from: Option<NodeId>,
    forward: bool,
    skip: Option<NodeId>,
) -> Option<NodeId> {
    let mut order = reading_order(diagram);
    if !forward {
        order.reverse();
    }
    let start = from
        .and_then(|id| order.iter().position(|o| *o == id))
        .map_or(0, |i| i + 1);
    let n = order.len();
    (0..n)
        .map(|k| order[(start + k) % n])
        .find(|id| Some(*id) != skip)
}

/// The keys of the focused canvas that the pointer keys do not cover.
/// Returns the edits to send and whether the keys were used up (then the
/// ordinary canvas keys must not see them).
pub fn canvas_keys(
    ui: &egui::Ui,
    state: &mut DiagramEditorState,
    diagram: &Diagram,
    canvas: Rect,
) -> (Vec<DiagramAction>, bool) {
    let mut actions = Vec::new();
    let pressed = |m: Modifiers, k: Key| ui.input_mut(|i| i.consume_key(m, k));
    if let Some(connect) = state.keyboard_connect {
        // Shift+Tab is checked first: a plain Tab pattern also matches it.
        let back = pressed(Modifiers::SHIFT, Key::Tab)
            || pressed(Modifiers::NONE, Key::ArrowLeft)
            || pressed(Modifiers::NONE, Key::ArrowUp);
        let forward = pressed(Modifiers::NONE, Key::Tab)
            || pressed(Modifiers::NONE, Key::ArrowRight)
            || pressed(Modifiers::NONE, Key::ArrowDown);
        if back || forward {
            let target = step_from(diagram, connect.target, forward, Some(connect.from));
            state.keyboard_connect = Some(KeyboardConnect { target, ..connect });
        }
        if pressed(Modifiers::NONE, Key::Enter) {
            if let Some(to) = connect.target {
                actions.push(DiagramAction::Edit(DiagramEdit::Connect {
                    from: connect.from,
                    to,
                }));
            }
            state.keyboard_connect = None;
        } else if pressed(Modifiers::NONE, Key::Escape) {
            state.keyboard_connect = None;
        }
        return (actions, true);
    }
    let single = (state.selection.nodes.len() == 1)
        .then(|| state.selection.nodes.first().copied())
        .flatten();
    let shortcut = |s: &KeyboardShortcut| ui.input_mut(|i| i.consume_shortcut(s));
    let back = shortcut(&PREVIOUS_NODE);
    if (back || shortcut(&NEXT_NODE))
        && let Some(id) = step_from(diagram, single, !back, None)
    {
        state.selection = Selection::only_node(id);
    }
    if let Some(from) = single
        && shortcut(&CONNECT)
    {
        let target = step_from(diagram, Some(from), true, Some(from));
        state.keyboard_connect = Some(KeyboardConnect { from, target });
    }
    if shortcut(&ADD_NODE) {
        let c = state.view.to_model(canvas, canvas.center());
        // A little apart from the last one, so nodes added in a row do not
        // hide each other.
        let shift = 30.0 * (diagram.nodes.len() % 8) as f32;
        actions.push(DiagramAction::Edit(DiagramEdit::AddNode {
            kind: state.last_kind,
            pos: Point::new(c.x + shift, c.y + shift),
        }));
    }
    (actions, false)
}

/// Rings the node a keyboard connection would go to.
pub fn paint_connect_target(
    painter: &egui::Painter,
    state: &DiagramEditorState,
    diagram: &Diagram,
    canvas: Rect,
    stroke: Stroke,
) {
    let Some(target) = state.keyboard_connect.and_then(|c| c.target) else {
        return;
    };
    if let Some(node) = diagram.node(target) {
        let r = state.view.rect_to_screen(canvas, node.rect()).expand(4.0);
        painter.rect_stroke(
            r,
            8.0,
            Stroke::new(3.0, stroke.color),
            egui::StrokeKind::Outside,
        );
    }
}
