//! Practice sessions: the model, its file format and autosave.

mod file;
mod history;
mod model;
mod recovery;

pub use file::{
    MAX_SESSION_BYTES, SessionFileError, check_against_library, is_session_file, load_session,
    parse_session, save_session, session_to_string,
};
pub use history::{Change, History, MAX_BYTES, MAX_MOMENTS, Moment, PAUSE_SECS, Snapshot};
pub use model::{
    SESSION_FORMAT_VERSION, Session, SessionDiagram, SessionEdit, StepClock, StepProgress,
    StepStatus, clamp_step,
};
pub use recovery::{FoundRecovery, Recovery, RecoveryStore, discard, now_unix_secs};
