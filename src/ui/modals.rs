//! Dialogs drawn over the page: unsaved changes, recovered work, errors, help.

use std::path::Path;

use eframe::egui;

use super::actions::shortcut_list;
use super::palette::{PaletteState, palette_ui};
use crate::about::{self, DESCRIPTION, DOCS, LICENSE, VERSION};
use crate::app::{Command, Commands, Modal, OpenSession};
use crate::content::CaseLibrary;
use crate::format::format_duration;
use crate::session::{FoundRecovery, now_unix_secs};

/// Draws the modal; its buttons send commands.
pub fn modal_ui(
    ctx: &egui::Context,
    modal: &Modal,
    library: &CaseLibrary,
    open: Option<&OpenSession>,
    palette: &mut PaletteState,
    docs_dir: Option<&Path>,
    commands: &mut Commands,
) {
    let response = egui::Modal::new(egui::Id::unique("mlsd-modal")).show(ctx, |ui| {
        ui.set_max_width(520.0);
        match modal {
            Modal::UnsavedChanges { then } => unsaved_ui(ui, then, commands),
            Modal::Recovery(found) => recovery_ui(ui, found, library, commands),
            Modal::Message { title, body } => {
                ui.heading(title);
                ui.add_space(6.0);
                ui.label(body);
                ui.add_space(10.0);
                if ui.button("OK").clicked() {
                    commands.send(Command::DismissModal);
                }
            }
            Modal::Palette => palette_ui(ui, palette, open, commands),
            Modal::About => about_ui(ui, docs_dir, commands),
            Modal::Shortcuts => {
                ui.heading("Keyboard shortcuts");
                ui.add_space(6.0);
                egui::Grid::new("shortcuts")
                    .striped(true)
                    .spacing([24.0, 6.0])
                    .show(ui, |ui| {
                        for (keys, action) in shortcut_list(ui.ctx()) {
                            ui.label(egui::RichText::new(keys).monospace());
                            ui.label(action);
                            ui.end_row();
                        }
                    });
                ui.add_space(8.0);
                ui.label(egui::RichText::new("In a diagram").strong());
                egui::ScrollArea::vertical()
                    .max_height(320.0)
                    .show(ui, |ui| {
                        egui::Grid::new("diagram_keys")
                            .striped(true)
                            .spacing([24.0, 4.0])
                            .show(ui, |ui| {
                                for (keys, action) in super::canvas::canvas_shortcuts(ui.ctx()) {
                                    ui.label(egui::RichText::new(keys).monospace());
                                    ui.label(action);
                                    ui.end_row();
                                }
                            });
                    });
                ui.add_space(10.0);
                if ui.button("Close").clicked() {
                    commands.send(Command::DismissModal);
                }
            }
        }
    });
    // Escape or a click outside closes what can be closed without a choice.
    let dismissable = matches!(
        modal,
        Modal::Message { .. } | Modal::Shortcuts | Modal::Palette | Modal::About
    );
    if response.should_close() && dismissable {
        commands.send(Command::DismissModal);
    }
}

/// The version, licence and links to the documentation installed with
/// the app.
fn about_ui(ui: &mut egui::Ui, docs_dir: Option<&Path>, commands: &mut Commands) {
    ui.horizontal(|ui| {
        if let Some(icon) = icon_texture(ui.ctx()) {
            ui.add(egui::Image::new(&icon).fit_to_exact_size(egui::vec2(64.0, 64.0)));
        }
        ui.vertical(|ui| {
            ui.heading("mlsd-studio");
            ui.label(format!("Version {VERSION}"));
            ui.label(format!("Licence: {LICENSE}"));
        });
    });
    ui.add_space(6.0);
    ui.label(DESCRIPTION);
    ui.add_space(8.0);
    ui.label(egui::RichText::new("Documentation").strong());
    match docs_dir {
        Some(dir) => {
            for (title, file) in DOCS {
                ui.hyperlink_to(*title, about::file_url(&dir.join(file)))
                    .on_hover_text(dir.join(file).display().to_string());
            }
        }
        None => {
            ui.label(
                "No documentation was installed with this copy of the app. The \
                 packages put it in share/doc/mlsd-studio; the source has it in \
                 README.md and docs/.",
            );
        }
    }
    ui.add_space(10.0);
    if ui.button("Close").clicked() {
        commands.send(Command::DismissModal);
    }
}

/// The app's icon as a texture, drawn once and kept in egui's memory.
fn icon_texture(ctx: &egui::Context) -> Option<egui::TextureHandle> {
    let id = egui::Id::unique("mlsd-about-icon");
    if let Some(texture) = ctx.data(|d| d.get_temp::<egui::TextureHandle>(id)) {
        return Some(texture);
    }
    // Twice the size it is shown at, for high-density screens.
    const SIDE: u32 = 128;
    let rgba = about::icon_rgba(SIDE).ok()?;
    let image = egui::ColorImage::from_rgba_unmultiplied([SIDE as usize, SIDE as usize], &rgba);
    let texture = ctx.load_texture("mlsd-about-icon", image, egui::TextureOptions::LINEAR);
    ctx.data_mut(|d| d.insert_temp(id, texture.clone()));
    Some(texture)
}

fn unsaved_ui(ui: &mut egui::Ui, then: &Command, commands: &mut Commands) {
    let action = match then {
        Command::Quit => "quitting",
        Command::OpenDialog | Command::OpenPath(_) => "opening another session",
        _ => "starting a new session",
    };
    ui.heading("Save your changes?");
    ui.add_space(6.0);
    ui.label(format!(
        "This session has changes that are not saved. Save them before {action}?"
    ));
    ui.add_space(10.0);
    ui.horizontal(|ui| {
        if ui.button("Save").clicked() {
            commands.send(Command::ConfirmSave);
        }
        if ui.button("Don't save").clicked() {
            commands.send(Command::ConfirmDiscard);
        }
        if ui.button("Cancel").clicked() {
            commands.send(Command::DismissModal);
        }
    });
}

fn recovery_ui(
    ui: &mut egui::Ui,
    found: &[FoundRecovery],
    library: &CaseLibrary,
    commands: &mut Commands,
) {
    ui.heading("Recover unsaved work?");
    ui.add_space(6.0);
    ui.label("mlsd-studio did not close normally last time. These sessions had unsaved changes:");
    ui.add_space(8.0);
    for item in found {
        let r = &item.recovery;
        let title = library
            .get(&r.session.case_study)
            .map_or(r.session.case_study.as_str(), |s| s.title.as_str());
        let age = now_unix_secs().saturating_sub(r.saved_unix_secs) as f64;
        let file = r
            .original_path
            .as_ref()
            .map_or_else(|| "never saved".to_owned(), |p| p.display().to_string());
        egui::Frame::group(ui.style()).show(ui, |ui| {
            ui.set_width(ui.available_width());
            ui.label(egui::RichText::new(title).strong());
            ui.label(
                egui::RichText::new(format!(
                    "{file} · autosaved {} ago · {} of 7 steps done",
                    format_duration(age),
                    r.session.done_count()
                ))
                .small()
                .weak(),
            );
            ui.horizontal(|ui| {
                if ui.button("Recover").clicked() {
                    commands.send(Command::Recover(item.file.clone()));
                }
                if ui.button("Discard").clicked() {
                    commands.send(Command::DiscardRecovery(item.file.clone()));
                }
            });
        });
    }
}
