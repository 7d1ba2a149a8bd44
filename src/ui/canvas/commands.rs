//! The canvas's keys in one table: the key handlers, the shortcut help and
//! the command palette all read it. The palette runs an entry by giving the
//! canvas focus and pressing its key, so a key and its palette entry cannot
//! differ.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

const fn key(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

const COMMAND_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

pub const UNDO: KeyboardShortcut = key(Modifiers::COMMAND, Key::Z);
pub const REDO: KeyboardShortcut = key(COMMAND_SHIFT, Key::Z);
pub const REDO_Y: KeyboardShortcut = key(Modifiers::COMMAND, Key::Y);
pub const SELECT_ALL: KeyboardShortcut = key(Modifiers::COMMAND, Key::A);
pub const DUPLICATE: KeyboardShortcut = key(Modifiers::COMMAND, Key::D);
pub const GROUP: KeyboardShortcut = key(Modifiers::COMMAND, Key::G);
pub const UNGROUP: KeyboardShortcut = key(COMMAND_SHIFT, Key::G);
pub const FIT: KeyboardShortcut = key(Modifiers::SHIFT, Key::Num1);
// Ctrl with these keys scales the whole UI; plain keys zoom the canvas.
pub const RESET_ZOOM: KeyboardShortcut = key(Modifiers::NONE, Key::Num0);
pub const ZOOM_IN: KeyboardShortcut = key(Modifiers::NONE, Key::Plus);
pub const ZOOM_IN_EQ: KeyboardShortcut = key(Modifiers::NONE, Key::Equals);
pub const ZOOM_OUT: KeyboardShortcut = key(Modifiers::NONE, Key::Minus);
pub const LAYOUT: KeyboardShortcut = key(COMMAND_SHIFT, Key::L);
pub const SNAP: KeyboardShortcut = key(Modifiers::COMMAND, Key::Quote);
pub const RENAME: KeyboardShortcut = key(Modifiers::NONE, Key::F2);
pub const RENAME_ENTER: KeyboardShortcut = key(Modifiers::NONE, Key::Enter);
pub const DELETE: KeyboardShortcut = key(Modifiers::NONE, Key::Delete);
pub const DELETE_BACK: KeyboardShortcut = key(Modifiers::NONE, Key::Backspace);
pub const CLEAR_SELECTION: KeyboardShortcut = key(Modifiers::NONE, Key::Escape);
pub const FOCUS_CANVAS: KeyboardShortcut = key(Modifiers::NONE, Key::F6);
pub const NEXT_NODE: KeyboardShortcut = key(Modifiers::NONE, Key::Tab);
pub const PREVIOUS_NODE: KeyboardShortcut = key(Modifiers::SHIFT, Key::Tab);
pub const ADD_NODE: KeyboardShortcut = key(Modifiers::NONE, Key::N);
pub const CONNECT: KeyboardShortcut = key(Modifiers::NONE, Key::C);

/// A canvas command: what it does, its key and another key that does the
/// same.
#[derive(Debug, Clone, Copy)]
pub struct CanvasKey {
    pub label: &'static str,
    pub shortcut: KeyboardShortcut,
    pub also: Option<KeyboardShortcut>,
}

impl CanvasKey {
    /// The keys as the platform writes them: "Ctrl+Shift+Z or Ctrl+Y".
    pub fn keys_text(&self, ctx: &egui::Context) -> String {
        let main = ctx.format_shortcut(&self.shortcut);
        match &self.also {
            Some(also) => format!("{main} or {}", ctx.format_shortcut(also)),
            None => main,
        }
    }
}

const fn entry(label: &'static str, shortcut: KeyboardShortcut) -> CanvasKey {
    CanvasKey {
        label,
        shortcut,
        also: None,
    }
}

const fn entry_or(
    label: &'static str,
    shortcut: KeyboardShortcut,
    also: KeyboardShortcut,
) -> CanvasKey {
    CanvasKey {
        label,
        shortcut,
        also: Some(also),
    }
}

/// Every canvas command with a key, in the order the help lists them.
pub const CANVAS_KEYS: &[CanvasKey] = &[
    entry("Give the canvas keyboard focus", FOCUS_CANVAS),
    entry("Add the palette's component at the centre", ADD_NODE),
    entry("Select the next node", NEXT_NODE),
    entry("Select the previous node", PREVIOUS_NODE),
    entry(
        "Connect the selected node (Tab or arrows pick, Enter connects)",
        CONNECT,
    ),
    entry("Select everything", SELECT_ALL),
    entry("Clear the selection", CLEAR_SELECTION),
    entry("Duplicate the selection", DUPLICATE),
    entry_or("Delete the selection", DELETE, DELETE_BACK),
    entry_or("Rename the selected node", RENAME, RENAME_ENTER),
    entry("Group the selected nodes", GROUP),
    entry("Ungroup the selected groups", UNGROUP),
    entry("Undo", UNDO),
    entry_or("Redo", REDO, REDO_Y),
    entry("Auto-layout, left to right", LAYOUT),
    entry("Zoom to fit the content", FIT),
    entry("Zoom to 100%", RESET_ZOOM),
    entry_or("Zoom in", ZOOM_IN, ZOOM_IN_EQ),
    entry("Zoom out", ZOOM_OUT),
    entry("Snap to grid on or off", SNAP),
];

/// The key events of pressing and releasing `shortcut`.
pub fn key_events(shortcut: &KeyboardShortcut) -> Vec<egui::Event> {
    [true, false]
        .into_iter()
        .map(|pressed| egui::Event::Key {
            key: shortcut.logical_key,
            physical_key: None,
            pressed,
            repeat: false,
            modifiers: shortcut.modifiers,
        })
        .collect()
}
