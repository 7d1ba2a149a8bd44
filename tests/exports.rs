//! Every export is read back by a real consumer: usvg for SVG, a PNG
//! decoder, Graphviz `dot`, Mermaid's own parser under node, and serde_json
//! with the fields Excalidraw needs.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use mlsd_studio::diagram::{ComponentKind, Diagram, DiagramEdit, Point, SERVING_DIAGRAM};
use mlsd_studio::export::{ExportFormat, export, to_dot, to_excalidraw, to_mermaid, to_svg};
use mlsd_studio::session::load_session;
use resvg::usvg;

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

/// A diagram whose labels try to break every format: quotes, markup,
/// arrows, reserved words, line breaks and non-ASCII text.
fn hostile() -> Diagram {
    let mut d = Diagram::default();
    let labels = [
        "He said \"hi\" & <left>",
        "end",
        "a --> b | c; d",
        "line one\nline two",
        "back\\slash {curly} [square] (round) #hash",
        "Ünïcödé → 日本語",
        "subgraph",
        "",
    ];
    let mut ids = Vec::new();
    for (i, (label, kind)) in labels
        .iter()
        .zip(ComponentKind::ALL.iter().step_by(4))
        .enumerate()
    {
        let id = d
            .apply(DiagramEdit::AddNode {
                kind: *kind,
                pos: Point::new(i as f32 * 220.0, (i % 3) as f32 * 120.0),
            })
            .nodes[0];
        d.apply(DiagramEdit::RenameNode {
            id,
            label: (*label).to_owned(),
        });
        ids.push(id);
    }
    for w in ids.windows(2) {
        let e = d
            .apply(DiagramEdit::Connect {
                from: w[0],
                to: w[1],
            })
            .edges[0];
        d.apply(DiagramEdit::RenameEdge {
            id: e,
            label: "calls \"x\" -> |y|".into(),
        });
    }
    d.apply(DiagramEdit::Group {
        members: ids[..3].to_vec(),
        label: "online \"path\"".into(),
    });
    d.apply(DiagramEdit::Group {
        members: ids[2..5].to_vec(),
        label: "overlapping group".into(),
    });
    d
}

fn diagrams() -> Vec<(String, Diagram)> {
    let session = load_session(Path::new(EXAMPLE)).expect("the example loads");
    let mut all: Vec<(String, Diagram)> = session
        .diagrams
        .into_iter()
        .map(|d| (d.name, d.diagram))
        .collect();
    all.push(("hostile".into(), hostile()));
    all.push(("empty".into(), Diagram::default()));
    all
}

#[test]
fn svg_parses_in_usvg_with_real_text() {
    for (name, d) in diagrams() {
        let svg = to_svg(&d);
        let tree = usvg::Tree::from_str(&svg, &usvg::Options::default())
            .unwrap_or_else(|e| panic!("{name}: usvg rejected the SVG: {e}"));
        assert!(tree.size().width() > 0.0, "{name}");
        assert!(!svg.contains("foreignObject"), "{name}");
        assert_eq!(
            svg.matches("<g class=\"node\"").count(),
            d.nodes.len(),
            "{name}"
        );
        assert_eq!(
            svg.matches("<line class=\"edge\"").count(),
            d.edges.len(),
            "{name}"
        );
        for n in d.nodes.iter().filter(|n| !n.label.is_empty()) {
            let first_word = n.label.split_whitespace().next().expect("a word");
            let escaped = mlsd_studio::export::xml_escape(first_word);
            assert!(
                svg.contains(&escaped),
                "{name}: label {first_word:?} missing from <text>"
            );
        }
    }
}

#[test]
fn png_is_the_svg_at_twice_the_size() {
    let session = load_session(Path::new(EXAMPLE)).expect("the example loads");
    let d = session.diagram(SERVING_DIAGRAM).expect("serving diagram");
    let svg = to_svg(d);
    let size = usvg::Tree::from_str(&svg, &usvg::Options::default())
        .expect("svg")
        .size();
    let png = export(d, ExportFormat::Png).expect("png");
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    // The IHDR chunk holds width and height, big-endian, at bytes 16..24.
    let width = u32::from_be_bytes(png[16..20].try_into().expect("4 bytes"));
    let height = u32::from_be_bytes(png[20..24].try_into().expect("4 bytes"));
    assert_eq!(width, (size.width() * 2.0).ceil() as u32);
    assert_eq!(height, (size.height() * 2.0).ceil() as u32);
}

fn write_all(dir: &Path, extension: &str, render: impl Fn(&Diagram) -> String) -> Vec<PathBuf> {
    diagrams()
        .into_iter()
        .map(|(name, d)| {
            let slug: String = name.chars().filter(char::is_ascii_alphanumeric).collect();
            let path = dir.join(format!("{slug}.{extension}"));
            std::fs::write(&path, render(&d)).expect("write");
            path
        })
        .collect()
}

#[test]
fn graphviz_dot_accepts_the_dot_export() {
    let dir = tempfile::tempdir().expect("temp dir");
    for path in write_all(dir.path(), "dot", to_dot) {
        let out = Command::new("dot")
            .arg("-Tsvg")
            .arg(&path)
            .output()
            .expect("Graphviz `dot` must be installed (apt-get install graphviz)");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{}: {stderr}", path.display());
        assert!(
            !stderr.contains("syntax error"),
            "{}: {stderr}",
            path.display()
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn mermaid_parses_the_mermaid_export() {
    let checker = Path::new("tests/mermaid");
    assert!(
        checker.join("node_modules/mermaid").exists(),
        "run `npm ci` in tests/mermaid first (the .ci/run script does)"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let files = write_all(dir.path(), "mmd", to_mermaid);
    let out = Command::new("node")
        .current_dir(checker)
        .arg("parse.mjs")
        .args(&files)
        .output()
        .expect("node must be installed");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("ok ").count(), files.len(), "{stdout}");
}

#[test]
fn excalidraw_scene_has_bound_arrows_and_labels() {
    for (name, d) in diagrams() {
        let scene: serde_json::Value =
            serde_json::from_str(&to_excalidraw(&d)).expect("valid JSON");
        assert_eq!(scene["type"], "excalidraw", "{name}");
        assert_eq!(scene["version"], 2, "{name}");
        let elements = scene["elements"].as_array().expect("elements");
        let ids: HashSet<&str> = elements.iter().filter_map(|e| e["id"].as_str()).collect();
        assert_eq!(ids.len(), elements.len(), "{name}: element ids are unique");
        for e in elements {
            for key in [
                "id",
                "type",
                "x",
                "y",
                "width",
                "height",
                "seed",
                "version",
                "isDeleted",
                "groupIds",
                "boundElements",
            ] {
                assert!(!e[key].is_null(), "{name}: {key} missing on {}", e["id"]);
            }
        }
        let arrows: Vec<_> = elements.iter().filter(|e| e["type"] == "arrow").collect();
        assert_eq!(arrows.len(), d.edges.len(), "{name}");
        for a in arrows {
            let aid = a["id"].as_str().expect("id");
            for end in ["startBinding", "endBinding"] {
                let target = a[end]["elementId"].as_str().expect("bound");
                let shape = elements
                    .iter()
                    .find(|e| e["id"] == target)
                    .expect("bound shape exists");
                let bound = shape["boundElements"].as_array().expect("list");
                assert!(
                    bound.iter().any(|b| b["id"] == aid && b["type"] == "arrow"),
                    "{name}: {target} lists {aid}"
                );
            }
            assert_eq!(a["points"].as_array().map(Vec::len), Some(2));
        }
        for t in elements.iter().filter(|e| e["type"] == "text") {
            if let Some(container) = t["containerId"].as_str() {
                assert!(ids.contains(container), "{name}: text in missing container");
            }
        }
    }
}

#[test]
fn the_export_command_writes_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    for format in ["svg", "png", "mermaid", "dot", "excalidraw"] {
        let out = dir.path().join(format!("serving.{format}"));
        let status = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
            .args([
                "export",
                EXAMPLE,
                "--diagram",
                "Serving",
                "--format",
                format,
                "-o",
            ])
            .arg(&out)
            .status()
            .expect("run");
        assert!(status.success(), "{format}");
        assert!(
            std::fs::metadata(&out).expect("written").len() > 100,
            "{format}"
        );
    }
    let missing = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args([
            "export",
            EXAMPLE,
            "--diagram",
            "Nope",
            "--format",
            "svg",
            "-o",
        ])
        .arg(dir.path().join("nope.svg"))
        .output()
        .expect("run");
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no diagram called \"Nope\""));
    assert!(!dir.path().join("nope.svg").exists());
}
