//! The fast engine: stations swept one after another over windows of
//! arrivals, with no global event list.
//!
//! A station's server is free as soon as its own service ends, so each
//! station is a FCFS queue whose waits depend only on its own arrivals.
//! When the stations can be ordered so that every station's arrivals are
//! known before it runs (a parent before its children, and a sequential
//! parent's later call after everything its earlier calls reach), a
//! replication is cut into windows of a few hundred requests. In each
//! window every station, in that order, serves the arrivals that come before
//! the next window's first request, sorted by time. Later arrivals wait for
//! the next window, which cannot hold an earlier one, so FCFS order holds
//! exactly across windows. Networks with no such order (a station reached
//! again by a later call, or a call repeated within a request) run on the
//! event-list engine in `des`.
//!
//! The measurement window (the warm-up request's arrival to the last
//! request's) is found first by drawing the arrival gaps from their own
//! stream, so every busy or waiting interval is clipped to it exactly.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp1};

use super::des::{
    CallSpec, Control, ReplicationParams, ReplicationResult, StationResult, StationSpec, specs,
};
use super::distributions::Sampler;
use super::error::SimError;
use super::network::{FanOut, Network};
use super::queue::EventQueue;
use super::slab::Slab;

const NONE: u32 = u32::MAX;
const OK: u8 = 0;
const DROPPED: u8 = 1;
const TIMED_OUT: u8 = 2;
/// Marks a visit to a station that makes no calls: it has no frame of its
/// own, and its low 32 bits name its parent's frame instead.
const LEAF: u64 = 1 << 32;

/// Requests per window: enough to amortise each station's pass, few enough
/// that a window's frames and arrivals stay in cache (256 to 2,048 measured
/// within 3% of each other).
const WINDOW: u64 = 512;
/// Requests between progress reports (a multiple of the window).
const PROGRESS_EVERY: u64 = 16 * WINDOW;
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

#[derive(Debug, Clone, Copy)]
struct Frame {
    /// Root only: when the request arrived, ms.
    start: f64,
    /// Parallel parents: when the slowest child so far finished, ms.
    done: f64,
    parent: u32,
    station: u32,
    next_call: u32,
    pending: u32,
    fail: u8,
    measured: bool,
}

/// One station's state across windows.
struct Lane {
    spec: StationSpec,
    /// Finish times of the servers still busy.
    busy: EventQueue,
    /// Unbatched: when each accepted visit still waiting leaves the queue.
    waiting: VecDeque<f64>,
    /// Batched: (arrival, frame) of each visit waiting for a pass.
    batch_queue: VecDeque<(f64, u64)>,
    /// Batched: the last time the queue changed; no pass starts before it.
    batch_clock: f64,
    /// Arrivals not yet served, as (time bits << 64 | frame).
    pending: Vec<u128>,
    /// Batched: the pass-time jitter.
    jitter: Sampler,
    /// Makes no calls, so its visits need no frame.
    leaf: bool,
    busy_area: f64,
    queue_area: f64,
    stats: StationResult,
}

impl Lane {
    /// When a server is next free, if every one is busy (after `release`).
    #[inline]
    fn all_busy_until(&self) -> Option<f64> {
        if self.busy.len() >= self.spec.servers as usize {
            self.busy.peek_time()
        } else {
            None
        }
    }

    /// A visit that arrived at `t` leaves the queue at `at`: accounts the
    /// wait within the measurement window [ws, we].
    #[inline]
    fn leave_queue(&mut self, t: f64, at: f64, ws: f64, we: f64) {
        self.queue_area += clip(t, at, ws, we);
        self.stats.final_queue_len += u64::from(t <= we && at > we);
    }

    /// Forgets servers that are free by `t`.
    #[inline]
    fn release(&mut self, t: f64) {
        while self.busy.peek_time().is_some_and(|f| f <= t) {
            self.busy.pop();
        }
    }
}

/// Sorts arrivals, which mostly come nearly sorted (a parent's departures
/// are its arrivals reordered only by service-time differences): insertion
/// sort while that stays cheap, the standard sort when it would not.
fn sort_nearly_sorted(v: &mut [u128]) {
    let mut budget = 8 * v.len();
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        // Times alone decide; equal times keep their order of arrival.
        while j > 0 && v[j - 1] >> 64 > x >> 64 {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        budget = match budget.checked_sub(i - j) {
            Some(left) => left,
            None => {
                v.sort_unstable();
                return;
            }
        };
    }
}

/// The part of [a, b] inside [lo, hi]. Times are never NaN, so plain
/// comparisons do (they compile to single min and max instructions).
#[inline]
fn clip(a: f64, b: f64, lo: f64, hi: f64) -> f64 {
    let from = if a > lo { a } else { lo };
    let to = if b < hi { b } else { hi };
    if to > from { to - from } else { 0.0 }
}

#[inline]
fn key(t: f64, visit: u64) -> u128 {
    (u128::from(t.to_bits()) << 64) | u128::from(visit)
}

#[inline]
fn key_time(k: u128) -> f64 {
    f64::from_bits((k >> 64) as u64)
}

struct Sweep {
    rng: SmallRng,
    frames: Slab<Frame>,
    lanes: Vec<Lane>,
    calls: Vec<CallSpec>,
    /// The measurement window, ms.
    ws: f64,
    we: f64,
    queue_cap: usize,
    live_requests: u64,
    sys_area: f64,
    events: u64,
    result: ReplicationResult,
}

impl Sweep {
    fn new(net: &Network, p: &ReplicationParams, ws: f64, we: f64) -> Sweep {
        let (specs, calls) = specs(net);
        let lanes = specs
            .into_iter()
            .map(|spec| Lane {
                spec,
                busy: EventQueue::with_capacity(16),
                waiting: VecDeque::new(),
                batch_queue: VecDeque::new(),
                batch_clock: 0.0,
                pending: Vec::new(),
                jitter: Sampler::lognormal(1.0, spec.batch.map_or(0.0, |b| b.jitter_sigma)),
                leaf: spec.calls.0 == spec.calls.1,
                busy_area: 0.0,
                queue_area: 0.0,
                stats: StationResult::default(),
            })
            .collect();
        Sweep {
            rng: SmallRng::seed_from_u64(p.seed),
            frames: Slab::with_capacity(4096),
            lanes,
            calls,
            ws,
            we,
            queue_cap: p.max_queue_len as usize,
            live_requests: 0,
            sys_area: 0.0,
            events: 0,
            result: ReplicationResult {
                window_ms: we - ws,
                ..ReplicationResult::empty()
            },
        }
    }

    /// The part of [a, b] inside the measurement window.
    #[inline]
    fn clip(&self, a: f64, b: f64) -> f64 {
        clip(a, b, self.ws, self.we)
    }

    #[inline]
    fn measuring(&self, t: f64) -> bool {
        t >= self.ws && t <= self.we
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
        let f = self.frames.insert(Frame {
            start: t,
            done: 0.0,
            parent: NONE,
            station: entry,
            next_call: 0,
            pending: 0,
            fail: OK,
            measured,
        });
        self.lanes[entry as usize]
            .pending
            .push(key(t, u64::from(f)));
    }

    /// Serves, in time order, a station's arrivals before `horizon`.
    fn sweep_station(&mut self, s: usize, horizon: f64) {
        let mut arrivals = std::mem::take(&mut self.lanes[s].pending);
        sort_nearly_sorted(&mut arrivals);
        let due = arrivals.partition_point(|&k| key_time(k) < horizon);
        if self.lanes[s].spec.batch.is_some() {
            self.serve_batched(s, &arrivals[..due], horizon);
        } else {
            for &k in &arrivals[..due] {
                self.serve(s, key_time(k), k as u64);
            }
        }
        arrivals.drain(..due);
        // Only stations later in the order receive arrivals during this
        // station's pass, so nothing was added here meanwhile.
        debug_assert!(self.lanes[s].pending.is_empty());
        self.lanes[s].pending = arrivals;
    }

    /// One unbatched visit arriving at `t`.
    #[inline]
    fn serve(&mut self, s: usize, t: f64, visit: u64) {
        self.events += 1;
        let measuring = self.measuring(t);
        let (ws, we) = (self.ws, self.we);
        let cap = self.queue_cap;
        let lane = &mut self.lanes[s];
        if measuring {
            lane.stats.arrivals += 1;
        }
        while lane.waiting.front().is_some_and(|&leave| leave <= t) {
            lane.waiting.pop_front();
        }
        lane.release(t);
        let start = lane.all_busy_until().unwrap_or(t);
        if start > t {
            let len = lane.waiting.len();
            let over_limit = len >= lane.spec.limit as usize;
            if over_limit || len >= cap {
                if measuring {
                    lane.stats.count_drop(over_limit);
                }
                self.fail(visit, DROPPED, t);
                return;
            }
            lane.waiting.push_back(start);
            lane.stats.max_queue_len = lane.stats.max_queue_len.max(len as u64 + 1);
            lane.leave_queue(t, start, ws, we);
            if start - t > lane.spec.timeout_ms {
                // It waits its turn, then leaves without a server.
                if measuring {
                    lane.stats.timeouts += 1;
                }
                self.fail(visit, TIMED_OUT, start);
                return;
            }
            lane.busy.pop();
        }
        let end = start + lane.spec.sampler.sample(&mut self.rng);
        lane.busy.push(end, 0);
        lane.busy_area += clip(start, end, ws, we);
        if measuring {
            lane.stats.wait_ms.push(start - t);
            lane.stats.waited += u64::from(start > t);
        }
        self.events += 1;
        self.served(visit, end);
    }

    /// A batching station's window: arrivals join the queue in time order,
    /// passes start when a server is free and the batch is full or its
    /// oldest request has waited long enough.
    fn serve_batched(&mut self, s: usize, arrivals: &[u128], horizon: f64) {
        let mut next = 0;
        loop {
            let upcoming = &arrivals[next..];
            let pass_at = self.next_pass(s, upcoming);
            match (upcoming.first(), pass_at) {
                (Some(&k), at) if at.is_none_or(|at| key_time(k) <= at) => {
                    self.join_batch_queue(s, key_time(k), k as u64);
                    next += 1;
                }
                (_, Some(at)) if at < horizon => self.start_pass(s, at),
                _ => break,
            }
        }
    }

    /// When the next pass would start given the arrivals known so far.
    fn next_pass(&self, s: usize, upcoming: &[u128]) -> Option<f64> {
        let lane = &self.lanes[s];
        let b = lane.spec.batch?;
        let &(oldest, _) = lane.batch_queue.front()?;
        let free_at = lane.all_busy_until().unwrap_or(f64::NEG_INFINITY);
        let max = b.max_batch as usize;
        let len = lane.batch_queue.len();
        let full_at = if len >= max {
            lane.batch_queue[max - 1].0
        } else {
            upcoming
                .get(max - len - 1)
                .map_or(f64::INFINITY, |&k| key_time(k))
        };
        let ready_at = full_at.min(oldest + b.max_wait_ms);
        Some(free_at.max(ready_at).max(lane.batch_clock))
    }

    fn join_batch_queue(&mut self, s: usize, t: f64, visit: u64) {
        self.events += 1;
        let measuring = self.measuring(t);
        let cap = self.queue_cap;
        let lane = &mut self.lanes[s];
        if measuring {
            lane.stats.arrivals += 1;
        }
        lane.release(t);
        lane.batch_clock = t;
        let len = lane.batch_queue.len();
        // Requests count against the limit only once every server is busy;
        // before that they are forming a batch.
        let over_limit = len >= lane.spec.limit as usize && lane.all_busy_until().is_some();
        if over_limit || len >= cap {
            if measuring {
                lane.stats.count_drop(over_limit);
            }
            self.fail(visit, DROPPED, t);
            return;
        }
        lane.batch_queue.push_back((t, visit));
        lane.stats.max_queue_len = lane.stats.max_queue_len.max(len as u64 + 1);
    }

    /// Starts a pass at `at`, after timing out requests that waited too long.
    fn start_pass(&mut self, s: usize, at: f64) {
        let lane = &mut self.lanes[s];
        let Some(b) = lane.spec.batch else { return };
        lane.release(at);
        lane.batch_clock = at;
        if let Some(&(t, g)) = lane.batch_queue.front()
            && at - t > lane.spec.timeout_ms
        {
            lane.batch_queue.pop_front();
            if self.measuring(t) {
                self.lanes[s].stats.timeouts += 1;
            }
            self.lanes[s].leave_queue(t, at, self.ws, self.we);
            self.fail(g, TIMED_OUT, at);
            return;
        }
        let n = lane.batch_queue.len().min(b.max_batch as usize);
        let jitter = lane.jitter.sample(&mut self.rng);
        let end = at + (b.overhead_ms + n as f64 * b.work_ms_per_request) * jitter;
        let busy = self.clip(at, end);
        let measuring = self.measuring(at);
        let lane = &mut self.lanes[s];
        lane.busy.push(end, 0);
        lane.busy_area += busy;
        if measuring {
            lane.stats.batch_size.push(n as f64);
        }
        for _ in 0..n {
            let Some((t, g)) = self.lanes[s].batch_queue.pop_front() else {
                break;
            };
            if self.measuring(t) {
                let stats = &mut self.lanes[s].stats;
                stats.wait_ms.push(at - t);
                stats.waited += u64::from(at > t);
            }
            self.lanes[s].leave_queue(t, at, self.ws, self.we);
            self.events += 1;
            self.served(g, end);
        }
    }

    /// A frame's own service ended at `at`: answer from cache or make its
    /// calls.
    fn after_service(&mut self, f: u32, at: f64) {
        let lane = &self.lanes[self.frames[f].station as usize];
        let (first, end) = lane.spec.calls;
        let (hit, parallel) = (lane.spec.hit_ratio, lane.spec.parallel);
        if first == end || (hit > 0.0 && self.rng.random::<f64>() < hit) {
            self.complete(f, at);
            return;
        }
        if parallel {
            // One extra pending count guards the frame while children that
            // fail at once report back.
            self.frames[f].pending = 1;
            self.frames[f].done = at;
            for call in first..end {
                if self.call_made(call) {
                    self.frames[f].pending += 1;
                    self.spawn(f, call, at);
                }
            }
            let frame = &mut self.frames[f];
            frame.pending -= 1;
            if frame.pending == 0 {
                let done = frame.done;
                self.complete(f, done);
            }
        } else {
            self.frames[f].next_call = first;
            if !self.call_next(f, at) {
                self.complete(f, at);
            }
        }
    }

    #[inline]
    fn call_made(&mut self, call: u32) -> bool {
        // The plan allows at most one call per request: whole is 0 or 1.
        let c = self.calls[call as usize];
        c.whole >= 1 || (c.frac > 0.0 && self.rng.random::<f64>() < c.frac)
    }

    /// Makes a sequential frame's next call at `at`; false when none is left.
    fn call_next(&mut self, f: u32, at: f64) -> bool {
        let s = self.frames[f].station as usize;
        let end = self.lanes[s].spec.calls.1;
        loop {
            let call = self.frames[f].next_call;
            if call >= end {
                return false;
            }
            self.frames[f].next_call += 1;
            if self.call_made(call) {
                self.spawn(f, call, at);
                return true;
            }
        }
    }

    /// Sends one call at `at`: the child arrives after the network delay.
    #[inline]
    fn spawn(&mut self, parent: u32, call: u32, at: f64) {
        let c = self.calls[call as usize];
        let visit = if self.lanes[c.to as usize].leaf {
            LEAF | u64::from(parent)
        } else {
            u64::from(self.frames.insert(Frame {
                start: 0.0,
                done: 0.0,
                parent,
                station: c.to,
                next_call: 0,
                pending: 0,
                fail: OK,
                measured: false,
            }))
        };
        self.lanes[c.to as usize]
            .pending
            .push(key(at + c.latency_ms, visit));
    }

    /// A visit's service ended at `at`.
    #[inline]
    fn served(&mut self, visit: u64, at: f64) {
        if visit & LEAF != 0 {
            self.child_done(visit as u32, OK, at);
        } else {
            self.after_service(visit as u32, at);
        }
    }

    /// A visit was dropped or timed out at `at`.
    fn fail(&mut self, visit: u64, why: u8, at: f64) {
        if visit & LEAF != 0 {
            self.child_done(visit as u32, why, at);
        } else {
            self.frames[visit as u32].fail = why;
            self.complete(visit as u32, at);
        }
    }

    /// A frame finished at `at`: end the request or report to its parent.
    fn complete(&mut self, f: u32, at: f64) {
        let fr = self.frames[f];
        if fr.parent == NONE {
            self.finish_request(f, at);
        } else {
            self.frames.remove(f);
            self.child_done(fr.parent, fr.fail, at);
        }
    }

    /// A child of frame `p` finished at `at`, walking up while parents
    /// finish too.
    fn child_done(&mut self, mut p: u32, mut fail: u8, mut at: f64) {
        loop {
            let parallel = self.lanes[self.frames[p].station as usize].spec.parallel;
            let parent = &mut self.frames[p];
            if fail != OK && parent.fail == OK {
                parent.fail = fail;
            }
            if parallel {
                if at > parent.done {
                    parent.done = at;
                }
                parent.pending -= 1;
                if parent.pending > 0 {
                    return;
                }
                at = parent.done;
            } else if parent.fail == OK && self.call_next(p, at) {
                return;
            }
            let fr = self.frames[p];
            if fr.parent == NONE {
                self.finish_request(p, at);
                return;
            }
            self.frames.remove(p);
            fail = fr.fail;
            p = fr.parent;
        }
    }

    fn finish_request(&mut self, f: u32, at: f64) {
        let fr = self.frames[f];
        self.frames.remove(f);
        self.live_requests -= 1;
        self.sys_area += self.clip(fr.start, at);
        if !fr.measured {
            return;
        }
        let r = &mut self.result;
        r.measured += 1;
        r.sojourn_all.push(at - fr.start);
        match fr.fail {
            OK => r.latency.record(at - fr.start),
            DROPPED => r.dropped += 1,
            _ => r.timed_out += 1,
        }
    }

    fn into_result(self) -> ReplicationResult {
        let window = self.we - self.ws;
        let mut r = self.result;
        r.events = self.events;
        if window > 0.0 {
            r.mean_in_system = self.sys_area / window;
        }
        r.stations = self
            .lanes
            .into_iter()
            .map(|lane| {
                let mut stats = lane.stats;
                if window > 0.0 {
                    stats.busy_fraction = lane.busy_area / (f64::from(lane.spec.servers) * window);
                    stats.mean_queue_len = lane.queue_area / window;
                }
                stats
            })
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
    let mean_gap_ms = 1000.0 / p.requests_per_second;
    let arrivals_rng = SmallRng::seed_from_u64(p.seed ^ ARRIVAL_STREAM);
    // First pass over the arrival stream: where the measurement window lies.
    let (mut ws, mut t) = (0.0, 0.0);
    let mut gaps = arrivals_rng.clone();
    for i in 0..p.requests {
        let gap: f64 = Exp1.sample(&mut gaps);
        t += gap * mean_gap_ms;
        if i == p.warmup {
            ws = t;
        }
    }
    let mut sweep = Sweep::new(net, p, ws, t);
    let entry = net.entry().0 as u32;
    let mut gaps = arrivals_rng;
    let first_gap: f64 = Exp1.sample(&mut gaps);
    let mut next_arrival = first_gap * mean_gap_ms;
    let mut generated: u64 = 0;
    while generated < p.requests {
        if ctl.cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled);
        }
        let batch = WINDOW.min(p.requests - generated);
        for _ in 0..batch {
            let idx = generated;
            generated += 1;
            sweep.external_arrival(entry, next_arrival, idx >= p.warmup, p.max_in_flight);
            if generated < p.requests {
                let gap: f64 = Exp1.sample(&mut gaps);
                next_arrival += gap * mean_gap_ms;
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
        let total = ctl.done.fetch_add(batch, Ordering::Relaxed) + batch;
        if generated.is_multiple_of(PROGRESS_EVERY) || generated == p.requests {
            (ctl.progress)(total);
        }
    }
    if sweep.result.window_ms > 0.0 {
        sweep.result.arrival_rps =
            (p.requests - p.warmup - 1) as f64 / sweep.result.window_ms * 1000.0;
    }
    Ok(sweep.into_result())
}
