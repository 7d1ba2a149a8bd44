//! Excalidraw scene export (`.excalidraw`, version 2): shapes with bound
//! text labels, and arrows bound to the shapes they connect.

use serde_json::{Value, json};

use crate::diagram::{Diagram, Shape};

const LABEL_SIZE: f64 = 16.0;

fn base(id: &str, kind: &str, x: f32, y: f32, w: f32, h: f32, seed: u64) -> Value {
    json!({
        "id": id,
        "type": kind,
        "x": x,
        "y": y,
        "width": w,
        "height": h,
        "angle": 0,
        "strokeColor": "#1e1e1e",
        "backgroundColor": "transparent",
        "fillStyle": "solid",
        "strokeWidth": 2,
        "strokeStyle": "solid",
        "roughness": 1,
        "opacity": 100,
        "groupIds": [],
        "frameId": null,
        "roundness": null,
        "seed": seed,
        "version": 1,
        "versionNonce": seed.wrapping_mul(2_654_435_761) % 2_147_483_647,
        "isDeleted": false,
        "boundElements": [],
        "updated": 1,
        "link": null,
        "locked": false,
    })
}

fn set(v: &mut Value, key: &str, value: Value) {
    if let Some(map) = v.as_object_mut() {
        map.insert(key.to_owned(), value);
    }
}

/// A text element; `at` is `[x, y, width, height]`.
fn text(id: &str, container: Option<&str>, content: &str, at: [f32; 4], seed: u64) -> Value {
    let [x, y, w, h] = at;
    let mut t = base(id, "text", x, y, w, h, seed);
    set(&mut t, "text", json!(content));
    set(&mut t, "originalText", json!(content));
    set(&mut t, "fontSize", json!(LABEL_SIZE));
    set(&mut t, "fontFamily", json!(1));
    set(
        &mut t,
        "textAlign",
        json!(if container.is_some() {
            "center"
        } else {
            "left"
        }),
    );
    set(
        &mut t,
        "verticalAlign",
        json!(if container.is_some() { "middle" } else { "top" }),
    );
    set(&mut t, "containerId", json!(container));
    set(&mut t, "lineHeight", json!(1.25));
    set(&mut t, "autoResize", json!(true));
    t
}

/// The diagram as an Excalidraw scene.
pub fn to_excalidraw(d: &Diagram) -> Value {
    let mut elements: Vec<Value> = Vec::new();
    for g in &d.groups {
        let Some(r) = d.group_rect(g) else { continue };
        let id = format!("group-{}", g.id.0);
        let mut frame = base(
            &id,
            "rectangle",
            r.min.x,
            r.min.y,
            r.width(),
            r.height(),
            g.id.0,
        );
        set(&mut frame, "strokeStyle", json!("dashed"));
        set(&mut frame, "strokeColor", json!("#8a94a6"));
        set(&mut frame, "roundness", json!({ "type": 3 }));
        elements.push(frame);
        elements.push(text(
            &format!("{id}-label"),
            None,
            &g.label,
            [
                r.min.x + 10.0,
                r.min.y + 4.0,
                (g.label.chars().count() as f32 * 9.0).max(20.0),
                20.0,
            ],
            g.id.0 + 1,
        ));
    }
    for n in &d.nodes {
        let id = format!("node-{}", n.id.0);
        let r = n.rect();
        let kind = match n.kind.shape() {
            Shape::Ellipse => "ellipse",
            _ => "rectangle",
        };
        let mut shape = base(&id, kind, r.min.x, r.min.y, r.width(), r.height(), n.id.0);
        let (stroke, fill) = if n.kind.is_note() {
            ("#c9a227".to_owned(), "#fff6c8".to_owned())
        } else {
            (n.kind.category().hex(), n.kind.category().fill_hex())
        };
        set(&mut shape, "strokeColor", json!(stroke));
        set(&mut shape, "backgroundColor", json!(fill));
        if matches!(
            n.kind.shape(),
            Shape::Rounded | Shape::Pill | Shape::Cylinder
        ) {
            set(&mut shape, "roundness", json!({ "type": 3 }));
        }
        let label_id = format!("{id}-label");
        let mut bound = vec![json!({ "type": "text", "id": label_id })];
        for e in d.edges.iter().filter(|e| e.from == n.id || e.to == n.id) {
            bound.push(json!({ "type": "arrow", "id": format!("edge-{}", e.id.0) }));
        }
        set(&mut shape, "boundElements", json!(bound));
        elements.push(shape);
        let lines = n.label.lines().count().max(1) as f32;
        let h = lines * (LABEL_SIZE as f32) * 1.25;
        elements.push(text(
            &label_id,
            Some(&id),
            &n.label,
            [r.min.x + 8.0, r.center().y - h / 2.0, r.width() - 16.0, h],
            n.id.0 + 1,
        ));
    }
    for e in &d.edges {
        let Some((start, end)) = d.edge_ends(e) else {
            continue;
        };
        let id = format!("edge-{}", e.id.0);
        let (dx, dy) = (end.x - start.x, end.y - start.y);
        let mut arrow = base(&id, "arrow", start.x, start.y, dx.abs(), dy.abs(), e.id.0);
        set(&mut arrow, "points", json!([[0.0, 0.0], [dx, dy]]));
        set(&mut arrow, "lastCommittedPoint", Value::Null);
        set(
            &mut arrow,
            "startBinding",
            json!({ "elementId": format!("node-{}", e.from.0), "focus": 0, "gap": 4 }),
        );
        set(
            &mut arrow,
            "endBinding",
            json!({ "elementId": format!("node-{}", e.to.0), "focus": 0, "gap": 4 }),
        );
        set(&mut arrow, "startArrowhead", Value::Null);
        set(&mut arrow, "endArrowhead", json!("arrow"));
        set(&mut arrow, "roundness", json!({ "type": 2 }));
        set(&mut arrow, "elbowed", json!(false));
        if !e.label.trim().is_empty() {
            let label_id = format!("{id}-label");
            set(
                &mut arrow,
                "boundElements",
                json!([{ "type": "text", "id": label_id }]),
            );
            let mid_x = start.x + dx / 2.0;
            let mid_y = start.y + dy / 2.0;
            let w = (e.label.chars().count() as f32 * 8.0).max(20.0);
            elements.push(arrow);
            elements.push(text(
                &label_id,
                Some(&id),
                &e.label,
                [mid_x - w / 2.0, mid_y - 10.0, w, 20.0],
                e.id.0 + 1,
            ));
        } else {
            elements.push(arrow);
        }
    }
    json!({
        "type": "excalidraw",
        "version": 2,
        "source": "mlsd-studio",
        "elements": elements,
        "appState": { "viewBackgroundColor": "#ffffff", "gridSize": null },
        "files": {},
    })
}
