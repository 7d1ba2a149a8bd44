//! Bundles every case study in `case_studies/` into the binary, so the app
//! works offline from any folder.

use std::env;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest_dir.join("case_studies");
    let mut code = String::new();
    bundle(
        &mut code,
        "BUNDLED",
        "Case-study files built into the app: (file name, text).",
        &dir,
        "ron",
    );
    bundle(
        &mut code,
        "BUNDLED_DESIGNS",
        "Reference designs built into the app, one session file per case study: (file name, text).",
        &dir.join("designs"),
        "mlsd",
    );
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("bundled_case_studies.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}

/// Appends `const NAME: &[(&str, &str)]` holding every `*.EXTENSION` file
/// of `dir` (sorted by name), and asks cargo to rebuild when they change.
fn bundle(code: &mut String, name: &str, doc: &str, dir: &Path, extension: &str) {
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == extension))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    writeln!(code, "/// {doc}\npub const {name}: &[(&str, &str)] = &[")
        .expect("writing to a String cannot fail");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("case-study file names are UTF-8");
        writeln!(
            code,
            "    ({file:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .expect("writing to a String cannot fail");
    }
    code.push_str("];\n");
}
