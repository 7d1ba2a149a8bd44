//! Import through the real app: File ▸ Import diagram… with a scripted file
//! dialog, and Ctrl+V of Mermaid text on the canvas, each one undo step.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::Diagram;
use mlsd_studio::ui::StudioApp;

mod common;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn app(dir: &Path, answers: Vec<Option<PathBuf>>) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, Some(PathBuf::from(EXAMPLE)), answers);
    let mut harness = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    harness.run();
    harness
}

fn diagram(h: &Harness<'_, StudioApp>, name: &str) -> Option<Diagram> {
    h.state()
        .open_session()
        .and_then(|o| o.session.diagram(name))
        .cloned()
}

fn file_import(h: &mut Harness<'_, StudioApp>) {
    h.get_by_label("File").click();
    h.run();
    h.get_by_label("Import diagram…").click();
    h.run();
    h.run();
    h.run();
}

#[test]
fn file_import_adds_a_diagram_named_after_the_file_and_shows_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let good = dir.path().join("Whiteboard.mmd");
    std::fs::write(
        &good,
        "flowchart LR\n  u((Uploader)) --> q[Kafka] --> c{{Harm classifier}}\n  c -->|flags| r[(Review queue store)]\n",
    )
    .expect("write");
    let bad = dir.path().join("broken.dot");
    std::fs::write(&bad, "digraph {\n  a -> b\n  c -> ;\n}\n").expect("write");
    let mut h = app(dir.path(), vec![Some(good), Some(bad)]);

    file_import(&mut h);
    let d = diagram(&h, "Whiteboard").expect("a new diagram named after the file");
    let labels: Vec<&str> = d.nodes.iter().map(|n| n.label.as_str()).collect();
    assert_eq!(
        labels,
        ["Uploader", "Kafka", "Harm classifier", "Review queue store"]
    );
    assert_eq!(d.edges.len(), 3);
    // It is on screen: its nodes are drawn on the canvas.
    assert!(h.query_by_label("Harm classifier").is_some());
    h.snapshot("import_file");

    // Undo takes the whole import back in one step.
    let canvas = common::node_rect(&h, "Kafka");
    h.hover_at(canvas.center());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(diagram(&h, "Whiteboard").is_some_and(|d| d.is_empty()));

    // A broken file changes nothing and says where it broke.
    // (Time on the step keeps counting; the diagrams must not change.)
    let diagrams =
        |h: &Harness<'_, StudioApp>| h.state().open_session().map(|o| o.session.diagrams.clone());
    let before = diagrams(&h);
    file_import(&mut h);
    h.get_by_label("Could not import the diagram");
    // In the dialog and in the status bar.
    let message = h
        .query_all_by_label_contains("broken.dot: line 3: DOT: expected")
        .count();
    assert_eq!(message, 2);
    assert_eq!(diagrams(&h), before);
}

#[test]
fn pasting_mermaid_on_the_canvas_imports_it_as_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), Vec::new());
    h.get_by_label("Full screen").click();
    h.run();
    let totals = |h: &Harness<'_, StudioApp>| {
        h.state()
            .open_session()
            .map(|o| {
                o.session
                    .diagrams
                    .iter()
                    .map(|d| d.diagram.nodes.len())
                    .sum::<usize>()
            })
            .unwrap_or(0)
    };
    let before = totals(&h);
    let node = common::node_rect(&h, "Upload API");
    h.hover_at(node.center());
    h.event(egui::Event::Paste(
        "graph TD\n  a[Ingest] --> b[(Blob storage)]\n  b --> c([Drift monitor])\n  classDef hot fill:#f00\n"
            .into(),
    ));
    h.run();
    h.run();
    assert_eq!(totals(&h), before + 3);
    assert!(h.query_by_label("Blob storage").is_some());
    // The styling line is reported with its line number.
    h.get_by_label("Imported, with lines left out");
    assert_eq!(
        h.query_all_by_label_contains("line 4: `classDef`").count(),
        1
    );
    h.snapshot("import_paste_warnings");
    h.get_by_label("OK").click();
    h.run();

    h.hover_at(node.center());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(totals(&h), before, "one undo removes the whole import");
}
