//! Bad input gets a clear error naming the station; overload stays bounded;
//! random networks never panic and keep the report's invariants.

use std::sync::Mutex;
use std::sync::atomic::AtomicBool;

use mlsd_studio::sim::hardware;
use mlsd_studio::sim::{
    AnnIndex, Batching, Call, EngineChoice, InferenceModel, Network, NetworkError, Progress,
    RunConfig, ServiceTime, SimError, SimReport, Station, StationIndex, Traffic, Work, run,
    run_with_progress, run_within_budget,
};
use proptest::prelude::*;

const ENGINES: [EngineChoice; 2] = [EngineChoice::Auto, EngineChoice::EventList];

fn exp(name: &str, mean_ms: f64) -> Station {
    Station::service(name, ServiceTime::Exponential { mean_ms })
}

fn chain(stations: Vec<Station>) -> Result<Network, NetworkError> {
    let calls = (1..stations.len())
        .map(|i| Call::new(StationIndex(i - 1), StationIndex(i)))
        .collect();
    Network::new(stations, calls, StationIndex(0))
}

#[track_caller]
fn assert_names(err: impl std::fmt::Display, name: &str) {
    let msg = err.to_string();
    assert!(msg.contains(name), "'{msg}' does not name '{name}'");
}

#[test]
fn a_cycle_is_refused_and_named() {
    let stations = vec![
        exp("gateway", 1.0),
        exp("ranker", 1.0),
        exp("features", 1.0),
    ];
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)),
        Call::new(StationIndex(1), StationIndex(2)),
        Call::new(StationIndex(2), StationIndex(1)),
    ];
    let err = Network::new(stations, calls, StationIndex(0)).expect_err("a cycle");
    assert!(
        matches!(&err, NetworkError::Cycle { path } if path.len() == 3),
        "{err:?}"
    );
    assert_names(&err, "ranker → features → ranker");
    let self_loop = Network::new(
        vec![exp("solo", 1.0)],
        vec![Call::new(StationIndex(0), StationIndex(0))],
        StationIndex(0),
    );
    assert_names(self_loop.expect_err("a self-loop"), "solo → solo");
}

#[test]
fn zero_servers_are_refused_and_named() {
    let err = chain(vec![
        exp("gateway", 1.0),
        exp("ranker", 1.0).with_servers(0, 3),
    ])
    .expect_err("zero servers");
    assert_eq!(
        err,
        NetworkError::ZeroServers {
            station: "ranker".into()
        }
    );
    let err = chain(vec![exp("gateway", 1.0).with_servers(4, 0)]).expect_err("zero replicas");
    assert_names(err, "gateway");
}

#[test]
fn nan_and_negative_parameters_are_refused_and_named() {
    let cases: Vec<(Station, &str)> = vec![
        (exp("nan-mean", f64::NAN), "not a number"),
        (exp("negative-mean", -1.0), "negative"),
        (exp("infinite-mean", f64::INFINITY), "finite"),
        (
            Station::cache("nan-cache", f64::NAN, ServiceTime::Constant { ms: 0.2 }),
            "not a number",
        ),
        (
            Station::cache("big-cache", 1.5, ServiceTime::Constant { ms: 0.2 }),
            "above",
        ),
        (
            Station::service(
                "inverted",
                ServiceTime::LogNormal {
                    p50_ms: 5.0,
                    p99_ms: 2.0,
                },
            ),
            "at least the p50",
        ),
        (exp("neg-timeout", 1.0).with_timeout_ms(-3.0), "negative"),
        (exp("nan-cost", 1.0).with_cost(f64::NAN), "not a number"),
    ];
    for (station, reason) in cases {
        let name = station.name.clone();
        let err = chain(vec![station]).expect_err("invalid parameter");
        assert_names(&err, &name);
        assert_names(&err, reason);
    }
    let calls = vec![Call::new(StationIndex(0), StationIndex(1)).latency_ms(-0.5)];
    let err = Network::new(
        vec![exp("caller", 1.0), exp("callee", 1.0)],
        calls,
        StationIndex(0),
    )
    .expect_err("bad hop");
    assert_names(&err, "caller");
    let calls = vec![Call::new(StationIndex(0), StationIndex(1)).times(f64::NAN)];
    let err = Network::new(
        vec![exp("caller", 1.0), exp("callee", 1.0)],
        calls,
        StationIndex(0),
    )
    .expect_err("bad k");
    assert_names(&err, "calls per request");
}

#[test]
fn missing_entry_and_unknown_stations_are_refused() {
    assert_eq!(
        Network::new(vec![], vec![], StationIndex(0)),
        Err(NetworkError::Empty)
    );
    let err = Network::new(vec![exp("a", 1.0)], vec![], StationIndex(3)).expect_err("no entry");
    assert!(matches!(
        err,
        NetworkError::MissingEntry { index: 3, count: 1 }
    ));
    let err = Network::new(
        vec![exp("a", 1.0)],
        vec![Call::new(StationIndex(0), StationIndex(9))],
        StationIndex(0),
    )
    .expect_err("unknown callee");
    assert_names(err, "'a'");
    let err = Network::new(vec![exp("a", 1.0), exp("a", 2.0)], vec![], StationIndex(0))
        .expect_err("duplicate");
    assert_names(err, "'a'");
}

#[test]
fn huge_values_get_errors_not_hangs() {
    let err = chain(vec![exp("wide", 1.0).with_servers(u32::MAX, u32::MAX)])
        .expect_err("too many servers");
    assert_names(err, "wide");
    let err = chain(vec![exp("slow", 1e300)]).expect_err("absurd service time");
    assert_names(err, "slow");
    // Ten stations each calling the next 100 times: 1e18 visits per request.
    let stations: Vec<Station> = (0..10).map(|i| exp(&format!("s{i}"), 1.0)).collect();
    let calls = (1..10)
        .map(|i| Call::new(StationIndex(i - 1), StationIndex(i)).times(100.0))
        .collect();
    let err = Network::new(stations, calls, StationIndex(0)).expect_err("visit explosion");
    assert!(matches!(err, NetworkError::TooManyVisits { .. }), "{err:?}");
    let calls = vec![Call::new(StationIndex(0), StationIndex(1)).times(1e9)];
    assert!(Network::new(vec![exp("a", 1.0), exp("b", 1.0)], calls, StationIndex(0)).is_err());

    let net = chain(vec![exp("a", 1.0)]).expect("valid");
    for cfg in [
        RunConfig::new(Traffic::rps(1e12)),
        RunConfig::new(Traffic::rps(f64::NAN)),
        RunConfig::new(Traffic::rps(-5.0)),
        RunConfig::new(Traffic::rps(10.0)).with_requests(u64::MAX),
        RunConfig::new(Traffic::rps(10.0)).with_replications(0),
        RunConfig::new(Traffic::rps(10.0)).with_sla_p99_ms(f64::NAN),
    ] {
        assert!(
            matches!(run(&net, &cfg), Err(SimError::Config { .. })),
            "{cfg:?}"
        );
    }

    // Valid but extreme: a million pooled servers, a queue limit of u32::MAX.
    let net = chain(vec![
        exp("farm", 5.0)
            .with_servers(1000, 1000)
            .with_queue_limit(u32::MAX),
    ])
    .expect("valid");
    let r = run(
        &net,
        &RunConfig::new(Traffic::rps(1e6))
            .with_requests(20_000)
            .with_replications(2),
    )
    .expect("runs");
    assert!(!r.unstable && r.stations[0].utilisation.mean < 0.01);

    // Valid but extreme: a service time of 1e8 ms and a tiny load still finish.
    let net = chain(vec![exp("glacial", 1e8).with_servers(1000, 1000)]).expect("valid");
    let cfg = RunConfig::new(Traffic::rps(1e-6))
        .with_requests(100)
        .with_replications(2);
    let r = run(&net, &cfg).expect("finishes");
    assert!(r.latency_ms.is_some());
}

#[test]
fn overload_is_bounded_and_reported_unstable() {
    for engine in ENGINES {
        // Utilisation 1.5 with no queue limit: only the run's cap bounds memory.
        let net =
            chain(vec![exp("front", 0.1).with_servers(4, 1), exp("hot", 1.5)]).expect("valid");
        let mut cfg = RunConfig::new(Traffic::rps(1000.0))
            .with_requests(50_000)
            .with_replications(2)
            .with_engine(engine);
        cfg.max_queue_len = 2_000;
        let r = run(&net, &cfg).expect("bounded run finishes");
        assert!(r.unstable);
        assert!(r.analytic.unstable && r.analytic.mean_latency_ms.is_none());
        let hot = &r.stations[1];
        assert!((hot.load - 1.5).abs() < 1e-9);
        assert!(hot.max_queue_len <= 2_000 && hot.drops > 0, "{hot:?}");
        assert!(hot.utilisation.mean > 0.99, "{hot:?}");
        assert!(
            r.drop_rate.mean > 0.2,
            "a third of the requests cannot be served"
        );
        assert_eq!(r.bottleneck.as_deref(), Some("hot"));
        assert!(
            r.warnings.iter().any(|w| w.contains("hot")),
            "{:?}",
            r.warnings
        );
        let sat = r.saturation_rps.expect("finite");
        assert!((sat - 1000.0 / 1.5).abs() < 1e-6);

        // With its own queue limit, the station drops instead.
        let net = chain(vec![exp("hot", 1.5).with_queue_limit(10)]).expect("valid");
        let r = run(
            &net,
            &RunConfig::new(Traffic::rps(1000.0))
                .with_requests(20_000)
                .with_replications(2)
                .with_engine(engine),
        )
        .expect("finishes");
        assert!(r.stations[0].max_queue_len <= 10 && r.unstable);
    }
}

#[test]
fn timeouts_are_counted() {
    for engine in ENGINES {
        let net = chain(vec![exp("slow", 1.0).with_timeout_ms(2.0)]).expect("valid");
        let r = run(
            &net,
            &RunConfig::new(Traffic::rps(950.0))
                .with_requests(20_000)
                .with_replications(2)
                .with_engine(engine),
        )
        .expect("finishes");
        assert!(
            r.timeout_rate.mean > 0.0 && r.stations[0].timeouts > 0,
            "{r:?}"
        );
        assert!(r.throughput_rps.mean < 950.0);
    }
}

#[test]
fn cancel_stops_a_run_and_progress_is_reported() {
    for engine in ENGINES {
        let net = chain(vec![exp("a", 1.0)]).expect("valid");
        let cfg = RunConfig::new(Traffic::rps(500.0))
            .with_requests(40_000)
            .with_replications(2)
            .with_engine(engine);
        let cancelled = AtomicBool::new(true);
        assert_eq!(
            run_with_progress(&net, &cfg, &cancelled, &|_| {}),
            Err(SimError::Cancelled)
        );
        let seen = Mutex::new(Vec::new());
        let record = |p: Progress| seen.lock().expect("not poisoned").push(p.fraction());
        run_with_progress(&net, &cfg, &AtomicBool::new(false), &record).expect("runs");
        let seen = seen.into_inner().expect("not poisoned");
        assert!(seen.len() > 2 && seen.iter().all(|f| (0.0..=1.0).contains(f)));
        assert_eq!(seen.last(), Some(&1.0));
    }
}

#[test]
fn report_serialises_to_json_with_the_documented_keys() {
    let net = chain(vec![exp("a", 1.0)]).expect("valid");
    let cfg = RunConfig::new(Traffic::rps(100.0))
        .with_requests(2_000)
        .with_replications(2)
        .with_sla_p99_ms(50.0);
    let json = serde_json::to_value(run(&net, &cfg).expect("runs")).expect("serialises");
    for key in [
        "offered_rps",
        "latency_ms",
        "throughput_rps",
        "drop_rate",
        "timeout_rate",
        "stations",
        "bottleneck",
        "saturation_rps",
        "cost_usd_per_hour",
        "cost_usd_per_million_requests",
        "sla",
        "unstable",
        "analytic",
    ] {
        assert!(json.get(key).is_some(), "missing {key}");
    }
    assert!(json["latency_ms"]["p999"]["ci95_half_width"].is_number());
    assert_eq!(json["sla"]["holds"], serde_json::Value::Bool(true));
}

/// A random station of any kind.
fn station_strategy(i: usize) -> impl Strategy<Value = Station> {
    let service = prop_oneof![
        (0.0..5.0f64).prop_map(|ms| ServiceTime::Constant { ms }),
        (0.01..5.0f64).prop_map(|mean_ms| ServiceTime::Exponential { mean_ms }),
        (0.01..3.0f64, 1.0..10.0f64).prop_map(|(p50_ms, r)| ServiceTime::LogNormal {
            p50_ms,
            p99_ms: p50_ms * r
        }),
    ];
    let kind = prop_oneof![
        service
            .clone()
            .prop_map(move |s| Station::service(&format!("svc{i}"), s)),
        (0.0..=1.0f64, service).prop_map(move |(h, s)| Station::cache(&format!("cache{i}"), h, s)),
        (0.0..3.0f64, 1.0..600.0f64, 1u32..64, 0.0..3.0f64, 0usize..3).prop_map(
            move |(g, items, b, w, hw)| {
                let hardware = hardware::catalog().swap_remove([0, 6, 9][hw]);
                Station::inference(
                    &format!("model{i}"),
                    InferenceModel {
                        gflops_per_item: g,
                        items_per_request: items,
                        hardware,
                        batching: Batching {
                            max_batch_requests: b,
                            max_wait_ms: w,
                        },
                        tail_ratio: 1.3,
                    },
                )
            }
        ),
        (1e3..1e8f64, 0.5..=1.0f64).prop_map(move |(n, r)| {
            let index = AnnIndex {
                vectors: n,
                dimensions: 64,
                recall_target: r,
                hnsw_m: 16,
                tail_ratio: 1.5,
            };
            Station::ann(&format!("ann{i}"), index, &hardware::catalog()[0])
        }),
    ];
    (
        kind,
        1u32..4,
        1u32..3,
        proptest::option::of(0u32..20),
        proptest::option::of(0.0..20.0f64),
        any::<bool>(),
    )
        .prop_map(|(s, servers, replicas, limit, timeout, parallel)| {
            let mut s = s.with_servers(servers, replicas);
            s.queue_limit = limit;
            s.timeout_ms = timeout;
            if parallel { s.parallel() } else { s }
        })
}

/// A random DAG: calls only go from lower to higher indices.
fn network_strategy() -> impl Strategy<Value = Network> {
    (1usize..6)
        .prop_flat_map(|n| {
            let stations: Vec<_> = (0..n).map(station_strategy).collect();
            let calls = proptest::collection::vec(
                (
                    0..n,
                    0..n,
                    prop_oneof![Just(0.3), Just(1.0), Just(1.5), Just(2.0)],
                    0.0..2.0f64,
                ),
                0..8,
            );
            (stations, calls)
        })
        .prop_map(|(stations, raw)| {
            let calls = raw
                .into_iter()
                .filter(|(a, b, _, _)| a < b)
                .map(|(a, b, k, lat)| {
                    Call::new(StationIndex(a), StationIndex(b))
                        .times(k)
                        .latency_ms(lat)
                })
                .collect();
            Network::new(stations, calls, StationIndex(0))
                .expect("generated networks are valid DAGs")
        })
}

fn check_invariants(r: &SimReport) {
    assert!(
        r.throughput_rps.mean <= r.offered_rps * (1.0 + 1e-12),
        "throughput above offered"
    );
    assert!(r.throughput_rps.mean >= 0.0);
    assert!((0.0..=1.0).contains(&r.drop_rate.mean) && (0.0..=1.0).contains(&r.timeout_rate.mean));
    assert!(r.drop_rate.mean + r.timeout_rate.mean <= 1.0 + 1e-12);
    for s in &r.stations {
        assert!(
            s.utilisation.mean >= 0.0 && s.utilisation.mean <= 1.0 + 1e-9,
            "{s:?}"
        );
        assert!(s.load >= 0.0 && s.mean_queue_len.mean >= 0.0, "{s:?}");
    }
    if let Some(l) = &r.latency_ms {
        let p = [
            l.min,
            l.p50.mean,
            l.p90.mean,
            l.p95.mean,
            l.p99.mean,
            l.p999.mean,
            l.max,
        ];
        assert!(
            p.windows(2).all(|w| w[0] <= w[1] + 1e-9),
            "percentiles not monotone: {p:?}"
        );
        assert!(l.mean.mean >= l.min - 1e-9 && l.mean.mean <= l.max + 1e-9);
    }
    assert!(r.cost_usd_per_hour >= 0.0);
    assert!(
        r.analytic
            .stations
            .iter()
            .all(|s| s.utilisation >= 0.0 && s.load >= 0.0)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_networks_never_panic_and_keep_invariants(
        net in network_strategy(),
        rps in 1.0..3000.0f64,
        seed in any::<u64>(),
        event_list in any::<bool>(),
    ) {
        let engine = if event_list { EngineChoice::EventList } else { EngineChoice::Auto };
        let mut cfg = RunConfig::new(Traffic::rps(rps))
            .with_requests(1_500)
            .with_replications(2)
            .with_seed(seed)
            .with_engine(engine);
        cfg.max_queue_len = 500;
        let r = run(&net, &cfg).expect("valid networks run");
        check_invariants(&r);
        prop_assert!(serde_json::to_string(&r).is_ok());
    }
}

#[test]
fn an_overloaded_station_serves_no_more_than_its_saturation() {
    for engine in ENGINES {
        // One server of 1 ms saturates at 1,000 req/s; offer twice that.
        let net = chain(vec![exp("single", 1.0).with_servers(1, 1)]).expect("valid");
        let r = run(
            &net,
            &RunConfig::new(Traffic::rps(2_000.0))
                .with_requests(40_000)
                .with_replications(2)
                .with_engine(engine),
        )
        .expect("finishes");
        let sat = r.saturation_rps.expect("finite");
        assert!((sat - 1_000.0).abs() < 1e-6);
        assert!(r.unstable);
        let served = r.throughput_rps.mean;
        assert!(
            served <= sat * 1.02 && served > sat * 0.9,
            "{engine:?}: throughput {served} with saturation {sat}"
        );
    }
}

#[test]
fn latencies_beyond_the_histogram_are_unknown_not_wrong() {
    // A 1e9 ms (11.6-day) mean service time: the histogram cannot hold it.
    let net = chain(vec![exp("geological", 1e9).with_servers(1_000, 1)]).expect("valid");
    let r = run(
        &net,
        &RunConfig::new(Traffic::rps(1e-6))
            .with_requests(200)
            .with_replications(2),
    )
    .expect("finishes");
    assert!(r.latency_ms.is_none(), "{:?}", r.latency_ms);
    assert!(
        r.warnings.iter().any(|w| w.contains("unknown")),
        "{:?}",
        r.warnings
    );
}

/// Three stations where each request makes 1,000 × 998 calls at the end.
fn huge_fan_out() -> Network {
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)).times(1_000.0),
        Call::new(StationIndex(1), StationIndex(2)).times(998.0),
    ];
    Network::new(
        vec![exp("root", 0.01), exp("mid", 0.01), exp("leaf", 0.01)],
        calls,
        StationIndex(0),
    )
    .expect("valid")
}

#[test]
fn a_run_above_the_work_budget_is_refused_naming_the_product() {
    let net = huge_fan_out();
    let cfg = RunConfig::new(Traffic::rps(1.0))
        .with_requests(100)
        .with_replications(10);
    let work = Work::of(&net, &cfg);
    assert!((work.visits_per_request - (1.0 + 1_000.0 + 998_000.0)).abs() < 1e-6);
    assert!(!work.fits());
    let err = run(&net, &cfg).expect_err("over the budget");
    let msg = err.to_string();
    assert!(
        matches!(err, SimError::OverBudget { .. }),
        "{err:?} is not a budget refusal"
    );
    for part in ["100 requests", "10 replications", "999001", "budget"] {
        assert!(msg.contains(part), "'{msg}' lacks '{part}'");
    }
    // The runs the app starts itself are scaled down instead, and say so.
    let (fitted, asked) = cfg.clone().fit_to_budget(&net).expect("some fit");
    assert_eq!(asked, Some(100));
    assert!(Work::of(&net, &fitted).fits());
    assert!(fitted.requests_per_replication >= 10 && fitted.requests_per_replication < 100);
    // A billion requests on a one-station network is refused too.
    let one = chain(vec![exp("one", 1.0)]).expect("valid");
    let billion = RunConfig::new(Traffic::rps(100.0))
        .with_requests(1_000_000_000)
        .with_replications(10);
    assert!(matches!(
        run(&one, &billion),
        Err(SimError::OverBudget {
            fitting_requests: Some(_),
            ..
        })
    ));
}

#[test]
fn a_run_within_budget_reports_that_it_was_scaled_down() {
    let net = chain(vec![
        exp("a", 0.01),
        exp("b", 0.01).parallel(),
        exp("c", 0.01),
    ])
    .expect("valid");
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)).times(100.0),
        Call::new(StationIndex(1), StationIndex(2)).times(100.0),
    ];
    let net = Network::new(net.stations().to_vec(), calls, StationIndex(0)).expect("valid");
    let cfg = RunConfig::new(Traffic::rps(1.0))
        .with_requests(100_000)
        .with_replications(4);
    let r = run_within_budget(&net, &cfg, &AtomicBool::new(false), &|_| {}).expect("runs");
    assert!(r.requests_per_replication < 100_000);
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("instead of 100000") && w.contains("budget")),
        "{:?}",
        r.warnings
    );
}

#[test]
fn the_analytic_model_stays_quick_on_huge_pools_and_wide_fan_outs() {
    use mlsd_studio::sim::analyze;
    // 20,000 stations of a million servers each: Erlang's recursion stops
    // early instead of running to a million for every station.
    let stations: Vec<Station> = (0..20_000)
        .map(|i| exp(&format!("s{i}"), 1.0).with_servers(1_000_000, 1))
        .collect();
    let net = chain(stations).expect("valid");
    let a = analyze(&net, &Traffic::rps(1_000.0));
    let mean = a.mean_latency_ms.expect("stable");
    assert!((mean - 20_000.0).abs() < 1.0, "{mean}");

    // 20,000 parallel branches with distinct delays: the estimate of their
    // maximum is linear in the branches.
    let mut stations = vec![exp("root", 0.1).parallel()];
    stations.extend((0..20_000).map(|i| exp(&format!("leaf{i}"), 1.0 + f64::from(i) * 1e-4)));
    let calls = (1..stations.len())
        .map(|i| Call::new(StationIndex(0), StationIndex(i)))
        .collect();
    let net = Network::new(stations, calls, StationIndex(0)).expect("valid");
    let a = analyze(&net, &Traffic::rps(1.0));
    let mean = a.mean_latency_ms.expect("stable");
    // The maximum of 20,000 exponentials of mean 1–3 ms: about 10–30 ms.
    assert!(mean > 10.0 && mean < 35.0, "{mean}");
}
