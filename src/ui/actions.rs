//! The one table of the app's commands: each with its name, its shortcuts
//! and when it is available. Keyboard input, the menus and the shortcut
//! help all read it, so they cannot disagree.

use eframe::egui::{self, Key, KeyboardShortcut, Modifiers};

use crate::app::{Command, EstimateAction, OpenSession, RemoteAction};
use crate::export::ReportFormat;
use crate::framework::Step;
use crate::session::SessionEdit;
use crate::settings::{ThemeChoice, ZoomStep};

/// A command the user can pick by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    NewSession,
    Open,
    Save,
    SaveAs,
    ExportReportHtml,
    ExportReportMarkdown,
    ImportDiagram,
    JoinMock,
    Quit,
    Home,
    Progress,
    Estimator,
    Replay,
    NextStep,
    PreviousStep,
    ThemeSystem,
    ThemeLight,
    ThemeDark,
    ThemeHighContrast,
    ZoomIn,
    ZoomOut,
    ZoomReset,
    Shortcuts,
    CommandPalette,
    About,
}

/// An entry of the table.
pub struct ActionSpec {
    pub action: Action,
    /// The words on the menu item and in the help.
    pub label: &'static str,
    /// Every key that runs it; the first is shown on menus.
    pub shortcuts: &'static [KeyboardShortcut],
}

const fn keys(modifiers: Modifiers, key: Key) -> KeyboardShortcut {
    KeyboardShortcut::new(modifiers, key)
}

/// Every command, in the order shortcuts are checked: Save As comes before
/// Save, so that Ctrl+Shift+S does not also save.
pub const ACTIONS: &[ActionSpec] = &[
    ActionSpec {
        action: Action::NewSession,
        label: "New session (choose a case study)",
        shortcuts: &[keys(Modifiers::COMMAND, Key::N)],
    },
    ActionSpec {
        action: Action::Open,
        label: "Open a session file",
        shortcuts: &[keys(Modifiers::COMMAND, Key::O)],
    },
    ActionSpec {
        action: Action::SaveAs,
        label: "Save as",
        shortcuts: &[keys(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S)],
    },
    ActionSpec {
        action: Action::Save,
        label: "Save",
        shortcuts: &[keys(Modifiers::COMMAND, Key::S)],
    },
    ActionSpec {
        action: Action::ExportReportHtml,
        label: "Export the report as HTML",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ExportReportMarkdown,
        label: "Export the report as Markdown",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ImportDiagram,
        label: "Import a Mermaid or DOT diagram",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::JoinMock,
        label: "Join a mock interview as the interviewer",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::Quit,
        label: "Quit",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::Home,
        label: "Home",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::Progress,
        label: "Progress",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::Estimator,
        label: "Back-of-envelope estimator",
        shortcuts: &[keys(Modifiers::COMMAND, Key::E)],
    },
    ActionSpec {
        action: Action::Replay,
        label: "Replay the session",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::NextStep,
        label: "Next step",
        shortcuts: &[
            keys(Modifiers::ALT, Key::ArrowRight),
            keys(Modifiers::COMMAND, Key::PageDown),
        ],
    },
    ActionSpec {
        action: Action::PreviousStep,
        label: "Previous step",
        shortcuts: &[
            keys(Modifiers::ALT, Key::ArrowLeft),
            keys(Modifiers::COMMAND, Key::PageUp),
        ],
    },
    ActionSpec {
        action: Action::ThemeSystem,
        label: "Follow system theme",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ThemeLight,
        label: "Light theme",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ThemeDark,
        label: "Dark theme",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ThemeHighContrast,
        label: "High-contrast theme",
        shortcuts: &[],
    },
    ActionSpec {
        action: Action::ZoomIn,
        label: "Make everything larger",
        shortcuts: &[
            keys(Modifiers::COMMAND, Key::Equals),
            keys(Modifiers::COMMAND, Key::Plus),
        ],
    },
    ActionSpec {
        action: Action::ZoomOut,
        label: "Make everything smaller",
        shortcuts: &[keys(Modifiers::COMMAND, Key::Minus)],
    },
    ActionSpec {
        action: Action::ZoomReset,
        label: "Everything at its normal size",
        shortcuts: &[keys(Modifiers::COMMAND, Key::Num0)],
    },
    ActionSpec {
        action: Action::Shortcuts,
        label: "Show or hide the keyboard shortcuts",
        shortcuts: &[
            keys(Modifiers::NONE, Key::F1),
            keys(Modifiers::NONE, Key::Questionmark),
        ],
    },
    ActionSpec {
        action: Action::CommandPalette,
        label: "Search commands (command palette)",
        shortcuts: &[keys(Modifiers::COMMAND, Key::K)],
    },
    ActionSpec {
        action: Action::About,
        label: "About mlsd-studio",
        shortcuts: &[],
    },
];

/// The table's entry for `action`.
pub fn spec(action: Action) -> &'static ActionSpec {
    ACTIONS
        .iter()
        .find(|s| s.action == action)
        .unwrap_or(&ACTIONS[0])
}

/// What `action` does now, or `None` when it is not available (no session
/// open, no next step...).
pub fn command_for(action: Action, open: Option<&OpenSession>) -> Option<Command> {
    let step = open.map(|o| Step::clamped(o.session.current_step));
    match action {
        Action::NewSession | Action::Home => Some(Command::GoHome),
        Action::Open => Some(Command::OpenDialog),
        Action::Save => open.map(|_| Command::Save),
        Action::SaveAs => open.map(|_| Command::SaveAs),
        Action::ExportReportHtml => open.map(|_| Command::ExportReport(ReportFormat::Html)),
        Action::ExportReportMarkdown => open.map(|_| Command::ExportReport(ReportFormat::Md)),
        Action::ImportDiagram => open.map(|_| Command::ImportDialog),
        Action::JoinMock => Some(RemoteAction::ShowJoinDialog(true).into()),
        Action::Quit => Some(Command::Quit),
        Action::Progress => Some(Command::ShowProgress),
        Action::Estimator => open.map(|_| EstimateAction::SetOpen(true).into()),
        Action::Replay => open.map(|_| Command::SetReplay(true)),
        Action::NextStep => step?
            .next()
            .map(|s| SessionEdit::GoToStep(s.number()).into()),
        Action::PreviousStep => step?
            .previous()
            .map(|s| SessionEdit::GoToStep(s.number()).into()),
        Action::ThemeSystem => Some(Command::SetTheme(ThemeChoice::System)),
        Action::ThemeLight => Some(Command::SetTheme(ThemeChoice::Light)),
        Action::ThemeDark => Some(Command::SetTheme(ThemeChoice::Dark)),
        Action::ThemeHighContrast => Some(Command::SetTheme(ThemeChoice::HighContrast)),
        Action::ZoomIn => Some(Command::ZoomUi(ZoomStep::In)),
        Action::ZoomOut => Some(Command::ZoomUi(ZoomStep::Out)),
        Action::ZoomReset => Some(Command::ZoomUi(ZoomStep::Reset)),
        Action::Shortcuts => Some(Command::ToggleShortcuts),
        Action::CommandPalette => Some(Command::TogglePalette),
        Action::About => Some(Command::ShowAbout),
    }
}

/// Every shortcut of `action`, as the platform writes it ("Ctrl+S or …").
pub fn shortcut_text(ctx: &egui::Context, action: Action) -> Option<String> {
    let shortcuts = spec(action).shortcuts;
    (!shortcuts.is_empty()).then(|| {
        shortcuts
            .iter()
            // egui spells out the `?` key's name; the help shows the key.
            .map(|s| ctx.format_shortcut(s).replace("Questionmark", "?"))
            .collect::<Vec<_>>()
            .join(" or ")
    })
}

/// Every command that has a shortcut, for the help dialog.
pub fn shortcut_list(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    ACTIONS
        .iter()
        .filter_map(|s| Some((shortcut_text(ctx, s.action)?, s.label)))
        .collect()
}

/// Turns key presses into commands. With a dialog on top only the keys that
/// open or close the help and the palette work.
pub fn shortcuts_input(
    ctx: &egui::Context,
    open: Option<&OpenSession>,
    modal_open: bool,
    commands: &mut crate::app::Commands,
) {
    let typing = ctx.text_edit_focused();
    for spec in ACTIONS {
        if modal_open && !matches!(spec.action, Action::Shortcuts | Action::CommandPalette) {
            continue;
        }
        let pressed = spec
            .shortcuts
            .iter()
            .filter(|s| !(typing && is_typed_character(s)))
            .any(|s| ctx.input_mut(|i| i.consume_shortcut(s)));
        if pressed && let Some(command) = command_for(spec.action, open) {
            commands.send(command);
        }
    }
}

/// Whether `shortcut` is a plain character (like `?`) that belongs to a
/// text field when one has focus.
fn is_typed_character(shortcut: &KeyboardShortcut) -> bool {
    let function_key = matches!(
        shortcut.logical_key,
        Key::F1 | Key::F2 | Key::F3 | Key::F4 | Key::F5 | Key::F6 | Key::Escape
    );
    !shortcut.modifiers.any() && !function_key
}

/// A menu item for `action`: its name (or `label` where the menu words it
/// differently), its first shortcut, and greyed out when not available.
pub fn action_item(
    ui: &mut egui::Ui,
    action: Action,
    label: &str,
    open: Option<&OpenSession>,
    commands: &mut crate::app::Commands,
) {
    let command = command_for(action, open);
    let mut button = egui::Button::new(label);
    if let Some(first) = spec(action).shortcuts.first() {
        button = button.shortcut_text(ui.ctx().format_shortcut(first));
    }
    if ui.add_enabled(command.is_some(), button).clicked()
        && let Some(command) = command
    {
        commands.send(command);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_is_in_the_table_once() {
        let all = [
            Action::NewSession,
            Action::Open,
            Action::Save,
            Action::SaveAs,
            Action::ExportReportHtml,
            Action::ExportReportMarkdown,
            Action::ImportDiagram,
            Action::JoinMock,
            Action::Quit,
            Action::Home,
            Action::Progress,
            Action::Estimator,
            Action::Replay,
            Action::NextStep,
            Action::PreviousStep,
            Action::ThemeSystem,
            Action::ThemeLight,
            Action::ThemeDark,
            Action::ThemeHighContrast,
            Action::ZoomIn,
            Action::ZoomOut,
            Action::ZoomReset,
            Action::Shortcuts,
            Action::CommandPalette,
            Action::About,
        ];
        for action in all {
            assert_eq!(
                ACTIONS.iter().filter(|s| s.action == action).count(),
                1,
                "{action:?}"
            );
        }
        assert_eq!(ACTIONS.len(), all.len());
    }

    #[test]
    fn no_two_actions_share_a_shortcut() {
        let mut seen = Vec::new();
        for spec in ACTIONS {
            for s in spec.shortcuts {
                assert!(!seen.contains(s), "{:?} is bound twice", spec.action);
                seen.push(*s);
            }
        }
    }

    #[test]
    fn save_as_is_checked_before_save() {
        let at = |a| ACTIONS.iter().position(|s| s.action == a);
        assert!(at(Action::SaveAs) < at(Action::Save));
    }

    #[test]
    fn step_actions_stop_at_the_ends() {
        assert_eq!(command_for(Action::NextStep, None), None);
        assert_eq!(command_for(Action::Save, None), None);
        assert_eq!(command_for(Action::Home, None), Some(Command::GoHome));
    }
}
