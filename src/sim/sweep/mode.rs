//! How a sweep runs: a steady-state replication, whose random choices come
//! from one seeded stream, or a run over time, whose choices are keyed by
//! what they are about (see `keyed`) and whose finished requests are kept
//! for the windows. A type parameter rather than a flag, so the steady
//! state's loops carry nothing of runs over time.

use rand::rngs::SmallRng;
use rand::{RngExt, SeedableRng};

use super::keyed::{self, Keyed};
use super::{Frame, Hop};
use crate::sim::engine::Outcome;

/// Kinds of keyed choice, telling their streams apart.
const HIT_CHOICE: u64 = 1;
const CALL_CHOICE: u64 = 2;
/// The service stream's kind, which lanes key their draws with.
const SERVICE_CHOICE: u64 = 3;

pub(super) trait Mode {
    /// Whether finished requests go into the replication's summary (the
    /// latency histogram and the means over the measurement window); a run
    /// over time has its windows instead.
    const SUMMARY: bool;

    /// The replication's own stream, for the draws lanes make in order.
    fn rng(&mut self) -> &mut SmallRng;

    /// The key of station `s`'s service draws when lanes key them (a run
    /// over time); None when they draw from `rng` in order.
    fn service_stream(&self, s: usize) -> Option<u64>;

    /// A uniform draw for whether station `s`'s cache answers at `at_ms`.
    fn hit_uniform(&mut self, s: usize, at_ms: f64) -> f64;

    /// A uniform draw for whether call `call` is made at `at_ms`.
    fn call_uniform(&mut self, call: usize, at_ms: f64) -> f64;

    /// A request that started at `start` finished at `end`.
    fn finished(&mut self, start: f64, end: f64, outcome: Outcome);

    /// Whether call `call` (as `hop`) is made this time, at `at_ms`.
    #[inline(always)]
    fn call_made(&mut self, hop: &Hop, call: usize, at_ms: f64) -> bool {
        hop.always || (hop.frac > 0.0 && self.call_uniform(call, at_ms) < hop.frac)
    }

    /// A sequential frame's next call that is made at `at_ms`, moving past
    /// it; None when no call is left.
    #[inline(always)]
    fn next_call(&mut self, frame: &mut Frame, hops: &[Hop], at_ms: f64) -> Option<Hop> {
        let calls = hops.get(frame.progress as usize..frame.calls_end as usize)?;
        for hop in calls {
            let call = frame.progress as usize;
            frame.progress += 1;
            if self.call_made(hop, call, at_ms) {
                return Some(*hop);
            }
        }
        None
    }
}

/// A steady-state replication: every choice is the next draw of one stream.
pub(super) struct Steady {
    rng: SmallRng,
}

impl Steady {
    pub fn new(seed: u64) -> Steady {
        Steady {
            rng: SmallRng::seed_from_u64(seed),
        }
    }
}

impl Mode for Steady {
    const SUMMARY: bool = true;

    #[inline(always)]
    fn rng(&mut self) -> &mut SmallRng {
        &mut self.rng
    }

    fn service_stream(&self, _s: usize) -> Option<u64> {
        None
    }

    #[inline(always)]
    fn hit_uniform(&mut self, _s: usize, _at_ms: f64) -> f64 {
        self.rng.random::<f64>()
    }

    #[inline(always)]
    fn call_uniform(&mut self, _call: usize, _at_ms: f64) -> f64 {
        self.rng.random::<f64>()
    }

    #[inline(always)]
    fn finished(&mut self, _start: f64, _end: f64, _outcome: Outcome) {}
}

/// A run over time: each choice is keyed by its station or call and its
/// moment, and finished requests wait in `trace` for the windows.
pub(super) struct Timed {
    /// Only for the lanes' signature: lanes in a run over time key every
    /// draw, so they never take from it.
    rng: SmallRng,
    /// Each station's service stream key.
    services: Vec<u64>,
    /// Each station's cache-hit stream key.
    hits: Vec<u64>,
    /// Each call's stream key.
    calls: Vec<u64>,
    /// Requests as they finish: (start, end, outcome).
    pub trace: Vec<(f64, f64, Outcome)>,
}

impl Timed {
    /// Keys for `stations` stations and `calls` calls, seeded with `seed`.
    pub fn new(seed: u64, stations: usize, calls: usize) -> Timed {
        let streams = |n: usize, kind| (0..n).map(|i| keyed::stream(seed, i, kind)).collect();
        Timed {
            rng: SmallRng::seed_from_u64(seed),
            services: streams(stations, SERVICE_CHOICE),
            hits: streams(stations, HIT_CHOICE),
            calls: streams(calls, CALL_CHOICE),
            trace: Vec::new(),
        }
    }
}

impl Mode for Timed {
    const SUMMARY: bool = false;

    fn rng(&mut self) -> &mut SmallRng {
        &mut self.rng
    }

    fn service_stream(&self, s: usize) -> Option<u64> {
        Some(self.services[s])
    }

    fn hit_uniform(&mut self, s: usize, at_ms: f64) -> f64 {
        Keyed::new(self.hits[s], at_ms, 0).random::<f64>()
    }

    fn call_uniform(&mut self, call: usize, at_ms: f64) -> f64 {
        Keyed::new(self.calls[call], at_ms, 0).random::<f64>()
    }

    fn finished(&mut self, start: f64, end: f64, outcome: Outcome) {
        self.trace.push((start, end, outcome));
    }
}
