//! The right-size result over the page: per node, replicas, cost and the
//! design's p99 before and after, with the button that applies it.

use eframe::egui::{self, RichText};

use crate::app::{Command, Commands, RightSizeOutcome, SimAction};
use crate::format::{ms, usd};

/// Draws the result of the last right-size search of the diagram `name`.
pub fn right_size_window_ui(
    ctx: &egui::Context,
    name: &str,
    outcome: &RightSizeOutcome,
    commands: &mut Commands,
) {
    let send = |commands: &mut Commands, action| {
        commands.send(Command::Sim {
            diagram: name.to_owned(),
            action,
        });
    };
    let mut open = true;
    egui::Window::new(format!("Right-size \"{name}\""))
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .default_pos([300.0, 140.0])
        .show(ctx, |ui| match &outcome.result {
            Err(why) => {
                ui.colored_label(ui.visuals().error_fg_color, why);
                ui.add_space(8.0);
                if ui.button("Close").clicked() {
                    send(commands, SimAction::DismissRightSize);
                }
            }
            Ok(found) => {
                let r = &found.result;
                if found.zone_loss {
                    ui.label("The SLA also holds with one zone's replicas lost.");
                }
                // The hardware column only when some node's could change.
                let hardware = r.stations.iter().any(|s| s.hardware_moved().is_some());
                egui::Grid::new("right_size_diff")
                    .striped(true)
                    .num_columns(if hardware { 4 } else { 3 })
                    .spacing([18.0, 4.0])
                    .show(ui, |ui| {
                        ui.label(RichText::new("Node").strong());
                        if hardware {
                            ui.label(RichText::new("Hardware").strong());
                        }
                        ui.label(RichText::new("Replicas").strong());
                        ui.label(RichText::new("Cost per month").strong());
                        ui.end_row();
                        for s in &r.stations {
                            let changed = s.replicas_before != s.replicas_after
                                || s.hardware_moved().is_some();
                            let text = |t: String| {
                                if changed {
                                    RichText::new(t).strong()
                                } else {
                                    RichText::new(t).weak()
                                }
                            };
                            ui.label(text(s.name.clone()));
                            if hardware {
                                ui.label(text(hardware_change(s)));
                            }
                            ui.label(text(format!(
                                "{} → {}",
                                s.replicas_before, s.replicas_after
                            )));
                            ui.label(text(format!(
                                "{} → {}",
                                usd(s.cost_before_usd_per_month),
                                usd(s.cost_after_usd_per_month)
                            )));
                            ui.end_row();
                        }
                    });
                ui.add_space(6.0);
                let p99 = |v: Option<f64>| v.map_or_else(|| "unstable".to_owned(), ms);
                ui.label(format!(
                    "Total {} → {} per month; p99 (upper 95% bound) {} → {}",
                    usd(r.cost_before_usd_per_month),
                    usd(r.cost_after_usd_per_month),
                    p99(r.p99_before_ms),
                    p99(r.p99_after_ms)
                ));
                ui.label(
                    RichText::new(if r.proven_optimal {
                        "Proven the cheapest design that meets every constraint."
                    } else {
                        "The best found within the time budget; a cheaper one may exist."
                    })
                    .small()
                    .weak(),
                );
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Apply").clicked() {
                        send(commands, SimAction::ApplyRightSize);
                    }
                    if ui.button("Dismiss").clicked() {
                        send(commands, SimAction::DismissRightSize);
                    }
                });
            }
        });
    if !open {
        send(commands, SimAction::DismissRightSize);
    }
}

/// "gpu-t4 → gpu-l4", the one id when it stayed, or a dash for a node
/// whose speed does not come from its hardware.
fn hardware_change(s: &crate::sim::right_size::StationChange) -> String {
    match (s.hardware_moved(), &s.hardware_after) {
        (Some((a, b)), _) => format!("{a} → {b}"),
        (None, Some(id)) => id.clone(),
        (None, None) => "–".to_owned(),
    }
}
