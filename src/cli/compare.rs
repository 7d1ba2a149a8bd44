//! `simulate --compare A B`: both diagrams simulated exactly as a plain
//! `simulate` of each would be, then set side by side.

use std::path::Path;

use serde_json::{Value, json};

use crate::content::CaseLibrary;
use crate::review::designs::{Design, DesignComparison, compare_designs, sizing_text};
use crate::session::load_session;

use super::{CliError, SimulateArgs, diagram_of, simulate};

/// Simulates diagrams `a` and `b` of the session in `file` with the same
/// load, requests and seed, and compares B against A.
pub fn simulate_compare(
    file: &Path,
    library: &CaseLibrary,
    args: &SimulateArgs,
    a: &str,
    b: &str,
    on_progress_line: &(dyn Fn(&str) + Sync),
) -> Result<DesignComparison, CliError> {
    let session = load_session(file)?;
    // Name both diagrams before spending time on either run.
    let diagram_a = diagram_of(&session, file, a)?;
    let diagram_b = diagram_of(&session, file, b)?;
    let run = |name: &str| {
        let one = SimulateArgs {
            diagram: name.to_owned(),
            ..args.clone()
        };
        simulate(file, library, &one, on_progress_line)
    };
    let report_a = run(a)?;
    let report_b = run(b)?;
    Ok(compare_designs(
        &Design {
            name: a,
            diagram: diagram_a,
            report: &report_a,
        },
        &Design {
            name: b,
            diagram: diagram_b,
            report: &report_b,
        },
    ))
}

/// The comparison as an aligned table, then the node changes.
pub fn compare_text(c: &DesignComparison) -> String {
    let rows: Vec<[String; 4]> = c
        .deltas
        .iter()
        .map(|d| {
            [
                d.metric.label().to_owned(),
                d.metric.show(d.a),
                d.metric.show(d.b),
                d.said.clone(),
            ]
        })
        .collect();
    let header = [
        "metric".to_owned(),
        format!("A: {}", c.a.name),
        format!("B: {}", c.b.name),
        "B − A".to_owned(),
    ];
    let widths: Vec<usize> = (0..4)
        .map(|i| {
            rows.iter()
                .chain(std::iter::once(&header))
                .map(|r| r[i].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in std::iter::once(&header).chain(&rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, w)| format!("{cell:<w$}"))
            .collect();
        out += cells.join("  ").trim_end();
        out.push('\n');
    }
    out += &c.bottleneck;
    out.push('\n');
    let nodes = &c.nodes;
    out.push('\n');
    if nodes.is_empty() {
        out += "nodes: no changes\n";
        return out;
    }
    out += "nodes:\n";
    for n in &nodes.added {
        out += &(format!("  + {} ({})", n.label, sizing_text(n.sizing.as_ref())) + "\n");
    }
    for n in &nodes.removed {
        out += &(format!("  - {} ({})", n.label, sizing_text(n.sizing.as_ref())) + "\n");
    }
    for n in &nodes.changed {
        out += &(format!("  ~ {}: {}", n.label, n.changes.join(", ")) + "\n");
    }
    out
}

/// The comparison as one JSON object: `a`, `b`, `deltas`, `bottleneck`, `nodes`.
pub fn compare_json(c: &DesignComparison) -> Value {
    let deltas: serde_json::Map<String, Value> = c
        .deltas
        .iter()
        .map(|d| {
            (
                d.metric.key().to_owned(),
                json!({ "a": d.a, "b": d.b, "delta": d.delta, "verdict": d.verdict, "said": d.said }),
            )
        })
        .collect();
    json!({
        "a": c.a,
        "b": c.b,
        "deltas": deltas,
        "bottleneck": c.bottleneck,
        "nodes": c.nodes,
    })
}
