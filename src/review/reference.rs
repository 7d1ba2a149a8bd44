//! The reference design of each case study: a session file whose pipeline
//! and serving diagrams show one strong design, shipped in
//! `case_studies/designs/` and read like any session.

use std::path::{Path, PathBuf};

use crate::content::{CaseStudy, bundled_design};
use crate::diagram::{PIPELINE_DIAGRAM, SERVING_DIAGRAM};
use crate::session::{Session, SessionFileError, load_session, parse_session};

/// Why a reference design cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("no reference design ships for case study \"{0}\"")]
    Missing(String),
    #[error("{0}")]
    File(#[from] SessionFileError),
    #[error("{}: the reference design is for \"{found}\", not \"{expected}\"", file.display())]
    WrongCase {
        file: PathBuf,
        expected: String,
        found: String,
    },
    #[error("{}: the reference design has no \"{diagram}\" diagram, or it is empty", file.display())]
    MissingDiagram {
        file: PathBuf,
        diagram: &'static str,
    },
}

/// The reference design of `study`, from `dir/designs/<id>.mlsd` when a
/// content folder is given, else the copy built into the app. It comes back
/// as a fresh session: nothing answered, both reference diagrams in place.
pub fn reference_session(study: &CaseStudy, dir: Option<&Path>) -> Result<Session, ReferenceError> {
    let (file, session) = match dir {
        Some(dir) => {
            let file = dir.join("designs").join(format!("{}.mlsd", study.id));
            let session = load_session(&file)?;
            (file, session)
        }
        None => {
            let (file, text) = bundled_design(&study.id)
                .ok_or_else(|| ReferenceError::Missing(study.id.clone()))?;
            let session = parse_session(&file, text)?;
            (file, session)
        }
    };
    check_reference(&file, study, &session)?;
    let mut fresh = Session::new(study);
    fresh.diagrams = session.diagrams;
    Ok(fresh)
}

/// A reference design is for its own case study and draws both diagrams.
pub fn check_reference(
    file: &Path,
    study: &CaseStudy,
    session: &Session,
) -> Result<(), ReferenceError> {
    if session.case_study != study.id {
        return Err(ReferenceError::WrongCase {
            file: file.to_path_buf(),
            expected: study.id.clone(),
            found: session.case_study.clone(),
        });
    }
    for diagram in [PIPELINE_DIAGRAM, SERVING_DIAGRAM] {
        if session.diagram(diagram).is_none_or(|d| d.is_empty()) {
            return Err(ReferenceError::MissingDiagram {
                file: file.to_path_buf(),
                diagram,
            });
        }
    }
    Ok(())
}
