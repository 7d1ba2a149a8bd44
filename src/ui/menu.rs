//! The menu bar, keyboard shortcuts and the status bar.

use eframe::egui;

use super::actions::{Action, action_item, spec};
use crate::app::{Command, Commands, DiagramAction, OpenSession};
use crate::export::ExportFormat;
use crate::format::format_duration;
use crate::settings::{Settings, ThemeChoice};

/// The menu bar along the top.
pub fn menu_bar_ui(
    ui: &mut egui::Ui,
    settings: &Settings,
    open: Option<&OpenSession>,
    open_title: Option<&str>,
    commands: &mut Commands,
) {
    egui::Panel::top("menu_bar").show(ui, |ui| {
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                action_item(ui, Action::NewSession, "New session…", open, commands);
                action_item(ui, Action::Open, "Open…", open, commands);
                ui.menu_button("Open recent", |ui| {
                    if settings.recent.is_empty() {
                        ui.label("No recent sessions");
                    }
                    for path in &settings.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            commands.send(Command::OpenPath(path.clone()));
                        }
                    }
                });
                ui.separator();
                action_item(ui, Action::Save, "Save", open, commands);
                action_item(ui, Action::SaveAs, "Save as…", open, commands);
                ui.separator();
                action_item(ui, Action::JoinMock, "Join mock interview…", open, commands);
                ui.separator();
                action_item(ui, Action::ImportDiagram, "Import diagram…", open, commands);
                ui.add_enabled_ui(open.is_some(), |ui| {
                    ui.menu_button("Export diagram", |ui| export_menu_ui(ui, open, commands));
                    ui.menu_button("Export report", |ui| {
                        action_item(ui, Action::ExportReportHtml, "HTML…", open, commands);
                        action_item(
                            ui,
                            Action::ExportReportMarkdown,
                            "Markdown…",
                            open,
                            commands,
                        );
                    });
                });
                ui.separator();
                action_item(ui, Action::Quit, "Quit", open, commands);
            });
            ui.menu_button("Go", |ui| {
                action_item(ui, Action::Home, "Home", open, commands);
                action_item(ui, Action::Progress, "Progress", open, commands);
                action_item(
                    ui,
                    Action::Estimator,
                    "Back-of-envelope estimator",
                    open,
                    commands,
                );
                action_item(ui, Action::Replay, "Replay the session", open, commands);
                action_item(ui, Action::NextStep, "Next step", open, commands);
                action_item(ui, Action::PreviousStep, "Previous step", open, commands);
            });
            ui.menu_button("View", |ui| {
                for (choice, action) in [
                    (ThemeChoice::System, Action::ThemeSystem),
                    (ThemeChoice::Light, Action::ThemeLight),
                    (ThemeChoice::Dark, Action::ThemeDark),
                    (ThemeChoice::HighContrast, Action::ThemeHighContrast),
                ] {
                    if ui
                        .radio(settings.theme == choice, spec(action).label)
                        .clicked()
                    {
                        commands.send(Command::SetTheme(choice));
                    }
                }
                ui.separator();
                for action in [Action::ZoomIn, Action::ZoomOut, Action::ZoomReset] {
                    action_item(ui, action, spec(action).label, open, commands);
                }
            });
            ui.menu_button("Help", |ui| {
                action_item(
                    ui,
                    Action::CommandPalette,
                    "Command palette…",
                    open,
                    commands,
                );
                action_item(ui, Action::Shortcuts, "Keyboard shortcuts", open, commands);
                ui.separator();
                action_item(ui, Action::About, "About mlsd-studio", open, commands);
            });
            if let (Some(open), Some(title)) = (open, open_title) {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let marker = if open.dirty { "  ● unsaved" } else { "" };
                    ui.label(
                        egui::RichText::new(format!(
                            "{title} · total {}{marker}",
                            format_duration(open.session.total_seconds())
                        ))
                        .weak(),
                    );
                });
            }
        });
    });
}

/// The status bar along the bottom: the last message and the file.
pub fn status_bar_ui(
    ui: &mut egui::Ui,
    status: Option<&str>,
    open: Option<&OpenSession>,
    dialog_open: bool,
    link: Option<&str>,
) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            // The right-hand side first, so a long message truncates
            // before it rather than pushing it off.
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                if let Some(open) = open {
                    let file = open
                        .path
                        .as_ref()
                        .map_or_else(|| "not saved yet".to_owned(), |p| p.display().to_string());
                    ui.label(egui::RichText::new(file).small().weak());
                }
                if let Some(link) = link {
                    ui.label(
                        egui::RichText::new(link)
                            .small()
                            .strong()
                            .color(super::style::good_color(ui)),
                    );
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    if dialog_open {
                        ui.spinner();
                        ui.label("Waiting for the file dialog…");
                    } else if let Some(status) = status {
                        ui.add(egui::Label::new(egui::RichText::new(status).small()).truncate());
                    }
                });
            });
        });
    });
}

/// One submenu per diagram of the session, each listing the formats.
fn export_menu_ui(ui: &mut egui::Ui, open: Option<&OpenSession>, commands: &mut Commands) {
    let Some(open) = open else { return };
    for d in &open.session.diagrams {
        ui.menu_button(&d.name, |ui| {
            if d.diagram.is_empty() {
                ui.label(egui::RichText::new("This diagram is empty.").weak());
            }
            for format in ExportFormat::ALL {
                let button = egui::Button::new(format!("{}…", format.label()));
                if ui.add_enabled(!d.diagram.is_empty(), button).clicked() {
                    commands.send(Command::Diagram {
                        name: d.name.clone(),
                        action: DiagramAction::Export(format),
                    });
                }
            }
            ui.separator();
            if ui
                .add_enabled(!d.diagram.is_empty(), egui::Button::new("Copy as Mermaid"))
                .clicked()
            {
                commands.send(Command::Diagram {
                    name: d.name.clone(),
                    action: DiagramAction::CopyMermaid,
                });
            }
            if ui
                .button("Duplicate")
                .on_hover_text("Copies it as a second design to compare")
                .clicked()
            {
                commands.send(Command::Diagram {
                    name: d.name.clone(),
                    action: DiagramAction::Duplicate,
                });
            }
        });
    }
}
