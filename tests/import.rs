//! Mermaid and DOT import: export → import → export keeps every node,
//! edge, label and group (over the reference designs and random diagrams),
//! and hostile text never panics, stays bounded and writes nothing.

use std::collections::HashSet;

use mlsd_studio::content;
use mlsd_studio::diagram::{ComponentKind, Diagram, DiagramEdit, NodeId, Point};
use mlsd_studio::export::{to_dot, to_mermaid};
use mlsd_studio::import::{
    ImportError, ImportFormat, Imported, MAX_DOT_NESTING, MAX_IMPORT_BYTES, import, import_detected,
};
use mlsd_studio::review::reference_session;
use proptest::prelude::*;

const FORMATS: [ImportFormat; 2] = [ImportFormat::Mermaid, ImportFormat::Dot];

fn export(d: &Diagram, format: ImportFormat) -> String {
    match format {
        ImportFormat::Mermaid => to_mermaid(d),
        ImportFormat::Dot => to_dot(d),
    }
}

/// A label as it survives the format: Mermaid trims labels; both turn
/// control characters other than line breaks into spaces.
fn survived(label: &str, format: ImportFormat) -> String {
    let spaced = |s: &str| -> String {
        s.chars()
            .map(|c| if c != '\n' && c.is_control() { ' ' } else { c })
            .collect()
    };
    match format {
        ImportFormat::Mermaid => spaced(label.trim()).trim().to_owned(),
        ImportFormat::Dot => spaced(label),
    }
}

/// The id a node of the exported diagram had, read back from its text id.
fn original_id(imported: &Imported, index: usize) -> NodeId {
    let key = &imported.source_ids[index];
    NodeId(key.trim_start_matches('n').parse().expect("an exported id"))
}

/// Checks that `text` (the export of `d`) came back as `d`'s nodes, edges
/// and groups, and that exporting the import and importing again is stable.
fn assert_round_trip(name: &str, d: &Diagram, format: ImportFormat) {
    let text = export(d, format);
    let imported = import(&text, format).unwrap_or_else(|e| panic!("{name}: {e}\n{text}"));
    let got = &imported.diagram;
    assert_eq!(got.nodes.len(), d.nodes.len(), "{name}: nodes");
    let mut originals = Vec::new();
    for (i, n) in got.nodes.iter().enumerate() {
        let id = original_id(&imported, i);
        let before = d
            .node(id)
            .unwrap_or_else(|| panic!("{name}: no node {id:?}"));
        assert_eq!(n.label, survived(&before.label, format), "{name}: label");
        originals.push((n.id, id));
    }
    let to_original = |id: NodeId| originals.iter().find(|(n, _)| *n == id).map(|(_, o)| *o);

    let edges = |d: &Diagram, map: &dyn Fn(NodeId) -> Option<NodeId>, norm: bool| {
        d.edges
            .iter()
            .map(|e| {
                let label = if norm && !e.label.trim().is_empty() {
                    survived(&e.label, format)
                } else if norm {
                    String::new()
                } else {
                    e.label.clone()
                };
                (map(e.from), map(e.to), label)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(
        edges(got, &to_original, false),
        edges(d, &|id| Some(id), true),
        "{name}: edges"
    );

    // A node is drawn in the first group that lists it; groups left empty
    // by that are not drawn.
    let mut placed = HashSet::new();
    let expected_groups: Vec<(String, Vec<NodeId>)> = d
        .groups
        .iter()
        .map(|g| {
            let members = g.members.iter().copied().filter(|m| placed.insert(*m));
            (survived(&g.label, format), members.collect::<Vec<_>>())
        })
        .filter(|(_, m)| !m.is_empty())
        .collect();
    let got_groups: Vec<(String, Vec<NodeId>)> = got
        .groups
        .iter()
        .map(|g| {
            let members = g.members.iter().filter_map(|m| to_original(*m));
            (g.label.clone(), members.collect())
        })
        .collect();
    assert_eq!(got_groups, expected_groups, "{name}: groups");

    let again = export(got, format);
    let twice = import(&again, format).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(export(&twice.diagram, format), again, "{name}: stable");
}

#[test]
fn every_reference_design_round_trips_through_mermaid_and_dot() {
    let library = content::bundled();
    let mut checked = 0;
    for study in &library.studies {
        let session = reference_session(study, None).expect("reference loads");
        for sd in &session.diagrams {
            for format in FORMATS {
                let name = format!("{} / {} / {format:?}", study.id, sd.name);
                assert_round_trip(&name, &sd.diagram, format);
                checked += 1;
            }
        }
    }
    assert!(checked >= 20, "{checked}");
}

#[test]
fn imported_kinds_follow_shapes_and_words() {
    let text = "flowchart LR\n  c((Users)) --> api(Gateway) --> fs[(Feature store)]\n  api --> r{{Ranker}} -.-> m([Drift monitor])\n";
    let imported = import(text, ImportFormat::Mermaid).expect("imports");
    let kinds: Vec<ComponentKind> = imported.diagram.nodes.iter().map(|n| n.kind).collect();
    assert_eq!(
        kinds,
        [
            ComponentKind::Client,
            ComponentKind::ApiGateway,
            ComponentKind::OnlineFeatureStore,
            ComponentKind::RankingModel,
            ComponentKind::Monitoring,
        ]
    );
    // Laid out left to right by the flow: each edge points rightwards.
    let d = &imported.diagram;
    for e in &d.edges {
        let (a, b) = (d.node(e.from).expect("from"), d.node(e.to).expect("to"));
        assert!(a.pos.x < b.pos.x, "{} → {}", a.label, b.label);
    }
}

fn random_diagram(
    labels: Vec<String>,
    kinds: Vec<usize>,
    edges: Vec<(usize, usize, String)>,
    groups: Vec<(String, Vec<usize>)>,
) -> Diagram {
    let mut d = Diagram::default();
    let mut ids = Vec::new();
    for (i, label) in labels.into_iter().enumerate() {
        let kind = ComponentKind::ALL[kinds[i % kinds.len()] % ComponentKind::ALL.len()];
        let id = d
            .apply(DiagramEdit::AddNode {
                kind,
                pos: Point::new(i as f32 * 10.0, 0.0),
            })
            .nodes[0];
        d.apply(DiagramEdit::RenameNode { id, label });
        ids.push(id);
    }
    for (a, b, label) in edges {
        let (from, to) = (ids[a % ids.len()], ids[b % ids.len()]);
        if let Some(&e) = d.apply(DiagramEdit::Connect { from, to }).edges.first() {
            d.apply(DiagramEdit::RenameEdge { id: e, label });
        }
    }
    for (label, members) in groups {
        let members = members.into_iter().map(|m| ids[m % ids.len()]).collect();
        d.apply(DiagramEdit::Group { members, label });
    }
    d
}

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 ]{0,14}",
        "[a-z \"#<>|;&\\[\\](){}/\\\\\n\t-]{0,14}",
        Just("feature store".to_owned()),
        Just("end".to_owned()),
        Just("Ranker".to_owned()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_diagrams_round_trip(
        labels in prop::collection::vec(label(), 1..10),
        kinds in prop::collection::vec(0usize..64, 1..10),
        edges in prop::collection::vec((0usize..10, 0usize..10, label()), 0..14),
        groups in prop::collection::vec((label(), prop::collection::vec(0usize..10, 1..4)), 0..3),
    ) {
        let d = random_diagram(labels, kinds, edges, groups);
        for format in FORMATS {
            assert_round_trip("random", &d, format);
        }
    }

    #[test]
    fn any_text_is_an_error_or_a_valid_diagram(text in "(flowchart LR|digraph \\{|graph)?[ -~\n]{0,200}") {
        let results = [
            import_detected(&text),
            import(&text, ImportFormat::Mermaid),
            import(&text, ImportFormat::Dot),
        ];
        for imported in results.into_iter().flatten() {
            let mut d = imported.diagram.clone();
            prop_assert!(d.sanitize().is_ok());
            prop_assert_eq!(d, imported.diagram);
        }
    }
}

#[test]
fn unbalanced_subgraphs_are_refused_with_their_line() {
    let unclosed = "flowchart LR\n  a --> b\n  subgraph online\n    c\n";
    assert_eq!(
        import(unclosed, ImportFormat::Mermaid),
        Err(ImportError::Syntax {
            line: 3,
            message: "`subgraph` \"online\" is never closed with `end`".into()
        })
    );
    let extra = "graph TD\n  a --> b\n  end\n";
    assert!(matches!(
        import(extra, ImportFormat::Mermaid),
        Err(ImportError::Syntax { line: 3, .. })
    ));
    let dot = "digraph {\n  subgraph cluster_a {\n    a -> b\n";
    let err = import(dot, ImportFormat::Dot).expect_err("unbalanced");
    assert!(matches!(err, ImportError::Syntax { .. }), "{err}");
}

#[test]
fn unknown_lines_are_left_out_and_reported_by_line() {
    let text = "flowchart LR\n  a[Client] --> b[API]\n  sequence? ??? !!\n  style a fill:#f9f\n  b --> c[(Store)]\n";
    let imported = import_detected(text).expect("imports");
    assert_eq!(imported.diagram.nodes.len(), 3);
    assert_eq!(imported.diagram.edges.len(), 2);
    let lines: Vec<usize> = imported.warnings.iter().map(|w| w.line).collect();
    assert_eq!(lines, [3, 4]);
    assert!(
        imported.warnings[1]
            .to_string()
            .starts_with("line 4: `style`")
    );

    assert_eq!(
        import_detected("sequenceDiagram\n  A->>B: hi\n"),
        Err(ImportError::UnknownFormat)
    );
    assert_eq!(import_detected("  \n"), Err(ImportError::Empty));
}

#[test]
fn ten_megabytes_are_refused_before_parsing() {
    let line = "  a1 --> a2\n";
    let text = format!("flowchart LR\n{}", line.repeat(10_000_000 / line.len()));
    assert!(text.len() > 9_000_000);
    for result in [
        import_detected(&text),
        import(&text, ImportFormat::Mermaid),
        import(&text, ImportFormat::Dot),
    ] {
        assert_eq!(result, Err(ImportError::TooLarge { bytes: text.len() }));
    }
}

#[test]
fn text_just_under_the_limit_stops_at_the_node_limit() {
    let mut text = String::from("flowchart LR\n");
    let mut i = 0;
    while text.len() < MAX_IMPORT_BYTES - 40 {
        text.push_str(&format!("  n{i} --> n{}\n", i + 1));
        i += 1;
    }
    let err = import(&text, ImportFormat::Mermaid).expect_err("too many nodes");
    assert!(
        matches!(err, ImportError::TooMany { what: "nodes", .. }),
        "{err}"
    );
}

#[test]
fn dot_just_under_the_size_limit_parses() {
    let mut text = String::from("digraph {\n");
    let mut i = 0;
    while text.len() < MAX_IMPORT_BYTES - 200 {
        text.push_str(&format!(
            "  n{} -> n{} [label=\"a label of some length, \\\"quoted\\\"\"];\n",
            i % 500,
            (i + 1) % 500
        ));
        i += 1;
    }
    text.push_str("}\n");
    let imported = import(&text, ImportFormat::Dot).expect("imports");
    assert_eq!(imported.diagram.nodes.len(), 500);
    assert_eq!(imported.diagram.edges.len(), i);
}

#[test]
fn large_imports_are_laid_out_without_overlap() {
    let mut text = String::from("digraph {\n");
    for i in 0..900 {
        text.push_str(&format!("  n{i} -> n{};\n", (i * 7 + 1) % 900));
    }
    text.push_str("}\n");
    let imported = import(&text, ImportFormat::Dot).expect("imports");
    let d = &imported.diagram;
    assert_eq!(d.nodes.len(), 900);
    let mut corners = HashSet::new();
    for n in &d.nodes {
        assert!(corners.insert((n.pos.x as i64, n.pos.y as i64)), "overlap");
    }
}

#[test]
fn deep_nesting_is_refused_without_recursing() {
    let mermaid = format!("flowchart LR\n{}", "subgraph s\n".repeat(50_000));
    assert!(matches!(
        import(&mermaid, ImportFormat::Mermaid),
        Err(ImportError::TooDeep { line: 34, .. })
    ));
    let dot = format!("digraph {{\n{}", "subgraph {\n".repeat(50_000));
    assert!(matches!(
        import(&dot, ImportFormat::Dot),
        Err(ImportError::TooDeep { .. })
    ));
    // A broken text nested just inside the limit makes the parser
    // backtrack through every level; it still ends with an error.
    let broken = format!(
        "digraph {{\n{} a -> ;",
        "subgraph {\n".repeat(MAX_DOT_NESTING - 1)
    );
    assert!(matches!(
        import(&broken, ImportFormat::Dot),
        Err(ImportError::Syntax { .. })
    ));
    // Just inside the limit is fine.
    let nested = format!(
        "digraph {{ {} a -> b {} }}",
        "subgraph { ".repeat(MAX_DOT_NESTING - 1),
        "} ".repeat(MAX_DOT_NESTING - 1)
    );
    assert_eq!(
        import(&nested, ImportFormat::Dot).map(|i| i.diagram.edges.len()),
        Ok(1)
    );
}

#[test]
fn detection_tells_the_formats_apart() {
    for (text, format) in [
        ("flowchart TD\n a-->b", Some(ImportFormat::Mermaid)),
        ("graph LR;\n a-->b", Some(ImportFormat::Mermaid)),
        ("%% note\ngraph\n a-->b", Some(ImportFormat::Mermaid)),
        ("digraph G {\n a -> b }", Some(ImportFormat::Dot)),
        ("graph {\n a -- b }", Some(ImportFormat::Dot)),
        ("strict digraph { a -> b }", Some(ImportFormat::Dot)),
        ("graph G\n{ a -- b }", Some(ImportFormat::Dot)),
        ("Feature store", None),
    ] {
        assert_eq!(ImportFormat::detect(text), format, "{text}");
    }
}
