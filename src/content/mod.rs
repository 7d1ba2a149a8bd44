//! Case studies: the file format, loading and validation.

pub mod coverage;
mod error;
mod load;
mod schema;
mod sizing;
mod validate;

pub use error::{ContentError, Position};
pub use load::{
    CaseLibrary, FolderError, LoadFailure, MAX_CASE_STUDY_BYTES, bundled, bundled_design, load_dir,
    load_sources, parse_case_study, ron_error, ron_message,
};
pub use schema::{
    CASE_STUDY_FORMAT_VERSION, CaseStudy, ClarifyingQuestion, Difficulty, KNOWN_TAGS, Scenario,
    StepContent,
};
pub use sizing::{EstimateInputs, Sizing};
pub use validate::{
    MAX_FOREIGN_COVERAGE, MIN_CHECKLIST, MIN_FOLLOW_UPS, MIN_HINTS, MIN_PITFALLS, MIN_QUESTIONS,
    MIN_REFERENCE_COVERAGE, REFERENCE_WORDS, generic_signals, is_kebab_id, validate, word_count,
};
