//! `host` and `join` through the binary, on loopback with relays off.

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

use mlsd_studio::session::load_session;

const BIN: &str = env!("CARGO_BIN_EXE_mlsd-studio");

/// A `host` process that is killed when the test ends, however it ends.
struct Hosting(Child);

impl Drop for Hosting {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

fn reference(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("shared.mlsd");
    let status = Command::new(BIN)
        .args(["reference", "people-you-may-know", "-o"])
        .arg(&file)
        .status()
        .expect("runs");
    assert!(status.success());
    file
}

/// Starts `host FILE` and returns it with the ticket from its first line.
fn host(file: &Path) -> (Hosting, String) {
    let mut child = Command::new(BIN)
        .arg("host")
        .arg(file)
        .args(["--no-relay", "--bind", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("starts");
    let stdout = child.stdout.take().expect("piped");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("a first line");
    (Hosting(child), first.trim().to_owned())
}

fn join(ticket: &str, out: &Path) -> std::process::Output {
    Command::new(BIN)
        .arg("join")
        .arg(ticket)
        .arg("--snapshot")
        .arg(out)
        .args(["--no-relay", "--timeout", "20"])
        .output()
        .expect("runs")
}

#[test]
fn join_writes_the_hosted_session_and_exits_zero() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = reference(dir.path());
    let (_host, ticket) = host(&file);
    assert!(ticket.starts_with("mlsd1"), "{ticket}");
    let out = dir.path().join("copy.mlsd");
    let joined = join(&ticket, &out);
    assert!(
        joined.status.success(),
        "{}",
        String::from_utf8_lossy(&joined.stderr)
    );
    let original = load_session(&file).expect("reads");
    let copy = load_session(&out).expect("the copy is a valid session");
    assert_eq!(copy.case_study, original.case_study);
    assert_eq!(copy.diagrams, original.diagrams);
    let answers = |s: &mlsd_studio::session::Session| {
        s.steps.iter().map(|p| p.answer.clone()).collect::<Vec<_>>()
    };
    assert_eq!(answers(&copy), answers(&original));
}

#[test]
fn a_wrong_secret_exits_non_zero_with_the_reason_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let file = reference(dir.path());
    let (_host, ticket) = host(&file);
    let mut parsed = mlsd_studio::remote::Ticket::parse(&ticket).expect("a ticket");
    parsed.secret[3] ^= 0x40;
    let out = dir.path().join("copy.mlsd");
    let joined = join(&parsed.to_text(), &out);
    assert!(!joined.status.success());
    let stderr = String::from_utf8_lossy(&joined.stderr);
    assert!(stderr.contains("secret is wrong"), "{stderr}");
    assert!(!out.exists());

    let garbled = join("mlsd1-not-a-ticket", &out);
    assert!(!garbled.status.success());
    let stderr = String::from_utf8_lossy(&garbled.stderr);
    assert!(stderr.contains("invitation"), "{stderr}");
}
