//! The command palette (Ctrl+K): every command of the table in
//! `actions.rs`, and, while a diagram is on screen, every key of the
//! canvas's table, found by typing words of its name, shown with its
//! shortcut, run with Enter or a click.

use eframe::egui::{self, Key, KeyboardShortcut};

use super::actions::{ACTIONS, ActionSpec, command_for, shortcut_text};
use super::canvas::{CANVAS_KEYS, CanvasKey};
use crate::app::{Command, Commands, OpenSession};

/// What the palette shows: the words typed and the highlighted row.
#[derive(Debug, Default, Clone)]
pub struct PaletteState {
    pub query: String,
    /// Index into the matching rows.
    pub selected: usize,
    /// A diagram's canvas is on screen, so its keys are commands too.
    pub canvas_on_screen: bool,
    /// The canvas key chosen, for the app to press once the palette has
    /// closed.
    pub canvas_key: Option<KeyboardShortcut>,
}

/// One row of the palette.
#[derive(Clone, Copy)]
pub enum Row {
    App(&'static ActionSpec),
    Canvas(&'static CanvasKey),
}

impl Row {
    fn label(&self) -> &'static str {
        match self {
            Row::App(spec) => spec.label,
            Row::Canvas(key) => key.label,
        }
    }

    fn keys(&self, ctx: &egui::Context) -> Option<String> {
        match self {
            Row::App(spec) => shortcut_text(ctx, spec.action),
            Row::Canvas(key) => Some(key.keys_text(ctx)),
        }
    }
}

/// The rows whose name (or shortcut) holds every word of `query`, ignoring
/// case: the app's commands in table order, then the canvas's when
/// `canvas` is on screen.
pub fn matching(ctx: &egui::Context, query: &str, canvas: bool) -> Vec<Row> {
    let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
    let canvas_rows = CANVAS_KEYS.iter().filter(|_| canvas).map(Row::Canvas);
    ACTIONS
        .iter()
        .map(Row::App)
        .chain(canvas_rows)
        .filter(|row| {
            let haystack = format!("{} {}", row.label(), row.keys(ctx).unwrap_or_default());
            let haystack = haystack.to_lowercase();
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
    let rows = matching(ui.ctx(), &state.query, state.canvas_on_screen);
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
    // The modal keeps its size from the last frame; without a minimum, a
    // list that grows after a search with few rows stays a few rows tall.
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .min_scrolled_height(360.0)
        .show(ui, |ui| {
            for (i, row) in rows.iter().enumerate() {
                let enabled = match row {
                    Row::App(spec) => command_for(spec.action, open).is_some(),
                    Row::Canvas(_) => true,
                };
                let mut button = egui::Button::new(row.label())
                    .selected(i == state.selected)
                    .min_size(egui::vec2(ui.available_width(), 0.0));
                if let Some(keys) = row.keys(ui.ctx()) {
                    button = button.shortcut_text(keys);
                }
                let response = ui.add_enabled(enabled, button);
                if i == state.selected {
                    response.scroll_to_me(None);
                }
                if enabled && (response.clicked() || (enter && i == state.selected)) {
                    chosen = Some(*row);
                }
            }
        });
    match chosen {
        Some(Row::App(spec)) => {
            if let Some(command) = command_for(spec.action, open) {
                run(command, commands);
            }
        }
        Some(Row::Canvas(key)) => {
            commands.send(Command::DismissModal);
            state.canvas_key = Some(key.shortcut);
        }
        None => {}
    }
}

/// Closes the palette, then runs `command` (which may open a dialog of its own).
fn run(command: Command, commands: &mut Commands) {
    commands.send(Command::DismissModal);
    commands.send(command);
}
