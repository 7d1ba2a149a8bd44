//! The progress history: append and load, damaged files moved aside and
//! reported, no entry lost to concurrent writers, and the summaries.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};

use mlsd_studio::content;
use mlsd_studio::mock::{Competency, MockConfig, MockMode, MockState, rubric};
use mlsd_studio::progress::{
    ProgressEntry, ProgressError, ProgressStore, case_series, moving_average, practise_next,
    step_averages, step_series, weakest_steps,
};
use mlsd_studio::session::Session;

fn entry(case: &str, at: u64, scores: [Option<f64>; 7]) -> ProgressEntry {
    ProgressEntry {
        finished_unix_secs: at,
        case_study: case.to_owned(),
        case_title: format!("Title of {case}"),
        mode: MockMode::Solo,
        step_scores: scores,
        competency: [(Competency::Data, 2.5)].into_iter().collect(),
        seconds_per_step: [60.0; 7],
    }
}

fn tagged(tag: &str, i: u64) -> ProgressEntry {
    entry(&format!("{tag}-{i}"), 1_700_000_000 + i, [Some(2.0); 7])
}

#[test]
fn append_then_load_gives_the_entries_back_oldest_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ProgressStore::new(dir.path().join("sub/history.ron"));
    assert_eq!(store.load().expect("missing file is empty"), vec![]);
    let a = entry(
        "visual-search",
        200,
        [Some(3.0), None, Some(2.5), None, None, None, None],
    );
    let b = entry("video-search", 100, [Some(1.0); 7]);
    assert_eq!(store.append(a.clone()).expect("append"), None);
    assert_eq!(store.append(b.clone()).expect("append"), None);
    assert_eq!(store.load().expect("load"), vec![b, a]);
    // The file is the only thing left besides the lock: no temporaries.
    let names: BTreeSet<String> = fs::read_dir(dir.path().join("sub"))
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names,
        ["history.ron", "history.ron.lock"].map(String::from).into()
    );
}

#[test]
fn out_of_range_values_in_the_file_are_dropped_on_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = ProgressStore::new(dir.path().join("history.ron"));
    let mut e = entry("x", 1, [Some(3.0); 7]);
    e.step_scores[0] = Some(9.0);
    e.seconds_per_step[1] = -4.0;
    e.competency.insert(Competency::Modelling, f64::NAN);
    store.append(e).expect("append");
    let back = store.load().expect("load");
    assert_eq!(back[0].step_scores[0], None);
    assert_eq!(back[0].step_scores[1], Some(3.0));
    assert_eq!(back[0].seconds_per_step[1], 0.0);
    assert!(!back[0].competency.contains_key(&Competency::Modelling));
}

#[test]
fn a_damaged_file_is_reported_moved_aside_and_then_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.ron");
    let damaged = "History(\n  format_version: 1,\n  entries: [ oops ],\n)\n";
    fs::write(&path, damaged).expect("seed");
    let store = ProgressStore::new(&path);
    let err = store.load().expect_err("damaged");
    let ProgressError::Corrupt(c) = &err else {
        panic!("expected Corrupt, got {err}");
    };
    let msg = err.to_string();
    assert!(msg.contains(&path.display().to_string()), "{msg}");
    assert_eq!((c.line, c.col), (3, 14), "{msg}");
    assert!(msg.contains(&format!("{}:3:14:", path.display())), "{msg}");
    assert!(!path.exists(), "moved away");
    let aside = c
        .moved_to
        .file_name()
        .expect("name")
        .to_string_lossy()
        .into_owned();
    assert!(aside.starts_with("history.ron.corrupt-"), "{aside}");
    assert_eq!(fs::read_to_string(&c.moved_to).expect("kept"), damaged);
    assert!(msg.contains(&c.moved_to.display().to_string()), "{msg}");

    store
        .append(entry("a", 1, [None; 7]))
        .expect("a fresh file");
    assert_eq!(store.load().expect("load").len(), 1);
    assert!(c.moved_to.exists(), "the damaged copy is never deleted");
}

#[test]
fn append_onto_a_damaged_file_says_so_and_keeps_both() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.ron");
    fs::write(&path, [0xff, 0xfe, 0x00]).expect("seed binary junk");
    let store = ProgressStore::new(&path);
    let moved = store.append(entry("a", 1, [None; 7])).expect("append");
    let moved = moved.expect("the damaged file is reported");
    assert_eq!(fs::read(&moved.moved_to).expect("kept"), [0xff, 0xfe, 0x00]);
    assert_eq!(store.load().expect("load").len(), 1);
    // A second damage on the same second gets its own name.
    fs::write(&path, "junk").expect("seed");
    let again = store
        .append(entry("b", 2, [None; 7]))
        .expect("append")
        .expect("reported");
    assert_ne!(again.moved_to, moved.moved_to);
    assert!(moved.moved_to.exists() && again.moved_to.exists());
}

#[test]
fn a_newer_format_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.ron");
    let text = "History(format_version: 99, entries: [], future: true)";
    fs::write(&path, text).expect("seed");
    let store = ProgressStore::new(&path);
    assert!(matches!(
        store.load(),
        Err(ProgressError::Newer { found: 99, .. })
    ));
    assert!(matches!(
        store.append(entry("a", 1, [None; 7])),
        Err(ProgressError::Newer { .. })
    ));
    assert_eq!(fs::read_to_string(&path).expect("same"), text);
}

fn assert_all_present(path: &Path, tags: &[&str], per_tag: u64) {
    let entries = ProgressStore::new(path).load().expect("load");
    let ids: BTreeSet<String> = entries.iter().map(|e| e.case_study.clone()).collect();
    assert_eq!(entries.len(), ids.len(), "no duplicates");
    for tag in tags {
        for i in 0..per_tag {
            assert!(ids.contains(&format!("{tag}-{i}")), "lost {tag}-{i}");
        }
    }
    assert_eq!(entries.len() as u64, tags.len() as u64 * per_tag);
}

#[test]
fn two_threads_appending_fifty_each_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.ron");
    std::thread::scope(|s| {
        for tag in ["t0", "t1"] {
            let path = path.clone();
            s.spawn(move || {
                let store = ProgressStore::new(path);
                for i in 0..50 {
                    store.append(tagged(tag, i)).expect("append");
                }
            });
        }
    });
    assert_all_present(&path, &["t0", "t1"], 50);
}

const CHILD_PATH: &str = "MLSD_HISTORY_TEST_CHILD_PATH";
const CHILD_TAG: &str = "MLSD_HISTORY_TEST_CHILD_TAG";

/// Does nothing in a normal run; the process test below runs this test
/// binary again with only this test selected, as a second app instance.
#[test]
fn child_process_appender() {
    let (Some(path), Some(tag)) = (std::env::var_os(CHILD_PATH), std::env::var(CHILD_TAG).ok())
    else {
        return;
    };
    let store = ProgressStore::new(path);
    for i in 0..25 {
        store.append(tagged(&tag, i)).expect("append");
    }
}

#[test]
fn two_processes_and_a_thread_appending_at_once_lose_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("history.ron");
    let exe = std::env::current_exe().expect("test binary");
    let children: Vec<_> = ["p0", "p1"]
        .iter()
        .map(|tag| {
            Command::new(&exe)
                .args([
                    "--exact",
                    "child_process_appender",
                    "--test-threads=1",
                    "--quiet",
                ])
                .env(CHILD_PATH, &path)
                .env(CHILD_TAG, tag)
                // Keep the child's own test summary out of this run's output.
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn a second instance")
        })
        .collect();
    let store = ProgressStore::new(&path);
    for i in 0..25 {
        store.append(tagged("here", i)).expect("append");
    }
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_all_present(&path, &["p0", "p1", "here"], 25);
}

#[test]
fn an_entry_is_made_from_a_finished_mock() {
    let library = content::bundled();
    let study = library.get("video-search").expect("shipped");
    let session = Session::new(study);
    let mut m = MockState::new(MockConfig::new(60, MockMode::WithInterviewer));
    m.start(0.0);
    m.tick(30.0);
    m.set_score(1, rubric(1)[0].id, Some(4)).expect("valid");
    m.set_score(1, rubric(1)[1].id, Some(3)).expect("valid");
    m.set_signal(Competency::Communication, Some(2))
        .expect("valid");
    m.finish(40.0);
    let e = ProgressEntry::from_mock(&session, study, &m, 1_800_000_000);
    assert_eq!(e.case_study, "video-search");
    assert_eq!(e.case_title, study.title);
    assert_eq!(e.mode, MockMode::WithInterviewer);
    assert_eq!(e.step_scores[0], Some(3.5));
    assert_eq!(e.step_scores[1], None);
    assert_eq!(e.seconds_per_step[0], 40.0);
    assert_eq!(e.competency.get(&Competency::Communication), Some(&2.0));
    assert_eq!(e.mean_score(), Some(3.5));
}

#[test]
fn summaries_find_trends_weak_steps_and_what_to_practise() {
    let s = |v: f64| Some(v);
    let entries = vec![
        entry("b", 300, [s(4.0), s(2.0), None, s(3.0), None, None, None]),
        entry("a", 100, [s(2.0), s(1.0), None, s(3.0), None, None, None]),
        entry("a", 200, [s(3.0), s(1.5), None, None, None, None, None]),
    ];
    let avg = step_averages(&entries);
    assert_eq!(avg[0], Some(3.0));
    assert_eq!(avg[1], Some(1.5));
    assert_eq!(avg[2], None);
    assert_eq!(weakest_steps(&entries, 2), vec![(2, 1.5), (1, 3.0)]);
    assert_eq!(
        step_series(&entries, 1),
        vec![(100, 2.0), (200, 3.0), (300, 4.0)]
    );
    assert_eq!(step_series(&entries, 4), vec![(100, 3.0), (300, 3.0)]);
    assert!(step_series(&entries, 8).is_empty());
    assert_eq!(case_series(&entries, "a"), vec![(100, 2.0), (200, 2.25)]);
    assert_eq!(
        moving_average(&step_series(&entries, 1), 2),
        vec![(100, 2.0), (200, 2.5), (300, 3.5)]
    );
    // Never practised first, then least practised, then lowest scored.
    assert_eq!(
        practise_next(&entries, ["a", "b", "c"], 3),
        vec!["c", "b", "a"]
    );
    let more = [entries.clone(), vec![entry("c", 400, [s(1.0); 7])]].concat();
    assert_eq!(practise_next(&more, ["a", "b", "c"], 2), vec!["c", "b"]);
}
