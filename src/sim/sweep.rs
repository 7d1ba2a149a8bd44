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

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use super::engine::slab::Slab;
use super::engine::{
    ArrivalGaps, Control, MeasurementWindow, Outcome, PoissonGaps, ReplicationParams,
    ReplicationResult, specs,
};
use super::error::SimError;
use super::network::{FanOut, Network};

mod lane;
mod sort;
mod visit;

use lane::Lane;
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
/// Networks larger than this run on the event-list engine (the order is
/// found with bit sets of this many stations squared).
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
        let words = n.div_ceil(64);
        let set = |bits: &mut [u64], i: usize| bits[i / 64] |= 1 << (i % 64);
        let has = |bits: &[u64], i: usize| bits[i / 64] & (1 << (i % 64)) != 0;
        // reach[s]: s and every station below it.
        let mut reach = vec![vec![0u64; words]; n];
        for &s in net.topological_order().iter().rev() {
            let mut bits = vec![0u64; words];
            set(&mut bits, s);
            for c in net.calls_from(s) {
                for (b, r) in bits.iter_mut().zip(&reach[c.to.0]) {
                    *b |= r;
                }
            }
            reach[s] = bits;
        }
        // before[s]: stations that must be swept before s.
        let mut before = vec![vec![0u64; words]; n];
        for (p, station) in net.stations().iter().enumerate() {
            let mut earlier = vec![0u64; words];
            for c in net.calls_from(p) {
                let child = c.to.0;
                set(&mut before[child], p);
                if station.fan_out == FanOut::Sequential {
                    if has(&earlier, child) {
                        return None;
                    }
                    for (b, e) in before[child].iter_mut().zip(&earlier) {
                        *b |= e;
                    }
                    for (e, r) in earlier.iter_mut().zip(&reach[child]) {
                        *e |= r;
                    }
                }
            }
        }
        // Kahn's algorithm, preferring the network's topological order.
        let mut placed = vec![0u64; words];
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = net.topological_order().iter().copied().find(|&s| {
                !has(&placed, s) && before[s].iter().zip(&placed).all(|(b, p)| b & !p == 0)
            })?;
            set(&mut placed, next);
            order.push(next);
        }
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

/// Whether a call is made this time.
#[inline]
fn call_made(hop: &Hop, rng: &mut SmallRng) -> bool {
    hop.always || (hop.frac > 0.0 && rng.random::<f64>() < hop.frac)
}

/// A sequential frame's next call that is made, moving past it; None when
/// no call is left.
#[inline]
fn next_call(frame: &mut Frame, hops: &[Hop], rng: &mut SmallRng) -> Option<Hop> {
    let calls = hops.get(frame.progress as usize..frame.calls_end as usize)?;
    for hop in calls {
        frame.progress += 1;
        if call_made(hop, rng) {
            return Some(*hop);
        }
    }
    None
}

struct Sweep {
    rng: SmallRng,
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

impl Sweep {
    fn new(net: &Network, p: &ReplicationParams, measurement: MeasurementWindow) -> Sweep {
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
            rng: SmallRng::seed_from_u64(p.seed),
            frames: Slab::with_capacity(4096),
            pending: vec![Vec::new(); specs.len()],
            lanes: specs
                .into_iter()
                .map(|spec| Lane::new(spec, p.max_queue_len as usize))
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
        }
    }

    /// A new request reaches the entry at `t`.
    fn external_arrival(&mut self, entry: u32, t: f64, measured: bool, max_in_flight: u64) {
        if self.live_requests >= max_in_flight || self.frames.is_full(MAX_FRAMES) {
            self.result.in_flight_drops += 1;
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
            &mut self.rng,
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
    fn after_service(&mut self, s: usize, f: u32, at: f64) {
        let route = self.routes[s];
        let (first, end) = route.calls;
        let hit = route.hit_ratio;
        if first == end || (hit > 0.0 && self.rng.random::<f64>() < hit) {
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
            if call_made(&hop, &mut self.rng) {
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
    #[inline]
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
    #[inline]
    fn served(&mut self, s: usize, visit: Visit, at: f64) {
        if visit.is_leaf() {
            self.child_done(visit.frame_id(), Outcome::Served, at);
        } else {
            self.after_service(s, visit.frame_id(), at);
        }
    }

    /// A visit was dropped or timed out at `at`.
    fn fail(&mut self, visit: Visit, why: Outcome, at: f64) {
        if visit.is_leaf() {
            self.child_done(visit.frame_id(), why, at);
        } else {
            self.frames[visit.frame_id()].outcome = why;
            self.complete(visit.frame_id(), at);
        }
    }

    /// A frame finished at `at`: end the request or report to its parent.
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
                && let Some(hop) = next_call(parent, &self.hops, &mut self.rng)
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
    fn finish_request(&mut self, fr: &Frame, at: f64) {
        self.live_requests -= 1;
        self.sys_area += self.measurement.clip(fr.start, at);
        #[cfg(test)]
        self.result.finished.push(super::engine::FinishedRequest {
            start_ms: fr.start,
            end_ms: at,
            outcome: fr.outcome,
        });
        if !fr.measured {
            return;
        }
        let r = &mut self.result;
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
    let mut sweep = Sweep::new(net, p, measurement);
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
