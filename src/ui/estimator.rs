//! The back-of-envelope estimator: the figures an interviewer gives on the
//! left, the numbers a design needs on the right, each with its formula.

use std::collections::HashMap;

use eframe::egui::{self, RichText};

use crate::app::{Command, Commands, EstimateAction};
use crate::content::EstimateInputs;
use crate::estimate::estimate;
use crate::format::{parse_si, si};

/// What the user calls each input, by its name in files.
const INPUT_LABELS: &[(&str, &str)] = &[
    ("daily_active_users", "Daily active users"),
    ("actions_per_user_per_day", "Actions per user per day"),
    ("peak_to_mean", "Peak-to-mean factor"),
    ("catalog_items", "Items in the catalog"),
    ("new_items_per_day", "New items per day"),
    ("bytes_per_item", "Bytes per item"),
    ("bytes_per_event", "Bytes per event"),
    ("retention_days", "Retention (days)"),
    ("embedding_dims", "Embedding dimensions"),
    ("bytes_per_dim", "Bytes per dimension"),
    ("candidates_per_request", "Candidates scored per request"),
    ("gflops_per_item", "Model GFLOPs per item"),
    ("utilisation", "Utilisation of peak FLOP/s"),
    ("bytes_per_request", "Bytes per request (in + out)"),
];

/// The estimator's view state: the text of each input while it is typed,
/// so that "200M" or a half-typed number is not rewritten under the cursor.
#[derive(Default)]
pub struct EstimatorView {
    drafts: HashMap<&'static str, String>,
}

/// Draws the estimator window over the page; `diagram` is the diagram
/// whose simulator "Use as simulator traffic" feeds.
pub fn estimator_window_ui(
    ctx: &egui::Context,
    view: &mut EstimatorView,
    inputs: &EstimateInputs,
    diagram: &str,
    commands: &mut Commands,
) {
    let mut open = true;
    egui::Window::new("Back-of-envelope estimator")
        .open(&mut open)
        .collapsible(false)
        .default_size([1060.0, 600.0])
        .default_pos([110.0, 90.0])
        .show(ctx, |ui| {
            ui.horizontal_top(|ui| {
                ui.vertical(|ui| {
                    ui.set_width(330.0);
                    inputs_ui(ui, view, inputs, commands);
                });
                ui.separator();
                ui.vertical(|ui| outputs_ui(ui, inputs, diagram, commands));
            });
        });
    if !open {
        commands.send(EstimateAction::SetOpen(false));
    }
}

/// `value` as the user would type it: `200M` when that reads back exactly,
/// otherwise every digit (`0.011`, `8334`).
fn as_typed(value: f64) -> String {
    let short = si(value);
    if parse_si(&short) == Some(value) {
        short
    } else {
        value.to_string()
    }
}

fn inputs_ui(
    ui: &mut egui::Ui,
    view: &mut EstimatorView,
    inputs: &EstimateInputs,
    commands: &mut Commands,
) {
    ui.label(RichText::new("What the interviewer gives").strong());
    ui.label(
        RichText::new("Type numbers as on a whiteboard: 200M, 1.5B, 86,400.")
            .small()
            .weak(),
    );
    ui.add_space(4.0);
    egui::Grid::new("estimator_inputs")
        .num_columns(2)
        .spacing([10.0, 4.0])
        .show(ui, |ui| {
            for (name, value) in inputs.numbers() {
                let label = INPUT_LABELS
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map_or(name, |(_, l)| l);
                let l = ui.label(label);
                let draft = view.drafts.entry(name).or_insert_with(|| as_typed(value));
                let response = ui.add(egui::TextEdit::singleline(draft).desired_width(110.0));
                let response = response.labelled_by(l.id);
                if response.changed()
                    && let Some(typed) = parse_si(draft)
                    && typed.to_bits() != value.to_bits()
                {
                    let mut next = inputs.clone();
                    if let Some(field) = next.number_mut(name) {
                        *field = typed;
                        commands.send(EstimateAction::SetInputs(next));
                    }
                } else if !response.has_focus() && parse_si(draft) != Some(value) {
                    // Changed elsewhere (reset, a reopened session): show it.
                    *draft = as_typed(value);
                }
                ui.end_row();
            }
            let l = ui.label("Accelerator");
            egui::ComboBox::from_id_salt("estimator_hardware")
                .width(180.0)
                .selected_text(inputs.sizing.hardware.as_str())
                .show_ui(ui, |ui| {
                    for hw in crate::sim::catalog() {
                        let chosen = hw.id == inputs.sizing.hardware;
                        if ui.selectable_label(chosen, &hw.name).clicked() && !chosen {
                            let mut next = inputs.clone();
                            next.sizing.hardware = hw.id;
                            commands.send(EstimateAction::SetInputs(next));
                        }
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
        });
    ui.add_space(8.0);
    if ui.button("Back to the case's figures").clicked() {
        commands.send(EstimateAction::Reset);
    }
}

fn outputs_ui(ui: &mut egui::Ui, inputs: &EstimateInputs, diagram: &str, commands: &mut Commands) {
    ui.label(RichText::new("What the design needs").strong());
    ui.add_space(4.0);
    let estimate = match estimate(inputs) {
        Ok(e) => e,
        Err(e) => {
            ui.colored_label(ui.visuals().error_fg_color, e.to_string());
            return;
        }
    };
    egui::Grid::new("estimator_outputs")
        .num_columns(3)
        .striped(true)
        .spacing([14.0, 6.0])
        .show(ui, |ui| {
            for o in &estimate.outputs {
                ui.label(o.label);
                ui.label(RichText::new(o.unit.show(o.value)).strong());
                ui.label(RichText::new(&o.formula).monospace().small());
                ui.end_row();
            }
        });
    ui.add_space(6.0);
    ui.label(
        RichText::new(format!(
            "Accelerator: {}. ANN figures: HNSW with M = 32; IVF-PQ with one code byte per 4 dimensions and an 8-byte id.",
            estimate.hardware_name
        ))
        .small()
        .weak(),
    );
    ui.add_space(8.0);
    let peak = estimate.value("peak_qps");
    if ui
        .button(format!("Use as simulator traffic ({} QPS)", si(peak)))
        .on_hover_text(format!(
            "Run the simulator of \"{diagram}\" at the estimate's peak"
        ))
        .clicked()
    {
        commands.send(Command::Estimate(EstimateAction::UseAsTraffic {
            diagram: diagram.to_owned(),
        }));
    }
}
