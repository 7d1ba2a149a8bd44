//! The coach through the real app: draw a flawed serving design, see the
//! review's findings, and click one to select the components it names.

use egui::{Key, Modifiers, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use mlsd_studio::diagram::{ComponentKind, SERVING_DIAGRAM};
use mlsd_studio::ui::{Page, StudioApp};

mod common;

#[test]
fn a_flawed_design_gets_findings_and_a_click_selects_their_nodes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1440.0, 900.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Ad click prediction").click();
    h.run();
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
        h.run();
    }
    // A client that reads straight from the data warehouse.
    h.get_by_label("Client").click();
    h.run();
    h.get_by_label("Data warehouse").click();
    h.run();
    let client = common::node_rect(&h, "Client");
    let warehouse = common::node_rect(&h, "Data warehouse");
    common::drag(&mut h, client.center_bottom(), warehouse.center());
    let serving = h
        .state()
        .open_session()
        .and_then(|o| o.session.diagram(SERVING_DIAGRAM))
        .cloned()
        .expect("serving");
    assert_eq!(serving.edges.len(), 1, "the two are connected");
    let warehouse_id = serving
        .nodes
        .iter()
        .find(|n| n.kind == ComponentKind::DataWarehouse)
        .map(|n| n.id)
        .expect("warehouse");

    h.get_by_label_contains("Review (").click();
    h.run();
    h.get_by_label("Design review");
    let finding = "error · offline-on-serving-path · step 6";
    h.get_by_label(finding);
    // Clear the selection first, so the click is what selects.
    h.key_press(Key::Escape);
    h.run();
    h.get_by_label(finding).click();
    h.run();
    let Page::Practice(practice) = h.state().page() else {
        panic!("the practice page is on screen");
    };
    let editor = practice
        .diagrams
        .editors
        .get(SERVING_DIAGRAM)
        .expect("the serving editor");
    assert_eq!(
        editor.selection.nodes.iter().copied().collect::<Vec<_>>(),
        [warehouse_id]
    );

    // Deleting the selected warehouse clears the finding: the review
    // follows the diagram.
    // Left of the review and properties panels is canvas.
    let panel = h.get_by_label("Design review").rect();
    h.hover_at(Pos2::new(panel.left() - 330.0, panel.top() + 300.0));
    h.run();
    h.key_press(Key::Delete);
    h.run();
    let rules: Vec<&str> = h
        .state()
        .app_state()
        .review()
        .map(|r| r.findings.iter().map(|f| f.rule).collect())
        .unwrap_or_default();
    assert!(!rules.contains(&"offline-on-serving-path"), "{rules:?}");
    assert!(h.query_by_label(finding).is_none());
}

#[test]
fn compare_shows_the_reference_and_copies_it_as_one_undoable_edit() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = common::app_config(dir.path(), None, Vec::new());
    let mut h = Harness::builder()
        .with_size([1440.0, 900.0])
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h.get_by_label("Video recommendation").scroll_to_me();
    h.run();
    h.get_by_label("Video recommendation").click();
    h.run();
    for _ in 0..5 {
        h.key_press_modifiers(Modifiers::ALT, Key::ArrowRight);
        h.run();
    }
    assert!(
        h.state().app_state().reference().is_some(),
        "a reference ships"
    );
    h.get_by_label("Compare").click();
    h.run();
    h.get_by_label("Reference design");
    // An empty design lacks every role the reference has.
    let reference = h
        .state()
        .app_state()
        .reference()
        .and_then(|r| r.diagram(SERVING_DIAGRAM))
        .cloned()
        .expect("video recommendation ships a reference");
    h.get_by_label_contains("How yours differs");
    h.get_by_label_contains("missing, 0 extra");
    h.get_by_label_contains("Missing: ranking model");

    h.get_by_label("Copy into my session").click();
    h.run();
    let copied = |h: &Harness<'_, StudioApp>| common::diagram_nodes(h, "Serving (reference)");
    assert_eq!(copied(&h), reference.nodes.len());
    assert!(h.state().open_session().is_some_and(|o| o.dirty));
    // The copy is an edit of the new diagram, so undo can take it back.
    let (can_undo, _) = h.state().app_state().undo_state("Serving (reference)");
    assert!(can_undo);
}
