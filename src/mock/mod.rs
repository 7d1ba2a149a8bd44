//! Mock interviews: a timed run through the seven steps, scored against a
//! rubric by an interviewer or by the candidate.
//!
//! Nothing here reads the system clock: every method that needs the time
//! takes `now_secs`, a monotonic value the caller supplies (the UI passes its
//! frame time, tests pass plain numbers). The state is saved inside the
//! session file; [`MockState::validate`] repairs whatever a file got wrong.

mod config;
mod rubric;
mod scoring;
mod state;
mod validate;

pub use crate::format::format_clock;
pub use config::{
    ALLOWED_LENGTHS, MAX_LENGTH_MINUTES, MIN_LENGTH_MINUTES, MockConfig, MockMode,
    default_budget_minutes,
};
pub use rubric::{Competency, Criterion, LEVEL_NAMES, criterion, rubric, score_index};
pub use scoring::{CompetencySummary, Note, StepTime};
pub use state::{MockState, Scorer};
pub use validate::{MAX_NOTE_CHARS, MAX_NOTES};

/// Why a change to a mock interview was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MockError {
    #[error("there is no step {0}; steps run from 1 to 7")]
    NoSuchStep(u8),
    #[error("step {step} has no rubric criterion \"{id}\"")]
    NoSuchCriterion { step: u8, id: String },
    #[error("a score of {0} is outside the rubric's 1 to 4")]
    ScoreOutOfRange(u8),
    #[error("step {step} has {available} follow-up questions; there is no number {}", index + 1)]
    NoSuchFollowUp {
        step: u8,
        index: usize,
        available: usize,
    },
    #[error("a note needs some text")]
    EmptyNote,
    #[error("a note is limited to {MAX_NOTE_CHARS} characters")]
    NoteTooLong,
    #[error("a mock interview keeps at most {MAX_NOTES} notes")]
    TooManyNotes,
    #[error("a step budget must be a number of seconds from 0 to {max}; got {}", crate::format::number(*got, 0))]
    BadBudget { got: f64, max: f64 },
    #[error("a mock interview lasts {MIN_LENGTH_MINUTES} to {MAX_LENGTH_MINUTES} minutes; got {0}")]
    BadLength(u32),
}
