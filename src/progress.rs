//! Progress across mock interviews: one entry per finished mock, kept in a
//! RON file in the user's data folder, and the summaries the history page
//! plots.
//!
//! Several app windows may finish mocks at once, so every read-modify-write
//! holds an exclusive lock on a sibling `<file>.lock`, and the file itself is
//! only ever replaced atomically. A damaged file is never deleted: it is
//! moved aside to `<file>.corrupt-<unix-secs>` and reported.

use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::content::{CaseStudy, ron_message};
use crate::framework::STEP_COUNT;
use crate::fsutil::{ReadError, atomic_write, read_text};
use crate::mock::{Competency, MockMode, MockState};
use crate::session::{Session, now_unix_secs};

/// The format version of history files this build writes.
pub const HISTORY_FORMAT_VERSION: u32 = 1;
/// Largest history file read (about a hundred thousand mocks).
pub const MAX_HISTORY_BYTES: u64 = 64 * 1024 * 1024;

/// Where the history lives: `history.ron` in [`crate::settings::data_dir`].
pub fn progress_path() -> PathBuf {
    crate::settings::data_dir().join("history.ron")
}

/// One finished mock interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProgressEntry {
    /// When the mock finished, Unix seconds.
    pub finished_unix_secs: u64,
    /// The case study's id.
    pub case_study: String,
    /// Its title when the mock ran.
    pub case_title: String,
    pub mode: MockMode,
    /// Mean rubric score per step, 1 to 4.
    pub step_scores: [Option<f64>; STEP_COUNT],
    /// Overall per competency: the scorer's signal, else the rubric mean.
    #[serde(default)]
    pub competency: BTreeMap<Competency, f64>,
    pub seconds_per_step: [f64; STEP_COUNT],
}

impl ProgressEntry {
    /// The entry for `mock`, run on `session` of `study`, finished at
    /// `finished_unix_secs`.
    pub fn from_mock(
        session: &Session,
        study: &CaseStudy,
        mock: &MockState,
        finished_unix_secs: u64,
    ) -> ProgressEntry {
        ProgressEntry {
            finished_unix_secs,
            case_study: session.case_study.clone(),
            case_title: study.title.clone(),
            mode: mock.config.mode,
            step_scores: mock.step_scores(),
            competency: mock
                .competency_summaries()
                .iter()
                .filter_map(|c| Some((c.competency, c.overall()?)))
                .collect(),
            seconds_per_step: mock.step_elapsed_secs,
        }
    }

    /// Mean of the scored steps.
    pub fn mean_score(&self) -> Option<f64> {
        mean(self.step_scores.iter().flatten().copied())
    }

    /// Drops values a hand-edited file may hold out of range.
    fn sanitize(&mut self) {
        let ok = |v: f64| v.is_finite() && (1.0..=4.0).contains(&v);
        for s in &mut self.step_scores {
            *s = s.filter(|&v| ok(v));
        }
        self.competency.retain(|_, v| ok(*v));
        for t in &mut self.seconds_per_step {
            if !t.is_finite() || *t < 0.0 {
                *t = 0.0;
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename = "History")]
struct HistoryFile {
    format_version: u32,
    entries: Vec<ProgressEntry>,
}

/// A history file that could not be parsed, and where it went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorruptProgress {
    pub path: PathBuf,
    pub line: usize,
    pub col: usize,
    pub message: String,
    /// Where the damaged file was moved.
    pub moved_to: PathBuf,
}

impl std::fmt::Display for CorruptProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}:{}: the history file is damaged ({}); it was moved to {} and a new history is started",
            self.path.display(),
            self.line,
            self.col,
            self.message,
            self.moved_to.display()
        )
    }
}

/// Why the history could not be read or written. Every variant names a file.
#[derive(Debug, thiserror::Error)]
pub enum ProgressError {
    #[error("{}: cannot read the history: {error}", path.display())]
    Read { path: PathBuf, error: ReadError },
    #[error("{}: cannot save the history: {error}", path.display())]
    Write { path: PathBuf, error: io::Error },
    #[error("{}: cannot lock the history: {error}", path.display())]
    Lock { path: PathBuf, error: io::Error },
    #[error("{}: written by a newer mlsd-studio (history format {found}; this one reads up to {HISTORY_FORMAT_VERSION}); left untouched", path.display())]
    Newer { path: PathBuf, found: u32 },
    #[error("{0}")]
    Corrupt(CorruptProgress),
    #[error("{}:{line}:{col}: the history file is damaged ({message}) and could not be moved aside: {error}", path.display())]
    MoveAside {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
        error: io::Error,
    },
}

/// What reading the file found.
enum Contents {
    Entries(Vec<ProgressEntry>),
    Damaged {
        line: usize,
        col: usize,
        message: String,
    },
}

/// The history file at one path.
#[derive(Debug, Clone)]
pub struct ProgressStore {
    path: PathBuf,
}

impl ProgressStore {
    /// The store for the file at `path` (created on the first append).
    pub fn new(path: impl Into<PathBuf>) -> ProgressStore {
        ProgressStore { path: path.into() }
    }

    /// The history file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Every entry, oldest first. A missing file is an empty history; a
    /// damaged one is moved aside and reported as [`ProgressError::Corrupt`].
    pub fn load(&self) -> Result<Vec<ProgressEntry>, ProgressError> {
        if let Contents::Entries(e) = self.read()? {
            return Ok(e);
        }
        // Re-read under the lock so a file another window just replaced
        // is not moved aside by mistake.
        let _lock = self.lock()?;
        match self.read()? {
            Contents::Entries(e) => Ok(e),
            Contents::Damaged { line, col, message } => {
                Err(ProgressError::Corrupt(self.move_aside(line, col, message)?))
            }
        }
    }

    /// Adds `entry` under an exclusive lock, re-reading the file first so
    /// entries other windows added are kept. A damaged file is moved aside
    /// and a fresh one started; that is returned so it can be reported.
    pub fn append(
        &self,
        mut entry: ProgressEntry,
    ) -> Result<Option<CorruptProgress>, ProgressError> {
        entry.sanitize();
        let _lock = self.lock()?;
        let (mut entries, moved) = match self.read()? {
            Contents::Entries(e) => (e, None),
            Contents::Damaged { line, col, message } => {
                (Vec::new(), Some(self.move_aside(line, col, message)?))
            }
        };
        entries.push(entry);
        entries.sort_by_key(|e| e.finished_unix_secs);
        let file = HistoryFile {
            format_version: HISTORY_FORMAT_VERSION,
            entries,
        };
        let config = ron::ser::PrettyConfig::new().struct_names(true);
        let text = ron::ser::to_string_pretty(&file, config).map_err(|e| ProgressError::Write {
            path: self.path.clone(),
            error: io::Error::other(e.to_string()),
        })?;
        atomic_write(&self.path, text.as_bytes()).map_err(|error| ProgressError::Write {
            path: self.path.clone(),
            error,
        })?;
        Ok(moved)
    }

    fn lock(&self) -> Result<File, ProgressError> {
        let mut name = self.path.clone().into_os_string();
        name.push(".lock");
        let lock_path = PathBuf::from(name);
        let err = |error| ProgressError::Lock {
            path: lock_path.clone(),
            error,
        };
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir).map_err(err)?;
        }
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(err)?;
        // Released when the file is closed, even if the thread panics.
        file.lock().map_err(err)?;
        Ok(file)
    }

    fn read(&self) -> Result<Contents, ProgressError> {
        let text = match read_text(&self.path, MAX_HISTORY_BYTES) {
            Ok(text) => text,
            Err(ReadError::Io(e)) if e.kind() == io::ErrorKind::NotFound => {
                return Ok(Contents::Entries(vec![]));
            }
            Err(ReadError::NotUtf8(_)) => {
                return Ok(Contents::Damaged {
                    line: 1,
                    col: 1,
                    message: "not UTF-8 text".into(),
                });
            }
            Err(error) => {
                return Err(ProgressError::Read {
                    path: self.path.clone(),
                    error,
                });
            }
        };
        if text.trim().is_empty() {
            return Ok(Contents::Entries(vec![]));
        }
        #[derive(Deserialize)]
        #[serde(rename = "History")]
        struct Peek {
            format_version: u32,
        }
        if let Ok(p) = ron::from_str::<Peek>(&text)
            && p.format_version > HISTORY_FORMAT_VERSION
        {
            return Err(ProgressError::Newer {
                path: self.path.clone(),
                found: p.format_version,
            });
        }
        match ron::from_str::<HistoryFile>(&text) {
            Ok(mut file) => {
                file.entries.iter_mut().for_each(ProgressEntry::sanitize);
                Ok(Contents::Entries(file.entries))
            }
            Err(e) => Ok(Contents::Damaged {
                line: e.span.start.line.max(1),
                col: e.span.start.col.max(1),
                message: ron_message(&e.code),
            }),
        }
    }

    fn move_aside(
        &self,
        line: usize,
        col: usize,
        message: String,
    ) -> Result<CorruptProgress, ProgressError> {
        let stamp = now_unix_secs();
        let mut target = corrupt_name(&self.path, stamp, 1);
        let mut n = 1;
        while target.exists() {
            n += 1;
            target = corrupt_name(&self.path, stamp, n);
        }
        match fs::rename(&self.path, &target) {
            Ok(()) => Ok(CorruptProgress {
                path: self.path.clone(),
                line,
                col,
                message,
                moved_to: target,
            }),
            Err(error) => Err(ProgressError::MoveAside {
                path: self.path.clone(),
                line,
                col,
                message,
                error,
            }),
        }
    }
}

fn corrupt_name(path: &Path, stamp: u64, n: u32) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".corrupt-{stamp}"));
    if n > 1 {
        name.push(format!("-{n}"));
    }
    PathBuf::from(name)
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

fn by_time(entries: &[ProgressEntry]) -> Vec<&ProgressEntry> {
    let mut sorted: Vec<&ProgressEntry> = entries.iter().collect();
    sorted.sort_by_key(|e| e.finished_unix_secs);
    sorted
}

/// Mean score per step over all entries.
pub fn step_averages(entries: &[ProgressEntry]) -> [Option<f64>; STEP_COUNT] {
    std::array::from_fn(|i| mean(entries.iter().filter_map(|e| e.step_scores[i])))
}

/// Scored steps, lowest mean first, at most `n`.
pub fn weakest_steps(entries: &[ProgressEntry], n: usize) -> Vec<(u8, f64)> {
    let mut steps: Vec<(u8, f64)> = step_averages(entries)
        .iter()
        .enumerate()
        .filter_map(|(i, m)| Some((i as u8 + 1, (*m)?)))
        .collect();
    steps.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
    steps.truncate(n);
    steps
}

/// `(finished_unix_secs, score)` of step `step` in every entry that scored
/// it, oldest first: the points of a progress plot.
pub fn step_series(entries: &[ProgressEntry], step: u8) -> Vec<(u64, f64)> {
    let Some(i) = usize::from(step).checked_sub(1).filter(|&i| i < STEP_COUNT) else {
        return Vec::new();
    };
    by_time(entries)
        .into_iter()
        .filter_map(|e| Some((e.finished_unix_secs, e.step_scores[i]?)))
        .collect()
}

/// `(finished_unix_secs, mean score)` of every scored mock on `case_study`,
/// oldest first.
pub fn case_series(entries: &[ProgressEntry], case_study: &str) -> Vec<(u64, f64)> {
    by_time(entries)
        .into_iter()
        .filter(|e| e.case_study == case_study)
        .filter_map(|e| Some((e.finished_unix_secs, e.mean_score()?)))
        .collect()
}

/// The mean of each point and the `window - 1` before it, so a plot shows
/// the trend rather than the noise of single mocks. A window of 0 counts as 1.
pub fn moving_average(series: &[(u64, f64)], window: usize) -> Vec<(u64, f64)> {
    let window = window.max(1);
    (0..series.len())
        .map(|k| {
            let from = (k + 1).saturating_sub(window);
            let part = &series[from..=k];
            let sum: f64 = part.iter().map(|p| p.1).sum();
            (series[k].0, sum / part.len() as f64)
        })
        .collect()
}

/// Up to `n` of `case_ids` to practise next: never practised first, then the
/// least practised, then the lowest mean score, then by id.
pub fn practise_next<'a>(
    entries: &[ProgressEntry],
    case_ids: impl IntoIterator<Item = &'a str>,
    n: usize,
) -> Vec<String> {
    let mut ranked: Vec<(usize, f64, &str)> = case_ids
        .into_iter()
        .map(|id| {
            let runs: Vec<&ProgressEntry> = entries.iter().filter(|e| e.case_study == id).collect();
            let score = mean(runs.iter().filter_map(|e| e.mean_score())).unwrap_or(0.0);
            (runs.len(), score, id)
        })
        .collect();
    ranked.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)).then(a.2.cmp(b.2)));
    ranked.dedup_by(|a, b| a.2 == b.2);
    ranked.into_iter().take(n).map(|r| r.2.to_owned()).collect()
}
