//! Drawing a diagram with the keyboard alone, through the real app: F6
//! focuses the canvas, N adds nodes, arrows move them, C + Tab + Enter
//! connects, Enter renames, Delete removes and undo brings it back.

mod common;

use egui::{Key, Modifiers};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::{Diagram, NodeId, SERVING_DIAGRAM};
use mlsd_studio::ui::StudioApp;

fn serving(h: &Harness<'_, StudioApp>) -> Diagram {
    h.state()
        .open_session()
        .and_then(|o| o.session.diagram(SERVING_DIAGRAM))
        .cloned()
        .expect("a serving diagram")
}

fn press(h: &mut Harness<'_, StudioApp>, modifiers: Modifiers, key: Key) {
    h.key_press_modifiers(modifiers, key);
    h.run();
}

fn selected_edges(d: &Diagram) -> Vec<(NodeId, NodeId)> {
    d.edges.iter().map(|e| (e.from, e.to)).collect()
}

/// A new ad-click session on step 6, its empty serving diagram beside the
/// answer, the canvas given the keyboard with F6.
fn empty_serving_canvas_focused(dir: &std::path::Path) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, None, Vec::new());
    let mut h = common::start(config, [1280.0, 800.0]);
    h.get_by_label("Ad click prediction").click();
    h.run();
    for _ in 0..5 {
        press(&mut h, Modifiers::ALT, Key::ArrowRight);
    }
    assert!(serving(&h).is_empty());
    press(&mut h, Modifiers::NONE, Key::F6);
    h.run();
    h
}

#[test]
fn a_three_node_pipeline_drawn_renamed_deleted_and_restored_by_keyboard() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = empty_serving_canvas_focused(dir.path());
    for _ in 0..3 {
        press(&mut h, Modifiers::NONE, Key::N);
    }
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 3, "N adds a node each time");
    let order: Vec<NodeId> = d.nodes.iter().map(|n| n.id).collect();

    // The last node added is selected: a big step right moves it.
    let before = d.nodes[2].pos;
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    press(&mut h, Modifiers::SHIFT, Key::ArrowRight);
    let after = serving(&h).nodes[2].pos;
    assert!(after.x > before.x + 30.0, "{before:?} → {after:?}");
    assert_eq!(after.y, before.y);

    // Tab wraps to the first node; C rings the next one; Enter connects.
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::C);
    press(&mut h, Modifiers::NONE, Key::Enter);
    press(&mut h, Modifiers::NONE, Key::Tab);
    press(&mut h, Modifiers::NONE, Key::C);
    press(&mut h, Modifiers::NONE, Key::Enter);
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 3);
    assert_eq!(
        selected_edges(&d),
        vec![(order[0], order[1]), (order[1], order[2])]
    );

    // C then Escape draws nothing.
    press(&mut h, Modifiers::NONE, Key::C);
    press(&mut h, Modifiers::NONE, Key::Escape);
    press(&mut h, Modifiers::NONE, Key::Enter);
    assert_eq!(serving(&h).edges.len(), 2);

    // Enter opened the rename box on the middle node.
    h.event(egui::Event::Text(" store".into()));
    h.run();
    press(&mut h, Modifiers::NONE, Key::Enter);
    h.run();
    let label = serving(&h)
        .node(order[1])
        .map(|n| n.label.clone())
        .unwrap_or_default();
    assert!(label.ends_with(" store"), "{label}");

    press(&mut h, Modifiers::NONE, Key::F6);
    h.run();
    press(&mut h, Modifiers::NONE, Key::Delete);
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 2);
    assert!(d.edges.is_empty(), "the middle node's edges go with it");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    let d = serving(&h);
    assert_eq!(d.nodes.len(), 3);
    assert_eq!(d.edges.len(), 2);
}

#[test]
fn question_mark_opens_the_shortcut_help_listing_the_canvas_keys() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1280.0, 800.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    press(&mut h, Modifiers::NONE, Key::Questionmark);
    h.run();
    assert!(matches!(
        h.state().app_state().modal(),
        Some(mlsd_studio::app::Modal::Shortcuts)
    ));
    h.get_by_label("Give the canvas keyboard focus");
}

#[test]
fn a_held_arrow_key_moves_in_one_undo_step_and_taps_in_one_each() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = empty_serving_canvas_focused(dir.path());
    press(&mut h, Modifiers::NONE, Key::N);
    let x = |h: &Harness<'_, StudioApp>| serving(h).nodes[0].pos.x;
    let start = x(&h);
    // Held: one press, then the key repeats the system sends.
    h.key_down(Key::ArrowRight);
    h.run();
    for _ in 0..4 {
        h.event(egui::Event::Key {
            key: Key::ArrowRight,
            physical_key: None,
            pressed: true,
            repeat: true,
            modifiers: Modifiers::NONE,
        });
        h.run();
    }
    h.key_up(Key::ArrowRight);
    h.run();
    assert_eq!(x(&h), start + 5.0, "a step per press and repeat");
    // Two taps after it: two more steps.
    press(&mut h, Modifiers::NONE, Key::ArrowRight);
    press(&mut h, Modifiers::NONE, Key::ArrowRight);
    assert_eq!(x(&h), start + 7.0);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(x(&h), start + 6.0, "a tap is its own step");
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(x(&h), start + 5.0);
    press(&mut h, Modifiers::COMMAND, Key::Z);
    assert_eq!(x(&h), start, "the whole hold undone at once");
    assert_eq!(serving(&h).nodes.len(), 1, "the node itself stays");
}
