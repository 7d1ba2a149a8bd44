//! Everything the UI asks for. Drawing code only sends these; the app applies
//! them in one place after the frame is drawn.

use std::path::PathBuf;

use crate::diagram::DiagramEdit;
use crate::export::ExportFormat;
use crate::session::SessionEdit;
use crate::settings::ThemeChoice;

/// A request from the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Show the home page (the open session stays open).
    GoHome,
    /// Show the open session's practice page.
    ResumeOpen,
    /// Start a fresh session on the case study with this id.
    StartCase(String),
    /// Ask for a session file to open.
    OpenDialog,
    OpenPath(PathBuf),
    /// Save to the session's file, or ask for one if it has none.
    Save,
    SaveAs,
    /// Save to this file (the answer of a save dialog).
    SaveTo(PathBuf),
    /// Close the app, asking first if work is unsaved.
    Quit,
    Edit(SessionEdit),
    SetTheme(ThemeChoice),
    /// Restore an autosaved session found at start-up.
    Recover(PathBuf),
    /// Delete an autosaved session found at start-up.
    DiscardRecovery(PathBuf),
    /// Answer to "save your changes?": save, then carry on.
    ConfirmSave,
    /// Answer to "save your changes?": drop them, then carry on.
    ConfirmDiscard,
    /// Close the dialog or message on top.
    DismissModal,
    ToggleShortcuts,
    /// Something to do to the session's diagram called `name`.
    Diagram {
        name: String,
        action: DiagramAction,
    },
    /// Open the start dialog of a mock interview on this case study.
    SetUpMock(String),
    Mock(super::mock::MockAction),
    /// Show the progress page (scores across sessions).
    ShowProgress,
    /// Export the session report as HTML (`true`) or Markdown.
    ExportReport {
        html: bool,
    },
}

/// A request about one diagram.
#[derive(Debug, Clone, PartialEq)]
pub enum DiagramAction {
    Edit(DiagramEdit),
    /// Add a node and start renaming it in place.
    AddAndRename(DiagramEdit),
    Undo,
    Redo,
    /// A drag starts: its edits become one undo step.
    BeginInteraction,
    EndInteraction,
    AutoLayout,
    Export(ExportFormat),
    CopyMermaid,
}

impl From<SessionEdit> for Command {
    fn from(edit: SessionEdit) -> Command {
        Command::Edit(edit)
    }
}

/// Collects commands while a frame is drawn.
#[derive(Debug, Default)]
pub struct Commands(Vec<Command>);

impl Commands {
    pub fn send(&mut self, command: impl Into<Command>) {
        self.0.push(command.into());
    }

    pub fn take(&mut self) -> Vec<Command> {
        std::mem::take(&mut self.0)
    }
}
