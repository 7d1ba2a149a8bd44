//! The home page: the case-study library with a filter, and sessions to resume.

use std::collections::BTreeSet;

use eframe::egui::{self, RichText};

use super::style;
use crate::app::OpenSession;
use crate::app::{Command, Commands};
use crate::content::{CaseLibrary, CaseStudy};
use crate::format::thousands;
use crate::settings::Settings;

/// The home page's view state.
#[derive(Debug, Default)]
pub struct HomeState {
    pub filter: String,
    pub tag: Option<String>,
}

/// True when `study` matches the filter text and the chosen tag.
pub fn matches(study: &CaseStudy, filter: &str, tag: Option<&str>) -> bool {
    let needle = filter.trim().to_lowercase();
    let text_ok = needle.is_empty()
        || study.title.to_lowercase().contains(&needle)
        || study.summary.to_lowercase().contains(&needle)
        || study.tags.iter().any(|t| t.contains(&needle));
    let tag_ok = tag.is_none_or(|t| study.tags.iter().any(|s| s == t));
    text_ok && tag_ok
}

/// Draws the home page.
pub fn home_ui(
    ui: &mut egui::Ui,
    state: &mut HomeState,
    library: &CaseLibrary,
    settings: &Settings,
    open: Option<&OpenSession>,
    commands: &mut Commands,
) {
    egui::Panel::right("home_side")
        .resizable(false)
        .exact_size(320.0)
        .show(ui, |ui| {
            egui::ScrollArea::vertical().show(ui, |ui| {
                ui.add_space(12.0);
                resume_ui(ui, library, settings, open, commands);
                failures_ui(ui, library);
            });
        });
    egui::CentralPanel::default_margins().show(ui, |ui| {
        ui.add_space(8.0);
        ui.set_max_width(900.0);
        ui.heading(RichText::new("Machine-learning system design practice").size(24.0));
        ui.label(
            RichText::new(
                "Pick a case study and work through the seven steps an interviewer expects.",
            )
            .weak(),
        );
        ui.add_space(10.0);
        filter_ui(ui, state, library);
        ui.add_space(8.0);
        let shown: Vec<&CaseStudy> = library
            .studies
            .iter()
            .filter(|s| matches(s, &state.filter, state.tag.as_deref()))
            .collect();
        egui::ScrollArea::vertical().show(ui, |ui| {
            if shown.is_empty() {
                ui.add_space(20.0);
                ui.label(RichText::new("No case study matches the filter.").weak());
            }
            for study in shown {
                case_card_ui(ui, study, commands);
                ui.add_space(6.0);
            }
        });
    });
}

fn filter_ui(ui: &mut egui::Ui, state: &mut HomeState, library: &CaseLibrary) {
    ui.horizontal(|ui| {
        let label = ui.label("Filter");
        ui.add(
            egui::TextEdit::singleline(&mut state.filter)
                .hint_text("title, summary or tag")
                .desired_width(320.0),
        )
        .labelled_by(label.id);
        if !state.filter.is_empty() && ui.small_button("Clear").clicked() {
            state.filter.clear();
        }
    });
    let tags: BTreeSet<&str> = library
        .studies
        .iter()
        .flat_map(|s| s.tags.iter().map(String::as_str))
        .collect();
    ui.horizontal_wrapped(|ui| {
        ui.label(RichText::new("Area:").weak());
        if ui.selectable_label(state.tag.is_none(), "all").clicked() {
            state.tag = None;
        }
        for tag in tags {
            let selected = state.tag.as_deref() == Some(tag);
            if ui.selectable_label(selected, tag).clicked() {
                state.tag = if selected { None } else { Some(tag.to_owned()) };
            }
        }
    });
}

fn case_card_ui(ui: &mut egui::Ui, study: &CaseStudy, commands: &mut Commands) {
    style::card(ui).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal(|ui| {
            let title =
                egui::Button::new(RichText::new(&study.title).heading().strong()).frame(false);
            if ui
                .add(title)
                .on_hover_text("Start a new practice session on this case study")
                .clicked()
            {
                commands.send(Command::StartCase(study.id.clone()));
            }
            style::chip(
                ui,
                study.difficulty.label(),
                style::difficulty_color(study.difficulty),
            );
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if ui.button("Start practice").clicked() {
                    commands.send(Command::StartCase(study.id.clone()));
                }
                if ui
                    .button("Mock interview")
                    .on_hover_text("A timed interview, solo or with an interviewer")
                    .clicked()
                {
                    commands.send(Command::SetUpMock(study.id.clone()));
                }
            });
        });
        ui.label(&study.summary);
        ui.horizontal_wrapped(|ui| {
            for tag in &study.tags {
                style::chip(ui, tag, style::TAG_COLOR);
            }
            ui.label(
                RichText::new(format!(
                    "· {} clarifying questions · p99 ≤ {} ms at {} QPS",
                    study.questions.len(),
                    thousands(study.scenario.p99_sla_ms),
                    thousands(study.scenario.peak_qps)
                ))
                .small()
                .weak(),
            );
        });
    });
}

fn resume_ui(
    ui: &mut egui::Ui,
    library: &CaseLibrary,
    settings: &Settings,
    open: Option<&OpenSession>,
    commands: &mut Commands,
) {
    if let Some(open) = open {
        let title = library
            .get(&open.session.case_study)
            .map_or(open.session.case_study.as_str(), |s| s.title.as_str());
        ui.label(RichText::new("Open session").strong());
        style::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(title).strong());
            ui.label(
                RichText::new(format!(
                    "Step {} of 7 · {} done{}",
                    open.session.current_step,
                    open.session.done_count(),
                    if open.dirty { " · unsaved" } else { "" }
                ))
                .small()
                .weak(),
            );
            if ui.button("Continue").clicked() {
                commands.send(Command::ResumeOpen);
            }
        });
        ui.add_space(12.0);
    }
    ui.label(RichText::new("Recent sessions").strong());
    if settings.recent.is_empty() {
        ui.label(RichText::new("Sessions you save appear here.").weak());
    }
    for path in &settings.recent {
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let folder = path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default();
        ui.horizontal(|ui| {
            if ui
                .link(name)
                .on_hover_text(path.display().to_string())
                .clicked()
            {
                commands.send(Command::OpenPath(path.clone()));
            }
        });
        ui.add(egui::Label::new(RichText::new(folder).small().weak()).truncate());
    }
    ui.add_space(12.0);
    if ui.button("Open a session file…").clicked() {
        commands.send(Command::OpenDialog);
    }
    if ui.button("Progress across mock interviews").clicked() {
        commands.send(Command::ShowProgress);
    }
    if ui
        .button("Join a mock interview…")
        .on_hover_text("Be the interviewer for a candidate on another computer.")
        .clicked()
    {
        commands.send(crate::app::RemoteAction::ShowJoinDialog(true));
    }
}

fn failures_ui(ui: &mut egui::Ui, library: &CaseLibrary) {
    if library.failures.is_empty() {
        return;
    }
    ui.add_space(16.0);
    ui.label(
        RichText::new("Case studies that did not load")
            .strong()
            .color(ui.visuals().error_fg_color),
    );
    for failure in &library.failures {
        style::card(ui).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(RichText::new(failure.file.display().to_string()).strong());
            for e in &failure.errors {
                ui.label(RichText::new(e.to_string()).small().monospace());
            }
        });
    }
}
