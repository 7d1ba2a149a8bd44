//! The simulator's "Over time" view: the scenario editor (run length,
//! events on a timeline, one-click spike, zone loss and cold cache), the
//! run's summary and availability, time-series plots with the events
//! marked, and a scrubber that colours the canvas by one moment's load.

use std::collections::HashMap;

use eframe::egui::{self, Color32, RichText};
use egui_plot::{Legend, Line, Plot, PlotPoints, VLine};

use super::canvas::NodeTints;
use super::sim_panel::utilisation_color;
use crate::app::{Command, Commands, DiagramAction, DiagramSim, SimAction, TimelineResult};
use crate::diagram::{Diagram, DiagramEdit, EventKind, MlRole, Scenario, TimedEvent};
use crate::format::number;

/// Which series the plot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Series {
    #[default]
    P99,
    Throughput,
    Drops,
    Replicas,
}

/// Canvas colours for the moment `t_s` of a run over time.
pub fn timeline_tints(result: &TimelineResult, t_s: f64) -> NodeTints {
    let mut tints = HashMap::new();
    if let Some(w) = result.window_at(t_s) {
        for (st, node) in w.stations.iter().zip(&result.nodes) {
            let badge = format!(
                "ρ {:.0}% · {} up · q {}",
                st.utilisation * 100.0,
                st.replicas,
                number(st.queue_len, 0)
            );
            tints.insert(
                *node,
                (
                    utilisation_color(st.utilisation).gamma_multiply(0.45),
                    badge,
                ),
            );
        }
    }
    tints
}

/// The simulated nodes' labels, with whether each is a cache and its zones.
fn simulated_nodes(diagram: &Diagram) -> Vec<(String, bool, u32)> {
    diagram
        .nodes
        .iter()
        .filter_map(|n| {
            let sim = n.sim.as_ref()?;
            let cache = matches!(sim.ml, MlRole::Cache { .. });
            Some((n.label.clone(), cache, sim.zones.max(1)))
        })
        .collect()
}

/// The common events, one click each, placed at `at_s`.
fn quick_events(
    diagram: &Diagram,
    scenario: &Scenario,
    at_s: f64,
) -> Vec<(&'static str, Vec<TimedEvent>)> {
    let nodes = simulated_nodes(diagram);
    let outage_s = (scenario.duration_s / 4.0).clamp(1.0, 600.0);
    let back_at = (at_s + outage_s).min(scenario.duration_s);
    let ev = |at_s, kind| TimedEvent { at_s, kind };
    let mut zone = Vec::new();
    for (node, cache, zones) in &nodes {
        if *cache {
            continue;
        }
        zone.push(ev(
            at_s,
            EventKind::Fail {
                node: node.clone(),
                fraction: 1.0 / f64::from(*zones),
            },
        ));
        zone.push(ev(back_at, EventKind::Recover { node: node.clone() }));
    }
    let cold: Vec<TimedEvent> = nodes
        .iter()
        .filter(|(_, cache, _)| *cache)
        .map(|(node, _, _)| ev(at_s, EventKind::ColdCache { node: node.clone() }))
        .collect();
    let spike_s = 300.0_f64.min(scenario.duration_s - at_s).max(1.0);
    vec![
        (
            "3× spike for 5 min",
            vec![ev(
                at_s,
                EventKind::Spike {
                    factor: 3.0,
                    for_s: spike_s,
                },
            )],
        ),
        ("Lose a zone", zone),
        ("Cold cache", cold),
    ]
}

/// Draws the view for the diagram `name`.
pub fn timeline_panel_ui(
    ui: &mut egui::Ui,
    series: &mut Series,
    name: &str,
    diagram: &Diagram,
    sim: &DiagramSim,
    commands: &mut Commands,
) {
    let scenario = diagram.scenario.clone().unwrap_or_default();
    // The panel keeps its height: the columns scroll, the canvas stays.
    ui.columns(3, |cols| {
        let edited = egui::ScrollArea::vertical()
            .id_salt("scenario_column")
            .show(&mut cols[0], |ui| {
                scenario_ui(ui, diagram, &scenario, sim, name, commands)
            })
            .inner;
        if let Some(new) = edited
            && new != scenario
        {
            commands.send(Command::Diagram {
                name: name.to_owned(),
                action: DiagramAction::Edit(DiagramEdit::SetScenario(Some(new))),
            });
        }
        let Some(r) = result_or_status(&mut cols[1], sim) else {
            return;
        };
        egui::ScrollArea::vertical()
            .id_salt("timeline_summary_column")
            .show(&mut cols[1], |ui| {
                ui.horizontal(|ui| scrub_ui(ui, name, r, sim, commands));
                summary_ui(ui, r);
            });
        plots_ui(&mut cols[2], series, r, &scenario, sim.timeline.scrub_s);
    });
}

/// The scenario editor; returns the scenario when something changed.
fn scenario_ui(
    ui: &mut egui::Ui,
    diagram: &Diagram,
    scenario: &Scenario,
    sim: &DiagramSim,
    name: &str,
    commands: &mut Commands,
) -> Option<Scenario> {
    let mut s = scenario.clone();
    ui.horizontal(|ui| {
        ui.label(RichText::new("Scenario").strong());
        if ui
            .button("▶ Play")
            .on_hover_text("Run the scenario now")
            .clicked()
        {
            commands.send(Command::Sim {
                diagram: name.to_owned(),
                action: SimAction::RunTimeline,
            });
        }
        if sim.timeline.running() {
            ui.spinner();
        }
    });
    egui::Grid::new("scenario_settings")
        .num_columns(4)
        .show(ui, |ui| {
            ui.label("Length (s)");
            ui.add(
                egui::DragValue::new(&mut s.duration_s)
                    .range(1.0..=86_400.0)
                    .speed(5.0),
            );
            ui.label("Window (s)");
            ui.add(
                egui::DragValue::new(&mut s.window_s)
                    .range(0.1..=3_600.0)
                    .speed(0.1),
            );
            ui.end_row();
            let mut own = s.start_rps.is_some();
            ui.checkbox(&mut own, "Own start rate")
                .on_hover_text("Otherwise the simulator's traffic above");
            if own {
                let mut rps = s.start_rps.unwrap_or(sim.inputs.qps);
                ui.add(
                    egui::DragValue::new(&mut rps)
                        .range(0.0..=1e7)
                        .suffix(" req/s"),
                );
                s.start_rps = Some(rps);
            } else {
                s.start_rps = None;
            }
            ui.end_row();
        });
    let at_s = sim
        .timeline
        .scrub_s
        .unwrap_or(s.duration_s / 4.0)
        .min(s.duration_s);
    ui.horizontal_wrapped(|ui| {
        for (label, events) in quick_events(diagram, &s, at_s) {
            let enabled = !events.is_empty();
            let hint = format!("Adds it at {} s (the scrubber's moment)", number(at_s, 0));
            if ui
                .add_enabled(enabled, egui::Button::new(label))
                .on_hover_text(hint)
                .clicked()
            {
                s.events.extend(events);
            }
        }
        add_event_menu(ui, diagram, &mut s, at_s);
    });
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("scenario_events")
        .auto_shrink([false, true])
        .show(ui, |ui| {
            if s.events.is_empty() {
                ui.label(RichText::new("No events: the run holds the start rate.").weak());
            }
            let mut remove = None;
            for (i, e) in s.events.iter_mut().enumerate() {
                ui.horizontal(|ui| {
                    if ui
                        .small_button("✖")
                        .on_hover_text("Remove the event")
                        .clicked()
                    {
                        remove = Some(i);
                    }
                    ui.add(
                        egui::DragValue::new(&mut e.at_s)
                            .range(0.0..=scenario.duration_s)
                            .suffix(" s"),
                    );
                    event_fields_ui(ui, &mut e.kind);
                });
            }
            if let Some(i) = remove {
                s.events.remove(i);
            }
        });
    (s != *scenario).then_some(s)
}

/// A menu of every kind of event.
fn add_event_menu(ui: &mut egui::Ui, diagram: &Diagram, s: &mut Scenario, at_s: f64) {
    let first = simulated_nodes(diagram)
        .first()
        .map(|(n, _, _)| n.clone())
        .unwrap_or_default();
    ui.menu_button("Add event ▾", |ui| {
        let kinds = [
            ("Traffic step", EventKind::Rate { rps: 1_000.0 }),
            (
                "Ramp",
                EventKind::Ramp {
                    rps: 1_000.0,
                    over_s: 60.0,
                },
            ),
            (
                "Spike",
                EventKind::Spike {
                    factor: 2.0,
                    for_s: 60.0,
                },
            ),
            ("Daily curve", EventKind::Daily { peak_to_mean: 2.0 }),
            (
                "Node fails",
                EventKind::Fail {
                    node: first.clone(),
                    fraction: 1.0,
                },
            ),
            (
                "Node recovers",
                EventKind::Recover {
                    node: first.clone(),
                },
            ),
            (
                "Cache starts cold",
                EventKind::ColdCache {
                    node: first.clone(),
                },
            ),
            (
                "Model rollout",
                EventKind::Rollout {
                    node: first.clone(),
                    service_factor: 1.5,
                },
            ),
        ];
        for (label, kind) in kinds {
            if ui.button(label).clicked() {
                s.events.push(TimedEvent { at_s, kind });
                ui.close();
            }
        }
    });
}

/// The fields of one event, edited in place.
fn event_fields_ui(ui: &mut egui::Ui, kind: &mut EventKind) {
    let node_field = |ui: &mut egui::Ui, node: &mut String| {
        ui.add(
            egui::TextEdit::singleline(node)
                .desired_width(120.0)
                .hint_text("node label"),
        );
    };
    match kind {
        EventKind::Rate { rps } => {
            ui.label("traffic to");
            ui.add(egui::DragValue::new(rps).range(0.0..=1e7).suffix(" req/s"));
        }
        EventKind::Ramp { rps, over_s } => {
            ui.label("ramp to");
            ui.add(egui::DragValue::new(rps).range(0.0..=1e7).suffix(" req/s"));
            ui.label("over");
            ui.add(
                egui::DragValue::new(over_s)
                    .range(1.0..=86_400.0)
                    .suffix(" s"),
            );
        }
        EventKind::Spike { factor, for_s } => {
            ui.add(
                egui::DragValue::new(factor)
                    .range(0.1..=100.0)
                    .speed(0.1)
                    .suffix("×"),
            );
            ui.label("spike for");
            ui.add(
                egui::DragValue::new(for_s)
                    .range(1.0..=86_400.0)
                    .suffix(" s"),
            );
        }
        EventKind::Daily { peak_to_mean } => {
            ui.label("daily curve, peak");
            ui.add(
                egui::DragValue::new(peak_to_mean)
                    .range(1.0..=20.0)
                    .speed(0.05)
                    .suffix("× mean"),
            );
        }
        EventKind::Fail { node, fraction } => {
            node_field(ui, node);
            ui.label("loses");
            let mut pct = *fraction * 100.0;
            ui.add(
                egui::DragValue::new(&mut pct)
                    .range(0.0..=100.0)
                    .suffix("%"),
            );
            *fraction = pct / 100.0;
        }
        EventKind::Recover { node } => {
            node_field(ui, node);
            ui.label("recovers");
        }
        EventKind::ColdCache { node } => {
            node_field(ui, node);
            ui.label("starts cold");
        }
        EventKind::Rollout {
            node,
            service_factor,
        } => {
            node_field(ui, node);
            ui.label("rollout, service ×");
            ui.add(
                egui::DragValue::new(service_factor)
                    .range(0.01..=100.0)
                    .speed(0.05),
            );
        }
    }
}

/// The run's state in words when there is no result to show.
fn result_or_status<'a>(ui: &mut egui::Ui, sim: &'a DiagramSim) -> Option<&'a TimelineResult> {
    match &sim.timeline.last {
        None if sim.timeline.running() => {
            ui.label("Playing the scenario…");
        }
        None => {
            ui.label("Press Play to run the scenario; edits re-run it.");
        }
        Some(Err(e)) => {
            ui.colored_label(ui.visuals().error_fg_color, e);
        }
        Some(Ok(r)) => return Some(r),
    }
    None
}

/// The scrubber: colour the canvas by one moment of the run.
fn scrub_ui(
    ui: &mut egui::Ui,
    name: &str,
    r: &TimelineResult,
    sim: &DiagramSim,
    commands: &mut Commands,
) {
    let mut scrubbing = sim.timeline.scrub_s.is_some();
    let mut t = sim.timeline.scrub_s.unwrap_or(0.0);
    let before = (scrubbing, t);
    ui.checkbox(&mut scrubbing, "Canvas at")
        .on_hover_text("Colour the canvas by the load at this moment of the run");
    ui.add_enabled(
        scrubbing,
        egui::Slider::new(&mut t, 0.0..=r.report.duration_s.max(1.0))
            .suffix(" s")
            .text("moment"),
    );
    if (scrubbing, t) != before {
        commands.send(Command::Sim {
            diagram: name.to_owned(),
            action: SimAction::Scrub(scrubbing.then_some(t)),
        });
    }
}

/// The series tabs and the plot.
fn plots_ui(
    ui: &mut egui::Ui,
    series: &mut Series,
    r: &TimelineResult,
    scenario: &Scenario,
    scrub: Option<f64>,
) {
    ui.horizontal_wrapped(|ui| {
        ui.selectable_value(series, Series::P99, "p99");
        ui.selectable_value(series, Series::Throughput, "Throughput");
        ui.selectable_value(series, Series::Drops, "Lost");
        ui.selectable_value(series, Series::Replicas, "Replicas");
    });
    plot_ui(ui, *series, r, scenario, scrub);
}

fn summary_ui(ui: &mut egui::Ui, r: &TimelineResult) {
    let s = &r.report.summary;
    let a = &r.availability;
    let ms = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{} ms", number(v, 1)));
    egui::Grid::new("timeline_summary")
        .num_columns(2)
        .striped(true)
        .show(ui, |ui| {
            let row = |ui: &mut egui::Ui, k: &str, v: String| {
                ui.label(k);
                ui.label(RichText::new(v).strong());
                ui.end_row();
            };
            row(ui, "Worst p99", ms(s.worst_p99_ms));
            row(
                ui,
                "Over the SLA",
                format!("{} s", number(s.seconds_over_sla, 0)),
            );
            let lost = format!(
                "{} of {}",
                number(s.lost_requests as f64, 0),
                number(s.offered_requests as f64, 0)
            );
            row(ui, "Lost", lost);
            row(ui, "Cost of the run", format!("${}", number(s.cost_usd, 2)));
            let avail = format!("{}% ({} nines)", number(a.percent, 3), number(a.nines, 1));
            row(ui, "Availability", avail);
            let zone = match a.zone_loss_meets_sla {
                Some(true) => "SLA holds",
                Some(false) => "SLA breaks",
                None => "–",
            };
            row(ui, "One zone lost", zone.to_owned());
        });
    for rec in &s.recoveries {
        let back = match rec.recovered_after_s {
            Some(0.0) => "p99 stayed within 10%".to_owned(),
            Some(secs) => format!("p99 back after {} s", number(secs, 0)),
            None => "p99 not back by the end".to_owned(),
        };
        ui.label(
            RichText::new(format!("{} s · {}: {back}", number(rec.at_s, 0), rec.event)).small(),
        );
    }
    let spofs = &a.single_points_of_failure;
    if !spofs.is_empty() {
        let text = format!(
            "⚠ {} single point{} of failure, {} min down a month (hover)",
            spofs.len(),
            if spofs.len() == 1 { "" } else { "s" },
            number(a.downtime_minutes_per_month, 0)
        );
        ui.label(RichText::new(text).small())
            .on_hover_text(spofs.join("\n"));
    }
}

fn plot_ui(
    ui: &mut egui::Ui,
    series: Series,
    r: &TimelineResult,
    scenario: &Scenario,
    scrub: Option<f64>,
) {
    let windows = &r.report.timeline;
    let point = |f: &dyn Fn(&crate::sim::timeline::Window) -> Option<f64>| -> PlotPoints<'static> {
        windows
            .iter()
            .filter_map(|w| Some([w.t_s + w.len_s / 2.0, f(w)?]))
            .collect()
    };
    let (first, second) = (
        Color32::from_rgb(235, 110, 90),
        Color32::from_rgb(90, 150, 235),
    );
    let (marker, moment) = (
        Color32::from_rgb(230, 170, 60),
        Color32::from_rgb(80, 200, 200),
    );
    let caption = match series {
        Series::P99 => "red p99 · blue p50 · grey SLA, ms",
        Series::Throughput => "red offered · blue served, req/s",
        Series::Drops => "requests dropped or timed out per window",
        Series::Replicas => "replicas serving, per node",
    };
    ui.label(
        RichText::new(format!(
            "{caption} · orange events · cyan the canvas's moment"
        ))
        .small()
        .weak(),
    );
    let height = (ui.available_height() - 4.0).clamp(110.0, 260.0);
    let mut plot = Plot::new("timeline_plot")
        .height(height)
        .x_axis_label("seconds")
        .allow_scroll(false);
    // Only the replicas need a legend: one line per node.
    if series == Series::Replicas {
        plot = plot.legend(Legend::default().position(egui_plot::Corner::LeftTop));
    }
    plot.show(ui, |plot| {
        match series {
            Series::P99 => {
                plot.line(Line::new("p99 (ms)", point(&|w| w.p99_ms)).color(first));
                plot.line(Line::new("p50 (ms)", point(&|w| w.p50_ms)).color(second));
                if let Some(sla) = r.report.sla_p99_ms {
                    plot.hline(egui_plot::HLine::new("SLA", sla).color(Color32::GRAY));
                }
            }
            Series::Throughput => {
                plot.line(Line::new("offered", point(&|w| Some(w.offered_rps))).color(first));
                plot.line(Line::new("served", point(&|w| Some(w.throughput_rps))).color(second));
            }
            Series::Drops => {
                let lost = point(&|w| Some((w.drops + w.timeouts) as f64));
                plot.line(Line::new("lost", lost).color(first));
            }
            Series::Replicas => {
                let stations = windows.first().map_or(0, |w| w.stations.len());
                for s in 0..stations {
                    let name = windows[0].stations[s].name.clone();
                    plot.line(Line::new(
                        name,
                        point(&|w| Some(f64::from(w.stations[s].replicas))),
                    ));
                }
            }
        }
        for e in &scenario.events {
            plot.vline(VLine::new("events", e.at_s).color(marker));
        }
        if let Some(t) = scrub {
            plot.vline(VLine::new("on the canvas", t).color(moment).width(2.0));
        }
    });
}
