//! The menu bar, keyboard shortcuts and the status bar.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use crate::app::{Command, Commands, DiagramAction, OpenSession};
use crate::export::{ExportFormat, ReportFormat};
use crate::format::format_duration;
use crate::framework::STEP_COUNT;
use crate::session::SessionEdit;
use crate::settings::{Settings, ThemeChoice};

const NEW: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::N);
const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
const NEXT_STEP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowRight);
const PREV_STEP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::ALT, Key::ArrowLeft);
const NEXT_STEP_PAGE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::PageDown);
const PREV_STEP_PAGE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::PageUp);
const HELP: KeyboardShortcut = KeyboardShortcut::new(Modifiers::NONE, Key::F1);

/// Every shortcut with what it does, for the help dialog.
pub fn shortcut_list(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    let fmt = |s: &KeyboardShortcut| ctx.format_shortcut(s);
    vec![
        (fmt(&NEW), "New session (choose a case study)"),
        (fmt(&OPEN), "Open a session file"),
        (fmt(&SAVE), "Save"),
        (fmt(&SAVE_AS), "Save as"),
        (
            format!("{} or {}", fmt(&NEXT_STEP), fmt(&NEXT_STEP_PAGE)),
            "Next step",
        ),
        (
            format!("{} or {}", fmt(&PREV_STEP), fmt(&PREV_STEP_PAGE)),
            "Previous step",
        ),
        (fmt(&HELP), "Show or hide this list"),
    ]
}

/// Turns key presses into commands. Shift+S is checked before S so that
/// Save As does not also save.
pub fn shortcuts_input(
    ctx: &egui::Context,
    open: Option<&OpenSession>,
    modal_open: bool,
    commands: &mut Commands,
) {
    if ctx.input_mut(|i| i.consume_shortcut(&HELP)) {
        commands.send(Command::ToggleShortcuts);
    }
    if modal_open {
        return;
    }
    let pressed = |s: &KeyboardShortcut| ctx.input_mut(|i| i.consume_shortcut(s));
    if pressed(&SAVE_AS) {
        commands.send(Command::SaveAs);
    } else if pressed(&SAVE) {
        commands.send(Command::Save);
    }
    if pressed(&NEW) {
        commands.send(Command::GoHome);
    }
    if pressed(&OPEN) {
        commands.send(Command::OpenDialog);
    }
    if let Some(open) = open {
        let step = open.session.current_step;
        if (pressed(&NEXT_STEP) || pressed(&NEXT_STEP_PAGE)) && usize::from(step) < STEP_COUNT {
            commands.send(SessionEdit::GoToStep(step + 1));
        }
        if (pressed(&PREV_STEP) || pressed(&PREV_STEP_PAGE)) && step > 1 {
            commands.send(SessionEdit::GoToStep(step - 1));
        }
    }
}

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
            let ctx = ui.ctx().clone();
            let item = |ui: &mut egui::Ui,
                        label: &str,
                        shortcut: Option<&KeyboardShortcut>,
                        enabled: bool| {
                let mut button = egui::Button::new(label);
                if let Some(s) = shortcut {
                    button = button.shortcut_text(ctx.format_shortcut(s));
                }
                ui.add_enabled(enabled, button).clicked()
            };
            ui.menu_button("File", |ui| {
                if item(ui, "New session…", Some(&NEW), true) {
                    commands.send(Command::GoHome);
                }
                if item(ui, "Open…", Some(&OPEN), true) {
                    commands.send(Command::OpenDialog);
                }
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
                if item(ui, "Save", Some(&SAVE), open.is_some()) {
                    commands.send(Command::Save);
                }
                if item(ui, "Save as…", Some(&SAVE_AS), open.is_some()) {
                    commands.send(Command::SaveAs);
                }
                ui.separator();
                ui.add_enabled_ui(open.is_some(), |ui| {
                    ui.menu_button("Export diagram", |ui| export_menu_ui(ui, open, commands));
                    ui.menu_button("Export report", |ui| {
                        if ui.button("HTML…").clicked() {
                            commands.send(Command::ExportReport(ReportFormat::Html));
                        }
                        if ui.button("Markdown…").clicked() {
                            commands.send(Command::ExportReport(ReportFormat::Md));
                        }
                    });
                });
                ui.separator();
                if item(ui, "Quit", None, true) {
                    commands.send(Command::Quit);
                }
            });
            ui.menu_button("Go", |ui| {
                if item(ui, "Home", None, true) {
                    commands.send(Command::GoHome);
                }
                if item(ui, "Progress", None, true) {
                    commands.send(Command::ShowProgress);
                }
                let step = open.map_or(0, |o| o.session.current_step);
                let has_next = step > 0 && usize::from(step) < STEP_COUNT;
                if item(ui, "Next step", Some(&NEXT_STEP), has_next) {
                    commands.send(SessionEdit::GoToStep(step + 1));
                }
                if item(ui, "Previous step", Some(&PREV_STEP), step > 1) {
                    commands.send(SessionEdit::GoToStep(step - 1));
                }
            });
            ui.menu_button("View", |ui| {
                for (choice, label) in [
                    (ThemeChoice::System, "Follow system theme"),
                    (ThemeChoice::Light, "Light theme"),
                    (ThemeChoice::Dark, "Dark theme"),
                ] {
                    if ui.radio(settings.theme == choice, label).clicked() {
                        commands.send(Command::SetTheme(choice));
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                if item(ui, "Keyboard shortcuts", Some(&HELP), true) {
                    commands.send(Command::ToggleShortcuts);
                }
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
) {
    egui::Panel::bottom("status_bar").show(ui, |ui| {
        ui.horizontal(|ui| {
            if dialog_open {
                ui.spinner();
                ui.label("Waiting for the file dialog…");
            } else if let Some(status) = status {
                ui.add(egui::Label::new(egui::RichText::new(status).small()).truncate());
            }
            if let Some(open) = open {
                ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                    let file = open
                        .path
                        .as_ref()
                        .map_or_else(|| "not saved yet".to_owned(), |p| p.display().to_string());
                    ui.label(egui::RichText::new(file).small().weak());
                });
            }
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
        });
    }
}
