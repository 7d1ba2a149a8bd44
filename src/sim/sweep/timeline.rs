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

use super::{ARRIVAL_STREAM, Plan, ROUND_REQUESTS, SERVICE_CHOICE, Sweep, keyed};
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
    sweep: Sweep,
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
    mut gaps: G,
    hooks: &mut H,
) -> Result<(), SimError> {
    let all_time = MeasurementWindow {
        start_ms: 0.0,
        end_ms: f64::INFINITY,
    };
    let mut sweep = Sweep::new(net, p, all_time);
    sweep.choices.keyed = Some(p.seed);
    for (s, lane) in sweep.lanes.iter_mut().enumerate() {
        lane.over_time = true;
        lane.stream = keyed::stream(p.seed, s, SERVICE_CHOICE);
    }
    sweep.trace = Some(Vec::new());
    let mut run = Running { sweep, now: 0.0 };
    let entry = net.entry().0 as u32;
    let mut rng = SmallRng::seed_from_u64(p.seed ^ ARRIVAL_STREAM);
    let mut next_arrival = gaps.next_gap_ms(&mut rng);
    let mut change_at = hooks.next_change_ms();
    let mut generated: u64 = 0;
    loop {
        if ctl.cancel.load(Ordering::Relaxed) {
            return Err(SimError::Cancelled);
        }
        let mut round = 0;
        while round < ROUND_REQUESTS && next_arrival < change_at {
            hooks.arrived(next_arrival);
            run.sweep
                .external_arrival(entry, next_arrival, true, p.max_in_flight);
            generated += 1;
            round += 1;
            next_arrival = if generated < p.requests {
                next_arrival + gaps.next_gap_ms(&mut rng)
            } else {
                f64::INFINITY
            };
        }
        let horizon = next_arrival.min(change_at);
        for &s in &plan.order {
            run.sweep.sweep_station(s, horizon);
        }
        if let Some(trace) = &mut run.sweep.trace {
            for (start, end, outcome) in trace.drain(..) {
                hooks.finished(start, end, outcome);
            }
        }
        if horizon == f64::INFINITY {
            return Ok(());
        }
        if horizon >= change_at {
            run.now = change_at;
            hooks.change(&mut run);
            let next = hooks.next_change_ms();
            change_at = next.max(run.now + MIN_CHANGE_STEP_MS);
        }
    }
}
