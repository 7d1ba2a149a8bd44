//! Graphviz DOT export, laid out left to right.

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::diagram::{Diagram, Shape};

/// A DOT double-quoted string body.
pub fn dot_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn dot_shape(shape: Shape) -> (&'static str, &'static str) {
    match shape {
        Shape::Rect | Shape::Document => ("box", "filled"),
        Shape::Rounded | Shape::Pill => ("box", "rounded,filled"),
        Shape::Cylinder => ("cylinder", "filled"),
        Shape::Parallelogram => ("parallelogram", "filled"),
        Shape::Hexagon => ("hexagon", "filled"),
        Shape::Ellipse => ("ellipse", "filled"),
        Shape::Note => ("note", "filled"),
    }
}

/// The diagram as a Graphviz `digraph`.
pub fn to_dot(d: &Diagram) -> String {
    let mut s = String::from(
        "digraph diagram {\n    rankdir=LR;\n    node [fontname=\"Helvetica\", fontsize=12, penwidth=1.4];\n    edge [fontname=\"Helvetica\", fontsize=10, color=\"#555555\"];\n",
    );
    // Graphviz clusters must not overlap: a node goes in its first group only.
    let mut placed = HashSet::new();
    for g in &d.groups {
        let members: Vec<_> = g.members.iter().filter(|m| placed.insert(**m)).collect();
        if members.is_empty() {
            continue;
        }
        writeln!(
            s,
            "    subgraph cluster_{} {{\n        label=\"{}\";\n        style=\"rounded,dashed\";\n        color=\"#8a94a6\";",
            g.id.0,
            dot_escape(&g.label)
        ).expect("writing to a String cannot fail");
        for m in members {
            writeln!(s, "        n{};", m.0).expect("writing to a String cannot fail");
        }
        s.push_str("    }\n");
    }
    for n in &d.nodes {
        let (shape, style) = dot_shape(n.kind.shape());
        let (stroke, fill) = if n.kind.is_note() {
            ("#c9a227".to_owned(), "#fff6c8".to_owned())
        } else {
            (n.kind.category().hex(), n.kind.category().fill_hex())
        };
        writeln!(
            s,
            "    n{} [label=\"{}\", shape={shape}, style=\"{style}\", color=\"{stroke}\", fillcolor=\"{fill}\"];",
            n.id.0,
            dot_escape(&n.label)
        ).expect("writing to a String cannot fail");
    }
    for e in &d.edges {
        if e.label.trim().is_empty() {
            writeln!(s, "    n{} -> n{};", e.from.0, e.to.0)
                .expect("writing to a String cannot fail");
        } else {
            writeln!(
                s,
                "    n{} -> n{} [label=\"{}\"];",
                e.from.0,
                e.to.0,
                dot_escape(&e.label)
            )
            .expect("writing to a String cannot fail");
        }
    }
    s.push_str("}\n");
    s
}
