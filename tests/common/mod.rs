//! What the UI tests share: an app configuration that keeps every file the
//! app writes inside a test's own folder.

use std::path::{Path, PathBuf};

use mlsd_studio::content;
use mlsd_studio::ui::{AppConfig, ScriptedDialogs};

/// The app with the bundled case studies, its autosaves and history in
/// `dir`, `open_file` opened at start, and file dialogs answered in order.
pub fn app_config(
    dir: &Path,
    open_file: Option<PathBuf>,
    answers: Vec<Option<PathBuf>>,
) -> AppConfig {
    AppConfig {
        library: content::bundled(),
        recovery_dir: dir.join("recovery"),
        open_file,
        dialogs: Box::new(ScriptedDialogs::new(answers)),
        exit_after_first_frame: None,
        progress_path: dir.join("history.ron"),
    }
}
