//! What the headless subcommands print, built from the same modules the GUI uses.

mod compare;
mod estimate;
mod remote;
mod right_size;
mod timeline;

pub use compare::{compare_json, compare_text, simulate_compare};
pub use estimate::{EstimateArgs, estimate_cli, estimate_inputs, estimate_json, estimate_text};
pub use remote::{JoinArgs, RemoteCliError, describe_host_event, host, join};
pub use right_size::{
    RightSizeArgs, RightSizeOutput, right_size_json, right_size_text, simulate_right_size,
};
pub use timeline::{TimelineArgs, TimelineOutput, simulate_timeline, timeline_json, timeline_text};

use std::fmt::Write as _;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use serde_json::{Value, json};

use crate::content::{CaseLibrary, CaseStudy, FolderError, load_dir, word_count};
use crate::diagram::Diagram;
use crate::export::{ExportError, ExportFormat, ReportFormat, export, report, write_export};
use crate::format::number;
use crate::framework::STEPS;
use crate::fsutil::{ReadError, read_text};
use crate::import::{
    ImportError, ImportFormat, ImportWarning, MAX_IMPORT_BYTES, import, import_detected, merge_edit,
};
use crate::review::{SessionReview, review_session};
use crate::session::{Session, SessionDiagram, SessionFileError, load_session};
use crate::sim::availability::availability_with_zone_check;
use crate::sim::from_diagram::DiagramSimError;
use crate::sim::{Progress, SimError, run_with_progress};

/// Why a headless command failed. Each message names the file it is about
/// and carries its cause once (wrapped errors are transparent, so a
/// reporter that walks the chain of causes prints none twice).
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error(transparent)]
    Session(#[from] SessionFileError),
    #[error(transparent)]
    Folder(#[from] FolderError),
    #[error("{}: no diagram called \"{name}\"; it has {}", file.display(), available.join(", "))]
    NoDiagram {
        file: PathBuf,
        name: String,
        available: Vec<String>,
    },
    #[error("{}: the session is for case study \"{case}\", which this app does not have", file.display())]
    UnknownCase { file: PathBuf, case: String },
    #[error("give --qps: the session's case study has no scenario")]
    NoScenario,
    #[error("no case study has the id \"{0}\"; `mlsd-studio list` shows them")]
    NoSuchCase(String),
    #[error("{0}")]
    Reference(#[from] crate::review::ReferenceError),
    #[error("{}: diagram \"{diagram}\": {error}", file.display())]
    DiagramSim {
        file: PathBuf,
        diagram: String,
        error: DiagramSimError,
    },
    #[error("{}: diagram \"{diagram}\": {error}; run less with --requests or --replications", file.display())]
    OverBudget {
        file: PathBuf,
        diagram: String,
        error: SimError,
    },
    #[error(transparent)]
    Sim(#[from] SimError),
    #[error(transparent)]
    Event(#[from] crate::sim::timeline::SpecError),
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error(transparent)]
    Estimate(#[from] crate::estimate::EstimateError),
    #[error("{}: diagram \"{diagram}\": {error}", file.display())]
    RightSize {
        file: PathBuf,
        diagram: String,
        error: crate::sim::right_size::RightSizeError,
    },
    #[error("{flag} must be a number above 0, not {value}")]
    BadNumber { flag: &'static str, value: String },
    #[error("cannot write to standard output: {0}")]
    Stdout(io::Error),
    #[error("{}: {error}", file.display())]
    ImportRead { file: PathBuf, error: ReadError },
    #[error("{}: {error}", file.display())]
    Import { file: PathBuf, error: ImportError },
    #[error("{}: the session exists; --case starts a new session, so leave it out to import into this one", file.display())]
    SessionExists { file: PathBuf },
    #[error("{}: no such session; give --case ID to start a new one", file.display())]
    NeedCase { file: PathBuf },
    #[error("{}: diagram \"{diagram}\" would pass the size limits of a diagram", file.display())]
    ImportTooLarge { file: PathBuf, diagram: String },
}

/// The diagram called `name` of `session`, loaded from `file`.
fn diagram_of<'a>(
    session: &'a Session,
    file: &Path,
    name: &str,
) -> Result<&'a crate::diagram::Diagram, CliError> {
    session.diagram(name).ok_or_else(|| CliError::NoDiagram {
        file: file.to_path_buf(),
        name: name.to_owned(),
        available: session.diagrams.iter().map(|d| d.name.clone()).collect(),
    })
}

/// Writes what a command made from the session in `source` to `output`,
/// or to standard output when `output` is `-`.
fn write_output(output: &Path, bytes: &[u8], source: &Path) -> Result<(), CliError> {
    if output == Path::new("-") {
        let mut out = io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(CliError::Stdout);
    }
    Ok(write_export(output, bytes, Some(source))?)
}

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
        writeln!(
            out,
            "{:id_width$}  {:title_width$}  {:10}  {}",
            s.id,
            s.title,
            s.difficulty.label(),
            s.tags.join(", ")
        )
        .expect("writing to a String cannot fail");
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

/// Validates every case-study file in `dir`; a folder that cannot be read
/// is an error of its own, not a file that failed.
pub fn check(dir: &Path) -> Result<CheckReport, FolderError> {
    let library = load_dir(dir)?;
    let mut errors: Vec<String> = library.errors().map(ToString::to_string).collect();
    errors.extend(crate::content::generic_signals(&library.studies));
    errors.extend(check_designs(dir, &library));
    if library.studies.is_empty() && library.failures.is_empty() {
        errors.push(format!(
            "{}: no case-study files (*.ron) found",
            dir.display()
        ));
    }
    Ok(CheckReport {
        errors,
        valid: library.studies.len(),
        failed_files: library.failures.len(),
    })
}

/// Problems with the reference designs in `dir/designs/`: each case study
/// needs one, for itself, with both diagrams, and a serving path the
/// simulator can read. Nothing is checked when the folder does not exist.
fn check_designs(dir: &Path, library: &CaseLibrary) -> Vec<String> {
    use crate::sim::from_diagram::network_from_diagram;
    if !dir.join("designs").is_dir() {
        return Vec::new();
    }
    library
        .studies
        .iter()
        .filter_map(|study| {
            let file = dir.join("designs").join(format!("{}.mlsd", study.id));
            if !file.exists() {
                return Some(format!(
                    "{}: missing; every case study needs a reference design",
                    file.display()
                ));
            }
            let session = crate::review::reference_session(study, Some(dir));
            let problem = match session {
                Err(e) => e.to_string(),
                Ok(s) => {
                    let serving = s.diagram(crate::diagram::SERVING_DIAGRAM)?;
                    let e = network_from_diagram(serving).err()?;
                    format!(
                        "{}: the serving diagram cannot be simulated: {e}",
                        dir.join("designs")
                            .join(format!("{}.mlsd", study.id))
                            .display()
                    )
                }
            };
            Some(problem)
        })
        .collect()
}

/// Writes the reference design of case study `case_id` to `output` as a
/// session (from `content_dir/designs/` when given, else the built-in one).
pub fn write_reference(
    library: &CaseLibrary,
    content_dir: Option<&Path>,
    case_id: &str,
    output: &Path,
) -> Result<(), CliError> {
    let study = library
        .get(case_id)
        .ok_or_else(|| CliError::NoSuchCase(case_id.to_owned()))?;
    let session = crate::review::reference_session(study, content_dir)?;
    crate::session::save_session(output, &session)?;
    Ok(())
}

/// Writes the diagram called `name` of the session in `file` to `output`.
pub fn export_diagram(
    file: &Path,
    name: &str,
    format: ExportFormat,
    output: &Path,
) -> Result<(), CliError> {
    let session = load_session(file)?;
    let diagram = diagram_of(&session, file, name)?;
    let bytes = export(diagram, format)?;
    write_output(output, &bytes, file)
}

/// What `mlsd-studio import` did.
#[derive(Debug)]
pub struct ImportSummary {
    pub format: ImportFormat,
    /// The session's diagram the drawing went into.
    pub diagram: String,
    pub nodes: usize,
    pub edges: usize,
    pub groups: usize,
    /// A new session was made for `--case`.
    pub new_session: bool,
    /// Lines of the input left out.
    pub warnings: Vec<ImportWarning>,
}

/// Imports the Mermaid or DOT file `input` into the diagram `diagram`
/// (named after the input when `None`, made if missing) of the session
/// `output`: the existing session, or a new one for case study `case`.
/// The session is saved atomically; on any error nothing is written.
pub fn import_diagram(
    library: &CaseLibrary,
    input: &Path,
    output: &Path,
    diagram: Option<&str>,
    case: Option<&str>,
) -> Result<ImportSummary, CliError> {
    let file = || input.to_path_buf();
    let text = read_text(input, MAX_IMPORT_BYTES as u64).map_err(|error| CliError::ImportRead {
        file: file(),
        error,
    })?;
    let imported = match ImportFormat::from_path(input) {
        Some(format) => import(&text, format),
        None => import_detected(&text),
    }
    .map_err(|error| CliError::Import {
        file: file(),
        error,
    })?;
    let exists = output.exists();
    let mut session = match (exists, case) {
        (true, Some(_)) => {
            return Err(CliError::SessionExists {
                file: output.to_path_buf(),
            });
        }
        (true, None) => load_session(output)?,
        (false, None) => {
            return Err(CliError::NeedCase {
                file: output.to_path_buf(),
            });
        }
        (false, Some(id)) => Session::new(
            library
                .get(id)
                .ok_or_else(|| CliError::NoSuchCase(id.to_owned()))?,
        ),
    };
    let name = diagram.map(str::to_owned).unwrap_or_else(|| {
        input
            .file_stem()
            .map(|s| s.to_string_lossy().trim().to_owned())
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "Imported".to_owned())
    });
    if session.diagram(&name).is_none() {
        session.diagrams.push(SessionDiagram {
            name: name.clone(),
            diagram: Diagram::default(),
        });
    }
    let summary = ImportSummary {
        format: imported.format,
        diagram: name.clone(),
        nodes: imported.diagram.nodes.len(),
        edges: imported.diagram.edges.len(),
        groups: imported.diagram.groups.len(),
        new_session: !exists,
        warnings: imported.warnings,
    };
    let target = session
        .diagram_mut(&name)
        .ok_or_else(|| CliError::ImportTooLarge {
            file: output.to_path_buf(),
            diagram: name.clone(),
        })?;
    let edit = merge_edit(target, imported.diagram);
    if !target.apply(edit).changed {
        return Err(CliError::ImportTooLarge {
            file: output.to_path_buf(),
            diagram: name,
        });
    }
    crate::session::save_session(output, &session)?;
    Ok(summary)
}

/// The line `mlsd-studio import` prints when done.
pub fn import_text(summary: &ImportSummary, output: &Path) -> String {
    let session = if summary.new_session {
        "the new session"
    } else {
        "the session"
    };
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "Imported {}, {} and {} from a {} into \"{}\" of {session} {}",
        count(summary.nodes, "node", "nodes"),
        count(summary.edges, "edge", "edges"),
        count(summary.groups, "group", "groups"),
        summary.format.label(),
        summary.diagram,
        output.display()
    )
}

/// What `mlsd-studio simulate` runs.
#[derive(Debug, Clone)]
pub struct SimulateArgs {
    pub diagram: String,
    /// Requests per second; the case study's peak when `None`.
    pub qps: Option<f64>,
    pub requests: u64,
    pub replications: u32,
    pub seed: u64,
}

/// Simulates the serving diagram of the session in `file` at the case
/// study's scenario (or the given load) and returns the report. A long run
/// reports its progress through `on_progress_line` (see [`ProgressLines`]).
/// A run above the simulation budget is refused before it starts.
pub fn simulate(
    file: &Path,
    library: &CaseLibrary,
    args: &SimulateArgs,
    on_progress_line: &(dyn Fn(&str) + Sync),
) -> Result<crate::sim::SimReport, CliError> {
    use crate::sim::{RunConfig, Traffic, Work, from_diagram::network_from_diagram};
    let session = load_session(file)?;
    let diagram = diagram_of(&session, file, &args.diagram)?;
    let scenario = library.get(&session.case_study).map(|s| s.scenario);
    let qps = args
        .qps
        .or(scenario.map(|s| s.peak_qps))
        .ok_or(CliError::NoScenario)?;
    let net = network_from_diagram(diagram).map_err(|error| CliError::DiagramSim {
        file: file.to_path_buf(),
        diagram: args.diagram.clone(),
        error,
    })?;
    let mut config = RunConfig::new(Traffic::rps(qps))
        .with_requests(args.requests)
        .with_replications(args.replications)
        .with_seed(args.seed);
    if let Some(s) = scenario {
        config = config.with_sla_p99_ms(s.p99_sla_ms);
    }
    config.validate()?;
    let work = Work::of(&net.network, &config);
    if !work.fits() {
        return Err(CliError::OverBudget {
            file: file.to_path_buf(),
            diagram: args.diagram.clone(),
            error: work.refusal(),
        });
    }
    let lines = std::sync::Mutex::new(ProgressLines::new(Instant::now()));
    let cancel = AtomicBool::new(false);
    let mut report = run_with_progress(&net.network, &config, &cancel, &|p| {
        // A poisoned lock means another progress call panicked; skip the line.
        let line = lines
            .lock()
            .ok()
            .and_then(|mut l| l.line(p, Instant::now()));
        if let Some(line) = line {
            on_progress_line(&line);
        }
    })?;
    report.availability = Some(availability_with_zone_check(
        &net.network,
        qps,
        config.sla_p99_ms,
        &cancel,
    )?);
    Ok(report)
}

/// Progress of a long run as lines for standard error: none for the first
/// [`ProgressLines::QUIET_SECS`] seconds, so short runs print nothing, then
/// at most one a second.
#[derive(Debug)]
pub struct ProgressLines {
    started: Instant,
    last: Option<Instant>,
    ended: bool,
}

impl ProgressLines {
    /// Seconds a run may take before it reports progress.
    pub const QUIET_SECS: f64 = 2.0;

    /// Lines for a run that started at `started`.
    pub fn new(started: Instant) -> ProgressLines {
        ProgressLines {
            started,
            last: None,
            ended: false,
        }
    }

    /// The line to print for `progress` seen at `now`, if one is due.
    pub fn line(&mut self, progress: Progress, now: Instant) -> Option<String> {
        let elapsed = now.saturating_duration_since(self.started).as_secs_f64();
        let finished = progress.requests_done >= progress.requests_total;
        let recent = self
            .last
            .is_some_and(|l| now.saturating_duration_since(l).as_secs_f64() < 1.0);
        // The end is shown once, and only after progress was.
        let end_due = finished && self.last.is_some() && !self.ended;
        if elapsed < Self::QUIET_SECS
            || self.ended
            || (recent && !end_due)
            || (finished && !end_due)
        {
            return None;
        }
        self.last = Some(now);
        self.ended = finished;
        Some(format!(
            "simulating: {:.0}% ({} of {} requests, {:.0} s)",
            progress.fraction() * 100.0,
            progress.requests_done,
            progress.requests_total,
            elapsed
        ))
    }
}

/// The session in `file` and its case study from `library`.
fn session_and_study<'a>(
    file: &Path,
    library: &'a CaseLibrary,
) -> Result<(Session, &'a CaseStudy), CliError> {
    let session = load_session(file)?;
    let study = library
        .get(&session.case_study)
        .ok_or_else(|| CliError::UnknownCase {
            file: file.to_path_buf(),
            case: session.case_study.clone(),
        })?;
    Ok((session, study))
}

/// Requests per replication and replications of the short simulation a
/// review runs for the p99 rule: enough for a stable p99 in well under a
/// second on a laptop.
const REVIEW_SIM_REQUESTS: u64 = 20_000;
const REVIEW_SIM_REPLICATIONS: u32 = 4;

/// Reviews the session in `file`: the design review of its diagrams (with a
/// short simulation of its serving path at the case's peak) and the
/// coverage of its answers.
pub fn review(file: &Path, library: &CaseLibrary) -> Result<SessionReview, CliError> {
    use crate::sim::{RunConfig, Traffic, from_diagram::network_from_diagram, run_within_budget};
    let (session, study) = session_and_study(file, library)?;
    // A serving path that cannot be simulated is reviewed without the p99
    // rule; the review says what stops the simulation.
    let sim = session
        .diagram(crate::diagram::SERVING_DIAGRAM)
        .and_then(|d| network_from_diagram(d).ok())
        .and_then(|net| {
            let config = RunConfig::new(Traffic::rps(study.scenario.peak_qps))
                .with_requests(REVIEW_SIM_REQUESTS)
                .with_replications(REVIEW_SIM_REPLICATIONS)
                .with_sla_p99_ms(study.scenario.p99_sla_ms);
            run_within_budget(&net.network, &config, &AtomicBool::new(false), &|_| {}).ok()
        });
    Ok(review_session(&session, study, sim.as_ref()))
}

/// The review as JSON: `findings` and `coverage` (see docs/design-review.md).
pub fn review_json(r: &SessionReview) -> Value {
    let findings: Vec<Value> = r
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity.label(),
                "diagram": f.diagram,
                "nodes": f.nodes,
                "step": f.step,
                "message": f.message,
            })
        })
        .collect();
    let coverage: Vec<Value> = r
        .coverage
        .iter()
        .map(|c| {
            json!({
                "step": c.step,
                "covered": c.covered().map(|p| p.point.clone()).collect::<Vec<_>>(),
                "missing": c.missing().map(|p| p.point.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "findings": findings, "coverage": coverage })
}

/// The review as text for the terminal.
pub fn review_text(r: &SessionReview) -> String {
    let mut out = String::new();
    if r.findings.is_empty() {
        out.push_str("No findings on the diagrams.\n");
    }
    for f in &r.findings {
        let nodes = if f.nodes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", f.nodes.join(", "))
        };
        writeln!(
            out,
            "{:<7} {} (step {}, {}){nodes}\n        {}",
            f.severity.label(),
            f.rule,
            f.step,
            f.diagram,
            f.message
        )
        .expect("writing to a String cannot fail");
    }
    out.push('\n');
    for c in &r.coverage {
        writeln!(
            out,
            "step {}: the answer appears to cover {} of {} checklist points",
            c.step,
            c.covered().count(),
            c.points.len()
        )
        .expect("writing to a String cannot fail");
        for p in c.missing() {
            writeln!(out, "  not yet: {}", p.point).expect("writing to a String cannot fail");
        }
    }
    out
}

/// The report as aligned text for the terminal.
pub fn simulation_text(r: &crate::sim::SimReport) -> String {
    let mut out = String::new();
    let ci = |e: &crate::sim::Estimate| match e.ci95_half_width {
        Some(h) => format!("{} ± {}", number(e.mean, 2), number(h, 2)),
        None => number(e.mean, 2),
    };
    writeln!(out, "offered load      {} req/s", number(r.offered_rps, 1))
        .expect("writing to a String cannot fail");
    writeln!(out, "throughput        {} req/s", ci(&r.throughput_rps))
        .expect("writing to a String cannot fail");
    if let Some(l) = &r.latency_ms {
        writeln!(
            out,
            "latency (ms)      mean {}  p50 {}  p90 {}",
            ci(&l.mean),
            ci(&l.p50),
            ci(&l.p90)
        )
        .expect("writing to a String cannot fail");
        writeln!(
            out,
            "                  p95 {}  p99 {}  p99.9 {}",
            ci(&l.p95),
            ci(&l.p99),
            ci(&l.p999)
        )
        .expect("writing to a String cannot fail");
    } else {
        writeln!(out, "latency (ms)      unknown (see the warnings)")
            .expect("writing to a String cannot fail");
    }
    writeln!(
        out,
        "drops / timeouts  {:.4} / {:.4}",
        r.drop_rate.mean, r.timeout_rate.mean
    )
    .expect("writing to a String cannot fail");
    if let Some(s) = r.saturation_rps {
        writeln!(out, "saturation        {} req/s", number(s, 1))
            .expect("writing to a String cannot fail");
    }
    if let Some(b) = &r.bottleneck {
        writeln!(out, "bottleneck        {b}").expect("writing to a String cannot fail");
    }
    write!(
        out,
        "cost              ${}/hour",
        number(r.cost_usd_per_hour, 2)
    )
    .expect("writing to a String cannot fail");
    if let Some(m) = r.cost_usd_per_million_requests {
        write!(out, ", ${} per million requests", number(m, 2))
            .expect("writing to a String cannot fail");
    }
    out.push('\n');
    if let Some(sla) = &r.sla {
        let verdict = if sla.holds { "holds" } else { "MISSED" };
        writeln!(
            out,
            "SLA p99 <= {} ms  {verdict}",
            number(sla.p99_limit_ms, 1)
        )
        .expect("writing to a String cannot fail");
    }
    if r.unstable {
        out.push_str(
            "UNSTABLE: a station is at or above utilisation 1; queues grow without bound\n",
        );
    }
    let width = r
        .stations
        .iter()
        .map(|s| s.name.len())
        .max()
        .unwrap_or(7)
        .max(7);
    writeln!(
        out,
        "\n{:width$}  {:>7}  {:>11}  {:>9}  {:>10}",
        "STATION", "UTIL", "WAIT (ms)", "SERVERS", "$/HOUR"
    )
    .expect("writing to a String cannot fail");
    for s in &r.stations {
        let wait = s
            .mean_queue_wait_ms
            .as_ref()
            .map_or_else(|| "-".to_owned(), |w| number(w.mean, 3));
        writeln!(
            out,
            "{:width$}  {:>6}%  {:>11}  {:>9}  {:>10}",
            s.name,
            number(s.utilisation.mean * 100.0, 1),
            wait,
            s.servers,
            number(s.cost_usd_per_hour, 2)
        )
        .expect("writing to a String cannot fail");
    }
    if let Some(a) = &r.availability {
        writeln!(
            out,
            "availability      {}% ({} nines), {} min down a month",
            number(a.percent, 4),
            number(a.nines, 1),
            number(a.downtime_minutes_per_month, 1)
        )
        .expect("writing to a String cannot fail");
        for spof in &a.single_points_of_failure {
            writeln!(out, "single point of failure: {spof}")
                .expect("writing to a String cannot fail");
        }
        if let Some(ok) = a.zone_loss_meets_sla {
            let verdict = if ok {
                "still meets the SLA"
            } else {
                "breaks the SLA"
            };
            writeln!(out, "losing one zone   {verdict}").expect("writing to a String cannot fail");
        }
    }
    for w in &r.warnings {
        writeln!(out, "warning: {w}").expect("writing to a String cannot fail");
    }
    out
}

/// Writes the report of the session in `file` to `output`, in `format`.
/// The session's case study is looked up in `library`.
pub fn write_report(
    library: &CaseLibrary,
    file: &Path,
    format: ReportFormat,
    output: &Path,
) -> Result<(), CliError> {
    let (session, study) = session_and_study(file, library)?;
    let text = report(&session, study, None, format);
    write_output(output, text.as_bytes(), file)
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    fn at(done: u64) -> Progress {
        Progress {
            requests_done: done,
            requests_total: 1_000,
        }
    }

    #[test]
    fn progress_lines_stay_quiet_for_short_runs_then_come_once_a_second() {
        let t0 = Instant::now();
        let s = Duration::from_secs_f64;
        let mut lines = ProgressLines::new(t0);
        assert_eq!(lines.line(at(100), t0 + s(0.5)), None);
        assert_eq!(
            lines.line(at(1_000), t0 + s(1.9)),
            None,
            "a short run prints nothing"
        );
        let mut lines = ProgressLines::new(t0);
        let first = lines
            .line(at(400), t0 + s(2.4))
            .expect("due after two seconds");
        assert_eq!(first, "simulating: 40% (400 of 1000 requests, 2 s)");
        assert_eq!(lines.line(at(450), t0 + s(3.0)), None, "within a second");
        assert!(lines.line(at(700), t0 + s(3.6)).is_some());
        let last = lines
            .line(at(1_000), t0 + s(3.7))
            .expect("the end is always shown");
        assert!(last.starts_with("simulating: 100%"), "{last}");
        assert_eq!(
            lines.line(at(1_000), t0 + s(5.0)),
            None,
            "the end only once"
        );
    }
}
