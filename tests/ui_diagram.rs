//! The diagram editor driven through the real app: palette, connecting by
//! dragging from a port, undo and redo, exports from the menu, and a snapshot.

use std::path::{Path, PathBuf};

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::{ComponentKind, Diagram, SERVING_DIAGRAM};
use mlsd_studio::ui::StudioApp;

mod common;

fn app(
    open_file: Option<PathBuf>,
    dir: &Path,
    answers: Vec<Option<PathBuf>>,
    size: [f32; 2],
) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, open_file, answers);
    let mut harness = Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| StudioApp::new(cc, config));
    harness.run();
    harness
}

fn serving(h: &Harness<'_, StudioApp>) -> Diagram {
    h.state()
        .open_session()
        .and_then(|o| o.session.diagram(SERVING_DIAGRAM))
        .cloned()
        .expect("a serving diagram")
}

#[test]
fn add_from_palette_connect_by_dragging_undo_and_redo() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(None, dir.path(), Vec::new(), [1280.0, 800.0]);
    h.get_by_label("Ad click prediction").click();
    h.run();
    // Step 6 opens the serving diagram beside the answer.
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
        h.run();
    }
    let step = h.state().open_session().map(|o| o.session.current_step);
    assert_eq!(step, Some(6));
    h.get_by_label("Step 6 of 7 · Deployment and serving");
    assert!(serving(&h).is_empty());

    h.get_by_label("Cache").click();
    h.run();
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 1);
    assert_eq!(d.nodes[0].kind, ComponentKind::Cache);
    // The new node is selected: shift it left with the keyboard.
    let canvas_point = common::node_rect(&h, "Cache").center();
    h.hover_at(canvas_point);
    for _ in 0..7 {
        h.key_press_modifiers(Modifiers::SHIFT, Key::ArrowUp);
        h.run();
    }
    h.key_press(Key::ArrowLeft);
    h.run();
    let moved = serving(&h).nodes[0].pos;
    assert_eq!(
        (moved.x, moved.y),
        (d.nodes[0].pos.x - 1.0, d.nodes[0].pos.y - 140.0)
    );

    h.get_by_label("Ranking model").click();
    h.run();
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 2);
    assert!(d.edges.is_empty());

    let cache = common::node_rect(&h, "Cache");
    let ranker = common::node_rect(&h, "Ranking model");
    assert!(cache.bottom() < ranker.top(), "{cache:?} {ranker:?}");
    common::drag(&mut h, cache.center_bottom(), ranker.center());
    let d = serving(&h);
    assert_eq!(
        d.edges.len(),
        1,
        "dragging from the port connects the nodes"
    );
    let (from, to) = (d.edges[0].from, d.edges[0].to);
    assert_eq!(d.node(from).map(|n| n.kind), Some(ComponentKind::Cache));
    assert_eq!(
        d.node(to).map(|n| n.kind),
        Some(ComponentKind::RankingModel)
    );
    assert!(h.state().open_session().is_some_and(|o| o.dirty));

    h.hover_at(ranker.center());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert!(serving(&h).edges.is_empty(), "undo removes the edge");
    assert_eq!(serving(&h).nodes.len(), 2);
    h.key_press_modifiers(Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    h.run();
    assert_eq!(serving(&h), d, "redo brings it back exactly");
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::Y);
    h.run();
    assert_eq!(serving(&h), d, "Ctrl+Y redoes too");
}

#[test]
fn dragging_a_node_moves_it_as_one_undo_step() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = PathBuf::from("examples/harmful-content-detection.mlsd");
    let mut h = app(Some(file), dir.path(), Vec::new(), [1280.0, 800.0]);
    let before = serving(&h);
    let api = common::node_rect(&h, "Upload API");
    common::drag(&mut h, api.center(), api.center() + egui::vec2(0.0, 120.0));
    let after = serving(&h);
    let moved = |d: &Diagram| {
        d.nodes
            .iter()
            .find(|n| n.label == "Upload API")
            .map(|n| n.pos.y)
    };
    assert!(moved(&after) > moved(&before), "the node moved down");
    h.hover_at(api.center());
    h.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    h.run();
    assert_eq!(serving(&h), before, "the whole drag is undone in one step");
}

#[test]
fn delete_duplicate_and_export_from_the_toolbar() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("serving.svg");
    let file = PathBuf::from("examples/harmful-content-detection.mlsd");
    let mut h = app(
        Some(file),
        dir.path(),
        vec![Some(out.clone())],
        [1280.0, 800.0],
    );
    let before = serving(&h);
    // The node's accessible area sits over the canvas; a click on it lands on the canvas.
    h.query_all_by_label("Upload API")
        .max_by(|a, b| a.rect().area().total_cmp(&b.rect().area()))
        .expect("the node")
        .click();
    h.run();
    h.key_press_modifiers(Modifiers::COMMAND, Key::D);
    h.run();
    assert_eq!(
        serving(&h).nodes.len(),
        before.nodes.len() + 1,
        "duplicated"
    );
    h.key_press(Key::Delete);
    h.run();
    assert_eq!(
        serving(&h).nodes.len(),
        before.nodes.len(),
        "the copy is deleted"
    );

    h.get_by_label("Export").click();
    h.run();
    h.get_by_label("SVG image…").click();
    h.run();
    h.run();
    let svg = std::fs::read_to_string(&out).expect("exported");
    assert!(svg.contains("Upload API"));
}

#[test]
fn diagram_snapshot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = PathBuf::from("examples/harmful-content-detection.mlsd");
    let mut h = app(Some(file), dir.path(), Vec::new(), [1280.0, 800.0]);
    h.get_by_label("Full screen").click();
    h.run();
    h.run();
    h.snapshot("diagram_full_screen");
}
