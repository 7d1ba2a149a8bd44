//! One station's queue in the sweep. Its arrivals go in, in time order; each
//! visit's outcome (served, dropped or timed out, and when) comes out. A lane
//! knows nothing of the requests its visits belong to, so its loop touches
//! only its own state and the random stream.

use std::collections::VecDeque;

use rand::rngs::SmallRng;

use super::super::distributions::{Sampler, exponential, lognormal_pair};
use super::super::engine::{MeasurementWindow, Outcome, StationResult, StationSpec};
use super::keyed::Keyed;
use super::visit::{Arrival, Visit};

/// In a run over time, the extra key of a station's service draws (keyed
/// by the visit's arrival) and of its batches' jitter (by their start).
const SERVICE_DRAW: u64 = 0;
const JITTER_DRAW: u64 = 1;

/// The stream of the service time of a visit arriving at `t`.
#[inline(always)]
fn service_key(stream: u64, t: f64) -> Keyed {
    Keyed::new(stream, t, SERVICE_DRAW)
}

/// One station's state across rounds.
pub(super) struct Lane {
    pub spec: StationSpec,
    /// The run's cap on any queue's length.
    queue_cap: usize,
    busy: Busy,
    /// Unbatched: when each accepted visit still waiting leaves the queue.
    waiting: VecDeque<f64>,
    /// Batched: (arrival, visit) of each visit waiting for a batch.
    batch_queue: VecDeque<(f64, Visit)>,
    /// Batched: the last time the queue changed; no batch starts before it.
    batch_clock: f64,
    /// Batched: the jitter of a batch's service time.
    jitter: Sampler,
    busy_area: f64,
    queue_area: f64,
    /// Arrivals plus departures.
    pub events: u64,
    stats: StationResult,
    /// A run over time: unbatched visits then wait in `batch_queue` and
    /// start only once their start is known to come before the horizon,
    /// so a change of servers at a horizon reaches the visits still
    /// waiting. The areas then cover all time, whole services and waits
    /// counted as they start (see `areas_before`).
    pub over_time: bool,
    /// In a run over time, the key of this station's service draws: each
    /// is keyed by the visit's arrival (or the batch's start).
    pub stream: u64,
    /// A turn's service draws, one per arrival, kept to reuse the space.
    draws: Vec<f64>,
}

impl Lane {
    pub fn new(spec: StationSpec, queue_cap: usize) -> Lane {
        Lane {
            spec,
            queue_cap,
            busy: Busy::default(),
            waiting: VecDeque::new(),
            batch_queue: VecDeque::new(),
            batch_clock: 0.0,
            jitter: Sampler::lognormal(1.0, spec.batch.map_or(0.0, |b| b.jitter_sigma)),
            busy_area: 0.0,
            queue_area: 0.0,
            events: 0,
            stats: StationResult::default(),
            over_time: false,
            stream: 0,
            draws: Vec::new(),
        }
    }

    /// The busy and queue areas before `now`, with every visit before it
    /// swept (so every service and wait counted so far began before it):
    /// the services still running at `now` give back the part after it,
    /// and the visits still waiting add their wait so far.
    pub fn areas_before(&self, now: f64) -> (f64, f64) {
        let after: f64 = self
            .busy
            .times
            .iter()
            .map(|&end| (end - now).max(0.0))
            .sum();
        let waiting: f64 = self.batch_queue.iter().map(|&(t, _)| now - t).sum();
        (self.busy_area - after, self.queue_area + waiting)
    }

    /// This lane's state at `now` as numbers (see `OverTime::fingerprint`):
    /// its servers, the services running past `now`, and the visits still
    /// waiting, each written by `visit`.
    pub fn fingerprint(
        &self,
        now: f64,
        print: &mut Vec<u64>,
        mut visit: impl FnMut(Visit, &mut Vec<u64>),
    ) {
        print.push(u64::from(self.spec.servers));
        // Finish times at or before `now` no longer hold a server, and
        // the pool's order does not change which one frees first.
        let mut ends: Vec<u64> = self
            .busy
            .times
            .iter()
            .filter(|&&end| end > now)
            .map(|end| end.to_bits())
            .collect();
        ends.sort_unstable();
        print.push(ends.len() as u64);
        print.extend(ends);
        print.push(self.batch_queue.len() as u64);
        if !self.batch_queue.is_empty() {
            print.push(self.batch_clock.to_bits());
        }
        for &(t, v) in &self.batch_queue {
            print.push(t.to_bits());
            visit(v, print);
        }
    }

    /// Visits that arrived so far.
    pub fn arrivals(&self) -> u64 {
        self.stats.arrivals
    }

    /// Serves `arrivals` (sorted keys, all before `horizon`) and appends each
    /// visit's outcome to `out` as (time, visit with outcome).
    ///
    /// Never inlined: it runs once per station turn, and inlined into the
    /// round loop its registers were spilt (1.3% more instructions in the
    /// tandem benchmark).
    #[inline(never)]
    pub fn serve(
        &mut self,
        arrivals: &[Arrival],
        horizon: f64,
        w: &MeasurementWindow,
        rng: &mut SmallRng,
        out: &mut Vec<(f64, Visit)>,
    ) {
        if self.spec.batch.is_some() {
            self.serve_batched(arrivals, horizon, w, rng, out);
            return;
        }
        if self.over_time {
            self.serve_deferred(arrivals, horizon, out);
            return;
        }
        // One loop per distribution, so the choice is not made per visit.
        match self.spec.sampler {
            Sampler::Constant(v) => self.serve_each(arrivals, w, rng, out, |_| v),
            Sampler::Exponential(mean) => {
                self.serve_each(arrivals, w, rng, out, |r| exponential(r, mean))
            }
            Sampler::LogNormal { mu, sigma } => {
                // Drawn in pairs, so each pair's exponentials share vector
                // instructions; a turn's last unused draw is dropped.
                let mut spare = None;
                self.serve_each(arrivals, w, rng, out, |r| match spare.take() {
                    Some(v) => v,
                    None => {
                        let [a, b] = lognormal_pair(r, mu, sigma);
                        spare = Some(b);
                        a
                    }
                })
            }
        }
    }

    /// The statistics, with the time averages over a measurement window of
    /// `measurement_ms`.
    pub fn into_stats(self, measurement_ms: f64) -> StationResult {
        let mut stats = self.stats;
        if measurement_ms > 0.0 {
            stats.busy_fraction = self.busy_area / (f64::from(self.spec.servers) * measurement_ms);
            stats.mean_queue_len = self.queue_area / measurement_ms;
        }
        stats
    }

    /// When a server is next free, if all of them are busy at `t`.
    #[inline]
    fn all_busy_until(&mut self, t: f64) -> Option<f64> {
        self.busy.all_busy_until(t, self.spec.servers as usize)
    }

    /// A visit that arrived at `t` leaves the queue at `at`: accounts the
    /// wait within the measurement window.
    #[inline]
    fn leave_queue(&mut self, t: f64, at: f64, w: &MeasurementWindow) {
        self.queue_area += w.clip(t, at);
        self.stats.final_queue_len += u64::from(t <= w.end_ms && at > w.end_ms);
    }

    /// Unbatched: a FCFS queue in front of `servers` servers.
    #[inline(always)]
    fn serve_each(
        &mut self,
        arrivals: &[Arrival],
        w: &MeasurementWindow,
        rng: &mut SmallRng,
        out: &mut Vec<(f64, Visit)>,
        mut draw: impl FnMut(&mut SmallRng) -> f64,
    ) {
        out.reserve(arrivals.len());
        // The counters the common path updates live in locals, so they stay
        // in registers through the loop.
        let servers = self.spec.servers as usize;
        let (mut served, mut arrived, mut waited) = (0u64, 0u64, 0u64);
        let mut wait = self.stats.wait_ms;
        let mut busy_area = 0.0;
        for &k in arrivals {
            let (t, visit) = k.split();
            let measuring = w.measuring(t);
            arrived += u64::from(measuring);
            while self.waiting.front().is_some_and(|&leave| leave <= t) {
                self.waiting.pop_front();
            }
            let mut start = t;
            if let Some(free_at) = self.busy.all_busy_until(t, servers) {
                start = free_at;
                let len = self.waiting.len();
                let over_limit = len >= self.spec.limit as usize;
                if over_limit || len >= self.queue_cap {
                    if measuring {
                        self.stats.count_drop(over_limit);
                    }
                    out.push((t, visit.with_outcome(Outcome::Dropped)));
                    continue;
                }
                self.waiting.push_back(start);
                self.stats.max_queue_len = self.stats.max_queue_len.max(len as u64 + 1);
                self.leave_queue(t, start, w);
                if start - t > self.spec.timeout_ms {
                    // It waits its turn, then leaves without a server.
                    self.stats.timeouts += u64::from(measuring);
                    out.push((start, visit.with_outcome(Outcome::TimedOut)));
                    continue;
                }
            }
            let end = start + draw(rng);
            if start > t {
                // The server that frees at `start` takes it.
                self.busy.restart_first(end);
            } else {
                self.busy.start(end);
            }
            busy_area += w.clip(start, end);
            if measuring {
                wait.push(start - t);
                waited += u64::from(start > t);
            }
            served += 1;
            out.push((end, visit));
        }
        self.events += arrivals.len() as u64 + served;
        self.stats.arrivals += arrived;
        self.stats.waited += waited;
        self.stats.wait_ms = wait;
        self.busy_area += busy_area;
    }

    /// In a run over time, unbatched: each arrival waits in the queue (or
    /// is dropped when every server is busy and the queue is full); a
    /// waiting visit starts only when its start is known to come before
    /// the horizon, so the servers it finds are the ones of that moment.
    /// Kept out of line: the steady-state loops in `serve` stay as tight as
    /// they are without it.
    #[inline(never)]
    fn serve_deferred(&mut self, arrivals: &[Arrival], horizon: f64, out: &mut Vec<(f64, Visit)>) {
        let servers = self.spec.servers as usize;
        // Each arrival's service time, drawn ahead: keyed by the arrival,
        // the draws are known before the queue is, and drawn together they
        // overlap instead of each waiting on the last. (A visit that has to
        // wait draws the same value again when it starts.)
        let mut draws = std::mem::take(&mut self.draws);
        draws.clear();
        let stream = self.stream;
        let streams = arrivals.iter().map(|k| service_key(stream, k.time_ms()));
        self.spec.sampler.sample_each(streams, &mut draws);
        for (&k, &service_ms) in arrivals.iter().zip(&draws) {
            let (t, visit) = k.split();
            self.start_waiting(t, true, out);
            self.events += 1;
            self.stats.arrivals += 1;
            let len = self.batch_queue.len();
            // Most visits find no queue and a free server: they start at
            // once, as the queue would start them, without joining it. (A
            // visit that arrives before the last start waits for it.)
            if len == 0
                && self.queue_cap > 0
                && self.batch_clock <= t
                && self.busy.all_busy_until(t, servers).is_none()
            {
                // Counted as a queue of one for no time, as when it joins.
                self.stats.max_queue_len = self.stats.max_queue_len.max(1);
                self.start_service(t, t, visit, service_ms, out);
                continue;
            }
            let full =
                len >= self.spec.limit as usize && self.busy.all_busy_until(t, servers).is_some();
            if full || len >= self.queue_cap {
                self.stats.count_drop(full);
                out.push((t, visit.with_outcome(Outcome::Dropped)));
                continue;
            }
            self.batch_queue.push_back((t, visit));
            self.stats.max_queue_len = self.stats.max_queue_len.max(len as u64 + 1);
            self.start_waiting(t, true, out);
        }
        self.start_waiting(horizon, false, out);
        self.draws = draws;
    }

    /// A visit arriving at `t`'s service time, as `serve_deferred` draws it.
    fn service_draw(&self, t: f64) -> f64 {
        self.spec.sampler.sample(&mut service_key(self.stream, t))
    }

    /// Starts, first come first served, the waiting visits whose start
    /// comes before `until` (or at it, when `inclusive`).
    fn start_waiting(&mut self, until: f64, inclusive: bool, out: &mut Vec<(f64, Visit)>) {
        let servers = self.spec.servers as usize;
        while let Some(&(t, visit)) = self.batch_queue.front() {
            // No earlier than its arrival or the visit ahead of it; then
            // the first moment fewer than `servers` are busy (after a cut
            // in servers, more than one may have to finish).
            let mut at = if t > self.batch_clock {
                t
            } else {
                self.batch_clock
            };
            // Finish times are only consumed up to `until`: a visit left
            // waiting must not free the servers later arrivals will meet.
            while let Some(free) = self.busy.all_busy_until(at, servers) {
                if free > until || (free == until && !inclusive) {
                    return;
                }
                at = free;
            }
            self.batch_queue.pop_front();
            self.queue_area += at - t;
            let service_ms = self.service_draw(t);
            self.start_service(t, at, visit, service_ms, out);
        }
    }

    /// A visit that arrived at `t` leaves the queue at `at` for a free
    /// server and a service of `service_ms`, or times out if it waited too
    /// long.
    #[inline(always)]
    fn start_service(
        &mut self,
        t: f64,
        at: f64,
        visit: Visit,
        service_ms: f64,
        out: &mut Vec<(f64, Visit)>,
    ) {
        self.batch_clock = at;
        if at - t > self.spec.timeout_ms {
            self.stats.timeouts += 1;
            out.push((at, visit.with_outcome(Outcome::TimedOut)));
            return;
        }
        let end = at + service_ms;
        self.busy.start(end);
        self.busy_area += end - at;
        self.stats.wait_ms.push(at - t);
        self.stats.waited += u64::from(at > t);
        self.events += 1;
        out.push((end, visit));
    }

    /// Batched: arrivals join the queue in time order; a batch starts when a
    /// server is free and the batch is full or its oldest request has waited
    /// long enough. Batches due at or after `horizon` wait for the next
    /// round.
    fn serve_batched(
        &mut self,
        arrivals: &[Arrival],
        horizon: f64,
        w: &MeasurementWindow,
        rng: &mut SmallRng,
        out: &mut Vec<(f64, Visit)>,
    ) {
        let mut next = 0;
        'batch: loop {
            let Some(at) = self.next_batch_start(&arrivals[next..]) else {
                // An empty queue: the next arrival starts a batch.
                let Some(&k) = arrivals.get(next) else { break };
                self.join_batch_queue(k.split(), w, out);
                next += 1;
                continue;
            };
            // Arrivals at or before the batch's start join it without moving
            // it: the oldest request stays, the batch fills towards the same
            // arrival, and no service starts between batches, so the servers'
            // earliest free time is what it was (and the start is not before
            // it). A drop shifts which arrival fills the batch, so the start
            // is found again after one.
            while let Some(&k) = arrivals.get(next)
                && k.time_ms() <= at
            {
                next += 1;
                if !self.join_batch_queue(k.split(), w, out) {
                    continue 'batch;
                }
            }
            if at >= horizon {
                break;
            }
            self.start_batch(at, w, rng, out);
        }
    }

    /// When the next batch would start given the arrivals known so far.
    fn next_batch_start(&mut self, upcoming: &[Arrival]) -> Option<f64> {
        let b = self.spec.batch?;
        let &(oldest, _) = self.batch_queue.front()?;
        let mut free_at = self
            .all_busy_until(self.batch_clock)
            .unwrap_or(f64::NEG_INFINITY);
        // In a run over time the servers may have been cut, and then more
        // than one service must end before a server is free.
        if self.over_time && free_at > self.batch_clock {
            free_at = self
                .busy
                .free_from(self.batch_clock, self.spec.servers as usize);
        }
        let max = b.max_batch as usize;
        let len = self.batch_queue.len();
        let full_at = if len >= max {
            self.batch_queue[max - 1].0
        } else {
            upcoming
                .get(max - len - 1)
                .map_or(f64::INFINITY, |k| k.time_ms())
        };
        let ready_at = full_at.min(oldest + b.max_wait_ms);
        Some(free_at.max(ready_at).max(self.batch_clock))
    }

    /// Adds an arrival to the batch queue; false when it is dropped.
    fn join_batch_queue(
        &mut self,
        (t, visit): (f64, Visit),
        w: &MeasurementWindow,
        out: &mut Vec<(f64, Visit)>,
    ) -> bool {
        self.events += 1;
        let measuring = w.measuring(t);
        self.stats.arrivals += u64::from(measuring);
        self.batch_clock = t;
        let len = self.batch_queue.len();
        // Requests count against the limit only once every server is busy;
        // before that they are forming a batch.
        let over_limit = len >= self.spec.limit as usize && self.all_busy_until(t).is_some();
        if over_limit || len >= self.queue_cap {
            if measuring {
                self.stats.count_drop(over_limit);
            }
            out.push((t, visit.with_outcome(Outcome::Dropped)));
            return false;
        }
        self.batch_queue.push_back((t, visit));
        self.stats.max_queue_len = self.stats.max_queue_len.max(len as u64 + 1);
        true
    }

    /// A run over time's jitter for the batch starting at `at`, out of line
    /// so the steady-state path keeps its draw inlined.
    #[inline(never)]
    fn keyed_jitter(&self, at: f64) -> f64 {
        self.jitter
            .sample(&mut Keyed::new(self.stream, at, JITTER_DRAW))
    }

    /// Starts a batch at `at`, after timing out requests that waited too
    /// long.
    fn start_batch(
        &mut self,
        at: f64,
        w: &MeasurementWindow,
        rng: &mut SmallRng,
        out: &mut Vec<(f64, Visit)>,
    ) {
        let Some(b) = self.spec.batch else { return };
        self.batch_clock = at;
        if let Some(&(t, visit)) = self.batch_queue.front()
            && at - t > self.spec.timeout_ms
        {
            self.batch_queue.pop_front();
            self.stats.timeouts += u64::from(w.measuring(t));
            self.leave_queue(t, at, w);
            out.push((at, visit.with_outcome(Outcome::TimedOut)));
            return;
        }
        let n = self.batch_queue.len().min(b.max_batch as usize);
        let jitter = if self.over_time {
            self.keyed_jitter(at)
        } else {
            self.jitter.sample(rng)
        };
        let end = at + (b.overhead_ms + n as f64 * b.work_ms_per_request) * jitter;
        self.busy.start(end);
        self.busy_area += w.clip(at, end);
        if w.measuring(at) {
            self.stats.batch_size.push(n as f64);
        }
        for _ in 0..n {
            let Some((t, visit)) = self.batch_queue.pop_front() else {
                break;
            };
            if w.measuring(t) {
                self.stats.wait_ms.push(at - t);
                self.stats.waited += u64::from(at > t);
            }
            self.leave_queue(t, at, w);
            self.events += 1;
            out.push((end, visit));
        }
    }
}

/// Finish times of the busy servers. While some server is free they are
/// kept unsorted, and the finished ones are forgotten only when the list
/// fills up, all at once and without branches: whether one server finished
/// before the next arrival is a coin toss a branch predictor loses. While
/// every server is busy they form a binary min-heap.
#[derive(Debug, Default)]
struct Busy {
    times: Vec<f64>,
    heap: bool,
}

impl Busy {
    /// The earliest finish after `t` when all `servers` are busy at `t`.
    #[inline(always)]
    fn all_busy_until(&mut self, t: f64, servers: usize) -> Option<f64> {
        if self.times.len() < servers {
            None
        } else {
            self.all_busy_until_full(t, servers)
        }
    }

    /// `all_busy_until` once the list holds an entry per server.
    fn all_busy_until_full(&mut self, t: f64, servers: usize) -> Option<f64> {
        // No server at all (a run over time lost every replica): none frees.
        if servers == 0 {
            return Some(f64::INFINITY);
        }
        if self.heap {
            while self.times.first().is_some_and(|&f| f <= t) {
                self.pop();
            }
        } else {
            self.forget_finished(t);
            if self.times.len() >= servers {
                self.heapify();
            }
        }
        if self.times.len() >= servers {
            Some(self.times[0])
        } else {
            self.heap = false;
            None
        }
    }

    /// When fewer than `servers` are busy, from `t` on, without consuming
    /// the finish times (a cut in servers can need several to end first).
    fn free_from(&self, t: f64, servers: usize) -> f64 {
        let mut ends: Vec<f64> = self.times.iter().copied().filter(|&f| f > t).collect();
        if ends.len() < servers {
            return t;
        }
        if servers == 0 {
            return f64::INFINITY;
        }
        ends.sort_by(f64::total_cmp);
        ends[ends.len() - servers]
    }

    /// A free server starts a service that ends at `end`.
    #[inline]
    fn start(&mut self, end: f64) {
        self.times.push(end);
        if self.heap {
            self.sift_up(self.times.len() - 1);
        }
    }

    /// The server that frees first starts again, to end at `end` (after
    /// `all_busy_until` found every server busy).
    #[inline]
    fn restart_first(&mut self, end: f64) {
        debug_assert!(self.heap);
        self.sift_down(0, end);
    }

    /// Drops the finish times at or before `t`.
    fn forget_finished(&mut self, t: f64) {
        let mut kept = 0;
        for i in 0..self.times.len() {
            let f = self.times[i];
            self.times[kept] = f;
            kept += usize::from(f > t);
        }
        self.times.truncate(kept);
    }

    fn heapify(&mut self) {
        for i in (0..self.times.len() / 2).rev() {
            self.sift_down(i, self.times[i]);
        }
        self.heap = true;
    }

    fn pop(&mut self) {
        if let Some(last) = self.times.pop()
            && !self.times.is_empty()
        {
            self.sift_down(0, last);
        }
    }

    fn sift_up(&mut self, mut i: usize) {
        let x = self.times[i];
        while i > 0 {
            let parent = (i - 1) / 2;
            if self.times[parent] <= x {
                break;
            }
            self.times[i] = self.times[parent];
            i = parent;
        }
        self.times[i] = x;
    }

    /// Puts `x` at `i` and moves it down to where it belongs.
    fn sift_down(&mut self, mut i: usize, x: f64) {
        let v = &mut self.times;
        let n = v.len();
        loop {
            let left = 2 * i + 1;
            if left >= n {
                break;
            }
            let right = left + 1;
            let child = if right < n && v[right] < v[left] {
                right
            } else {
                left
            };
            if v[child] >= x {
                break;
            }
            v[i] = v[child];
            i = child;
        }
        v[i] = x;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    /// A run over time's totals at a moment with one service still
    /// running, one visit still waiting and one wait already over, each
    /// against the areas worked out by hand.
    #[test]
    fn areas_before_a_change_are_exact() {
        let spec = StationSpec {
            servers: 1,
            limit: u32::MAX,
            timeout_ms: f64::INFINITY,
            sampler: Sampler::Constant(10.0),
            batch: None,
            hit_ratio: 0.0,
            parallel: false,
            calls: (0, 0),
        };
        let mut lane = Lane::new(spec, 100);
        lane.over_time = true;
        let all_time = MeasurementWindow {
            start_ms: 0.0,
            end_ms: f64::INFINITY,
        };
        let arrivals: Vec<Arrival> = [0.0, 5.0, 8.0]
            .iter()
            .map(|&t| Arrival::new(t, Visit::leaf(0)))
            .collect();
        let mut rng = SmallRng::seed_from_u64(1);
        let mut out = Vec::new();
        // Served 0–10 and 10–20; the third would start at 20, after the
        // change at 15, so it is still waiting then.
        lane.serve(&arrivals, 15.0, &all_time, &mut rng, &mut out);
        let ends: Vec<f64> = out.iter().map(|&(end, _)| end).collect();
        assert_eq!(ends, [10.0, 20.0]);
        let (busy, queue) = lane.areas_before(15.0);
        assert!((busy - 15.0).abs() < 1e-12, "busy {busy}");
        // The second waited 5–10; the third has waited 8–15 so far.
        assert!((queue - 12.0).abs() < 1e-12, "queue {queue}");
        // After the change the third starts at 20, having waited 12 ms.
        lane.serve(&[], 40.0, &all_time, &mut rng, &mut out);
        let (busy, queue) = lane.areas_before(40.0);
        assert!((busy - 30.0).abs() < 1e-12, "busy {busy}");
        assert!((queue - 17.0).abs() < 1e-12, "queue {queue}");
    }

    /// The pool against a plain list of every server's finish time, through
    /// light and saturated load alike.
    #[test]
    fn busy_pool_matches_a_plain_list_of_servers() {
        let mut rng = SmallRng::seed_from_u64(3);
        for servers in [1usize, 2, 5, 16, 64] {
            let mut pool = Busy::default();
            let mut plain = vec![0.0f64; servers];
            let mut t = 0.0;
            for i in 0..20_000 {
                // Load swings between light and overloaded every 2,000 arrivals.
                let mean_service = if (i / 2_000) % 2 == 0 { 0.3 } else { 3.0 };
                t += rng.random::<f64>() * 2.0 / servers as f64;
                let service = rng.random::<f64>() * 2.0 * mean_service;
                let (first, at) = plain
                    .iter()
                    .copied()
                    .enumerate()
                    .min_by(|a, b| a.1.total_cmp(&b.1))
                    .expect("servers");
                let want = (at > t).then_some(at);
                assert_eq!(pool.all_busy_until(t, servers), want, "c={servers} i={i}");
                let start = want.unwrap_or(t);
                plain[first] = start + service;
                match want {
                    Some(_) => pool.restart_first(start + service),
                    None => pool.start(start + service),
                }
            }
        }
    }
}
