//! `mlsd-studio simulate --duration …`: a scenario over time on the
//! session's serving diagram, as text or JSON.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use serde_json::Value;

use super::{CliError, diagram_of};
use crate::content::CaseLibrary;
use crate::diagram::Scenario;
use crate::format::number;
use crate::session::load_session;
use crate::sim::availability::{Availability, availability_with_zone_check};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::timeline::{TimelineConfig, TimelineReport, parse_event, run_timeline};

/// What a run over time is asked to play.
#[derive(Debug, Clone)]
pub struct TimelineArgs {
    pub diagram: String,
    /// Start rate; the scenario's own, else the case study's peak.
    pub qps: Option<f64>,
    pub seed: u64,
    /// Simulated seconds; the saved scenario's when `None`.
    pub duration_s: Option<f64>,
    /// Window length, seconds; the saved scenario's (or 1 s) when `None`.
    pub window_s: Option<f64>,
    /// Events as text (`60:qps=3000`), added to the saved scenario's.
    pub events: Vec<String>,
}

/// A run over time with the path's availability.
#[derive(Debug, Clone)]
pub struct TimelineOutput {
    pub report: TimelineReport,
    pub availability: Availability,
}

/// Plays the diagram's saved scenario (if any) with the given changes.
pub fn simulate_timeline(
    file: &Path,
    library: &CaseLibrary,
    args: &TimelineArgs,
) -> Result<TimelineOutput, CliError> {
    let session = load_session(file)?;
    let diagram = diagram_of(&session, file, &args.diagram)?;
    let mut scenario = diagram.scenario.clone().unwrap_or_default();
    if let Some(d) = args.duration_s {
        scenario.duration_s = d;
    }
    if let Some(w) = args.window_s {
        scenario.window_s = w;
    }
    for spec in &args.events {
        scenario.events.push(parse_event(spec)?);
    }
    let study = library.get(&session.case_study);
    let start_rps = args
        .qps
        .or(scenario.start_rps)
        .or(study.map(|s| s.scenario.peak_qps))
        .ok_or(CliError::NoScenario)?;
    let sla = study.map(|s| s.scenario.p99_sla_ms);
    let net = network_from_diagram(diagram).map_err(|error| CliError::DiagramSim {
        file: file.to_path_buf(),
        diagram: args.diagram.clone(),
        error,
    })?;
    let mut cfg = TimelineConfig::new(start_rps);
    cfg.seed = args.seed;
    cfg.sla_p99_ms = sla;
    let scenario = Scenario {
        start_rps: args.qps.or(scenario.start_rps),
        ..scenario
    };
    let cancel = AtomicBool::new(false);
    let report = run_timeline(&net.network, &scenario, &cfg, &cancel)?;
    let availability = availability_with_zone_check(&net.network, start_rps, sla, &cancel)?;
    Ok(TimelineOutput {
        report,
        availability,
    })
}

/// The run as JSON: the report's keys plus `availability`.
pub fn timeline_json(out: &TimelineOutput) -> Value {
    let mut v = serde_json::to_value(&out.report).unwrap_or(Value::Null);
    if let Value::Object(map) = &mut v {
        map.insert(
            "availability".into(),
            serde_json::to_value(&out.availability).unwrap_or(Value::Null),
        );
    }
    v
}

/// Windows shown in the text table at most; longer runs show every n-th.
const TEXT_ROWS: usize = 40;

/// The run as text: the summary, each event's recovery, the availability,
/// and a table of (at most 40) windows.
pub fn timeline_text(out: &TimelineOutput) -> String {
    let r = &out.report;
    let s = &r.summary;
    let ms = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| number(v, 1));
    let mut t = String::new();
    let mut line = |text: String| {
        t.push_str(&text);
        t.push('\n');
    };
    line(format!(
        "{} s in {} s windows, seed {}",
        number(r.duration_s, 0),
        number(r.window_s, 2),
        r.seed
    ));
    line(format!("worst p99         {} ms", ms(s.worst_p99_ms)));
    if let Some(sla) = r.sla_p99_ms {
        line(format!(
            "over the SLA      {} s (p99 limit {} ms)",
            number(s.seconds_over_sla, 1),
            number(sla, 0)
        ));
    }
    line(format!(
        "lost requests     {} of {}",
        s.lost_requests, s.offered_requests
    ));
    line(format!("cost of the run   ${}", number(s.cost_usd, 2)));
    for rec in &s.recoveries {
        let back = match (rec.p99_before_ms, rec.recovered_after_s) {
            (None, _) => "no p99 before it to compare with".to_owned(),
            (Some(_), Some(0.0)) => "p99 stayed within 10%".to_owned(),
            (Some(_), Some(secs)) => format!("p99 back within 10% after {} s", number(secs, 0)),
            (Some(_), None) => "p99 not back within 10% by the end".to_owned(),
        };
        line(format!(
            "at {} s, {}: {back}",
            number(rec.at_s, 0),
            rec.event
        ));
    }
    let a = &out.availability;
    line(format!(
        "availability      {}% ({} nines), {} min down a month",
        number(a.percent, 4),
        number(a.nines, 1),
        number(a.downtime_minutes_per_month, 1)
    ));
    for spof in &a.single_points_of_failure {
        line(format!("single point of failure: {spof}"));
    }
    if let Some(ok) = a.zone_loss_meets_sla {
        line(format!(
            "losing one zone   {}",
            if ok {
                "still meets the SLA"
            } else {
                "breaks the SLA"
            }
        ));
    }
    line(String::new());
    line(format!(
        "{:>8} {:>10} {:>10} {:>9} {:>9} {:>7}  replicas",
        "t (s)", "offered/s", "served/s", "p50 ms", "p99 ms", "lost"
    ));
    let step = r.timeline.len().div_ceil(TEXT_ROWS).max(1);
    for w in r.timeline.iter().step_by(step) {
        let replicas: Vec<String> = w.stations.iter().map(|s| s.replicas.to_string()).collect();
        line(format!(
            "{:>8} {:>10} {:>10} {:>9} {:>9} {:>7}  {}",
            number(w.t_s, 0),
            number(w.offered_rps, 0),
            number(w.throughput_rps, 0),
            ms(w.p50_ms),
            ms(w.p99_ms),
            w.drops + w.timeouts,
            replicas.join("/")
        ));
    }
    t
}
