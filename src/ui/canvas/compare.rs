//! "Compare with reference": the case's reference diagram beside the
//! candidate's, read-only, with what each has that the other lacks and, for
//! the serving path, the two simulations side by side.

use eframe::egui::{self, RichText};

use super::read_only_canvas_ui;
use super::state::DiagramEditorState;
use crate::app::{Command, Commands, DiagramSim, REFERENCE_PREFIX, SimAction};
use crate::diagram::Diagram;
use crate::format::thousands;
use crate::review::compare;

/// Hours in a month, for monthly cost.
const HOURS_PER_MONTH: f64 = 730.0;

/// What the comparison panel shows.
pub struct CompareInput<'a> {
    /// The diagram's name (the reference's has the same).
    pub name: &'a str,
    pub mine: &'a Diagram,
    pub reference: &'a Diagram,
    /// The simulations of both, once run.
    pub my_sim: Option<&'a DiagramSim>,
    pub reference_sim: Option<&'a DiagramSim>,
}

/// Draws the panel; the reference canvas accepts no edits.
pub fn compare_panel_ui(
    ui: &mut egui::Ui,
    view: &mut DiagramEditorState,
    input: &CompareInput<'_>,
    commands: &mut Commands,
) {
    let c = compare(input.mine, input.reference);
    ui.add_space(6.0);
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Reference design").strong());
        ui.label(RichText::new("read-only").small().weak());
        if ui
            .button("Copy into my session")
            .on_hover_text("Adds it as a new diagram; undo takes it back")
            .clicked()
        {
            commands.send(Command::CopyReference(input.name.to_owned()));
        }
    });
    egui::CollapsingHeader::new(format!(
        "How yours differs: {} missing, {} extra",
        c.missing.len(),
        c.extra.len()
    ))
    .default_open(true)
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("compare_lists")
            .max_height(220.0)
            .show(ui, |ui| {
                if c.missing.is_empty() {
                    ui.label("Every role in the reference appears in your design.");
                }
                for gap in &c.missing {
                    ui.label(
                        RichText::new(format!("Missing: {}", gap.role.label()))
                            .color(ui.visuals().warn_fg_color),
                    );
                    ui.label(
                        RichText::new(format!("({}) {}", gap.nodes.join(", "), gap.why)).small(),
                    );
                    ui.add_space(3.0);
                }
                if !c.extra.is_empty() {
                    ui.add_space(4.0);
                    ui.label(
                        RichText::new("Yours only (not necessarily wrong):")
                            .small()
                            .strong(),
                    );
                    for gap in &c.extra {
                        ui.label(
                            RichText::new(format!(
                                "{}: {}",
                                gap.role.label(),
                                gap.nodes.join(", ")
                            ))
                            .small(),
                        );
                    }
                }
            });
    });
    if input.reference.nodes.iter().any(|n| n.sim.is_some()) {
        sim_table_ui(ui, input, commands);
    }
    ui.separator();
    read_only_canvas_ui(ui, view, input.name, input.reference);
}

/// The two serving simulations side by side.
fn sim_table_ui(ui: &mut egui::Ui, input: &CompareInput<'_>, commands: &mut Commands) {
    let (mine, theirs) = (report_of(input.my_sim), report_of(input.reference_sim));
    ui.horizontal(|ui| {
        ui.label(
            RichText::new("Simulated at the case's peak")
                .small()
                .strong(),
        );
        let running = [input.my_sim, input.reference_sim]
            .iter()
            .any(|s| s.is_some_and(|s| s.running().is_some()));
        if running {
            ui.spinner();
        } else if ui.small_button("Run both").clicked() {
            for diagram in [
                input.name.to_owned(),
                format!("{REFERENCE_PREFIX}{}", input.name),
            ] {
                commands.send(Command::Sim {
                    diagram,
                    action: SimAction::Run,
                });
            }
        }
    });
    let p99 = |r: Option<&crate::sim::SimReport>| {
        r.and_then(|r| r.latency_ms.as_ref())
            .map_or_else(|| "–".to_owned(), |l| format!("{:.0} ms", l.p99.mean))
    };
    let cost = |r: Option<&crate::sim::SimReport>| {
        r.map_or_else(
            || "–".to_owned(),
            |r| format!("${}", thousands(r.cost_usd_per_hour * HOURS_PER_MONTH)),
        )
    };
    let saturation = |r: Option<&crate::sim::SimReport>| {
        r.and_then(|r| r.saturation_rps)
            .map_or_else(|| "–".to_owned(), |s| format!("{} req/s", thousands(s)))
    };
    let bottleneck = |r: Option<&crate::sim::SimReport>| {
        r.and_then(|r| r.bottleneck.clone())
            .unwrap_or_else(|| "–".to_owned())
    };
    egui::Grid::new("compare_sim")
        .num_columns(3)
        .striped(true)
        .spacing([12.0, 4.0])
        .show(ui, |ui| {
            ui.label("");
            ui.label(RichText::new("Yours").strong());
            ui.label(RichText::new("Reference").strong());
            ui.end_row();
            for (label, f) in [
                (
                    "p99",
                    &p99 as &dyn Fn(Option<&crate::sim::SimReport>) -> String,
                ),
                ("Cost per month", &cost),
                ("Saturation", &saturation),
                ("Bottleneck", &bottleneck),
            ] {
                ui.label(label);
                ui.label(f(mine));
                ui.label(f(theirs));
                ui.end_row();
            }
        });
}

fn report_of(sim: Option<&DiagramSim>) -> Option<&crate::sim::SimReport> {
    sim.and_then(DiagramSim::result).map(|r| &r.report)
}
