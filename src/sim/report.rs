//! The report of a run: end-to-end latency with confidence intervals,
//! throughput, failures, per-station figures, cost and the SLA verdict.

use serde::{Deserialize, Serialize};

use super::analytic::AnalyticReport;
use super::engine::{ReplicationResult, StationResult};
use super::network::Network;
use super::stats::Estimate;
use super::stats::{HIST_MAX_MS, LatencySummary};

/// End-to-end latency of successful requests, in ms.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyReport {
    /// Mean.
    pub mean: Estimate,
    /// Median.
    pub p50: Estimate,
    /// 90th percentile.
    pub p90: Estimate,
    /// 95th percentile.
    pub p95: Estimate,
    /// 99th percentile.
    pub p99: Estimate,
    /// 99.9th percentile.
    pub p999: Estimate,
    /// Smallest seen in any replication.
    pub min: f64,
    /// Largest seen in any replication.
    pub max: f64,
}

/// One station in the simulated report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StationReport {
    /// The station's name.
    pub name: String,
    /// Pooled servers (servers per replica × replicas).
    pub servers: u64,
    /// Replicas.
    pub replicas: u32,
    /// Fraction of server time busy.
    pub utilisation: Estimate,
    /// Arrival rate ÷ capacity, from the analytic model (≥ 1: unstable).
    pub load: f64,
    /// Mean wait before service (batch formation included), ms.
    pub mean_queue_wait_ms: Option<Estimate>,
    /// Fraction of services that had to wait.
    pub wait_probability: Option<Estimate>,
    /// Time-averaged number waiting.
    pub mean_queue_len: Estimate,
    /// Longest queue in any replication.
    pub max_queue_len: u64,
    /// Longest queue left when the last request arrived, in any replication;
    /// near the cap it means the queue was still growing.
    pub final_queue_len: u64,
    /// Visits dropped at a full queue, all replications.
    pub drops: u64,
    /// Visits abandoned after the timeout, all replications.
    pub timeouts: u64,
    /// Mean requests per batch, for batching stations.
    pub mean_batch_size: Option<Estimate>,
    /// What its replicas cost, USD per hour.
    pub cost_usd_per_hour: f64,
    /// Memory one replica needs, where known, GB.
    pub memory_gb_per_replica: Option<f64>,
}

/// Whether the 99th percentile meets a limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaCheck {
    /// The limit on p99, ms.
    pub p99_limit_ms: f64,
    /// The simulated p99, ms (None when no request succeeded).
    pub p99_ms: Option<f64>,
    /// p99 ≤ limit, and the system is stable.
    pub holds: bool,
}

/// Everything a run found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimReport {
    /// Offered load, requests per second.
    pub offered_rps: f64,
    /// Arrivals per second measured in the window.
    pub measured_arrival_rps: Estimate,
    /// Independent replications run.
    pub replications: u32,
    /// Requests generated per replication.
    pub requests_per_replication: u64,
    /// Requests per replication left out as warm-up.
    pub warmup_requests: u64,
    /// The base seed.
    pub seed: u64,
    /// End-to-end latency; None when no request succeeded.
    pub latency_ms: Option<LatencyReport>,
    /// Requests served per second: offered × fraction that succeeded.
    pub throughput_rps: Estimate,
    /// Fraction of requests dropped at a full queue (or the run's caps).
    pub drop_rate: Estimate,
    /// Fraction of requests that timed out.
    pub timeout_rate: Estimate,
    /// Time-averaged requests in the system (L in Little's law).
    pub mean_in_system: Estimate,
    /// Mean time in system of all requests, failed ones included, ms (W).
    pub mean_time_in_system_ms: Estimate,
    /// Per station, in network order.
    pub stations: Vec<StationReport>,
    /// The station with the highest load.
    pub bottleneck: Option<String>,
    /// Offered load at which the bottleneck reaches load 1, rps.
    pub saturation_rps: Option<f64>,
    /// All replicas, USD per hour.
    pub cost_usd_per_hour: f64,
    /// USD per million served requests.
    pub cost_usd_per_million_requests: Option<f64>,
    /// The SLA verdict, when a limit was given.
    pub sla: Option<SlaCheck>,
    /// Some station has load ≥ 1 or a run cap was hit.
    pub unstable: bool,
    /// Plain-language notes about caps, instability and approximations.
    pub warnings: Vec<String>,
    /// Station arrivals plus departures simulated, all replications.
    pub events: u64,
    /// The instant analytic estimate, for comparison.
    pub analytic: AnalyticReport,
    /// The serving path's availability, when the caller asked for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<super::availability::Availability>,
}

/// What `assemble` needs besides the replications.
pub struct RunSummary<'a> {
    /// The network run.
    pub net: &'a Network,
    /// Its analytic estimate.
    pub analytic: AnalyticReport,
    /// Requests per replication.
    pub requests: u64,
    /// Warm-up requests per replication.
    pub warmup: u64,
    /// The base seed.
    pub seed: u64,
    /// The run's queue cap.
    pub max_queue_len: u32,
    /// The SLA limit on p99, ms.
    pub sla_p99_ms: Option<f64>,
}

fn est(values: impl Iterator<Item = f64>) -> Estimate {
    let v: Vec<f64> = values.collect();
    Estimate::from_replications(&v).unwrap_or(Estimate {
        mean: 0.0,
        ci95_half_width: None,
    })
}

fn est_opt(values: impl Iterator<Item = Option<f64>>) -> Option<Estimate> {
    let v: Vec<f64> = values.flatten().collect();
    Estimate::from_replications(&v)
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

type Replication = ReplicationResult<LatencySummary>;

/// Turns replications into a report.
pub fn assemble(sum: RunSummary, reps: &[Replication]) -> SimReport {
    let net = sum.net;
    let analytic = sum.analytic;
    let offered = analytic.offered_rps;
    let mut warnings = Vec::new();
    let latency_ms = latency(reps);
    if latency_ms.is_none() && reps.iter().any(|r| r.latency.count > 0) {
        warnings.push(format!(
            "some latencies exceed {} ms (about 11.6 days), the longest the simulator measures: the percentiles are unknown",
            crate::format::number(HIST_MAX_MS, 0)
        ));
    }
    let stations: Vec<StationReport> = net
        .stations()
        .iter()
        .enumerate()
        .map(|(i, st)| {
            fn nth(r: &Replication, i: usize) -> &StationResult {
                &r.stations[i]
            }
            let of = |r| nth(r, i);
            let a = &analytic.stations[i];
            let cap_drops: u64 = reps.iter().map(|r| of(r).cap_drops).sum();
            if cap_drops > 0 {
                warnings.push(format!(
                    "'{}' reached the run's queue cap of {} and dropped {cap_drops} visits; its queue was still growing",
                    st.name, sum.max_queue_len
                ));
            }
            if a.load >= 1.0 {
                warnings.push(format!(
                    "'{}' is offered {:.2}× its capacity: its queue grows without bound, so the run is cut at {} requests",
                    st.name, a.load, sum.requests
                ));
            }
            StationReport {
                name: st.name.clone(),
                servers: st.total_servers(),
                replicas: st.replicas,
                utilisation: est(reps.iter().map(|r| of(r).busy_fraction)),
                load: a.load,
                mean_queue_wait_ms: est_opt(reps.iter().map(|r| {
                    let w = &of(r).wait_ms;
                    (w.count() > 0).then(|| w.mean())
                })),
                wait_probability: est_opt(reps.iter().map(|r| {
                    let s = of(r);
                    (s.wait_ms.count() > 0).then(|| ratio(s.waited, s.wait_ms.count()))
                })),
                mean_queue_len: est(reps.iter().map(|r| of(r).mean_queue_len)),
                max_queue_len: reps.iter().map(|r| of(r).max_queue_len).max().unwrap_or(0),
                final_queue_len: reps.iter().map(|r| of(r).final_queue_len).max().unwrap_or(0),
                drops: reps.iter().map(|r| of(r).drops + of(r).cap_drops).sum(),
                timeouts: reps.iter().map(|r| of(r).timeouts).sum(),
                mean_batch_size: est_opt(reps.iter().map(|r| {
                    let b = &of(r).batch_size;
                    (b.count() > 0).then(|| b.mean())
                })),
                cost_usd_per_hour: st.cost_usd_per_hour(),
                memory_gb_per_replica: a.memory_gb_per_replica,
            }
        })
        .collect();
    let in_flight_drops: u64 = reps.iter().map(|r| r.in_flight_drops).sum();
    if in_flight_drops > 0 {
        warnings.push(format!(
            "{in_flight_drops} requests were refused because too many were in flight at once"
        ));
    }
    let unstable = analytic.unstable || !warnings.is_empty();
    // A stable network serves what it is offered less what fails, and that
    // has no arrival noise; an overloaded one serves only what it finishes,
    // which stays below its saturation however much is offered.
    let success = |r: &Replication| 1.0 - ratio(r.dropped + r.timed_out, r.measured);
    let finished_rps = |r: &Replication| {
        if r.measurement_ms > 0.0 {
            r.served_in_window as f64 / r.measurement_ms * 1000.0
        } else {
            0.0
        }
    };
    let throughput_rps = if unstable {
        est(reps
            .iter()
            .map(|r| finished_rps(r).min(offered * success(r))))
    } else {
        est(reps.iter().map(|r| offered * success(r)))
    };
    let sla = sum.sla_p99_ms.map(|limit| {
        let p99 = latency_ms.as_ref().map(|l| l.p99.mean);
        SlaCheck {
            p99_limit_ms: limit,
            p99_ms: p99,
            holds: !unstable && p99.is_some_and(|p| p <= limit),
        }
    });
    let cost_usd_per_hour = analytic.cost_usd_per_hour;
    let cost_usd_per_million_requests = (throughput_rps.mean > 0.0)
        .then(|| cost_usd_per_hour / (throughput_rps.mean * 3600.0) * 1e6);
    SimReport {
        offered_rps: offered,
        measured_arrival_rps: est(reps.iter().map(|r| r.arrival_rps)),
        replications: reps.len() as u32,
        requests_per_replication: sum.requests,
        warmup_requests: sum.warmup,
        seed: sum.seed,
        latency_ms,
        throughput_rps,
        drop_rate: est(reps.iter().map(|r| ratio(r.dropped, r.measured))),
        timeout_rate: est(reps.iter().map(|r| ratio(r.timed_out, r.measured))),
        mean_in_system: est(reps.iter().map(|r| r.mean_in_system)),
        mean_time_in_system_ms: est(reps.iter().map(|r| r.sojourn_all.mean())),
        stations,
        bottleneck: analytic.bottleneck.clone(),
        saturation_rps: analytic.saturation_rps,
        cost_usd_per_hour,
        cost_usd_per_million_requests,
        sla,
        unstable,
        warnings,
        events: reps.iter().map(|r| r.events).sum(),
        analytic,
        availability: None,
    }
}

/// End-to-end latency over the replications; None when nothing succeeded,
/// or when a reported quantile is unknown in some replication (a partial
/// average would be wrong).
fn latency(reps: &[Replication]) -> Option<LatencyReport> {
    let ok: Vec<&LatencySummary> = reps
        .iter()
        .map(|r| &r.latency)
        .filter(|l| l.count > 0)
        .collect();
    if ok.is_empty()
        || ok
            .iter()
            .any(|l| l.quantiles_ms.iter().any(Option::is_none))
    {
        return None;
    }
    let q = |p: f64| est(ok.iter().filter_map(|l| l.quantile_ms(p)));
    Some(LatencyReport {
        mean: est(ok.iter().map(|l| l.mean_ms)),
        p50: q(0.5),
        p90: q(0.9),
        p95: q(0.95),
        p99: q(0.99),
        p999: q(0.999),
        min: ok.iter().map(|l| l.min_ms).fold(f64::INFINITY, f64::min),
        max: ok
            .iter()
            .map(|l| l.max_ms)
            .fold(f64::NEG_INFINITY, f64::max),
    })
}
