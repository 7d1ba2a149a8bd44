//! The app shell: pages, the open session, dialogs, and the one place where
//! commands change anything.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use eframe::egui;
use egui_commonmark::CommonMarkCache;

use super::canvas::{Selection, UndoState};
use super::command::{Command, Commands, DiagramAction};
use super::file_dialog::{DialogPoll, DialogPurpose, FileDialogs, PendingDialog};
use super::history_page::{HistoryPage, history_page_ui};
use super::home::{HomeState, home_ui};
use super::menu::{menu_bar_ui, shortcuts_input, status_bar_ui};
use super::mock::{MockAction, MockSetup, RubricView, mock_setup_ui, rubric_panel_ui};
use super::modals::{Modal, modal_ui};
use super::practice::{PracticeInput, PracticeState, practice_ui};
use super::style;
use crate::content::{CaseLibrary, CaseStudy};
use crate::diagram::{DiagramEdit, History, layered_positions};
use crate::export::{ExportFormat, export, to_mermaid};
use crate::fsutil::atomic_write;
use crate::session::{
    FoundRecovery, RecoveryStore, Session, SessionEdit, check_against_library, discard,
    load_session, save_session,
};
use crate::settings::{Settings, ThemeChoice};

/// Seconds between autosaves of unsaved work.
pub const AUTOSAVE_SECS: f64 = 5.0;
/// Longest gap between two frames counted as time on a step; longer gaps
/// mean the machine slept.
const MAX_TICK_SECS: f64 = 10.0;
const SETTINGS_KEY: &str = "mlsd-studio-settings";

/// Everything the app needs from outside to start.
pub struct AppConfig {
    pub library: CaseLibrary,
    /// Where autosaved recovery files live.
    pub recovery_dir: PathBuf,
    /// A session to open at start.
    pub open_file: Option<PathBuf>,
    pub dialogs: Box<dyn FileDialogs>,
    /// The progress history file.
    pub history_path: PathBuf,
    /// When set, print the time from this instant to the end of the first
    /// frame, then close: a start-up benchmark.
    pub exit_after_first_frame: Option<std::time::Instant>,
}

/// The page on screen, with its own view state.
pub enum Page {
    Home(HomeState),
    Practice(Box<PracticeState>),
    History(HistoryPage),
}

/// The session being worked on and where it is saved.
pub struct OpenSession {
    pub session: Session,
    pub path: Option<PathBuf>,
    /// Changed since the last save.
    pub dirty: bool,
}

/// The mlsd-studio application.
pub struct StudioApp {
    library: CaseLibrary,
    settings: Settings,
    page: Page,
    open: Option<OpenSession>,
    recovery: RecoveryStore,
    dialogs: Box<dyn FileDialogs>,
    pending_dialog: Option<PendingDialog>,
    modal: Option<Modal>,
    /// What to do once the current save succeeds ("save, then open...").
    after_save: Option<Command>,
    /// The user confirmed closing the window.
    close_confirmed: bool,
    status: Option<String>,
    commands: Commands,
    markdown: CommonMarkCache,
    last_tick: Option<f64>,
    last_autosave: f64,
    window_title: String,
    exit_after_first_frame: Option<std::time::Instant>,
    /// Undo history per diagram of the open session.
    histories: HashMap<String, History>,
    history: crate::history::HistoryStore,
    mock_setup: Option<MockSetup>,
    interviewer_window: bool,
    note_draft: String,
}

impl StudioApp {
    /// Builds the app, restoring settings and offering any recovered work.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> StudioApp {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        style::install(&cc.egui_ctx);
        let mut app = StudioApp {
            library: config.library,
            settings,
            page: Page::Home(HomeState::default()),
            open: None,
            recovery: RecoveryStore::new(&config.recovery_dir),
            dialogs: config.dialogs,
            pending_dialog: None,
            modal: None,
            after_save: None,
            close_confirmed: false,
            status: None,
            commands: Commands::default(),
            markdown: CommonMarkCache::default(),
            last_tick: None,
            last_autosave: 0.0,
            window_title: String::new(),
            exit_after_first_frame: config.exit_after_first_frame,
            histories: HashMap::new(),
            history: crate::history::HistoryStore::new(config.history_path),
            mock_setup: None,
            interviewer_window: false,
            note_draft: String::new(),
        };
        app.apply_theme(&cc.egui_ctx);
        let (found, errors) = app.recovery.find_orphans();
        if let Some(e) = errors.first() {
            app.status = Some(format!(
                "An autosave could not be read and was set aside: {e}"
            ));
        }
        if !found.is_empty() {
            app.modal = Some(Modal::Recovery(found));
        }
        if let Some(path) = config.open_file {
            app.open_path(&cc.egui_ctx, &path);
        }
        app
    }

    /// The open session, if any.
    pub fn open_session(&self) -> Option<&OpenSession> {
        self.open.as_ref()
    }

    /// The page on screen.
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// The remembered preferences.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The last status-bar message.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    /// The message or dialog on top, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    fn dirty(&self) -> bool {
        self.open.as_ref().is_some_and(|o| o.dirty)
    }

    fn study_of(library: &CaseLibrary, open: &OpenSession) -> Option<CaseStudy> {
        library.get(&open.session.case_study).cloned()
    }

    /// The window title: file name, unsaved marker, app name.
    pub fn title(&self) -> String {
        match &self.open {
            Some(o) => {
                let name = o.path.as_deref().map_or_else(
                    || "Untitled session".to_owned(),
                    |p| {
                        p.file_name()
                            .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
                    },
                );
                let marker = if o.dirty { "● " } else { "" };
                format!("{marker}{name} — mlsd-studio")
            }
            None => "mlsd-studio".to_owned(),
        }
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme {
            ThemeChoice::System => egui::ThemePreference::System,
            ThemeChoice::Light => egui::ThemePreference::Light,
            ThemeChoice::Dark => egui::ThemePreference::Dark,
        });
    }

    /// Applies every command sent while drawing.
    fn apply_commands(&mut self, ctx: &egui::Context) {
        let commands = self.commands.take();
        if !commands.is_empty() {
            // What the commands changed is drawn on the next frame.
            ctx.request_repaint();
        }
        for command in commands {
            self.apply(ctx, command);
        }
    }

    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let guarded = matches!(
            command,
            Command::StartCase(_)
                | Command::OpenDialog
                | Command::OpenPath(_)
                | Command::Quit
                | Command::Mock(MockAction::Start { .. })
        );
        if guarded && self.dirty() {
            self.modal = Some(Modal::UnsavedChanges { then: command });
            return;
        }
        match command {
            Command::GoHome => self.page = Page::Home(HomeState::default()),
            Command::ResumeOpen => {
                if self.open.is_some() {
                    self.page = Page::Practice(Box::default());
                }
            }
            Command::StartCase(id) => self.start_case(&id),
            Command::OpenDialog => self.start_dialog(ctx, DialogPurpose::Open),
            Command::OpenPath(path) => self.open_path(ctx, &path),
            Command::Save => match self.open.as_ref().map(|o| o.path.clone()) {
                Some(Some(path)) => self.save_to(ctx, &path),
                Some(None) => self.start_dialog(ctx, DialogPurpose::Save),
                None => {}
            },
            Command::SaveAs => {
                if self.open.is_some() {
                    self.start_dialog(ctx, DialogPurpose::Save);
                }
            }
            Command::SaveTo(path) => self.save_to(ctx, &path),
            Command::Quit => {
                self.close_confirmed = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Edit(edit) => self.edit(edit),
            Command::SetTheme(theme) => {
                self.settings.theme = theme;
                self.apply_theme(ctx);
            }
            Command::Recover(file) => self.recover(&file),
            Command::DiscardRecovery(file) => {
                discard(&file);
                self.drop_recovery_offer(&file);
            }
            Command::ConfirmSave => {
                if let Some(Modal::UnsavedChanges { then }) = self.modal.take() {
                    self.after_save = Some(then);
                    self.apply(ctx, Command::Save);
                }
            }
            Command::ConfirmDiscard => {
                if let Some(Modal::UnsavedChanges { then }) = self.modal.take() {
                    if let Some(o) = &mut self.open {
                        o.dirty = false;
                    }
                    self.recovery.clear();
                    self.apply(ctx, then);
                }
            }
            Command::DismissModal => {
                self.modal = None;
                self.after_save = None;
            }
            Command::Diagram { name, action } => self.diagram_action(ctx, &name, action),
            Command::SetUpMock(case_id) => {
                self.mock_setup = Some(MockSetup {
                    case_id,
                    config: crate::mock::MockConfig::new(45, crate::mock::MockMode::Solo),
                });
            }
            Command::Mock(action) => self.mock_action(ctx, action),
            Command::ShowProgress => self.show_progress(),
            Command::ExportReport { html } => {
                if self.open.is_some() {
                    self.start_dialog(ctx, DialogPurpose::Report { html });
                }
            }
            Command::ToggleShortcuts => {
                self.modal = match self.modal {
                    Some(Modal::Shortcuts) => None,
                    None => Some(Modal::Shortcuts),
                    _ => return,
                };
            }
        }
    }

    fn start_case(&mut self, id: &str) {
        let Some(study) = self.library.get(id) else {
            self.show_error(
                "Unknown case study",
                format!("No case study has the id \"{id}\"."),
            );
            return;
        };
        self.histories.clear();
        self.open = Some(OpenSession {
            session: Session::new(study),
            path: None,
            dirty: false,
        });
        self.page = Page::Practice(Box::default());
        self.status = Some(format!("New session: {}", study.title));
    }

    fn start_dialog(&mut self, ctx: &egui::Context, purpose: DialogPurpose) {
        if self.pending_dialog.is_some() {
            return;
        }
        let name = self.open.as_ref().map_or_else(
            || "session.mlsd".to_owned(),
            |o| format!("{}.mlsd", o.session.case_study),
        );
        let start_dir = self
            .open
            .as_ref()
            .and_then(|o| o.path.as_deref())
            .or(self.settings.recent.first().map(PathBuf::as_path))
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        let name = match &purpose {
            DialogPurpose::Report { html } => {
                let case = self
                    .open
                    .as_ref()
                    .map_or("session", |o| o.session.case_study.as_str());
                format!("{case}-report.{}", if *html { "html" } else { "md" })
            }
            DialogPurpose::Export { diagram, format } => {
                let case = self
                    .open
                    .as_ref()
                    .map_or("diagram", |o| o.session.case_study.as_str());
                let slug: String = diagram
                    .chars()
                    .map(|c| {
                        if c.is_ascii_alphanumeric() {
                            c.to_ascii_lowercase()
                        } else {
                            '-'
                        }
                    })
                    .collect();
                format!("{case}-{}.{}", slug.trim_matches('-'), format.extension())
            }
            _ => name,
        };
        let rx = self
            .dialogs
            .request(ctx, purpose.clone(), &name, start_dir.as_deref());
        self.pending_dialog = Some(PendingDialog::new(purpose, rx));
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(pending) = &self.pending_dialog else {
            return;
        };
        let purpose = pending.purpose.clone();
        match pending.poll() {
            DialogPoll::Waiting => {}
            DialogPoll::Picked(path) => {
                self.pending_dialog = None;
                match purpose {
                    DialogPurpose::Open => self.apply(ctx, Command::OpenPath(path)),
                    DialogPurpose::Save => self.apply(ctx, Command::SaveTo(path)),
                    DialogPurpose::Export { diagram, format } => {
                        self.export_to(&diagram, format, &path)
                    }
                    DialogPurpose::Report { html } => self.write_report(html, &path),
                }
            }
            DialogPoll::Cancelled => {
                self.pending_dialog = None;
                self.after_save = None;
            }
        }
    }

    fn open_path(&mut self, ctx: &egui::Context, path: &Path) {
        let loaded = load_session(path)
            .and_then(|s| check_against_library(&s, &self.library, path).map(|()| s));
        match loaded {
            Ok(session) => {
                self.histories.clear();
                self.open = Some(OpenSession {
                    session,
                    path: Some(path.to_path_buf()),
                    dirty: false,
                });
                self.settings.remember(path);
                self.page = Page::Practice(Box::default());
                self.status = Some(format!("Opened {}", path.display()));
                ctx.request_repaint();
            }
            Err(e) => self.show_error("Could not open the session", e.to_string()),
        }
    }

    fn save_to(&mut self, ctx: &egui::Context, path: &Path) {
        let Some(open) = &mut self.open else {
            return;
        };
        match save_session(path, &open.session) {
            Ok(()) => {
                open.path = Some(path.to_path_buf());
                open.dirty = false;
                self.settings.remember(path);
                self.recovery.clear();
                self.status = Some(format!("Saved {}", path.display()));
                if let Some(next) = self.after_save.take() {
                    self.apply(ctx, next);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.show_error("Could not save the session", e.to_string());
            }
        }
    }

    fn edit(&mut self, edit: SessionEdit) {
        let Some(open) = &mut self.open else {
            return;
        };
        let Some(study) = Self::study_of(&self.library, open) else {
            return;
        };
        // Moving between steps is navigation, not a change worth a prompt;
        // in a mock the interview clock follows the step.
        let is_navigation = matches!(edit, SessionEdit::GoToStep(_));
        if let (SessionEdit::GoToStep(step), Some(mock)) = (&edit, open.session.mock.as_mut()) {
            let now = self.last_tick.unwrap_or(0.0);
            let _ = mock.move_to_step(crate::session::clamp_step(*step), now);
        }
        if open.session.apply(&study, edit) && !is_navigation {
            open.dirty = true;
        }
    }

    fn diagram_action(&mut self, ctx: &egui::Context, name: &str, action: DiagramAction) {
        if let DiagramAction::Export(format) = action {
            let diagram = name.to_owned();
            self.start_dialog(ctx, DialogPurpose::Export { diagram, format });
            return;
        }
        let Some(open) = &mut self.open else { return };
        let Some(diagram) = open.session.diagram_mut(name) else {
            return;
        };
        let history = self.histories.entry(name.to_owned()).or_default();
        let editor = match &mut self.page {
            Page::Practice(p) => Some(p.diagrams.editor(name)),
            Page::Home(_) | Page::History(_) => None,
        };
        let changed = match action {
            DiagramAction::Edit(edit) => {
                let applied = history.apply(diagram, edit);
                if let Some(editor) = editor
                    && (!applied.nodes.is_empty() || applied.group.is_some())
                {
                    editor.selection = Selection {
                        nodes: applied.nodes.iter().copied().collect(),
                        groups: applied.group.into_iter().collect(),
                        ..Selection::default()
                    };
                }
                applied.changed
            }
            DiagramAction::AddAndRename(edit) => {
                let applied = history.apply(diagram, edit);
                if let (Some(editor), Some(&id)) = (editor, applied.nodes.first()) {
                    editor.selection = Selection::only_node(id);
                    let label = diagram
                        .node(id)
                        .map(|n| n.label.clone())
                        .unwrap_or_default();
                    editor.renaming = Some((id, label));
                }
                applied.changed
            }
            DiagramAction::Undo => history.undo(diagram),
            DiagramAction::Redo => history.redo(diagram),
            DiagramAction::BeginInteraction => {
                history.begin_interaction();
                false
            }
            DiagramAction::EndInteraction => {
                history.end_interaction();
                false
            }
            DiagramAction::AutoLayout => {
                let positions = layered_positions(diagram);
                let changed = history
                    .apply(diagram, DiagramEdit::SetPositions(positions))
                    .changed;
                if let Some(editor) = editor {
                    editor.fit_requested = true;
                }
                changed
            }
            DiagramAction::Export(_) => false,
            DiagramAction::CopyMermaid => {
                ctx.copy_text(to_mermaid(diagram));
                self.status = Some(format!("Copied \"{name}\" to the clipboard as Mermaid"));
                false
            }
        };
        if changed && let Some(open) = &mut self.open {
            open.dirty = true;
        }
    }

    fn export_to(&mut self, name: &str, format: ExportFormat, path: &Path) {
        let Some(diagram) = self.open.as_ref().and_then(|o| o.session.diagram(name)) else {
            return;
        };
        let result = export(diagram, format)
            .map_err(|e| e.to_string())
            .and_then(|bytes| atomic_write(path, &bytes).map_err(|e| e.to_string()));
        match result {
            Ok(()) => self.status = Some(format!("Exported \"{name}\" to {}", path.display())),
            Err(e) => self.show_error(
                "Could not export the diagram",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    fn mock_action(&mut self, ctx: &egui::Context, action: MockAction) {
        let now = ctx.input(|i| i.time);
        if let MockAction::Start { case_id, config } = action {
            self.start_case(&case_id);
            if let Some(open) = &mut self.open {
                let mut mock = crate::mock::MockState::new(config);
                mock.start(now);
                self.interviewer_window =
                    mock.config.mode == crate::mock::MockMode::WithInterviewer;
                open.session.mock = Some(mock);
                open.dirty = true;
            }
            return;
        }
        let Some(open) = &mut self.open else { return };
        let Some(study) = self.library.get(&open.session.case_study) else {
            return;
        };
        let step = open.session.current_step;
        let result = match action {
            MockAction::Start { .. } => Ok(()),
            MockAction::ShowInterviewerWindow(show) => {
                self.interviewer_window = show;
                return;
            }
            MockAction::RecordInHistory => {
                self.record_history();
                return;
            }
            MockAction::NextStep => {
                let next = (step + 1).min(crate::framework::STEP_COUNT as u8);
                open.session
                    .apply(study, SessionEdit::SetDone { step, done: true });
                open.session.apply(study, SessionEdit::GoToStep(next));
                match &mut open.session.mock {
                    Some(mock) => mock.move_to_step(next, now).map_err(|e| e.to_string()),
                    None => return,
                }
            }
            action => {
                let Some(mock) = &mut open.session.mock else {
                    return;
                };
                match action {
                    MockAction::Pause => {
                        mock.pause(now);
                        Ok(())
                    }
                    MockAction::Resume => {
                        mock.resume(now);
                        Ok(())
                    }
                    MockAction::End => {
                        mock.finish(now);
                        Ok(())
                    }
                    MockAction::SetScore { step, id, score } => {
                        mock.set_score(step, &id, score).map_err(|e| e.to_string())
                    }
                    MockAction::ToggleFollowUp { step, index } => mock
                        .toggle_follow_up(study, step, index)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    MockAction::AddNote(text) => mock
                        .add_note(&text, now)
                        .map(|_| ())
                        .map_err(|e| e.to_string()),
                    MockAction::SetSignal { competency, value } => mock
                        .set_signal(competency, value)
                        .map_err(|e| e.to_string()),
                    _ => Ok(()),
                }
            }
        };
        let ended_with_interviewer = open.session.mock.as_ref().is_some_and(|m| {
            m.is_finished() && m.config.mode == crate::mock::MockMode::WithInterviewer
        });
        match result {
            Ok(()) => open.dirty = true,
            Err(e) => self.status = Some(e),
        }
        if ended_with_interviewer && self.interviewer_window {
            // The interviewer's scores go to the history when the interview ends.
            self.interviewer_window = false;
            self.record_history();
        }
    }

    /// Adds the finished mock of the open session to the progress history.
    fn record_history(&mut self) {
        let Some((open, study, mock)) = open_mock(&self.open, &self.library) else {
            return;
        };
        let entry = crate::history::HistoryEntry::from_mock(
            &open.session,
            study,
            mock,
            crate::session::now_unix_secs(),
        );
        self.status = Some(match self.history.append(entry) {
            Ok(None) => "Recorded in your progress history.".to_owned(),
            Ok(Some(corrupt)) => format!(
                "Recorded. The old history file could not be read and was kept aside: {corrupt}"
            ),
            Err(e) => format!("Could not record the interview: {e}"),
        });
    }

    fn show_progress(&mut self) {
        let (entries, notice) = match self.history.load() {
            Ok(entries) => (entries, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        self.page = Page::History(HistoryPage { entries, notice });
    }

    fn write_report(&mut self, html: bool, path: &Path) {
        let Some(open) = &self.open else { return };
        let Some(study) = self.library.get(&open.session.case_study) else {
            return;
        };
        // The simulator's last result goes in when the user ran it.
        let sim = match &self.page {
            Page::Practice(p) => p
                .sim
                .as_ref()
                .and_then(|s| s.outcome.as_ref()?.as_ref().ok()),
            _ => None,
        }
        .map(|o| &o.report);
        let text = if html {
            crate::export::report_html(&open.session, study, sim)
        } else {
            crate::export::report_markdown(&open.session, study, sim)
        };
        match atomic_write(path, text.as_bytes()) {
            Ok(()) => self.status = Some(format!("Report written to {}", path.display())),
            Err(e) => self.show_error(
                "Could not write the report",
                format!("{}: {e}", path.display()),
            ),
        }
    }

    fn recover(&mut self, file: &Path) {
        let Some(Modal::Recovery(found)) = &self.modal else {
            return;
        };
        let Some(item) = found.iter().find(|f| f.file == file) else {
            return;
        };
        let recovery = item.recovery.clone();
        let path = recovery
            .original_path
            .clone()
            .unwrap_or_else(|| file.to_path_buf());
        if let Err(e) = check_against_library(&recovery.session, &self.library, &path) {
            self.show_error("Could not recover the session", e.to_string());
            return;
        }
        self.histories.clear();
        self.open = Some(OpenSession {
            session: recovery.session,
            path: recovery.original_path,
            dirty: true,
        });
        // Write our own autosave at once so the work is never only in memory.
        if let Some(o) = &self.open {
            let _ = self.recovery.write(o.path.as_deref(), &o.session);
        }
        discard(file);
        self.modal = None;
        self.page = Page::Practice(Box::default());
        self.status = Some("Recovered unsaved work. Save it to keep it.".into());
    }

    fn drop_recovery_offer(&mut self, file: &Path) {
        if let Some(Modal::Recovery(found)) = &mut self.modal {
            found.retain(|f: &FoundRecovery| f.file != file);
            if found.is_empty() {
                self.modal = None;
            }
        }
    }

    fn show_error(&mut self, title: &str, body: String) {
        self.status = Some(body.clone());
        self.modal = Some(Modal::Message {
            title: title.to_owned(),
            body,
        });
    }

    /// Counts time on the current step while the window has focus, and
    /// autosaves unsaved work every few seconds.
    fn tick(&mut self, ctx: &egui::Context) {
        let (now, focused) = ctx.input(|i| (i.time, i.viewport().focused.unwrap_or(true)));
        let elapsed = self.last_tick.map_or(0.0, |t| now - t);
        self.last_tick = Some(now);
        if let Some(mock) = self.open.as_mut().and_then(|o| o.session.mock.as_mut())
            && mock.is_running()
        {
            mock.tick(now);
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        if let (Some(open), Page::Practice(_)) = (&mut self.open, &self.page)
            && focused
            && self.modal.is_none()
            && elapsed < MAX_TICK_SECS
        {
            open.session.add_time(elapsed);
            // Keep the step clock moving on screen.
            ctx.request_repaint_after(std::time::Duration::from_secs(1));
        }
        if let Some(open) = &self.open
            && open.dirty
        {
            if now - self.last_autosave >= AUTOSAVE_SECS {
                self.last_autosave = now;
                if let Err(e) = self.recovery.write(open.path.as_deref(), &open.session) {
                    self.status = Some(format!("Autosave failed: {e}"));
                }
            }
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(AUTOSAVE_SECS));
        }
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested()) && !self.close_confirmed && self.dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::UnsavedChanges {
                then: Command::Quit,
            });
        }
    }
}

impl StudioApp {
    /// The mock start dialog, and the interviewer's window while a mock
    /// with an interviewer runs.
    fn mock_windows_ui(&mut self, ctx: &egui::Context) {
        if let Some(setup) = &mut self.mock_setup {
            let title = self
                .library
                .get(&setup.case_id)
                .map_or("", |s| s.title.as_str());
            if !mock_setup_ui(ctx, setup, title, &mut self.commands) {
                self.mock_setup = None;
            }
        }
        if !self.interviewer_window {
            return;
        }
        let Some((open, study, mock)) = open_mock(&self.open, &self.library) else {
            return;
        };
        let view = RubricView {
            study,
            session: &open.session,
            mock,
            step: open.session.current_step,
            solo: false,
        };
        let (note_draft, markdown, commands) =
            (&mut self.note_draft, &mut self.markdown, &mut self.commands);
        let mut close = false;
        ctx.show_viewport_immediate(
            egui::ViewportId::from_hash_of("interviewer"),
            egui::ViewportBuilder::default()
                .with_title(format!("Interviewer: {}", study.title))
                .with_inner_size([640.0, 860.0]),
            |ui, _class| {
                egui::CentralPanel::default_margins().show(ui, |ui| {
                    rubric_panel_ui(ui, &view, note_draft, markdown, commands);
                });
                close = ui.input(|i| i.viewport().close_requested());
            },
        );
        if close {
            self.interviewer_window = false;
        }
    }
}

/// The open session with its case study and mock interview, if it has one.
fn open_mock<'a>(
    open: &'a Option<OpenSession>,
    library: &'a CaseLibrary,
) -> Option<(&'a OpenSession, &'a CaseStudy, &'a crate::mock::MockState)> {
    let open = open.as_ref()?;
    let study = library.get(&open.session.case_study)?;
    Some((open, study, open.session.mock.as_ref()?))
}

fn undo_of(histories: &HashMap<String, History>, name: &str) -> UndoState {
    histories
        .get(name)
        .map_or_else(UndoState::default, |h| UndoState {
            can_undo: h.can_undo(),
            can_redo: h.can_redo(),
        })
}

impl eframe::App for StudioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.handle_close_request(&ctx);
        self.poll_dialog(&ctx);
        self.tick(&ctx);
        // A viewport command forces a repaint, so send the title only when it changes.
        let title = self.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }

        let open_title = self
            .open
            .as_ref()
            .and_then(|o| self.library.get(&o.session.case_study))
            .map(|s| s.title.clone());
        shortcuts_input(
            &ctx,
            self.open.as_ref(),
            self.modal.is_some(),
            &mut self.commands,
        );
        menu_bar_ui(
            ui,
            &self.settings,
            self.open.as_ref(),
            open_title.as_deref(),
            &mut self.commands,
        );
        status_bar_ui(
            ui,
            self.status.as_deref(),
            self.open.as_ref(),
            self.pending_dialog.is_some(),
        );

        match &mut self.page {
            Page::Home(state) => home_ui(
                ui,
                state,
                &self.library,
                &self.settings,
                self.open.as_ref(),
                &mut self.commands,
            ),
            Page::Practice(state) => {
                let study = self
                    .open
                    .as_ref()
                    .and_then(|o| self.library.get(&o.session.case_study));
                let undo = undo_of(&self.histories, &state.diagrams.name);
                match (study, &self.open) {
                    (Some(study), Some(open)) => practice_ui(
                        ui,
                        state,
                        &PracticeInput {
                            study,
                            open,
                            interviewer_open: self.interviewer_window,
                            undo,
                        },
                        &mut self.markdown,
                        &mut self.commands,
                    ),
                    _ => self.commands.send(Command::GoHome),
                }
            }
            Page::History(page) => history_page_ui(ui, page, &self.library, &mut self.commands),
        }
        self.mock_windows_ui(&ctx);
        if let Some(modal) = &self.modal {
            modal_ui(&ctx, modal, &self.library, &mut self.commands);
        }
        self.apply_commands(&ctx);
        if let Some(started) = self.exit_after_first_frame.take() {
            println!(
                "first frame after {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // Unsaved work that the user chose to keep stays in the recovery file.
        if !self.dirty() {
            self.recovery.clear();
        }
    }
}
