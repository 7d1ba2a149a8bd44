//! Simulator throughput: events per second on one core for a 3-station
//! M/M/c tandem near 90% load, a 10-station serving design at 100,000
//! requests, and the analytic estimate. The default engine (the station
//! sweep) is measured beside the general event-list engine.

use std::sync::atomic::AtomicBool;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mlsd_studio::diagram::{EventKind, Scenario, TimedEvent};
use mlsd_studio::sim::hardware;
use mlsd_studio::sim::timeline::{TimelineConfig, run_timeline};
use mlsd_studio::sim::{
    AnnIndex, Batching, Call, EngineChoice, InferenceModel, Network, RunConfig, ServiceTime,
    Station, StationIndex, Traffic, analyze, run,
};

fn tandem() -> Network {
    let s = |name: &str| {
        Station::service(name, ServiceTime::Exponential { mean_ms: 1.0 }).with_servers(4, 1)
    };
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)),
        Call::new(StationIndex(1), StationIndex(2)),
    ];
    Network::new(vec![s("a"), s("b"), s("c")], calls, StationIndex(0)).expect("valid tandem")
}

/// A recommender's serving path: gateway, response cache, parallel
/// retrieval (ANN, user features, trending), feature hydration, a GPU ranker
/// with dynamic batching, a re-ranker and logging.
pub fn ten_station_design() -> Network {
    let cpu = hardware::find("cpu-c6i-2xlarge").expect("in catalog");
    let t4 = hardware::find("gpu-t4").expect("in catalog");
    let lognormal = |p50_ms, p99_ms| ServiceTime::LogNormal { p50_ms, p99_ms };
    let stations = vec![
        Station::service("gateway", ServiceTime::Exponential { mean_ms: 0.2 })
            .with_servers(8, 2)
            .with_cost(cpu.cost_usd_per_hour),
        Station::cache("response-cache", 0.3, lognormal(0.25, 1.0))
            .with_servers(64, 1)
            .with_cost(0.2),
        Station::service("retrieval", ServiceTime::Constant { ms: 0.05 })
            .with_servers(8, 2)
            .parallel(),
        Station::ann(
            "ann-index",
            AnnIndex {
                vectors: 1e7,
                dimensions: 128,
                recall_target: 0.95,
                hnsw_m: 16,
                tail_ratio: 1.5,
            },
            &cpu,
        )
        .with_servers(8, 2),
        Station::service("user-features", lognormal(1.0, 4.0))
            .with_servers(32, 1)
            .with_cost(0.3),
        Station::service("trending", ServiceTime::Exponential { mean_ms: 0.5 })
            .with_servers(4, 1)
            .with_cost(0.1),
        Station::service("item-features", lognormal(1.5, 6.0))
            .with_servers(32, 1)
            .with_cost(0.3),
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
        .with_servers(1, 4),
        Station::service("re-ranker", ServiceTime::Exponential { mean_ms: 0.3 })
            .with_servers(8, 1)
            .with_cost(cpu.cost_usd_per_hour),
        Station::service("logging", ServiceTime::Exponential { mean_ms: 0.1 })
            .with_servers(4, 1)
            .with_cost(0.1),
    ];
    let c = |a, b| Call::new(StationIndex(a), StationIndex(b)).latency_ms(0.3);
    let calls = vec![
        c(0, 1),
        c(1, 2),
        c(2, 3),
        c(2, 4),
        c(2, 5),
        c(1, 6),
        c(1, 7),
        c(1, 8),
        c(0, 9).times(0.5),
    ];
    Network::new(stations, calls, StationIndex(0)).expect("valid design")
}

fn tandem_events_per_second(c: &mut Criterion) {
    let net = tandem();
    // Each station has 4 servers of mean 1 ms: 3,600 rps is 90% load.
    let cfg = RunConfig::new(Traffic::rps(3_600.0))
        .with_requests(500_000)
        .with_replications(1);
    let events = run(&net, &cfg).expect("runs").events;
    let mut g = c.benchmark_group("des");
    g.sample_size(10);
    g.throughput(Throughput::Elements(events));
    g.bench_function(
        "tandem 3×M/M/4 at 90% load, 500k requests, one core",
        |b| b.iter(|| run(&net, &cfg).expect("runs")),
    );
    let cfg = cfg.with_engine(EngineChoice::EventList);
    g.bench_function(
        "tandem 3×M/M/4 at 90% load, 500k requests, one core, event list",
        |b| b.iter(|| run(&net, &cfg).expect("runs")),
    );
    g.finish();
}

fn ten_stations(c: &mut Criterion) {
    let net = ten_station_design();
    let traffic = Traffic::rps(2_000.0);
    let mut g = c.benchmark_group("design");
    g.sample_size(20);
    for replications in [1u32, 2, 4] {
        let cfg = RunConfig::new(traffic)
            .with_requests(100_000 / u64::from(replications))
            .with_replications(replications);
        let events = run(&net, &cfg).expect("runs").events;
        g.throughput(Throughput::Elements(events));
        g.bench_function(
            format!("10 stations, 100k requests as {replications} replication(s)"),
            |b| b.iter(|| run(&net, &cfg).expect("runs")),
        );
    }
    let cfg = RunConfig::new(traffic)
        .with_requests(50_000)
        .with_replications(2)
        .with_engine(EngineChoice::EventList);
    g.bench_function(
        "10 stations, 100k requests as 2 replication(s), event list",
        |b| b.iter(|| run(&net, &cfg).expect("runs")),
    );
    g.finish();
    c.bench_function("analytic estimate, 10 stations", |b| {
        b.iter(|| analyze(&net, &traffic))
    });
}

/// The inputs that once took minutes: a 20,000-station chain of a million
/// servers each, 20,000 distinct parallel branches, and a request that fans
/// out to a million visits (the slowest case per visit, inside the budget).
fn hostile_inputs(c: &mut Criterion) {
    let exp =
        |name: String, mean_ms: f64| Station::service(&name, ServiceTime::Exponential { mean_ms });
    let mut g = c.benchmark_group("hostile");
    g.sample_size(10);
    let stations: Vec<Station> = (0..20_000)
        .map(|i| exp(format!("s{i}"), 1.0).with_servers(1_000_000, 1))
        .collect();
    let calls = (1..stations.len())
        .map(|i| Call::new(StationIndex(i - 1), StationIndex(i)))
        .collect();
    let chain = Network::new(stations, calls, StationIndex(0)).expect("valid chain");
    g.bench_function("analytic, 20,000-station chain of 1M servers each", |b| {
        b.iter(|| analyze(&chain, &Traffic::rps(1_000.0)))
    });
    let mut stations = vec![exp("root".into(), 0.1).parallel()];
    stations.extend((0..20_000).map(|i| exp(format!("leaf{i}"), 1.0 + f64::from(i) * 1e-4)));
    let calls = (1..stations.len())
        .map(|i| Call::new(StationIndex(0), StationIndex(i)))
        .collect();
    let wide = Network::new(stations, calls, StationIndex(0)).expect("valid fan-out");
    g.bench_function("analytic, 20,000 distinct parallel branches", |b| {
        b.iter(|| analyze(&wide, &Traffic::rps(1.0)))
    });
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)).times(1_000.0),
        Call::new(StationIndex(1), StationIndex(2)).times(998.0),
    ];
    let fan = Network::new(
        vec![
            exp("root".into(), 0.01),
            exp("mid".into(), 0.01),
            exp("leaf".into(), 0.01),
        ],
        calls,
        StationIndex(0),
    )
    .expect("valid fan-out");
    let cfg = RunConfig::new(Traffic::rps(1.0))
        .with_requests(20)
        .with_replications(1);
    let visits = 20 * 999_001;
    g.throughput(Throughput::Elements(visits));
    g.bench_function(
        "1,000 × 998 calls per request, 20 requests (visits/s)",
        |b| b.iter(|| run(&fan, &cfg).expect("runs")),
    );
    g.finish();
}

/// The 10-station design, five times larger, under a 10-minute scenario at
/// 10,000 req/s (6 million requests) with 1 s windows: a spike, a failure
/// and its recovery.
fn ten_minute_scenario(c: &mut Criterion) {
    let design = ten_station_design();
    let stations = design
        .stations()
        .iter()
        .cloned()
        .map(|mut s| {
            s.replicas *= 5;
            s
        })
        .collect();
    let net = Network::new(stations, design.calls().to_vec(), design.entry()).expect("valid");
    let ranker = net.stations()[5].name.clone();
    let at = |at_s, kind| TimedEvent { at_s, kind };
    let scenario = Scenario {
        duration_s: 600.0,
        window_s: 1.0,
        start_rps: None,
        events: vec![
            at(
                200.0,
                EventKind::Spike {
                    factor: 1.5,
                    for_s: 60.0,
                },
            ),
            at(
                400.0,
                EventKind::Fail {
                    node: ranker.clone(),
                    fraction: 0.2,
                },
            ),
            at(450.0, EventKind::Recover { node: ranker }),
        ],
    };
    let cfg = TimelineConfig::new(10_000.0);
    let cancel = AtomicBool::new(false);
    let report = run_timeline(&net, &scenario, &cfg, &cancel).expect("runs");
    let requests = report.summary.offered_requests;
    let mut g = c.benchmark_group("timeline");
    g.sample_size(10);
    g.throughput(Throughput::Elements(requests));
    g.bench_function(
        "10 stations, 10 minutes at 10,000 req/s, 1 s windows",
        |b| b.iter(|| run_timeline(&net, &scenario, &cfg, &cancel).expect("runs")),
    );
    g.finish();
}

/// Right-sizing the 10-station design, over-provisioned twice over, at
/// 2,000 req/s against a 25 ms p99: the analytic prune, the confirming
/// runs and the proof that nothing cheaper passes.
fn right_size_ten_stations(c: &mut Criterion) {
    use mlsd_studio::sim::right_size::{RightSizeConfig, right_size};
    let design = ten_station_design();
    let doubled: Vec<Station> = design
        .stations()
        .iter()
        .map(|s| {
            let mut s = s.clone();
            s.replicas *= 2;
            s
        })
        .collect();
    let net = Network::new(doubled, design.calls().to_vec(), design.entry()).expect("valid");
    let mut cfg = RightSizeConfig::new(2_000.0, 25.0);
    cfg.time_budget = std::time::Duration::from_secs(30);
    let found = right_size(&net, &cfg).expect("a design");
    println!(
        "right-size: {:?} → {:?}, {} DES runs, proven {}",
        net.stations()
            .iter()
            .map(|s| s.replicas)
            .collect::<Vec<_>>(),
        found.replicas,
        found.des_runs,
        found.proven_optimal
    );
    let mut g = c.benchmark_group("right-size");
    g.sample_size(10);
    g.bench_function("10 stations at 2,000 req/s, p99 25 ms", |b| {
        b.iter(|| right_size(&net, &cfg).expect("a design"))
    });
    let mut any_hardware = cfg.clone();
    any_hardware.choose_hardware = true;
    let moved = right_size(&net, &any_hardware).expect("a design");
    println!(
        "right-size with hardware: {:?}, {} DES runs, proven {}",
        moved
            .stations
            .iter()
            .filter_map(|s| s.hardware_moved())
            .collect::<Vec<_>>(),
        moved.des_runs,
        moved.proven_optimal
    );
    g.bench_function("10 stations at 2,000 req/s, p99 25 ms, any hardware", |b| {
        b.iter(|| right_size(&net, &any_hardware).expect("a design"))
    });
    g.finish();
}

criterion_group!(
    benches,
    right_size_ten_stations,
    tandem_events_per_second,
    ten_stations,
    hostile_inputs,
    ten_minute_scenario
);
criterion_main!(benches);
