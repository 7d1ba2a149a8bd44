//! Autosave to recovery files, and finding them again after a crash or kill.
//!
//! Each running app writes its own file, named after its process id, so two
//! instances never overwrite each other's work.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::file::{SessionFileError, parse_session, session_to_string};
use super::model::Session;
use crate::fsutil::atomic_write;

const EXTENSION: &str = "recovery";

/// An autosaved session and where the user last saved it, if anywhere.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The file the session belongs to; `None` when never saved.
    pub original_path: Option<PathBuf>,
    /// When the autosave was written, seconds since the Unix epoch.
    pub saved_unix_secs: u64,
    pub session: Session,
}

/// A recovery file left by an app that did not exit cleanly.
#[derive(Debug)]
pub struct FoundRecovery {
    pub file: PathBuf,
    pub recovery: Recovery,
}

/// The folder of recovery files, and this process's own file in it.
#[derive(Debug, Clone)]
pub struct RecoveryStore {
    dir: PathBuf,
    own: PathBuf,
}

impl RecoveryStore {
    /// A store in `dir` for this process.
    pub fn new(dir: &Path) -> RecoveryStore {
        RecoveryStore::for_process(dir, std::process::id())
    }

    /// A store in `dir` for the process `pid`.
    pub fn for_process(dir: &Path, pid: u32) -> RecoveryStore {
        RecoveryStore {
            dir: dir.to_path_buf(),
            own: dir.join(format!("session-{pid}.{EXTENSION}")),
        }
    }

    /// This process's recovery file.
    pub fn own_file(&self) -> &Path {
        &self.own
    }

    /// Autosaves `session` to this process's file.
    pub fn write(&self, original_path: Option<&Path>, session: &Session) -> io::Result<()> {
        fs::create_dir_all(&self.dir)?;
        let header = match original_path {
            Some(p) => format!("{}\n", p.display()),
            None => "\n".to_owned(),
        };
        let text = format!(
            "{}\n{header}{}",
            now_unix_secs(),
            session_to_string(session)
        );
        atomic_write(&self.own, text.as_bytes())
    }

    /// Removes this process's file after a save or a clean exit. A file
    /// that is already gone is fine.
    pub fn clear(&self) -> io::Result<()> {
        remove_if_present(&self.own)
    }

    /// Recovery files left by processes that are no longer running.
    /// Files that cannot be read are moved aside (never deleted) and
    /// reported as errors.
    pub fn find_orphans(&self) -> (Vec<FoundRecovery>, Vec<SessionFileError>) {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return (found, errors);
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == EXTENSION) && *p != self.own)
            .filter(|p| !owner_is_running(p))
            .collect();
        files.sort();
        for file in files {
            match read_recovery(&file) {
                Ok(recovery) => found.push(FoundRecovery { file, recovery }),
                Err(e) => {
                    // Moved aside so it is offered only once; if even that
                    // fails it is offered again next time, which loses nothing.
                    fs::rename(&file, file.with_extension("corrupt")).ok();
                    errors.push(e);
                }
            }
        }
        (found, errors)
    }
}

/// Deletes a recovery file the user chose to discard or has restored.
pub fn discard(file: &Path) -> io::Result<()> {
    remove_if_present(file)
}

fn remove_if_present(file: &Path) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn read_recovery(file: &Path) -> Result<Recovery, SessionFileError> {
    let text = fs::read_to_string(file).map_err(|source| SessionFileError::Read {
        path: file.to_path_buf(),
        source,
    })?;
    let mut lines = text.splitn(3, '\n');
    let invalid = || SessionFileError::Invalid {
        path: file.to_path_buf(),
        message: "not a recovery file: the header is missing".into(),
    };
    let saved_unix_secs = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .ok_or_else(invalid)?;
    let original = lines.next().ok_or_else(invalid)?.trim();
    let body = lines.next().ok_or_else(invalid)?;
    Ok(Recovery {
        original_path: (!original.is_empty()).then(|| PathBuf::from(original)),
        saved_unix_secs,
        session: parse_session(file, body)?,
    })
}

fn owner_is_running(file: &Path) -> bool {
    let pid = file
        .file_stem()
        .and_then(|s| s.to_str())
        .and_then(|s| s.strip_prefix("session-"))
        .and_then(|s| s.parse::<u32>().ok());
    match pid {
        // Only Linux lets us ask cheaply; elsewhere every file is offered.
        Some(pid) if cfg!(target_os = "linux") => Path::new(&format!("/proc/{pid}")).exists(),
        _ => false,
    }
}

/// Seconds since the Unix epoch.
pub fn now_unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
