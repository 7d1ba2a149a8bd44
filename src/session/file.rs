//! Session files (`*.mlsd`): RON with a format version, saved atomically.

use std::io;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::model::{SESSION_FORMAT_VERSION, Session};
use crate::content::{CaseLibrary, ron_message};
use crate::framework::STEP_COUNT;
use crate::fsutil::{ReadError, atomic_write, read_text};

/// Largest session file read; a bigger one is refused unread.
pub const MAX_SESSION_BYTES: u64 = 64 * 1024 * 1024;

/// Why a session file could not be opened or saved. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum SessionFileError {
    #[error("{}: {error}", path.display())]
    Read { path: PathBuf, error: ReadError },
    #[error("{}:{line}:{col}: {message}", path.display())]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error(
        "{}: this session was saved by a newer mlsd-studio (format version {found}; this one reads up to {SESSION_FORMAT_VERSION}); update the app to open it",
        path.display()
    )]
    Newer { path: PathBuf, found: u32 },
    #[error("{}: {message}", path.display())]
    Invalid { path: PathBuf, message: String },
    #[error("{}: cannot save: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
}

#[derive(Deserialize)]
#[serde(rename = "Session")]
struct VersionPeek {
    format_version: u32,
}

/// Reads and checks a session file. The file is never modified.
pub fn load_session(path: &Path) -> Result<Session, SessionFileError> {
    parse_session(path, &read_session_text(path)?)
}

fn read_session_text(path: &Path) -> Result<String, SessionFileError> {
    read_text(path, MAX_SESSION_BYTES).map_err(|error| SessionFileError::Read {
        path: path.to_path_buf(),
        error,
    })
}

/// True when `path` holds a session, even a damaged or hand-edited one, so
/// that nothing is ever written over one by mistake.
pub fn is_session_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "mlsd")
        || read_session_text(path).is_ok_and(|text| ron::from_str::<VersionPeek>(&text).is_ok())
}

/// Parses session text; `path` only names the file in messages.
pub fn parse_session(path: &Path, text: &str) -> Result<Session, SessionFileError> {
    if let Ok(peek) = ron::from_str::<VersionPeek>(text)
        && peek.format_version > SESSION_FORMAT_VERSION
    {
        return Err(SessionFileError::Newer {
            path: path.to_path_buf(),
            found: peek.format_version,
        });
    }
    let session: Session = ron::from_str(text).map_err(|e| SessionFileError::Parse {
        path: path.to_path_buf(),
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
        message: ron_message(&e.code),
    })?;
    let invalid = |message: String| SessionFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    if session.format_version == 0 {
        return Err(invalid("format version 0 is not a known version".into()));
    }
    let mut session = migrate(session);
    // A hand-edited mock (score 9, step 12, NaN times) is repaired, not refused.
    if let Some(mock) = session.mock.as_mut() {
        let _ = mock.validate();
    }
    let mut names = std::collections::HashSet::new();
    for d in &mut session.diagrams {
        if !names.insert(d.name.clone()) {
            return Err(invalid(format!("two diagrams are called \"{}\"", d.name)));
        }
        d.diagram
            .sanitize()
            .map_err(|e| invalid(format!("diagram \"{}\": {e}", d.name)))?;
    }
    session.history.validate().map_err(invalid)?;
    if session.steps.len() != STEP_COUNT {
        return Err(invalid(format!(
            "the session has {} steps; it must have {STEP_COUNT}",
            session.steps.len()
        )));
    }
    if !(1..=STEP_COUNT as u8).contains(&session.current_step) {
        return Err(invalid(format!(
            "current_step {} is outside 1 to {STEP_COUNT}",
            session.current_step
        )));
    }
    Ok(session)
}

/// Brings an older session up to the current format.
fn migrate(mut session: Session) -> Session {
    // Version 1 had no diagrams; every later session has the two defaults.
    session.format_version = SESSION_FORMAT_VERSION;
    session.with_default_diagrams()
}

/// Checks that the session's case study exists in `library` and that its
/// ticks, hints and questions fit that case study.
pub fn check_against_library(
    session: &Session,
    library: &CaseLibrary,
    path: &Path,
) -> Result<(), SessionFileError> {
    let invalid = |message: String| SessionFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let study = library.get(&session.case_study).ok_or_else(|| {
        invalid(format!(
            "the session is for case study \"{}\", which this app does not have",
            session.case_study
        ))
    })?;
    for (i, (progress, content)) in session.steps.iter().zip(&study.steps).enumerate() {
        if let Some(bad) = progress
            .ticked
            .iter()
            .find(|&&t| t >= content.checklist.len())
        {
            return Err(invalid(format!(
                "step {} ticks checklist point {} but the case study has {}",
                i + 1,
                bad + 1,
                content.checklist.len()
            )));
        }
        if progress.hints_revealed > content.hints.len() {
            return Err(invalid(format!(
                "step {} reveals {} hints but the case study has {}",
                i + 1,
                progress.hints_revealed,
                content.hints.len()
            )));
        }
    }
    if let Some(q) = session
        .questions_asked
        .iter()
        .find(|q| !study.questions.iter().any(|sq| &sq.id == *q))
    {
        return Err(invalid(format!(
            "asked question \"{q}\" is not in case study \"{}\"",
            study.id
        )));
    }
    Ok(())
}

/// The session as file text.
pub fn session_to_string(session: &Session) -> String {
    let config = ron::ser::PrettyConfig::new().struct_names(true);
    ron::ser::to_string_pretty(session, config).expect("a session always serialises to RON")
}

/// Saves atomically: the old file stays whole if anything fails.
pub fn save_session(path: &Path, session: &Session) -> Result<(), SessionFileError> {
    atomic_write(path, session_to_string(session).as_bytes()).map_err(|error| {
        SessionFileError::Write {
            path: path.to_path_buf(),
            error,
        }
    })
}
