//! What the UI tests share: an app configuration that keeps every file the
//! app writes inside a test's own folder.

use std::path::{Path, PathBuf};

use mlsd_studio::content;
use mlsd_studio::ui::{AppConfig, ScriptedDialogs};

/// The app with the bundled case studies, its autosaves and history in
/// `dir`, `open_file` opened at start, and file dialogs answered in order.
#[allow(dead_code)]
pub fn app_config(
    dir: &Path,
    open_file: Option<PathBuf>,
    answers: Vec<Option<PathBuf>>,
) -> AppConfig {
    AppConfig {
        library: content::bundled(),
        recovery_dir: dir.join("recovery"),
        open_file,
        dialogs: Box::new(ScriptedDialogs::new(answers)),
        exit_after_first_frame: None,
        progress_path: dir.join("history.ron"),
        docs_dir: None,
        no_relay: true,
    }
}

/// The screen rectangle of the diagram node labelled `label` (not the
/// palette button of the same name: nodes are the larger of the two).
#[allow(dead_code)]
pub fn node_rect(
    h: &egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    label: &str,
) -> egui::Rect {
    use egui_kittest::kittest::Queryable;
    h.query_all_by_label(label)
        .map(|n| n.rect())
        .max_by(|a, b| a.area().total_cmp(&b.area()))
        .expect("a node with that label")
}

/// Drags the pointer from `from` to `to` in small steps, as a hand would.
#[allow(dead_code)]
pub fn drag(
    h: &mut egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    from: egui::Pos2,
    to: egui::Pos2,
) {
    h.drag_at(from);
    h.run();
    for i in 1..=8 {
        let t = i as f32 / 8.0;
        h.hover_at(from + (to - from) * t);
        h.run();
    }
    h.drop_at(to);
    h.run();
}

/// The app of `config` in a window of `size`, after its first frames.
#[allow(dead_code)]
pub fn start(
    config: AppConfig,
    size: [f32; 2],
) -> egui_kittest::Harness<'static, mlsd_studio::ui::StudioApp> {
    let mut h = egui_kittest::Harness::builder()
        .with_size(size)
        .build_eframe(move |cc| mlsd_studio::ui::StudioApp::new(cc, config));
    h.run();
    h
}

/// Masks what changes from run to run in a window `width` × `height`: the
/// status bar (it names the session's path) and the session clock at the
/// top right (it counts the seconds runs take).
#[allow(dead_code)]
pub fn mask_status_bar_and_clock(
    h: &mut egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    width: f32,
    height: f32,
) {
    h.mask(egui::Rect::from_min_max(
        egui::pos2(0.0, height - 30.0),
        egui::pos2(width, height),
    ));
    h.mask(egui::Rect::from_min_max(
        egui::pos2(width - 120.0, 0.0),
        egui::pos2(width, 28.0),
    ));
}

/// Steps frames, giving background work time between them, until `done`;
/// fails naming `what` if it never is.
#[allow(dead_code)]
pub fn run_until(
    h: &mut egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    what: &str,
    done: impl Fn(&egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>) -> bool,
) {
    for _ in 0..2_000 {
        h.run_steps(1);
        if done(h) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    panic!("{what} never happened");
}

/// The nodes of the open session's diagram `name` (0 when there is none).
#[allow(dead_code)]
pub fn diagram_nodes(
    h: &egui_kittest::Harness<'_, mlsd_studio::ui::StudioApp>,
    name: &str,
) -> usize {
    h.state()
        .open_session()
        .and_then(|o| o.session.diagram(name))
        .map_or(0, |d| d.nodes.len())
}

/// The harmful-content example with "Serving v2": its "Serving" with
/// `extra` more replicas on the fast model server, saved in `dir`.
#[allow(dead_code)]
pub fn example_with_second_design(dir: &Path, extra: u32) -> PathBuf {
    use mlsd_studio::session::{SessionDiagram, load_session, save_session};
    let example = Path::new("examples/harmful-content-detection.mlsd");
    let mut session = load_session(example).expect("the example loads");
    let mut v2 = session.diagram("Serving").expect("serving").clone();
    let node = v2
        .nodes
        .iter_mut()
        .find(|n| n.label == EXAMPLE_BOTTLENECK)
        .expect("the model node");
    node.sim.as_mut().expect("simulated").replicas += extra;
    session.diagrams.push(SessionDiagram {
        name: "Serving v2".into(),
        diagram: v2,
    });
    let path = dir.join("two-designs.mlsd");
    save_session(&path, &session).expect("saved");
    path
}

/// The example's bottleneck, the node `example_with_second_design` grows.
#[allow(dead_code)]
pub const EXAMPLE_BOTTLENECK: &str = "Fast text+image model (T4)";
