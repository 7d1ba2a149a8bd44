//! Autosave to recovery files, and finding them again after a crash or kill.
//!
//! Each running app writes its own `session-<random>.recovery` and holds an
//! exclusive lock on the sibling `session-<random>.lock` while it runs. A
//! recovery file whose lock nobody holds was left by an app that crashed or
//! was killed. Process ids are not used: in containers and sandboxes a new
//! run can get the id of a crashed one.

use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::file::{MAX_SESSION_BYTES, SessionFileError, parse_session, session_to_string};
use super::model::Session;
use crate::fsutil::{atomic_write, create_locked, read_text, remove_stale_temps};

const EXTENSION: &str = "recovery";
const LOCK_EXTENSION: &str = "lock";

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

/// The folder of recovery files, and this run's own file in it.
#[derive(Debug)]
pub struct RecoveryStore {
    dir: PathBuf,
    /// This run's files, made by its first autosave.
    own: Option<OwnFiles>,
}

#[derive(Debug)]
struct OwnFiles {
    recovery: PathBuf,
    lock_path: PathBuf,
    /// Locked for as long as this run lives; the lock tells other runs
    /// that the recovery file is not theirs to offer.
    _lock: File,
}

impl RecoveryStore {
    /// A store in `dir` for this run. Nothing is written until the first
    /// autosave.
    pub fn new(dir: &Path) -> RecoveryStore {
        RecoveryStore {
            dir: dir.to_path_buf(),
            own: None,
        }
    }

    /// This run's recovery file, once it has autosaved.
    pub fn own_file(&self) -> Option<&Path> {
        self.own.as_ref().map(|o| o.recovery.as_path())
    }

    /// Autosaves `session` to this run's file.
    pub fn write(&mut self, original_path: Option<&Path>, session: &Session) -> io::Result<()> {
        let header = match original_path {
            Some(p) => format!("{}\n", p.display()),
            None => "\n".to_owned(),
        };
        let text = format!(
            "{}\n{header}{}",
            now_unix_secs(),
            session_to_string(session)
        );
        let own = match self.own.take() {
            Some(own) => own,
            None => self.claim()?,
        };
        let own = self.own.insert(own);
        atomic_write(&own.recovery, text.as_bytes())
    }

    /// A new, locked name for this run's files.
    fn claim(&self) -> io::Result<OwnFiles> {
        fs::create_dir_all(&self.dir)?;
        let lock = create_locked(&self.dir, "session-", &format!(".{LOCK_EXTENSION}"))?;
        let (lock, lock_path) = lock.keep().map_err(|e| e.error)?;
        Ok(OwnFiles {
            recovery: lock_path.with_extension(EXTENSION),
            lock_path,
            _lock: lock,
        })
    }

    /// Removes this run's file after a save or a clean exit. A file
    /// that is already gone is fine.
    pub fn clear(&self) -> io::Result<()> {
        self.own_file().map_or(Ok(()), remove_if_present)
    }

    /// Recovery files left by runs that are no longer running. Files that
    /// cannot be read are moved aside (never deleted) and reported as errors.
    /// Temp files and locks that dead runs left are removed.
    pub fn find_orphans(&self) -> (Vec<FoundRecovery>, Vec<SessionFileError>) {
        let mut found = Vec::new();
        let mut errors = Vec::new();
        remove_stale_temps(&self.dir);
        let Ok(entries) = fs::read_dir(&self.dir) else {
            return (found, errors);
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| Some(p.as_path()) != self.own_file() && owner_is_gone(p))
            .collect();
        files.sort();
        for file in files {
            if file.extension().is_some_and(|x| x == LOCK_EXTENSION) {
                // A dead run's lock with no autosave beside it.
                if !file.with_extension(EXTENSION).exists() {
                    fs::remove_file(&file).ok();
                }
                continue;
            }
            match read_recovery(&file) {
                Ok(recovery) => found.push(FoundRecovery { file, recovery }),
                Err(e) => {
                    // Moved aside so it is offered only once; if even that
                    // fails it is offered again next time, which loses nothing.
                    fs::rename(&file, file.with_extension("corrupt")).ok();
                    fs::remove_file(file.with_extension(LOCK_EXTENSION)).ok();
                    errors.push(e);
                }
            }
        }
        (found, errors)
    }
}

impl Drop for RecoveryStore {
    fn drop(&mut self) {
        if let Some(own) = &self.own {
            // An autosave kept on exit is offered next time with or without
            // its lock file; a lock file left here is removed next time.
            fs::remove_file(&own.lock_path).ok();
        }
    }
}

/// True for a recovery or lock file whose run holds no lock on it any more.
fn owner_is_gone(file: &Path) -> bool {
    let Some(ext) = file.extension() else {
        return false;
    };
    if ext != EXTENSION && ext != LOCK_EXTENSION {
        return false;
    }
    match File::open(file.with_extension(LOCK_EXTENSION)) {
        Ok(lock) => lock.try_lock().is_ok(),
        // No lock file: its run exited, or wrote it before locks existed.
        Err(e) => e.kind() == io::ErrorKind::NotFound,
    }
}

/// Deletes a recovery file the user chose to discard or has restored.
pub fn discard(file: &Path) -> io::Result<()> {
    remove_if_present(file)?;
    remove_if_present(&file.with_extension(LOCK_EXTENSION))
}

fn remove_if_present(file: &Path) -> io::Result<()> {
    match fs::remove_file(file) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

fn read_recovery(file: &Path) -> Result<Recovery, SessionFileError> {
    // The header adds a line or two to a session file.
    let text =
        read_text(file, MAX_SESSION_BYTES + 4096).map_err(|error| SessionFileError::Read {
            path: file.to_path_buf(),
            error,
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

/// Seconds since the Unix epoch.
pub fn now_unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}
