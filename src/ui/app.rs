//! The window shell: draws the app state, collects the commands the drawing
//! sends, hands them to [`AppState::apply`] after the frame, and carries out
//! the effects that need egui (repaint, dialogs, clipboard, close).

use std::path::PathBuf;
use std::sync::Arc;

use eframe::egui;
use egui_commonmark::CommonMarkCache;

use super::actions::shortcuts_input;
use super::canvas::{DiagramMode, FOCUS_CANVAS, Selection, UndoState, key_events};
use super::file_dialog::{DialogPoll, FileDialogs, PendingDialog};
use super::home::{HomeState, home_ui};
use super::menu::{menu_bar_ui, status_bar_ui};
use super::mock::{RubricView, mock_setup_ui, rubric_panel_ui};
use super::modals::modal_ui;
use super::palette::PaletteState;
use super::practice::{PracticeInput, PracticeState, practice_ui};
use super::progress_page::progress_page_ui;
use super::remote::{
    InterviewingInput, InterviewingState, JoinDraft, Relays, interviewing_ui, invitation_window_ui,
    join_dialog_ui,
};
use super::style;
use super::theme::apply_theme;
use crate::app::{
    AppState, Command, Commands, Effect, MockAction, Modal, OpenSession, Screen, StateConfig,
    ViewChange,
};
use crate::content::CaseLibrary;
use crate::settings::{Settings, sane_zoom};

pub use crate::app::AUTOSAVE_SECS;

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
    pub progress_path: PathBuf,
    /// When set, print the time from this instant to the end of the first
    /// frame, then close: a start-up benchmark.
    pub exit_after_first_frame: Option<std::time::Instant>,
    /// Where the documentation installed with the app lives, for the
    /// About dialog's links (`None`: none was installed).
    pub docs_dir: Option<PathBuf>,
    /// Remote mock interviews never use relays in this run.
    pub no_relay: bool,
}

/// The page on screen, with its own view state.
pub enum Page {
    Home(HomeState),
    Practice(Box<PracticeState>),
    Progress,
    /// The interviewer's view of a mock joined from another computer.
    Interviewing(Box<InterviewingState>),
}

impl Page {
    /// A fresh view of `screen`.
    fn for_screen(screen: &Screen) -> Page {
        match screen {
            Screen::Home => Page::Home(HomeState::default()),
            Screen::Practice => Page::Practice(Box::default()),
            Screen::Progress { .. } => Page::Progress,
            Screen::Interviewing => Page::Interviewing(Box::default()),
        }
    }
}

/// The mlsd-studio application window.
pub struct StudioApp {
    state: AppState,
    page: Page,
    dialogs: Box<dyn FileDialogs>,
    pending_dialog: Option<PendingDialog>,
    commands: Commands,
    markdown: CommonMarkCache,
    window_title: String,
    exit_after_first_frame: Option<std::time::Instant>,
    note_draft: String,
    palette: PaletteState,
    /// Key presses to make, a frame each (a canvas key run from the palette).
    pending_keys: std::collections::VecDeque<Vec<egui::Event>>,
    docs_dir: Option<PathBuf>,
    join_draft: JoinDraft,
}

impl StudioApp {
    /// Builds the app, restoring settings and offering any recovered work.
    pub fn new(cc: &eframe::CreationContext<'_>, config: AppConfig) -> StudioApp {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        style::install(&cc.egui_ctx);
        let ctx = cc.egui_ctx.clone();
        let theme = settings.theme;
        // The app steps the zoom itself, so that it is remembered.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        cc.egui_ctx.set_zoom_factor(sane_zoom(settings.ui_zoom));
        let state = AppState::new(StateConfig {
            library: config.library,
            settings,
            recovery_dir: config.recovery_dir,
            progress_path: config.progress_path,
            waker: Arc::new(move || ctx.request_repaint()),
            no_relay: config.no_relay,
        });
        let mut app = StudioApp {
            state,
            page: Page::Home(HomeState::default()),
            dialogs: config.dialogs,
            pending_dialog: None,
            commands: Commands::default(),
            markdown: CommonMarkCache::default(),
            window_title: String::new(),
            exit_after_first_frame: config.exit_after_first_frame,
            note_draft: String::new(),
            palette: PaletteState::default(),
            pending_keys: std::collections::VecDeque::new(),
            docs_dir: config.docs_dir,
            join_draft: JoinDraft::default(),
        };
        apply_theme(&cc.egui_ctx, theme);
        if let Some(path) = config.open_file {
            app.apply(&cc.egui_ctx, Command::OpenPath(path));
        }
        app
    }

    /// The app state behind the window.
    pub fn app_state(&self) -> &AppState {
        &self.state
    }

    /// The open session, if any.
    pub fn open_session(&self) -> Option<&OpenSession> {
        self.state.open_session()
    }

    /// The page on screen.
    pub fn page(&self) -> &Page {
        &self.page
    }

    /// The remembered preferences.
    pub fn settings(&self) -> &Settings {
        self.state.settings()
    }

    /// The last status-bar message.
    pub fn status(&self) -> Option<&str> {
        self.state.status()
    }

    /// The message or dialog on top, if any.
    pub fn modal(&self) -> Option<&Modal> {
        self.state.modal()
    }

    /// The window title: file name, unsaved marker, app name.
    pub fn title(&self) -> String {
        self.state.title()
    }

    /// Applies one command now and carries out its effects.
    fn apply(&mut self, ctx: &egui::Context, command: Command) {
        let now = ctx.input(|i| i.time);
        for effect in self.state.apply(command, now) {
            self.carry_out(ctx, effect);
        }
    }

    fn carry_out(&mut self, ctx: &egui::Context, effect: Effect) {
        match effect {
            Effect::Repaint => ctx.request_repaint(),
            Effect::RepaintAfter(after) => ctx.request_repaint_after(after),
            Effect::Close => ctx.send_viewport_cmd(egui::ViewportCommand::Close),
            Effect::CopyToClipboard(text) => ctx.copy_text(text),
            Effect::ChooseFile {
                purpose,
                suggested_name,
                start_dir,
            } => {
                let rx = self.dialogs.request(
                    ctx,
                    purpose.clone(),
                    &suggested_name,
                    start_dir.as_deref(),
                );
                self.pending_dialog = Some(PendingDialog::new(purpose, rx));
            }
            Effect::SetTheme(theme) => apply_theme(ctx, theme),
            Effect::SetUiZoom(zoom) => ctx.set_zoom_factor(zoom),
            Effect::PageChanged => self.page = Page::for_screen(self.state.screen()),
            Effect::DiagramView { diagram, change } => {
                let Page::Practice(p) = &mut self.page else {
                    return;
                };
                let editor = p.diagrams.editor(&diagram);
                match change {
                    ViewChange::Select { nodes, groups } => {
                        editor.selection = Selection {
                            nodes: nodes.into_iter().collect(),
                            groups: groups.into_iter().collect(),
                            ..Selection::default()
                        };
                    }
                    ViewChange::Rename { node, label } => {
                        editor.selection = Selection::only_node(node);
                        editor.renaming = Some((node, label));
                    }
                    ViewChange::Fit => editor.fit_requested = true,
                    ViewChange::Show => {
                        editor.fit_requested = true;
                        p.diagrams.name = diagram;
                        if p.diagrams.mode == DiagramMode::Hidden {
                            p.diagrams.mode = DiagramMode::SideBySide;
                        }
                    }
                }
            }
        }
    }

    fn poll_dialog(&mut self, ctx: &egui::Context) {
        let Some(pending) = &self.pending_dialog else {
            return;
        };
        let path = match pending.poll() {
            DialogPoll::Waiting => return,
            DialogPoll::Picked(path) => Some(path),
            DialogPoll::Cancelled => None,
        };
        let purpose = pending.purpose.clone();
        self.pending_dialog = None;
        self.commands.send(Command::FileChosen { purpose, path });
        ctx.request_repaint();
    }

    fn handle_close_request(&mut self, ctx: &egui::Context) {
        if ctx.input(|i| i.viewport().close_requested())
            && !self.state.close_confirmed()
            && self.state.dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            // Quit asks about the unsaved work first.
            self.commands.send(Command::Quit);
        }
    }

    /// The mock start dialog, and the interviewer's window while a mock
    /// with an interviewer runs.
    fn mock_windows_ui(&mut self, ctx: &egui::Context) {
        if let Some(setup) = self.state.mock_setup() {
            let title = self
                .state
                .library()
                .get(&setup.case_id)
                .map_or("", |s| s.title.as_str());
            mock_setup_ui(ctx, setup, title, &mut self.commands);
        }
        if !self.state.interviewer_window() {
            return;
        }
        let (Some(open), Some(study)) = (self.state.open_session(), self.state.open_study()) else {
            return;
        };
        let Some(mock) = open.session.mock.as_ref() else {
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
            self.commands.send(MockAction::ShowInterviewerWindow(false));
        }
    }
}

impl eframe::App for StudioApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if let Some(events) = self.pending_keys.pop_front() {
            ctx.input_mut(|i| i.events.extend(events));
            ctx.request_repaint();
        }
        self.handle_close_request(&ctx);
        self.poll_dialog(&ctx);
        let focused = ctx.input(|i| i.viewport().focused.unwrap_or(true));
        self.apply(&ctx, Command::Tick { focused });
        // A viewport command forces a repaint, so send the title only when it changes.
        let title = self.state.title();
        if title != self.window_title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.window_title = title;
        }

        let state = &self.state;
        let open_title = state.open_study().map(|s| s.title.clone());
        shortcuts_input(
            &ctx,
            state.open_session(),
            state.modal().is_some(),
            &mut self.commands,
        );
        menu_bar_ui(
            ui,
            state.settings(),
            state.open_session(),
            open_title.as_deref(),
            &mut self.commands,
        );
        status_bar_ui(
            ui,
            state.status(),
            state.open_session(),
            state.choosing_file(),
            state.link_line().as_deref(),
        );

        let estimate_inputs = state.estimate_inputs();
        match (&mut self.page, state.screen()) {
            (Page::Home(home), _) => home_ui(
                ui,
                home,
                state.library(),
                state.settings(),
                state.open_session(),
                &mut self.commands,
            ),
            (Page::Practice(practice), _) => {
                let (can_undo, can_redo) = state.undo_state(&practice.diagrams.name);
                match (state.open_study(), state.open_session()) {
                    (Some(study), Some(open)) => practice_ui(
                        ui,
                        practice,
                        &PracticeInput {
                            study,
                            open,
                            interviewer_open: state.interviewer_window(),
                            sharing: state.sharing(),
                            undo: UndoState { can_undo, can_redo },
                            sims: state.sims(),
                            findings: state
                                .review()
                                .filter(|_| !open.session.coaching_hidden())
                                .map(|r| r.findings.as_slice()),
                            reference: state
                                .reference()
                                .filter(|_| !open.session.coaching_hidden()),
                            estimator: estimate_inputs.as_ref().filter(|_| state.estimator_open()),
                            replay: state.replay_open(),
                        },
                        &mut self.markdown,
                        &mut self.commands,
                    ),
                    _ => self.commands.send(Command::GoHome),
                }
            }
            (Page::Progress, Screen::Progress { entries, notice }) => progress_page_ui(
                ui,
                entries,
                notice.as_deref(),
                state.library(),
                &mut self.commands,
            ),
            (Page::Progress, _) => self.commands.send(Command::GoHome),
            (Page::Interviewing(view), _) => match state.joined() {
                Some(joined) => interviewing_ui(
                    ui,
                    view,
                    &InterviewingInput {
                        joined,
                        open: state.open_session(),
                        study: state.open_study(),
                    },
                    &mut self.markdown,
                    &mut self.commands,
                ),
                None => self.commands.send(Command::ResumeOpen),
            },
        }
        if let Some(dialog) = state.join_dialog() {
            join_dialog_ui(
                &ctx,
                dialog,
                &mut self.join_draft,
                Relays {
                    setting: state.settings().relays,
                    forced_off: state.relays_forced_off(),
                },
                &mut self.commands,
            );
        }
        if let Some(sharing) = state.sharing().filter(|s| s.invitation_open) {
            invitation_window_ui(&ctx, sharing, &mut self.commands);
        }
        self.mock_windows_ui(&ctx);
        self.palette.canvas_on_screen = !self.state.replay_open()
            && matches!(&self.page, Page::Practice(p) if p.diagrams.mode != DiagramMode::Hidden);
        match self.state.modal() {
            Some(modal) => modal_ui(
                &ctx,
                modal,
                self.state.library(),
                self.state.open_session(),
                &mut self.palette,
                self.docs_dir.as_deref(),
                &mut self.commands,
            ),
            // Each time the palette opens, it opens empty.
            None => self.palette = PaletteState::default(),
        }
        // A canvas key chosen in the palette: the canvas takes focus, then
        // gets the key, a frame each.
        if let Some(key) = self.palette.canvas_key.take() {
            self.pending_keys.push_back(key_events(&FOCUS_CANVAS));
            self.pending_keys.push_back(key_events(&key));
        }
        for command in self.commands.take() {
            self.apply(&ctx, command);
        }
        if let Some(started) = self.exit_after_first_frame.take() {
            println!(
                "first frame after {:.1} ms",
                started.elapsed().as_secs_f64() * 1000.0
            );
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, self.state.settings());
    }

    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // The other side of a remote mock hears that this app closed.
        self.state.end_links();
        if let Err(e) = self.state.on_exit() {
            // The window is gone: the terminal is the only place left to say it.
            eprintln!("mlsd-studio: could not remove the autosave {e}");
        }
    }
}
