//! The app state without a window: every rule of what a command does lives
//! here, so the GUI, the CLI and tests share it. `ui` draws this state and
//! sends [`Command`]s; [`AppState::apply`] carries them out and returns the
//! [`Effect`]s only a front end can perform (repaint, dialogs, clipboard).

mod command;
mod compare_jobs;
mod effect;
mod right_size_jobs;
mod sim_jobs;
mod state;
mod timeline_jobs;

pub use command::{
    Command, Commands, DiagramAction, EstimateAction, FilePurpose, MockAction, RemoteAction,
    SimAction, ViewChange,
};
pub use compare_jobs::CompareOutcome;
pub use effect::Effect;
pub use right_size_jobs::{RightSize, RightSizeOutcome};
pub use sim_jobs::{DiagramSim, RunStatus, SimInputs, SimJobs, SimResult, Waker};
pub use state::{
    AUTOSAVE_SECS, AppState, JoinDialog, Joined, LinkState, MockSetup, Modal, OpenSession,
    REFERENCE_PREFIX, Screen, Sharing, StateConfig,
};
pub use timeline_jobs::{TimelineResult, TimelineSim};
