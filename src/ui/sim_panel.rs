//! The simulator panel under the serving diagram: traffic and SLA inputs,
//! runs in the background (live while values change), the results table,
//! utilisation colours on the canvas, and plots.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Bar, BarChart, Legend, Line, Plot, PlotPoints, Points};

use super::canvas::NodeTints;
use crate::content::Scenario;
use crate::diagram::{Diagram, NodeId};
use crate::format::thousands;
use crate::sim::curve::{LoadPoint, load_curve};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::{Estimate, RunConfig, SimReport, Traffic, run_with_progress};

/// Runs shorter than this show no progress bar.
const PROGRESS_AFTER_SECS: f64 = 0.1;
const CURVE_REQUESTS: u64 = 20_000;
const HOURS_PER_MONTH: f64 = 730.0;

/// A finished run.
pub struct SimOutcome {
    pub report: SimReport,
    /// The diagram node behind each station of the report.
    pub nodes: Vec<NodeId>,
    pub curve: Vec<LoadPoint>,
}

/// What a background run sends back: the report as soon as it is ready,
/// then the load curve, which takes longer.
enum Message {
    Report(Box<Result<SimOutcome, String>>),
    Curve(Vec<LoadPoint>),
}

struct Job {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<f64>>,
    rx: Receiver<Message>,
    started: f64,
    /// The report has arrived; only the load curve is still running.
    reported: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tab {
    Latency,
    LoadCurve,
    Cost,
}

/// Inputs, the running job and the last result.
pub struct SimPanel {
    pub open: bool,
    pub qps: f64,
    pub sla_p99_ms: f64,
    pub monthly_budget_usd: f64,
    pub requests: u64,
    pub replications: u32,
    pub seed: u64,
    pub live: bool,
    /// The daily-users helper: millions of users, requests each per day,
    /// and the peak-to-average factor.
    pub daily_users_millions: f64,
    pub requests_per_user_per_day: f64,
    pub peak_factor: f64,
    /// What the last run was for, to re-run when anything changes.
    last_key: Option<String>,
    job: Option<Job>,
    pub outcome: Option<Result<SimOutcome, String>>,
    tab: Tab,
}

impl SimPanel {
    /// A panel with the case study's default traffic and targets.
    pub fn new(scenario: Scenario) -> SimPanel {
        SimPanel {
            open: false,
            qps: scenario.peak_qps,
            sla_p99_ms: scenario.p99_sla_ms,
            monthly_budget_usd: scenario.monthly_budget_usd,
            requests: 50_000,
            replications: 8,
            seed: 1,
            live: true,
            daily_users_millions: 100.0,
            requests_per_user_per_day: 10.0,
            peak_factor: 2.0,
            last_key: None,
            job: None,
            outcome: None,
            tab: Tab::Latency,
        }
    }

    /// Starts a run of `diagram` now, cancelling any run under way.
    pub fn start(&mut self, ctx: &egui::Context, diagram: &Diagram, now: f64) {
        self.cancel();
        let mapped = match network_from_diagram(diagram) {
            Ok(m) => m,
            Err(e) => {
                self.outcome = Some(Err(e.to_string()));
                return;
            }
        };
        let config = RunConfig::new(Traffic::rps(self.qps))
            .with_requests(self.requests)
            .with_replications(self.replications)
            .with_seed(self.seed)
            .with_sla_p99_ms(self.sla_p99_ms);
        let cancel = Arc::new(AtomicBool::new(false));
        let progress = Arc::new(Mutex::new(0.0));
        let (tx, rx) = channel();
        let (c, p, ctx) = (cancel.clone(), progress.clone(), ctx.clone());
        let seed = self.seed;
        std::thread::spawn(move || {
            let on_progress = |pr: crate::sim::Progress| {
                if let Ok(mut slot) = p.lock() {
                    *slot = pr.fraction();
                }
                ctx.request_repaint();
            };
            let result = run_with_progress(&mapped.network, &config, &c, &on_progress);
            let saturation = result.as_ref().ok().and_then(|r| r.saturation_rps);
            let outcome = result.map_err(|e| e.to_string()).map(|report| SimOutcome {
                report,
                nodes: mapped.nodes.clone(),
                curve: Vec::new(),
            });
            if c.load(Ordering::Relaxed) || tx.send(Message::Report(Box::new(outcome))).is_err() {
                return;
            }
            ctx.request_repaint();
            if let Some(sat) = saturation {
                let curve = load_curve(&mapped.network, sat, CURVE_REQUESTS, seed, &c);
                if !c.load(Ordering::Relaxed) {
                    let _ = tx.send(Message::Curve(curve));
                }
            }
            ctx.request_repaint();
        });
        self.job = Some(Job {
            cancel,
            progress,
            rx,
            started: now,
            reported: false,
        });
    }

    pub fn cancel(&mut self) {
        if let Some(job) = self.job.take() {
            job.cancel.store(true, Ordering::Relaxed);
        }
    }

    /// Picks up a finished run, and starts a new one when live and the
    /// diagram or the inputs changed.
    pub fn update(&mut self, ctx: &egui::Context, diagram: &Diagram, now: f64) {
        if let Some(job) = &self.job {
            match job.rx.try_recv() {
                Ok(Message::Report(result)) => {
                    self.outcome = Some(*result);
                    if let Some(job) = &mut self.job {
                        job.reported = true;
                    }
                }
                Ok(Message::Curve(curve)) => {
                    if let Some(Ok(outcome)) = &mut self.outcome {
                        outcome.curve = curve;
                    }
                    self.job = None;
                }
                Err(TryRecvError::Disconnected) => self.job = None,
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(50));
                }
            }
        }
        if !self.open {
            return;
        }
        let key = format!(
            "{:?}|{:?}|{}|{}|{}|{}|{}",
            diagram
                .nodes
                .iter()
                .map(|n| (&n.label, &n.sim))
                .collect::<Vec<_>>(),
            diagram
                .edges
                .iter()
                .map(|e| (e.from, e.to, e.sim))
                .collect::<Vec<_>>(),
            self.qps,
            self.sla_p99_ms,
            self.requests,
            self.replications,
            self.seed
        );
        if self.live && self.last_key.as_deref() != Some(key.as_str()) {
            self.last_key = Some(key);
            self.start(ctx, diagram, now);
        }
    }

    /// Utilisation colours for the canvas, green to red, with the bottleneck
    /// in full red.
    pub fn tints(&self) -> Option<NodeTints> {
        let Some(Ok(outcome)) = &self.outcome else {
            return None;
        };
        let mut tints = HashMap::new();
        for (station, node) in outcome.report.stations.iter().zip(&outcome.nodes) {
            let bottleneck = outcome.report.bottleneck.as_deref() == Some(station.name.as_str());
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
        Some(tints)
    }
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

/// Draws the panel; `now` is the app clock (egui time).
pub fn sim_panel_ui(ui: &mut egui::Ui, panel: &mut SimPanel, diagram: &Diagram, now: f64) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("Simulator").strong());
        ui.checkbox(&mut panel.live, "Re-run when anything changes");
        if ui.button("Run").clicked() {
            panel.last_key = None;
            let live = panel.live;
            panel.live = true;
            panel.update(ui.ctx(), diagram, now);
            panel.live = live;
        }
        if let Some(job) = &panel.job
            && job.reported
        {
            ui.spinner();
            ui.label(RichText::new("Computing the load curve…").small().weak());
        } else if let Some(job) = &panel.job
            && now - job.started > PROGRESS_AFTER_SECS
        {
            let fraction = job.progress.lock().map_or(0.0, |p| *p) as f32;
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(140.0)
                    .show_percentage(),
            );
            if ui.button("Cancel").clicked() {
                panel.cancel();
            }
        }
    });
    ui.separator();
    ui.columns(3, |cols| {
        inputs_ui(&mut cols[0], panel);
        results_ui(&mut cols[1], panel);
        plots_ui(&mut cols[2], panel);
    });
}

/// A labelled number field on one grid row.
fn drag_row(ui: &mut egui::Ui, label: &str, widget: egui::DragValue<'_>) {
    let l = ui.label(label);
    ui.add(widget).labelled_by(l.id);
    ui.end_row();
}

fn inputs_ui(ui: &mut egui::Ui, p: &mut SimPanel) {
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
                egui::DragValue::new(&mut p.daily_users_millions)
                    .range(0.001..=10_000.0)
                    .speed(1.0),
            );
            drag_row(
                ui,
                "Requests per user per day",
                egui::DragValue::new(&mut p.requests_per_user_per_day)
                    .range(0.01..=10_000.0)
                    .speed(0.5),
            );
            drag_row(
                ui,
                "Peak over average",
                egui::DragValue::new(&mut p.peak_factor)
                    .range(1.0..=20.0)
                    .speed(0.1),
            );
        });
        let traffic = Traffic::from_daily_users(
            p.daily_users_millions * 1e6,
            p.requests_per_user_per_day,
            p.peak_factor,
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

fn results_ui(ui: &mut egui::Ui, p: &SimPanel) {
    let outcome = match &p.outcome {
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
                            thousands(p.monthly_budget_usd)
                        ),
                    );
                    if let Some(m) = r.cost_usd_per_million_requests {
                        line("Per million requests", format!("${m:.2}"));
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

fn plots_ui(ui: &mut egui::Ui, p: &mut SimPanel) {
    ui.horizontal(|ui| {
        ui.selectable_value(&mut p.tab, Tab::Latency, "Latency");
        ui.selectable_value(&mut p.tab, Tab::LoadCurve, "Load curve");
        ui.selectable_value(&mut p.tab, Tab::Cost, "Cost per node");
    });
    let Some(Ok(outcome)) = &p.outcome else {
        return;
    };
    let r = &outcome.report;
    let height = ui.available_height().max(120.0);
    match p.tab {
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
                        PlotPoints::from(vec![[p.sla_p99_ms, 0.0], [p.sla_p99_ms, 1.0]]),
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
