//! Diagram costs at the size of a large whiteboard: 1,000 nodes and 1,500
//! edges. One canvas frame (layout and painting into an egui context, no
//! GPU), SVG export, auto-layout, and Mermaid and DOT import.

use criterion::{Criterion, criterion_group, criterion_main};
use eframe::egui;
use mlsd_studio::diagram::{ComponentKind, Diagram, DiagramEdit, NodeId, Point, layered_positions};
use mlsd_studio::export::{to_dot, to_mermaid, to_svg};
use mlsd_studio::import::{self, ImportFormat};
use mlsd_studio::ui::{Commands, DiagramEditorState, canvas_ui};

/// A deterministic diagram: nodes on a grid, edges mostly to nearby nodes.
fn big_diagram(nodes: usize, edges: usize) -> Diagram {
    let mut d = Diagram::default();
    let mut ids: Vec<NodeId> = Vec::with_capacity(nodes);
    for i in 0..nodes {
        let kind = ComponentKind::ALL[i % ComponentKind::ALL.len()];
        let pos = Point::new((i % 40) as f32 * 220.0, (i / 40) as f32 * 110.0);
        ids.push(d.apply(DiagramEdit::AddNode { kind, pos }).nodes[0]);
    }
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    while d.edges.len() < edges {
        let a = (next() % nodes as u64) as usize;
        let b = (a + 1 + (next() % 60) as usize) % nodes;
        d.apply(DiagramEdit::Connect {
            from: ids[a],
            to: ids[b],
        });
    }
    d
}

fn frame(ctx: &egui::Context, state: &mut DiagramEditorState, d: &Diagram) -> egui::FullOutput {
    let input = egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1600.0, 1000.0),
        )),
        ..Default::default()
    };
    let mut commands = Commands::default();
    ctx.run_ui(input, |ui| {
        canvas_ui(ui, state, "bench", d, None, &mut commands);
    })
}

fn canvas(c: &mut Criterion) {
    let d = big_diagram(1_000, 1_500);
    let ctx = egui::Context::default();
    for (name, zoom_to_fit) in [
        ("canvas frame, whole diagram in view", true),
        ("canvas frame, 100% zoom", false),
    ] {
        let mut state = DiagramEditorState {
            fit_requested: zoom_to_fit,
            ..DiagramEditorState::default()
        };
        // Warm the text layout cache the way a running app has it warm.
        for _ in 0..3 {
            frame(&ctx, &mut state, &d);
        }
        c.bench_function(name, |b| b.iter(|| frame(&ctx, &mut state, &d)));
        c.bench_function(&format!("{name} + tessellation"), |b| {
            b.iter(|| {
                let out = frame(&ctx, &mut state, &d);
                ctx.tessellate(out.shapes, 1.0)
            })
        });
    }
}

fn export_and_layout(c: &mut Criterion) {
    let d = big_diagram(1_000, 1_500);
    c.bench_function("SVG export, 1000 nodes", |b| b.iter(|| to_svg(&d)));
    c.bench_function("auto-layout, 1000 nodes", |b| {
        b.iter(|| layered_positions(&d))
    });
}

fn import(c: &mut Criterion) {
    let d = big_diagram(1_000, 1_500);
    let mermaid = to_mermaid(&d);
    let dot = to_dot(&d);
    c.bench_function("Mermaid import, 1000 nodes", |b| {
        b.iter(|| import::import(&mermaid, ImportFormat::Mermaid))
    });
    c.bench_function("DOT import, 1000 nodes", |b| {
        b.iter(|| import::import(&dot, ImportFormat::Dot))
    });
}

criterion_group!(benches, canvas, export_and_layout, import);
criterion_main!(benches);
