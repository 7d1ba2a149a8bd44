//! The command palette (Ctrl+K): every command of the table in
//! `actions.rs`, found by typing words of its name, shown with its
//! shortcut, run with Enter or a click.

use eframe::egui::{self, Key};

use super::actions::{ACTIONS, ActionSpec, command_for, shortcut_text};
use crate::app::{Command, Commands, OpenSession};

/// What the palette shows: the words typed and the highlighted row.
#[derive(Debug, Default, Clone)]
pub struct PaletteState {
    pub query: String,
    /// Index into the matching rows.
    pub selected: usize,
}

/// The table's entries whose name (or shortcut) holds every word of
/// `query`, ignoring case, in table order.
pub fn matching(ctx: &egui::Context, query: &str) -> Vec<&'static ActionSpec> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    ACTIONS
        .iter()
        .filter(|spec| {
            let keys = shortcut_text(ctx, spec.action).unwrap_or_default();
            let haystack = format!("{} {}", spec.label, keys).to_lowercase();
            words.iter().all(|w| haystack.contains(w.as_str()))
        })
        .collect()
}

/// Draws the palette inside the modal frame.
pub fn palette_ui(
    ui: &mut egui::Ui,
    state: &mut PaletteState,
    open: Option<&OpenSession>,
    commands: &mut Commands,
) {
    let heading = ui.heading("Commands");
    ui.add_space(4.0);
    let field = ui
        .add(
            egui::TextEdit::singleline(&mut state.query)
                .hint_text("Type to search commands")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(heading.id);
    field.request_focus();
    if field.changed() {
        state.selected = 0;
    }
    let rows = matching(ui.ctx(), &state.query);
    let (down, up, enter) = ui.input(|i| {
        (
            i.key_pressed(Key::ArrowDown),
            i.key_pressed(Key::ArrowUp),
            i.key_pressed(Key::Enter),
        )
    });
    if down {
        state.selected = (state.selected + 1).min(rows.len().saturating_sub(1));
    }
    if up {
        state.selected = state.selected.saturating_sub(1);
    }
    ui.add_space(6.0);
    if rows.is_empty() {
        ui.label(egui::RichText::new("No command has those words.").weak());
    }
    let mut chosen = None;
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            for (i, spec) in rows.iter().enumerate() {
                let command = command_for(spec.action, open);
                let mut button = egui::Button::new(spec.label)
                    .selected(i == state.selected)
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                if let Some(keys) = shortcut_text(ui.ctx(), spec.action) {
                    button = button.shortcut_text(keys);
                }
                let response = ui.add_enabled(command.is_some(), button);
                if i == state.selected {
                    response.scroll_to_me(None);
                }
                if response.clicked() || (enter && i == state.selected) {
                    chosen = command;
                }
            }
        });
    if let Some(command) = chosen {
        run(command, commands);
    }
}

/// Closes the palette, then runs `command` (which may open a dialog of its own).
fn run(command: Command, commands: &mut Commands) {
    commands.send(Command::DismissModal);
    commands.send(command);
}
