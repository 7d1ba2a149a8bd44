//! Runs over time on the sweep engine. Rounds end at the next change the
//! run over time has due (a window's end, an event, an autoscaler's turn),
//! so at each change every station has served exactly the visits that
//! arrived before it; visits still waiting then meet the new servers.
//! Busy and queue time is kept in time bins, and changes fall on bin
//! edges (at most one bin late), where the areas before them are exact.

use std::sync::atomic::Ordering;

use rand::SeedableRng;
use rand::rngs::SmallRng;

use super::lane::LaneAreas;
use super::{ARRIVAL_STREAM, Plan, ROUND_REQUESTS, Sweep};
use crate::sim::des::Hooks;
use crate::sim::distributions::Sampler;
use crate::sim::engine::target::{StationTotals, Target};
use crate::sim::engine::{ArrivalGaps, Control, MeasurementWindow, ReplicationParams};
use crate::sim::error::SimError;
use crate::sim::network::Network;

/// The finest bin, ms: changes land at most this late.
const MIN_BIN_MS: f64 = 10.0;
/// Most bins per station and area (their memory is 16 bytes a bin).
const MAX_BINS: f64 = 100_000.0;

/// The bin width for a run of `end_ms` reported in windows of
/// `window_ms`: at least `MIN_BIN_MS`, at most `MAX_BINS` bins, and a
/// whole number of bins a window, so window edges fall on bin edges.
fn bin_width(window_ms: f64, end_ms: f64) -> f64 {
    let wanted = MIN_BIN_MS.max(end_ms / MAX_BINS);
    window_ms / (window_ms / wanted).ceil().max(1.0)
}

/// `t` moved up to the next bin edge.
fn on_grid(t: f64, width: f64) -> f64 {
    if t.is_finite() {
        (t / width).ceil() * width
    } else {
        t
    }
}

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
        let lane = &mut self.sweep.lanes[s];
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
#[allow(clippy::too_many_arguments)]
pub(in crate::sim) fn run_timeline_sweep<H: Hooks, G: ArrivalGaps>(
    net: &Network,
    plan: &Plan,
    p: &ReplicationParams,
    ctl: &Control,
    mut gaps: G,
    hooks: &mut H,
    window_ms: f64,
    end_ms: f64,
) -> Result<(), SimError> {
    let all_time = MeasurementWindow {
        start_ms: 0.0,
        end_ms: f64::INFINITY,
    };
    let mut sweep = Sweep::new(net, p, all_time);
    let width = bin_width(window_ms, end_ms);
    for lane in &mut sweep.lanes {
        lane.areas = Some(Box::new(LaneAreas::new(width, end_ms)));
    }
    sweep.trace = Some(Vec::new());
    let mut run = Running { sweep, now: 0.0 };
    let entry = net.entry().0 as u32;
    let mut rng = SmallRng::seed_from_u64(p.seed ^ ARRIVAL_STREAM);
    let mut next_arrival = gaps.next_gap_ms(&mut rng);
    let mut change_at = on_grid(hooks.next_change_ms(), width);
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
            let next = on_grid(hooks.next_change_ms(), width);
            // A change due again at once waits for the next bin edge.
            change_at = if next > run.now {
                next
            } else {
                run.now + width
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_divide_windows_and_stay_within_bounds() {
        assert_eq!(bin_width(1_000.0, 600_000.0), 10.0);
        // A day in 1 s windows: 864 ms wanted, 500 ms divides the window.
        assert_eq!(bin_width(1_000.0, 86_400_000.0), 500.0);
        // A window shorter than the finest bin is one bin.
        assert_eq!(bin_width(4.0, 1_000.0), 4.0);
        assert_eq!(on_grid(401.0, 10.0), 410.0);
        assert_eq!(on_grid(400.0, 10.0), 400.0);
    }
}
