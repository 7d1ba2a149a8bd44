//! Everything the user can ask for. The UI and the CLI only send these; the
//! app state applies them in one place, in order.

use std::path::PathBuf;

use crate::content::EstimateInputs;
use crate::diagram::{DiagramEdit, NodeId};
use crate::export::{ExportFormat, ReportFormat};
use crate::mock::{Competency, MockConfig};
use crate::session::SessionEdit;
use crate::settings::{ThemeChoice, ZoomStep};

use super::sim_jobs::SimInputs;

/// A request to the app.
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
    /// Save to this file.
    SaveTo(PathBuf),
    /// Close the app, asking first if work is unsaved.
    Quit,
    Edit(SessionEdit),
    SetTheme(ThemeChoice),
    /// Make the whole UI larger, smaller or its default size.
    ZoomUi(ZoomStep),
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
    /// Show or hide the command palette.
    TogglePalette,
    /// Show the About dialog: version, licence, documentation.
    ShowAbout,
    /// Show or hide the replay of how the session's answers and diagrams
    /// changed.
    SetReplay(bool),
    /// Write each state the history holds of the diagram called `diagram`
    /// as an SVG frame (the file dialog names the first).
    ExportReplayFrames {
        diagram: String,
    },
    /// Something to do to the session's diagram called `name`.
    Diagram {
        name: String,
        action: DiagramAction,
    },
    /// Something to do to the simulation of the diagram called `diagram`.
    Sim {
        diagram: String,
        action: SimAction,
    },
    /// Something to do with the back-of-envelope estimator.
    Estimate(EstimateAction),
    /// Copy the reference design's diagram of this name into the session
    /// as a new diagram.
    CopyReference(String),
    /// Open the start dialog of a mock interview on this case study.
    SetUpMock(String),
    /// New choices in the start dialog of a mock interview.
    EditMockSetup(MockConfig),
    /// Close the start dialog of a mock interview.
    CancelMockSetup,
    Mock(MockAction),
    /// The remote mock interview: sharing a session, or joining one.
    Remote(RemoteAction),
    /// Show the progress page (scores across sessions).
    ShowProgress,
    /// Ask where to write the session report.
    ExportReport(ReportFormat),
    /// Ask for a Mermaid or DOT file to import as a diagram of the session.
    ImportDialog,
    /// The answer of a file dialog: `None` when it was cancelled.
    FileChosen {
        purpose: FilePurpose,
        path: Option<PathBuf>,
    },
    /// Time passes: count it, autosave, and pick up finished simulations.
    /// `focused` says whether the user can see the window.
    Tick {
        focused: bool,
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
    /// Add a drawing given as Mermaid or DOT text (pasted), beside what is
    /// there, as one undoable edit.
    ImportText(String),
    /// Copy the whole diagram into the session as "NAME v2" (or the next
    /// free number), a second design to compare against the first.
    Duplicate,
}

/// A request about the simulation of one diagram.
#[derive(Debug, Clone, PartialEq)]
pub enum SimAction {
    /// Show or hide the simulator; hiding cancels a run under way.
    SetOpen(bool),
    /// New traffic, targets or run settings; a live simulator re-runs.
    SetInputs(SimInputs),
    /// Run now, whatever ran before.
    Run,
    Cancel,
    /// Show or hide the run over time; shown, edits re-run it.
    SetTimelineOpen(bool),
    /// Play the diagram's scenario over time now.
    RunTimeline,
    /// Colour the canvas by the load at this second of the run over time;
    /// None goes back to the steady state.
    Scrub(Option<f64>),
    /// Find the cheapest replica counts that meet the SLA at the
    /// simulator's load (with one zone lost too, if asked; moving model
    /// nodes to other hardware, if allowed).
    RightSize {
        zone_loss: bool,
        choose_hardware: bool,
    },
    /// Give the nodes the right-sized replica counts, as one undoable edit.
    ApplyRightSize,
    /// Put the right-size result away unapplied.
    DismissRightSize,
    /// Simulate this diagram (A) and the diagram called `with` (B) at this
    /// simulator's inputs, and set them side by side.
    Compare {
        with: String,
    },
    /// Put the comparison away (and stop one under way).
    DismissCompare,
}

/// A request about the back-of-envelope estimator of the open session.
#[derive(Debug, Clone, PartialEq)]
pub enum EstimateAction {
    /// Show or hide the estimator panel.
    SetOpen(bool),
    /// New figures, kept in the session.
    SetInputs(EstimateInputs),
    /// Go back to the case study's own figures.
    Reset,
    /// Make the estimate's peak QPS the traffic of the simulator of the
    /// diagram called `diagram`, and show that simulator.
    UseAsTraffic { diagram: String },
}

/// A change to the running mock interview.
#[derive(Debug, Clone, PartialEq)]
pub enum MockAction {
    Start {
        case_id: String,
        config: MockConfig,
    },
    Pause,
    Resume,
    /// Mark the current step done and move the interview to the next one.
    NextStep,
    End,
    SetScore {
        step: u8,
        id: String,
        score: Option<u8>,
    },
    ToggleFollowUp {
        step: u8,
        index: usize,
    },
    AddNote(String),
    SetSignal {
        competency: Competency,
        value: Option<u8>,
    },
    ShowInterviewerWindow(bool),
    /// Solo mode: store the self-scored mock in the progress history.
    RecordInProgress,
}

/// Sharing a mock with an interviewer on another computer, and joining
/// one as that interviewer.
#[derive(Debug, Clone, PartialEq)]
pub enum RemoteAction {
    /// Start a mock on this case study and share it: the interviewer joins
    /// from their own computer with the invitation.
    StartMock { case_id: String, config: MockConfig },
    /// In the start dialog: whether the interviewer joins from another
    /// computer.
    ChooseRemote(bool),
    /// Show or hide the invitation (ticket and QR code) and who joined.
    ShowInvitation(bool),
    /// End the sharing; the interviewer's app is told.
    StopSharing,
    /// Show or hide the dialog to join a mock with an invitation.
    ShowJoinDialog(bool),
    /// Join the mock this invitation is for, under this name.
    Join { ticket: String, name: String },
    /// Send the scores and the notes of these indices to the candidate.
    SendScores { shared_notes: Vec<usize> },
    /// Leave the candidate's mock; the copy stays open as a session.
    Leave,
    /// Allow or forbid iroh's public relays.
    SetRelays(bool),
}

/// What a file dialog is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilePurpose {
    Open,
    Save,
    /// Export the named diagram in a format.
    Export {
        diagram: String,
        format: ExportFormat,
    },
    /// Export the session report.
    Report(ReportFormat),
    /// A Mermaid or DOT file to import.
    Import,
    /// The replay's SVG frames of a diagram.
    ReplayFrames {
        diagram: String,
    },
}

/// Changes to a diagram's view that follow from an edit (see
/// [`super::Effect::DiagramView`]).
#[derive(Debug, Clone, PartialEq)]
pub enum ViewChange {
    /// Select these nodes and groups.
    Select {
        nodes: Vec<NodeId>,
        groups: Vec<crate::diagram::GroupId>,
    },
    /// Select the node and edit its label in place.
    Rename { node: NodeId, label: String },
    /// Fit the whole diagram into view.
    Fit,
    /// Put this diagram on screen.
    Show,
}

impl From<SessionEdit> for Command {
    fn from(edit: SessionEdit) -> Command {
        Command::Edit(edit)
    }
}

impl From<EstimateAction> for Command {
    fn from(action: EstimateAction) -> Command {
        Command::Estimate(action)
    }
}

impl From<RemoteAction> for Command {
    fn from(action: RemoteAction) -> Command {
        Command::Remote(action)
    }
}

impl From<MockAction> for Command {
    fn from(action: MockAction) -> Command {
        Command::Mock(action)
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
