//! The practice flow driven through the app's real widgets and labels.

use std::path::{Path, PathBuf};

use egui::Key;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use mlsd_studio::content::{self, CaseLibrary};
use mlsd_studio::session::{RecoveryStore, Session, SessionEdit};
use mlsd_studio::ui::{AppConfig, Modal, Page, StudioApp, step_label};

mod common;

const CASE: &str = "harmful-content-detection";

struct Setup {
    library: CaseLibrary,
    recovery_dir: PathBuf,
    open_file: Option<PathBuf>,
    dialog_answers: Vec<Option<PathBuf>>,
    size: [f32; 2],
}

impl Setup {
    fn new(recovery_dir: &Path) -> Setup {
        Setup {
            library: content::bundled(),
            recovery_dir: recovery_dir.to_path_buf(),
            open_file: None,
            dialog_answers: Vec::new(),
            // Tall, so every widget of a step is on screen without scrolling.
            size: [1280.0, 2400.0],
        }
    }

    fn start(self) -> Harness<'static, StudioApp> {
        let Setup {
            library,
            recovery_dir,
            open_file,
            dialog_answers,
            size,
        } = self;
        let base = common::app_config(&recovery_dir, open_file, dialog_answers);
        let config = AppConfig {
            library,
            recovery_dir,
            ..base
        };
        let mut harness = Harness::builder()
            .with_size(size)
            .build_eframe(move |cc| StudioApp::new(cc, config));
        harness.run();
        harness
    }
}

fn session<'h>(harness: &'h Harness<'_, StudioApp>) -> &'h Session {
    &harness
        .state()
        .open_session()
        .expect("a session is open")
        .session
}

fn study() -> content::CaseStudy {
    content::bundled().get(CASE).expect("shipped").clone()
}

fn type_answer(harness: &mut Harness<'_, StudioApp>, text: &str) {
    harness
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Your answer")
        .click();
    harness.run();
    harness
        .get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Your answer")
        .type_text(text);
    harness.run();
}

#[test]
fn practise_save_and_reopen_keeps_everything() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("practice.mlsd");
    let study = study();
    let point = study.steps[0].checklist[1].clone();
    let question = study.questions[0].clone();

    let mut setup = Setup::new(&dir.path().join("recovery"));
    setup.dialog_answers = vec![Some(file.clone())];
    let mut harness = setup.start();

    harness.get_by_label("Harmful content detection").click();
    harness.run();
    assert!(matches!(harness.state().page(), Page::Practice(_)));
    harness.get_by_label("Step 1 of 7 · Clarifying requirements");

    type_answer(&mut harness, "Scope: hate, nudity, spam.");
    harness.get_by_label(&point).click();
    harness.get_by_label(&question.question).click();
    harness.run();
    // The asked question moves above the list with its scripted answer.
    harness.get_by_label(&format!("{}: {}", question.topic, question.question));

    harness
        .get_by_label(&step_label(2, "Framing as an ML task"))
        .click();
    harness.run();
    harness.get_by_label("Step 2 of 7 · Framing as an ML task");
    harness.get_by_label_contains("Reveal next hint").click();
    harness.run();
    harness.get_by_label("Hint 1");
    assert!(harness.state().open_session().is_some_and(|o| o.dirty));
    assert!(harness.state().title().starts_with("● "));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::S);
    harness.run();
    harness.run();
    assert!(file.exists(), "Ctrl+S saved through the dialog");
    assert!(!harness.state().open_session().expect("open").dirty);
    let saved = mlsd_studio::session::load_session(&file).expect("the saved file loads");
    assert!(
        saved.step(1).seconds_spent > 0.0,
        "time on step 1 is recorded"
    );

    // A fresh app opens the file through File > Open.
    let mut setup = Setup::new(&dir.path().join("recovery"));
    setup.dialog_answers = vec![Some(file.clone())];
    let mut reopened = setup.start();
    reopened.get_by_label("Open a session file…").click();
    reopened.run();
    reopened.run();
    let s = session(&reopened);
    assert_eq!(s.case_study, CASE);
    assert_eq!(s.step(1).answer, "Scope: hate, nudity, spam.");
    assert!(s.step(1).ticked.contains(&1));
    assert_eq!(s.questions_asked, vec![question.id.clone()]);
    assert_eq!(s.step(2).hints_revealed, 1);
    assert_eq!(s.current_step, 2);
    // Everything but the running clock is exactly what was saved.
    let without_time = |s: &Session| {
        let mut s = s.clone();
        s.steps.iter_mut().for_each(|p| p.seconds_spent = 0.0);
        s
    };
    assert_eq!(without_time(s), without_time(&saved));
    assert!(s.step(1).seconds_spent >= saved.step(1).seconds_spent);
    // And the screen shows it: the hint on step 2, the answer and tick on step 1.
    reopened.get_by_label("Hint 1");
    reopened.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowLeft);
    reopened.run();
    reopened.get_by_label("Step 1 of 7 · Clarifying requirements");
    let answer =
        reopened.get_by_role_and_label(egui::accesskit::Role::MultilineTextInput, "Your answer");
    assert_eq!(
        answer.value().as_deref(),
        Some("Scope: hate, nudity, spam.")
    );
    assert_eq!(
        reopened.get_by_label(&point).accesskit_node().toggled(),
        Some(egui::accesskit::Toggled::True)
    );
    assert_eq!(reopened.state().settings().recent.first(), Some(&file));
}

#[test]
fn leaving_unsaved_work_asks_first() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = Setup::new(dir.path()).start();
    harness.get_by_label("Harmful content detection").click();
    harness.run();
    type_answer(&mut harness, "draft");
    harness.get_by_label("⬅ All case studies").click();
    harness.run();
    harness.get_by_label("Visual search").click();
    harness.run();
    assert!(matches!(
        harness.state().modal(),
        Some(Modal::UnsavedChanges { .. })
    ));
    harness.get_by_label("Save your changes?");
    harness.get_by_label("Cancel").click();
    harness.run();
    assert!(harness.state().modal().is_none());
    assert_eq!(session(&harness).case_study, CASE);
    assert_eq!(session(&harness).step(1).answer, "draft");

    harness.get_by_label("Visual search").click();
    harness.run();
    harness.get_by_label("Don't save").click();
    harness.run();
    assert_eq!(session(&harness).case_study, "visual-search");
    assert!(session(&harness).step(1).answer.is_empty());
}

#[test]
fn step_shortcuts_and_footer_buttons_move_between_steps() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = Setup::new(dir.path()).start();
    harness.get_by_label("Harmful content detection").click();
    harness.run();
    harness.key_press_modifiers(egui::Modifiers::ALT, Key::ArrowRight);
    harness.run();
    assert_eq!(session(&harness).current_step, 2);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, Key::PageDown);
    harness.run();
    assert_eq!(session(&harness).current_step, 3);
    harness.get_by_label("Done, next step ▶").click();
    harness.run();
    assert_eq!(session(&harness).current_step, 4);
    assert!(session(&harness).step(3).done);
    harness.get_by_label("◀ Previous step").click();
    harness.run();
    assert_eq!(session(&harness).current_step, 3);
    // Navigation alone is not unsaved work, but finishing a step is.
    assert!(harness.state().open_session().is_some_and(|o| o.dirty));
}

#[test]
fn reference_reveal_shows_the_answer_follow_ups_and_pitfalls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = Setup::new(dir.path()).start();
    harness.get_by_label("Harmful content detection").click();
    harness.run();
    let study = study();
    assert!(
        harness
            .query_by_label("Follow-ups an interviewer may ask")
            .is_none()
    );
    harness.get_by_label("Reveal reference answer").click();
    harness.run();
    harness.get_by_label("Follow-ups an interviewer may ask");
    harness.get_by_label(&format!("• {}", study.steps[0].follow_ups[0]));
    harness.get_by_label(&format!("• {}", study.steps[0].pitfalls[0]));
    assert!(session(&harness).step(1).reference_revealed);
}

#[test]
fn a_broken_case_study_shows_on_the_home_page_and_the_others_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content_dir = dir.path().join("content");
    std::fs::create_dir(&content_dir).expect("mkdir");
    std::fs::copy(
        "tests/fixtures/broken/missing-comma.ron",
        content_dir.join("missing-comma.ron"),
    )
    .expect("copy");
    std::fs::copy(
        "case_studies/visual-search.ron",
        content_dir.join("visual-search.ron"),
    )
    .expect("copy");
    let mut setup = Setup::new(&dir.path().join("recovery"));
    setup.library = content::load_dir(&content_dir).expect("the folder is readable");
    let harness = setup.start();
    harness.get_by_label("Case studies that did not load");
    harness.get_by_label_contains("missing-comma.ron:4:28: Expected comma");
    harness.get_by_label("Visual search");
}

#[test]
fn the_home_filter_narrows_the_list() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = Setup::new(dir.path()).start();
    harness.get_by_label("Filter").click();
    harness.run();
    harness.get_by_label("Filter").type_text("graph");
    harness.run();
    harness.get_by_label("People you may know");
    assert!(harness.query_by_label("Visual search").is_none());
}

#[test]
fn work_left_by_a_crash_is_offered_and_recovered() {
    let dir = tempfile::tempdir().expect("temp dir");
    let recovery_dir = dir.path().join("recovery");
    let library = content::bundled();
    let study = library.get(CASE).expect("shipped");
    let mut lost = Session::new(study);
    lost.apply(
        study,
        SessionEdit::SetAnswer {
            step: 1,
            text: "typed before the crash".into(),
        },
        0.0,
    );
    // A run that autosaved and then died: its store is gone, and so its lock.
    RecoveryStore::new(&recovery_dir)
        .write(None, &lost)
        .expect("autosave");

    let mut harness = Setup::new(&recovery_dir).start();
    harness.get_by_label("Recover unsaved work?");
    harness.get_by_label("Recover").click();
    harness.run();
    let open = harness.state().open_session().expect("recovered");
    assert_eq!(open.session.step(1).answer, "typed before the crash");
    assert!(open.dirty, "recovered work is unsaved until saved");
    assert!(!recovery_dir.join("session-4000000000.recovery").exists());
}

#[test]
fn a_bad_session_file_is_reported_and_left_alone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("bad.mlsd");
    std::fs::write(&file, "Session(format_version: 1, case_study: ").expect("write");
    let mut setup = Setup::new(&dir.path().join("recovery"));
    setup.open_file = Some(file.clone());
    let mut harness = setup.start();
    harness.get_by_label("Could not open the session");
    // In the dialog and in the status bar.
    assert_eq!(
        harness.query_all_by_label_contains("bad.mlsd:1:").count(),
        2
    );
    harness.get_by_label("OK").click();
    harness.run();
    assert!(harness.state().open_session().is_none());
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "Session(format_version: 1, case_study: "
    );
}

#[test]
fn every_character_in_the_case_studies_has_a_glyph() {
    let dir = tempfile::tempdir().expect("temp dir");
    let harness = Setup::new(dir.path()).start();
    let library = content::bundled();
    let font = egui::FontId::proportional(14.0);
    for study in &library.studies {
        let mut texts = vec![
            study.title.clone(),
            study.summary.clone(),
            study.problem.clone(),
        ];
        for q in &study.questions {
            texts.extend([q.question.clone(), q.answer.clone()]);
        }
        for s in &study.steps {
            texts.extend([s.prompt.clone(), s.guidance.clone(), s.reference.clone()]);
            texts.extend(
                s.checklist
                    .iter()
                    .chain(&s.hints)
                    .chain(&s.follow_ups)
                    .chain(&s.pitfalls)
                    .cloned(),
            );
        }
        for text in texts {
            for c in text.chars().filter(|c| !c.is_whitespace()) {
                let has = harness.ctx.fonts_mut(|f| f.has_glyph(&font, c));
                assert!(has, "{}: no glyph for {c:?} (U+{:04X})", study.id, c as u32);
            }
        }
    }
    for kind in mlsd_studio::diagram::ComponentKind::ALL {
        for c in kind.icon().chars() {
            let has = harness.ctx.fonts_mut(|f| f.has_glyph(&font, c));
            assert!(has, "{kind:?}: no glyph for its icon {c:?}");
        }
    }
}

#[test]
fn every_case_study_opens_and_all_seven_steps_show() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut harness = Setup::new(dir.path()).start();
    let library = content::bundled();
    assert_eq!(library.studies.len(), 10);
    for study in &library.studies {
        harness.get_by_label(&study.title).click();
        harness.run();
        assert_eq!(session(&harness).case_study, study.id);
        for (i, fs) in mlsd_studio::framework::STEPS.iter().enumerate() {
            if i > 0 {
                harness
                    .get_by_label(&step_label(fs.number, fs.name))
                    .click();
                harness.run();
            }
            harness.get_by_label(&format!("Step {} of 7 · {}", fs.number, fs.name));
            harness.get_by_label("The interviewer asks");
            harness.get_by_label(&study.steps[i].checklist[0]);
        }
        assert!(!harness.state().open_session().expect("open").dirty);
        harness.get_by_label("⬅ All case studies").click();
        harness.run();
    }
}
