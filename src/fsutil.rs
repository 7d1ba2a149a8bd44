//! Reading and saving files so that a hostile path cannot hang the app or
//! exhaust its memory, and a crash, kill or full disk never leaves a
//! half-written file.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// Temp files of saves in progress start with this. One that a killed save
/// left behind is removed by the next save into the same folder.
pub const TEMP_PREFIX: &str = ".mlsd-tmp-";

/// Why a file could not be read. The message carries its cause once.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read the file: {0}")]
    Io(io::Error),
    #[error("not a regular file: it is {0}")]
    NotRegular(&'static str),
    #[error("the file is larger than {} MiB, the limit for this kind of file", limit >> 20)]
    TooLarge { limit: u64 },
    #[error("not UTF-8 text (after byte {0})")]
    NotUtf8(usize),
}

/// Reads a regular file of at most `limit` bytes as text, without a leading
/// byte-order mark. Pipes and devices are refused before they are opened,
/// since reading one can block forever or never end.
pub fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let meta = fs::metadata(path).map_err(|e| describe_missing(path, e))?;
    check_regular(&meta, limit)?;
    let file = File::open(path).map_err(ReadError::Io)?;
    // The path may have been swapped between the check and the open.
    check_regular(&file.metadata().map_err(ReadError::Io)?, limit)?;
    let mut bytes = Vec::new();
    // The size in the metadata can lie (/proc files), so read one byte past
    // the limit to tell "exactly the limit" from "more".
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    let mut text =
        String::from_utf8(bytes).map_err(|e| ReadError::NotUtf8(e.utf8_error().valid_up_to()))?;
    // Some Windows editors start UTF-8 files with a byte-order mark.
    if text.starts_with('\u{feff}') {
        text.drain(..'\u{feff}'.len_utf8());
    }
    Ok(text)
}

fn check_regular(meta: &fs::Metadata, limit: u64) -> Result<(), ReadError> {
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(ReadError::NotRegular("a folder"));
    }
    if !kind.is_file() {
        return Err(ReadError::NotRegular(special_kind(&kind)));
    }
    if meta.len() > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(())
}

#[cfg(unix)]
fn special_kind(kind: &fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "a named pipe (FIFO)"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &fs::FileType) -> &'static str {
    "a special file"
}

/// A missing file that is really a link to nowhere says so.
fn describe_missing(path: &Path, e: io::Error) -> ReadError {
    let dangling = e.kind() == io::ErrorKind::NotFound
        && fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if dangling {
        ReadError::NotRegular("a broken symbolic link")
    } else {
        ReadError::Io(e)
    }
}

/// True when both paths name the same file (after following links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    let (Ok(x), Ok(y)) = (fs::metadata(a), fs::metadata(b)) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        x.dev() == y.dev() && x.ino() == y.ino()
    }
    #[cfg(not(unix))]
    {
        let _ = (x, y);
        fs::canonicalize(a)
            .ok()
            .is_some_and(|c| fs::canonicalize(b).ok() == Some(c))
    }
}

/// Writes `bytes` to `path` so that a crash leaves the old file or the new
/// one, never a mix:
///
/// - a regular file is replaced atomically: a temp file beside it (random
///   name, created exclusively, mode and owner copied) is written, synced
///   and renamed over it;
/// - a symbolic link is followed: the file it points to is replaced and the
///   link stays;
/// - a file with several hard links is written in place, so every link sees
///   the new content (as vim and emacs do). That one write is not atomic;
///   replacing the file instead would silently split the links;
/// - a device, pipe or socket (`/dev/null`) is written to, never replaced.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let target = follow_links(path)?;
    match fs::metadata(&target) {
        Ok(meta) if meta.is_dir() => Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a folder",
        )),
        Ok(meta) if !meta.is_file() => write_in_place(&target, bytes, false),
        Ok(meta) if link_count(&meta) > 1 => write_in_place(&target, bytes, true),
        Ok(meta) => replace(&target, bytes, Some(&meta)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => replace(&target, bytes, None),
        Err(e) => Err(e),
    }
}

/// `path` with the chain of symbolic links at its end followed; a link to
/// a file not yet there gives that file's path.
fn follow_links(path: &Path) -> io::Result<PathBuf> {
    let mut path = path.to_path_buf();
    // Linux's own limit on links followed in one lookup.
    for _ in 0..40 {
        match fs::symlink_metadata(&path) {
            Ok(m) if m.file_type().is_symlink() => {
                let to = fs::read_link(&path)?;
                // A relative link is relative to the link's folder.
                path = parent_dir(&path).join(to);
            }
            _ => return Ok(path),
        }
    }
    Err(io::Error::other("too many levels of symbolic links"))
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(unix)]
fn link_count(meta: &fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::nlink(meta)
}

#[cfg(not(unix))]
fn link_count(_: &fs::Metadata) -> u64 {
    1
}

fn write_in_place(path: &Path, bytes: &[u8], regular: bool) -> io::Result<()> {
    let mut f = OpenOptions::new().write(true).open(path)?;
    f.write_all(bytes)?;
    if regular {
        // Truncated after writing, so the file is never empty meanwhile.
        f.set_len(bytes.len() as u64)?;
        f.sync_all()?;
    }
    Ok(())
}

fn replace(path: &Path, bytes: &[u8], old: Option<&fs::Metadata>) -> io::Result<()> {
    let dir = parent_dir(path);
    remove_stale_temps(&dir);
    let mut tmp = create_locked(&dir, TEMP_PREFIX, "")?;
    if let Some(old) = old {
        keep_owner_and_mode(tmp.as_file(), old)?;
    }
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    // On failure the temp file is dropped, which removes it.
    tmp.persist(path).map_err(|e| e.error)?;
    // Make the rename itself durable; not every platform can open a folder.
    if let Ok(d) = File::open(&dir) {
        // Best effort: the file itself is already complete and synced.
        d.sync_all().ok();
    }
    Ok(())
}

/// A new file in `dir` named `prefix`, random letters and `suffix`, created
/// exclusively and locked for as long as it is open, so that a clean-up in
/// another process can tell a live writer from a dead one.
pub fn create_locked(dir: &Path, prefix: &str, suffix: &str) -> io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(prefix).suffix(suffix).rand_bytes(12);
    // Created as a plain new file would be (0666 less the umask), not 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    for _ in 0..3 {
        let file = builder.tempfile_in(dir)?;
        file.as_file().lock()?;
        // A clean-up may have removed it between its creation and the lock.
        if same_file_as_open(file.path(), file.as_file()) {
            return Ok(file);
        }
    }
    Err(io::Error::other(
        "new files in this folder keep disappearing",
    ))
}

fn same_file_as_open(path: &Path, file: &File) -> bool {
    let (Ok(a), Ok(b)) = (fs::symlink_metadata(path), file.metadata()) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        a.dev() == b.dev() && a.ino() == b.ino()
    }
    #[cfg(not(unix))]
    {
        a.len() == b.len()
    }
}

fn keep_owner_and_mode(tmp: &File, old: &fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = tmp.metadata()?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            // Only root (or a member of the group) may do this; otherwise the
            // file becomes the saver's, as with any editor.
            std::os::unix::fs::fchown(tmp, Some(old.uid()), Some(old.gid())).ok();
        }
    }
    // After the owner, since changing the owner can clear mode bits.
    tmp.set_permissions(old.permissions())
}

/// Removes temp files that killed saves left in `dir`: those whose lock
/// nobody holds. Never fails; what cannot be removed now is tried again on
/// the next save.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let ours = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(TEMP_PREFIX))
            && entry.file_type().is_ok_and(|t| t.is_file());
        if !ours {
            continue;
        }
        let path = entry.path();
        if let Ok(f) = File::open(&path)
            && f.try_lock().is_ok()
        {
            // Removed while locked, so no save can adopt it meanwhile.
            fs::remove_file(&path).ok();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .expect("list")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary_behind() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        atomic_write(&path, b"one").expect("first write");
        atomic_write(&path, b"two").expect("second write");
        assert_eq!(fs::read(&path).expect("read"), b"two");
        assert_eq!(names(dir.path()), ["a.txt"]);
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        fs::write(&path, b"keep").expect("seed");
        let blocked = dir.path().join("sub");
        fs::create_dir(&blocked).expect("mkdir");
        assert!(atomic_write(&blocked, b"new").is_err());
        assert_eq!(fs::read(&path).expect("read"), b"keep");
        assert_eq!(names(dir.path()), ["a.txt", "sub"]);
    }

    #[test]
    fn stale_temps_go_and_live_ones_stay() {
        let dir = tempfile::tempdir().expect("temp dir");
        let dead = dir.path().join(format!("{TEMP_PREFIX}dead"));
        fs::write(&dead, b"half").expect("seed");
        let live = create_locked(dir.path(), TEMP_PREFIX, "").expect("live temp");
        atomic_write(&dir.path().join("a.txt"), b"x").expect("write");
        assert!(!dead.exists(), "a temp nobody holds is removed");
        assert!(live.path().exists(), "a temp being written is kept");
    }

    #[test]
    fn reading_stops_at_the_limit_and_drops_a_byte_order_mark() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        fs::write(&path, "\u{feff}héllo").expect("seed");
        assert_eq!(read_text(&path, 100).expect("read"), "héllo");
        assert!(matches!(
            read_text(&path, 4),
            Err(ReadError::TooLarge { limit: 4 })
        ));
        assert!(matches!(
            read_text(dir.path(), 4),
            Err(ReadError::NotRegular("a folder"))
        ));
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_not_read() {
        let zero = read_text(Path::new("/dev/zero"), 1 << 20).expect_err("a device");
        assert_eq!(zero.to_string(), "not a regular file: it is a device");
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_to_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo runs");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || fs::read(fifo).expect("read the pipe"))
        };
        atomic_write(&fifo, b"through").expect("written in place");
        assert_eq!(reader.join().expect("reader"), b"through");
        let kind = fs::symlink_metadata(&fifo).expect("meta").file_type();
        assert!(kind.is_fifo(), "still a pipe");
        assert!(matches!(
            read_text(&fifo, 10),
            Err(ReadError::NotRegular("a named pipe (FIFO)"))
        ));
    }

    #[cfg(unix)]
    #[test]
    fn mode_links_and_hard_links_survive_a_save() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt, symlink};
        let dir = tempfile::tempdir().expect("temp dir");
        let real = dir.path().join("real.txt");
        fs::write(&real, b"old").expect("seed");
        fs::set_permissions(&real, fs::Permissions::from_mode(0o600)).expect("chmod");
        let link = dir.path().join("link.txt");
        symlink("real.txt", &link).expect("symlink");
        atomic_write(&link, b"new").expect("save through the link");
        assert!(
            fs::symlink_metadata(&link)
                .expect("link")
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read(&real).expect("read"), b"new");
        assert_eq!(fs::metadata(&real).expect("meta").mode() & 0o777, 0o600);

        let hard = dir.path().join("hard.txt");
        fs::hard_link(&real, &hard).expect("hard link");
        atomic_write(&hard, b"newer, longer").expect("save a hard link");
        assert_eq!(fs::read(&real).expect("read"), b"newer, longer");
        atomic_write(&hard, b"short").expect("save shorter");
        assert_eq!(fs::read(&real).expect("read"), b"short");
        assert_eq!(fs::metadata(&real).expect("meta").nlink(), 2);
    }
}
