//! File dialogs that never block the window: the native one runs on its own
//! thread and answers through a channel the app polls each frame.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use eframe::egui;

use crate::app::FilePurpose;
use crate::export::ReportFormat;

/// Shows file dialogs. The app gets [`rfd`]'s; tests script the answers.
pub trait FileDialogs {
    /// Starts a dialog; its answer (`None` when cancelled) arrives on the channel.
    fn request(
        &mut self,
        ctx: &egui::Context,
        purpose: FilePurpose,
        suggested_name: &str,
        start_dir: Option<&Path>,
    ) -> Receiver<Option<PathBuf>>;
}

/// The platform's own dialogs, through rfd, off the UI thread.
pub struct NativeDialogs;

impl FileDialogs for NativeDialogs {
    fn request(
        &mut self,
        ctx: &egui::Context,
        purpose: FilePurpose,
        suggested_name: &str,
        start_dir: Option<&Path>,
    ) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        let ctx = ctx.clone();
        let mut dialog = match &purpose {
            FilePurpose::Export { format, .. } => {
                rfd::FileDialog::new().add_filter(format.label(), &[format.extension()])
            }
            FilePurpose::Report(ReportFormat::Html) => {
                rfd::FileDialog::new().add_filter("HTML", &["html"])
            }
            FilePurpose::Report(ReportFormat::Md) => {
                rfd::FileDialog::new().add_filter("Markdown", &["md"])
            }
            FilePurpose::Import => rfd::FileDialog::new()
                .add_filter("Mermaid or Graphviz DOT", &["mmd", "mermaid", "dot", "gv"])
                .add_filter("Any file", &["*"]),
            _ => rfd::FileDialog::new().add_filter("mlsd-studio session", &["mlsd"]),
        }
        .set_file_name(suggested_name);
        if let Some(dir) = start_dir {
            dialog = dialog.set_directory(dir);
        }
        std::thread::spawn(move || {
            let picked = match purpose {
                FilePurpose::Open | FilePurpose::Import => dialog.pick_file(),
                FilePurpose::Save => dialog.save_file().map(with_session_extension),
                FilePurpose::Export { .. }
                | FilePurpose::Report(_)
                | FilePurpose::ReplayFrames { .. } => dialog.save_file(),
            };
            // A failed send means the app stopped waiting: nothing to do.
            tx.send(picked).ok();
            ctx.request_repaint();
        });
        rx
    }
}

/// Adds `.mlsd` when the user typed a name without it.
pub fn with_session_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_some() {
        path
    } else {
        path.with_extension("mlsd")
    }
}

/// Answers dialogs from a list, for tests and scripted runs.
#[derive(Debug, Default)]
pub struct ScriptedDialogs {
    answers: VecDeque<Option<PathBuf>>,
}

impl ScriptedDialogs {
    /// Dialogs answered in order; once the list runs out they are cancelled.
    pub fn new(answers: impl IntoIterator<Item = Option<PathBuf>>) -> ScriptedDialogs {
        ScriptedDialogs {
            answers: answers.into_iter().collect(),
        }
    }
}

impl FileDialogs for ScriptedDialogs {
    fn request(
        &mut self,
        _ctx: &egui::Context,
        _purpose: FilePurpose,
        _suggested_name: &str,
        _start_dir: Option<&Path>,
    ) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = channel();
        // The receiver is returned below, so the send cannot fail.
        tx.send(self.answers.pop_front().flatten()).ok();
        rx
    }
}

/// A dialog that is open, waiting for its answer.
pub struct PendingDialog {
    pub purpose: FilePurpose,
    rx: Receiver<Option<PathBuf>>,
}

/// What a pending dialog has to say this frame.
#[derive(Debug, PartialEq)]
pub enum DialogPoll {
    Waiting,
    Picked(PathBuf),
    Cancelled,
}

impl PendingDialog {
    pub fn new(purpose: FilePurpose, rx: Receiver<Option<PathBuf>>) -> PendingDialog {
        PendingDialog { purpose, rx }
    }

    pub fn poll(&self) -> DialogPoll {
        match self.rx.try_recv() {
            Ok(Some(path)) => DialogPoll::Picked(path),
            Ok(None) | Err(TryRecvError::Disconnected) => DialogPoll::Cancelled,
            Err(TryRecvError::Empty) => DialogPoll::Waiting,
        }
    }
}
