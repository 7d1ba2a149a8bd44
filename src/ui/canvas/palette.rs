//! The palette of components: click to add at the centre of the view, or
//! drag onto the canvas.

use eframe::egui::{self, RichText};

use super::state::{DiagramEditorState, GRID};
use crate::app::{Command, Commands, DiagramAction};
use crate::diagram::{Category, ComponentKind, Point};

/// Draws the palette, icons only when `compact`. Clicked components land at
/// the centre of the canvas, a step further along for each node placed.
pub fn palette_ui(
    ui: &mut egui::Ui,
    state: &mut DiagramEditorState,
    name: &str,
    compact: bool,
    placed_count: usize,
    commands: &mut Commands,
) {
    let canvas_center = state
        .view
        .to_model(state.last_canvas, state.last_canvas.center());
    egui::ScrollArea::vertical()
        .id_salt("palette")
        .show(ui, |ui| {
            for category in Category::ALL {
                if compact {
                    ui.separator();
                }
                let [r, g, b] = category.rgb();
                if !compact {
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new(category.label())
                            .small()
                            .strong()
                            .color(egui::Color32::from_rgb(r, g, b)),
                    );
                }
                for kind in ComponentKind::in_category(category) {
                    let text = if compact {
                        RichText::new(kind.icon())
                            .size(16.0)
                            .color(egui::Color32::from_rgb(r, g, b))
                    } else {
                        RichText::new(format!("{}  {}", kind.icon(), kind.label()))
                    };
                    // One button that both clicks (add at the centre) and drags
                    // (carry the kind to the canvas, which adds it where dropped).
                    let response = ui.add(
                        egui::Button::new(text)
                            .frame_when_inactive(false)
                            .sense(egui::Sense::click_and_drag())
                            .min_size(egui::vec2(ui.available_width(), 0.0)),
                    );
                    // Icon-only buttons still announce the component's name.
                    response.widget_info(|| {
                        egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, kind.label())
                    });
                    if response.drag_started() {
                        egui::DragAndDrop::set_payload(ui.ctx(), kind);
                    }
                    if response.dragged()
                        && let Some(p) = ui.ctx().pointer_interact_pos()
                    {
                        egui::Tooltip::always_open(
                            ui.ctx().clone(),
                            ui.layer_id(),
                            response.id.with("ghost"),
                            egui::PopupAnchor::Position(p),
                        )
                        .show(|ui| ui.label(format!("{}  {}", kind.icon(), kind.label())));
                    }
                    let hover = format!("{}: click to add, or drag onto the canvas", kind.label());
                    if response.on_hover_text(hover).clicked() {
                        // Each click lands a step further along, so nodes do not pile up.
                        let shift = (placed_count % 8) as f32 * GRID;
                        let size = kind.default_size();
                        let pos = Point::new(
                            canvas_center.x - size.w / 2.0 + shift,
                            canvas_center.y - size.h / 2.0 + shift,
                        )
                        .snapped(if state.snap { GRID } else { 0.0 });
                        state.last_kind = kind;
                        commands.send(Command::Diagram {
                            name: name.to_owned(),
                            action: DiagramAction::Edit(crate::diagram::DiagramEdit::AddNode {
                                kind,
                                pos,
                            }),
                        });
                    }
                }
            }
        });
}
