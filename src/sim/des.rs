//! The discrete-event run of one replication.
//!
//! A request is a tree of frames: one frame per visit to a station. A frame
//! queues, is served (alone or in a batch), then makes its calls
//! (sequentially or in parallel) and completes when they have. The station's
//! server is free again as soon as its own service ends.
//!
//! Memory does not grow with the run's length: frames and batches live in
//! slabs reused through free lists, events in one 4-ary heap, statistics in
//! running means and a fixed-size histogram.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use super::distributions::Sampler;
use super::engine::event_heap::EventHeap;
use super::engine::key::{EventKey, Payload};
use super::engine::slab::Slab;
pub(super) use super::engine::target::{StationTotals, Target};
use super::engine::{
    ArrivalGaps, CallSpec, Control, MeasurementWindow, Outcome, PoissonGaps, ReplicationParams,
    ReplicationResult, StationResult, StationSpec, specs,
};
use super::error::SimError;
use super::network::Network;

const NONE: u32 = u32::MAX;

/// What happens at an event's time. Events at the same time are handled in
/// the order listed here, as the sweep sees them: a service that ends at `t`
/// frees its server for an arrival at `t`, and arrivals at `t` join a batch
/// that starts at `t`.
///
/// Every id is 32 bits (a station index too), and each kind's packed number
/// is its place in this list, so an unpacked event is one small value and
/// the dispatch on it compiles to a single jump table (a wider station
/// index, or numbers in another order, cost 1–2% more instructions in the
/// event-list engine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Event {
    /// A frame's single (unbatched) service ends.
    Done(u32),
    /// The next request arrives from outside.
    External,
    /// A frame reaches its station after the network delay.
    Arrive(u32),
    /// A batch's service ends.
    BatchDone(u32),
    /// A station's batch wait may have run out.
    Timer(u32),
    /// A run over time changes something (see [`Hooks`]).
    Change,
}

impl Event {
    /// The kind sits in the top three bits of the payload, the id in the
    /// low 32.
    const KIND_SHIFT: u32 = 61;
}

impl Payload for Event {
    #[inline]
    fn to_bits(self) -> u64 {
        let (kind, id): (u64, u64) = match self {
            Event::Done(f) => (0, u64::from(f)),
            Event::External => (1, 0),
            Event::Arrive(f) => (2, u64::from(f)),
            Event::BatchDone(b) => (3, u64::from(b)),
            Event::Timer(s) => (4, u64::from(s)),
            Event::Change => (5, 0),
        };
        (kind << Self::KIND_SHIFT) | id
    }

    #[inline]
    fn from_bits(bits: u64) -> Event {
        let id = bits as u32;
        match bits >> Self::KIND_SHIFT {
            0 => Event::Done(id),
            1 => Event::External,
            2 => Event::Arrive(id),
            3 => Event::BatchDone(id),
            4 => Event::Timer(id),
            _ => Event::Change,
        }
    }
}

/// Arrivals between checks of the cancel flag and progress reports.
const CHECK_EVERY: u64 = 8192;
/// Most frames alive at once (about 200 MB); new requests beyond it are
/// dropped.
const MAX_FRAMES: usize = 4_000_000;

#[derive(Debug, Clone, Copy)]
struct Frame {
    /// When it joined its station's queue, ms.
    t: f64,
    /// Root only: when the request arrived, ms.
    start: f64,
    parent: u32,
    station: u32,
    call: u32,
    reps_left: u32,
    next_call: u32,
    pending: u32,
    outcome: Outcome,
    measured: bool,
}

struct StationRt {
    spec: StationSpec,
    busy: u32,
    queue: VecDeque<u32>,
    timer_at: f64,
    last_t: f64,
    busy_area: f64,
    queue_area: f64,
    areas_at_measurement_start: (f64, f64),
    stats: StationResult,
}

impl StationRt {
    #[inline]
    fn advance_clock(&mut self, now: f64) {
        let dt = now - self.last_t;
        self.busy_area += f64::from(self.busy) * dt;
        self.queue_area += self.queue.len() as f64 * dt;
        self.last_t = now;
    }
}

/// One replication in progress; a run over time changes it through
/// [`Hooks`].
pub(super) struct Engine {
    now: f64,
    rng: SmallRng,
    heap: EventHeap<Event>,
    frames: Slab<Frame>,
    batches: Vec<Vec<u32>>,
    batch_station: Vec<u32>,
    free_batches: Vec<u32>,
    stations: Vec<StationRt>,
    calls: Vec<CallSpec>,
    timed_out: Vec<u32>,
    /// Unbounded on the right until the last request arrives; empty before
    /// the warm-up request does.
    measurement: MeasurementWindow,
    /// While the window is open: arrivals now are measured. Kept apart from
    /// `measurement` so that an arrival tests one flag (events come in time
    /// order, so an arrival's time is now).
    window_open: bool,
    queue_cap: usize,
    sys_area_start: f64,
    in_system: u64,
    sys_last: f64,
    sys_area: f64,
    events: u64,
    result: ReplicationResult,
    /// Requests as they finish (start, end, outcome), kept only for hooks
    /// that read them.
    trace: Option<Vec<(f64, f64, Outcome)>>,
}

impl Engine {
    fn new(net: &Network, p: &ReplicationParams) -> Engine {
        let (specs, calls) = specs(net);
        let stations = specs
            .into_iter()
            .map(|spec| StationRt {
                spec,
                busy: 0,
                queue: VecDeque::new(),
                timer_at: f64::NAN,
                last_t: 0.0,
                busy_area: 0.0,
                queue_area: 0.0,
                areas_at_measurement_start: (0.0, 0.0),
                stats: StationResult::default(),
            })
            .collect();
        Engine {
            now: 0.0,
            rng: SmallRng::seed_from_u64(p.seed),
            heap: EventHeap::with_capacity(1024),
            frames: Slab::with_capacity(1024),
            batches: Vec::new(),
            batch_station: Vec::new(),
            free_batches: Vec::new(),
            stations,
            calls,
            timed_out: Vec::new(),
            measurement: MeasurementWindow {
                start_ms: f64::INFINITY,
                end_ms: f64::INFINITY,
            },
            window_open: false,
            queue_cap: p.max_queue_len as usize,
            sys_area_start: 0.0,
            in_system: 0,
            sys_last: 0.0,
            sys_area: 0.0,
            events: 0,
            result: ReplicationResult::empty(),
            trace: None,
        }
    }

    /// Always inlined, as `spawn` is: the event's kind is known at each
    /// call, so its packing folds into a constant. When the compiler kept
    /// the two as calls, the event-list engine ran 6–8% more instructions.
    #[inline(always)]
    fn push(&mut self, time_ms: f64, event: Event) {
        self.heap.push(EventKey::new(time_ms, event));
    }

    fn system_clock(&mut self) {
        self.sys_area += self.in_system as f64 * (self.now - self.sys_last);
        self.sys_last = self.now;
    }

    /// A new request reaches the entry.
    #[inline(always)]
    fn external_arrival(&mut self, entry: u32, measured: bool, max_in_flight: u64) {
        if self.in_system >= max_in_flight || self.frames.is_full(MAX_FRAMES) {
            self.result.in_flight_drops += 1;
            // A run over time counts it as a request lost at once.
            if let Some(trace) = &mut self.trace {
                trace.push((self.now, self.now, Outcome::Dropped));
            }
            if measured {
                self.result.measured += 1;
                self.result.dropped += 1;
            }
            return;
        }
        self.system_clock();
        self.in_system += 1;
        let f = self.frames.insert(Frame {
            t: self.now,
            start: self.now,
            parent: NONE,
            station: entry,
            call: NONE,
            reps_left: 0,
            next_call: 0,
            pending: 0,
            outcome: Outcome::Served,
            measured,
        });
        self.arrive(f);
    }

    /// A frame reaches its station.
    fn arrive(&mut self, f: u32) {
        let now = self.now;
        let s = self.frames[f].station as usize;
        self.frames[f].t = now;
        self.events += 1;
        let measuring = self.window_open;
        let cap = self.queue_cap;
        let st = &mut self.stations[s];
        if measuring {
            st.stats.arrivals += 1;
        }
        if st.spec.batch.is_none() && st.busy < st.spec.servers && st.queue.is_empty() {
            self.start_service(s, f);
            return;
        }
        let len = st.queue.len();
        // A batching station's requests count against the limit only once
        // every server is busy; before that they are forming a batch.
        let over_limit = len >= st.spec.limit as usize
            && (st.spec.batch.is_none() || st.busy >= st.spec.servers);
        if over_limit || len >= cap {
            if measuring {
                st.stats.count_drop(over_limit);
            }
            self.fail(f, Outcome::Dropped);
            return;
        }
        st.advance_clock(now);
        st.queue.push_back(f);
        st.stats.max_queue_len = st.stats.max_queue_len.max(len as u64 + 1);
        if st.spec.batch.is_some() {
            self.try_batch(s);
        }
    }

    fn start_service(&mut self, s: usize, f: u32) {
        let now = self.now;
        let t = self.frames[f].t;
        let wait = now - t;
        let st = &mut self.stations[s];
        if self.measurement.measuring(t) {
            st.stats.wait_ms.push(wait);
            st.stats.waited += u64::from(wait > 0.0);
        }
        st.advance_clock(now);
        st.busy += 1;
        let d = st.spec.sampler.sample(&mut self.rng);
        self.push(now + d, Event::Done(f));
    }

    /// A single (unbatched) service ends.
    fn service_done(&mut self, f: u32) {
        let now = self.now;
        let s = self.frames[f].station as usize;
        self.events += 1;
        let st = &mut self.stations[s];
        st.advance_clock(now);
        st.busy -= 1;
        while self.stations[s].busy < self.stations[s].spec.servers {
            let st = &mut self.stations[s];
            let Some(g) = st.queue.pop_front() else { break };
            let t = self.frames[g].t;
            if now - t > st.spec.timeout_ms {
                st.stats.timeouts += u64::from(self.measurement.measuring(t));
                self.timed_out.push(g);
                continue;
            }
            self.start_service(s, g);
        }
        self.after_service(f);
        self.flush_timeouts();
    }

    fn flush_timeouts(&mut self) {
        while let Some(g) = self.timed_out.pop() {
            self.fail(g, Outcome::TimedOut);
        }
    }

    /// Starts batches while a server is free and a batch is due.
    fn try_batch(&mut self, s: usize) {
        let now = self.now;
        loop {
            let st = &mut self.stations[s];
            let Some(b) = st.spec.batch else { return };
            if st.busy >= st.spec.servers {
                break;
            }
            while let Some(&g) = st.queue.front() {
                if now - self.frames[g].t > st.spec.timeout_ms {
                    st.advance_clock(now);
                    st.queue.pop_front();
                    let t = self.frames[g].t;
                    st.stats.timeouts += u64::from(self.measurement.measuring(t));
                    self.timed_out.push(g);
                } else {
                    break;
                }
            }
            let Some(&front) = st.queue.front() else {
                break;
            };
            let due = self.frames[front].t + b.max_wait_ms;
            if st.queue.len() < b.max_batch as usize && now < due {
                if st.timer_at != due {
                    st.timer_at = due;
                    self.push(due, Event::Timer(s as u32));
                }
                break;
            }
            let n = st.queue.len().min(b.max_batch as usize);
            st.advance_clock(now);
            st.busy += 1;
            let id = match self.free_batches.pop() {
                Some(id) => id,
                None => {
                    self.batches.push(Vec::new());
                    self.batch_station.push(0);
                    (self.batches.len() - 1) as u32
                }
            };
            let members = &mut self.batches[id as usize];
            members.extend(st.queue.drain(..n));
            self.batch_station[id as usize] = s as u32;
            if self.window_open {
                st.stats.batch_size.push(n as f64);
            }
            for &g in members.iter() {
                let t = self.frames[g].t;
                if self.measurement.measuring(t) {
                    st.stats.wait_ms.push(now - t);
                    st.stats.waited += u64::from(now > t);
                }
            }
            let jitter = Sampler::lognormal(1.0, b.jitter_sigma).sample(&mut self.rng);
            let d = (b.overhead_ms + n as f64 * b.work_ms_per_request) * jitter;
            self.push(now + d, Event::BatchDone(id));
        }
        self.flush_timeouts();
    }

    fn batch_done(&mut self, id: u32) {
        let s = self.batch_station[id as usize] as usize;
        let now = self.now;
        let st = &mut self.stations[s];
        st.advance_clock(now);
        st.busy -= 1;
        let mut members = std::mem::take(&mut self.batches[id as usize]);
        self.events += members.len() as u64;
        self.try_batch(s);
        for &g in &members {
            self.after_service(g);
        }
        members.clear();
        self.batches[id as usize] = members;
        self.free_batches.push(id);
    }

    fn timer(&mut self, s: usize) {
        if self.stations[s].timer_at == self.now {
            self.stations[s].timer_at = f64::NAN;
        }
        self.try_batch(s);
    }

    #[inline]
    fn sample_reps(&mut self, call: u32) -> u32 {
        let c = self.calls[call as usize];
        if c.frac > 0.0 && self.rng.random::<f64>() < c.frac {
            c.whole + 1
        } else {
            c.whole
        }
    }

    /// Sends one call: the child arrives after the network delay. Always
    /// inlined (see `push`).
    #[inline(always)]
    fn spawn(&mut self, parent: u32, call: u32, reps_left: u32) {
        let c = self.calls[call as usize];
        let f = self.frames.insert(Frame {
            t: self.now,
            start: 0.0,
            parent,
            station: c.to,
            call,
            reps_left,
            next_call: 0,
            pending: 0,
            outcome: Outcome::Served,
            measured: false,
        });
        if c.latency_ms > 0.0 {
            self.push(self.now + c.latency_ms, Event::Arrive(f));
        } else {
            self.arrive(f);
        }
    }

    /// A frame's own service is over: answer from cache or make its calls.
    fn after_service(&mut self, f: u32) {
        let s = self.frames[f].station as usize;
        let (first, end) = self.stations[s].spec.calls;
        let hit = self.stations[s].spec.hit_ratio;
        if first == end || (hit > 0.0 && self.rng.random::<f64>() < hit) {
            self.complete(f);
            return;
        }
        if self.stations[s].spec.parallel {
            // One extra pending count guards the frame while children that
            // fail at once report back.
            self.frames[f].pending = 1;
            for call in first..end {
                let reps = self.sample_reps(call);
                if reps > 0 {
                    self.frames[f].pending += 1;
                    self.spawn(f, call, reps - 1);
                }
            }
            self.frames[f].pending -= 1;
            if self.frames[f].pending == 0 {
                self.complete(f);
            }
        } else {
            self.frames[f].next_call = first;
            if self.advance_sequential(f) {
                self.complete(f);
            }
        }
    }

    /// Starts the next sequential call; true when there is none left.
    fn advance_sequential(&mut self, f: u32) -> bool {
        let s = self.frames[f].station as usize;
        let end = self.stations[s].spec.calls.1;
        loop {
            let call = self.frames[f].next_call;
            if call >= end {
                return true;
            }
            self.frames[f].next_call += 1;
            let reps = self.sample_reps(call);
            if reps > 0 {
                self.spawn(f, call, reps - 1);
                return false;
            }
        }
    }

    fn fail(&mut self, f: u32, why: Outcome) {
        self.frames[f].outcome = why;
        self.complete(f);
    }

    /// A frame is finished: report to its parent, walking up while parents
    /// finish too.
    fn complete(&mut self, mut cur: u32) {
        loop {
            let fr = self.frames[cur];
            if fr.parent == NONE {
                self.finish_request(cur);
                return;
            }
            self.frames.remove(cur);
            let p = fr.parent;
            let parallel = self.stations[self.frames[p].station as usize].spec.parallel;
            if fr.outcome != Outcome::Served && self.frames[p].outcome == Outcome::Served {
                self.frames[p].outcome = fr.outcome;
            }
            let parent_failed = self.frames[p].outcome != Outcome::Served;
            if !parent_failed && fr.reps_left > 0 {
                self.spawn(p, fr.call, fr.reps_left - 1);
                return;
            }
            if parallel {
                let pending = &mut self.frames[p].pending;
                *pending -= 1;
                if *pending > 0 {
                    return;
                }
            } else if !parent_failed && !self.advance_sequential(p) {
                return;
            }
            cur = p;
        }
    }

    fn finish_request(&mut self, f: u32) {
        let fr = self.frames[f];
        self.frames.remove(f);
        self.system_clock();
        self.in_system -= 1;
        if let Some(trace) = &mut self.trace {
            trace.push((fr.start, self.now, fr.outcome));
        }
        #[cfg(test)]
        self.result.finished.push(super::engine::FinishedRequest {
            start_ms: fr.start,
            end_ms: self.now,
            outcome: fr.outcome,
        });
        let r = &mut self.result;
        r.served_in_window +=
            u64::from(fr.outcome == Outcome::Served && self.measurement.measuring(self.now));
        if !fr.measured {
            return;
        }
        r.measured += 1;
        r.sojourn_all.push(self.now - fr.start);
        match fr.outcome {
            Outcome::Served => r.latency.record(self.now - fr.start),
            Outcome::Dropped => r.dropped += 1,
            Outcome::TimedOut => r.timed_out += 1,
        }
    }

    /// Marks the start or end of the measurement window.
    fn measurement_edge(&mut self, start: bool) {
        let now = self.now;
        self.system_clock();
        for st in &mut self.stations {
            st.advance_clock(now);
            if start {
                st.areas_at_measurement_start = (st.busy_area, st.queue_area);
            }
        }
        if start {
            self.measurement.start_ms = now;
            self.window_open = true;
            self.sys_area_start = self.sys_area;
        } else {
            self.measurement.end_ms = now;
            self.window_open = false;
            let measurement_ms = self.measurement.len_ms();
            self.result.measurement_ms = measurement_ms;
            let area = self.sys_area - self.sys_area_start;
            self.result.mean_in_system = if measurement_ms > 0.0 {
                area / measurement_ms
            } else {
                0.0
            };
            for st in &mut self.stations {
                let (busy0, queue0) = st.areas_at_measurement_start;
                if measurement_ms > 0.0 {
                    st.stats.busy_fraction =
                        (st.busy_area - busy0) / (f64::from(st.spec.servers) * measurement_ms);
                    st.stats.mean_queue_len = (st.queue_area - queue0) / measurement_ms;
                }
                st.stats.final_queue_len = st.queue.len() as u64;
            }
        }
    }
}

impl Target for Engine {
    fn now_ms(&self) -> f64 {
        self.now
    }

    fn set_servers(&mut self, s: usize, servers: u32) {
        let now = self.now;
        let st = &mut self.stations[s];
        st.advance_clock(now);
        st.spec.servers = servers;
        if st.spec.batch.is_some() {
            self.try_batch(s);
            return;
        }
        while self.stations[s].busy < self.stations[s].spec.servers {
            let Some(g) = self.stations[s].queue.pop_front() else {
                break;
            };
            self.start_service(s, g);
        }
    }

    fn set_sampler(&mut self, s: usize, sampler: Sampler) {
        self.stations[s].spec.sampler = sampler;
    }

    fn set_hit_ratio(&mut self, s: usize, hit_ratio: f64) {
        self.stations[s].spec.hit_ratio = hit_ratio;
    }

    fn station_totals(&mut self, s: usize) -> StationTotals {
        let now = self.now;
        let st = &mut self.stations[s];
        st.advance_clock(now);
        StationTotals {
            busy_area: st.busy_area,
            queue_area: st.queue_area,
            servers: st.spec.servers,
            arrivals: st.stats.arrivals,
        }
    }
}

/// What a run over time does to a replication as it goes: changes at set
/// times, and a look at each external arrival and each finished request.
/// The steady-state run uses `()`, which does nothing.
pub(super) trait Hooks {
    /// Whether [`Hooks::finished`] is wanted (tracing costs a push per
    /// request).
    const TRACES: bool;
    /// When the next change is due, ms; infinity when none is.
    fn next_change_ms(&self) -> f64;
    /// Makes the changes due now.
    fn change<T: Target>(&mut self, target: &mut T);
    /// A request arrived from outside at `now_ms`.
    fn arrived(&mut self, now_ms: f64);
    /// A request that arrived at `start_ms` ended at `end_ms`.
    fn finished(&mut self, start_ms: f64, end_ms: f64, outcome: Outcome);
}

impl Hooks for () {
    const TRACES: bool = false;
    #[inline]
    fn next_change_ms(&self) -> f64 {
        f64::INFINITY
    }
    fn change<T: Target>(&mut self, _: &mut T) {}
    #[inline]
    fn arrived(&mut self, _: f64) {}
    fn finished(&mut self, _: f64, _: f64, _: Outcome) {}
}

/// Runs one replication to the end (every request finished or failed).
pub fn run_replication(
    net: &Network,
    p: &ReplicationParams,
    ctl: &Control,
) -> Result<ReplicationResult, SimError> {
    run_replication_with(net, p, ctl, PoissonGaps::of(p), &mut ())
}

/// `run_replication` with the external arrivals given by `gaps`, which
/// draws from the engine's own stream and ends the arrivals with an infinite
/// gap, and with `hooks` changing the replication as it goes.
pub(super) fn run_replication_with<H: Hooks>(
    net: &Network,
    p: &ReplicationParams,
    ctl: &Control,
    mut gaps: impl ArrivalGaps,
    hooks: &mut H,
) -> Result<ReplicationResult, SimError> {
    let mut e = Engine::new(net, p);
    if H::TRACES {
        e.trace = Some(Vec::new());
    }
    let entry = net.entry().0 as u32;
    let mut generated: u64 = 0;
    let first = gaps.next_gap_ms(&mut e.rng);
    if first.is_finite() {
        e.push(first, Event::External);
    }
    let first_change = hooks.next_change_ms();
    if first_change.is_finite() {
        e.push(first_change, Event::Change);
    }
    let mut steps: u64 = 0;
    while let Some(key) = e.heap.pop() {
        let (now, event) = key.split();
        e.now = now;
        steps += 1;
        // Draining an overloaded replication makes no arrivals, so the
        // cancel flag is also checked by event count.
        if steps.is_multiple_of(1 << 16) && ctl.cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled);
        }
        match event {
            Event::External => {
                let idx = generated;
                generated += 1;
                if idx == p.warmup {
                    e.measurement_edge(true);
                }
                let mut last = idx + 1 == p.requests;
                if !last {
                    let gap = gaps.next_gap_ms(&mut e.rng);
                    if gap.is_finite() {
                        e.push(e.now + gap, Event::External);
                    } else {
                        last = true;
                    }
                }
                hooks.arrived(e.now);
                e.external_arrival(entry, idx >= p.warmup, p.max_in_flight);
                // After the last request's arrival, which the window holds:
                // it may be waiting in the final queue.
                if last {
                    e.measurement_edge(false);
                    e.result.arrival_rps = p.arrival_rps(e.result.measurement_ms);
                }
                if generated.is_multiple_of(CHECK_EVERY) {
                    if ctl.cancel.load(Ordering::Relaxed) {
                        return Err(SimError::Cancelled);
                    }
                    let total = ctl.done.fetch_add(CHECK_EVERY, Ordering::Relaxed) + CHECK_EVERY;
                    (ctl.progress)(total);
                }
            }
            Event::Arrive(f) => e.arrive(f),
            Event::Done(f) => e.service_done(f),
            Event::BatchDone(b) => e.batch_done(b),
            Event::Timer(s) => e.timer(s as usize),
            Event::Change => {
                hooks.change(&mut e);
                let next = hooks.next_change_ms();
                if next.is_finite() {
                    e.push(next.max(e.now), Event::Change);
                }
            }
        }
        if H::TRACES
            && let Some(trace) = &mut e.trace
        {
            for (start, end, outcome) in trace.drain(..) {
                hooks.finished(start, end, outcome);
            }
        }
    }
    let rest = generated % CHECK_EVERY;
    ctl.done.fetch_add(rest, Ordering::Relaxed);
    let mut result = e.result;
    result.events = e.events;
    result.stations = e.stations.into_iter().map(|s| s.stats).collect();
    Ok(result)
}
