//! Two designs side by side: the diagram on screen (A) and another of the
//! session (B), both simulated at A's simulator inputs, with the
//! difference of each headline figure and what changed per node.

use eframe::egui::{self, Color32, RichText};

use crate::app::{Command, Commands, DiagramAction, DiagramSim, SimAction};
use crate::review::designs::{DesignComparison, Verdict, sizing_text};

use super::style::status_color;

/// The window's own state: shown or not, and the diagram to compare with.
#[derive(Debug, Default)]
pub struct CompareView {
    pub open: bool,
    pub with: String,
    /// How many other diagrams the session had when last drawn.
    diagrams_seen: usize,
}

/// Draws the comparison window of diagram `name` when it is open.
pub fn compare_window_ui(
    ctx: &egui::Context,
    view: &mut CompareView,
    name: &str,
    diagram_names: &[String],
    sim: &DiagramSim,
    commands: &mut Commands,
) {
    if !view.open {
        return;
    }
    let send = |commands: &mut Commands, action| {
        commands.send(Command::Sim {
            diagram: name.to_owned(),
            action,
        });
    };
    let others: Vec<&String> = diagram_names.iter().filter(|n| *n != name).collect();
    // A diagram just added (most often the copy just made) is the one to
    // compare with; so is the newest when the choice is gone.
    if others.len() > view.diagrams_seen || !others.iter().any(|n| **n == view.with) {
        view.with = others.last().map_or_else(String::new, |n| (*n).clone());
    }
    view.diagrams_seen = others.len();
    let mut open = true;
    egui::Window::new("Compare designs")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_pos([260.0, 120.0])
        .show(ctx, |ui| {
            let duplicate = ui
                .button(format!("Duplicate \"{name}\""))
                .on_hover_text("Copies this design as a second one to change, then compare");
            if duplicate.clicked() {
                commands.send(Command::Diagram {
                    name: name.to_owned(),
                    action: DiagramAction::Duplicate,
                });
            }
            if others.is_empty() {
                ui.label("This session has no other diagram to compare with yet.");
                return;
            }
            ui.horizontal(|ui| {
                ui.label(RichText::new(format!("A: {name}")).strong());
                ui.label("against");
                let label = ui.label("B:");
                egui::ComboBox::from_id_salt("compare_with")
                    .selected_text(&view.with)
                    .show_ui(ui, |ui| {
                        for n in &others {
                            ui.selectable_value(&mut view.with, (*n).clone(), n.as_str());
                        }
                    })
                    .response
                    .labelled_by(label.id);
                let running = sim.comparing_with().is_some();
                if ui
                    .add_enabled(!running, egui::Button::new("Simulate both"))
                    .clicked()
                {
                    send(
                        commands,
                        SimAction::Compare {
                            with: view.with.clone(),
                        },
                    );
                }
                if running {
                    ui.spinner();
                    ui.label("Simulating both…");
                }
            });
            let inputs = &sim.inputs;
            ui.label(
                RichText::new(format!(
                    "Both run at {} req/s, {} requests, seed {}: this simulator's inputs.",
                    crate::format::thousands(inputs.qps),
                    crate::format::thousands(inputs.requests as f64),
                    inputs.seed
                ))
                .small()
                .weak(),
            );
            ui.add_space(6.0);
            match sim.compare.as_ref().map(|c| &c.result) {
                None => {}
                Some(Err(why)) => {
                    ui.colored_label(ui.visuals().error_fg_color, why);
                }
                Some(Ok(c)) => comparison_ui(ui, c),
            }
        });
    if !open {
        view.open = false;
        send(commands, SimAction::DismissCompare);
    }
}

fn verdict_color(ui: &egui::Ui, verdict: Verdict) -> Color32 {
    let dark = ui.visuals().dark_mode;
    match verdict {
        Verdict::Better => status_color(crate::session::StepStatus::Done, dark),
        Verdict::Worse => ui.visuals().error_fg_color,
        Verdict::Same | Verdict::Unknown => ui.visuals().weak_text_color(),
    }
}

/// The table of figures, the bottleneck in words and the node changes.
fn comparison_ui(ui: &mut egui::Ui, c: &DesignComparison) {
    egui::Grid::new("compare_table")
        .striped(true)
        .num_columns(4)
        .spacing([18.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new("Figure").strong());
            ui.label(RichText::new(format!("A: {}", c.a.name)).strong());
            ui.label(RichText::new(format!("B: {}", c.b.name)).strong());
            ui.label(RichText::new("B − A").strong());
            ui.end_row();
            for d in &c.deltas {
                ui.label(d.metric.label());
                ui.label(d.metric.show(d.a));
                ui.label(d.metric.show(d.b));
                ui.label(RichText::new(&d.said).color(verdict_color(ui, d.verdict)));
                ui.end_row();
            }
        });
    ui.add_space(4.0);
    ui.label(&c.bottleneck);
    ui.add_space(8.0);
    ui.label(RichText::new("Nodes").strong());
    let nodes = &c.nodes;
    if nodes.is_empty() {
        ui.label(RichText::new("No node was added, removed or resized.").weak());
        return;
    }
    for n in &nodes.added {
        ui.label(format!(
            "+ {} ({})",
            n.label,
            sizing_text(n.sizing.as_ref())
        ));
    }
    for n in &nodes.removed {
        ui.label(format!(
            "− {} ({})",
            n.label,
            sizing_text(n.sizing.as_ref())
        ));
    }
    for n in &nodes.changed {
        ui.label(format!("~ {}: {}", n.label, n.changes.join(", ")));
    }
}
