//! Hostile and clumsy inputs through the binary and the app state: nothing
//! on disk is lost, nothing hangs, and every message says what is wrong and
//! where.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use mlsd_studio::content;
use mlsd_studio::session::{load_session, save_session};

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

/// Runs the binary; a run that takes more than a minute is a hang.
fn run(args: &[&str], dir: &Path) -> Output {
    let child = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the binary");
    let pid = child.id();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || tx.send(child.wait_with_output()).ok());
    match rx.recv_timeout(Duration::from_secs(60)) {
        Ok(out) => out.expect("output"),
        Err(_) => {
            let killed = Command::new("kill").args(["-9", &pid.to_string()]).status();
            panic!("mlsd-studio {args:?} hung (killed: {killed:?})");
        }
    }
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A folder holding a copy of the example session as `s.mlsd`.
fn with_session() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let session = dir.path().join("s.mlsd");
    fs::copy(EXAMPLE, &session).expect("copy the example");
    (dir, session)
}

fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo").arg(path).status().expect("mkfifo");
    assert!(made.success());
}

#[test]
fn export_and_report_never_overwrite_a_session() {
    let (dir, session) = with_session();
    let original = fs::read(&session).expect("read");
    let other = dir.path().join("notes.txt");
    fs::copy(EXAMPLE, &other).expect("a session under another name");
    #[cfg(unix)]
    std::os::unix::fs::symlink("s.mlsd", dir.path().join("link.svg")).expect("symlink");
    let cases = [
        ("s.mlsd", "that is the session being exported"),
        ("link.svg", "that is the session being exported"),
        ("notes.txt", "that is a session file"),
        ("new.mlsd", "that is a session file"),
    ];
    for (target, message) in cases {
        if !cfg!(unix) && target == "link.svg" {
            continue;
        }
        for args in [
            ["export", "s.mlsd", "--format", "svg", "-o", target],
            ["report", "s.mlsd", "--format", "md", "-o", target],
        ] {
            let out = run(&args, dir.path());
            assert_eq!(out.status.code(), Some(1), "{args:?}");
            let err = stderr(&out);
            assert!(
                err.contains(target) && err.contains(message),
                "{args:?}: {err}"
            );
        }
    }
    assert_eq!(fs::read(&session).expect("read"), original);
    assert_eq!(fs::read(&other).expect("read"), original);
    assert!(!dir.path().join("new.mlsd").exists());
}

#[test]
fn dash_writes_to_standard_output() {
    let (dir, _) = with_session();
    let out = run(
        &["export", "s.mlsd", "--format", "mermaid", "-o", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("flowchart LR"));
    assert!(!dir.path().join("-").exists());
    let out = run(
        &["report", "s.mlsd", "--format", "md", "-o", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("# "), "{}", stdout(&out));
}

#[cfg(unix)]
#[test]
fn pipes_and_devices_as_outputs_are_written_not_replaced() {
    use std::os::unix::fs::FileTypeExt;
    let (dir, _) = with_session();
    let pipe = dir.path().join("out.pipe");
    mkfifo(&pipe);
    let reader = {
        let pipe = pipe.clone();
        std::thread::spawn(move || fs::read_to_string(pipe).expect("read the pipe"))
    };
    let out = run(
        &["export", "s.mlsd", "--format", "dot", "-o", "out.pipe"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(reader.join().expect("reader").starts_with("digraph"));
    assert!(fs::metadata(&pipe).expect("meta").file_type().is_fifo());

    // A copy of /dev/null, where only root may make one: the real one is
    // not risked on the machine running the tests.
    let null = dir.path().join("null");
    let made = Command::new("mknod")
        .args([null.to_str().expect("utf-8"), "c", "1", "3"])
        .stderr(Stdio::null())
        .status();
    if made.is_ok_and(|s| s.success()) {
        let out = run(
            &["export", "s.mlsd", "--format", "svg", "-o", "null"],
            dir.path(),
        );
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(
            fs::metadata(&null)
                .expect("meta")
                .file_type()
                .is_char_device()
        );
    }
}

#[cfg(unix)]
#[test]
fn a_pipe_or_device_as_the_session_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    mkfifo(&dir.path().join("s.mlsd"));
    let out = run(
        &["export", "s.mlsd", "--format", "svg", "-o", "x.svg"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("s.mlsd: not a regular file: it is a named pipe (FIFO)"),
        "{}",
        stderr(&out)
    );
    if Path::new("/dev/zero").exists() {
        let out = run(&["simulate", "/dev/zero", "--qps", "10"], dir.path());
        assert_eq!(out.status.code(), Some(1));
        assert!(
            stderr(&out).contains("/dev/zero: not a regular file: it is a device"),
            "{}",
            stderr(&out)
        );
    }
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let (dir, session) = with_session();
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(fs::read(&session).expect("read"));
    fs::write(&session, bytes).expect("write");
    let out = run(
        &["export", "s.mlsd", "--format", "mermaid", "-o", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn a_cause_is_printed_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    for args in [
        vec!["export", "missing.mlsd", "--format", "svg", "-o", "x.svg"],
        vec!["--content", "missing", "list"],
        vec!["check", "missing"],
    ] {
        let out = run(&args, dir.path());
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let text = stderr(&out) + &stdout(&out);
        assert!(text.contains("missing"), "{args:?}: {text}");
        assert!(text.matches("os error").count() <= 1, "{args:?}: {text}");
        assert!(text.matches("No such").count() <= 1, "{args:?}: {text}");
    }
}

#[test]
fn check_and_list_say_when_the_folder_is_missing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run(&["check", "nowhere"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("nowhere: no such folder"),
        "{}",
        stderr(&out)
    );
    assert!(!stdout(&out).contains("files checked"), "{}", stdout(&out));
    let out = run(&["--content", "nowhere", "list"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nowhere: no such folder"));
}

#[test]
fn list_fails_when_no_case_study_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    fs::create_dir(&content).expect("mkdir");
    fs::write(content.join("broken.ron"), "CaseStudy(").expect("write");
    let out = run(&["--content", "content", "list"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("broken.ron:"), "{}", stderr(&out));
    fs::remove_file(content.join("broken.ron")).expect("remove");
    let out = run(&["--content", "content", "list", "--json"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("no case-study files"));
}

#[test]
fn check_reports_special_entries_and_a_repeated_id_where_it_is() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = dir.path().join("content");
    fs::create_dir(&content).expect("mkdir");
    fs::copy("case_studies/visual-search.ron", content.join("a.ron")).expect("copy");
    fs::copy("case_studies/visual-search.ron", content.join("b.ron")).expect("copy");
    fs::create_dir(content.join("folder.ron")).expect("mkdir");
    #[cfg(unix)]
    {
        mkfifo(&content.join("pipe.ron"));
        std::os::unix::fs::symlink("nowhere.ron", content.join("broken.ron")).expect("link");
    }
    let out = run(&["check", "content"], dir.path());
    assert_eq!(out.status.code(), Some(1));
    let text = stdout(&out);
    let source = fs::read_to_string(content.join("b.ron")).expect("read");
    let line = source
        .lines()
        .position(|l| l.trim_start().starts_with("id:"))
        .expect("an id line")
        + 1;
    assert!(
        text.contains(&format!("b.ron:{line}:")) && text.contains("is already used by"),
        "{text}"
    );
    assert!(text.contains("folder.ron:1:1: not a regular file: it is a folder"));
    if cfg!(unix) {
        assert!(text.contains("pipe.ron:1:1: not a regular file: it is a named pipe"));
        assert!(text.contains("broken.ron:1:1: not a regular file: it is a broken symbolic link"));
    }
}

/// The example with `insert` placed just before the first `anchor`.
fn example_with(anchor: &str, insert: &str) -> String {
    let text = fs::read_to_string(EXAMPLE).expect("read");
    let at = text.find(anchor).expect("anchor in the example");
    format!("{}{insert}{}", &text[..at], &text[at..])
}

#[test]
fn unknown_fields_in_diagrams_are_refused_with_their_position() {
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    let cases = [
        (
            "label: \"Post, report",
            "colour: 3, ".to_owned(),
            "`colour` in `Node`",
        ),
        (
            "from: NodeId(",
            "weight: 2, ".to_owned(),
            "`weight` in `Edge`",
        ),
        ("nodes: [\n", "zoom: 2, ".to_owned(), "`zoom` in `Diagram`"),
        (
            "label: \"Post, report",
            format!("extra: {deep}, "),
            "`extra` in `Node`",
        ),
    ];
    for (anchor, insert, expected) in cases {
        let (dir, session) = with_session();
        fs::write(&session, example_with(anchor, &insert)).expect("write");
        let out = run(
            &["export", "s.mlsd", "--format", "svg", "-o", "x.svg"],
            dir.path(),
        );
        assert_eq!(out.status.code(), Some(1));
        let err = stderr(&out);
        assert!(err.contains(expected), "{err}");
        let position = err
            .split(':')
            .nth(2)
            .and_then(|s| s.parse::<usize>().ok())
            .expect("s.mlsd:line:col");
        assert!(position > 1, "{err}");
        assert!(!err.contains("recursion_limit") && !err.contains("serde_stacker"));
    }
}

#[test]
fn a_label_past_the_limit_is_refused_with_a_message() {
    let (dir, session) = with_session();
    let long = "x".repeat(300_000);
    fs::write(&session, example_with("Post, report", &format!("{long} "))).expect("write");
    let out = run(
        &["export", "s.mlsd", "--format", "png", "-o", "x.png"],
        dir.path(),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out)
            .contains("the label of node 1 has 300,031 characters; labels are limited to 1,000"),
        "{}",
        stderr(&out)
    );
}

#[cfg(unix)]
#[test]
fn saving_keeps_the_mode_the_symlink_and_the_hard_link() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let (dir, session) = with_session();
    fs::set_permissions(&session, fs::Permissions::from_mode(0o600)).expect("chmod");
    let link = dir.path().join("link.mlsd");
    std::os::unix::fs::symlink("s.mlsd", &link).expect("symlink");
    let hard = dir.path().join("hard.mlsd");
    fs::hard_link(&session, &hard).expect("hard link");
    let mut loaded = load_session(&link).expect("load");
    loaded.current_step = 2;
    save_session(&link, &loaded).expect("save through the link");
    assert!(
        fs::symlink_metadata(&link)
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    let meta = fs::metadata(&session).expect("meta");
    assert_eq!(meta.mode() & 0o777, 0o600, "private notes stay private");
    assert_eq!(meta.nlink(), 2, "the hard link is kept");
    assert_eq!(load_session(&hard).expect("load").current_step, 2);
}

#[test]
fn errors_carry_their_cause_in_their_message_not_again_as_a_source() {
    // A reporter that prints the chain of causes (anyhow's `{:#}`) would
    // print it twice otherwise.
    let err = load_session(Path::new("missing.mlsd")).expect_err("missing");
    assert!(err.to_string().contains("os error"), "{err}");
    assert!(std::error::Error::source(&err).is_none());
    let err = mlsd_studio::cli::check(Path::new("missing")).expect_err("missing");
    assert!(std::error::Error::source(&err).is_none());
    let advice = content::ron_message(&ron::Error::ExceededRecursionLimit);
    assert!(!advice.contains("serde_stacker") && !advice.contains("recursion_limit"));
}

#[test]
fn huge_numbers_from_a_file_print_short() {
    let (dir, session) = with_session();
    let text = fs::read_to_string(&session).expect("read");
    let first = text.find("seconds_spent: ").expect("a step time") + "seconds_spent: ".len();
    let end = first + text[first..].find(')').expect("end of the step");
    fs::write(&session, format!("{}1e308{}", &text[..first], &text[end..])).expect("write");
    let out = run(
        &["report", "s.mlsd", "--format", "md", "-o", "-"],
        dir.path(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("1.00e308 s"), "{report}");
    assert!(!report.contains("0000000000"), "{report}");
}
