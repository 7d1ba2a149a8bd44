//! The diagram editor: toolbar, palette, canvas and properties panel.

mod commands;
mod compare;
mod keys;
mod paint;
mod palette;
mod properties;
mod reliability;
mod state;
mod view;
mod widget;

use std::collections::HashMap;

use eframe::egui::{self, RichText};

pub use commands::{CANVAS_KEYS, CanvasKey, FOCUS_CANVAS, key_events};
pub use paint::NodeTints;
pub use state::{DiagramEditorState, Selection};
pub use widget::{canvas_shortcuts, canvas_ui};

use super::compare_window::compare_window_ui;
use super::sim_panel::{SimView, sim_panel_ui, tints};
use super::timeline_panel::timeline_tints;
use crate::app::{Command, Commands, DiagramAction, DiagramSim, SimAction};
use crate::diagram::{Diagram, PIPELINE_DIAGRAM};
use crate::export::ExportFormat;
use crate::review::{Finding, Severity};

/// Where the diagram is shown on the practice page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiagramMode {
    Hidden,
    SideBySide,
    FullScreen,
}

/// The diagram panel of the practice page: which diagram, how it is shown,
/// and each diagram's editor state.
#[derive(Debug, Clone)]
pub struct DiagramPanel {
    pub mode: DiagramMode,
    pub name: String,
    pub editors: HashMap<String, DiagramEditorState>,
    /// The step whose default layout was last applied.
    pub defaults_applied_for: Option<u8>,
    /// The design review's findings are on screen.
    pub show_review: bool,
    /// The reference design is on screen beside the diagram.
    pub compare: bool,
    /// The view of the reference canvas.
    pub reference_view: DiagramEditorState,
}

impl Default for DiagramPanel {
    fn default() -> DiagramPanel {
        DiagramPanel {
            mode: DiagramMode::Hidden,
            name: PIPELINE_DIAGRAM.to_owned(),
            editors: HashMap::new(),
            defaults_applied_for: None,
            show_review: false,
            compare: false,
            reference_view: DiagramEditorState::default(),
        }
    }
}

impl DiagramPanel {
    /// The editor state of the diagram called `name`.
    pub fn editor(&mut self, name: &str) -> &mut DiagramEditorState {
        self.editors.entry(name.to_owned()).or_default()
    }

    /// Opens the step's usual diagram the first time a step is shown:
    /// the pipeline for steps 3-4, the serving path for steps 6-7.
    pub fn apply_step_defaults(&mut self, step: u8) {
        if self.defaults_applied_for == Some(step) {
            return;
        }
        self.defaults_applied_for = Some(step);
        let (mode, name) = match step {
            3 | 4 => (DiagramMode::SideBySide, PIPELINE_DIAGRAM),
            6 | 7 => (DiagramMode::SideBySide, crate::diagram::SERVING_DIAGRAM),
            _ => (DiagramMode::Hidden, self.name.as_str()),
        };
        if self.mode != DiagramMode::FullScreen || mode == DiagramMode::Hidden {
            self.mode = mode;
        }
        self.name = name.to_owned();
    }
}

/// Undo availability, known to the app's history.
#[derive(Debug, Clone, Copy, Default)]
pub struct UndoState {
    pub can_undo: bool,
    pub can_redo: bool,
}

/// The simulator under a diagram: its view state and, once it has been
/// used, its inputs, run and results from the app state.
pub struct SimSlot<'a> {
    pub view: &'a mut SimView,
    pub sim: Option<&'a DiagramSim>,
}

/// What the editor shows besides its own view state.
pub struct EditorInput<'a> {
    /// Every diagram of the session, for the chooser.
    pub diagram_names: &'a [String],
    /// The panel's current diagram.
    pub diagram: &'a Diagram,
    pub undo: UndoState,
    /// The design review's findings; `None` hides the review.
    pub findings: Option<&'a [Finding]>,
    /// The reference design's diagram of the same name; `None` hides the
    /// comparison.
    pub reference: Option<&'a Diagram>,
    /// The simulation of the reference diagram, once run.
    pub reference_sim: Option<&'a DiagramSim>,
}

/// Draws the whole editor for the panel's current diagram.
pub fn diagram_editor_ui(
    ui: &mut egui::Ui,
    panel: &mut DiagramPanel,
    input: &EditorInput<'_>,
    sim: Option<SimSlot<'_>>,
    commands: &mut Commands,
) {
    let EditorInput {
        diagram_names,
        diagram,
        undo,
        findings: review,
        reference,
        reference_sim,
    } = *input;
    let name = panel.name.clone();
    let mode_before = panel.mode;
    let send = |commands: &mut Commands, action: DiagramOrSim| {
        commands.send(match action {
            DiagramOrSim::Diagram(action) => Command::Diagram {
                name: name.clone(),
                action,
            },
            DiagramOrSim::Sim(action) => Command::Sim {
                diagram: name.clone(),
                action,
            },
        })
    };
    egui::Panel::top("diagram_toolbar").show(ui, |ui| {
        ui.horizontal_wrapped(|ui| {
            let label = ui.label(RichText::new("Diagram").small().weak());
            egui::ComboBox::from_id_salt("diagram_choice")
                .selected_text(&panel.name)
                .show_ui(ui, |ui| {
                    for n in diagram_names {
                        ui.selectable_value(&mut panel.name, n.clone(), n);
                    }
                })
                .response
                .labelled_by(label.id);
            ui.separator();
            if ui
                .add_enabled(undo.can_undo, egui::Button::new("↶"))
                .on_hover_text("Undo")
                .clicked()
            {
                send(commands, DiagramOrSim::Diagram(DiagramAction::Undo));
            }
            if ui
                .add_enabled(undo.can_redo, egui::Button::new("↷"))
                .on_hover_text("Redo")
                .clicked()
            {
                send(commands, DiagramOrSim::Diagram(DiagramAction::Redo));
            }
            ui.separator();
            let editor = panel.editors.entry(name.clone()).or_default();
            ui.checkbox(&mut editor.snap, "Snap");
            if ui
                .button("Auto-layout")
                .on_hover_text("Arrange in layers, left to right")
                .clicked()
            {
                send(commands, DiagramOrSim::Diagram(DiagramAction::AutoLayout));
            }
            if ui
                .button("Fit")
                .on_hover_text("Zoom to show everything")
                .clicked()
            {
                editor.fit_requested = true;
            }
            ui.label(
                RichText::new(format!("{:.0}%", editor.view.zoom * 100.0))
                    .small()
                    .weak(),
            );
            ui.separator();
            ui.menu_button("Export", |ui| {
                for format in ExportFormat::ALL {
                    if ui.button(format!("{}…", format.label())).clicked() {
                        send(
                            commands,
                            DiagramOrSim::Diagram(DiagramAction::Export(format)),
                        );
                    }
                }
                ui.separator();
                if ui.button("Copy as Mermaid").clicked() {
                    send(commands, DiagramOrSim::Diagram(DiagramAction::CopyMermaid));
                }
            });
            if let Some(slot) = &sim {
                let mut open = slot.sim.is_some_and(|s| s.open);
                if ui
                    .toggle_value(&mut open, "Simulate")
                    .on_hover_text("Latency, throughput and cost of this design")
                    .changed()
                {
                    send(commands, DiagramOrSim::Sim(SimAction::SetOpen(open)));
                }
            }
            if reference.is_some() {
                let was = panel.compare;
                ui.toggle_value(&mut panel.compare, "Compare")
                    .on_hover_text("The reference design beside yours, and how they differ");
                if panel.compare && !was {
                    panel.reference_view.fit_requested = true;
                }
            }
            if let Some(findings) = review {
                let label = match findings.len() {
                    0 => "Review ✔".to_owned(),
                    n => format!("Review ({n})"),
                };
                ui.toggle_value(&mut panel.show_review, label)
                    .on_hover_text("What a reviewer would question in this design, and why");
            }
            if ui.button("?").on_hover_text("Diagram shortcuts").clicked() {
                editor.show_help = !editor.show_help;
            }
            ui.separator();
            let full = panel.mode == DiagramMode::FullScreen;
            let (label, mode, hint) = if full {
                (
                    "Side by side",
                    DiagramMode::SideBySide,
                    "Show the diagram beside the step",
                )
            } else {
                (
                    "Full screen",
                    DiagramMode::FullScreen,
                    "Give the diagram the whole window",
                )
            };
            if ui.button(label).on_hover_text(hint).clicked() {
                panel.mode = mode;
            }
            if ui.button("✖").on_hover_text("Hide the diagram").clicked() {
                panel.mode = DiagramMode::Hidden;
            }
        });
    });
    if panel.name != name {
        // Another diagram was chosen: show it whole.
        panel.editor(&panel.name.clone()).fit_requested = true;
    }
    let editor = panel.editors.entry(name.clone()).or_default();
    if panel.mode != mode_before {
        editor.fit_requested = true;
    }
    if editor.show_help {
        help_window(ui.ctx(), editor);
    }
    // The full palette in full screen; icons only beside the answer.
    let compact = panel.mode != DiagramMode::FullScreen;
    egui::Panel::left("diagram_palette")
        .resizable(false)
        .exact_size(if compact { 46.0 } else { 190.0 })
        .show(ui, |ui| {
            palette::palette_ui(ui, editor, &name, compact, diagram.nodes.len(), commands);
        });
    let my_sim = sim.as_ref().and_then(|s| s.sim);
    if let (Some(reference), true) = (reference, panel.compare) {
        let width = (ui.available_width() * 0.45).max(320.0);
        egui::Panel::right("reference_side")
            .resizable(true)
            .default_size(width)
            .min_size(300.0)
            .show(ui, |ui| {
                compare::compare_panel_ui(
                    ui,
                    &mut panel.reference_view,
                    &compare::CompareInput {
                        name: &name,
                        mine: diagram,
                        reference,
                        my_sim,
                        reference_sim,
                    },
                    commands,
                );
            });
    }
    if let (Some(findings), true) = (review, panel.show_review) {
        let mut picked = None;
        egui::Panel::right("diagram_review")
            .resizable(true)
            .default_size(300.0)
            .min_size(240.0)
            .show(ui, |ui| picked = review_panel_ui(ui, findings, &name));
        if let Some(finding) = picked {
            // Show the finding's diagram with its nodes selected.
            panel.name = finding.diagram.clone();
            let editor = panel.editor(&finding.diagram);
            editor.selection = Selection {
                nodes: finding.node_ids.iter().copied().collect(),
                ..Selection::default()
            };
        }
    }
    let editor = panel.editors.entry(name.clone()).or_default();
    if !editor.selection.is_empty() {
        egui::Panel::right("diagram_properties")
            .resizable(false)
            .exact_size(250.0)
            .show(ui, |ui| {
                properties::properties_ui(ui, editor, &name, diagram, commands)
            });
    }
    let now = ui.input(|i| i.time);
    let mut node_tints = None;
    if let Some(SimSlot {
        view,
        sim: Some(sim),
    }) = sim
        && sim.open
    {
        egui::Panel::bottom("sim_panel")
            .resizable(true)
            .default_size(330.0)
            .min_size(180.0)
            .show(ui, |ui| {
                sim_panel_ui(ui, view, &name, diagram, sim, now, commands)
            });
        compare_window_ui(
            ui.ctx(),
            &mut view.compare,
            &name,
            diagram_names,
            sim,
            commands,
        );
        node_tints = match (sim.timeline.scrub_s, sim.timeline.result()) {
            (Some(t), Some(r)) => Some(timeline_tints(r, t)),
            _ => sim.result().map(tints),
        };
    }
    egui::CentralPanel::no_frame().show(ui, |ui| {
        canvas_ui(ui, editor, &name, diagram, node_tints.as_ref(), commands);
    });
}

/// `diagram` on a canvas that can be panned and zoomed but not edited:
/// what its edits would send goes nowhere.
pub fn read_only_canvas_ui(
    ui: &mut egui::Ui,
    view: &mut DiagramEditorState,
    name: &str,
    diagram: &Diagram,
) {
    let mut ignored = Commands::default();
    canvas_ui(ui, view, name, diagram, None, &mut ignored);
}

/// A read-only canvas for a diagram that changes under it: it refits when
/// another diagram comes on or a node comes or goes, so the whole drawing
/// stays in view.
#[derive(Debug, Clone, Default)]
pub struct FollowingCanvas {
    view: DiagramEditorState,
    /// The diagram last fitted to, and its node count then.
    fitted: (String, usize),
}

impl FollowingCanvas {
    /// Fits the whole drawing into view on the next frame.
    pub fn fit(&mut self) {
        self.view.fit_requested = true;
    }

    pub fn show(&mut self, ui: &mut egui::Ui, name: &str, diagram: &Diagram) {
        if self.fitted.0 != name || self.fitted.1 != diagram.nodes.len() {
            self.fitted = (name.to_owned(), diagram.nodes.len());
            self.fit();
        }
        read_only_canvas_ui(ui, &mut self.view, name, diagram);
    }
}

/// The review's findings, errors first; returns the one clicked.
fn review_panel_ui<'a>(
    ui: &mut egui::Ui,
    findings: &'a [Finding],
    diagram: &str,
) -> Option<&'a Finding> {
    let mut picked = None;
    ui.add_space(6.0);
    ui.label(RichText::new("Design review").strong());
    ui.label(
        RichText::new("Click a finding to select its components.")
            .small()
            .weak(),
    );
    ui.separator();
    if findings.is_empty() {
        ui.label("No findings: nothing here that a reviewer would flag by rule.");
        return None;
    }
    egui::ScrollArea::vertical().show(ui, |ui| {
        for f in findings {
            let color = match f.severity {
                Severity::Error => ui.visuals().error_fg_color,
                Severity::Warning => ui.visuals().warn_fg_color,
                Severity::Info => ui.visuals().weak_text_color(),
            };
            let place = if f.diagram == diagram {
                String::new()
            } else {
                format!(" · {}", f.diagram)
            };
            let title = RichText::new(format!(
                "{} · {} · step {}{place}",
                f.severity.label(),
                f.rule,
                f.step
            ))
            .small()
            .color(color);
            let nodes = if f.nodes.is_empty() {
                String::new()
            } else {
                format!("{}\n", f.nodes.join(", "))
            };
            let response = ui
                .add(egui::Button::new(title).frame_when_inactive(false))
                .on_hover_text("Select these components");
            ui.label(RichText::new(format!("{nodes}{}", f.message)).small());
            if response.clicked() {
                picked = Some(f);
            }
            ui.add_space(6.0);
        }
    });
    picked
}

/// What a toolbar button asks for.
enum DiagramOrSim {
    Diagram(DiagramAction),
    Sim(SimAction),
}

fn help_window(ctx: &egui::Context, editor: &mut DiagramEditorState) {
    let mut open = true;
    egui::Window::new("Diagram shortcuts")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_width(380.0)
        .show(ctx, |ui| {
            egui::Grid::new("diagram_shortcuts")
                .striped(true)
                .spacing([16.0, 4.0])
                .show(ui, |ui| {
                    for (keys, action) in canvas_shortcuts(ctx) {
                        ui.label(RichText::new(keys).monospace());
                        ui.label(action);
                        ui.end_row();
                    }
                });
        });
    editor.show_help = open;
}
