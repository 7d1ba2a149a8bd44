//! The home page, practice with the diagram beside the answers, and the
//! simulator panel at 1280×800, 1440×900, 1920×1080 and at 2× scale,
//! compared against tests/snapshots/ (`UPDATE_SNAPSHOTS=1` rewrites them).

mod common;

use std::path::PathBuf;

use egui_kittest::kittest::Queryable;
use egui_kittest::{Harness, SnapshotResults};
use mlsd_studio::ui::StudioApp;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

/// Logical size and pixels per point.
const SIZES: [(f32, f32, f32); 4] = [
    (1280.0, 800.0, 1.0),
    (1440.0, 900.0, 1.0),
    (1920.0, 1080.0, 1.0),
    (1280.0, 800.0, 2.0),
];

fn name(page: &str, (w, h, scale): (f32, f32, f32)) -> String {
    if scale == 1.0 {
        format!("size_{page}_{w}x{h}")
    } else {
        format!("size_{page}_{w}x{h}_at_{scale}x")
    }
}

fn app(
    dir: &std::path::Path,
    open: Option<PathBuf>,
    size: (f32, f32, f32),
) -> Harness<'static, StudioApp> {
    let config = common::app_config(dir, open, Vec::new());
    let mut h = Harness::builder()
        .with_size([size.0, size.1])
        .with_pixels_per_point(size.2)
        .with_theme(egui::Theme::Light)
        .build_eframe(move |cc| StudioApp::new(cc, config));
    h.run();
    h
}

#[test]
fn home_page_at_every_size() {
    let mut results = SnapshotResults::new();
    for size in SIZES {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = app(dir.path(), None, size);
        h.snapshot(name("home", size));
        results.extend_harness(&mut h);
    }
    results.unwrap();
}

#[test]
fn practice_with_the_diagram_at_every_size() {
    let mut results = SnapshotResults::new();
    for size in SIZES {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = app(dir.path(), Some(PathBuf::from(EXAMPLE)), size);
        h.run_steps(4);
        common::mask_status_bar_and_clock(&mut h, size.0, size.1);
        h.snapshot(name("practice", size));
        results.extend_harness(&mut h);
    }
    results.unwrap();
}

#[test]
fn simulator_panel_at_every_size() {
    let mut results = SnapshotResults::new();
    for size in SIZES {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut h = app(dir.path(), Some(PathBuf::from(EXAMPLE)), size);
        h.get_by_label("Full screen").click();
        h.run_steps(4);
        h.get_by_label("Simulate").click();
        // Wait for the run and its load curve.
        for _ in 0..2_000 {
            h.run_steps(1);
            if h.query_by_label_contains("Bottleneck").is_some()
                && h.query_by_label_contains("Computing the load curve")
                    .is_none()
            {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(25));
        }
        h.run_steps(4);
        common::mask_status_bar_and_clock(&mut h, size.0, size.1);
        h.snapshot(name("simulator", size));
        results.extend_harness(&mut h);
    }
    results.unwrap();
}

/// At the side-by-side fit (about 43%), a label that would be drawn below
/// the readable minimum and does not fit at that minimum gives way to the
/// node's icon and shows on hover; a short label stays on the node.
#[test]
fn small_nodes_show_their_label_on_hover() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut h = app(dir.path(), Some(PathBuf::from(EXAMPLE)), SIZES[0]);
    h.run_steps(4);
    let count = |h: &Harness<'_, StudioApp>, label: &str| h.query_all_by_label(label).count();
    let long = "Integrity decision service";
    assert_eq!(count(&h, long), 1, "only the node's own accessible area");
    h.get_by_label(long).hover();
    for _ in 0..40 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(count(&h, long), 2, "the hover shows the hidden label");
    h.get_by_label("Upload API").hover();
    for _ in 0..40 {
        h.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    assert_eq!(
        count(&h, "Upload API"),
        1,
        "a label drawn on its node needs no tooltip"
    );
}
