//! What the headless subcommands print, built from the same modules the GUI uses.

use std::fmt::Write as _;
use std::path::Path;

use serde_json::{Value, json};

use anyhow::Context as _;

use crate::content::{CaseLibrary, load_dir, word_count};
use crate::export::{ExportFormat, export};
use crate::framework::STEPS;
use crate::fsutil::atomic_write;
use crate::session::load_session;

/// The case studies as the JSON array `mlsd-studio list --json` prints.
pub fn list_json(library: &CaseLibrary) -> Value {
    let studies = library.studies.iter().map(|s| {
        let steps: Vec<Value> = s
            .steps
            .iter()
            .zip(STEPS.iter())
            .map(|(c, fs)| {
                json!({
                    "step": c.step,
                    "name": fs.name,
                    "checklist": c.checklist.len(),
                    "hints": c.hints.len(),
                    "follow_ups": c.follow_ups.len(),
                    "pitfalls": c.pitfalls.len(),
                    "reference_words": word_count(&c.reference),
                })
            })
            .collect();
        json!({
            "id": s.id,
            "title": s.title,
            "summary": s.summary,
            "difficulty": s.difficulty.label(),
            "tags": s.tags,
            "questions": s.questions.len(),
            "scenario": {
                "peak_qps": s.scenario.peak_qps,
                "p99_sla_ms": s.scenario.p99_sla_ms,
                "monthly_budget_usd": s.scenario.monthly_budget_usd,
            },
            "steps": steps,
        })
    });
    Value::Array(studies.collect())
}

/// The case studies as an aligned text table.
pub fn list_text(library: &CaseLibrary) -> String {
    let id_width = library
        .studies
        .iter()
        .map(|s| s.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let title_width = library
        .studies
        .iter()
        .map(|s| s.title.len())
        .max()
        .unwrap_or(5)
        .max(5);
    let mut out = format!(
        "{:id_width$}  {:title_width$}  {:10}  TAGS\n",
        "ID", "TITLE", "DIFFICULTY"
    );
    for s in &library.studies {
        let _ = writeln!(
            out,
            "{:id_width$}  {:title_width$}  {:10}  {}",
            s.id,
            s.title,
            s.difficulty.label(),
            s.tags.join(", ")
        );
    }
    out
}

/// The outcome of `mlsd-studio check DIR`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    /// One `file:line:col: message` line per problem.
    pub errors: Vec<String>,
    /// Files that passed.
    pub valid: usize,
    /// Files with at least one problem.
    pub failed_files: usize,
}

impl CheckReport {
    /// True when nothing is wrong.
    pub fn ok(&self) -> bool {
        self.errors.is_empty()
    }

    /// The closing line.
    pub fn summary(&self) -> String {
        let files = self.valid + self.failed_files;
        format!(
            "{files} case-study files checked: {} valid, {} with errors ({} errors)",
            self.valid,
            self.failed_files,
            self.errors.len()
        )
    }
}

/// Validates every case-study file in `dir`.
pub fn check(dir: &Path) -> CheckReport {
    let library = load_dir(dir);
    let mut errors: Vec<String> = library.errors().map(ToString::to_string).collect();
    if library.studies.is_empty() && library.failures.is_empty() {
        errors.push(format!(
            "{}: no case-study files (*.ron) found",
            dir.display()
        ));
    }
    CheckReport {
        errors,
        valid: library.studies.len(),
        failed_files: library.failures.len(),
    }
}

/// Writes the diagram called `name` of the session in `file` to `output`.
pub fn export_diagram(
    file: &Path,
    name: &str,
    format: ExportFormat,
    output: &Path,
) -> anyhow::Result<()> {
    let session = load_session(file)?;
    let diagram = session.diagram(name).with_context(|| {
        let names: Vec<&str> = session.diagrams.iter().map(|d| d.name.as_str()).collect();
        format!(
            "{}: no diagram called \"{name}\"; it has {}",
            file.display(),
            names.join(", ")
        )
    })?;
    let bytes = export(diagram, format)?;
    atomic_write(output, &bytes).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(())
}
