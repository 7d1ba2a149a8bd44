//! The simulator agrees with queueing theory. Every tolerance comes from the
//! run's own 95% confidence interval: |estimate − theory| ≤ max(1% of
//! theory, 3 × half-width), and the half-width itself must be under 1%.
//! Each check runs on both engines: the station sweep and the event list.

use mlsd_studio::sim::{
    Call, EngineChoice, Estimate, Network, RunConfig, ServiceTime, SimReport, Station,
    StationIndex, Traffic, analyze, run,
};

fn exp_station(name: &str, mean_ms: f64, servers: u32) -> Station {
    Station::service(name, ServiceTime::Exponential { mean_ms }).with_servers(servers, 1)
}

fn single(station: Station) -> Network {
    Network::new(vec![station], vec![], StationIndex(0)).expect("valid network")
}

fn tandem(stations: Vec<Station>) -> Network {
    let calls = (1..stations.len())
        .map(|i| Call::new(StationIndex(i - 1), StationIndex(i)))
        .collect();
    Network::new(stations, calls, StationIndex(0)).expect("valid network")
}

/// The same run on each engine; the engine is named on stderr first, so a
/// failure says which one.
fn simulate(net: &Network, rps: f64, requests: u64, replications: u32) -> Vec<SimReport> {
    [EngineChoice::Auto, EngineChoice::EventList]
        .into_iter()
        .map(|engine| {
            let cfg = RunConfig::new(Traffic::rps(rps))
                .with_requests(requests)
                .with_replications(replications)
                .with_seed(20_240_601)
                .with_engine(engine);
            eprintln!("engine: {engine:?}");
            run(net, &cfg).expect("run succeeds")
        })
        .collect()
}

/// Erlang C by its textbook sum, independent of the crate's recursion.
fn erlang_c_sum(c: u32, a: f64) -> f64 {
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..c {
        term *= a / f64::from(k);
        sum += term;
    }
    let last = term * a / f64::from(c) * f64::from(c) / (f64::from(c) - a);
    last / (sum + last)
}

/// Mean response time of M/M/c, in ms.
fn mmc_response_ms(lambda_per_ms: f64, mean_ms: f64, c: u32) -> f64 {
    let a = lambda_per_ms * mean_ms;
    erlang_c_sum(c, a) * mean_ms / (f64::from(c) - a) + mean_ms
}

#[track_caller]
fn assert_close(what: &str, got: &Estimate, theory: f64) {
    let hw = got.half_width();
    eprintln!(
        "{what}: {} ± {hw} (theory {theory}, half-width {:.3}%)",
        got.mean,
        100.0 * hw / theory
    );
    assert!(
        hw <= 0.01 * theory.abs(),
        "{what}: half-width {hw} is not below 1% of {theory}; run longer"
    );
    let tolerance = (0.01 * theory.abs()).max(3.0 * hw);
    let err = (got.mean - theory).abs();
    assert!(
        err <= tolerance,
        "{what}: simulated {} ± {hw}, theory {theory}, error {err} > {tolerance}",
        got.mean
    );
}

#[test]
fn mm1_mean_response_and_wait_probability() {
    // λ = 0.5/ms, μ = 1/ms: W = 1/(μ − λ) = 2 ms, P(wait) = ρ = 0.5.
    let net = single(exp_station("server", 1.0, 1));
    for r in simulate(&net, 500.0, 200_000, 10) {
        let lat = r.latency_ms.as_ref().expect("requests succeed");
        assert_close("M/M/1 mean response", &lat.mean, 2.0);
        let pw = r.stations[0]
            .wait_probability
            .as_ref()
            .expect("services started");
        assert_close("M/M/1 P(wait)", pw, 0.5);
        assert_close("M/M/1 utilisation", &r.stations[0].utilisation, 0.5);
        assert!((r.analytic.mean_latency_ms.expect("stable") - 2.0).abs() < 1e-12);
    }
}

#[test]
fn mmc_mean_response_and_wait_probability() {
    // c = 4, mean 4 ms, λ = 0.7/ms: a = 2.8 Erlangs, ρ = 0.7.
    let net = single(exp_station("pool", 4.0, 4));
    for r in simulate(&net, 700.0, 200_000, 10) {
        let theory_w = mmc_response_ms(0.7, 4.0, 4);
        let theory_pw = erlang_c_sum(4, 2.8);
        let lat = r.latency_ms.as_ref().expect("requests succeed");
        assert_close("M/M/4 mean response", &lat.mean, theory_w);
        let pw = r.stations[0]
            .wait_probability
            .as_ref()
            .expect("services started");
        assert_close("M/M/4 P(wait)", pw, theory_pw);
        let analytic = r.analytic.mean_latency_ms.expect("stable");
        assert!(
            (analytic / theory_w - 1.0).abs() < 1e-9,
            "analytic {analytic} vs {theory_w}"
        );
    }
}

#[test]
fn tandem_matches_the_jackson_network_mean() {
    // Three M/M/c stations in series at loads 0.5, 0.6 and 0.7.
    let net = tandem(vec![
        exp_station("a", 1.0, 1),
        exp_station("b", 2.4, 2),
        exp_station("c", 4.2, 3),
    ]);
    let lambda = 0.5;
    let theory = mmc_response_ms(lambda, 1.0, 1)
        + mmc_response_ms(lambda, 2.4, 2)
        + mmc_response_ms(lambda, 4.2, 3);
    for r in simulate(&net, lambda * 1000.0, 200_000, 10) {
        assert_close(
            "tandem mean",
            &r.latency_ms.as_ref().expect("requests succeed").mean,
            theory,
        );
        let analytic = analyze(&net, &Traffic::rps(500.0))
            .mean_latency_ms
            .expect("stable");
        assert!(
            (analytic / theory - 1.0).abs() < 1e-9,
            "analytic {analytic} vs {theory}"
        );
    }
}

#[test]
fn mm1_sojourn_percentiles_are_exponential() {
    // Sojourn in M/M/1 is Exp(μ − λ): the p-quantile is −ln(1 − p)/(μ − λ).
    // At ρ = 0.3 successive sojourns are nearly independent, so the tail
    // percentiles converge fastest.
    let net = single(exp_station("server", 1.0, 1));
    for r in simulate(&net, 300.0, 250_000, 12) {
        let lat = r.latency_ms.as_ref().expect("requests succeed");
        let q = |p: f64| -(1.0_f64 - p).ln() / 0.7;
        assert_close("p50", &lat.p50, q(0.5));
        assert_close("p90", &lat.p90, q(0.9));
        assert_close("p95", &lat.p95, q(0.95));
        assert_close("p99", &lat.p99, q(0.99));
        // The 99.9th percentile rests on ~200 samples per replication, so its
        // interval is wider; it must still contain theory within 3 half-widths.
        let hw = lat.p999.half_width();
        assert!(hw < 0.03 * q(0.999), "p99.9 half-width {hw}");
        assert!((lat.p999.mean - q(0.999)).abs() <= (0.01 * q(0.999)).max(3.0 * hw));
    }
}

#[test]
fn littles_law_holds() {
    // L (time-averaged requests in system) = λ W, on a two-station network.
    let net = tandem(vec![
        exp_station("front", 1.0, 2),
        exp_station("back", 3.0, 4),
    ]);
    for r in simulate(&net, 1000.0, 200_000, 10) {
        let lambda_per_ms = r.measured_arrival_rps.mean / 1000.0;
        let lw = lambda_per_ms * r.mean_time_in_system_ms.mean;
        assert_close("Little's law L = λW", &r.mean_in_system, lw);
        // On one sample path the law is an identity up to edge effects of the
        // window, so the two sides agree far more closely than their intervals.
        assert!(
            (r.mean_in_system.mean / lw - 1.0).abs() < 2e-3,
            "L {} vs λW {lw}",
            r.mean_in_system.mean
        );
    }
}

#[test]
fn a_fixed_seed_is_deterministic() {
    let net = tandem(vec![exp_station("a", 1.0, 2), exp_station("b", 2.0, 3)]);
    for engine in [EngineChoice::Auto, EngineChoice::EventList] {
        let cfg = RunConfig::new(Traffic::rps(800.0))
            .with_requests(20_000)
            .with_replications(4)
            .with_seed(42)
            .with_engine(engine);
        let one = serde_json::to_string(&run(&net, &cfg).expect("runs")).expect("serialises");
        let two = serde_json::to_string(&run(&net, &cfg).expect("runs")).expect("serialises");
        assert_eq!(one, two, "{engine:?}");
        let other = run(&net, &cfg.clone().with_seed(43)).expect("runs");
        assert_ne!(one, serde_json::to_string(&other).expect("serialises"));
    }
}

#[test]
fn constant_pipeline_at_low_load_is_the_sum_of_its_parts() {
    // 1 ms, then 2 ms after a 0.5 ms hop, then 3 ms after a 0.25 ms hop.
    let c = |name: &str, ms: f64| {
        Station::service(name, ServiceTime::Constant { ms }).with_servers(64, 1)
    };
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)).latency_ms(0.5),
        Call::new(StationIndex(1), StationIndex(2)).latency_ms(0.25),
    ];
    let net = Network::new(
        vec![c("a", 1.0), c("b", 2.0), c("c", 3.0)],
        calls,
        StationIndex(0),
    )
    .expect("valid");
    for r in simulate(&net, 10.0, 5_000, 2) {
        let lat = r.latency_ms.expect("requests succeed");
        for (what, v) in [
            ("mean", lat.mean.mean),
            ("p50", lat.p50.mean),
            ("p99", lat.p99.mean),
            ("p99.9", lat.p999.mean),
            ("min", lat.min),
            ("max", lat.max),
        ] {
            assert!((v - 6.75).abs() < 1e-6, "{what} = {v}, expected 6.75");
        }
        assert!((r.analytic.mean_latency_ms.expect("stable") - 6.75).abs() < 1e-6);
    }
}

#[test]
fn constant_fan_out_waits_for_the_slowest_child() {
    // 1 ms, then in parallel 2 ms (+0.5 hop) and 3 ms (+0.25 hop): 4.25 ms.
    let c = |name: &str, ms: f64| {
        Station::service(name, ServiceTime::Constant { ms }).with_servers(64, 1)
    };
    let calls = vec![
        Call::new(StationIndex(0), StationIndex(1)).latency_ms(0.5),
        Call::new(StationIndex(0), StationIndex(2)).latency_ms(0.25),
    ];
    let stations = vec![c("root", 1.0).parallel(), c("b", 2.0), c("c", 3.0)];
    let net = Network::new(stations, calls, StationIndex(0)).expect("valid");
    for r in simulate(&net, 10.0, 5_000, 2) {
        let lat = r.latency_ms.expect("requests succeed");
        assert!(
            (lat.min - 4.25).abs() < 1e-6 && (lat.max - 4.25).abs() < 1e-6,
            "{lat:?}"
        );
        assert!((r.analytic.mean_latency_ms.expect("stable") - 4.25).abs() < 1e-6);
    }
}
