//! Saving files so that a crash or a full disk never leaves a half-written one.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder is
/// written and flushed to disk, then renamed over `path`. On any error the old
/// file is untouched and the temporary file removed.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "path has no file name"))?;
    let tmp = dir.join(format!(
        ".{}.tmp-{}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let result = write_synced(&tmp, bytes).and_then(|()| fs::rename(&tmp, path));
    if result.is_err() {
        // The write failed and is reported below; a temp file that cannot
        // be removed either changes nothing the user relies on.
        fs::remove_file(&tmp).ok();
    }
    result?;
    // Make the rename itself durable; not every platform can open a folder.
    if let Ok(d) = File::open(&dir) {
        // Best effort: the file itself is already complete and synced.
        d.sync_all().ok();
    }
    Ok(())
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = File::create(path)?;
    f.write_all(bytes)?;
    f.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        atomic_write(&path, b"one").expect("first write");
        atomic_write(&path, b"two").expect("second write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        fs::write(&path, b"keep").expect("seed");
        // Renaming over a directory fails, so the original must survive.
        let blocked = dir.path().join("sub");
        fs::create_dir(&blocked).expect("mkdir");
        fs::write(blocked.join("x"), b"x").expect("fill");
        assert!(atomic_write(&blocked, b"new").is_err());
        assert_eq!(fs::read(&path).expect("read"), b"keep");
        assert_eq!(fs::read_dir(dir.path()).expect("list").count(), 2);
    }
}
