//! Runs over time against queueing theory: a step to a new rate converges to
//! the new M/M/c mean, an overload builds and drains the fluid backlog,
//! losing replicas gives the smaller M/M/c, autoscaling and cold caches act
//! when they should, and bad scenarios are refused by name.

use std::sync::atomic::AtomicBool;

use mlsd_studio::diagram::{Autoscale, EventKind, Scenario, TimedEvent};
use mlsd_studio::sim::timeline::{TimelineConfig, TimelineReport, Window, run_timeline};
use mlsd_studio::sim::{
    Call, EngineChoice, Network, ServiceTime, SimError, Station, StationIndex, erlang_c,
};

fn exp_station(name: &str, mean_ms: f64, servers: u32, replicas: u32) -> Station {
    Station::service(name, ServiceTime::Exponential { mean_ms }).with_servers(servers, replicas)
}

fn single(station: Station) -> Network {
    Network::new(vec![station], vec![], StationIndex(0)).expect("valid")
}

fn scenario(duration_s: f64, events: Vec<(f64, EventKind)>) -> Scenario {
    Scenario {
        duration_s,
        window_s: 1.0,
        start_rps: None,
        events: events
            .into_iter()
            .map(|(at_s, kind)| TimedEvent { at_s, kind })
            .collect(),
    }
}

fn play(net: &Network, s: &Scenario, start_rps: f64, seed: u64) -> TimelineReport {
    let mut cfg = TimelineConfig::new(start_rps);
    cfg.seed = seed;
    run_timeline(net, s, &cfg, &AtomicBool::new(false)).expect("runs")
}

/// M/M/c mean response time in ms.
fn mmc_mean_ms(c: u64, lambda_per_s: f64, mean_ms: f64) -> f64 {
    let a = lambda_per_s * mean_ms / 1000.0;
    erlang_c(c, a) / (c as f64 - a) * mean_ms + mean_ms
}

/// The mean latency over windows in [from_s, to_s), weighted by requests,
/// with a 95% half-width from the spread of 10-window batch means.
fn mean_between(windows: &[Window], from_s: f64, to_s: f64) -> (f64, f64) {
    let inside: Vec<&Window> = windows
        .iter()
        .filter(|w| w.t_s >= from_s && w.t_s < to_s)
        .collect();
    let batches: Vec<f64> = inside
        .chunks(10)
        .map(|ws| {
            let n: f64 = ws.iter().map(|w| w.throughput_rps * w.len_s).sum();
            ws.iter()
                .map(|w| w.mean_ms.unwrap_or(0.0) * w.throughput_rps * w.len_s)
                .sum::<f64>()
                / n
        })
        .collect();
    let k = batches.len() as f64;
    let mean = batches.iter().sum::<f64>() / k;
    let var = batches.iter().map(|b| (b - mean).powi(2)).sum::<f64>() / (k - 1.0);
    (mean, 2.1 * (var / k).sqrt())
}

#[test]
fn after_a_step_the_windows_settle_at_the_new_mmc_mean() {
    // Four 10 ms servers (capacity 400 req/s): 200 req/s, then 320 from 60 s.
    let net = single(exp_station("api", 10.0, 4, 1));
    let s = scenario(400.0, vec![(60.0, EventKind::Rate { rps: 320.0 })]);
    let r = play(&net, &s, 200.0, 11);
    assert_eq!(r.timeline.len(), 400);
    let (before, hw_before) = mean_between(&r.timeline, 10.0, 60.0);
    let want_before = mmc_mean_ms(4, 200.0, 10.0);
    assert!(
        (before - want_before).abs() < hw_before.max(0.02 * want_before),
        "before: {before} ± {hw_before} vs {want_before}"
    );
    let (after, hw_after) = mean_between(&r.timeline, 100.0, 400.0);
    let want_after = mmc_mean_ms(4, 320.0, 10.0);
    assert!(
        (after - want_after).abs() < hw_after.max(0.02 * want_after),
        "after: {after} ± {hw_after} vs {want_after}"
    );
    let offered: f64 = r.timeline[200..].iter().map(|w| w.offered_rps).sum::<f64>() / 200.0;
    assert!((offered / 320.0 - 1.0).abs() < 0.02, "{offered}");
}

#[test]
fn an_overload_builds_the_fluid_backlog_and_drains_it() {
    // One 1 ms server (1,000 req/s) at 500 req/s, tripled for 20 s from 10 s:
    // 1,500 − 1,000 = 500 more a second pile up, about 10,000 by 30 s, then
    // drain at 1,000 − 500 = 500 a second, gone by about 50 s.
    let net = single(exp_station("hot", 1.0, 1, 1));
    let s = scenario(
        70.0,
        vec![(
            10.0,
            EventKind::Spike {
                factor: 3.0,
                for_s: 20.0,
            },
        )],
    );
    let r = play(&net, &s, 500.0, 5);
    let queue = |t: usize| r.timeline[t].stations[0].queue_len;
    // The backlog is arrivals minus services, both Poisson-like: its
    // standard deviation after t seconds is about √((λ + μ) t); allow four.
    let tolerance = |rate_sum: f64, t: f64| 4.0 * (rate_sum * t).sqrt();
    // The window [29, 30) holds the backlog at about 9,750 on average.
    let peak = queue(29);
    assert!(
        (peak - 9_750.0).abs() < tolerance(2_500.0, 19.5),
        "backlog {peak}"
    );
    // Halfway through draining, [39, 40): about 10,000 − 500 × 9.5.
    let half = queue(39);
    assert!(
        (half - 5_250.0).abs() < tolerance(2_500.0, 20.0) + tolerance(1_500.0, 9.5),
        "draining {half}"
    );
    assert!(queue(55) < 300.0, "drained: {}", queue(55));
    // Throughput never exceeds the server's capacity.
    assert!(r.timeline.iter().all(|w| w.throughput_rps < 1_100.0));
    let spike = &r.summary.recoveries[0];
    let back = spike.recovered_after_s.expect("recovers");
    assert!(back > 35.0 && back < 50.0, "{spike:?}");
    assert!(r.summary.worst_p99_ms.expect("latency") > 5_000.0);
}

#[test]
fn losing_half_the_replicas_gives_the_smaller_mmc() {
    // Eight replicas of one 10 ms server at 300 req/s; half fail at 30 s:
    // M/M/8 before, M/M/4 (load 0.75) after.
    let net = single(exp_station("ranker", 10.0, 1, 8));
    let s = scenario(
        330.0,
        vec![(
            30.0,
            EventKind::Fail {
                node: "ranker".into(),
                fraction: 0.5,
            },
        )],
    );
    let r = play(&net, &s, 300.0, 7);
    assert_eq!(r.timeline[10].stations[0].replicas, 8);
    assert_eq!(r.timeline[40].stations[0].replicas, 4);
    let (after, hw) = mean_between(&r.timeline, 60.0, 330.0);
    let want = mmc_mean_ms(4, 300.0, 10.0);
    assert!(
        (after - want).abs() < hw.max(0.03 * want),
        "{after} ± {hw} vs {want}"
    );
}

#[test]
fn the_same_seed_gives_the_same_timeline() {
    let net = single(exp_station("api", 5.0, 2, 2));
    let s = scenario(
        30.0,
        vec![
            (
                5.0,
                EventKind::Ramp {
                    rps: 500.0,
                    over_s: 10.0,
                },
            ),
            (
                20.0,
                EventKind::Fail {
                    node: "api".into(),
                    fraction: 1.0,
                },
            ),
            (25.0, EventKind::Recover { node: "api".into() }),
        ],
    );
    let a = play(&net, &s, 100.0, 3);
    assert_eq!(a, play(&net, &s, 100.0, 3));
    assert_ne!(a, play(&net, &s, 100.0, 4));
    // With every replica down, nothing succeeds in those windows.
    assert!(a.timeline[22].p99_ms.is_none());
    assert!(a.summary.seconds_over_sla >= 4.0);
}

#[test]
fn the_autoscaler_adds_replicas_after_their_cold_start_and_cost_follows() {
    let policy = Autoscale {
        target_utilisation: 0.6,
        min_replicas: 2,
        max_replicas: 10,
        interval_s: 5.0,
        cold_start_s: 20.0,
    };
    let net = single(
        exp_station("model", 10.0, 1, 2)
            .with_cost(3.0)
            .with_autoscale(policy),
    );
    // 100 req/s is load 0.5 on two servers; 3× from 30 s needs about 5.
    let s = scenario(
        120.0,
        vec![(
            30.0,
            EventKind::Spike {
                factor: 3.0,
                for_s: 90.0,
            },
        )],
    );
    let r = play(&net, &s, 100.0, 9);
    let replicas = |t: usize| r.timeline[t].stations[0].replicas;
    assert_eq!(replicas(20), 2, "steady before the spike");
    // The first look after the spike is at 35 s; its replicas serve at 55 s.
    // Saturated servers hide how much more is needed (utilisation is at
    // most 1), so it takes a second step to reach the 5 that 3 Erlangs at
    // 60% need.
    assert_eq!(replicas(50), 2, "still booting");
    assert!(replicas(60) >= 4, "scaled out: {}", replicas(60));
    assert!(replicas(110) >= 5, "second step: {}", replicas(110));
    assert!(replicas(119) <= 10);
    // Cost grows faster once more replicas are paid for.
    let cost_rate =
        |a: usize, b: usize| (r.timeline[b].cost_usd - r.timeline[a].cost_usd) / (b - a) as f64;
    assert!(cost_rate(80, 110) > 2.0 * cost_rate(0, 30));
    let two_per_hour = 2.0 * 3.0 / 3600.0;
    assert!((cost_rate(0, 30) / two_per_hour - 1.0).abs() < 1e-6);
}

#[test]
fn a_cold_cache_sends_its_misses_to_the_backend_until_it_warms() {
    let cache = Station::cache("cache", 0.9, ServiceTime::Constant { ms: 0.1 }).with_servers(8, 1);
    let backend = exp_station("db", 2.0, 8, 1);
    let net = Network::new(
        vec![cache, backend],
        vec![Call::new(StationIndex(0), StationIndex(1))],
        StationIndex(0),
    )
    .expect("valid");
    let s = scenario(
        60.0,
        vec![(
            10.0,
            EventKind::ColdCache {
                node: "cache".into(),
            },
        )],
    );
    let r = play(&net, &s, 2_000.0, 2);
    let db = |t: usize| r.timeline[t].stations[1].utilisation;
    // Warm: 10% of 2,000 req/s × 2 ms on 8 servers = 0.05.
    assert!((db(5) - 0.05).abs() < 0.02, "{}", db(5));
    // Just after going cold nearly everything misses: about 0.5.
    assert!(db(10) > 0.3, "{}", db(10));
    // 20,000 visits later (10 s) it has made up 63% of the way.
    assert!(db(50) < 0.08, "{}", db(50));
}

#[test]
fn bad_scenarios_are_refused_naming_the_event() {
    let net = single(exp_station("api", 5.0, 2, 2));
    let refuse = |s: Scenario, needle: &str| {
        let err = run_timeline(
            &net,
            &s,
            &TimelineConfig::new(10.0),
            &AtomicBool::new(false),
        )
        .expect_err("refused");
        assert!(matches!(err, SimError::Scenario { .. }), "{err:?}");
        let msg = err.to_string();
        assert!(msg.contains(needle), "'{msg}' lacks '{needle}'");
    };
    refuse(
        scenario(60.0, vec![(90.0, EventKind::Rate { rps: 5.0 })]),
        "event 1 (at 90 s",
    );
    refuse(
        scenario(
            60.0,
            vec![(
                1.0,
                EventKind::Fail {
                    node: "nope".into(),
                    fraction: 1.0,
                },
            )],
        ),
        "no simulated node is called \"nope\"",
    );
    refuse(
        scenario(
            60.0,
            vec![(
                1.0,
                EventKind::Fail {
                    node: "api".into(),
                    fraction: 1.5,
                },
            )],
        ),
        "fraction = 1.5",
    );
    refuse(
        scenario(
            60.0,
            vec![(1.0, EventKind::ColdCache { node: "api".into() })],
        ),
        "not a cache",
    );
    let mut long_window = scenario(60.0, vec![]);
    long_window.window_s = 90.0;
    refuse(long_window, "window");
    refuse(scenario(f64::NAN, vec![]), "duration");
    // Unbounded work is refused before it starts.
    let huge = scenario(86_400.0, vec![]);
    let err = run_timeline(
        &net,
        &huge,
        &TimelineConfig::new(1e6),
        &AtomicBool::new(false),
    )
    .expect_err("over budget");
    assert!(matches!(err, SimError::OverBudget { .. }), "{err:?}");
}

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn cli(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("simulate")
        .arg(EXAMPLE)
        .args(args)
        .output()
        .expect("runs")
}

#[test]
fn the_command_line_plays_events_and_prints_the_documented_json() {
    let args = [
        "--duration",
        "40",
        "--event",
        "10:spike=3@10",
        "--event",
        "25:fail=Fast text+image model (T4)@0.5",
        "--json",
    ];
    let out = cli(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let timeline = v["timeline"].as_array().expect("timeline");
    assert_eq!(timeline.len(), 40);
    for key in [
        "t_s",
        "offered_rps",
        "throughput_rps",
        "p50_ms",
        "p99_ms",
        "drops",
        "timeouts",
    ] {
        assert!(timeline[0].get(key).is_some(), "window lacks {key}");
    }
    let station = &timeline[30]["stations"][4];
    assert_eq!(station["name"], "Fast text+image model (T4)");
    assert_eq!(station["replicas"], 7, "half of 14 lost at 25 s");
    assert!(station["queue_len"].is_number());
    let spike = timeline[15]["offered_rps"].as_f64().expect("rate");
    let calm = timeline[5]["offered_rps"].as_f64().expect("rate");
    assert!((spike / calm - 3.0).abs() < 0.3, "{calm} → {spike}");
    for key in ["worst_p99_ms", "seconds_over_sla", "lost_requests"] {
        assert!(v["summary"].get(key).is_some(), "summary lacks {key}");
    }
    for key in [
        "percent",
        "nines",
        "downtime_minutes_per_month",
        "single_points_of_failure",
        "zone_loss_meets_sla",
    ] {
        assert!(
            v["availability"].get(key).is_some(),
            "availability lacks {key}"
        );
    }
    // The same seed gives the same output.
    let again = cli(&args);
    assert_eq!(out.stdout, again.stdout);
}

#[test]
fn the_command_line_names_a_bad_event() {
    for (event, needle) in [
        ("90:qps=5", "after the end of the run"),
        ("3:fail=Nope", "no simulated node is called \"Nope\""),
        ("3:fail=Upload API@2", "fraction = 2"),
        ("3:boom=1", "unknown event \"boom\""),
    ] {
        let out = cli(&["--duration", "10", "--event", event]);
        assert_eq!(out.status.code(), Some(1), "{event}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "{event}: '{err}' lacks '{needle}'");
        assert!(out.stdout.is_empty());
    }
    let out = cli(&["--duration", "10", "--window", "20"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("window"));
}

/// Mean over windows [from, to) of a per-window figure.
fn window_mean(windows: &[Window], from: usize, to: usize, f: impl Fn(&Window) -> f64) -> f64 {
    windows[from..to].iter().map(f).sum::<f64>() / (to - from) as f64
}

#[test]
fn both_engines_tell_the_same_story_over_time() {
    // A tandem where the second stage loses half its replicas at 20 s and
    // gets them back at 80 s, under a doubled rate from 40 s to 60 s.
    let front = exp_station("front", 2.0, 4, 1);
    let back = exp_station("back", 10.0, 1, 6);
    let net = Network::new(
        vec![front, back],
        vec![Call::new(StationIndex(0), StationIndex(1))],
        StationIndex(0),
    )
    .expect("valid");
    let s = scenario(
        140.0,
        vec![
            (
                20.0,
                EventKind::Fail {
                    node: "back".into(),
                    fraction: 0.5,
                },
            ),
            (
                40.0,
                EventKind::Spike {
                    factor: 1.5,
                    for_s: 20.0,
                },
            ),
            (
                80.0,
                EventKind::Recover {
                    node: "back".into(),
                },
            ),
        ],
    );
    // One sample path's latency over 15 s moves by ±15% between seeds at
    // these loads, so each engine's figure is the mean of eight seeds.
    const SEEDS: u64 = 8;
    let runs = |engine: EngineChoice| -> Vec<TimelineReport> {
        (1..=SEEDS)
            .map(|seed| {
                let mut cfg = TimelineConfig::new(200.0);
                cfg.seed = seed;
                cfg.engine = engine;
                run_timeline(&net, &s, &cfg, &AtomicBool::new(false)).expect("runs")
            })
            .collect()
    };
    let sweep = runs(EngineChoice::Auto);
    let events = runs(EngineChoice::EventList);
    assert_eq!(sweep[0].timeline.len(), events[0].timeline.len());
    let over_seeds = |reports: &[TimelineReport], from, to, f: &dyn Fn(&Window) -> f64| {
        reports
            .iter()
            .map(|r| window_mean(&r.timeline, from, to, f))
            .sum::<f64>()
            / reports.len() as f64
    };
    // Spans: before the failure, with three replicas, under the spike, and
    // after the recovery.
    for (from, to) in [(2, 20), (25, 40), (42, 60), (90, 140)] {
        let close = |what: &str, f: &dyn Fn(&Window) -> f64, rel: f64| {
            let a = over_seeds(&sweep, from, to, f);
            let b = over_seeds(&events, from, to, f);
            assert!(
                (a - b).abs() <= rel * b.abs().max(1e-9) + 0.05,
                "{what} in [{from}, {to}): sweep {a} vs event list {b}"
            );
        };
        close("throughput", &|w| w.throughput_rps, 0.03);
        close("back utilisation", &|w| w.stations[1].utilisation, 0.05);
        close("back replicas", &|w| f64::from(w.stations[1].replicas), 0.0);
        // Under the spike the three replicas left are loaded to the full
        // (300 req/s against 300 of capacity): the backlog there is a
        // random walk whose mean latency differs several-fold between
        // seeds on either engine, so only the stable spans compare it.
        if from != 42 {
            close("mean latency", &|w| w.mean_ms.unwrap_or(0.0), 0.10);
            close("back queue", &|w| w.stations[1].queue_len, 0.25);
        }
    }
}

#[test]
fn losing_every_replica_stops_service_until_they_return() {
    let net = single(exp_station("api", 5.0, 2, 2));
    let s = scenario(
        30.0,
        vec![
            (
                10.0,
                EventKind::Fail {
                    node: "api".into(),
                    fraction: 1.0,
                },
            ),
            (15.0, EventKind::Recover { node: "api".into() }),
        ],
    );
    let r = play(&net, &s, 100.0, 4);
    assert!(r.timeline[5].throughput_rps > 80.0);
    for t in 11..15 {
        assert_eq!(r.timeline[t].throughput_rps, 0.0, "window {t}");
        assert_eq!(r.timeline[t].stations[0].utilisation, 0.0, "window {t}");
    }
    // The backlog of five seconds is served once the replicas are back.
    assert!(r.timeline[13].stations[0].queue_len > 100.0);
    assert!(r.timeline[25].stations[0].queue_len < 5.0);
    let served: f64 = r.timeline.iter().map(|w| w.throughput_rps * w.len_s).sum();
    assert!(served > 2_900.0, "{served}");
}

/// Requests refused because too many are in flight count as lost, so every
/// offered request is accounted for as served, dropped or timed out.
#[test]
fn requests_refused_for_too_many_in_flight_count_as_lost() {
    // 1,000 req/s against 200 req/s of service: the 50 in-flight places
    // fill within a tenth of a second, and then most arrivals are refused.
    let net = single(exp_station("api", 5.0, 1, 1));
    let s = scenario(10.0, vec![]);
    for engine in [EngineChoice::Auto, EngineChoice::EventList] {
        let mut cfg = TimelineConfig::new(1_000.0);
        cfg.max_in_flight = 50;
        cfg.engine = engine;
        let r = run_timeline(&net, &s, &cfg, &AtomicBool::new(false)).expect("runs");
        let total = |f: fn(&Window) -> f64| -> f64 { r.timeline.iter().map(f).sum() };
        let offered = total(|w| w.offered_rps * w.len_s);
        let served = total(|w| w.throughput_rps * w.len_s);
        let lost = r.summary.lost_requests as f64;
        assert!(lost > 0.7 * offered, "{engine:?}: lost {lost} of {offered}");
        // Requests still in flight at the end are neither served nor lost.
        let unaccounted = offered - served - lost;
        assert!(
            (0.0..=50.0).contains(&unaccounted),
            "{engine:?}: {unaccounted} unaccounted"
        );
    }
}
