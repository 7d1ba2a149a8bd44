//! The tiers of ARCHITECTURE.md as a test: a core module imports only
//! modules of a lower tier, only `ui` (and the binary) names egui or eframe,
//! and only the binary names clap or anyhow.

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

/// Each top-level module of the library and its tier; a module may import
/// only modules of a lower tier.
const TIERS: &[(&str, u8)] = &[
    ("about", 0),
    ("framework", 0),
    ("format", 0),
    ("fsutil", 0),
    ("settings", 0),
    ("content", 1),
    ("diagram", 2),
    ("mock", 2),
    ("session", 3),
    ("sim", 3),
    ("progress", 4),
    ("review", 4),
    ("estimate", 4),
    ("import", 4),
    ("export", 5),
    ("remote", 5),
    ("cli", 6),
    ("app", 6),
    ("ui", 7),
];

fn tier(module: &str) -> Option<u8> {
    TIERS.iter().find(|(m, _)| *m == module).map(|(_, t)| *t)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("src is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library's top-level module a file belongs to (`None` for lib.rs and
/// main.rs).
fn module_of(path: &Path) -> Option<String> {
    let rel = path.strip_prefix("src").ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (name != "lib" && name != "main").then(|| name.to_owned())
}

/// The top-level modules a source text names through `crate::`, including
/// those inside `use crate::{a::…, b};` groups.
fn crate_imports(text: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && !c.is_whitespace() => {
                        found.insert(ident(&group[j..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|m| !m.is_empty());
    found
}

/// Lines outside comments that mention `needle`.
fn code_mentions(text: &str, needle: &str) -> bool {
    text.lines()
        .map(str::trim_start)
        .filter(|l| !l.starts_with("//"))
        .any(|l| l.contains(needle))
}

#[test]
fn every_module_has_a_tier() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    for file in &files {
        if let Some(module) = module_of(file) {
            assert!(
                tier(&module).is_some(),
                "{}: module `{module}` has no tier in tests/layering.rs",
                file.display()
            );
        }
    }
}

#[test]
fn core_modules_import_only_downward() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut upward = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else {
            continue;
        };
        let Some(own) = tier(&module) else { continue };
        let text = fs::read_to_string(file).expect("source is UTF-8");
        for imported in crate_imports(&text) {
            if imported == module {
                continue;
            }
            match tier(&imported) {
                Some(t) if t < own => {}
                _ => upward.push(format!(
                    "{}: `{module}` (tier {own}) imports `{imported}` (tier {:?})",
                    file.display(),
                    tier(&imported)
                )),
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports up or across:\n{}",
        upward.join("\n")
    );
}

#[test]
fn only_the_ui_names_egui_and_only_the_binary_names_clap_or_anyhow() {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    for file in &files {
        let text = fs::read_to_string(file).expect("source is UTF-8");
        let module = module_of(file);
        let is_main = file.ends_with("main.rs") && module.is_none();
        if module.as_deref() != Some("ui") && !is_main {
            for name in ["egui", "eframe"] {
                assert!(
                    !code_mentions(&text, &format!("{name}::")),
                    "{} names {name}",
                    file.display()
                );
            }
        }
        if !is_main {
            for name in ["clap::", "anyhow"] {
                assert!(
                    !code_mentions(&text, name),
                    "{} names {name}",
                    file.display()
                );
            }
        }
    }
}

#[test]
fn the_import_scanner_reads_groups_and_paths() {
    let text =
        "use crate::{app::Command, sim::{Traffic, run}, format};\nlet x = crate::session::load();";
    let found: Vec<String> = crate_imports(text).into_iter().collect();
    assert_eq!(found, ["app", "format", "session", "sim"]);
}
