//! The station sweep and the event-list engine model the same thing: on
//! networks with caches, fan-out, batching, log-normal services, optional
//! calls, queue limits and timeouts they agree within their confidence
//! intervals, and networks the sweep cannot order fall back to the event list.

use mlsd_studio::sim::sweep::Plan;
use mlsd_studio::sim::{
    AnnIndex, Batching, Call, EngineChoice, Estimate, InferenceModel, Network, RunConfig,
    ServiceTime, SimReport, Station, StationIndex, Traffic, hardware, run,
};

fn both(net: &Network, rps: f64, requests: u64) -> (SimReport, SimReport) {
    let cfg = |engine| {
        RunConfig::new(Traffic::rps(rps))
            .with_requests(requests)
            .with_replications(10)
            .with_seed(7)
            .with_engine(engine)
    };
    (
        run(net, &cfg(EngineChoice::Auto)).expect("sweep runs"),
        run(net, &cfg(EngineChoice::EventList)).expect("event list runs"),
    )
}

/// |a − b| within 3 combined half-widths, or `floor` when both are tight.
#[track_caller]
fn assert_agree(what: &str, a: &Estimate, b: &Estimate, floor: f64) {
    let hw = a.half_width().hypot(b.half_width());
    let diff = (a.mean - b.mean).abs();
    eprintln!("{what}: sweep {} vs events {} (±{hw})", a.mean, b.mean);
    assert!(
        diff <= (3.0 * hw).max(floor),
        "{what}: sweep {} and events {} differ by {diff}, more than 3 × {hw}",
        a.mean,
        b.mean
    );
}

fn lognormal(p50_ms: f64, p99_ms: f64) -> ServiceTime {
    ServiceTime::LogNormal { p50_ms, p99_ms }
}

/// A recommender's serving path with every kind of station and call.
fn serving_design() -> Network {
    let cpu = hardware::find("cpu-c6i-2xlarge").expect("in catalog");
    let t4 = hardware::find("gpu-t4").expect("in catalog");
    let stations = vec![
        Station::service("gateway", ServiceTime::Exponential { mean_ms: 0.2 }).with_servers(2, 1),
        Station::cache("cache", 0.3, lognormal(0.25, 1.0)).with_servers(8, 1),
        Station::service("retrieval", ServiceTime::Constant { ms: 0.05 })
            .with_servers(4, 1)
            .parallel(),
        Station::ann(
            "ann",
            AnnIndex {
                vectors: 1e7,
                dimensions: 128,
                recall_target: 0.95,
                hnsw_m: 16,
                tail_ratio: 1.5,
            },
            &cpu,
        )
        .with_servers(4, 1),
        Station::service("features", lognormal(1.0, 4.0)).with_servers(4, 1),
        Station::inference(
            "ranker",
            InferenceModel {
                gflops_per_item: 0.02,
                items_per_request: 500.0,
                hardware: t4,
                batching: Batching {
                    max_batch_requests: 8,
                    max_wait_ms: 1.0,
                },
                tail_ratio: 1.3,
            },
        )
        .with_servers(1, 2),
        Station::service("logging", ServiceTime::Exponential { mean_ms: 0.5 }).with_servers(1, 1),
    ];
    let c = |a, b| Call::new(StationIndex(a), StationIndex(b)).latency_ms(0.3);
    let calls = vec![
        c(0, 1),
        c(1, 2),
        c(2, 3),
        c(2, 4),
        c(1, 5),
        c(0, 6).times(0.5),
    ];
    Network::new(stations, calls, StationIndex(0)).expect("valid design")
}

#[test]
fn the_engines_agree_on_a_serving_design() {
    let net = serving_design();
    assert!(Plan::new(&net).is_some(), "the design can be swept");
    let (sweep, events) = both(&net, 2_000.0, 20_000);
    let (a, b) = (
        sweep.latency_ms.expect("succeeds"),
        events.latency_ms.expect("succeeds"),
    );
    assert_agree("mean latency", &a.mean, &b.mean, 0.01 * b.mean.mean);
    assert_agree("p50", &a.p50, &b.p50, 0.01 * b.p50.mean);
    assert_agree("p99", &a.p99, &b.p99, 0.02 * b.p99.mean);
    assert_agree(
        "in system",
        &sweep.mean_in_system,
        &events.mean_in_system,
        0.01,
    );
    for (x, y) in sweep.stations.iter().zip(&events.stations) {
        assert_agree(&x.name, &x.utilisation, &y.utilisation, 0.005);
        assert_agree(&x.name, &x.mean_queue_len, &y.mean_queue_len, 0.005);
        if let (Some(p), Some(q)) = (&x.mean_batch_size, &y.mean_batch_size) {
            assert_agree("batch size", p, q, 0.02);
        }
    }
    assert!(events.stations[5].mean_batch_size.is_some());
}

#[test]
fn the_engines_agree_on_drops_and_timeouts() {
    // A front end near saturation that times out after 3 ms of waiting,
    // feeding a station that drops arrivals beyond 5 waiting.
    let stations = vec![
        Station::service("front", ServiceTime::Exponential { mean_ms: 1.0 })
            .with_servers(1, 1)
            .with_timeout_ms(3.0),
        Station::service("limited", lognormal(1.5, 6.0))
            .with_servers(2, 1)
            .with_queue_limit(5),
    ];
    let calls = vec![Call::new(StationIndex(0), StationIndex(1)).latency_ms(0.1)];
    let net = Network::new(stations, calls, StationIndex(0)).expect("valid");
    let (sweep, events) = both(&net, 850.0, 20_000);
    assert!(events.drop_rate.mean > 0.001 && events.timeout_rate.mean > 0.01);
    assert_agree("drop rate", &sweep.drop_rate, &events.drop_rate, 0.002);
    assert_agree(
        "timeout rate",
        &sweep.timeout_rate,
        &events.timeout_rate,
        0.002,
    );
    assert_agree(
        "throughput",
        &sweep.throughput_rps,
        &events.throughput_rps,
        5.0,
    );
}

#[test]
fn networks_without_a_sweep_order_fall_back_to_the_event_list() {
    let s = |name: &str| {
        Station::service(name, ServiceTime::Exponential { mean_ms: 0.5 }).with_servers(2, 1)
    };
    let c = |a, b| Call::new(StationIndex(a), StationIndex(b));
    // "api" asks "model" then "store"; "model" also reads "store", so the
    // second call's arrivals at "store" wait on the first call's visits.
    let diamond = Network::new(
        vec![s("api"), s("model"), s("store")],
        vec![c(0, 1), c(0, 2), c(1, 2)],
        StationIndex(0),
    )
    .expect("valid");
    assert_eq!(Plan::new(&diamond), None);
    // A call made twice per request repeats at its own station.
    let repeated = Network::new(
        vec![s("api"), s("store")],
        vec![c(0, 1).times(2.0)],
        StationIndex(0),
    )
    .expect("valid");
    assert_eq!(Plan::new(&repeated), None);
    for net in [&diamond, &repeated] {
        let cfg = RunConfig::new(Traffic::rps(500.0))
            .with_requests(2_000)
            .with_replications(2);
        let auto = run(net, &cfg).expect("runs");
        let events = run(net, &cfg.clone().with_engine(EngineChoice::EventList)).expect("runs");
        assert_eq!(
            serde_json::to_string(&auto).expect("serialises"),
            serde_json::to_string(&events).expect("serialises")
        );
    }
    // In parallel the same shape has an order: "store" after "model".
    let parallel = Network::new(
        vec![s("api").parallel(), s("model"), s("store")],
        vec![c(0, 1), c(0, 2), c(1, 2)],
        StationIndex(0),
    )
    .expect("valid");
    assert!(Plan::new(&parallel).is_some());
}

#[test]
fn a_later_sequential_call_is_swept_after_everything_the_earlier_one_reaches() {
    let s =
        |name: &str| Station::service(name, ServiceTime::Constant { ms: 1.0 }).with_servers(64, 1);
    let c = |a, b| Call::new(StationIndex(a), StationIndex(b));
    // "api" calls "search" (which calls "index") and then "rank". Listing
    // "rank" before "index" must not let it run before "index".
    let net = Network::new(
        vec![s("api"), s("search"), s("rank"), s("index")],
        vec![c(0, 1), c(0, 2), c(1, 3)],
        StationIndex(0),
    )
    .expect("valid");
    let plan = Plan::new(&net).expect("has an order");
    let at = |i| plan.order().iter().position(|&s| s == i).expect("placed");
    assert!(at(0) < at(1) && at(1) < at(3) && at(3) < at(2), "{plan:?}");
    let r = run(
        &net,
        &RunConfig::new(Traffic::rps(5.0))
            .with_requests(200)
            .with_replications(2),
    )
    .expect("runs");
    let lat = r.latency_ms.expect("succeeds");
    assert!(
        (lat.min - 4.0).abs() < 1e-9 && (lat.max - 4.0).abs() < 1e-9,
        "{lat:?}"
    );
}
