//! The simulator panel under the serving diagram: traffic and SLA inputs,
//! runs in the background (live while values change), the results table,
//! utilisation colours on the canvas, and plots.

use std::collections::HashMap;

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

use super::canvas::NodeTints;
use super::compare_window::CompareView;
use super::timeline_panel::{Series, timeline_panel_ui};
use crate::app::{Command, Commands, DiagramSim, SimAction, SimInputs, SimResult};
use crate::content::Scenario;
use crate::diagram::Diagram;
use crate::format::{number, thousands};
use crate::sim::availability::Availability;
use crate::sim::curve::LoadPoint;
use crate::sim::{Estimate, Traffic};

/// Runs shorter than this show no progress bar.
const PROGRESS_AFTER_SECS: f64 = 0.1;
const HOURS_PER_MONTH: f64 = 730.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Latency,
    LoadCurve,
    Cost,
}

/// The simulator panel's view state: the plot on show and the daily-users
/// helper. The inputs, the run and its result live in the app state.
pub struct SimView {
    tab: Tab,
    /// The run over time is on show instead of the steady state.
    over_time: bool,
    series: Series,
    /// The daily-users helper: millions of users, requests each per day,
    /// and the peak-to-average factor.
    daily_users_millions: f64,
    requests_per_user_per_day: f64,
    peak_factor: f64,
    /// Right-size so that the SLA also holds with one zone lost.
    right_size_zone_loss: bool,
    /// Right-sizing may move model nodes to other hardware.
    right_size_hardware: bool,
    /// The window comparing this design with another of the session.
    pub compare: CompareView,
}

impl SimView {
    /// The helper starts from the case study's own traffic figures.
    pub fn new(scenario: &Scenario) -> SimView {
        SimView {
            tab: Tab::Latency,
            over_time: false,
            series: Series::default(),
            daily_users_millions: scenario.daily_active_users / 1e6,
            requests_per_user_per_day: scenario.requests_per_user_per_day,
            peak_factor: scenario.peak_to_mean,
            right_size_zone_loss: false,
            right_size_hardware: false,
            compare: CompareView::default(),
        }
    }
}

/// Utilisation colours for the canvas, green to red, with the bottleneck
/// in full red.
pub fn tints(result: &SimResult) -> NodeTints {
    let mut tints = HashMap::new();
    for (station, node) in result.report.stations.iter().zip(&result.nodes) {
        let bottleneck = result.report.bottleneck.as_deref() == Some(station.name.as_str());
        let color = utilisation_color(station.utilisation.mean);
        // A translucent fill keeps the label readable on either theme.
        tints.insert(
            *node,
            (
                color.gamma_multiply(0.45),
                utilisation_badge(station.utilisation.mean, bottleneck),
            ),
        );
    }
    tints
}

/// Green at idle, yellow at 70%, red at saturation.
pub fn utilisation_color(u: f64) -> Color32 {
    let u = u.clamp(0.0, 1.0) as f32;
    let (r, g) = if u < 0.7 {
        (u / 0.7, 1.0)
    } else {
        (1.0, 1.0 - (u - 0.7) / 0.3)
    };
    Color32::from_rgb((60.0 + 170.0 * r) as u8, (70.0 + 130.0 * g) as u8, 70)
}

fn utilisation_badge(u: f64, bottleneck: bool) -> String {
    let text = format!("ρ {:.0}%", u * 100.0);
    if bottleneck {
        format!("⚠ {text}")
    } else {
        text
    }
}

fn ci(e: &Estimate) -> String {
    match e.ci95_half_width {
        Some(h) if h > 0.0 => format!("{:.1} ± {:.1}", e.mean, h),
        _ => format!("{:.1}", e.mean),
    }
}

/// Draws the panel for the diagram `name`; `now` is the app clock (egui time).
pub fn sim_panel_ui(
    ui: &mut egui::Ui,
    view: &mut SimView,
    name: &str,
    diagram: &Diagram,
    sim: &DiagramSim,
    now: f64,
    commands: &mut Commands,
) {
    let send = |commands: &mut Commands, action| {
        commands.send(Command::Sim {
            diagram: name.to_owned(),
            action,
        });
    };
    let mut inputs = sim.inputs.clone();
    // Wrapped: beside a properties panel the controls take two lines.
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Simulator").strong());
        let was = view.over_time;
        ui.selectable_value(&mut view.over_time, false, "Steady state");
        ui.selectable_value(&mut view.over_time, true, "Over time");
        if view.over_time != was {
            send(commands, SimAction::SetTimelineOpen(view.over_time));
        }
        ui.separator();
        ui.checkbox(&mut inputs.live, "Re-run when anything changes");
        if ui.button("Run").clicked() {
            send(commands, SimAction::Run);
        }
        if ui
            .add_enabled(!sim.right_sizing(), egui::Button::new("Right-size"))
            .on_hover_text(
                "The cheapest replica counts that keep every node below load 0.8 and meet the p99 SLA at this load",
            )
            .clicked()
        {
            send(
                commands,
                SimAction::RightSize {
                    zone_loss: view.right_size_zone_loss,
                    choose_hardware: view.right_size_hardware,
                },
            );
        }
        ui.checkbox(&mut view.right_size_zone_loss, "with a zone lost");
        ui.checkbox(&mut view.right_size_hardware, "other hardware")
            .on_hover_text("Model nodes may move to any machine in the hardware catalog");
        if sim.right_sizing() {
            ui.spinner();
            ui.label("Right-sizing…");
        }
        if ui
            .button("Compare…")
            .on_hover_text("Simulate this design and another of the session side by side")
            .clicked()
        {
            view.compare.open = true;
        }
        if ui
            .button("Estimator")
            .on_hover_text("The back-of-envelope estimate; its peak QPS can drive this simulator")
            .clicked()
        {
            commands.send(crate::app::EstimateAction::SetOpen(true));
        }
        match sim.running() {
            Some(run) if run.curve_only => {
                ui.spinner();
                ui.label(RichText::new("Computing the load curve…").small().weak());
            }
            Some(run) if now - run.started_secs > PROGRESS_AFTER_SECS => {
                ui.add(
                    egui::ProgressBar::new(run.fraction as f32)
                        .desired_width(140.0)
                        .show_percentage(),
                );
                if ui.button("Cancel").clicked() {
                    send(commands, SimAction::Cancel);
                }
            }
            _ => {}
        }
    });
    ui.separator();
    if view.over_time {
        timeline_panel_ui(ui, &mut view.series, name, diagram, sim, commands);
    } else {
        ui.columns(3, |cols| {
            inputs_ui(&mut cols[0], view, &mut inputs);
            results_ui(&mut cols[1], sim);
            plots_ui(&mut cols[2], view, sim);
        });
    }
    if inputs != sim.inputs {
        send(commands, SimAction::SetInputs(inputs));
    }
    if let Some(outcome) = &sim.right_size {
        super::right_size_window::right_size_window_ui(ui.ctx(), name, outcome, commands);
    }
}

/// A labelled number field on one grid row.
fn drag_row(ui: &mut egui::Ui, label: &str, widget: egui::DragValue<'_>) {
    let l = ui.label(label);
    ui.add(widget).labelled_by(l.id);
    ui.end_row();
}

fn inputs_ui(ui: &mut egui::Ui, view: &mut SimView, p: &mut SimInputs) {
    egui::Grid::new("sim_inputs")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            drag_row(
                ui,
                "Requests per second",
                egui::DragValue::new(&mut p.qps)
                    .range(0.1..=1e7)
                    .speed(10.0),
            );
            drag_row(
                ui,
                "p99 SLA (ms)",
                egui::DragValue::new(&mut p.sla_p99_ms).range(0.1..=1e6),
            );
            drag_row(
                ui,
                "Monthly budget ($)",
                egui::DragValue::new(&mut p.monthly_budget_usd)
                    .range(0.0..=1e9)
                    .speed(100.0),
            );
            drag_row(
                ui,
                "Requests per run",
                egui::DragValue::new(&mut p.requests)
                    .range(1_000..=10_000_000)
                    .speed(1000.0),
            );
            drag_row(
                ui,
                "Replications",
                egui::DragValue::new(&mut p.replications).range(2..=64),
            );
            drag_row(ui, "Seed", egui::DragValue::new(&mut p.seed));
        });
    egui::CollapsingHeader::new("From daily users").show(ui, |ui| {
        egui::Grid::new("dau").num_columns(2).show(ui, |ui| {
            drag_row(
                ui,
                "Daily users (millions)",
                egui::DragValue::new(&mut view.daily_users_millions)
                    .range(0.001..=10_000.0)
                    .speed(1.0),
            );
            drag_row(
                ui,
                "Requests per user per day",
                egui::DragValue::new(&mut view.requests_per_user_per_day)
                    .range(0.01..=10_000.0)
                    .speed(0.5),
            );
            drag_row(
                ui,
                "Peak over average",
                egui::DragValue::new(&mut view.peak_factor)
                    .range(1.0..=20.0)
                    .speed(0.1),
            );
        });
        let traffic = Traffic::from_daily_users(
            view.daily_users_millions * 1e6,
            view.requests_per_user_per_day,
            view.peak_factor,
        );
        if ui
            .button(format!(
                "Use {} req/s",
                thousands(traffic.requests_per_second)
            ))
            .clicked()
        {
            p.qps = traffic.requests_per_second;
        }
    });
    ui.label(
        RichText::new("Set each node's parameters in its properties.")
            .small()
            .weak(),
    );
}

fn results_ui(ui: &mut egui::Ui, p: &DiagramSim) {
    let outcome = match &p.last {
        None => {
            ui.label(RichText::new("No results yet.").weak());
            return;
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
            return;
        }
        Some(Ok(o)) => o,
    };
    let r = &outcome.report;
    egui::ScrollArea::vertical()
        .id_salt("sim_results")
        .show(ui, |ui| {
            if let Some(sla) = &r.sla {
                let (text, color) = if sla.holds {
                    (
                        format!("✔ p99 within {} ms", sla.p99_limit_ms),
                        Color32::from_rgb(60, 170, 90),
                    )
                } else {
                    (
                        format!("✖ p99 over {} ms", sla.p99_limit_ms),
                        ui.visuals().error_fg_color,
                    )
                };
                ui.label(RichText::new(text).strong().color(color));
            }
            if let Some(a) = &r.availability {
                ui.label(availability_line(a));
                let (zone, color) = zone_loss_line(a, p.running().is_some());
                ui.colored_label(color.unwrap_or(ui.visuals().text_color()), zone);
            }
            if r.unstable {
                ui.colored_label(
                    ui.visuals().error_fg_color,
                    "Unstable: a node is at or past full load; queues grow.",
                );
            }
            egui::Grid::new("sim_table")
                .striped(true)
                .num_columns(2)
                .show(ui, |ui| {
                    let mut line = |k: &str, v: String| {
                        ui.label(k);
                        ui.label(v);
                        ui.end_row();
                    };
                    if let Some(l) = &r.latency_ms {
                        line("p50 / p90 (ms)", format!("{} / {}", ci(&l.p50), ci(&l.p90)));
                        line("p95 / p99 (ms)", format!("{} / {}", ci(&l.p95), ci(&l.p99)));
                        line(
                            "p99.9 / mean (ms)",
                            format!("{} / {}", ci(&l.p999), ci(&l.mean)),
                        );
                    } else {
                        line("Latency (ms)", "unknown (see the warnings)".to_owned());
                    }
                    line("Throughput (req/s)", ci(&r.throughput_rps));
                    line(
                        "Drops / timeouts",
                        format!(
                            "{:.2}% / {:.2}%",
                            r.drop_rate.mean * 100.0,
                            r.timeout_rate.mean * 100.0
                        ),
                    );
                    if let Some(s) = r.saturation_rps {
                        line("Saturates at (req/s)", thousands(s));
                    }
                    if let Some(b) = &r.bottleneck {
                        line("Bottleneck", b.clone());
                    }
                    let monthly = r.cost_usd_per_hour * HOURS_PER_MONTH;
                    line("Cost per hour", format!("${:.2}", r.cost_usd_per_hour));
                    line(
                        "Cost per month",
                        format!(
                            "${} of ${}",
                            thousands(monthly),
                            thousands(p.inputs.monthly_budget_usd)
                        ),
                    );
                    if let Some(m) = r.cost_usd_per_million_requests {
                        line("Per million requests", format!("${m:.2}"));
                    }
                    if let Some(a) = &r.availability {
                        line("Single points of failure", single_points(a));
                    }
                });
            ui.add_space(4.0);
            egui::Grid::new("sim_stations")
                .striped(true)
                .num_columns(3)
                .show(ui, |ui| {
                    ui.label(RichText::new("Node").strong());
                    ui.label(RichText::new("Utilisation").strong());
                    ui.label(RichText::new("Queue wait").strong());
                    ui.end_row();
                    for s in &r.stations {
                        ui.label(&s.name);
                        ui.colored_label(
                            utilisation_color(s.utilisation.mean),
                            format!("{:.1}%", s.utilisation.mean * 100.0),
                        );
                        ui.label(
                            s.mean_queue_wait_ms
                                .as_ref()
                                .map_or_else(|| "-".to_owned(), |w| format!("{:.2} ms", w.mean)),
                        );
                        ui.end_row();
                    }
                });
            for w in &r.warnings {
                ui.label(RichText::new(w).small().color(ui.visuals().warn_fg_color));
            }
        });
}

fn plots_ui(ui: &mut egui::Ui, view: &mut SimView, p: &DiagramSim) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut view.tab, Tab::Latency, "Latency");
        ui.selectable_value(&mut view.tab, Tab::LoadCurve, "Load curve");
        ui.selectable_value(&mut view.tab, Tab::Cost, "Cost per node");
    });
    let Some(outcome) = p.result() else {
        return;
    };
    let r = &outcome.report;
    let height = ui.available_height().max(120.0);
    match view.tab {
        Tab::Latency => {
            let Some(l) = &r.latency_ms else { return };
            // The distribution as measured quantiles: latency against the
            // fraction of requests at or under it.
            let cdf = vec![
                [l.min, 0.0],
                [l.p50.mean, 0.5],
                [l.p90.mean, 0.9],
                [l.p95.mean, 0.95],
                [l.p99.mean, 0.99],
                [l.p999.mean, 0.999],
                [l.max, 1.0],
            ];
            Plot::new("latency_cdf")
                .height(height)
                .x_axis_label("latency (ms)")
                .y_axis_label("fraction of requests")
                .legend(Legend::default())
                .show(ui, |plot| {
                    plot.line(Line::new("CDF", PlotPoints::from(cdf.clone())));
                    plot.points(Points::new("percentiles", PlotPoints::from(cdf)).radius(3.0));
                    plot.line(Line::new(
                        "SLA p99",
                        PlotPoints::from(vec![
                            [p.inputs.sla_p99_ms, 0.0],
                            [p.inputs.sla_p99_ms, 1.0],
                        ]),
                    ));
                });
        }
        Tab::LoadCurve => {
            let series = |f: fn(&LoadPoint) -> Option<f64>| -> Vec<[f64; 2]> {
                outcome
                    .curve
                    .iter()
                    .filter_map(|pt| f(pt).map(|v| [pt.load_fraction * 100.0, v]))
                    .collect()
            };
            Plot::new("load_curve")
                .height(height)
                .x_axis_label("offered load (% of saturation)")
                .y_axis_label("latency (ms)")
                .legend(Legend::default())
                .show(ui, |plot| {
                    plot.line(Line::new("p99", PlotPoints::from(series(|pt| pt.p99_ms))));
                    plot.line(Line::new("p50", PlotPoints::from(series(|pt| pt.p50_ms))));
                    plot.line(Line::new(
                        "analytic mean",
                        PlotPoints::from(series(|pt| pt.analytic_mean_ms)),
                    ));
                });
        }
        Tab::Cost => {
            let bars: Vec<Bar> = r
                .stations
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    Bar::new(i as f64, s.cost_usd_per_hour * HOURS_PER_MONTH)
                        .name(&s.name)
                        .width(0.6)
                })
                .collect();
            Plot::new("cost_per_node")
                .height(height)
                .y_axis_label("$ per month")
                .show(ui, |plot| plot.bar_chart(BarChart::new("cost", bars)));
        }
    }
}

/// The path's availability in one short line.
fn availability_line(a: &Availability) -> String {
    format!(
        "{}% available ({} nines), {} min down a month",
        number(a.percent, 3),
        number(a.nines, 1),
        number(a.downtime_minutes_per_month, 0)
    )
}

/// Whether the SLA survives a zone's loss, and its colour; `checking`
/// while the check may still arrive.
fn zone_loss_line(a: &Availability, checking: bool) -> (String, Option<Color32>) {
    let (verdict, color) = match a.zone_loss_meets_sla {
        Some(true) => ("✔ the SLA holds", Some(Color32::from_rgb(60, 170, 90))),
        Some(false) => ("✖ the SLA breaks", Some(Color32::from_rgb(220, 90, 80))),
        None if checking => ("checking…", None),
        None => ("not checked", None),
    };
    (format!("One zone lost: {verdict}"), color)
}

fn single_points(a: &Availability) -> String {
    if a.single_points_of_failure.is_empty() {
        "none".to_owned()
    } else {
        a.single_points_of_failure.join("; ")
    }
}
