//! The replay of a session: a timeline under the practice page that scrubs
//! and plays through the history, with the answers and a diagram shown as
//! they were at that moment.

use eframe::egui::{self, RichText};
use egui_commonmark::{CommonMarkCache, CommonMarkViewer};

use super::canvas::FollowingCanvas;
use super::practice::step_label;
use crate::app::{Command, Commands};
use crate::format::format_clock;
use crate::framework::STEPS;
use crate::session::{Change, History, Session, Snapshot};

/// Playback speeds, session seconds per second.
const SPEEDS: [f64; 3] = [1.0, 4.0, 16.0];

/// Where the replay stands, and how it plays.
#[derive(Debug, Clone)]
pub struct ReplayView {
    /// Session seconds; `None` until first drawn (it then starts at the
    /// beginning).
    at_secs: Option<f64>,
    playing: bool,
    speed: f64,
    /// The diagram on show; empty follows the one changed last.
    diagram: String,
    canvas: FollowingCanvas,
    /// The answers and diagrams on show, with the (time, moments, end)
    /// they were made for.
    shown: Option<((f64, usize, f64), Snapshot)>,
}

impl Default for ReplayView {
    fn default() -> ReplayView {
        ReplayView {
            at_secs: None,
            playing: false,
            speed: SPEEDS[1],
            diagram: String::new(),
            canvas: FollowingCanvas::default(),
            shown: None,
        }
    }
}

/// The step and the diagram a change belongs to.
fn step_of(change: Option<&Change>) -> Option<u8> {
    match change? {
        Change::Answer { step, .. } => Some(*step),
        Change::Diagram { .. } => None,
    }
}

fn diagram_of(change: Option<&Change>) -> Option<&str> {
    match change? {
        Change::Diagram { name, .. } => Some(name),
        Change::Answer { .. } => None,
    }
}

/// The diagram changed last at or before `at`.
fn last_diagram_changed(history: &History, at: f64) -> Option<String> {
    history
        .moments
        .iter()
        .take_while(|m| m.at_secs <= at)
        .filter_map(|m| diagram_of(Some(&m.change)))
        .last()
        .map(str::to_owned)
}

/// The moment times, in order, for the previous / next buttons.
fn moment_times(history: &History) -> Vec<f64> {
    let mut times: Vec<f64> = std::iter::once(history.start_secs)
        .chain(history.moments.iter().map(|m| m.at_secs))
        .collect();
    times.dedup();
    times
}

/// Draws the replay in place of the practice page's content.
pub fn replay_ui(
    ui: &mut egui::Ui,
    view: &mut ReplayView,
    session: &Session,
    markdown: &mut CommonMarkCache,
    commands: &mut Commands,
) {
    let history = &session.history;
    let (start, end) = history.span();
    let mut at = view.at_secs.unwrap_or(start).clamp(start, end);
    if view.playing {
        at += ui.input(|i| i.stable_dt).min(0.1) as f64 * view.speed;
        if at >= end {
            at = end;
            view.playing = false;
        }
        ui.ctx().request_repaint();
    }
    egui::Panel::bottom("replay_bar").show(ui, |ui| {
        timeline_bar_ui(ui, view, history, &mut at, commands);
    });
    view.at_secs = Some(at);
    if history.is_empty() {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.add_space(24.0);
            ui.label(
                "This session has no history yet: answers and diagram edits are recorded \
                 from now on, and show here as they were at each moment.",
            );
        });
        return;
    }
    // Rebuilt only when the moment (or, after a burst, the history) moves:
    // a still replay does not copy the session every frame.
    let key = (at, history.moments.len(), history.span().1);
    let snapshot = match view.shown.take() {
        Some((shown_for, snapshot)) if shown_for == key => snapshot,
        _ => session.replay_at(at),
    };
    egui::Panel::left("replay_answers")
        .resizable(true)
        .default_size(420.0)
        .min_size(300.0)
        .show(ui, |ui| answers_ui(ui, &snapshot, markdown));
    let follow = last_diagram_changed(history, at)
        .or_else(|| snapshot.diagrams.first().map(|(n, _)| n.clone()))
        .unwrap_or_default();
    egui::CentralPanel::default().show(ui, |ui| diagram_ui(ui, view, &snapshot, follow));
    view.shown = Some((key, snapshot));
}

/// Play, speed, previous / next change, the time slider and the clock.
fn timeline_bar_ui(
    ui: &mut egui::Ui,
    view: &mut ReplayView,
    history: &History,
    at: &mut f64,
    commands: &mut Commands,
) {
    let (start, end) = history.span();
    ui.add_space(4.0);
    ui.horizontal(|ui| {
        ui.label(RichText::new("Replay").strong());
        let play = if view.playing { "Pause" } else { "Play" };
        if ui
            .add_enabled(end > start, egui::Button::new(play))
            .clicked()
        {
            if !view.playing && *at >= end {
                *at = start;
            }
            view.playing = !view.playing;
        }
        for speed in SPEEDS {
            ui.selectable_value(&mut view.speed, speed, format!("{speed}×"));
        }
        ui.separator();
        let times = moment_times(history);
        if ui
            .button("◀ Change")
            .on_hover_text("The change before")
            .clicked()
        {
            *at = times
                .iter()
                .rev()
                .copied()
                .find(|&t| t < *at)
                .unwrap_or(start);
            view.playing = false;
        }
        if ui
            .button("Change ▶")
            .on_hover_text("The change after")
            .clicked()
        {
            *at = times.iter().copied().find(|&t| t > *at).unwrap_or(end);
            view.playing = false;
        }
        let clock = format!("{} of {}", format_clock(*at), format_clock(end));
        ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
            if ui.button("Close replay").clicked() {
                commands.send(Command::SetReplay(false));
            }
            let diagram = if view.diagram.is_empty() {
                last_diagram_changed(history, *at)
            } else {
                Some(view.diagram.clone())
            };
            if let Some(diagram) = diagram
                && ui
                    .button("Export frames…")
                    .on_hover_text(format!(
                        "Every state of \"{diagram}\" as an SVG file, numbered in order"
                    ))
                    .clicked()
            {
                commands.send(Command::ExportReplayFrames { diagram });
            }
            ui.label(RichText::new(clock).monospace());
            let slider = egui::Slider::new(at, start..=end.max(start + 1e-9)).show_value(false);
            ui.spacing_mut().slider_width = (ui.available_width() - 60.0).max(120.0);
            let moved = ui
                .add(slider)
                .on_hover_text("Drag to any moment of the session");
            // Right to left: the name lands left of the slider.
            let name = ui.label("Time");
            let moved = moved.labelled_by(name.id);
            if moved.changed() {
                view.playing = false;
            }
        });
    });
    ui.add_space(4.0);
}

/// The seven steps' answers as they were, the one changed last marked.
fn answers_ui(ui: &mut egui::Ui, snapshot: &Snapshot, markdown: &mut CommonMarkCache) {
    let last_step = step_of(snapshot.last.as_ref());
    egui::ScrollArea::vertical()
        .id_salt("replay_answers_scroll")
        .show(ui, |ui| {
            for (i, framework) in STEPS.iter().enumerate() {
                let number = framework.number;
                ui.horizontal(|ui| {
                    ui.label(RichText::new(step_label(number, framework.name)).strong());
                    if last_step == Some(number) {
                        let accent = ui.visuals().selection.bg_fill;
                        ui.label(RichText::new("changed last").small().color(accent));
                    }
                });
                let answer = &snapshot.answers[i];
                if answer.trim().is_empty() {
                    ui.label(RichText::new("Nothing written yet.").weak().italics());
                } else {
                    // Each step's own cache entry, so the viewers do not mix.
                    ui.push_id(("replay_answer", number), |ui| {
                        CommonMarkViewer::new().show(ui, markdown, answer);
                    });
                }
                ui.add_space(8.0);
            }
        });
}

/// The diagram chooser and the diagram as it was, read-only.
/// `follow` is the diagram changed last.
fn diagram_ui(ui: &mut egui::Ui, view: &mut ReplayView, snapshot: &Snapshot, follow: String) {
    ui.horizontal(|ui| {
        let label = ui.label("Diagram");
        let shown = if view.diagram.is_empty() {
            format!("{follow} (the one changed last)")
        } else {
            view.diagram.clone()
        };
        egui::ComboBox::from_id_salt("replay_diagram")
            .selected_text(shown)
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut view.diagram, String::new(), "The one changed last");
                for (name, _) in &snapshot.diagrams {
                    ui.selectable_value(&mut view.diagram, name.clone(), name);
                }
            })
            .response
            .labelled_by(label.id);
        if let Some(d) = snapshot.diagram(if view.diagram.is_empty() {
            &follow
        } else {
            &view.diagram
        }) {
            ui.label(
                RichText::new(format!(
                    "{} nodes, {} edges at this moment",
                    d.nodes.len(),
                    d.edges.len()
                ))
                .weak(),
            );
        }
    });
    let name = if view.diagram.is_empty() {
        follow
    } else {
        view.diagram.clone()
    };
    match snapshot.diagram(&name) {
        Some(diagram) if !diagram.is_empty() => view.canvas.show(ui, &name, diagram),
        _ => {
            ui.add_space(24.0);
            ui.label(RichText::new("Nothing drawn at this moment.").weak());
        }
    }
}
