//! What applying a command asks of the front end.

use std::path::PathBuf;
use std::time::Duration;

use super::command::{FilePurpose, ViewChange};
use crate::settings::ThemeChoice;

/// Something only the front end can do, asked for by [`super::AppState::apply`].
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Draw again now: the state changed.
    Repaint,
    /// Draw again after this long: a clock or a run is moving.
    RepaintAfter(Duration),
    /// Close the window (the user confirmed).
    Close,
    CopyToClipboard(String),
    /// Ask the user for a file; the answer comes back as
    /// [`super::Command::FileChosen`].
    ChooseFile {
        purpose: FilePurpose,
        suggested_name: String,
        start_dir: Option<PathBuf>,
    },
    SetTheme(ThemeChoice),
    /// Scale the whole UI by this factor.
    SetUiZoom(f32),
    /// The page on screen changed: start its view afresh.
    PageChanged,
    /// Change the view of the diagram called `diagram`.
    DiagramView {
        diagram: String,
        change: ViewChange,
    },
}
