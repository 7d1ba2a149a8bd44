//! Latency against offered load, from light load to past saturation: the
//! "hockey stick" that shows where a design falls over.

use std::sync::atomic::{AtomicBool, Ordering};

use super::analytic::analyze;
use super::network::Network;
use super::run::{RunConfig, run_within_budget};
use super::traffic::Traffic;

/// Fractions of the saturation throughput the curve visits.
pub const LOAD_FRACTIONS: [f64; 12] =
    [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 1.05, 1.2];

/// Latency at one offered load.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoadPoint {
    /// Offered load over saturation throughput.
    pub load_fraction: f64,
    pub offered_rps: f64,
    /// Simulated percentiles in ms; `None` when nothing completed.
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// The analytic (Jackson) mean in ms; `None` past saturation.
    pub analytic_mean_ms: Option<f64>,
    pub drop_rate: f64,
}

/// The curve for `net`, each point a short seeded run. Stops early, with
/// the points done so far, when `cancel` is set.
pub fn load_curve(
    net: &Network,
    saturation_rps: f64,
    requests: u64,
    seed: u64,
    cancel: &AtomicBool,
) -> Vec<LoadPoint> {
    let mut points = Vec::with_capacity(LOAD_FRACTIONS.len());
    if !(saturation_rps.is_finite() && saturation_rps > 0.0) {
        return points;
    }
    for fraction in LOAD_FRACTIONS {
        if cancel.load(Ordering::Relaxed) {
            break;
        }
        let traffic = Traffic::rps(saturation_rps * fraction);
        let config = RunConfig::new(traffic)
            .with_requests(requests)
            .with_replications(2)
            .with_seed(seed);
        let analytic = analyze(net, &traffic);
        let Ok(report) = run_within_budget(net, &config, cancel, &|_| {}) else {
            break;
        };
        points.push(LoadPoint {
            load_fraction: fraction,
            offered_rps: traffic.requests_per_second,
            p50_ms: report.latency_ms.as_ref().map(|l| l.p50.mean),
            p99_ms: report.latency_ms.as_ref().map(|l| l.p99.mean),
            analytic_mean_ms: analytic.mean_latency_ms,
            drop_rate: report.drop_rate.mean,
        });
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Network, ServiceTime, Station, StationIndex};

    #[test]
    fn latency_rises_towards_saturation() {
        let net = Network::new(
            vec![
                Station::service("only", ServiceTime::Exponential { mean_ms: 10.0 })
                    .with_servers(1, 1),
            ],
            vec![],
            StationIndex(0),
        )
        .expect("valid");
        // One server of 10 ms saturates at 100 requests per second.
        let points = load_curve(&net, 100.0, 20_000, 7, &AtomicBool::new(false));
        assert_eq!(points.len(), LOAD_FRACTIONS.len());
        let p99_light = points[0].p99_ms.expect("latency");
        let p99_heavy = points[8].p99_ms.expect("latency");
        assert!(p99_heavy > 5.0 * p99_light, "{p99_light} -> {p99_heavy}");
        assert!(points[0].analytic_mean_ms.is_some());
        assert!(
            points[11].analytic_mean_ms.is_none(),
            "no mean past saturation"
        );
        let cancelled = load_curve(&net, 100.0, 20_000, 7, &AtomicBool::new(true));
        assert!(cancelled.is_empty());
    }
}
