//! What both discrete-event engines share: a replication's limits and
//! controls, each station's parameters as the engines read them, what a
//! replication measures, and the building blocks (the event key, the event
//! heap, the slab). `des` and `sweep` hold only their own engine.

pub(super) mod event_heap;
pub(super) mod key;
pub(super) mod slab;
pub(super) mod target;
#[cfg(test)]
pub(super) mod tests;

use std::sync::atomic::{AtomicBool, AtomicU64};

use rand::rngs::SmallRng;
use rand_distr::{Distribution, Exp1};

use super::distributions::Sampler;
use super::network::{BatchModel, FanOut, Network};
use super::stats::{LatencyHistogram, LatencySummary, Mean};

/// How a visit ended, and so how a request did: its first failure, or
/// served when it had none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(super) enum Outcome {
    /// Served (a visit), or answered with every call made (a request).
    Served = 0,
    /// Dropped at a full queue.
    Dropped = 1,
    /// Waited longer than the station's timeout.
    TimedOut = 2,
}

/// The measurement window: from the warm-up request's arrival to the last
/// request's, in ms, both included. Busy, queue and in-system time count
/// only inside it, and a visit counts in a station's statistics when it
/// arrived inside it, in both engines.
#[derive(Debug, Clone, Copy)]
pub(super) struct MeasurementWindow {
    pub start_ms: f64,
    pub end_ms: f64,
}

impl MeasurementWindow {
    /// Its length in ms.
    #[inline]
    pub fn len_ms(&self) -> f64 {
        self.end_ms - self.start_ms
    }

    /// Whether a visit that arrived at `t` is measured.
    #[inline]
    pub fn measuring(&self, t: f64) -> bool {
        t >= self.start_ms && t <= self.end_ms
    }

    /// The part of [a, b] inside the window. Times are never NaN, so plain
    /// comparisons do (they compile to single min and max instructions).
    #[inline]
    pub fn clip(&self, a: f64, b: f64) -> f64 {
        let from = if a > self.start_ms { a } else { self.start_ms };
        let to = if b < self.end_ms { b } else { self.end_ms };
        if to > from { to - from } else { 0.0 }
    }
}

/// Limits of one replication.
#[derive(Debug, Clone, Copy)]
pub struct ReplicationParams {
    /// Requests to generate.
    pub requests: u64,
    /// Requests at the start left out of the statistics.
    pub warmup: u64,
    /// Longest any station's queue may grow; arrivals beyond it are dropped.
    pub max_queue_len: u32,
    /// Most requests in flight; arrivals beyond it are dropped.
    pub max_in_flight: u64,
    /// Offered load, requests per second.
    pub requests_per_second: f64,
    /// This replication's seed.
    pub seed: u64,
}

impl ReplicationParams {
    /// Arrivals per second over a measurement window of `measurement_ms`,
    /// which spans the gaps between the measured requests' arrivals; 0 for an
    /// empty window.
    pub(super) fn arrival_rps(&self, measurement_ms: f64) -> f64 {
        if measurement_ms > 0.0 {
            (self.requests - self.warmup - 1) as f64 / measurement_ms * 1000.0
        } else {
            0.0
        }
    }
}

/// A replication's external arrivals, as the gap before each one. Generic,
/// so that the usual Poisson arrivals compile to the plain draw, and tests
/// can give both engines the same arrivals.
pub(super) trait ArrivalGaps: Clone {
    /// The gap before the next arrival in ms, drawn from `rng` if random.
    fn next_gap_ms(&mut self, rng: &mut SmallRng) -> f64;

    /// The next arrival's time after one at `last_ms`; arrivals that know
    /// their times give them as they are, free of the rounding of a sum.
    fn next_arrival_ms(&mut self, last_ms: f64, rng: &mut SmallRng) -> f64 {
        last_ms + self.next_gap_ms(rng)
    }
}

/// Poisson arrivals: exponential gaps with this mean.
#[derive(Debug, Clone, Copy)]
pub(super) struct PoissonGaps {
    pub mean_gap_ms: f64,
}

impl PoissonGaps {
    /// The arrivals of a replication with these limits.
    pub fn of(p: &ReplicationParams) -> PoissonGaps {
        PoissonGaps {
            mean_gap_ms: 1000.0 / p.requests_per_second,
        }
    }
}

impl ArrivalGaps for PoissonGaps {
    #[inline]
    fn next_gap_ms(&mut self, rng: &mut SmallRng) -> f64 {
        let gap: f64 = Exp1.sample(rng);
        gap * self.mean_gap_ms
    }
}

/// The run's cancel flag and shared progress counter.
pub struct Control<'a> {
    /// Set to stop the run.
    pub cancel: &'a AtomicBool,
    /// Requests generated so far across replications.
    pub done: &'a AtomicU64,
    /// Told the new total every few thousand requests.
    pub progress: &'a (dyn Fn(u64) + Sync),
}

/// What one station saw during the measurement window.
#[derive(Debug, Clone, Default)]
pub struct StationResult {
    /// Fraction of server time busy.
    pub busy_fraction: f64,
    /// Time-averaged queue length (waiting, not in service).
    pub mean_queue_len: f64,
    /// Waits before service, ms.
    pub wait_ms: Mean,
    /// Services that started after a wait (> 0).
    pub waited: u64,
    /// Visits that arrived.
    pub arrivals: u64,
    /// Visits dropped at a full queue (its own limit).
    pub drops: u64,
    /// Visits dropped at the run's queue cap.
    pub cap_drops: u64,
    /// Visits abandoned after waiting longer than the timeout.
    pub timeouts: u64,
    /// Longest queue seen.
    pub max_queue_len: u64,
    /// Queue length when the last request arrived.
    pub final_queue_len: u64,
    /// Requests per batch (batching stations).
    pub batch_size: Mean,
}

/// What one replication measured. The engines fill a full histogram of
/// latencies; a run keeps only its [`LatencySummary`].
#[derive(Debug, Clone)]
pub struct ReplicationResult<Latencies = LatencyHistogram> {
    /// Latencies of requests that succeeded.
    pub latency: Latencies,
    /// Requests that succeeded and finished inside the measurement window,
    /// whenever they arrived: the throughput actually achieved, which an
    /// overloaded network keeps below what it is offered.
    pub served_in_window: u64,
    /// Time in system of every measured request, failed ones included.
    pub sojourn_all: Mean,
    /// Requests in the measurement window.
    pub measured: u64,
    /// Of those, dropped somewhere.
    pub dropped: u64,
    /// Of those, timed out somewhere.
    pub timed_out: u64,
    /// Requests refused because too many were in flight.
    pub in_flight_drops: u64,
    /// Length of the measurement window (the warm-up request's arrival to
    /// the last request's), ms.
    pub measurement_ms: f64,
    /// Arrivals per second measured in the window.
    pub arrival_rps: f64,
    /// Time-averaged requests in the system.
    pub mean_in_system: f64,
    /// Per station.
    pub stations: Vec<StationResult>,
    /// Station arrivals plus service completions.
    pub events: u64,
    /// Tests only: every request that finished, in the order it did.
    #[cfg(test)]
    pub(super) finished: Vec<FinishedRequest>,
}

/// Tests only: one request as it finished.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct FinishedRequest {
    /// When it arrived, ms.
    pub start_ms: f64,
    /// When it finished, ms.
    pub end_ms: f64,
    /// How it ended.
    pub outcome: Outcome,
}

impl ReplicationResult {
    /// Nothing measured yet.
    pub(super) fn empty() -> ReplicationResult {
        ReplicationResult {
            latency: LatencyHistogram::new(),
            served_in_window: 0,
            sojourn_all: Mean::default(),
            measured: 0,
            dropped: 0,
            timed_out: 0,
            in_flight_drops: 0,
            measurement_ms: 0.0,
            arrival_rps: 0.0,
            mean_in_system: 0.0,
            stations: Vec::new(),
            events: 0,
            #[cfg(test)]
            finished: Vec::new(),
        }
    }

    /// The same result with its histogram reduced to the summary a report
    /// needs.
    pub fn summarized(self) -> ReplicationResult<LatencySummary> {
        ReplicationResult {
            latency: self.latency.summary(),
            served_in_window: self.served_in_window,
            sojourn_all: self.sojourn_all,
            measured: self.measured,
            dropped: self.dropped,
            timed_out: self.timed_out,
            in_flight_drops: self.in_flight_drops,
            measurement_ms: self.measurement_ms,
            arrival_rps: self.arrival_rps,
            mean_in_system: self.mean_in_system,
            stations: self.stations,
            events: self.events,
            #[cfg(test)]
            finished: self.finished,
        }
    }
}

/// A station's fixed parameters, as both engines read them.
#[derive(Debug, Clone, Copy)]
pub(super) struct StationSpec {
    pub servers: u32,
    pub limit: u32,
    pub timeout_ms: f64,
    pub sampler: Sampler,
    pub batch: Option<BatchModel>,
    pub hit_ratio: f64,
    pub parallel: bool,
    /// Its calls, as a range of the flat call list.
    pub calls: (u32, u32),
}

/// One call, as both engines read it: `whole` times plus one more with
/// probability `frac`.
#[derive(Debug, Clone, Copy)]
pub(super) struct CallSpec {
    pub to: u32,
    pub whole: u32,
    pub frac: f64,
    pub latency_ms: f64,
}

/// Every station's parameters and the flat call list they index.
pub(super) fn specs(net: &Network) -> (Vec<StationSpec>, Vec<CallSpec>) {
    let mut calls = Vec::with_capacity(net.calls().len());
    let stations = net
        .stations()
        .iter()
        .zip(net.service_models())
        .enumerate()
        .map(|(i, (st, model))| {
            let first = calls.len() as u32;
            calls.extend(net.calls_from(i).map(|c| CallSpec {
                to: c.to.0 as u32,
                whole: c.calls_per_request.floor() as u32,
                frac: c.calls_per_request - c.calls_per_request.floor(),
                latency_ms: c.network_latency_ms,
            }));
            StationSpec {
                // Validation caps servers at a million, so this fits.
                servers: u32::try_from(st.total_servers()).unwrap_or(u32::MAX),
                limit: st.queue_limit.unwrap_or(u32::MAX),
                timeout_ms: st.timeout_ms.unwrap_or(f64::INFINITY),
                sampler: model.sampler,
                batch: model.batch,
                hit_ratio: model.hit_ratio,
                parallel: st.fan_out == FanOut::Parallel,
                calls: (first, calls.len() as u32),
            }
        })
        .collect();
    (stations, calls)
}

impl StationResult {
    /// Counts a visit dropped at a full queue: at its own limit, or else at
    /// the run's cap.
    #[inline]
    pub(super) fn count_drop(&mut self, over_limit: bool) {
        if over_limit {
            self.drops += 1;
        } else {
            self.cap_drops += 1;
        }
    }
}
