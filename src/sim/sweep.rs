//! The fast engine: stations swept one after another over rounds of
//! arrivals, with no global event list.
//!
//! A station's server is free as soon as its own service ends, so each
//! station is a FCFS queue whose waits depend only on its own arrivals.
//! When the stations can be ordered so that every station's arrivals are
//! known before it runs (a parent before its children, and a sequential
//! parent's later call after everything its earlier calls reach), a
//! replication is cut into rounds of `ROUND_REQUESTS` new requests. In each
//! round every station takes its turn, in that order, serving the arrivals
//! that come before the next round's first request, sorted by time. Later
//! arrivals wait for the next round, which cannot hold an earlier one, so
//! FCFS order holds exactly across rounds. Networks with no such order (a
//! station reached again by a later call, or a call repeated within a
//! request) run on the event-list engine in `des`.
//!
//! The measurement window (the warm-up request's arrival to the last
//! request's) is found first by drawing the arrival gaps from their own
//! stream, so every busy or waiting interval is clipped to it exactly.

use std::sync::atomic::Ordering;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::engine::slab::Slab;
use super::engine::{
    ArrivalGaps, Control, MeasurementWindow, Outcome, PoissonGaps, ReplicationParams,
    ReplicationResult, specs,
};
use super::error::SimError;
use super::network::{FanOut, Network};
use super::validate::station_graph;
use crate::diagram::GraphIndex;

mod fingerprint;
mod keyed;
mod lane;
mod mode;
mod timeline;

pub(super) use timeline::{OverTime, run_timeline_sweep};
mod sort;
mod visit;

use lane::Lane;
use mode::{Mode, Steady};
use sort::sort_arrivals;
use visit::{Arrival, Visit};

const NONE: u32 = u32::MAX;

/// New requests per round: enough to amortise each station's turn, few
/// enough that a round's frames and arrivals stay in cache (256 to 2,048
/// measured within 3% of each other).
const ROUND_REQUESTS: u64 = 512;
/// Requests between progress reports (a whole number of rounds).
const PROGRESS_EVERY: u64 = 16 * ROUND_REQUESTS;
/// Most frames alive at once (about 160 MB); new requests beyond it are
/// dropped.
const MAX_FRAMES: usize = 4_000_000;
/// Networks larger than this run on the event-list engine (finding the
/// order may take this many stations squared).
const MAX_STATIONS: usize = 1024;
/// Separates the arrival stream's seed from the service stream's.
const ARRIVAL_STREAM: u64 = 0xA5A5_5A5A_C3C3_3C3C;

/// The order the stations are swept in, when the network has one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    order: Vec<usize>,
}

impl Plan {
    /// The sweep order, or None when the network needs the event-list
    /// engine: a call repeated within a request, or a sequential parent
    /// whose later call reaches a station an earlier call also reaches.
    pub fn new(net: &Network) -> Option<Plan> {
        let n = net.stations().len();
        if n > MAX_STATIONS || net.calls().iter().any(|c| c.calls_per_request > 1.0) {
            return None;
        }
        let calls = station_graph(n, net.calls());
        // Each call's callee after its caller; and after a sequential
        // parent's earlier calls and everything they reach, whose visits
        // come back before the parent makes the call.
        let mut after = Vec::new();
        for (p, station) in net.stations().iter().enumerate() {
            let mut earlier = vec![false; n];
            for c in net.calls_from(p) {
                let child = c.to.0;
                after.push((p, child));
                if station.fan_out == FanOut::Sequential {
                    if earlier[child] {
                        return None;
                    }
                    after.extend((0..n).filter(|&e| earlier[e]).map(|e| (e, child)));
                    for reached in calls.reachable_from(child) {
                        earlier[reached] = true;
                    }
                }
            }
        }
        let order = GraphIndex::new(0..n, after).topological_order().ok()?;
        Some(Plan { order })
    }

    /// Station indices in the order they are swept.
    pub fn order(&self) -> &[usize] {
        &self.order
    }
}

/// A visit to a station that makes calls. It carries what its children's
/// returns need (its call range and fan-out), so they read one record, and
/// it fits in half a cache line.
#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Root only: when the request arrived, ms.
    start: f64,
    /// Parallel parents: when the slowest child so far finished, ms.
    done: f64,
    parent: u32,
    calls_end: u32,
    /// Sequential: the next call to make. Parallel: children still out.
    progress: u32,
    parallel: bool,
    outcome: Outcome,
    measured: bool,
}

impl Frame {
    fn new(route: &Route, parent: u32, start: f64, measured: bool) -> Frame {
        Frame {
            start,
            done: 0.0,
            parent,
            calls_end: route.calls.1,
            progress: if route.parallel { 0 } else { route.calls.0 },
            parallel: route.parallel,
            outcome: Outcome::Served,
            measured,
        }
    }
}

/// One call as the request tree makes it: `always`, or with probability
/// `frac` (the plan allows at most one call per request).
#[derive(Debug, Clone, Copy)]
struct Hop {
    to: u32,
    /// The callee makes no calls, so its visit needs no frame.
    to_leaf: bool,
    always: bool,
    frac: f64,
    latency_ms: f64,
}

/// What the request tree needs to know of a station.
#[derive(Debug, Clone, Copy)]
struct Route {
    /// Its calls, as a range of the flat call list.
    calls: (u32, u32),
    hit_ratio: f64,
    parallel: bool,
}

struct Sweep<M> {
    mode: M,
    frames: Slab<Frame>,
    lanes: Vec<Lane>,
    routes: Vec<Route>,
    /// Each station's arrivals not yet served.
    pending: Vec<Vec<Arrival>>,
    /// A station turn's outcomes, kept to reuse its allocation.
    outcomes: Vec<(f64, Visit)>,
    /// Room for sorting arrivals, kept likewise.
    scratch: Vec<Arrival>,
    hops: Vec<Hop>,
    measurement: MeasurementWindow,
    live_requests: u64,
    sys_area: f64,
    result: ReplicationResult,
}

impl<M: Mode> Sweep<M> {
    fn new(
        net: &Network,
        p: &ReplicationParams,
        measurement: MeasurementWindow,
        mode: M,
    ) -> Sweep<M> {
        let (specs, calls) = specs(net);
        let routes: Vec<Route> = specs
            .iter()
            .map(|spec| Route {
                calls: spec.calls,
                hit_ratio: spec.hit_ratio,
                parallel: spec.parallel,
            })
            .collect();
        let hops = calls
            .iter()
            .map(|c| Hop {
                to: c.to,
                to_leaf: routes[c.to as usize].calls.0 == routes[c.to as usize].calls.1,
                always: c.whole >= 1,
                frac: c.frac,
                latency_ms: c.latency_ms,
            })
            .collect();
        Sweep {
            frames: Slab::with_capacity(4096),
            pending: vec![Vec::new(); specs.len()],
            lanes: specs
                .into_iter()
                .enumerate()
                .map(|(s, spec)| {
                    let mut lane = Lane::new(spec, p.max_queue_len as usize);
                    if let Some(stream) = mode.service_stream(s) {
                        lane.over_time = true;
                        lane.stream = stream;
                    }
                    lane
                })
                .collect(),
            routes,
            outcomes: Vec::new(),
            scratch: Vec::new(),
            hops,
            measurement,
            live_requests: 0,
            sys_area: 0.0,
            result: ReplicationResult {
                measurement_ms: measurement.len_ms(),
                ..ReplicationResult::empty()
            },
            mode,
        }
    }

    /// A new request reaches the entry at `t`.
    #[inline(always)]
    fn external_arrival(&mut self, entry: u32, t: f64, measured: bool, max_in_flight: u64) {
        if self.live_requests >= max_in_flight || self.frames.is_full(MAX_FRAMES) {
            self.result.in_flight_drops += 1;
            // A run over time counts it as a request lost at once.
            self.mode.finished(t, t, Outcome::Dropped);
            if measured {
                self.result.measured += 1;
                self.result.dropped += 1;
            }
            return;
        }
        self.live_requests += 1;
        let route = &self.routes[entry as usize];
        let f = self.frames.insert(Frame::new(route, NONE, t, measured));
        self.pending[entry as usize].push(Arrival::new(t, Visit::frame(f)));
    }

    /// Serves, in time order, a station's arrivals before `horizon`, then
    /// moves each visit's request on.
    #[inline(always)]
    fn sweep_station(&mut self, s: usize, horizon: f64) {
        let mut arrivals = std::mem::take(&mut self.pending[s]);
        sort_arrivals(&mut arrivals, &mut self.scratch);
        let due = arrivals.partition_point(|k| k.time_ms() < horizon);
        let mut outcomes = std::mem::take(&mut self.outcomes);
        outcomes.clear();
        self.lanes[s].serve(
            &arrivals[..due],
            horizon,
            &self.measurement,
            self.mode.rng(),
            &mut outcomes,
        );
        for &(at, visit) in &outcomes {
            match visit.outcome() {
                Outcome::Served => self.served(s, visit, at),
                why => self.fail(visit, why, at),
            }
        }
        self.outcomes = outcomes;
        arrivals.drain(..due);
        // Only stations later in the order receive arrivals during this
        // station's turn, so nothing was added here meanwhile.
        debug_assert!(self.pending[s].is_empty());
        self.pending[s] = arrivals;
    }

    /// A frame's own service ended at `at`: answer from cache or make its
    /// calls.
    #[inline(always)]
    fn after_service(&mut self, s: usize, f: u32, at: f64) {
        let route = self.routes[s];
        let (first, end) = route.calls;
        let hit = route.hit_ratio;
        if first == end || (hit > 0.0 && self.mode.hit_uniform(s, at) < hit) {
            self.complete(f, at);
            return;
        }
        if !route.parallel {
            self.child_done(f, Outcome::Served, at);
            return;
        }
        // Children out, plus one for the frame's own report below, which
        // finishes it at once when no call was made.
        let mut out = 1;
        for call in first..end {
            let hop = self.hops[call as usize];
            if self.mode.call_made(&hop, call as usize, at) {
                out += 1;
                self.spawn(f, &hop, at);
            }
        }
        let frame = &mut self.frames[f];
        frame.done = at;
        frame.progress += out;
        self.child_done(f, Outcome::Served, at);
    }

    /// Sends one call at `at`: the child arrives after the network delay.
    #[inline(always)]
    fn spawn(&mut self, parent: u32, hop: &Hop, at: f64) {
        let visit = if hop.to_leaf {
            Visit::leaf(parent)
        } else {
            let route = &self.routes[hop.to as usize];
            Visit::frame(self.frames.insert(Frame::new(route, parent, 0.0, false)))
        };
        self.pending[hop.to as usize].push(Arrival::new(at + hop.latency_ms, visit));
    }

    /// A visit to station `s` ended its service at `at`.
    #[inline(always)]
    fn served(&mut self, s: usize, visit: Visit, at: f64) {
        if visit.is_leaf() {
            self.child_done(visit.frame_id(), Outcome::Served, at);
        } else {
            self.after_service(s, visit.frame_id(), at);
        }
    }

    /// A visit was dropped or timed out at `at`.
    #[inline(always)]
    fn fail(&mut self, visit: Visit, why: Outcome, at: f64) {
        if visit.is_leaf() {
            self.child_done(visit.frame_id(), why, at);
        } else {
            self.frames[visit.frame_id()].outcome = why;
            self.complete(visit.frame_id(), at);
        }
    }

    /// A frame finished at `at`: end the request or report to its parent.
    #[inline(always)]
    fn complete(&mut self, f: u32, at: f64) {
        let fr = self.frames[f];
        self.frames.remove(f);
        if fr.parent == NONE {
            self.finish_request(&fr, at);
        } else {
            self.child_done(fr.parent, fr.outcome, at);
        }
    }

    /// Frame `p` hears at `at` that a child finished (or, for a frame whose
    /// own service just ended, that it may make its calls): a sequential
    /// frame makes its next call, a parallel one counts down; a frame with
    /// nothing left to wait for finishes and reports to its own parent.
    #[inline(always)]
    fn child_done(&mut self, mut p: u32, mut outcome: Outcome, mut at: f64) {
        loop {
            let parent = &mut self.frames[p];
            if outcome != Outcome::Served && parent.outcome == Outcome::Served {
                parent.outcome = outcome;
            }
            if parent.parallel {
                // A select, not a branch: which child ends last is a coin
                // toss. Times are never NaN.
                parent.done = if at > parent.done { at } else { parent.done };
                parent.progress -= 1;
                if parent.progress > 0 {
                    return;
                }
                at = parent.done;
            } else if parent.outcome == Outcome::Served
                && let Some(hop) = self.mode.next_call(parent, &self.hops, at)
            {
                self.spawn(p, &hop, at);
                return;
            }
            let fr = *parent;
            self.frames.remove(p);
            if fr.parent == NONE {
                self.finish_request(&fr, at);
                return;
            }
            outcome = fr.outcome;
            p = fr.parent;
        }
    }

    /// A request's root frame `fr`, already freed, finished at `at`.
    #[inline(always)]
    fn finish_request(&mut self, fr: &Frame, at: f64) {
        self.live_requests -= 1;
        self.mode.finished(fr.start, at, fr.outcome);
        if !M::SUMMARY {
            return;
        }
        self.sys_area += self.measurement.clip(fr.start, at);
        #[cfg(test)]
        self.result.finished.push(super::engine::FinishedRequest {
            start_ms: fr.start,
            end_ms: at,
            outcome: fr.outcome,
        });
        let r = &mut self.result;
        r.served_in_window +=
            u64::from(fr.outcome == Outcome::Served && self.measurement.measuring(at));
        if !fr.measured {
            return;
        }
        r.measured += 1;
        r.sojourn_all.push(at - fr.start);
        match fr.outcome {
            Outcome::Served => r.latency.record(at - fr.start),
            Outcome::Dropped => r.dropped += 1,
            Outcome::TimedOut => r.timed_out += 1,
        }
    }

    fn into_result(self) -> ReplicationResult {
        let measurement_ms = self.measurement.len_ms();
        let mut r = self.result;
        r.events = self.lanes.iter().map(|l| l.events).sum();
        if measurement_ms > 0.0 {
            r.mean_in_system = self.sys_area / measurement_ms;
        }
        r.stations = self
            .lanes
            .into_iter()
            .map(|lane| lane.into_stats(measurement_ms))
            .collect();
        r
    }
}

/// Runs one replication to the end (every request finished or failed).
pub fn run_replication(
    net: &Network,
    plan: &Plan,
    p: &ReplicationParams,
    ctl: &Control,
) -> Result<ReplicationResult, SimError> {
    run_replication_with(net, plan, p, ctl, PoissonGaps::of(p))
}

/// `run_replication` with the external arrivals given by `gaps`, which
/// draws from a stream of its own.
pub(super) fn run_replication_with<G: ArrivalGaps>(
    net: &Network,
    plan: &Plan,
    p: &ReplicationParams,
    ctl: &Control,
    gaps: G,
) -> Result<ReplicationResult, SimError> {
    let arrivals_rng = SmallRng::seed_from_u64(p.seed ^ ARRIVAL_STREAM);
    // A first walk over the arrivals: where the measurement window lies.
    let (mut start_ms, mut t) = (0.0, 0.0);
    let (mut walk, mut walk_rng) = (gaps.clone(), arrivals_rng.clone());
    for i in 0..p.requests {
        t += walk.next_gap_ms(&mut walk_rng);
        if i == p.warmup {
            start_ms = t;
        }
    }
    let measurement = MeasurementWindow {
        start_ms,
        end_ms: t,
    };
    let mut sweep = Sweep::new(net, p, measurement, Steady::new(p.seed));
    let entry = net.entry().0 as u32;
    let (mut gaps, mut gaps_rng) = (gaps, arrivals_rng);
    let mut next_arrival = gaps.next_gap_ms(&mut gaps_rng);
    let mut generated: u64 = 0;
    while generated < p.requests {
        if ctl.cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled);
        }
        let round = ROUND_REQUESTS.min(p.requests - generated);
        for _ in 0..round {
            let idx = generated;
            generated += 1;
            sweep.external_arrival(entry, next_arrival, idx >= p.warmup, p.max_in_flight);
            if generated < p.requests {
                next_arrival += gaps.next_gap_ms(&mut gaps_rng);
            }
        }
        let horizon = if generated < p.requests {
            next_arrival
        } else {
            f64::INFINITY
        };
        for &s in &plan.order {
            sweep.sweep_station(s, horizon);
        }
        let total = ctl.done.fetch_add(round, Ordering::Relaxed) + round;
        if generated.is_multiple_of(PROGRESS_EVERY) || generated == p.requests {
            (ctl.progress)(total);
        }
    }
    sweep.result.arrival_rps = p.arrival_rps(sweep.result.measurement_ms);
    Ok(sweep.into_result())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::engine::FinishedRequest;
    use crate::sim::engine::tests::{call, constant, network, request_tree};

    /// The request tree of `engine::tests` on constant service times, one
    /// server per station; "api" keeps at most one request waiting, "ann"
    /// none. Times are binary fractions, so every sum below is exact.
    fn tree() -> Network {
        request_tree([
            constant("api", 0.5, 1).with_queue_limit(1),
            constant("auth", 1.0, 1),
            constant("fan-out", 0.25, 1),
            constant("ann", 2.0, 1).with_queue_limit(0),
            constant("rank", 1.0, 1),
            constant("features", 0.5, 1),
        ])
    }

    /// A sweep over `net` whose measurement window is all time, for
    /// requests put in by hand.
    fn sweep_of(net: &Network) -> Sweep<Steady> {
        let p = ReplicationParams {
            requests: 3,
            warmup: 0,
            max_queue_len: 100,
            max_in_flight: 100,
            requests_per_second: 1.0,
            seed: 1,
        };
        let measurement = MeasurementWindow {
            start_ms: 0.0,
            end_ms: f64::INFINITY,
        };
        Sweep::new(net, &p, measurement, Steady::new(p.seed))
    }

    fn pending_ms(sweep: &Sweep<Steady>, s: usize) -> Vec<f64> {
        let mut t: Vec<f64> = sweep.pending[s].iter().map(|k| k.time_ms()).collect();
        t.sort_by(f64::total_cmp);
        t
    }

    fn finished(start_ms: f64, end_ms: f64, outcome: Outcome) -> FinishedRequest {
        FinishedRequest {
            start_ms,
            end_ms,
            outcome,
        }
    }

    #[test]
    fn the_request_tree_makes_its_calls_in_order_and_finishes_at_the_slowest_child() {
        let net = tree();
        assert!(Plan::new(&net).is_some());
        let mut sweep = sweep_of(&net);
        // Three requests in one round: the third finds "api" busy with the
        // first and the second waiting, and is dropped.
        for t in [0.0, 0.25, 0.375] {
            sweep.external_arrival(0, t, true, 100);
        }
        // Station by station in index order, which is a sweep order here.
        let turn = |sweep: &mut Sweep<Steady>, s| sweep.sweep_station(s, f64::INFINITY);

        turn(&mut sweep, 0);
        // "api" serves 0–0.5 and 0.5–1; each then calls "auth" first.
        assert_eq!(pending_ms(&sweep, 1), [0.625, 1.125]);
        assert_eq!(pending_ms(&sweep, 2), [] as [f64; 0]);
        assert_eq!(
            sweep.result.finished,
            [finished(0.375, 0.375, Outcome::Dropped)]
        );

        turn(&mut sweep, 1);
        // "auth" serves 0.625–1.625 and 1.625–2.625; only when it returns
        // does "api" make its second call.
        assert_eq!(pending_ms(&sweep, 2), [1.75, 2.75]);

        turn(&mut sweep, 2);
        // "fan-out" serves 1.75–2 and 2.75–3, then calls both children at
        // once.
        assert_eq!(pending_ms(&sweep, 3), [2.25, 3.25]);
        assert_eq!(pending_ms(&sweep, 4), [2.25, 3.25]);

        turn(&mut sweep, 3);
        // "ann" serves the first 2.25–4.25 and drops the second at 3.25, but
        // "fan-out" still waits for "rank" in both requests.
        assert_eq!(sweep.result.finished.len(), 1);

        turn(&mut sweep, 4);
        // "rank" serves 2.25–3.25 and 3.25–4.25, then calls "features".
        assert_eq!(pending_ms(&sweep, 5), [3.3125, 4.3125]);
        assert_eq!(sweep.result.finished.len(), 1);

        turn(&mut sweep, 5);
        // "features" returns at 3.8125 and 4.8125. The first request ends
        // with its slowest child, "ann", at 4.25; the second with "rank" at
        // 4.8125, failed because "ann" dropped its visit.
        assert_eq!(
            sweep.result.finished,
            [
                finished(0.375, 0.375, Outcome::Dropped),
                finished(0.0, 4.25, Outcome::Served),
                finished(0.25, 4.8125, Outcome::Dropped),
            ]
        );
        assert_eq!(sweep.live_requests, 0);
        assert!((1..6).all(|s| sweep.pending[s].is_empty()));
    }

    #[test]
    fn a_failed_call_stops_a_sequential_parent_from_making_the_next() {
        // "api" asks "auth" then "fan-out"; "auth" drops the second request
        // (no queue), so that request never reaches "fan-out".
        let net = network(
            vec![
                constant("api", 0.25, 1),
                constant("auth", 1.0, 1).with_queue_limit(0),
                constant("fan-out", 0.5, 1),
            ],
            vec![call(0, 1, 0.0), call(0, 2, 0.0)],
        );
        let mut sweep = sweep_of(&net);
        sweep.external_arrival(0, 0.0, true, 100);
        sweep.external_arrival(0, 0.5, true, 100);
        for s in Plan::new(&net).expect("has an order").order().to_vec() {
            sweep.sweep_station(s, f64::INFINITY);
        }
        // First: api 0–0.25, auth 0.25–1.25, fan-out 1.25–1.75. Second: api
        // 0.5–0.75, dropped at auth at 0.75.
        assert_eq!(
            sweep.result.finished,
            [
                finished(0.5, 0.75, Outcome::Dropped),
                finished(0.0, 1.75, Outcome::Served),
            ]
        );
    }
}
