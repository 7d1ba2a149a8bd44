//! Mermaid flowchart export: ids sanitised, every label quoted.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use crate::diagram::{Category, Diagram, NodeId, NodeMap, Shape};

/// A Mermaid id for a node: `n` and its number, always valid.
pub fn mermaid_id(id: NodeId) -> String {
    format!("n{}", id.0)
}

/// Text for inside Mermaid's double quotes: quotes and markup become entity
/// codes, line breaks become `<br/>`.
pub fn mermaid_label(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '\n' => out.push_str("<br/>"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

fn node_decl(id: &str, label: &str, shape: Shape) -> String {
    // Mermaid refuses an empty quoted label.
    let mut l = mermaid_label(label);
    if l.is_empty() {
        l.push(' ');
    }
    match shape {
        Shape::Rect | Shape::Document => format!("{id}[\"{l}\"]"),
        Shape::Rounded => format!("{id}(\"{l}\")"),
        Shape::Pill => format!("{id}([\"{l}\"])"),
        Shape::Cylinder => format!("{id}[(\"{l}\")]"),
        Shape::Parallelogram => format!("{id}[/\"{l}\"/]"),
        Shape::Hexagon => format!("{id}{{{{\"{l}\"}}}}"),
        Shape::Ellipse => format!("{id}((\"{l}\"))"),
        Shape::Note => format!("{id}>\"{l}\"]"),
    }
}

fn class_name(c: Category) -> String {
    format!("{c:?}").to_lowercase()
}

/// The diagram as a Mermaid `flowchart LR`.
pub fn to_mermaid(d: &Diagram) -> String {
    let mut s = String::from("flowchart LR\n");
    let nodes = NodeMap::new(d);
    // Mermaid puts a node in one subgraph only: the first group that lists it.
    let mut placed = HashSet::new();
    for g in &d.groups {
        let members: Vec<NodeId> = g
            .members
            .iter()
            .copied()
            .filter(|m| placed.insert(*m))
            .collect();
        if members.is_empty() {
            continue;
        }
        writeln!(
            s,
            "    subgraph g{}[\"{}\"]",
            g.id.0,
            mermaid_label(&g.label)
        )
        .expect("writing to a String cannot fail");
        for m in members {
            if let Some(n) = nodes.node(m) {
                writeln!(
                    s,
                    "        {}",
                    node_decl(&mermaid_id(n.id), &n.label, n.kind.shape())
                )
                .expect("writing to a String cannot fail");
            }
        }
        s.push_str("    end\n");
    }
    for n in d.nodes.iter().filter(|n| !placed.contains(&n.id)) {
        writeln!(
            s,
            "    {}",
            node_decl(&mermaid_id(n.id), &n.label, n.kind.shape())
        )
        .expect("writing to a String cannot fail");
    }
    for e in &d.edges {
        let (a, b) = (mermaid_id(e.from), mermaid_id(e.to));
        if e.label.trim().is_empty() {
            writeln!(s, "    {a} --> {b}").expect("writing to a String cannot fail");
        } else {
            writeln!(s, "    {a} -->|\"{}\"| {b}", mermaid_label(&e.label))
                .expect("writing to a String cannot fail");
        }
    }
    let mut by_class: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for n in &d.nodes {
        let class = if n.kind.is_note() {
            "note".to_owned()
        } else {
            class_name(n.kind.category())
        };
        by_class.entry(class).or_default().push(mermaid_id(n.id));
    }
    for (class, ids) in &by_class {
        let (stroke, fill) = match Category::ALL.iter().find(|c| &class_name(**c) == class) {
            Some(c) if class != "note" => (c.hex(), c.fill_hex()),
            _ => ("#c9a227".to_owned(), "#fff6c8".to_owned()),
        };
        writeln!(
            s,
            "    classDef {class} fill:{fill},stroke:{stroke},color:#1d2330"
        )
        .expect("writing to a String cannot fail");
        writeln!(s, "    class {} {class}", ids.join(","))
            .expect("writing to a String cannot fail");
    }
    s
}
