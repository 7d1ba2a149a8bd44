//! Runs over time: a scenario of traffic changes, failures, cold caches and
//! rollouts played on the network by the event-list engine, with each
//! node's autoscaler acting as it goes, reported window by window.
//!
//! One seeded replication: the same seed and scenario give the same
//! timeline. The model is in `docs/simulator.md` ("Runs over time").

mod hooks;
mod report;
mod spec;
mod split;
mod traffic;

use std::sync::atomic::{AtomicBool, AtomicU64};

pub use hooks::COLD_CACHE_WARM_VISITS;
pub use report::{
    RECOVERED_WITHIN, Recovery, TimelineReport, TimelineSummary, Window, WindowStation, summarize,
};
pub use spec::{SpecError, parse_event};
pub use traffic::{RATE_PIECE_MS, daily_factor, rate_at};

use crate::diagram::{EventKind, Scenario, TimedEvent};
use crate::sim::des::run_replication_with;
use crate::sim::engine::{Control, ReplicationParams};
use crate::sim::error::SimError;
use crate::sim::network::Network;
use crate::sim::run::{EngineChoice, MAX_REQUESTS, WORK_BUDGET_VISITS};
use crate::sim::sweep::{Plan, run_timeline_sweep};
use hooks::{NodeChange, StationState, TimelineHooks};

/// Longest run over time, seconds (one day).
pub const MAX_DURATION_S: f64 = 86_400.0;
/// Most windows one run may report.
pub const MAX_WINDOWS: f64 = 100_000.0;
/// Separates the arrivals' streams from the services'.
const ARRIVALS_SEED: u64 = 0x5EED_A221_7A15_0001;

/// How to run a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct TimelineConfig {
    /// Requests per second at the start (the scenario's own start rate, if
    /// it has one, wins).
    pub start_rps: f64,
    pub sla_p99_ms: Option<f64>,
    pub seed: u64,
    /// Longest any queue may grow; see `RunConfig`.
    pub max_queue_len: u32,
    /// Most requests in flight at once.
    pub max_in_flight: u64,
    /// The sweep engine where the network allows it (the default), or
    /// always the event list.
    pub engine: EngineChoice,
    /// Whether a long run may use a second core (see `split`): by default,
    /// when the machine has one. The windows are the same either way.
    pub parallel: bool,
}

impl TimelineConfig {
    /// The defaults of a steady-state run, at this start rate.
    pub fn new(start_rps: f64) -> TimelineConfig {
        TimelineConfig {
            start_rps,
            sla_p99_ms: None,
            seed: 1,
            max_queue_len: 100_000,
            max_in_flight: 1_000_000,
            engine: EngineChoice::Auto,
            parallel: std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2),
        }
    }
}

fn bad(index: usize, e: &TimedEvent, reason: String) -> SimError {
    SimError::Scenario {
        event: format!(
            "event {} (at {} s: {})",
            index + 1,
            e.at_s,
            e.kind.describe()
        ),
        reason,
    }
}

fn setting(name: &'static str, reason: String) -> SimError {
    SimError::Scenario {
        event: name.to_owned(),
        reason,
    }
}

/// Checks a scenario against the network it will run on: every event within
/// the run, every node known, every number in range.
pub fn validate(net: &Network, scenario: &Scenario, start_rps: f64) -> Result<(), SimError> {
    let d = scenario.duration_s;
    if !(d.is_finite() && d > 0.0 && d <= MAX_DURATION_S) {
        return Err(setting(
            "duration",
            format!("{d} s is outside 0 to {MAX_DURATION_S} s"),
        ));
    }
    let w = scenario.window_s;
    if !(w.is_finite() && w > 0.0 && w <= d) {
        return Err(setting(
            "window",
            format!("{w} s must be positive and no longer than the run ({d} s)"),
        ));
    }
    if d / w > MAX_WINDOWS {
        return Err(setting(
            "window",
            format!("{w} s makes more than {MAX_WINDOWS} windows in {d} s"),
        ));
    }
    let rps = scenario.start_rps.unwrap_or(start_rps);
    if !(rps.is_finite() && rps >= 0.0) {
        return Err(setting("start rate", format!("{rps} req/s is not a rate")));
    }
    for (i, e) in scenario.events.iter().enumerate() {
        if !(e.at_s.is_finite() && e.at_s >= 0.0) {
            return Err(bad(i, e, "its time must be 0 s or later".into()));
        }
        if e.at_s > d {
            return Err(bad(i, e, format!("it is after the end of the run ({d} s)")));
        }
        let positive = |v: f64, what: &str, max: f64| {
            if v.is_finite() && v > 0.0 && v <= max {
                Ok(())
            } else {
                Err(bad(
                    i,
                    e,
                    format!("{what} = {v} must be above 0 and at most {max}"),
                ))
            }
        };
        match &e.kind {
            EventKind::Rate { rps } | EventKind::Ramp { rps, .. }
                if !(rps.is_finite() && *rps >= 0.0) =>
            {
                return Err(bad(i, e, format!("{rps} req/s is not a rate")));
            }
            EventKind::Ramp { over_s, .. } => positive(*over_s, "ramp length (s)", MAX_DURATION_S)?,
            EventKind::Spike { factor, for_s } => {
                positive(*factor, "spike factor", 1_000.0)?;
                positive(*for_s, "spike length (s)", MAX_DURATION_S)?;
            }
            EventKind::Daily { peak_to_mean } if !(1.0..=20.0).contains(peak_to_mean) => {
                return Err(bad(
                    i,
                    e,
                    format!("peak to mean = {peak_to_mean} must be between 1 and 20"),
                ));
            }
            EventKind::Fail { fraction, .. } if !(0.0..=1.0).contains(fraction) => {
                return Err(bad(
                    i,
                    e,
                    format!("fraction = {fraction} must be between 0 and 1"),
                ));
            }
            EventKind::Rollout { service_factor, .. } => {
                positive(*service_factor, "service time factor", 1_000.0)?;
            }
            _ => {}
        }
        if let Some(node) = e.kind.node() {
            let Some(s) = net.stations().iter().position(|s| s.name == node) else {
                let known: Vec<&str> = net.stations().iter().map(|s| s.name.as_str()).collect();
                return Err(bad(
                    i,
                    e,
                    format!(
                        "no simulated node is called \"{node}\"; they are {}",
                        known.join(", ")
                    ),
                ));
            };
            if matches!(e.kind, EventKind::ColdCache { .. })
                && net.service_models()[s].hit_ratio <= 0.0
            {
                return Err(bad(i, e, format!("\"{node}\" is not a cache")));
            }
        }
    }
    Ok(())
}

/// Plays `scenario` on `net`. Refused above the simulation budget (expected
/// requests × visits per request, as for steady-state runs).
pub fn run_timeline(
    net: &Network,
    scenario: &Scenario,
    cfg: &TimelineConfig,
    cancel: &AtomicBool,
) -> Result<TimelineReport, SimError> {
    play(net, scenario, cfg, cancel).map(|(report, _)| report)
}

/// `run_timeline`, and the moment (ms) from which a second core's run gave
/// the windows, if one did.
fn play(
    net: &Network,
    scenario: &Scenario,
    cfg: &TimelineConfig,
    cancel: &AtomicBool,
) -> Result<(TimelineReport, Option<f64>), SimError> {
    validate(net, scenario, cfg.start_rps)?;
    let start_rps = scenario.start_rps.unwrap_or(cfg.start_rps);
    let mut events = scenario.events.clone();
    events.sort_by(|a, b| a.at_s.total_cmp(&b.at_s));
    let pieces = traffic::rate_pieces(start_rps, scenario.duration_s, &events);
    let requests = traffic::expected_requests(&pieces);
    let visits: f64 = net.visits_per_request().iter().sum();
    if requests * visits > WORK_BUDGET_VISITS || requests > MAX_REQUESTS as f64 {
        return Err(SimError::OverBudget {
            requests: requests.round() as u64,
            replications: 1,
            visits_per_request: visits,
            visits: requests * visits,
            fitting_requests: None,
        });
    }
    let stations = net
        .stations()
        .iter()
        .zip(net.service_models())
        .map(|(st, model)| {
            StationState::new(
                st.name.clone(),
                st.servers_per_replica,
                st.replicas,
                st.autoscale,
                st.cost_usd_per_replica_hour,
                model.sampler,
                model.hit_ratio,
            )
        })
        .collect();
    let changes = events
        .iter()
        .filter_map(|e| {
            let node = e.kind.node()?;
            let station = net.stations().iter().position(|s| s.name == node)?;
            Some(NodeChange {
                at_ms: e.at_s * 1000.0,
                station,
                kind: e.kind.clone(),
            })
        })
        .collect();
    let end_ms = scenario.duration_s * 1000.0;
    let mut hooks = TimelineHooks::new(stations, changes, scenario.window_s * 1000.0, end_ms);
    let params = ReplicationParams {
        requests: MAX_REQUESTS,
        warmup: 0,
        max_queue_len: cfg.max_queue_len,
        max_in_flight: cfg.max_in_flight,
        requests_per_second: start_rps.max(f64::MIN_POSITIVE),
        seed: cfg.seed,
    };
    let done = AtomicU64::new(0);
    let ctl = Control {
        cancel,
        done: &done,
        progress: &|_| {},
    };
    let plan = match cfg.engine {
        EngineChoice::Auto => Plan::new(net),
        EngineChoice::EventList => None,
    };
    // Only the sweep can be cut in two (its draws are keyed).
    let window_ms = scenario.window_s * 1000.0;
    let cut = plan
        .as_ref()
        .filter(|_| cfg.parallel && !hooks.autoscales())
        .and_then(|_| split::cut(end_ms, window_ms, &pieces));
    let gaps = traffic::TimelineGaps::new(pieces, end_ms, cfg.seed ^ ARRIVALS_SEED);
    let mut taken_over_ms = None;
    match plan {
        Some(plan) => match cut {
            Some(at) => {
                taken_over_ms = split::run_cut(
                    net,
                    &plan,
                    &params,
                    &ctl,
                    gaps,
                    &mut hooks,
                    at,
                    (window_ms, end_ms),
                )?
            }
            None => run_timeline_sweep(net, &plan, &params, &ctl, gaps, &mut hooks)?,
        },
        None => {
            run_replication_with(net, &params, &ctl, gaps, &mut hooks)?;
        }
    }
    let described: Vec<(String, f64)> =
        events.iter().map(|e| (e.kind.describe(), e.at_s)).collect();
    let summary = summarize(&hooks.windows, cfg.sla_p99_ms, &described);
    let report = TimelineReport {
        duration_s: scenario.duration_s,
        window_s: scenario.window_s,
        sla_p99_ms: cfg.sla_p99_ms,
        seed: cfg.seed,
        timeline: hooks.windows,
        summary,
    };
    Ok((report, taken_over_ms))
}
