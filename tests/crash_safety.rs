//! Writers killed with SIGKILL mid-save, over and over: the target is always
//! the old or the new complete file, an autosave is always whole and found
//! again, and the temp files that killed writes leave are removed by the
//! next write.
//!
//! Session saves and autosaves are written by this test binary run again as
//! a child (`writer_child`), exports by `mlsd-studio export`.

#![cfg(unix)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use mlsd_studio::content;
use mlsd_studio::diagram::{ComponentKind, DiagramEdit, Point, SERVING_DIAGRAM};
use mlsd_studio::fsutil::{TEMP_PREFIX, atomic_write};
use mlsd_studio::session::{RecoveryStore, Session, SessionEdit, load_session, save_session};

/// Tells a run of this binary to be the writer.
const CHILD_ENV: &str = "MLSD_CRASH_CHILD";
/// Kills per kind of write.
const KILLS: u32 = 40;

/// Two sessions, each a few megabytes, so a kill often lands mid-write.
fn sessions() -> [Session; 2] {
    let library = content::bundled();
    let study = library.get("visual-search").expect("shipped");
    ["old", "new"].map(|word| {
        let mut s = Session::new(study);
        let text = format!("{word} ").repeat(600_000);
        s.apply(study, SessionEdit::SetAnswer { step: 1, text }, 0.0);
        s
    })
}

/// Not a test of its own: the writer the tests below start and kill. It
/// saves the two sessions in turn, forever.
#[test]
fn writer_child() {
    let Ok(spec) = std::env::var(CHILD_ENV) else {
        return;
    };
    let (mode, path) = spec.split_once(':').expect("mode:path");
    let path = Path::new(path);
    let sessions = sessions();
    let mut store = RecoveryStore::new(path);
    for i in 0.. {
        let session = &sessions[i % 2];
        match mode {
            "save" => save_session(path, session).expect("save"),
            _ => store.write(None, session).expect("autosave"),
        }
    }
}

fn spawn_writer(mode: &str, path: &Path) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["writer_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, format!("{mode}:{}", path.display()))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the writer")
}

/// Spread over `span`, so kills land at every point of a write.
fn delay(i: u32, span: Duration) -> Duration {
    span.mul_f64(f64::from((i * 37) % KILLS) / f64::from(KILLS))
}

fn kill(mut child: Child) {
    child.kill().expect("SIGKILL");
    child.wait().expect("reaped");
}

fn temps(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .expect("list")
        .map(|e| e.expect("entry").path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(TEMP_PREFIX))
        })
        .collect()
}

/// After each kill at most the killed writer's own temp is left; the next
/// write removes it.
fn check_temps(dir: &Path, left_behind: &mut u32) {
    let left = temps(dir);
    assert!(left.len() <= 1, "{left:?}");
    *left_behind += left.len() as u32;
}

#[test]
fn killed_session_saves_leave_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("practice.mlsd");
    let sessions = sessions();
    save_session(&path, &sessions[0]).expect("first save");
    let mut left_behind = 0;
    for i in 0..KILLS {
        let child = spawn_writer("save", &path);
        std::thread::sleep(Duration::from_millis(20) + delay(i, Duration::from_millis(200)));
        kill(child);
        let loaded = load_session(&path).expect("always a whole session");
        assert!(sessions.contains(&loaded), "kill {i}: an unknown session");
        check_temps(dir.path(), &mut left_behind);
    }
    eprintln!("{KILLS} kills during saves left {left_behind} temp files behind");
    save_session(&path, &sessions[1]).expect("a save after the kills");
    assert!(temps(dir.path()).is_empty(), "the next save cleans up");
}

#[test]
fn killed_autosaves_are_whole_and_found_again() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sessions = sessions();
    let mut found_total = 0;
    for i in 0..KILLS {
        let child = spawn_writer("autosave", dir.path());
        if i == 0 {
            // While the writer lives, its autosave is not anyone else's.
            let started = Instant::now();
            while !has_recovery(dir.path()) {
                assert!(started.elapsed().as_secs() < 60, "no autosave appeared");
                std::thread::sleep(Duration::from_millis(10));
            }
            let (found, errors) = RecoveryStore::new(dir.path()).find_orphans();
            assert!(
                found.is_empty() && errors.is_empty(),
                "{found:?} {errors:?}"
            );
        }
        std::thread::sleep(Duration::from_millis(40) + delay(i, Duration::from_millis(200)));
        kill(child);
        let (found, errors) = RecoveryStore::new(dir.path()).find_orphans();
        assert!(errors.is_empty(), "kill {i}: {errors:?}");
        for f in found {
            assert!(sessions.contains(&f.recovery.session), "kill {i}");
            mlsd_studio::session::discard(&f.file).expect("discard");
            found_total += 1;
        }
        // Start-up (find_orphans) removed what the killed writer left.
        assert!(temps(dir.path()).is_empty());
    }
    assert!(found_total > 0, "some writer got as far as an autosave");
    eprintln!("{KILLS} kills during autosaves; {found_total} autosaves found whole");
}

fn has_recovery(dir: &Path) -> bool {
    fs::read_dir(dir)
        .expect("list")
        .any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "recovery")))
}

/// A session whose serving diagram has `count` nodes in a chain.
fn big_session(base: &Session, count: usize, label: &str) -> Session {
    let mut s = base.clone();
    let d = s.diagram_mut(SERVING_DIAGRAM).expect("default diagram");
    let mut previous = None;
    for i in 0..count {
        let id = d
            .apply(DiagramEdit::AddNode {
                kind: ComponentKind::ALL[i % ComponentKind::ALL.len()],
                pos: Point::new((i % 50) as f32 * 200.0, (i / 50) as f32 * 120.0),
            })
            .nodes[0];
        d.apply(DiagramEdit::RenameNode {
            id,
            label: format!("{label} {i}"),
        });
        if let Some(p) = previous {
            d.apply(DiagramEdit::Connect { from: p, to: id });
        }
        previous = Some(id);
    }
    s
}

#[test]
fn killed_exports_leave_the_old_or_the_new_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let [base, _] = sessions();
    let mut expected = Vec::new();
    let mut span = Duration::ZERO;
    for (name, label) in [("a.mlsd", "old"), ("b.mlsd", "new")] {
        let input = dir.path().join(name);
        save_session(&input, &big_session(&base, 3_000, label)).expect("save");
        let out = dir.path().join(format!("{name}.svg"));
        let started = Instant::now();
        assert!(export(&input, &out).wait().expect("run").success());
        span = span.max(started.elapsed());
        expected.push(fs::read(&out).expect("export"));
    }
    let out = dir.path().join("out.svg");
    atomic_write(&out, &expected[0]).expect("seed");
    let mut left_behind = 0;
    for i in 0..KILLS {
        let input = dir.path().join(["a.mlsd", "b.mlsd"][i as usize % 2]);
        let child = export(&input, &out);
        // Most of a run is reading and drawing; the last part is the write.
        std::thread::sleep(span.mul_f64(0.75) + delay(i, span.mul_f64(0.4)));
        kill(child);
        let now = fs::read(&out).expect("the output is always there");
        assert!(expected.contains(&now), "kill {i}: a torn export");
        check_temps(dir.path(), &mut left_behind);
    }
    eprintln!("{KILLS} kills during exports left {left_behind} temp files behind");
    assert!(
        export(&dir.path().join("b.mlsd"), &out)
            .wait()
            .expect("run")
            .success()
    );
    assert!(temps(dir.path()).is_empty(), "the next export cleans up");
}

fn export(input: &Path, out: &Path) -> Child {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args(["export", "--format", "svg", "-o"])
        .arg(out)
        .arg(input)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("run the export")
}
