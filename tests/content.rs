//! Every shipped case study loads and is complete; broken files are reported
//! with the right positions.

use std::path::Path;
use std::process::Command;

use mlsd_studio::cli;
use mlsd_studio::content::{self, Position};
use mlsd_studio::framework::STEPS;

const ALL_TEN: [&str; 10] = [
    "visual-search",
    "street-view-blurring",
    "video-search",
    "harmful-content-detection",
    "video-recommendation",
    "event-recommendation",
    "ad-click-prediction",
    "similar-listings",
    "personalized-news-feed",
    "people-you-may-know",
];

#[test]
fn every_shipped_case_study_passes_check() {
    let report = cli::check(Path::new("case_studies")).expect("the folder is readable");
    assert!(report.ok(), "errors:\n{}", report.errors.join("\n"));
    assert_eq!(report.valid, ALL_TEN.len());
}

#[test]
fn all_ten_case_studies_are_present_and_complete() {
    let library = content::load_dir(Path::new("case_studies")).expect("the folder is readable");
    assert!(library.failures.is_empty(), "{:?}", library.failures);
    for id in ALL_TEN {
        let study = library.get(id).unwrap_or_else(|| panic!("{id} is missing"));
        assert!(study.questions.len() >= content::MIN_QUESTIONS, "{id}");
        assert_eq!(study.steps.len(), STEPS.len(), "{id}");
        for (step, fs) in study.steps.iter().zip(STEPS.iter()) {
            assert_eq!(step.step, fs.number, "{id}");
            assert!(
                step.checklist.len() >= content::MIN_CHECKLIST,
                "{id} step {}",
                fs.number
            );
            assert!(
                step.hints.len() >= content::MIN_HINTS,
                "{id} step {}",
                fs.number
            );
            assert!(
                step.follow_ups.len() >= content::MIN_FOLLOW_UPS,
                "{id} step {}",
                fs.number
            );
            assert!(!step.pitfalls.is_empty(), "{id} step {}", fs.number);
            assert!(
                content::REFERENCE_WORDS.contains(&content::word_count(&step.reference)),
                "{id} step {}",
                fs.number
            );
        }
        let s = study.scenario;
        assert!(
            s.peak_qps > 0.0 && s.p99_sla_ms > 0.0 && s.monthly_budget_usd > 0.0,
            "{id}"
        );
        // The stated peak follows from the case's own traffic figures.
        let derived =
            s.daily_active_users * s.requests_per_user_per_day / 86_400.0 * s.peak_to_mean;
        assert!(
            (s.peak_qps / derived - 1.0).abs() <= 0.05,
            "{id}: peak_qps {} but its DAU figures give {derived:.0}",
            s.peak_qps
        );
        assert!(!study.tags.is_empty(), "{id}");
    }
}

#[test]
fn the_bundled_copies_match_the_files_on_disk() {
    let on_disk = content::load_dir(Path::new("case_studies")).expect("the folder is readable");
    let bundled = content::bundled();
    assert!(bundled.failures.is_empty());
    assert_eq!(bundled.studies, on_disk.studies);
}

#[test]
fn a_missing_comma_is_reported_on_the_line_that_lacks_it() {
    let library =
        content::load_dir(Path::new("tests/fixtures/broken")).expect("the folder is readable");
    assert!(library.studies.is_empty());
    let errors: Vec<_> = library.errors().collect();
    assert_eq!(errors.len(), 1);
    let e = errors[0];
    assert!(e.file.ends_with("missing-comma.ron"));
    // `title: "Broken example"` on line 4 lacks its comma.
    assert_eq!(e.position, Position { line: 4, col: 28 });
    assert!(e.message.contains("comma"), "{}", e.message);
}

#[test]
fn every_problem_in_an_incomplete_file_is_reported_at_once_with_its_line() {
    let library =
        content::load_dir(Path::new("tests/fixtures/incomplete")).expect("the folder is readable");
    let lines: Vec<String> = library.errors().map(ToString::to_string).collect();
    let expect = [
        ("incomplete.ron:3:5:", "kebab-case"),
        ("incomplete.ron:7:5:", "unknown tag \"astrology\""),
        ("incomplete.ron:9:", "p99_sla_ms must be a number above 0"),
        (
            "incomplete.ron:9:",
            "sizing: retention_days cannot be negative",
        ),
        ("incomplete.ron:10:5:", "only 7 clarifying questions"),
        (
            "incomplete.ron:19:5:",
            "step 7 (Monitoring and infrastructure) is missing",
        ),
        (
            "incomplete.ron:34:13:",
            "step 2 (Framing as an ML task): checklist has 3 entries",
        ),
        (
            "incomplete.ron:58:13:",
            "step 4 (Model development): reference answer has 2 words",
        ),
    ];
    for (at, what) in expect {
        assert!(
            lines.iter().any(|l| l.contains(at) && l.contains(what)),
            "no error {at} {what} in:\n{}",
            lines.join("\n")
        );
    }
}

#[test]
fn duplicate_ids_across_files_keep_the_first_and_report_the_second() {
    let dir = tempfile::tempdir().expect("temp dir");
    let text = std::fs::read_to_string("case_studies/visual-search.ron").expect("read");
    std::fs::write(dir.path().join("a.ron"), &text).expect("write");
    std::fs::write(dir.path().join("b.ron"), &text).expect("write");
    let library = content::load_dir(dir.path()).expect("the folder is readable");
    assert_eq!(library.studies.len(), 1);
    let e = library.errors().next().expect("an error");
    assert!(e.file.ends_with("b.ron"));
    assert!(e.message.contains("already used by"), "{}", e.message);
}

#[test]
fn a_newer_format_version_is_refused_by_version() {
    let text = std::fs::read_to_string("case_studies/visual-search.ron").expect("read");
    let newer = text.replacen("format_version: 1", "format_version: 7", 1);
    let errors = content::parse_case_study(Path::new("x.ron"), &newer).expect_err("refused");
    assert_eq!(errors.len(), 1);
    assert!(errors[0].message.contains("newer"), "{}", errors[0].message);
}

#[test]
fn hostile_files_are_reported_not_fatal() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("binary.ron"), [0xff, 0xfe, 0x00, 0x01]).expect("write");
    std::fs::write(dir.path().join("empty.ron"), "").expect("write");
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    std::fs::write(dir.path().join("deep.ron"), deep).expect("write");
    let big = vec![b' '; (content::MAX_CASE_STUDY_BYTES + 1) as usize];
    std::fs::write(dir.path().join("big.ron"), big).expect("write");
    std::fs::copy(
        "case_studies/visual-search.ron",
        dir.path().join("good.ron"),
    )
    .expect("copy");
    let library = content::load_dir(dir.path()).expect("the folder is readable");
    assert_eq!(library.studies.len(), 1, "the good file still loads");
    assert_eq!(library.failures.len(), 4);
    for f in &library.failures {
        assert!(!f.errors.is_empty());
    }
}

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
}

#[test]
fn check_command_exits_1_and_prints_file_line_col() {
    let out = bin()
        .args(["check", "tests/fixtures/broken"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("tests/fixtures/broken/missing-comma.ron:4:28: Expected comma"),
        "{stdout}"
    );
    let ok = bin().args(["check", "case_studies"]).output().expect("run");
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stdout)
    );
}

#[test]
fn list_json_describes_every_case_study_and_step() {
    let out = bin().args(["list", "--json"]).output().expect("run");
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let items = json.as_array().expect("an array");
    assert_eq!(items.len(), ALL_TEN.len());
    let library = content::bundled();
    for item in items {
        let id = item["id"].as_str().expect("id");
        let study = library.get(id).expect("known id");
        assert_eq!(item["title"], study.title.as_str());
        assert_eq!(item["questions"], study.questions.len());
        assert_eq!(
            item["tags"].as_array().map(Vec::len),
            Some(study.tags.len())
        );
        let steps = item["steps"].as_array().expect("steps");
        assert_eq!(steps.len(), 7);
        for (s, content) in steps.iter().zip(&study.steps) {
            assert_eq!(s["step"], content.step);
            assert_eq!(s["checklist"], content.checklist.len());
            assert_eq!(s["hints"], content.hints.len());
            assert_eq!(s["follow_ups"], content.follow_ups.len());
            assert_eq!(
                s["reference_words"],
                content::word_count(&content.reference)
            );
            assert!(s["name"].is_string());
        }
    }
}

#[test]
fn help_documents_every_subcommand() {
    let out = bin().arg("--help").output().expect("run");
    let help = String::from_utf8_lossy(&out.stdout);
    for word in ["open", "list", "check", "--content"] {
        assert!(help.contains(word), "{word} missing from:\n{help}");
    }
}

#[test]
fn signals_recognise_each_reference_and_not_other_answers() {
    use mlsd_studio::review::step_coverage;
    let library = content::bundled();
    let mut own = Vec::new();
    for study in &library.studies {
        for step in &study.steps {
            assert_eq!(
                step.signals.len(),
                step.checklist.len(),
                "{} step {}",
                study.id,
                step.step
            );
            let cov = step_coverage(&step.reference, step);
            own.push(cov.fraction());
            assert!(
                cov.fraction() >= content::MIN_REFERENCE_COVERAGE,
                "{} step {}: its reference covers {:.0}%",
                study.id,
                step.step,
                cov.fraction() * 100.0
            );
            assert_eq!(step_coverage("", step).fraction(), 0.0);
            for other in library.studies.iter().filter(|o| o.id != study.id) {
                let theirs = &other.steps[usize::from(step.step) - 1];
                let foreign = step_coverage(&theirs.reference, step).fraction();
                assert!(
                    foreign <= content::MAX_FOREIGN_COVERAGE,
                    "{} step {} covers {:.0}% of {}'s answer",
                    study.id,
                    step.step,
                    foreign * 100.0,
                    other.id
                );
            }
        }
    }
    assert_eq!(own.len(), 70);
}
