//! A node's reliability and scaling in the properties panel: the zones its
//! replicas are spread over, how often a replica fails and how long it
//! takes to replace (or the hardware's defaults), and its autoscaling in
//! runs over time.

use eframe::egui;

use super::properties::row;
use crate::diagram::{Autoscale, MlRole, NodeSim};
use crate::sim::availability::default_failure_hours;
use crate::sim::hardware;

/// Draws the section and edits `s` in place.
pub fn reliability_ui(ui: &mut egui::Ui, s: &mut NodeSim) {
    egui::CollapsingHeader::new("Reliability and scaling")
        .id_salt("node_reliability")
        .show(ui, |ui| {
            egui::Grid::new("node_reliability_grid")
                .num_columns(2)
                .spacing([8.0, 4.0])
                .show(ui, |ui| {
                    row(ui, "Zones", |ui| {
                        ui.add(egui::DragValue::new(&mut s.zones).range(1..=16))
                    });
                    let (mtbf, mttr) = default_failure_hours(inference_accelerator(s).as_deref());
                    let mtbf_means = "Mean time between failures of one replica";
                    hours_or_default(ui, "MTBF", mtbf_means, &mut s.mtbf_hours, mtbf);
                    let mttr_means = "Mean time to replace a failed replica";
                    hours_or_default(ui, "MTTR", mttr_means, &mut s.mttr_hours, mttr);
                });
            autoscale_ui(ui, &mut s.autoscale);
        });
}

/// The accelerator a model-inference node runs on, for its default
/// failure rates; None for other roles.
fn inference_accelerator(s: &NodeSim) -> Option<String> {
    match s.ml {
        MlRole::Inference { .. } => Some(
            hardware::find(&s.hardware_id)
                .map(|h| h.accelerator)
                .unwrap_or_default(),
        ),
        _ => None,
    }
}

/// Hours that are the hardware's default until the user drags or types
/// their own; "reset" goes back to the default.
fn hours_or_default(
    ui: &mut egui::Ui,
    label: &str,
    meaning: &str,
    value: &mut Option<f64>,
    default: f64,
) {
    let mut hours = value.unwrap_or(default);
    row(ui, label, |ui| {
        ui.horizontal(|ui| {
            let drag = ui
                .add(
                    egui::DragValue::new(&mut hours)
                        .range(0.01..=1e7)
                        .speed(1.0)
                        .suffix(" h"),
                )
                .on_hover_text(meaning);
            if drag.changed() {
                *value = Some(hours);
            }
            if value.is_some() {
                let reset = ui
                    .small_button("reset")
                    .on_hover_text(format!("Back to this hardware's default, {default} h"));
                if reset.clicked() {
                    *value = None;
                }
            } else {
                ui.weak("default");
            }
            drag
        })
        .inner
    });
}

fn autoscale_ui(ui: &mut egui::Ui, autoscale: &mut Option<Autoscale>) {
    let mut on = autoscale.is_some();
    if ui.checkbox(&mut on, "Autoscale over time").changed() {
        *autoscale = on.then(Autoscale::default);
    }
    let Some(a) = autoscale else { return };
    egui::Grid::new("node_autoscale")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            row(ui, "Target load", |ui| {
                ui.add(
                    egui::DragValue::new(&mut a.target_utilisation)
                        .range(0.1..=0.95)
                        .speed(0.01)
                        .fixed_decimals(2),
                )
            });
            row(ui, "Min replicas", |ui| {
                ui.add(egui::DragValue::new(&mut a.min_replicas).range(1..=10_000))
            });
            row(ui, "Max replicas", |ui| {
                ui.add(egui::DragValue::new(&mut a.max_replicas).range(1..=10_000))
            });
            row(ui, "Look every", |ui| {
                ui.add(
                    egui::DragValue::new(&mut a.interval_s)
                        .range(1.0..=3_600.0)
                        .suffix(" s"),
                )
            });
            row(ui, "Cold start", |ui| {
                ui.add(
                    egui::DragValue::new(&mut a.cold_start_s)
                        .range(0.0..=3_600.0)
                        .suffix(" s"),
                )
            });
        });
    // The bounds stay ordered whichever one was dragged past the other.
    if a.max_replicas < a.min_replicas {
        a.max_replicas = a.min_replicas;
    }
}
