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
        docs_dir: None,
    }
}

/// The screen rectangle of the diagram node labelled `label` (not the
/// palette button of the same name: nodes are the larger of the two).
#[allow(dead_code)]
pub fn node_rect(
    h: &egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    label: &str,
) -> egui::Rect {
    use egui_kittest::kittest::Queryable;
    h.query_all_by_label(label)
        .map(|n| n.rect())
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .expect("a node with that label")
}

/// Drags the pointer from `from` to `to` in small steps, as a hand would.
#[allow(dead_code)]
pub fn drag(
    h: &mut egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    from: egui::Pos2,
    to: egui::Pos2,
) {
    h.drag_at(from);
    h.run();
    for i in 1..=8 {
        let t = i as f32 / 8.0;
        h.hover_at(from + (to - from) * t);
        h.run();
    }
    h.drop_at(to);
    h.run();
}
