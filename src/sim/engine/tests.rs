//! The two engines against each other, exactly. With every service time
//! constant, the same arrivals, and at most one station drawing random
//! numbers (a cache at the entry, which both engines ask in the order its
//! visits end), the event list and the sweep must give every request the
//! same latency and outcome to the bit, the same counts at every station,
//! the same latency quantiles and the same mean waits.
//!
//! Five figures agree to 1e-12 relative rather than bit for bit (measured:
//! at most 2e-14): the mean latency and mean time in system add the same
//! latencies in a different order (the event list finishes requests in time
//! order, the sweep station by station), and the busy fraction, mean queue
//! length and mean requests in system are the same integrals summed
//! differently (the event list between events, the sweep service by
//! service and wait by wait).

use std::rc::Rc;
use std::sync::atomic::{AtomicBool, AtomicU64};

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use super::{ArrivalGaps, Control, FinishedRequest, Outcome, ReplicationParams, ReplicationResult};
use crate::sim::ServiceTime;
use crate::sim::des;
use crate::sim::hardware;
use crate::sim::ml::{Batching, InferenceModel};
use crate::sim::network::{Call, Network, Station, StationIndex};
use crate::sim::sweep::{self, Plan};

/// Arrival gaps given in advance, the same for both engines.
#[derive(Clone)]
struct GivenGaps {
    gaps: Rc<[f64]>,
    next: usize,
}

impl ArrivalGaps for GivenGaps {
    fn next_gap_ms(&mut self, _rng: &mut SmallRng) -> f64 {
        let gap = self.gaps[self.next];
        self.next += 1;
        gap
    }
}

/// `n` exponential gaps with this mean, from `seed`.
fn poisson_gaps(n: usize, mean_ms: f64, seed: u64) -> Rc<[f64]> {
    let mut rng = SmallRng::seed_from_u64(seed);
    (0..n)
        .map(|_| -mean_ms * (1.0 - rng.random::<f64>()).ln())
        .collect()
}

/// (sweep, event list) on the same arrivals.
fn both(net: &Network, gaps: &Rc<[f64]>) -> (ReplicationResult, ReplicationResult) {
    let p = ReplicationParams {
        requests: gaps.len() as u64,
        warmup: gaps.len() as u64 / 10,
        max_queue_len: 100_000,
        max_in_flight: 1_000_000,
        // Unused: the arrivals are given.
        requests_per_second: 1.0,
        seed: 5,
    };
    let (cancel, done) = (AtomicBool::new(false), AtomicU64::new(0));
    let ctl = Control {
        cancel: &cancel,
        done: &done,
        progress: &|_| {},
    };
    let given = GivenGaps {
        gaps: Rc::clone(gaps),
        next: 0,
    };
    let plan = Plan::new(net).expect("the network can be swept");
    let swept = sweep::run_replication_with(net, &plan, &p, &ctl, given.clone()).expect("runs");
    let listed = des::run_replication_with(net, &p, &ctl, given, &mut ()).expect("runs");
    (swept, listed)
}

#[track_caller]
fn assert_close(what: &str, a: f64, b: f64) {
    assert!(
        a == b || (a - b).abs() <= 1e-12 * a.abs().max(b.abs()),
        "{what}: sweep {a}, event list {b}"
    );
}

/// Every request's latency and outcome bit for bit, and the summaries.
#[track_caller]
fn assert_same(name: &str, sweep: &ReplicationResult, events: &ReplicationResult) {
    let by_arrival = |r: &ReplicationResult| {
        let mut v: Vec<FinishedRequest> = r.finished.clone();
        v.sort_by(|a, b| a.start_ms.total_cmp(&b.start_ms));
        v
    };
    let (a, b) = (by_arrival(sweep), by_arrival(events));
    assert_eq!(a.len(), b.len(), "{name}: requests finished");
    for (x, y) in a.iter().zip(&b) {
        assert!(
            x.start_ms.to_bits() == y.start_ms.to_bits()
                && x.end_ms.to_bits() == y.end_ms.to_bits()
                && x.outcome == y.outcome,
            "{name}: sweep {x:?}, event list {y:?}"
        );
    }
    let counts = |r: &ReplicationResult| {
        (
            r.measured,
            r.dropped,
            r.timed_out,
            r.in_flight_drops,
            r.events,
            r.latency.count(),
            r.served_in_window,
        )
    };
    assert_eq!(counts(sweep), counts(events), "{name}: counts");
    assert_eq!(
        sweep.measurement_ms.to_bits(),
        events.measurement_ms.to_bits(),
        "{name}: measurement window"
    );
    assert_eq!(sweep.arrival_rps.to_bits(), events.arrival_rps.to_bits());
    // The histogram counts the same latencies, so its quantiles match
    // exactly; the means add them in a different order.
    for q in [0.0, 0.5, 0.9, 0.99, 1.0] {
        assert_eq!(
            sweep.latency.quantile_ms(q).map(f64::to_bits),
            events.latency.quantile_ms(q).map(f64::to_bits),
            "{name}: quantile {q}"
        );
    }
    assert_close(
        "mean latency",
        sweep.latency.mean_ms(),
        events.latency.mean_ms(),
    );
    assert_close(
        "sojourn",
        sweep.sojourn_all.mean(),
        events.sojourn_all.mean(),
    );
    assert_close("in system", sweep.mean_in_system, events.mean_in_system);
    for (i, (x, y)) in sweep.stations.iter().zip(&events.stations).enumerate() {
        let counts = |s: &super::StationResult| {
            (
                s.arrivals,
                s.waited,
                s.drops,
                s.cap_drops,
                s.timeouts,
                s.max_queue_len,
                s.wait_ms.count(),
                s.batch_size.count(),
            )
        };
        assert_eq!(counts(x), counts(y), "{name}: station {i} counts");
        assert_close("wait", x.wait_ms.mean(), y.wait_ms.mean());
        assert_close("batch size", x.batch_size.mean(), y.batch_size.mean());
        assert_close("busy", x.busy_fraction, y.busy_fraction);
        assert_close("queue", x.mean_queue_len, y.mean_queue_len);
    }
}

/// A station with a constant service time and `servers` servers.
pub(in crate::sim) fn constant(name: &str, ms: f64, servers: u32) -> Station {
    Station::service(name, ServiceTime::Constant { ms }).with_servers(servers, 1)
}

/// A call from station `from` to `to`.
pub(in crate::sim) fn call(from: usize, to: usize, latency_ms: f64) -> Call {
    Call::new(StationIndex(from), StationIndex(to)).latency_ms(latency_ms)
}

/// A network entered at its first station.
pub(in crate::sim) fn network(stations: Vec<Station>, calls: Vec<Call>) -> Network {
    Network::new(stations, calls, StationIndex(0)).expect("valid")
}

/// A request tree: "api" asks "auth", then "fan-out"; "fan-out" asks "ann"
/// and "rank" in parallel; "rank" asks "features". `stations` are these six
/// in that order ("fan-out" is made parallel here). Latencies are binary
/// fractions, so sums of binary-fraction times stay exact.
pub(in crate::sim) fn request_tree(stations: [Station; 6]) -> Network {
    let mut stations = Vec::from(stations);
    stations[2] = stations[2].clone().parallel();
    network(
        stations,
        vec![
            call(0, 1, 0.125),
            call(0, 2, 0.125),
            call(2, 3, 0.25),
            call(2, 4, 0.25),
            call(4, 5, 0.0625),
        ],
    )
}

/// Each network with arrivals at a light and a heavy load.
fn check(name: &str, net: &Network, mean_gaps_ms: [f64; 2]) {
    for (k, mean_gap_ms) in mean_gaps_ms.into_iter().enumerate() {
        let gaps = poisson_gaps(3_000, mean_gap_ms, 11 + k as u64);
        let (sweep, events) = both(net, &gaps);
        assert!(sweep.latency.count() > 0, "{name}: something succeeds");
        assert_same(
            &format!("{name}, mean gap {mean_gap_ms} ms"),
            &sweep,
            &events,
        );
    }
}

#[test]
fn a_tandem_gives_the_same_latencies_in_both_engines() {
    let net = network(
        vec![
            constant("a", 0.8, 1),
            constant("b", 1.5, 2),
            constant("c", 0.6, 1),
        ],
        vec![call(0, 1, 0.1), call(1, 2, 0.1)],
    );
    check("tandem", &net, [2.0, 0.9]);
}

#[test]
fn sequential_and_parallel_calls_give_the_same_latencies_in_both_engines() {
    let net = request_tree([
        constant("api", 0.5, 2),
        constant("auth", 0.7, 1),
        constant("fan-out", 0.25, 2),
        constant("ann", 1.5, 2),
        constant("rank", 0.9, 1),
        constant("features", 0.4, 1),
    ]);
    check("fan-out", &net, [3.0, 1.0]);
}

#[test]
fn a_cache_at_the_entry_gives_the_same_hits_and_latencies_in_both_engines() {
    let net = network(
        vec![
            Station::cache("cache", 0.4, ServiceTime::Constant { ms: 0.2 }).with_servers(4, 1),
            constant("backend", 2.0, 2),
        ],
        vec![call(0, 1, 0.3)],
    );
    check("cache", &net, [2.0, 0.75]);
}

#[test]
fn batching_gives_the_same_batches_and_latencies_in_both_engines() {
    let t4 = hardware::find("gpu-t4").expect("in catalog");
    let model = InferenceModel {
        gflops_per_item: 0.02,
        items_per_request: 100.0,
        hardware: t4,
        batching: Batching {
            max_batch_requests: 4,
            max_wait_ms: 1.0,
        },
        // No jitter: every pass of a given size takes the same time.
        tail_ratio: 1.0,
    };
    let net = network(
        vec![
            constant("gateway", 0.1, 4),
            Station::inference("ranker", model).with_servers(1, 1),
        ],
        vec![call(0, 1, 0.2)],
    );
    check("batching", &net, [3.0, 0.4]);
}

#[test]
fn drops_and_timeouts_are_the_same_requests_in_both_engines() {
    let net = network(
        vec![
            constant("front", 1.0, 1).with_timeout_ms(2.0),
            constant("limited", 1.5, 1).with_queue_limit(2),
        ],
        vec![call(0, 1, 0.1)],
    );
    let (sweep, events) = both(&net, &poisson_gaps(3_000, 1.1, 3));
    assert!(events.dropped > 0 && events.timed_out > 0, "both happen");
    assert!(
        sweep.finished.iter().any(|r| r.outcome == Outcome::Dropped)
            && sweep
                .finished
                .iter()
                .any(|r| r.outcome == Outcome::TimedOut)
    );
    assert_same("drops and timeouts", &sweep, &events);
}
