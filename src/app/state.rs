//! [`AppState`]: the open session, the page, dialogs, undo, simulations and
//! the one place where commands change anything.

use std::collections::{HashMap, VecDeque};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::command::{
    Command, DiagramAction, EstimateAction, FilePurpose, MockAction, RemoteAction, SimAction,
    ViewChange,
};
use super::effect::Effect;
use super::right_size_jobs::{RightSizeOutcome, RightSizeRequest};
use super::sim_jobs::{SimJobs, Waker};
use crate::content::{CaseLibrary, CaseStudy, EstimateInputs};
use crate::diagram::{
    Diagram, DiagramEdit, Fragment, SERVING_DIAGRAM, UndoStack, Vector, layered_positions,
};
use crate::export::{ExportFormat, export, report, to_mermaid, write_export};
use crate::framework::Step;
use crate::fsutil::read_text;
use crate::import::{ImportFormat, MAX_IMPORT_BYTES, import, import_detected, merge_edit};
use crate::mock::{MockConfig, MockMode, MockState};
use crate::progress::{ProgressEntry, ProgressStore};
use crate::review::{SessionReview, reference_session, review_session, step_coverage};
use crate::session::{
    FoundRecovery, RecoveryStore, Session, SessionDiagram, SessionEdit, StepClock,
    check_against_library, discard, load_session, now_unix_secs, save_session,
};
use crate::settings::{Settings, stepped_zoom};

mod remote;

pub use remote::{JoinDialog, Joined, LinkState, Sharing};

/// Simulations of the reference design's diagrams run under their name
/// with this in front, beside the session's own.
pub const REFERENCE_PREFIX: &str = "Reference: ";

/// Seconds between autosaves of unsaved work.
pub const AUTOSAVE_SECS: f64 = 5.0;
/// How often a running clock or simulation wants a new frame.
const CLOCK_REPAINT: Duration = Duration::from_secs(1);
const SIM_REPAINT: Duration = Duration::from_millis(50);
/// How long a right-size search from the simulator panel may take (it runs
/// in the background; a release build needs a fraction of a second).
const RIGHT_SIZE_BUDGET: Duration = Duration::from_secs(10);
/// Lines left out of an import listed in its message; the rest are counted.
const MAX_WARNINGS_SHOWN: usize = 12;

/// Everything the state needs from outside to start.
pub struct StateConfig {
    pub library: CaseLibrary,
    pub settings: Settings,
    /// Where autosaved recovery files live.
    pub recovery_dir: PathBuf,
    /// The progress history file.
    pub progress_path: PathBuf,
    /// Called from background work that has news (a repaint in the GUI).
    pub waker: Waker,
    /// Remote mock interviews never use relays in this run, whatever the
    /// setting says.
    pub no_relay: bool,
}

/// The page on screen. Its view state (scroll, selection, drafts) lives in
/// the front end; this is what the page shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Screen {
    Home,
    Practice,
    /// Scores across sessions, as read when the page opened.
    Progress {
        entries: Vec<ProgressEntry>,
        /// Why the history could not be read, if it could not.
        notice: Option<String>,
    },
    /// The interviewer's view of a mock joined from another computer.
    Interviewing,
}

/// The session being worked on and where it is saved.
pub struct OpenSession {
    pub session: Session,
    pub path: Option<PathBuf>,
    /// Changed since the last save.
    pub dirty: bool,
}

/// What is shown on top of the page.
#[derive(Debug)]
pub enum Modal {
    /// Unsaved work would be lost by `then`.
    UnsavedChanges {
        then: Command,
    },
    /// Autosaved sessions from an app that did not exit cleanly.
    Recovery(Vec<FoundRecovery>),
    Message {
        title: String,
        body: String,
    },
    Shortcuts,
    /// The command palette: every command, searched by name.
    Palette,
    /// The version, licence and documentation.
    About,
}

/// The mock interview start dialog's choices.
#[derive(Debug, Clone, PartialEq)]
pub struct MockSetup {
    pub case_id: String,
    pub config: MockConfig,
    /// The interviewer joins from another computer.
    pub remote: bool,
}

/// The app without a window.
pub struct AppState {
    library: CaseLibrary,
    settings: Settings,
    screen: Screen,
    open: Option<OpenSession>,
    recovery: RecoveryStore,
    progress: ProgressStore,
    modal: Option<Modal>,
    /// What to do once the current save succeeds ("save, then open...").
    after_save: Option<Command>,
    /// The user confirmed closing the window.
    close_confirmed: bool,
    status: Option<String>,
    /// A file dialog is waiting for the user.
    choosing_file: bool,
    step_clock: StepClock,
    last_autosave: f64,
    /// Undo history and revision of each diagram of the open session.
    undo: HashMap<String, UndoStack>,
    revisions: HashMap<String, u64>,
    sims: SimJobs,
    /// The design review and answer coverage of the open session, kept
    /// current as it changes.
    review: Option<SessionReview>,
    /// The case study's reference design, when one ships.
    reference: Option<Session>,
    mock_setup: Option<MockSetup>,
    interviewer_window: bool,
    /// The back-of-envelope estimator is on screen.
    estimator_open: bool,
    replay_open: bool,
    /// The candidate's mock, shared with an interviewer on another computer.
    sharing: Option<Sharing>,
    /// A mock joined as the interviewer from this computer.
    joined: Option<Joined>,
    join_dialog: Option<JoinDialog>,
    waker: Waker,
    no_relay: bool,
    /// Commands waiting to be applied: follow-ups are queued, never applied
    /// by re-entering `apply`.
    queue: VecDeque<Command>,
    effects: Vec<Effect>,
    now: f64,
}

impl AppState {
    /// The state with no session open, offering any work a crashed run left.
    pub fn new(config: StateConfig) -> AppState {
        let mut state = AppState {
            library: config.library,
            settings: config.settings,
            screen: Screen::Home,
            open: None,
            recovery: RecoveryStore::new(&config.recovery_dir),
            progress: ProgressStore::new(config.progress_path),
            modal: None,
            after_save: None,
            close_confirmed: false,
            status: None,
            choosing_file: false,
            step_clock: StepClock::default(),
            last_autosave: 0.0,
            undo: HashMap::new(),
            revisions: HashMap::new(),
            sims: SimJobs::new(config.waker.clone()),
            review: None,
            reference: None,
            mock_setup: None,
            interviewer_window: false,
            estimator_open: false,
            replay_open: false,
            sharing: None,
            joined: None,
            join_dialog: None,
            waker: config.waker,
            no_relay: config.no_relay,
            queue: VecDeque::new(),
            effects: Vec::new(),
            now: 0.0,
        };
        let (found, errors) = state.recovery.find_orphans();
        if let Some(e) = errors.first() {
            state.status = Some(format!(
                "An autosave could not be read and was set aside: {e}"
            ));
        }
        if !found.is_empty() {
            state.modal = Some(Modal::Recovery(found));
        }
        state
    }

    pub fn library(&self) -> &CaseLibrary {
        &self.library
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn open_session(&self) -> Option<&OpenSession> {
        self.open.as_ref()
    }

    /// The open session's case study.
    pub fn open_study(&self) -> Option<&CaseStudy> {
        self.library.get(&self.open.as_ref()?.session.case_study)
    }

    pub fn modal(&self) -> Option<&Modal> {
        self.modal.as_ref()
    }

    /// The last status-bar message.
    pub fn status(&self) -> Option<&str> {
        self.status.as_deref()
    }

    pub fn choosing_file(&self) -> bool {
        self.choosing_file
    }

    pub fn mock_setup(&self) -> Option<&MockSetup> {
        self.mock_setup.as_ref()
    }

    /// The interviewer's window is wanted on screen.
    pub fn interviewer_window(&self) -> bool {
        self.interviewer_window
    }

    pub fn sims(&self) -> &SimJobs {
        &self.sims
    }

    /// The back-of-envelope estimator is on screen.
    /// The replay is on the practice page.
    pub fn replay_open(&self) -> bool {
        self.replay_open && self.open.is_some()
    }

    pub fn estimator_open(&self) -> bool {
        self.estimator_open && self.open.is_some()
    }

    /// The open session's estimate inputs: the candidate's, or the case
    /// study's own figures until they edit them.
    pub fn estimate_inputs(&self) -> Option<EstimateInputs> {
        let open = self.open.as_ref()?;
        open.session
            .estimate
            .clone()
            .or_else(|| self.open_study().map(EstimateInputs::from_case))
    }

    /// The reference design of the open session's case study, if one ships.
    pub fn reference(&self) -> Option<&Session> {
        self.reference.as_ref()
    }

    /// The open session's design review and answer coverage.
    pub fn review(&self) -> Option<&SessionReview> {
        self.review.as_ref()
    }

    /// Reviews the open session again: its diagrams against the case's
    /// scenario (with the serving diagram's simulation when it ran on the
    /// current revision) and its answers against the checklists.
    fn refresh_review(&mut self) {
        let revision = self.revisions.get(SERVING_DIAGRAM).copied().unwrap_or(0);
        let sim = self
            .sims
            .get(SERVING_DIAGRAM)
            .and_then(|s| s.result())
            .filter(|r| r.revision == revision)
            .map(|r| &r.report);
        self.review = match (&self.open, self.open_study()) {
            (Some(open), Some(study)) => Some(review_session(&open.session, study, sim)),
            _ => None,
        };
    }

    /// Whether the diagram called `name` can be undone and redone.
    pub fn undo_state(&self, name: &str) -> (bool, bool) {
        self.undo
            .get(name)
            .map_or((false, false), |u| (u.can_undo(), u.can_redo()))
    }

    /// Unsaved changes exist.
    pub fn dirty(&self) -> bool {
        self.open.as_ref().is_some_and(|o| o.dirty)
    }

    /// The user already agreed to close the window.
    pub fn close_confirmed(&self) -> bool {
        self.close_confirmed
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

    /// Applies `command` and every command it leads to, in order, at
    /// `now_secs` on the front end's monotonic clock. Returns what the front
    /// end must do.
    pub fn apply(&mut self, command: Command, now_secs: f64) -> Vec<Effect> {
        if now_secs.is_finite() {
            self.now = now_secs;
        }
        self.queue.push_back(command);
        while let Some(next) = self.queue.pop_front() {
            self.apply_one(next);
        }
        std::mem::take(&mut self.effects)
    }

    /// Unsaved work that the user chose to keep stays in the recovery file;
    /// otherwise the recovery file goes. Call it when the app exits; the
    /// error says which file could not be removed.
    pub fn on_exit(&self) -> Result<(), String> {
        if self.dirty() {
            return Ok(());
        }
        self.recovery.clear().map_err(|e| self.autosave_error(&e))
    }

    fn autosave_error(&self, e: &std::io::Error) -> String {
        match self.recovery.own_file() {
            Some(file) => format!("{}: {e}", file.display()),
            None => e.to_string(),
        }
    }

    /// Removes this run's autosave once the work is safe elsewhere.
    fn clear_autosave(&mut self) {
        if let Err(e) = self.recovery.clear() {
            self.status = Some(format!(
                "The autosave could not be removed: {}",
                self.autosave_error(&e)
            ));
        }
    }

    fn apply_one(&mut self, command: Command) {
        let guarded = matches!(
            command,
            Command::StartCase(_)
                | Command::OpenDialog
                | Command::OpenPath(_)
                | Command::Quit
                | Command::Mock(MockAction::Start { .. })
                | Command::Remote(RemoteAction::StartMock { .. } | RemoteAction::Join { .. })
        );
        if guarded && self.dirty() {
            self.modal = Some(Modal::UnsavedChanges { then: command });
            self.effects.push(Effect::Repaint);
            return;
        }
        if !matches!(command, Command::Tick { .. }) {
            // What the command changed is drawn on the next frame.
            self.effects.push(Effect::Repaint);
        }
        match command {
            Command::GoHome => self.show(Screen::Home),
            Command::ResumeOpen => {
                if self.joined.is_some() {
                    self.show(Screen::Interviewing);
                } else if self.open.is_some() {
                    self.show(Screen::Practice);
                }
            }
            Command::StartCase(id) => self.start_case(&id),
            Command::OpenDialog => self.choose_file(FilePurpose::Open),
            Command::OpenPath(path) => self.open_path(&path),
            Command::Save => match self.open.as_ref().map(|o| o.path.clone()) {
                Some(Some(path)) => self.save_to(&path),
                Some(None) => self.choose_file(FilePurpose::Save),
                None => {}
            },
            Command::SaveAs => {
                if self.open.is_some() {
                    self.choose_file(FilePurpose::Save);
                }
            }
            Command::SaveTo(path) => self.save_to(&path),
            Command::Quit => {
                self.close_confirmed = true;
                self.effects.push(Effect::Close);
            }
            Command::Edit(edit) => self.edit(edit),
            Command::SetTheme(theme) => {
                self.settings.theme = theme;
                self.effects.push(Effect::SetTheme(theme));
            }
            Command::ZoomUi(step) => {
                self.settings.ui_zoom = stepped_zoom(self.settings.ui_zoom, step);
                self.effects.push(Effect::SetUiZoom(self.settings.ui_zoom));
            }
            Command::Recover(file) => self.recover(&file),
            Command::DiscardRecovery(file) => match discard(&file) {
                Ok(()) => self.drop_recovery_offer(&file),
                Err(e) => self.show_error(
                    "Could not discard the autosave",
                    format!("{}: {e}", file.display()),
                ),
            },
            Command::ConfirmSave => {
                if let Some(Modal::UnsavedChanges { then }) = self.modal.take() {
                    self.after_save = Some(then);
                    self.queue.push_back(Command::Save);
                }
            }
            Command::ConfirmDiscard => {
                if let Some(Modal::UnsavedChanges { then }) = self.modal.take() {
                    if let Some(o) = &mut self.open {
                        o.dirty = false;
                    }
                    self.clear_autosave();
                    self.queue.push_back(then);
                }
            }
            Command::DismissModal => {
                self.modal = None;
                self.after_save = None;
            }
            Command::ToggleShortcuts => match self.modal {
                Some(Modal::Shortcuts) => self.modal = None,
                None => self.modal = Some(Modal::Shortcuts),
                Some(_) => {}
            },
            Command::TogglePalette => match self.modal {
                Some(Modal::Palette) => self.modal = None,
                None => self.modal = Some(Modal::Palette),
                Some(_) => {}
            },
            Command::ShowAbout => {
                if self.modal.is_none() {
                    self.modal = Some(Modal::About);
                }
            }
            Command::SetReplay(open) => self.replay_open = open,
            Command::ExportReplayFrames { diagram } => {
                self.choose_file(FilePurpose::ReplayFrames { diagram });
            }
            Command::Diagram { name, action } => self.diagram_action(&name, action),
            Command::Sim { diagram, action } => self.sim_action(&diagram, action),
            Command::Estimate(action) => self.estimate_action(action),
            Command::CopyReference(diagram) => self.copy_reference(&diagram),
            Command::SetUpMock(case_id) => {
                self.mock_setup = Some(MockSetup {
                    case_id,
                    config: MockConfig::new(45, MockMode::Solo),
                    remote: false,
                });
            }
            Command::EditMockSetup(config) => {
                if let Some(setup) = &mut self.mock_setup {
                    setup.config = config;
                }
            }
            Command::CancelMockSetup => self.mock_setup = None,
            Command::Mock(action) => self.mock_action(action),
            Command::Remote(action) => self.remote_action(action),
            Command::ShowProgress => self.show_progress(),
            Command::ExportReport(format) => {
                if self.open.is_some() {
                    self.choose_file(FilePurpose::Report(format));
                }
            }
            Command::ImportDialog => {
                if self.open.is_some() {
                    self.choose_file(FilePurpose::Import);
                }
            }
            Command::FileChosen { purpose, path } => self.file_chosen(purpose, path),
            Command::Tick { focused } => self.tick(focused),
        }
    }

    fn show(&mut self, screen: Screen) {
        if screen != Screen::Practice {
            // A page that is not on screen runs nothing.
            self.sims.cancel_all();
        }
        self.screen = screen;
        self.effects.push(Effect::PageChanged);
    }

    /// Makes `session` the open one, with fresh undo, clocks and simulations.
    fn set_open(&mut self, session: Session, path: Option<PathBuf>, dirty: bool) {
        // A link follows one session: another one ends it.
        self.stop_sharing("the candidate opened another session");
        self.leave_joined();
        self.undo.clear();
        self.revisions.clear();
        self.sims.clear();
        self.step_clock = StepClock::default();
        self.reference = self
            .library
            .get(&session.case_study)
            .and_then(|study| reference_session(study, None).ok());
        self.open = Some(OpenSession {
            session,
            path,
            dirty,
        });
        self.refresh_review();
        self.show(Screen::Practice);
    }

    fn start_case(&mut self, id: &str) {
        let Some(study) = self.library.get(id) else {
            self.show_error(
                "Unknown case study",
                format!("No case study has the id \"{id}\"."),
            );
            return;
        };
        let (session, title) = (Session::new(study), study.title.clone());
        self.set_open(session, None, false);
        self.status = Some(format!("New session: {title}"));
    }

    fn choose_file(&mut self, purpose: FilePurpose) {
        if self.choosing_file {
            return;
        }
        let case = self
            .open
            .as_ref()
            .map(|o| o.session.case_study.clone())
            .unwrap_or_else(|| "session".to_owned());
        let suggested_name = match &purpose {
            FilePurpose::Open | FilePurpose::Save => format!("{case}.mlsd"),
            FilePurpose::Import => String::new(),
            FilePurpose::Report(format) => format!("{case}-report.{}", format.extension()),
            FilePurpose::ReplayFrames { diagram } => {
                format!("{case}-{}-replay.svg", slug(diagram))
            }
            FilePurpose::Export { diagram, format } => {
                format!("{case}-{}.{}", slug(diagram), format.extension())
            }
        };
        let start_dir = self
            .open
            .as_ref()
            .and_then(|o| o.path.as_deref())
            .or(self.settings.recent.first().map(PathBuf::as_path))
            .and_then(Path::parent)
            .map(Path::to_path_buf);
        self.choosing_file = true;
        self.effects.push(Effect::ChooseFile {
            purpose,
            suggested_name,
            start_dir,
        });
    }

    fn file_chosen(&mut self, purpose: FilePurpose, path: Option<PathBuf>) {
        self.choosing_file = false;
        let Some(path) = path else {
            self.after_save = None;
            return;
        };
        match purpose {
            FilePurpose::Open => self.queue.push_back(Command::OpenPath(path)),
            FilePurpose::Save => self.queue.push_back(Command::SaveTo(path)),
            FilePurpose::Export { diagram, format } => self.export_to(&diagram, format, &path),
            FilePurpose::Report(format) => self.write_report(format, &path),
            FilePurpose::Import => self.import_file(&path),
            FilePurpose::ReplayFrames { diagram } => self.write_replay_frames(&diagram, &path),
        }
    }

    fn open_path(&mut self, path: &Path) {
        let loaded = load_session(path)
            .and_then(|s| check_against_library(&s, &self.library, path).map(|()| s));
        match loaded {
            Ok(session) => {
                self.set_open(session, Some(path.to_path_buf()), false);
                self.settings.remember(path);
                self.status = Some(format!("Opened {}", path.display()));
            }
            Err(e) => self.show_error("Could not open the session", e.to_string()),
        }
    }

    fn save_to(&mut self, path: &Path) {
        let Some(open) = &mut self.open else {
            return;
        };
        match save_session(path, &open.session) {
            Ok(()) => {
                open.path = Some(path.to_path_buf());
                open.dirty = false;
                self.settings.remember(path);
                self.status = Some(format!("Saved {}", path.display()));
                self.clear_autosave();
                if let Some(next) = self.after_save.take() {
                    self.queue.push_back(next);
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
        let Some(study) = self.library.get(&open.session.case_study) else {
            return;
        };
        // Moving between steps is navigation, not a change worth a prompt.
        let is_navigation = matches!(edit, SessionEdit::GoToStep(_));
        let marked_done = match edit {
            SessionEdit::SetDone { step, done: true } | SessionEdit::CompleteStep { step } => {
                Some(Step::clamped(step))
            }
            _ => None,
        };
        let changed = open.session.apply(study, edit, self.now);
        if changed && !is_navigation {
            open.dirty = true;
        }
        // Marking a step done is when the candidate wants to know what the
        // answer left out (not during a mock, which hides all coaching).
        if let Some(step) = marked_done
            && !open.session.coaching_hidden()
            && let Some(content) = study.steps.get(step.index())
        {
            let answer = &open.session.step(step.number()).answer;
            let coverage = step_coverage(answer, content);
            self.status = Some(format!(
                "Step {} done. Your answer appears to cover {} of {} checklist points; its checklist shows which.",
                step.number(),
                coverage.covered().count(),
                coverage.points.len()
            ));
        }
        if changed {
            self.refresh_review();
        }
    }

    fn diagram_action(&mut self, name: &str, action: DiagramAction) {
        let action = match action {
            DiagramAction::Export(format) => {
                let diagram = name.to_owned();
                self.choose_file(FilePurpose::Export { diagram, format });
                return;
            }
            DiagramAction::ImportText(text) => {
                self.import_text(name, &text, None, "The pasted text");
                return;
            }
            DiagramAction::Duplicate => {
                self.duplicate_diagram(name);
                return;
            }
            other => other,
        };
        let Some(open) = &mut self.open else { return };
        let before = history_before(&open.session, name);
        let Some(diagram) = open.session.diagram_mut(name) else {
            return;
        };
        let undo = self.undo.entry(name.to_owned()).or_default();
        let mut view = None;
        let changed = match action {
            DiagramAction::Edit(edit) => {
                let applied = undo.apply(diagram, edit);
                if !applied.nodes.is_empty() || applied.group.is_some() {
                    view = Some(ViewChange::Select {
                        nodes: applied.nodes.clone(),
                        groups: applied.group.into_iter().collect(),
                    });
                }
                applied.changed
            }
            DiagramAction::AddAndRename(edit) => {
                let applied = undo.apply(diagram, edit);
                if let Some(&node) = applied.nodes.first() {
                    let label = diagram
                        .node(node)
                        .map(|n| n.label.clone())
                        .unwrap_or_default();
                    view = Some(ViewChange::Rename { node, label });
                }
                applied.changed
            }
            DiagramAction::Undo => undo.undo(diagram),
            DiagramAction::Redo => undo.redo(diagram),
            DiagramAction::BeginInteraction => {
                undo.begin_interaction();
                false
            }
            DiagramAction::EndInteraction => {
                undo.end_interaction();
                false
            }
            DiagramAction::AutoLayout => {
                let positions = layered_positions(diagram);
                view = Some(ViewChange::Fit);
                undo.apply(diagram, DiagramEdit::SetPositions(positions))
                    .changed
            }
            DiagramAction::Export(_) | DiagramAction::ImportText(_) | DiagramAction::Duplicate => {
                false
            }
            DiagramAction::CopyMermaid => {
                self.effects
                    .push(Effect::CopyToClipboard(to_mermaid(diagram)));
                self.status = Some(format!("Copied \"{name}\" to the clipboard as Mermaid"));
                false
            }
        };
        if let Some(change) = view {
            self.effects.push(Effect::DiagramView {
                diagram: name.to_owned(),
                change,
            });
        }
        if changed {
            open.dirty = true;
            open.session.record_diagram(name, before);
            *self.revisions.entry(name.to_owned()).or_default() += 1;
            self.refresh_sim(name, false);
            self.refresh_review();
        }
    }

    /// Adds a copy of diagram `name` as "`name` v2" (v3, … when taken). The
    /// copy keeps the node ids, so a comparison lines the two up node for
    /// node.
    fn duplicate_diagram(&mut self, name: &str) {
        let Some(open) = &mut self.open else { return };
        let Some(diagram) = open.session.diagram(name).cloned() else {
            return;
        };
        let taken = |n: &str| open.session.diagram(n).is_some();
        let Some(copy) = (2..).map(|v| format!("{name} v{v}")).find(|n| !taken(n)) else {
            return;
        };
        open.session.diagrams.push(SessionDiagram {
            name: copy.clone(),
            diagram,
        });
        open.session.record_diagram(&copy, None);
        open.dirty = true;
        *self.revisions.entry(copy.clone()).or_default() += 1;
        self.refresh_review();
        self.status = Some(format!("Duplicated \"{name}\" as \"{copy}\"."));
    }

    /// Copies the reference's diagram `name` into the session as
    /// "`name` (reference)", as one edit that undo takes back.
    fn copy_reference(&mut self, name: &str) {
        let Some(reference) = self
            .reference
            .as_ref()
            .and_then(|r| r.diagram(name))
            .cloned()
        else {
            self.status = Some(format!(
                "This case study has no reference \"{name}\" diagram."
            ));
            return;
        };
        let Some(open) = &mut self.open else { return };
        let target = format!("{name} (reference)");
        let before = history_before(&open.session, &target);
        if open.session.diagram(&target).is_none() {
            open.session.diagrams.push(SessionDiagram {
                name: target.clone(),
                diagram: Diagram::default(),
            });
        }
        let Some(diagram) = open.session.diagram_mut(&target) else {
            return;
        };
        let fragment = Fragment {
            nodes: reference.nodes,
            edges: reference.edges,
        };
        let undo = self.undo.entry(target.clone()).or_default();
        let offset = Vector::new(0.0, 0.0);
        if undo
            .apply(diagram, DiagramEdit::Paste { fragment, offset })
            .changed
        {
            open.dirty = true;
            open.session.record_diagram(&target, before);
            *self.revisions.entry(target.clone()).or_default() += 1;
            self.refresh_review();
            self.status = Some(format!(
                "Copied the reference into \"{target}\"; undo there takes it back."
            ));
            self.effects.push(Effect::DiagramView {
                diagram: target,
                change: ViewChange::Fit,
            });
        }
    }

    /// Imports a Mermaid or DOT file into the session's diagram named after
    /// the file (made if missing), and shows that diagram.
    fn import_file(&mut self, path: &Path) {
        let source = path.display().to_string();
        let text = match read_text(path, MAX_IMPORT_BYTES as u64) {
            Ok(text) => text,
            Err(e) => {
                self.show_error("Could not import the diagram", format!("{source}: {e}"));
                return;
            }
        };
        let name = path
            .file_stem()
            .map(|s| s.to_string_lossy().trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "Imported".to_owned());
        let Some(open) = &mut self.open else { return };
        let created = open.session.diagram(&name).is_none();
        if created {
            open.session.diagrams.push(SessionDiagram {
                name: name.clone(),
                diagram: Diagram::default(),
            });
        }
        if self.import_text(&name, &text, ImportFormat::from_path(path), &source) {
            self.effects.push(Effect::DiagramView {
                diagram: name,
                change: ViewChange::Show,
            });
        } else if created && let Some(open) = &mut self.open {
            // Nothing came in: the diagram made for it goes again.
            open.session.diagrams.retain(|d| d.name != name);
        }
    }

    /// Reads `text` (Mermaid or DOT, as `format` says or as it looks) and
    /// adds it to the diagram `name` below what is there, as one undoable
    /// edit. On any error nothing changes and the error is shown with
    /// `source` and its line; lines left out are listed. True when it came in.
    fn import_text(
        &mut self,
        name: &str,
        text: &str,
        format: Option<ImportFormat>,
        source: &str,
    ) -> bool {
        let imported = match format {
            Some(format) => import(text, format),
            None => import_detected(text),
        };
        let imported = match imported {
            Ok(imported) => imported,
            Err(e) => {
                self.show_error("Could not import the diagram", format!("{source}: {e}"));
                return false;
            }
        };
        let Some(open) = &mut self.open else {
            return false;
        };
        let before = history_before(&open.session, name);
        let Some(diagram) = open.session.diagram_mut(name) else {
            return false;
        };
        let (nodes, edges) = (imported.diagram.nodes.len(), imported.diagram.edges.len());
        let edit = merge_edit(diagram, imported.diagram);
        let applied = self
            .undo
            .entry(name.to_owned())
            .or_default()
            .apply(diagram, edit);
        if !applied.changed {
            self.show_error(
                "Could not import the diagram",
                format!("{source}: \"{name}\" would pass the size limits of a diagram"),
            );
            return false;
        }
        open.dirty = true;
        open.session.record_diagram(name, before);
        *self.revisions.entry(name.to_owned()).or_default() += 1;
        self.refresh_sim(name, false);
        self.refresh_review();
        self.status = Some(format!(
            "Imported {nodes} nodes and {edges} edges into \"{name}\" from a {}; undo takes them back.",
            imported.format.label()
        ));
        for change in [
            ViewChange::Select {
                nodes: applied.nodes,
                groups: Vec::new(),
            },
            ViewChange::Fit,
        ] {
            self.effects.push(Effect::DiagramView {
                diagram: name.to_owned(),
                change,
            });
        }
        if !imported.warnings.is_empty() {
            let shown: Vec<String> = imported
                .warnings
                .iter()
                .take(MAX_WARNINGS_SHOWN)
                .map(|w| format!("{source}, {w}"))
                .collect();
            let more = imported.warnings.len().saturating_sub(MAX_WARNINGS_SHOWN);
            let left_out = match imported.warnings.len() {
                1 => "1 line was left out".to_owned(),
                n => format!("{n} lines were left out"),
            };
            let mut body = format!("The diagram came in; {left_out}:\n\n{}", shown.join("\n"));
            if more > 0 {
                body.push_str(&format!("\n… and {more} more"));
            }
            self.modal = Some(Modal::Message {
                title: "Imported, with lines left out".into(),
                body,
            });
        }
        true
    }

    fn sim_action(&mut self, name: &str, action: SimAction) {
        let Some(scenario) = self.open_study().map(|s| s.scenario) else {
            return;
        };
        let sim = self.sims.entry(name, &scenario);
        let force = match action {
            SimAction::SetOpen(open) => {
                sim.open = open;
                if !open {
                    self.sims.cancel(name);
                    return;
                }
                false
            }
            SimAction::SetInputs(inputs) => {
                sim.inputs = inputs;
                false
            }
            SimAction::Run => true,
            SimAction::Cancel => {
                self.sims.cancel(name);
                return;
            }
            SimAction::SetTimelineOpen(open) => {
                sim.timeline.open = open;
                if !open {
                    sim.timeline.cancel();
                    sim.timeline.scrub_s = None;
                }
                false
            }
            SimAction::Scrub(t) => {
                sim.timeline.scrub_s = t;
                return;
            }
            SimAction::RightSize {
                zone_loss,
                choose_hardware,
            } => {
                self.right_size(name, zone_loss, choose_hardware);
                return;
            }
            SimAction::ApplyRightSize => {
                let outcome = sim.right_size.take();
                self.apply_right_size(name, outcome);
                return;
            }
            SimAction::DismissRightSize => {
                sim.right_size = None;
                return;
            }
            SimAction::Compare { with } => {
                self.compare(name, &with);
                return;
            }
            SimAction::DismissCompare => {
                sim.compare = None;
                sim.compare_job = None;
                return;
            }
            SimAction::RunTimeline => {
                let revision = self.revisions.get(name).copied().unwrap_or(0);
                let diagram = self.open.as_ref().and_then(|o| o.session.diagram(name));
                if let Some(diagram) = diagram {
                    self.sims.run_timeline(name, diagram, revision);
                }
                return;
            }
        };
        self.refresh_sim(name, force);
    }

    fn estimate_action(&mut self, action: EstimateAction) {
        match action {
            EstimateAction::SetOpen(open) => self.estimator_open = open,
            EstimateAction::SetInputs(inputs) => {
                if let Some(open) = &mut self.open
                    && open.session.estimate.as_ref() != Some(&inputs)
                {
                    open.session.estimate = Some(inputs);
                    open.dirty = true;
                }
            }
            EstimateAction::Reset => {
                if let Some(open) = &mut self.open
                    && open.session.estimate.take().is_some()
                {
                    open.dirty = true;
                }
            }
            EstimateAction::UseAsTraffic { diagram } => {
                let Some(inputs) = self.estimate_inputs() else {
                    return;
                };
                match crate::estimate::estimate(&inputs) {
                    Ok(estimate) => {
                        let peak = estimate.value("peak_qps");
                        let Some(scenario) = self.open_study().map(|s| s.scenario) else {
                            return;
                        };
                        let sim = self.sims.entry(&diagram, &scenario);
                        sim.inputs.qps = peak;
                        sim.open = true;
                        self.status = Some(format!(
                            "The simulator of \"{diagram}\" now runs at the estimate's peak, {}",
                            crate::estimate::Unit::RequestsPerSecond.show(peak)
                        ));
                        self.refresh_sim(&diagram, false);
                    }
                    Err(e) => self.show_error("Cannot use the estimate", e.to_string()),
                }
            }
        }
    }

    /// Starts searching the cheapest replica counts (and hardware, if
    /// allowed) for the diagram `name` at the simulator's load and SLA, in
    /// the background; the answer waits in its simulation for the user to
    /// apply or dismiss. The search stops within its budget.
    fn right_size(&mut self, name: &str, zone_loss: bool, choose_hardware: bool) {
        let Some(scenario) = self.open_study().map(|s| s.scenario) else {
            return;
        };
        let Some(diagram) = self.open.as_ref().and_then(|o| o.session.diagram(name)) else {
            return;
        };
        let revision = self.revisions.get(name).copied().unwrap_or(0);
        self.sims.entry(name, &scenario);
        let request = RightSizeRequest {
            zone_loss,
            choose_hardware,
            time_budget: RIGHT_SIZE_BUDGET,
        };
        self.sims.start_right_size(name, diagram, revision, request);
    }

    /// Starts comparing the diagram `name` with the diagram `with` in the
    /// background, both at `name`'s simulator inputs.
    fn compare(&mut self, name: &str, with: &str) {
        let Some(session) = self.open.as_ref().map(|o| &o.session) else {
            return;
        };
        let (Some(a), Some(b)) = (session.diagram(name), session.diagram(with)) else {
            self.show_error(
                "Cannot compare",
                format!("The session has no diagram called \"{with}\"."),
            );
            return;
        };
        self.sims.start_compare((name, a), (with, b));
    }

    /// Gives the nodes their right-sized replica counts as one undo step,
    /// if the diagram has not changed since the search.
    fn apply_right_size(&mut self, name: &str, outcome: Option<RightSizeOutcome>) {
        let Some(RightSizeOutcome {
            revision,
            result: Ok(found),
        }) = outcome
        else {
            return;
        };
        if self.revisions.get(name).copied().unwrap_or(0) != revision {
            self.status = Some(format!(
                "\"{name}\" changed since it was right-sized; right-size it again"
            ));
            return;
        }
        let Some(diagram) = self.open.as_ref().and_then(|o| o.session.diagram(name)) else {
            return;
        };
        let edits = crate::sim::right_size::right_size_edits(diagram, &found.nodes, &found.result);
        let changed = edits.len();
        let diagram_command = |action| Command::Diagram {
            name: name.to_owned(),
            action,
        };
        self.queue
            .push_back(diagram_command(DiagramAction::BeginInteraction));
        for edit in edits {
            self.queue
                .push_back(diagram_command(DiagramAction::Edit(edit)));
        }
        self.queue
            .push_back(diagram_command(DiagramAction::EndInteraction));
        self.status = Some(format!(
            "Right-sized \"{name}\": {changed} nodes changed, {} → {} per month",
            crate::format::usd(found.result.cost_before_usd_per_month),
            crate::format::usd(found.result.cost_after_usd_per_month)
        ));
    }

    /// Starts a simulation of `name` when it is live and out of date.
    fn refresh_sim(&mut self, name: &str, force: bool) {
        let reference = name
            .strip_prefix(REFERENCE_PREFIX)
            .and_then(|d| self.reference.as_ref()?.diagram(d));
        let Some(diagram) = reference.or_else(|| self.open.as_ref()?.session.diagram(name)) else {
            return;
        };
        let revision = self.revisions.get(name).copied().unwrap_or(0);
        self.sims.refresh(name, diagram, revision, self.now, force);
    }

    fn export_to(&mut self, name: &str, format: ExportFormat, path: &Path) {
        let Some(open) = &self.open else { return };
        let Some(diagram) = open.session.diagram(name) else {
            return;
        };
        let result = export(diagram, format)
            .and_then(|bytes| write_export(path, &bytes, open.path.as_deref()));
        match result {
            Ok(()) => self.status = Some(format!("Exported \"{name}\" to {}", path.display())),
            Err(e) => self.show_error("Could not export the diagram", e.to_string()),
        }
    }

    /// Writes every state the history holds of diagram `name` as an SVG
    /// frame: `path` with `-001-12m05s` (the frame and its session time)
    /// before its extension, and so on.
    fn write_replay_frames(&mut self, name: &str, path: &Path) {
        let Some(open) = &self.open else { return };
        let frames = open.session.history.frames_of(name);
        if frames.is_empty() {
            let why = format!("The session's history holds no drawing of \"{name}\" yet.");
            self.show_error("Nothing to export", why);
            return;
        }
        let stem = path
            .file_stem()
            .map_or_else(|| "replay".to_owned(), |s| s.to_string_lossy().into_owned());
        let mut written = 0;
        for (i, (at_secs, diagram)) in frames.iter().enumerate() {
            let secs = at_secs.max(0.0).round() as u64;
            let file = format!("{stem}-{:03}-{:02}m{:02}s.svg", i + 1, secs / 60, secs % 60);
            let result = export(diagram, ExportFormat::Svg).and_then(|bytes| {
                write_export(&path.with_file_name(file), &bytes, open.path.as_deref())
            });
            if let Err(e) = result {
                self.show_error("Could not export the replay", e.to_string());
                return;
            }
            written += 1;
        }
        let folder = path
            .parent()
            .map_or_else(String::new, |p| p.display().to_string());
        self.status = Some(format!(
            "Wrote {written} frames of \"{name}\" as {stem}-NNN-…svg in {folder}"
        ));
    }

    fn mock_action(&mut self, action: MockAction) {
        if self.forward_to_candidate(&action) {
            return;
        }
        let now = self.now;
        if let MockAction::Start { case_id, config } = action {
            self.mock_setup = None;
            self.start_case(&case_id);
            if let Some(open) = &mut self.open {
                let mut mock = MockState::new(config);
                mock.start(now);
                mock.started_unix_secs = Some(now_unix_secs());
                self.interviewer_window = mock.config.mode == MockMode::WithInterviewer;
                open.session.mock = Some(mock);
                open.dirty = true;
            }
            return;
        }
        match action {
            MockAction::ShowInterviewerWindow(show) => {
                self.interviewer_window = show;
                return;
            }
            MockAction::RecordInProgress => {
                self.record_progress();
                return;
            }
            _ => {}
        }
        let Some(open) = &mut self.open else { return };
        let Some(study) = self.library.get(&open.session.case_study) else {
            return;
        };
        if open.session.mock.is_none() {
            return;
        }
        let result = match action {
            MockAction::NextStep => {
                let step = open.session.current_step;
                open.session
                    .apply(study, SessionEdit::CompleteStep { step }, now);
                Ok(())
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
                    MockAction::SetScore { step, id, score } => mock.set_score(step, &id, score),
                    MockAction::ToggleFollowUp { step, index } => {
                        mock.toggle_follow_up(study, step, index).map(|_| ())
                    }
                    MockAction::AddNote(text) => mock.add_note(&text, now).map(|_| ()),
                    MockAction::SetSignal { competency, value } => {
                        mock.set_signal(competency, value)
                    }
                    MockAction::Start { .. }
                    | MockAction::NextStep
                    | MockAction::ShowInterviewerWindow(_)
                    | MockAction::RecordInProgress => Ok(()),
                }
            }
        };
        match result {
            Ok(()) => open.dirty = true,
            Err(e) => self.status = Some(e.to_string()),
        }
        let ended_with_interviewer = open
            .session
            .mock
            .as_ref()
            .is_some_and(|m| m.is_finished() && m.config.mode == MockMode::WithInterviewer);
        if ended_with_interviewer && self.interviewer_window {
            // The interviewer's scores go to the history when the interview ends.
            self.interviewer_window = false;
            self.record_progress();
        }
    }

    /// Adds the finished mock of the open session to the progress history.
    fn record_progress(&mut self) {
        let Some(open) = &self.open else { return };
        let (Some(study), Some(mock)) = (
            self.library.get(&open.session.case_study),
            open.session.mock.as_ref(),
        ) else {
            return;
        };
        let entry = ProgressEntry::from_mock(&open.session, study, mock, now_unix_secs());
        self.status = Some(match self.progress.append(entry) {
            Ok(None) => "Recorded in your progress history.".to_owned(),
            Ok(Some(corrupt)) => format!(
                "Recorded. The old history file could not be read and was kept aside: {corrupt}"
            ),
            Err(e) => format!("Could not record the interview: {e}"),
        });
    }

    fn show_progress(&mut self) {
        let (entries, notice) = match self.progress.load() {
            Ok(entries) => (entries, None),
            Err(e) => (Vec::new(), Some(e.to_string())),
        };
        self.show(Screen::Progress { entries, notice });
    }

    fn write_report(&mut self, format: crate::export::ReportFormat, path: &Path) {
        let Some(open) = &self.open else { return };
        let Some(study) = self.library.get(&open.session.case_study) else {
            return;
        };
        // The simulator's newest result goes in when the user ran it.
        let text = report(&open.session, study, self.sims.latest_report(), format);
        match write_export(path, text.as_bytes(), open.path.as_deref()) {
            Ok(()) => self.status = Some(format!("Report written to {}", path.display())),
            Err(e) => self.show_error("Could not write the report", e.to_string()),
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
        // Write our own autosave before the old one goes, so the work is
        // never only in memory.
        if let Err(e) = self
            .recovery
            .write(recovery.original_path.as_deref(), &recovery.session)
        {
            self.show_error(
                "Could not recover the session",
                format!(
                    "The autosave {} was kept, because a new one could not be written: {e}",
                    file.display()
                ),
            );
            return;
        }
        self.set_open(recovery.session, recovery.original_path, true);
        self.modal = None;
        self.status = Some(match discard(file) {
            Ok(()) => "Recovered unsaved work. Save it to keep it.".into(),
            Err(e) => format!(
                "Recovered unsaved work. Save it to keep it. The old autosave {} could not be removed: {e}",
                file.display()
            ),
        });
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

    /// Counts time on the current step while the page is in view, runs the
    /// mock's clock, picks up simulation results and autosaves unsaved work.
    fn tick(&mut self, focused: bool) {
        self.tick_links();
        let now = self.now;
        if self.sims.poll() {
            self.refresh_review();
            self.effects.push(Effect::Repaint);
        }
        if self.sims.any_running() {
            self.effects.push(Effect::RepaintAfter(SIM_REPAINT));
        }
        let on_practice = self.screen == Screen::Practice;
        let counting = on_practice && focused && self.modal.is_none();
        let step_secs = self.step_clock.tick(now, counting);
        let Some(open) = &mut self.open else { return };
        if let Some(mock) = open.session.mock.as_mut()
            && mock.is_running()
        {
            mock.tick(now);
            self.effects.push(Effect::RepaintAfter(CLOCK_REPAINT));
        }
        if counting {
            open.session.add_time(step_secs);
            // Keep the step clock moving on screen.
            self.effects.push(Effect::RepaintAfter(CLOCK_REPAINT));
        }
        if open.dirty {
            if now - self.last_autosave >= AUTOSAVE_SECS {
                self.last_autosave = now;
                if let Err(e) = self.recovery.write(open.path.as_deref(), &open.session) {
                    self.status = Some(format!("Autosave failed: {e}"));
                }
            }
            self.effects
                .push(Effect::RepaintAfter(Duration::from_secs_f64(AUTOSAVE_SECS)));
        }
    }
}

/// Diagram `name` as it is before an edit, for the history, when the
/// history has not seen it yet (it then needs the state the edit changes).
fn history_before(session: &Session, name: &str) -> Option<Diagram> {
    if session.history_knows_diagram(name) {
        return None;
    }
    session.diagram(name).cloned()
}

/// `name` as a file-name part: lower-case letters and digits, dashes
/// between.
fn slug(name: &str) -> String {
    let dashed: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    dashed.trim_matches('-').to_owned()
}
