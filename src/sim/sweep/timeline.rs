//! Runs over time on the sweep engine. Rounds end at the next change the
//! run over time has due (a window's end, an event, an autoscaler's turn),
//! so at each change every station has served exactly the visits that
//! arrived before it; visits still waiting then meet the new servers.
//! Busy and queue time is summed as services and waits begin, and the
//! totals at a change are made exact there by taking back what runs past
//! it (see `Lane::areas_before`), so changes fall at their own times.

use std::sync::atomic::Ordering;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::mode::Timed;
use super::{ARRIVAL_STREAM, Plan, ROUND_REQUESTS, Sweep};
use crate::sim::des::Hooks;
use crate::sim::distributions::Sampler;
use crate::sim::engine::target::{StationTotals, Target};
use crate::sim::engine::{ArrivalGaps, Control, MeasurementWindow, ReplicationParams};
use crate::sim::error::SimError;
use crate::sim::network::Network;

/// The least time between two rounds that end at a change, ms: a change
/// due again at once (within rounding) waits this long.
const MIN_CHANGE_STEP_MS: f64 = 1e-6;

/// A sweep under way, as the run over time sees it.
struct Running {
    sweep: Sweep<Timed>,
    now: f64,
}

impl Target for Running {
    fn now_ms(&self) -> f64 {
        self.now
    }

    fn set_servers(&mut self, s: usize, servers: u32) {
        self.sweep.lanes[s].spec.servers = servers;
    }

    fn set_sampler(&mut self, s: usize, sampler: Sampler) {
        self.sweep.lanes[s].spec.sampler = sampler;
    }

    fn set_hit_ratio(&mut self, s: usize, hit_ratio: f64) {
        self.sweep.routes[s].hit_ratio = hit_ratio;
    }

    fn station_totals(&mut self, s: usize) -> StationTotals {
        let now = self.now;
        let lane = &self.sweep.lanes[s];
        let (busy_area, queue_area) = lane.areas_before(now);
        StationTotals {
            busy_area,
            queue_area,
            servers: lane.spec.servers,
            arrivals: lane.arrivals(),
        }
    }
}

/// One replication over time of `net` (which `plan` sweeps), with its
/// arrivals from `gaps` and `hooks` making the changes, until every
/// request has finished.
pub(in crate::sim) fn run_timeline_sweep<H: Hooks, G: ArrivalGaps>(
    net: &Network,
    plan: &Plan,
    p: &ReplicationParams,
    ctl: &Control,
    gaps: G,
    hooks: &mut H,
) -> Result<(), SimError> {
    let mut run = OverTime::new(net, plan, p, gaps, hooks, 0.0);
    run.run_until(hooks, ctl, f64::INFINITY).map(|_| ())
}

/// A replication over time that can stop at a change and go on later.
pub(in crate::sim) struct OverTime<'a, G> {
    run: Running,
    plan: &'a Plan,
    max_in_flight: u64,
    entry: u32,
    gaps: G,
    rng: SmallRng,
    next_arrival: f64,
    change_at: f64,
    /// Arrivals before this are drawn (so the stream stays the same) but
    /// left out of the run.
    traffic_from_ms: f64,
}

impl<'a, G: ArrivalGaps> OverTime<'a, G> {
    /// A run whose traffic starts at `traffic_from_ms` (0 for all of it).
    pub fn new<H: Hooks>(
        net: &Network,
        plan: &'a Plan,
        p: &ReplicationParams,
        mut gaps: G,
        hooks: &H,
        traffic_from_ms: f64,
    ) -> OverTime<'a, G> {
        let all_time = MeasurementWindow {
            start_ms: 0.0,
            end_ms: f64::INFINITY,
        };
        let (stations, calls) = (net.stations().len(), net.calls().len());
        let sweep = Sweep::new(net, p, all_time, Timed::new(p.seed, stations, calls));
        let mut rng = SmallRng::seed_from_u64(p.seed ^ ARRIVAL_STREAM);
        let next_arrival = gaps.next_arrival_ms(0.0, &mut rng);
        OverTime {
            run: Running { sweep, now: 0.0 },
            plan,
            max_in_flight: p.max_in_flight,
            entry: net.entry().0 as u32,
            gaps,
            rng,
            next_arrival,
            change_at: hooks.next_change_ms(),
            traffic_from_ms,
        }
    }

    /// The moment the run has reached: its last change.
    pub fn now_ms(&self) -> f64 {
        self.run.now
    }

    /// The engine, for `hooks` to read at the moment reached.
    pub fn target(&mut self) -> &mut impl Target {
        &mut self.run
    }

    /// Runs rounds until a change at or after `pause_ms` has been made
    /// (true) or every request has finished (false).
    pub fn run_until<H: Hooks>(
        &mut self,
        hooks: &mut H,
        ctl: &Control,
        pause_ms: f64,
    ) -> Result<bool, SimError> {
        loop {
            if ctl.cancel.load(Ordering::Relaxed) {
                return Err(SimError::Cancelled);
            }
            let horizon = self.admit_round(hooks);
            for &s in &self.plan.order {
                self.run.sweep.sweep_station(s, horizon);
            }
            for (start, end, outcome) in self.run.sweep.mode.trace.drain(..) {
                hooks.finished(start, end, outcome);
            }
            if horizon == f64::INFINITY {
                return Ok(false);
            }
            if horizon >= self.change_at {
                self.run.now = self.change_at;
                hooks.change(&mut self.run);
                let next = hooks.next_change_ms();
                self.change_at = next.max(self.run.now + MIN_CHANGE_STEP_MS);
                if self.run.now >= pause_ms {
                    return Ok(true);
                }
            }
        }
    }

    /// Lets in the next round's requests; returns the round's horizon.
    fn admit_round<H: Hooks>(&mut self, hooks: &mut H) -> f64 {
        let mut round = 0;
        while round < ROUND_REQUESTS && self.next_arrival < self.change_at {
            let t = self.next_arrival;
            if t >= self.traffic_from_ms {
                hooks.arrived(t);
                self.run
                    .sweep
                    .external_arrival(self.entry, t, true, self.max_in_flight);
                round += 1;
            }
            self.next_arrival = self.gaps.next_arrival_ms(t, &mut self.rng);
        }
        self.next_arrival.min(self.change_at)
    }

    /// Everything the run's future depends on, as numbers that are equal
    /// exactly when two runs paused at the same moment will go on the same
    /// way (with draws keyed by moment, see `keyed`).
    pub fn fingerprint(&self) -> Vec<u64> {
        let mut print = vec![self.next_arrival.to_bits()];
        self.run.sweep.fingerprint(self.run.now, &mut print);
        print
    }
}
