//! The canvas widget: paints the diagram and turns pointer and keyboard
//! input into commands. Interactions are collected while painting and sent
//! as commands; the document changes only when the app applies them.

use eframe::egui::{self, Key, KeyboardShortcut, PointerButton, Pos2, Rect, Sense};

use super::commands::{
    CANVAS_KEYS, CLEAR_SELECTION, DELETE, DELETE_BACK, DUPLICATE, FIT, GROUP, LAYOUT, REDO, REDO_Y,
    RENAME, RENAME_ENTER, RESET_ZOOM, SELECT_ALL, SNAP, UNDO, UNGROUP, ZOOM_IN, ZOOM_IN_EQ,
    ZOOM_OUT,
};
use super::keys::{canvas_keys, focus_keys, paint_connect_target};
use super::paint::{NodeTints, Paint, Palette, ports};
use super::state::{DiagramEditorState, Drag, GRID, Selection};
use crate::app::{Command, Commands, DiagramAction};
use crate::diagram::{
    ComponentKind, Diagram, DiagramEdit, EdgeId, GroupId, NodeId, Point, Vector,
    distance_to_segment,
};
use crate::import::ImportFormat;

/// Pixels within which a press on a port starts a connection.
const PORT_RADIUS: f32 = 8.0;
/// Pixels within which a click selects an edge.
const EDGE_PICK: f32 = 6.0;

/// What is under a screen position.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Hit {
    Port(NodeId),
    Node(NodeId),
    Edge(EdgeId),
    Group(GroupId),
    Empty,
}

struct Ctx<'a> {
    name: &'a str,
    diagram: &'a Diagram,
    canvas: Rect,
    commands: &'a mut Commands,
}

impl Ctx<'_> {
    fn send(&mut self, action: DiagramAction) {
        self.commands.send(Command::Diagram {
            name: self.name.to_owned(),
            action,
        });
    }
}

/// Draws the canvas of `diagram` filling the space left in `ui`.
pub fn canvas_ui(
    ui: &mut egui::Ui,
    state: &mut DiagramEditorState,
    name: &str,
    diagram: &Diagram,
    tints: Option<&NodeTints>,
    commands: &mut Commands,
) {
    let (response, painter) = ui.allocate_painter(ui.available_size(), Sense::click_and_drag());
    let canvas = response.rect;
    // A fit waits for a frame whose canvas is the size of the one before, so
    // a layout change (side by side to full screen) fits the final size.
    let stable = state.last_canvas.size() == canvas.size();
    state.last_canvas = canvas;
    state.selection.retain_existing(diagram);
    if state.fit_requested {
        if let Some(bounds) = diagram.bounds() {
            state.view.fit(canvas, bounds);
        }
        if stable {
            state.fit_requested = false;
        } else {
            ui.ctx().request_repaint();
        }
    }
    let mut cx = Ctx {
        name,
        diagram,
        canvas,
        commands,
    };
    let hover = response.hover_pos();
    let hovered_node = hover.and_then(|p| match hit(state, &cx, p) {
        Hit::Node(id) | Hit::Port(id) => Some(id),
        _ => None,
    });

    navigate(ui, state, &response, canvas);
    // Before any other edit, so none joins the nudges' undo step.
    end_nudge_on_release(ui, state, &mut cx);
    pointer(ui, state, &response, &mut cx);
    focus_keys(ui, state, &response);
    let typing = ui.ctx().text_edit_focused() || state.renaming.is_some();
    let mut keys_used = false;
    if response.has_focus() && !typing {
        let (actions, used) = canvas_keys(ui, state, diagram, canvas);
        for action in actions {
            cx.send(action);
        }
        keys_used = used;
    }
    if !keys_used && (response.has_focus() || response.hovered() || response.clicked()) {
        keyboard(ui, state, &mut cx);
    }
    if response.clicked() || response.drag_started() {
        response.request_focus();
    }

    painter.rect_filled(canvas, 0.0, ui.visuals().extreme_bg_color);
    let paint = Paint {
        painter: &painter,
        canvas,
        view: state.view,
        palette: Palette::from_visuals(ui.visuals()),
    };
    if state.snap {
        paint.grid(GRID);
    }
    paint.groups(diagram, &state.selection);
    paint.edges(diagram, &state.selection);
    paint.nodes(diagram, &state.selection, tints, hovered_node);
    match &state.drag {
        Drag::RubberBand { start, .. } => {
            if let Some(p) = hover.or(ui.input(|i| i.pointer.interact_pos())) {
                paint.rubber_band(Rect::from_two_pos(state.view.to_screen(canvas, *start), p));
            }
        }
        Drag::Connect { from } => {
            if let (Some(n), Some(p)) =
                (diagram.node(*from), ui.input(|i| i.pointer.interact_pos()))
            {
                paint.pending_edge(state.view.rect_to_screen(canvas, n.rect()), p);
            }
        }
        _ => {}
    }
    if diagram.is_empty() {
        painter.text(
            canvas.center(),
            egui::Align2::CENTER_CENTER,
            "Drag a component from the palette, or double-click here to add a box.",
            egui::FontId::proportional(14.0),
            ui.visuals().weak_text_color(),
        );
    }
    paint_connect_target(
        &painter,
        state,
        diagram,
        canvas,
        ui.visuals().selection.stroke,
    );
    accessibility(ui, state, diagram, &paint);
    rename_ui(ui, state, &mut cx);
}

/// Gives every node an accessible, labelled area, so screen readers and
/// tests can find nodes by name; a node too small to show its label shows
/// it on hover.
fn accessibility(ui: &mut egui::Ui, state: &DiagramEditorState, d: &Diagram, paint: &Paint<'_>) {
    let canvas = paint.canvas;
    for n in &d.nodes {
        let r = state
            .view
            .rect_to_screen(canvas, n.rect())
            .intersect(canvas);
        if !r.is_positive() {
            continue;
        }
        let id = ui.scope_id().with(("diagram-node", n.id.0));
        let response = ui.interact(r, id, Sense::hover());
        let selected = state.selection.nodes.contains(&n.id);
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::accesskit::Role::Button, true, selected, &n.label)
        });
        if paint.hides_label(n) {
            response.on_hover_text(&n.label);
        }
    }
}

fn hit(state: &DiagramEditorState, cx: &Ctx<'_>, p: Pos2) -> Hit {
    let view = state.view;
    let m = view.to_model(cx.canvas, p);
    // Ports of the topmost node under or next to the pointer come first.
    for n in cx.diagram.nodes.iter().rev() {
        let r = view.rect_to_screen(cx.canvas, n.rect());
        if !r.expand(PORT_RADIUS).contains(p) {
            continue;
        }
        if ports(r).iter().any(|q| q.distance(p) <= PORT_RADIUS) {
            return Hit::Port(n.id);
        }
        if r.contains(p) {
            return Hit::Node(n.id);
        }
    }
    let pick = EDGE_PICK / view.zoom;
    for e in cx.diagram.edges.iter().rev() {
        let Some((s, t)) = cx.diagram.edge_ends(e) else {
            continue;
        };
        if distance_to_segment(m, s, t) <= pick {
            return Hit::Edge(e.id);
        }
    }
    for g in cx.diagram.groups.iter().rev() {
        if let Some(r) = cx.diagram.group_rect(g) {
            // Groups are picked by their label bar and frame, not their inside.
            let label_bar = crate::diagram::Rect::from_corners(
                r.min,
                Point::new(r.max.x, r.min.y + crate::diagram::GROUP_LABEL_HEIGHT),
            );
            let near_border = r.contains(m) && !r.expand(-6.0 / view.zoom).contains(m);
            if label_bar.contains(m) || near_border {
                return Hit::Group(g.id);
            }
        }
    }
    Hit::Empty
}

/// Pan with the middle button, space-drag or the scroll wheel; zoom with
/// Ctrl+wheel or a pinch, around the pointer.
fn navigate(
    ui: &egui::Ui,
    state: &mut DiagramEditorState,
    response: &egui::Response,
    canvas: Rect,
) {
    if !response.hovered() && !matches!(state.drag, Drag::Pan) {
        return;
    }
    let (zoom, scroll, pointer) =
        ui.input(|i| (i.zoom_delta(), i.smooth_scroll_delta, i.pointer.hover_pos()));
    if zoom != 1.0 {
        let at = pointer.unwrap_or(canvas.center());
        state.view.zoom_at(canvas, at, zoom);
    } else if scroll != egui::Vec2::ZERO {
        state.view.pan(scroll);
    }
}

fn pointer(
    ui: &egui::Ui,
    state: &mut DiagramEditorState,
    response: &egui::Response,
    cx: &mut Ctx<'_>,
) {
    let (shift, space, press) = ui.input(|i| {
        (
            i.modifiers.shift || i.modifiers.command,
            i.key_down(Key::Space),
            i.pointer.press_origin(),
        )
    });
    if response.drag_started() {
        let origin = press.unwrap_or(cx.canvas.center());
        let middle = response.dragged_by(PointerButton::Middle);
        state.drag = if middle || space {
            Drag::Pan
        } else {
            start_drag(state, cx, origin, shift)
        };
        if matches!(state.drag, Drag::Move { .. }) {
            cx.send(DiagramAction::BeginInteraction);
        }
    }
    if response.dragged() {
        drag_update(ui, state, response, cx);
    }
    if response.drag_stopped() {
        let end = ui
            .input(|i| i.pointer.interact_pos())
            .or(response.hover_pos());
        finish_drag(state, cx, end);
    }
    if response.clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        click(state, cx, p, shift);
    }
    if response.double_clicked()
        && let Some(p) = response.interact_pointer_pos()
    {
        match hit(state, cx, p) {
            Hit::Node(id) | Hit::Port(id) => {
                let label = cx
                    .diagram
                    .node(id)
                    .map(|n| n.label.clone())
                    .unwrap_or_default();
                state.renaming = Some((id, label));
            }
            Hit::Empty => {
                let m = state.view.to_model(cx.canvas, p);
                let size = state.last_kind.default_size();
                let mut pos = Point::new(m.x - size.w / 2.0, m.y - size.h / 2.0);
                if state.snap {
                    pos = pos.snapped(GRID);
                }
                cx.send(DiagramAction::AddAndRename(DiagramEdit::AddNode {
                    kind: state.last_kind,
                    pos,
                }));
            }
            _ => {}
        }
    }
    // A component dragged from the palette and dropped on the canvas.
    if let Some(kind) = response.dnd_release_payload::<ComponentKind>()
        && let Some(p) = response.hover_pos()
    {
        let m = state.view.to_model(cx.canvas, p);
        let size = kind.default_size();
        let mut pos = Point::new(m.x - size.w / 2.0, m.y - size.h / 2.0);
        if state.snap {
            pos = pos.snapped(GRID);
        }
        state.last_kind = *kind;
        cx.send(DiagramAction::Edit(DiagramEdit::AddNode {
            kind: *kind,
            pos,
        }));
    }
}

fn start_drag(
    state: &mut DiagramEditorState,
    cx: &mut Ctx<'_>,
    origin: Pos2,
    additive: bool,
) -> Drag {
    let m = state.view.to_model(cx.canvas, origin);
    match hit(state, cx, origin) {
        Hit::Port(id) => Drag::Connect { from: id },
        Hit::Node(id) => {
            if !state.selection.nodes.contains(&id) {
                if !additive {
                    state.selection.clear();
                }
                state.selection.nodes.insert(id);
            }
            move_drag(state, cx.diagram, m)
        }
        Hit::Group(id) => {
            if !state.selection.groups.contains(&id) {
                if !additive {
                    state.selection.clear();
                }
                state.selection.groups.insert(id);
            }
            move_drag(state, cx.diagram, m)
        }
        Hit::Edge(_) | Hit::Empty => Drag::RubberBand {
            start: m,
            additive,
            before: state.selection.clone(),
        },
    }
}

fn move_drag(state: &DiagramEditorState, d: &Diagram, start: Point) -> Drag {
    let origins = state
        .selection
        .moving_nodes(d)
        .into_iter()
        .filter_map(|id| d.node(id).map(|n| (id, n.pos)))
        .collect();
    Drag::Move { start, origins }
}

fn drag_update(
    ui: &egui::Ui,
    state: &mut DiagramEditorState,
    response: &egui::Response,
    cx: &mut Ctx<'_>,
) {
    let Some(p) = ui.input(|i| i.pointer.interact_pos()) else {
        return;
    };
    let m = state.view.to_model(cx.canvas, p);
    match &state.drag {
        Drag::Pan => state.view.pan(response.drag_delta()),
        Drag::Move { start, origins } => {
            let delta = m - *start;
            let positions = origins
                .iter()
                .map(|(id, o)| {
                    let p = *o + delta;
                    (*id, if state.snap { p.snapped(GRID) } else { p })
                })
                .collect();
            cx.send(DiagramAction::Edit(DiagramEdit::SetPositions(positions)));
        }
        Drag::RubberBand {
            start,
            additive,
            before,
        } => {
            let band = crate::diagram::Rect::from_corners(*start, m);
            let mut selection = if *additive {
                before.clone()
            } else {
                Selection::default()
            };
            for n in cx
                .diagram
                .nodes
                .iter()
                .filter(|n| band.intersects(&n.rect()))
            {
                selection.nodes.insert(n.id);
            }
            state.selection = selection;
        }
        Drag::Connect { .. } | Drag::None => {}
    }
}

fn finish_drag(state: &mut DiagramEditorState, cx: &mut Ctx<'_>, end: Option<Pos2>) {
    match std::mem::take(&mut state.drag) {
        Drag::Move { .. } => cx.send(DiagramAction::EndInteraction),
        Drag::Connect { from } => {
            if let Some(p) = end
                && let Hit::Node(to) | Hit::Port(to) = hit(state, cx, p)
                && to != from
            {
                cx.send(DiagramAction::Edit(DiagramEdit::Connect { from, to }));
            }
        }
        _ => {}
    }
}

fn click(state: &mut DiagramEditorState, cx: &Ctx<'_>, p: Pos2, additive: bool) {
    let target = hit(state, cx, p);
    if !additive {
        state.selection.clear();
    }
    match target {
        Hit::Node(id) | Hit::Port(id) => toggle(&mut state.selection.nodes, id),
        Hit::Edge(id) => toggle(&mut state.selection.edges, id),
        Hit::Group(id) => toggle(&mut state.selection.groups, id),
        Hit::Empty => {}
    }
}

/// The canvas's gestures and keys, for the help panel: the mouse gestures
/// and combined rows here, then every key of [`CANVAS_KEYS`].
pub fn canvas_shortcuts(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    let gestures: [(&str, &'static str); 10] = [
        ("Double-click canvas", "Add a box where you clicked"),
        ("Drag from palette", "Add that component where you drop it"),
        ("Drag from a node's port", "Connect it to another node"),
        ("Click / Shift+click", "Select / add to the selection"),
        ("Drag on empty canvas", "Select with a rectangle"),
        ("Space+drag or middle-drag", "Pan"),
        ("Wheel / Ctrl+wheel or pinch", "Pan / zoom at the pointer"),
        ("Ctrl+C / Ctrl+X / Ctrl+V", "Copy / cut / paste"),
        (
            "Ctrl+V of Mermaid or DOT text",
            "Import the drawing, laid out",
        ),
        ("Arrows / Shift+arrows", "Nudge by 1 / by one grid step"),
    ];
    let keys = CANVAS_KEYS.iter().map(|k| (k.keys_text(ctx), k.label));
    gestures
        .into_iter()
        .map(|(keys, what)| (keys.to_owned(), what))
        .chain(keys)
        .collect()
}

/// Ends the undo step of held-arrow nudges once no arrow key is down,
/// wherever the focus went meanwhile.
fn end_nudge_on_release(ui: &egui::Ui, state: &mut DiagramEditorState, cx: &mut Ctx<'_>) {
    let held = ui.input(|i| {
        [
            Key::ArrowLeft,
            Key::ArrowRight,
            Key::ArrowUp,
            Key::ArrowDown,
        ]
        .iter()
        .any(|&k| i.key_down(k))
    });
    if state.nudging && !held {
        cx.send(DiagramAction::EndInteraction);
        state.nudging = false;
    }
}

fn keyboard(ui: &egui::Ui, state: &mut DiagramEditorState, cx: &mut Ctx<'_>) {
    // Keys typed into a text field (a rename, the answer editor) are not for us.
    if ui.ctx().text_edit_focused() || state.renaming.is_some() {
        return;
    }
    let pressed = |s: &KeyboardShortcut| ui.input_mut(|i| i.consume_shortcut(s));
    if pressed(&REDO) || pressed(&REDO_Y) {
        cx.send(DiagramAction::Redo);
    } else if pressed(&UNDO) {
        cx.send(DiagramAction::Undo);
    }
    if pressed(&SELECT_ALL) {
        state.selection.nodes = cx.diagram.nodes.iter().map(|n| n.id).collect();
        state.selection.edges = cx.diagram.edges.iter().map(|e| e.id).collect();
    }
    if pressed(&DUPLICATE) && !state.selection.nodes.is_empty() {
        let fragment = cx.diagram.copy(&state.selection.moving_nodes(cx.diagram));
        cx.send(DiagramAction::Edit(DiagramEdit::Paste {
            fragment,
            offset: Vector::new(GRID * 2.0, GRID * 2.0),
        }));
    }
    if pressed(&UNGROUP) {
        for id in state.selection.groups.clone() {
            cx.send(DiagramAction::Edit(DiagramEdit::Ungroup { id }));
        }
    } else if pressed(&GROUP) && !state.selection.nodes.is_empty() {
        cx.send(DiagramAction::Edit(DiagramEdit::Group {
            members: state.selection.nodes.iter().copied().collect(),
            label: "Group".into(),
        }));
    }
    if pressed(&LAYOUT) {
        cx.send(DiagramAction::AutoLayout);
    }
    if pressed(&FIT) {
        state.fit_requested = true;
    }
    if pressed(&RESET_ZOOM) {
        state
            .view
            .zoom_at(cx.canvas, cx.canvas.center(), 1.0 / state.view.zoom);
    }
    if pressed(&ZOOM_IN) || pressed(&ZOOM_IN_EQ) {
        state.view.zoom_at(cx.canvas, cx.canvas.center(), 1.25);
    }
    if pressed(&ZOOM_OUT) {
        state.view.zoom_at(cx.canvas, cx.canvas.center(), 0.8);
    }
    if pressed(&SNAP) {
        state.snap = !state.snap;
    }
    let single = (state.selection.nodes.len() == 1)
        .then(|| state.selection.nodes.first().copied())
        .flatten();
    if let Some(id) = single
        && (pressed(&RENAME) || pressed(&RENAME_ENTER))
    {
        let label = cx
            .diagram
            .node(id)
            .map(|n| n.label.clone())
            .unwrap_or_default();
        state.renaming = Some((id, label));
        return;
    }
    let (delete, escape, arrows, shift, events) = ui.input(|i| {
        let arrows = Vector::new(
            f32::from(
                i8::from(i.key_pressed(Key::ArrowRight)) - i8::from(i.key_pressed(Key::ArrowLeft)),
            ),
            f32::from(
                i8::from(i.key_pressed(Key::ArrowDown)) - i8::from(i.key_pressed(Key::ArrowUp)),
            ),
        );
        (
            i.key_pressed(DELETE.logical_key) || i.key_pressed(DELETE_BACK.logical_key),
            i.key_pressed(CLEAR_SELECTION.logical_key),
            arrows,
            i.modifiers.shift,
            i.events.clone(),
        )
    });
    if delete && !state.selection.is_empty() {
        cx.send(delete_selection(&state.selection));
    }
    if escape {
        state.selection.clear();
    }
    if arrows != Vector::default() && !state.selection.is_empty() {
        // The repeats of a held arrow key make one undo step.
        if !state.nudging {
            cx.send(DiagramAction::BeginInteraction);
            state.nudging = true;
        }
        let step = if shift { GRID } else { 1.0 };
        cx.send(DiagramAction::Edit(DiagramEdit::MoveNodes {
            ids: state.selection.moving_nodes(cx.diagram),
            delta: Vector::new(arrows.dx * step, arrows.dy * step),
        }));
    }
    clipboard_events(ui, state, cx, &events);
}

fn toggle<T: Ord>(set: &mut std::collections::BTreeSet<T>, id: T) {
    if !set.remove(&id) {
        set.insert(id);
    }
}

fn delete_selection(selection: &Selection) -> DiagramAction {
    DiagramAction::Edit(DiagramEdit::Delete {
        nodes: selection.nodes.iter().copied().collect(),
        edges: selection.edges.iter().copied().collect(),
        groups: selection.groups.iter().copied().collect(),
    })
}

/// Copy, cut and paste arrive as events (the platform owns those keys). The
/// copied nodes go to the system clipboard as RON, so they paste into
/// another window too; pasted Mermaid or DOT text is imported, and other
/// plain text becomes a note.
fn clipboard_events(
    ui: &egui::Ui,
    state: &mut DiagramEditorState,
    cx: &mut Ctx<'_>,
    events: &[egui::Event],
) {
    for event in events {
        match event {
            egui::Event::Copy | egui::Event::Cut if !state.selection.nodes.is_empty() => {
                let fragment = cx.diagram.copy(&state.selection.moving_nodes(cx.diagram));
                if let Ok(text) = ron::to_string(&fragment) {
                    ui.ctx().copy_text(format!("{CLIPBOARD_TAG}{text}"));
                }
                state.clipboard = Some(fragment);
                state.paste_count = 0;
                if matches!(event, egui::Event::Cut) {
                    cx.send(delete_selection(&state.selection));
                }
            }
            egui::Event::Paste(text) => paste(state, cx, text),
            _ => {}
        }
    }
}

const CLIPBOARD_TAG: &str = "mlsd-studio fragment\n";

fn paste(state: &mut DiagramEditorState, cx: &mut Ctx<'_>, text: &str) {
    if ImportFormat::detect(text).is_some() {
        // A Mermaid or DOT drawing comes in whole, laid out.
        cx.send(DiagramAction::ImportText(text.to_owned()));
        return;
    }
    let fragment = match text.strip_prefix(CLIPBOARD_TAG) {
        Some(ron_text) => ron::from_str(ron_text).ok(),
        None if text.trim().is_empty() => state.clipboard.clone(),
        None => None,
    };
    state.paste_count += 1;
    let shift = GRID * 2.0 * state.paste_count as f32;
    match fragment {
        Some(fragment) => cx.send(DiagramAction::Edit(DiagramEdit::Paste {
            fragment,
            offset: Vector::new(shift, shift),
        })),
        None if !text.trim().is_empty() => {
            // Plain text pastes as a note at the centre of the view.
            let c = state.view.to_model(cx.canvas, cx.canvas.center());
            cx.send(DiagramAction::AddAndRename(DiagramEdit::AddNode {
                kind: ComponentKind::Note,
                pos: Point::new(c.x, c.y),
            }));
            state.renaming = None;
        }
        None => {}
    }
}

/// The in-place rename box over a node.
fn rename_ui(ui: &mut egui::Ui, state: &mut DiagramEditorState, cx: &mut Ctx<'_>) {
    let Some((id, text)) = &mut state.renaming else {
        return;
    };
    let Some(node) = cx.diagram.node(*id) else {
        state.renaming = None;
        return;
    };
    let r = state.view.rect_to_screen(cx.canvas, node.rect());
    let edit_id = ui.scope_id().with("rename");
    let mut done = false;
    let mut cancelled = false;
    egui::Area::new(edit_id.with("area"))
        .fixed_pos(Pos2::new(r.min.x + 4.0, r.center().y - 12.0))
        .order(egui::Order::Foreground)
        .show(ui.ctx(), |ui| {
            let response = ui.add(
                egui::TextEdit::singleline(text)
                    .id(edit_id)
                    .desired_width((r.width() - 8.0).max(60.0)),
            );
            // Screen readers name the box; it has no visible label.
            response.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Node name")
            });
            if !response.has_focus() && !response.lost_focus() {
                response.request_focus();
            }
            cancelled = ui.input(|i| i.key_pressed(Key::Escape));
            done = response.lost_focus() || ui.input(|i| i.key_pressed(Key::Enter));
        });
    if cancelled {
        state.renaming = None;
    } else if done {
        let (id, label) = (*id, text.trim().to_owned());
        state.renaming = None;
        if !label.is_empty() {
            cx.send(DiagramAction::Edit(DiagramEdit::RenameNode { id, label }));
        }
    }
}
