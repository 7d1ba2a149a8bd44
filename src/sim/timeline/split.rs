//! A long run over time on two cores, with the same windows one core
//! gives. The run is cut in time at a window edge S near its middle: this
//! thread plays it from the start up to S, while a second thread plays it
//! from S − warm-up with no earlier traffic. Each random choice is keyed by
//! its station and moment (see `sweep::keyed`), so once the second run's
//! state (servers busy, visits waiting, requests in flight and their
//! progress, finished requests not yet reported) is the same as the
//! first's, the two go on identically. That is checked, number for number,
//! at S and then 1, 3, 7, … windows after it; at the first that matches,
//! the second run's windows replace the rest of the first's. If none
//! matches within a quarter of what is left (a backlog the warm-up cannot
//! rebuild, say), the second run is dropped and this one goes on alone.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use crate::sim::engine::{Control, ReplicationParams};
use crate::sim::error::SimError;
use crate::sim::network::Network;
use crate::sim::sweep::{OverTime, Plan};

use super::hooks::TimelineHooks;
use super::traffic::{RATE_PIECE_MS, TimelineGaps};

/// Runs expected to be shorter than this many requests stay on one core:
/// a thread costs more than it saves.
const MIN_REQUESTS: f64 = 200_000.0;
/// The second run's traffic starts this share of the run before the cut
/// (within the bounds below), long enough for the system to forget an
/// empty start under any load it can carry.
const WARM_UP_SHARE: f64 = 0.02;
const MIN_WARM_UP_MS: f64 = 2_000.0;
const MAX_WARM_UP_MS: f64 = 30_000.0;

/// Where a run of `end_ms` in windows of `window_ms`, offered `pieces`
/// (requests per ms in each piece of `RATE_PIECE_MS`), is cut, and when
/// the second run's traffic starts; None when it is too short to cut. The
/// cut is the window edge that gives both runs the nearest to the same
/// number of requests, the second's warm-up included.
pub(super) fn cut(end_ms: f64, window_ms: f64, pieces: &[f64]) -> Option<(f64, f64)> {
    let mut before = Vec::with_capacity(pieces.len() + 1);
    before.push(0.0);
    for &rate in pieces {
        before.push(before[before.len() - 1] + rate * RATE_PIECE_MS);
    }
    // Requests offered before `t`.
    let offered = |t: f64| {
        let i = ((t / RATE_PIECE_MS) as usize).min(pieces.len());
        let within = pieces
            .get(i)
            .map_or(0.0, |rate| rate * (t - i as f64 * RATE_PIECE_MS));
        before[i] + within
    };
    let total = offered(end_ms);
    if total < MIN_REQUESTS {
        return None;
    }
    let warm_up = (end_ms * WARM_UP_SHARE).clamp(MIN_WARM_UP_MS, MAX_WARM_UP_MS);
    let edges = (end_ms / window_ms).ceil() as usize;
    (1..edges)
        .map(|k| k as f64 * window_ms)
        .filter(|&at| at - warm_up > 0.0 && at < end_ms)
        .map(|at| {
            let unequal = (offered(at) - (total - offered(at - warm_up))).abs();
            (unequal, at)
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, at)| (at, at - warm_up))
}

/// The moments the two runs are compared at: the cut, then further apart
/// each time (1, 3, 7, … windows after it), so a run that matches late
/// costs few comparisons.
fn check_at(at_ms: f64, window_ms: f64, tries: i32) -> f64 {
    at_ms + window_ms * (2f64.powi(tries) - 1.0)
}

/// The numbers two paused runs are compared by.
fn print(run: &mut OverTime<TimelineGaps>, hooks: &TimelineHooks) -> Vec<u64> {
    let mut print = run.fingerprint();
    hooks.fingerprint(run.target(), &mut print);
    print
}

/// Plays the run over time as `cut` chose, filling `hooks` as one core
/// would; returns the moment from which the second run's windows were
/// taken, if they were.
#[allow(clippy::too_many_arguments)]
pub(super) fn run_cut(
    net: &Network,
    plan: &Plan,
    p: &ReplicationParams,
    ctl: &Control,
    gaps: TimelineGaps,
    hooks: &mut TimelineHooks,
    (at_ms, traffic_from_ms): (f64, f64),
    (window_ms, end_ms): (f64, f64),
) -> Result<Option<f64>, SimError> {
    let give_up_ms = at_ms + (end_ms - at_ms) / 4.0;
    let stop_printing = AtomicBool::new(false);
    let cancel_second = AtomicBool::new(false);
    let second_hooks = hooks.clone();
    thread::scope(|scope| {
        let (prints, printed) = mpsc::channel::<(f64, Vec<u64>)>();
        let mut second = Some(scope.spawn({
            let gaps = gaps.clone().starting_at(traffic_from_ms);
            let (stop_printing, cancel) = (&stop_printing, &cancel_second);
            move || {
                let mut hooks = second_hooks;
                let done = AtomicU64::new(0);
                let ctl = Control {
                    cancel,
                    done: &done,
                    progress: &|_| {},
                };
                let mut run = OverTime::new(net, plan, p, gaps, &hooks, traffic_from_ms);
                let mut tries = 0;
                while !stop_printing.load(Ordering::Relaxed) {
                    let check = check_at(at_ms, window_ms, tries);
                    if !run.run_until(&mut hooks, &ctl, check)? {
                        return Ok(hooks);
                    }
                    if prints
                        .send((run.now_ms(), print(&mut run, &hooks)))
                        .is_err()
                    {
                        break;
                    }
                    tries += 1;
                }
                run.run_until(&mut hooks, &ctl, f64::INFINITY)?;
                Ok::<TimelineHooks, SimError>(hooks)
            }
        }));
        let result = (|| {
            let mut run = OverTime::new(net, plan, p, gaps, hooks, 0.0);
            let mut tries = 0;
            loop {
                if !run.run_until(hooks, ctl, check_at(at_ms, window_ms, tries))? {
                    // Over before any check matched (nothing after the cut).
                    return Ok(None);
                }
                let now = run.now_ms();
                let mine = print(&mut run, hooks);
                let same = matches!(printed.recv(), Ok((t, theirs)) if t == now && theirs == mine);
                if same {
                    stop_printing.store(true, Ordering::Relaxed);
                    let rest = second.take().and_then(|h| wait_for(h, ctl, &cancel_second));
                    if let Some(rest) = rest {
                        splice(hooks, rest, now);
                        return Ok(Some(now));
                    }
                    // The second run failed: this one goes on alone.
                    return run.run_until(hooks, ctl, f64::INFINITY).map(|_| None);
                }
                if now >= give_up_ms {
                    break;
                }
                tries += 1;
            }
            stop_printing.store(true, Ordering::Relaxed);
            cancel_second.store(true, Ordering::Relaxed);
            run.run_until(hooks, ctl, f64::INFINITY).map(|_| None)
        })();
        // However this run ended, the second one stops; joined here, so a
        // panic there is not passed on (its windows were not used).
        stop_printing.store(true, Ordering::Relaxed);
        cancel_second.store(true, Ordering::Relaxed);
        if let Some(handle) = second.take() {
            handle.join().ok();
        }
        result
    })
}

/// The second run's hooks once it ends, passing a cancel on meanwhile;
/// None if it failed or was cancelled.
fn wait_for(
    second: thread::ScopedJoinHandle<'_, Result<TimelineHooks, SimError>>,
    ctl: &Control,
    cancel_second: &AtomicBool,
) -> Option<TimelineHooks> {
    while !second.is_finished() {
        if ctl.cancel.load(Ordering::Relaxed) {
            cancel_second.store(true, Ordering::Relaxed);
        }
        thread::sleep(Duration::from_millis(1));
    }
    second.join().ok()?.ok()
}

/// The windows before `at_ms` from `hooks`, the rest from `rest`, its cost
/// carried on from the first run's.
fn splice(hooks: &mut TimelineHooks, rest: TimelineHooks, at_ms: f64) {
    let at_s = at_ms / 1000.0;
    let theirs_before = rest
        .windows
        .iter()
        .take_while(|w| w.t_s < at_s)
        .last()
        .map_or(0.0, |w| w.cost_usd);
    let offset = hooks.cost_usd() - theirs_before;
    hooks.windows.extend(
        rest.windows
            .into_iter()
            .filter(|w| w.t_s >= at_s)
            .map(|mut w| {
                w.cost_usd += offset;
                w
            }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{EventKind, Scenario, TimedEvent};
    use crate::sim::timeline::report::Window;
    use crate::sim::timeline::{TimelineConfig, play};
    use crate::sim::{Call, ServiceTime, Station, StationIndex};

    fn exp(name: &str, mean_ms: f64, servers: u32, replicas: u32) -> Station {
        Station::service(name, ServiceTime::Exponential { mean_ms }).with_servers(servers, replicas)
    }

    /// One station of exponential service and a run of `duration_s` with
    /// no events.
    fn lone_station(mean_ms: f64, servers: u32, duration_s: f64) -> (Network, Scenario) {
        let net = Network::new(
            vec![exp("only", mean_ms, servers, 1)],
            vec![],
            StationIndex(0),
        )
        .expect("valid");
        let s = Scenario {
            duration_s,
            window_s: 1.0,
            start_rps: None,
            events: vec![],
        };
        (net, s)
    }

    /// Both ways of playing `s` on `net` at `rps`: one core's report, the
    /// two cores' report and the moment the second core's windows start.
    fn both(net: &Network, s: &Scenario, rps: f64) -> (Vec<Window>, Vec<Window>, Option<f64>) {
        let mut cfg = TimelineConfig::new(rps);
        cfg.seed = 11;
        cfg.parallel = false;
        let cancel = AtomicBool::new(false);
        let (one, none) = play(net, s, &cfg, &cancel).expect("runs");
        assert_eq!(none, None);
        cfg.parallel = true;
        let (two, at) = play(net, s, &cfg, &cancel).expect("runs");
        (one.timeline, two.timeline, at)
    }

    /// Figures summed in another order may differ in their last bits.
    fn near(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
    }

    fn assert_same_windows(one: &[Window], two: &[Window]) {
        assert_eq!(one.len(), two.len());
        for (a, b) in one.iter().zip(two) {
            let t = a.t_s;
            assert_eq!(a.t_s, b.t_s);
            assert_eq!(a.offered_rps, b.offered_rps, "offered at {t}");
            assert_eq!(a.throughput_rps, b.throughput_rps, "throughput at {t}");
            assert_eq!(
                (a.p50_ms, a.p95_ms, a.p99_ms),
                (b.p50_ms, b.p95_ms, b.p99_ms),
                "quantiles at {t}"
            );
            assert_eq!(
                (a.drops, a.timeouts),
                (b.drops, b.timeouts),
                "losses at {t}"
            );
            assert!(
                near(a.mean_ms.unwrap_or(0.0), b.mean_ms.unwrap_or(0.0)),
                "mean at {t}"
            );
            assert!(near(a.cost_usd, b.cost_usd), "cost at {t}");
            for (x, y) in a.stations.iter().zip(&b.stations) {
                assert_eq!(x.replicas, y.replicas, "{} replicas at {t}", x.name);
                assert!(near(x.utilisation, y.utilisation), "{} at {t}", x.name);
                assert!(near(x.queue_len, y.queue_len), "{} queue at {t}", x.name);
            }
        }
    }

    #[test]
    fn two_cores_give_the_windows_of_one() {
        // 2,000 req/s for 110 s through two stages, with a spike before
        // the cut (at 54 s, where the spike's extra requests even out the
        // halves) and a failure and recovery after it.
        let net = Network::new(
            vec![exp("front", 1.0, 4, 2), exp("back", 2.0, 3, 4)],
            vec![Call::new(StationIndex(0), StationIndex(1))],
            StationIndex(0),
        )
        .expect("valid");
        let at = |at_s, kind| TimedEvent { at_s, kind };
        let s = Scenario {
            duration_s: 110.0,
            window_s: 1.0,
            start_rps: None,
            events: vec![
                at(
                    30.0,
                    EventKind::Spike {
                        factor: 1.5,
                        for_s: 10.0,
                    },
                ),
                at(
                    70.0,
                    EventKind::Fail {
                        node: "back".into(),
                        fraction: 0.5,
                    },
                ),
                at(
                    80.0,
                    EventKind::Recover {
                        node: "back".into(),
                    },
                ),
            ],
        };
        let (one, two, taken_over) = both(&net, &s, 2_000.0);
        assert_eq!(taken_over, Some(54_000.0));
        assert_same_windows(&one, &two);
        // The failure after the cut shows in the second core's windows.
        assert_eq!(two[75].stations[1].replicas, 2);
    }

    #[test]
    fn a_cancel_stops_both_runs() {
        let (net, s) = lone_station(1.0, 4, 600.0);
        let mut cfg = TimelineConfig::new(2_000.0);
        cfg.parallel = true;
        let cancelled = AtomicBool::new(true);
        let result = play(&net, &s, &cfg, &cancelled);
        assert!(matches!(result, Err(SimError::Cancelled)), "{result:?}");
    }

    #[test]
    fn a_backlog_the_warm_up_cannot_rebuild_keeps_the_run_on_one_core() {
        // 1.2 times what the one server serves, all the way: the queue at
        // the cut is tens of thousands long, and a run whose traffic starts
        // 2.2 s before it never catches up, so nothing is taken from it.
        let (net, s) = lone_station(0.6, 1, 110.0);
        let (one, two, taken_over) = both(&net, &s, 2_000.0);
        assert_eq!(taken_over, None);
        assert_eq!(one, two);
        assert!(one[100].stations[0].queue_len > 10_000.0);
    }

    #[test]
    fn cuts_long_runs_near_the_middle_on_a_window_edge() {
        // `rps` for `s` seconds, as pieces.
        let flat = |rps: f64, s: usize| vec![rps / 1000.0; s * 10];
        // Ten minutes at 10,000 req/s in 1 s windows: a 12 s warm-up, and
        // the cut at 306 s gives each run 3.06 million requests.
        let even = flat(10_000.0, 600);
        assert_eq!(cut(600_000.0, 1_000.0, &even), Some((306_000.0, 294_000.0)));
        // Twice the traffic in the first minute moves the cut 30 s earlier.
        let mut early = even.clone();
        early[..600].fill(20.0);
        assert_eq!(
            cut(600_000.0, 1_000.0, &early),
            Some((276_000.0, 264_000.0))
        );
        // Too few requests, or too short for a warm-up: one core.
        assert_eq!(cut(600_000.0, 1_000.0, &flat(100.0, 600)), None);
        assert_eq!(cut(3_000.0, 1_000.0, &flat(100_000.0, 3)), None);
        // Windows as long as half the run: the cut stays before the end.
        let long = flat(10_000.0, 100);
        assert_eq!(cut(100_000.0, 50_000.0, &long), Some((50_000.0, 48_000.0)));
        assert_eq!(check_at(306_000.0, 1_000.0, 0), 306_000.0);
        assert_eq!(check_at(306_000.0, 1_000.0, 3), 313_000.0);
    }
}
