//! The egui user interface. This is the only module that names egui or eframe.

mod actions;
mod app;
mod canvas;
mod compare_window;
mod estimator;
mod file_dialog;
mod home;
mod menu;
mod mock;
mod modals;
mod palette;
mod practice;
mod progress_page;
mod remote;
mod replay;
mod right_size_window;
mod sim_panel;
mod style;
mod theme;
mod timeline_panel;

pub use crate::app::{Command, Commands, FilePurpose, MockAction, Modal, OpenSession};
pub use app::{AUTOSAVE_SECS, AppConfig, Page, StudioApp};
pub use canvas::{DiagramEditorState, canvas_ui};

pub use file_dialog::{FileDialogs, NativeDialogs, ScriptedDialogs};

pub use practice::step_label;

use eframe::egui;

/// Opens the main window and runs the app until it is closed.
pub fn run(config: AppConfig) -> eframe::Result<()> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("mlsd-studio")
        // Wayland compositors match the window to mlsd-studio.desktop by it.
        .with_app_id("mlsd-studio")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([960.0, 600.0]);
    if let Some(icon) = window_icon() {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "mlsd-studio",
        options,
        Box::new(|cc| Ok(Box::new(StudioApp::new(cc, config)))),
    )
}

/// The window's icon, drawn from the app's SVG at the size window lists use.
pub fn window_icon() -> Option<egui::IconData> {
    const SIDE: u32 = 128;
    let rgba = crate::about::icon_rgba(SIDE).ok()?;
    Some(egui::IconData {
        rgba,
        width: SIDE,
        height: SIDE,
    })
}
