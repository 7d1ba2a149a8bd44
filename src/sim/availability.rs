//! Availability of the serving path, analytically: each replica fails and
//! is replaced independently (MTBF, MTTR), replicas are spread evenly over
//! zones that fail independently, a node is up while some zone holds a
//! working replica, and the path is up while every node it needs is up.
//! Caches are not needed (a request that cannot reach one goes to what is
//! behind it). Whether one zone's loss still meets the SLA is left to the
//! simulator: see [`zone_loss_network`].

use serde::{Deserialize, Serialize};

use std::sync::atomic::AtomicBool;

use super::error::{NetworkError, SimError};
use super::network::{Network, Station, StationKind};
use super::run::{RunConfig, run_within_budget};
use super::traffic::Traffic;

/// Requests per replication and replications of the zone-loss check.
const ZONE_CHECK_REQUESTS: u64 = 20_000;
const ZONE_CHECK_REPLICATIONS: u32 = 4;

/// Assumed availability of one zone (a cloud zone's usual commitment).
pub const ZONE_AVAILABILITY: f64 = 0.9999;
/// Default hours between failures of a CPU replica, and to replace it.
pub const CPU_MTBF_HOURS: f64 = 4_380.0;
pub const CPU_MTTR_HOURS: f64 = 0.1;
/// Default hours between failures of a GPU replica, and to replace it
/// (accelerators fail more often and take longer to bring back: a model
/// has to load).
pub const GPU_MTBF_HOURS: f64 = 2_190.0;
pub const GPU_MTTR_HOURS: f64 = 0.5;
const MINUTES_PER_MONTH: f64 = 30.0 * 24.0 * 60.0;

/// One node's availability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeAvailability {
    pub name: String,
    /// Probability the node can serve, 0 to 1.
    pub availability: f64,
    pub replicas: u32,
    /// Zones that hold at least one replica.
    pub zones: u32,
    /// Whether the path fails when it does (caches are not needed).
    pub needed: bool,
}

/// The serving path's availability.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Availability {
    /// Probability the path can serve, in percent.
    pub percent: f64,
    /// −log10 of the unavailability: 3 is 99.9%.
    pub nines: f64,
    pub downtime_minutes_per_month: f64,
    /// Needed nodes whose one replica, or one zone, takes the path down,
    /// each with why ("ranker: one replica").
    pub single_points_of_failure: Vec<String>,
    /// Whether the SLA holds with one zone's replicas removed from every
    /// node; None until the simulator has checked.
    pub zone_loss_meets_sla: Option<bool>,
    pub nodes: Vec<NodeAvailability>,
}

/// Whether a hardware's accelerator is a real one (not a CPU or none).
fn is_accelerator(accelerator: &str) -> bool {
    let a = accelerator.to_ascii_lowercase();
    !(a.is_empty() || a == "none" || a.contains("cpu"))
}

/// The default (MTBF, MTTR) hours of one replica: a GPU's for model
/// inference on an accelerator, a CPU's otherwise.
pub fn default_failure_hours(inference_accelerator: Option<&str>) -> (f64, f64) {
    if inference_accelerator.is_some_and(is_accelerator) {
        (GPU_MTBF_HOURS, GPU_MTTR_HOURS)
    } else {
        (CPU_MTBF_HOURS, CPU_MTTR_HOURS)
    }
}

/// One replica's availability from its MTBF and MTTR (or the defaults).
pub fn replica_availability(st: &Station) -> f64 {
    let accelerator = match &st.kind {
        StationKind::Inference(m) => Some(m.hardware.accelerator.as_str()),
        _ => None,
    };
    let (mtbf, mttr) = default_failure_hours(accelerator);
    let mtbf = st.mtbf_hours.unwrap_or(mtbf);
    let mttr = st.mttr_hours.unwrap_or(mttr);
    mtbf / (mtbf + mttr)
}

/// Replicas in each zone, spread as evenly as they go.
pub fn replicas_per_zone(replicas: u32, zones: u32) -> Vec<u32> {
    let z = zones.clamp(1, replicas.max(1));
    (0..z)
        .map(|i| replicas / z + u32::from(i < replicas % z))
        .collect()
}

/// A node is up while some zone is up and holds a working replica.
pub fn node_availability(replica: f64, replicas: u32, zones: u32) -> f64 {
    let all_down_in_zone = |r: u32| (1.0 - replica).powi(r as i32);
    let zone_fails = |r: u32| 1.0 - ZONE_AVAILABILITY * (1.0 - all_down_in_zone(r));
    1.0 - replicas_per_zone(replicas, zones)
        .into_iter()
        .map(zone_fails)
        .product::<f64>()
}

/// The availability of `net`'s serving path.
pub fn availability(net: &Network) -> Availability {
    let mut path = 1.0;
    let mut spof = Vec::new();
    let nodes: Vec<NodeAvailability> = net
        .stations()
        .iter()
        .zip(net.service_models())
        .zip(net.visits_per_request())
        .map(|((st, model), &visits)| {
            let needed = visits > 0.0 && model.hit_ratio <= 0.0;
            let zones = replicas_per_zone(st.replicas, st.zones).len() as u32;
            let a = node_availability(replica_availability(st), st.replicas, st.zones);
            if needed {
                path *= a;
                if st.replicas <= 1 {
                    spof.push(format!("{}: one replica", st.name));
                } else if zones <= 1 {
                    spof.push(format!("{}: every replica in one zone", st.name));
                }
            }
            NodeAvailability {
                name: st.name.clone(),
                availability: a,
                replicas: st.replicas,
                zones,
                needed,
            }
        })
        .collect();
    let down = (1.0 - path).max(0.0);
    Availability {
        percent: path * 100.0,
        nines: if down > 0.0 {
            -down.log10()
        } else {
            f64::INFINITY
        },
        downtime_minutes_per_month: down * MINUTES_PER_MONTH,
        single_points_of_failure: spof,
        zone_loss_meets_sla: None,
        nodes,
    }
}

/// `net` with one zone lost: every node keeps the replicas outside its
/// fullest zone. None when a needed node would keep none (it had one zone),
/// in which case the SLA cannot hold. A cache left with none is kept as it
/// was, standing for the requests that go past it.
pub fn zone_loss_network(net: &Network) -> Option<Result<Network, NetworkError>> {
    let mut stations = Vec::with_capacity(net.stations().len());
    for (st, model) in net.stations().iter().zip(net.service_models()) {
        let fullest = replicas_per_zone(st.replicas, st.zones)
            .into_iter()
            .max()
            .unwrap_or(0);
        let left = st.replicas - fullest;
        let mut kept = st.clone();
        if left > 0 {
            kept.replicas = left;
        } else if model.hit_ratio <= 0.0 {
            return None;
        }
        stations.push(kept);
    }
    Some(Network::new(stations, net.calls().to_vec(), net.entry()))
}

/// Whether the p99 SLA still holds at `rps` with one zone lost: the upper
/// end of the p99's 95% interval within the limit, every station stable.
pub fn zone_loss_meets_sla(
    net: &Network,
    rps: f64,
    sla_p99_ms: f64,
    cancel: &AtomicBool,
) -> Result<bool, SimError> {
    let Some(lost) = zone_loss_network(net) else {
        return Ok(false);
    };
    let cfg = RunConfig::new(Traffic::rps(rps))
        .with_requests(ZONE_CHECK_REQUESTS)
        .with_replications(ZONE_CHECK_REPLICATIONS)
        .with_sla_p99_ms(sla_p99_ms);
    let r = run_within_budget(&lost?, &cfg, cancel, &|_| {})?;
    let upper = r
        .latency_ms
        .as_ref()
        .map(|l| l.p99.mean + l.p99.ci95_half_width.unwrap_or(0.0));
    Ok(!r.unstable && upper.is_some_and(|u| u <= sla_p99_ms))
}

/// The availability of `net`'s path with the zone-loss check run at `rps`
/// against `sla_p99_ms`.
pub fn availability_with_zone_check(
    net: &Network,
    rps: f64,
    sla_p99_ms: Option<f64>,
    cancel: &AtomicBool,
) -> Result<Availability, SimError> {
    let mut a = availability(net);
    if let Some(sla) = sla_p99_ms {
        a.zone_loss_meets_sla = Some(zone_loss_meets_sla(net, rps, sla, cancel)?);
    }
    Ok(a)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{Call, ServiceTime, StationIndex};

    fn node(name: &str, replicas: u32, zones: u32) -> Station {
        let mut s = Station::service(name, ServiceTime::Constant { ms: 1.0 })
            .with_servers(1, replicas)
            .with_zones(zones);
        s.mtbf_hours = Some(99.0);
        s.mttr_hours = Some(1.0);
        s
    }

    #[test]
    fn series_and_parallel_match_their_closed_forms() {
        let a = 0.99;
        let z = ZONE_AVAILABILITY;
        let net = Network::new(
            vec![node("a", 1, 1), node("b", 3, 1)],
            vec![Call::new(StationIndex(0), StationIndex(1))],
            StationIndex(0),
        )
        .expect("valid");
        let r = availability(&net);
        // Series of one replica and three in parallel, each in one zone.
        let want = (z * a) * (z * (1.0 - (1.0_f64 - a).powi(3)));
        assert!((r.percent / 100.0 - want).abs() < 1e-12, "{}", r.percent);
        assert!((r.nines - -(1.0 - want).log10()).abs() < 1e-9);
        assert!((r.downtime_minutes_per_month - (1.0 - want) * 43_200.0).abs() < 1e-6);
        assert_eq!(
            r.single_points_of_failure,
            vec!["a: one replica", "b: every replica in one zone"]
        );
        // Three replicas over three zones: any zone with its replica up.
        let spread = node_availability(a, 3, 3);
        assert!((spread - (1.0 - (1.0 - z * a).powi(3))).abs() < 1e-15);
        assert!(spread > node_availability(a, 3, 1));
        assert_eq!(replicas_per_zone(7, 3), vec![3, 2, 2]);
        assert_eq!(replicas_per_zone(2, 5), vec![1, 1]);
    }

    #[test]
    fn caches_are_not_needed_and_zone_loss_keeps_the_rest() {
        let cache =
            Station::cache("cache", 0.5, ServiceTime::Constant { ms: 0.1 }).with_servers(1, 1);
        let net = Network::new(
            vec![cache, node("db", 4, 2)],
            vec![Call::new(StationIndex(0), StationIndex(1))],
            StationIndex(0),
        )
        .expect("valid");
        let r = availability(&net);
        assert!(r.single_points_of_failure.is_empty(), "{r:?}");
        assert!(!r.nodes[0].needed);
        let lost = zone_loss_network(&net)
            .expect("the cache is passed")
            .expect("valid");
        assert_eq!(lost.stations()[1].replicas, 2);
        let one_zone =
            Network::new(vec![node("api", 4, 1)], vec![], StationIndex(0)).expect("valid");
        assert!(zone_loss_network(&one_zone).is_none());
        let net = Network::new(vec![node("db", 5, 2)], vec![], StationIndex(0)).expect("valid");
        let lost = zone_loss_network(&net).expect("some left").expect("valid");
        assert_eq!(lost.stations()[0].replicas, 2);
    }

    #[test]
    fn the_zone_check_runs_the_smaller_network() {
        let cancel = AtomicBool::new(false);
        // Six 10 ms servers over three zones at 300 req/s: four survive a
        // zone (load 0.75), two would not (load 1.5).
        let api = |zones| {
            Network::new(
                vec![
                    Station::service("api", ServiceTime::Exponential { mean_ms: 10.0 })
                        .with_servers(1, 6)
                        .with_zones(zones),
                ],
                vec![],
                StationIndex(0),
            )
            .expect("valid")
        };
        assert!(zone_loss_meets_sla(&api(3), 300.0, 100.0, &cancel).expect("runs"));
        assert!(!zone_loss_meets_sla(&api(2), 300.0, 100.0, &cancel).expect("runs"));
        assert!(!zone_loss_meets_sla(&api(1), 300.0, 100.0, &cancel).expect("runs"));
        let a = availability_with_zone_check(&api(3), 300.0, Some(100.0), &cancel).expect("runs");
        assert_eq!(a.zone_loss_meets_sla, Some(true));
    }
}
