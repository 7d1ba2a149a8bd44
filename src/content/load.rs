//! Reading case-study files from a folder or from the copies built into the app.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::{fmt, fs, io};

use serde::Deserialize;

use super::error::{ContentError, Position};
use super::schema::{CASE_STUDY_FORMAT_VERSION, CaseStudy};
use super::validate::{field_offset, validate};
use crate::fsutil::read_text;

/// Largest case-study file read; anything bigger is refused unread.
pub const MAX_CASE_STUDY_BYTES: u64 = 4 * 1024 * 1024;

/// The case studies that loaded, and the files that did not with their errors.
#[derive(Debug, Clone, Default)]
pub struct CaseLibrary {
    /// Valid case studies, sorted by title.
    pub studies: Vec<CaseStudy>,
    pub failures: Vec<LoadFailure>,
}

/// A file that could not be used, with every problem found in it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadFailure {
    pub file: PathBuf,
    pub errors: Vec<ContentError>,
}

impl CaseLibrary {
    /// The case study with this id.
    pub fn get(&self, id: &str) -> Option<&CaseStudy> {
        self.studies.iter().find(|s| s.id == id)
    }

    /// Every error of every failed file, in file order.
    pub fn errors(&self) -> impl Iterator<Item = &ContentError> {
        self.failures.iter().flat_map(|f| f.errors.iter())
    }
}

/// The case studies shipped inside the binary (from `case_studies/` at build time).
pub fn bundled() -> CaseLibrary {
    let sources = BUNDLED
        .iter()
        .map(|(name, text)| (PathBuf::from("case_studies").join(name), (*text).to_owned()));
    load_sources(sources)
}

include!(concat!(env!("OUT_DIR"), "/bundled_case_studies.rs"));

/// The text of the reference design shipped for `case_id`, with its file
/// name (`case_studies/designs/<id>.mlsd` at build time), if there is one.
pub fn bundled_design(case_id: &str) -> Option<(PathBuf, &'static str)> {
    let name = format!("{case_id}.mlsd");
    BUNDLED_DESIGNS
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(file, text)| (Path::new("case_studies/designs").join(file), *text))
}

/// A folder of case studies that could not be listed.
#[derive(Debug)]
pub struct FolderError {
    pub dir: PathBuf,
    pub error: io::Error,
}

impl fmt::Display for FolderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let dir = self.dir.display();
        match self.error.kind() {
            io::ErrorKind::NotFound => write!(f, "{dir}: no such folder"),
            io::ErrorKind::NotADirectory => write!(f, "{dir}: not a folder"),
            _ => write!(f, "{dir}: cannot read the folder: {}", self.error),
        }
    }
}

impl std::error::Error for FolderError {}

/// Loads every `*.ron` file in `dir`, in name order. An entry by that name
/// that is not a readable regular file (a pipe, a folder, a broken link) is
/// reported as a failure, not skipped.
pub fn load_dir(dir: &Path) -> Result<CaseLibrary, FolderError> {
    let entries = fs::read_dir(dir).map_err(|error| FolderError {
        dir: dir.to_path_buf(),
        error,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ron"))
        .collect();
    paths.sort();
    let mut unreadable = Vec::new();
    let mut sources = Vec::new();
    for path in paths {
        match read_text(&path, MAX_CASE_STUDY_BYTES) {
            Ok(text) => sources.push((path, text)),
            Err(e) => unreadable.push(failure(&path, Position::START, e.to_string())),
        }
    }
    let mut library = load_sources(sources);
    library.failures.splice(0..0, unreadable);
    Ok(library)
}

fn failure(file: &Path, position: Position, message: String) -> LoadFailure {
    LoadFailure {
        file: file.to_path_buf(),
        errors: vec![ContentError {
            file: file.to_path_buf(),
            position,
            message,
        }],
    }
}

/// Parses and validates each `(file, text)`, and rejects repeated ids.
pub fn load_sources(sources: impl IntoIterator<Item = (PathBuf, String)>) -> CaseLibrary {
    let mut library = CaseLibrary::default();
    let mut owner_of_id: HashMap<String, PathBuf> = HashMap::new();
    for (file, text) in sources {
        match parse_case_study(&file, &text) {
            Ok(study) => {
                if let Some(first) = owner_of_id.get(&study.id) {
                    let message =
                        format!("id \"{}\" is already used by {}", study.id, first.display());
                    let at = field_offset(&text, 0..text.len(), "id")
                        .map_or(Position::START, |o| Position::of_offset(&text, o));
                    library.failures.push(failure(&file, at, message));
                } else {
                    owner_of_id.insert(study.id.clone(), file);
                    library.studies.push(study);
                }
            }
            Err(errors) => library.failures.push(LoadFailure { file, errors }),
        }
    }
    library.studies.sort_by(|a, b| a.title.cmp(&b.title));
    library
}

/// Reads just the version, so a newer file is refused by version rather than
/// by whichever new field the parser meets first.
#[derive(Deserialize)]
#[serde(rename = "CaseStudy")]
struct VersionPeek {
    format_version: u32,
}

/// Parses one file and validates it; every problem is returned.
pub fn parse_case_study(file: &Path, source: &str) -> Result<CaseStudy, Vec<ContentError>> {
    if let Ok(peek) = ron::from_str::<VersionPeek>(source)
        && peek.format_version > CASE_STUDY_FORMAT_VERSION
    {
        return Err(vec![ContentError {
            file: file.to_path_buf(),
            position: Position::START,
            message: format!(
                "format_version {} is newer than this app reads ({}); update mlsd-studio",
                peek.format_version, CASE_STUDY_FORMAT_VERSION
            ),
        }]);
    }
    let study: CaseStudy = ron::from_str(source).map_err(|e| vec![ron_error(file, source, &e)])?;
    let errors = validate(&study, file, source);
    if errors.is_empty() {
        Ok(study)
    } else {
        Err(errors)
    }
}

/// A RON parse error as a [`ContentError`]. A missing comma is reported
/// where it belongs, after the previous value, rather than at the token
/// where the parser noticed it (often the next line).
pub fn ron_error(file: &Path, source: &str, e: &ron::error::SpannedError) -> ContentError {
    let reported = Position {
        line: e.span.start.line.max(1),
        col: e.span.start.col.max(1),
    };
    let position = match e.code {
        ron::Error::ExpectedComma => end_of_previous_token(source, reported).unwrap_or(reported),
        _ => reported,
    };
    ContentError {
        file: file.to_path_buf(),
        position,
        message: ron_message(&e.code),
    }
}

/// RON's message for a parse error, without its advice to programmers
/// (which option to raise, which crate to use).
pub fn ron_message(e: &ron::Error) -> String {
    match e {
        ron::Error::ExceededRecursionLimit => {
            "values are nested too deeply (more than 128 levels)".into()
        }
        ron::Error::UnclosedLineComment => "the file ends inside a `//` comment".into(),
        _ => e.to_string(),
    }
}

/// The position just after the last non-blank character before `at`.
fn end_of_previous_token(source: &str, at: Position) -> Option<Position> {
    let line_start: usize = source
        .split_inclusive('\n')
        .take(at.line - 1)
        .map(str::len)
        .sum();
    let offset = line_start
        + source[line_start..]
            .char_indices()
            .nth(at.col - 1)
            .map_or(source.len() - line_start, |(i, _)| i);
    let before = source.get(..offset)?.trim_end();
    (!before.is_empty()).then(|| Position::of_offset(source, before.len()))
}
