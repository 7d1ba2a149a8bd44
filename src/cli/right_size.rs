//! `mlsd-studio simulate FILE --right-size`: the cheapest replica counts
//! for the session's serving diagram, as a diff (text or JSON), and
//! optionally the right-sized session written out.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::{Value, json};

use super::{CliError, diagram_of};
use crate::content::CaseLibrary;
use crate::format::{ms, usd};
use crate::session::{load_session, save_session};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::right_size::{RightSizeConfig, RightSizeResult, right_size, right_size_edits};

/// What a right-size run is asked for.
#[derive(Debug, Clone)]
pub struct RightSizeArgs {
    pub diagram: String,
    /// Load; the case study's peak when `None`.
    pub qps: Option<f64>,
    /// p99 limit; the case study's SLA when `None`.
    pub sla_p99_ms: Option<f64>,
    pub zone_loss: bool,
    pub seed: u64,
    /// Where to write the right-sized session.
    pub output: Option<PathBuf>,
    /// How long the search may take.
    pub time_budget: Duration,
    /// Model nodes may move to other hardware from the catalog.
    pub choose_hardware: bool,
}

/// The result with the load and limit it was sized for.
#[derive(Debug, Clone)]
pub struct RightSizeOutput {
    pub result: RightSizeResult,
    pub qps: f64,
    pub sla_p99_ms: f64,
    pub zone_loss: bool,
}

/// Right-sizes the diagram of the session in `file`; with an output path,
/// writes the session with the new replica counts there.
pub fn simulate_right_size(
    file: &Path,
    library: &CaseLibrary,
    args: &RightSizeArgs,
) -> Result<RightSizeOutput, CliError> {
    let mut session = load_session(file)?;
    let diagram = diagram_of(&session, file, &args.diagram)?;
    let scenario = library.get(&session.case_study).map(|s| s.scenario);
    let qps = args
        .qps
        .or(scenario.map(|s| s.peak_qps))
        .ok_or(CliError::NoScenario)?;
    let sla_p99_ms = args
        .sla_p99_ms
        .or(scenario.map(|s| s.p99_sla_ms))
        .ok_or(CliError::NoScenario)?;
    for (flag, value) in [("--qps", qps), ("--sla-p99", sla_p99_ms)] {
        if !(value.is_finite() && value > 0.0) {
            return Err(CliError::BadNumber {
                flag,
                value: value.to_string(),
            });
        }
    }
    let net = network_from_diagram(diagram).map_err(|error| CliError::DiagramSim {
        file: file.to_path_buf(),
        diagram: args.diagram.clone(),
        error,
    })?;
    let mut cfg = RightSizeConfig::new(qps, sla_p99_ms);
    cfg.zone_loss = args.zone_loss;
    cfg.choose_hardware = args.choose_hardware;
    cfg.seed = args.seed;
    cfg.time_budget = args.time_budget;
    let result = right_size(&net.network, &cfg).map_err(|error| CliError::RightSize {
        file: file.to_path_buf(),
        diagram: args.diagram.clone(),
        error,
    })?;
    if let Some(out) = &args.output {
        let edits = right_size_edits(diagram, &net.nodes, &result);
        if let Some(d) = session.diagram_mut(&args.diagram) {
            for edit in edits {
                d.apply(edit);
            }
        }
        save_session(out, &session)?;
    }
    Ok(RightSizeOutput {
        result,
        qps,
        sla_p99_ms,
        zone_loss: args.zone_loss,
    })
}

fn p99(value: Option<f64>) -> String {
    value.map_or_else(|| "unstable".to_owned(), ms)
}

/// The diff as a table: node, replicas, cost and p99 before and after.
pub fn right_size_text(out: &RightSizeOutput) -> String {
    let r = &out.result;
    let width = r
        .stations
        .iter()
        .map(|s| s.name.chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    let mut text = format!(
        "Right-sized for {} req/s, p99 ≤ {}{}:\n",
        crate::format::thousands(out.qps),
        ms(out.sla_p99_ms),
        if out.zone_loss {
            ", also with one zone lost"
        } else {
            ""
        }
    );
    text.push_str(&format!(
        "{:width$}  {:>17}  {:>21}\n",
        "node", "replicas", "cost per month"
    ));
    for s in &r.stations {
        let mark = if s.replicas_before == s.replicas_after && s.hardware_moved().is_none() {
            " "
        } else {
            "*"
        };
        text.push_str(&format!(
            "{:width$}  {:>7} → {:<7}{mark} {:>9} → {:<9}\n",
            s.name,
            s.replicas_before,
            s.replicas_after,
            usd(s.cost_before_usd_per_month),
            usd(s.cost_after_usd_per_month),
        ));
    }
    for s in &r.stations {
        if let Some((was, now)) = s.hardware_moved() {
            text.push_str(&format!("{}: hardware {was} → {now}\n", s.name));
        }
    }
    text.push_str(&format!(
        "total cost {} → {} per month; p99 (upper 95% bound) {} → {}\n",
        usd(r.cost_before_usd_per_month),
        usd(r.cost_after_usd_per_month),
        p99(r.p99_before_ms),
        p99(r.p99_after_ms),
    ));
    text.push_str(if r.proven_optimal {
        "Proven the cheapest: no design with fewer dollars meets every constraint.\n"
    } else {
        "The best found within the time budget; a cheaper design may exist.\n"
    });
    text
}

/// The diff as JSON: `stations` (name, replicas and cost before and after),
/// totals, p99 before and after, and `proven_optimal`.
pub fn right_size_json(out: &RightSizeOutput) -> Value {
    let r = &out.result;
    json!({
        "qps": out.qps,
        "sla_p99_ms": out.sla_p99_ms,
        "zone_loss": out.zone_loss,
        "stations": r.stations.iter().map(|s| json!({
            "name": s.name,
            "replicas_before": s.replicas_before,
            "replicas_after": s.replicas_after,
            "hardware_before": s.hardware_before,
            "hardware_after": s.hardware_after,
            "cost_before_usd_per_month": s.cost_before_usd_per_month,
            "cost_after_usd_per_month": s.cost_after_usd_per_month,
        })).collect::<Vec<_>>(),
        "cost_before_usd_per_month": r.cost_before_usd_per_month,
        "cost_after_usd_per_month": r.cost_after_usd_per_month,
        "p99_before_ms": r.p99_before_ms,
        "p99_after_ms": r.p99_after_ms,
        "proven_optimal": r.proven_optimal,
        "des_runs": r.des_runs,
    })
}
