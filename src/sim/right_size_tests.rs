//! Right-sizing against an exhaustive search on small networks.

use std::sync::atomic::AtomicBool;

use super::*;
use crate::sim::availability::zone_loss_meets_sla;
use crate::sim::{Call, ServiceTime, Station, StationIndex};

fn station(name: &str, mean_ms: f64, replicas: u32, price: f64, zones: u32) -> Station {
    Station::service(name, ServiceTime::Exponential { mean_ms })
        .with_servers(1, replicas)
        .with_cost(price)
        .with_zones(zones)
}

/// api → model → store, each priced differently.
fn chain(replicas: [u32; 3], zones: u32) -> Network {
    Network::new(
        vec![
            station("api", 2.0, replicas[0], 0.1, zones),
            station("model", 8.0, replicas[1], 1.0, zones),
            station("store", 4.0, replicas[2], 0.3, zones),
        ],
        vec![
            Call::new(StationIndex(0), StationIndex(1)),
            Call::new(StationIndex(1), StationIndex(2)),
        ],
        StationIndex(0),
    )
    .expect("valid")
}

/// The constraints, checked directly: load, DES p99 upper bound, zone loss.
fn meets(net: &Network, cfg: &RightSizeConfig) -> bool {
    let a = analyze(net, &Traffic::rps(cfg.rps));
    if a.stations.iter().any(|s| s.load > cfg.target_load) {
        return false;
    }
    if a.mean_latency_ms.is_none_or(|m| m > cfg.sla_p99_ms) {
        return false;
    }
    let r = run(
        net,
        &RunConfig::new(Traffic::rps(cfg.rps))
            .with_requests(cfg.requests)
            .with_replications(cfg.replications)
            .with_seed(cfg.seed)
            .with_sla_p99_ms(cfg.sla_p99_ms),
    )
    .expect("runs");
    let upper = r
        .latency_ms
        .as_ref()
        .map(|l| l.p99.mean + l.p99.ci95_half_width.unwrap_or(0.0));
    let ok = !r.unstable && upper.is_some_and(|u| u <= cfg.sla_p99_ms);
    ok && (!cfg.zone_loss
        || zone_loss_meets_sla(net, cfg.rps, cfg.sla_p99_ms, &AtomicBool::new(false))
            .expect("runs"))
}

fn cost(r: [u32; 3]) -> f64 {
    f64::from(r[0]) * 0.1 + f64::from(r[1]) * 1.0 + f64::from(r[2]) * 0.3
}

/// The cheapest design of all with up to `max` replicas per station:
/// every vector, cheapest first, until one meets every constraint.
fn exhaustive(cfg: &RightSizeConfig, zones: u32, max: u32) -> Option<[u32; 3]> {
    let mut all: Vec<[u32; 3]> = (1..=max)
        .flat_map(|a| (1..=max).flat_map(move |b| (1..=max).map(move |c| [a, b, c])))
        .collect();
    all.sort_by(|x, y| cost(*x).total_cmp(&cost(*y)));
    all.into_iter().find(|&r| meets(&chain(r, zones), cfg))
}

fn config(rps: f64, sla: f64) -> RightSizeConfig {
    let mut cfg = RightSizeConfig::new(rps, sla);
    cfg.requests = 2_000;
    cfg.replications = 3;
    // The searches here are small and always finish: no budget may cut
    // them short on a busy machine (the budget has its own test).
    cfg.time_budget = std::time::Duration::from_secs(24 * 3600);
    cfg
}

#[test]
fn the_result_is_the_true_minimum_and_every_replica_is_needed() {
    for (rps, sla, zone_loss, zones) in [
        (300.0, 60.0, false, 1),
        (500.0, 52.0, false, 1),
        (250.0, 60.0, true, 2),
    ] {
        let mut cfg = config(rps, sla);
        cfg.zone_loss = zone_loss;
        let got = right_size(&chain([1, 1, 1], zones), &cfg)
            .unwrap_or_else(|e| panic!("{rps} rps, {sla} ms: {e}"));
        assert!(got.proven_optimal);
        let r: [u32; 3] = got.replicas.clone().try_into().expect("three stations");
        let want = exhaustive(&cfg, zones, 9).expect("the exhaustive search finds one");
        assert!(
            (cost(r) - cost(want)).abs() < 1e-9,
            "{rps} rps, {sla} ms: right-size {r:?} vs exhaustive {want:?}"
        );
        assert!(meets(&chain(r, zones), &cfg));
        for i in 0..3 {
            if r[i] > 1 {
                let mut fewer = r;
                fewer[i] -= 1;
                assert!(
                    !meets(&chain(fewer, zones), &cfg),
                    "{r:?} still meets everything without one replica of station {i}"
                );
            }
        }
    }
}

#[test]
fn the_diff_reports_replicas_and_cost_before_and_after() {
    let cfg = config(300.0, 60.0);
    let got = right_size(&chain([10, 10, 10], 1), &cfg).expect("a design");
    assert_eq!(got.stations.len(), 3);
    let model = &got.stations[1];
    assert_eq!((model.name.as_str(), model.replicas_before), ("model", 10));
    assert!(model.replicas_after < 10);
    assert!(
        (model.cost_before_usd_per_month - 10.0 * 730.0).abs() < 1e-9,
        "{}",
        model.cost_before_usd_per_month
    );
    assert!(got.cost_after_usd_per_month < got.cost_before_usd_per_month);
    assert!(got.p99_after_ms.is_some_and(|p| p <= 60.0));
    assert!(got.p99_before_ms.is_some());
}

#[test]
fn a_node_slower_than_the_sla_is_named() {
    let cfg = config(100.0, 5.0);
    let err = right_size(&chain([1, 1, 1], 1), &cfg).expect_err("impossible");
    let text = err.to_string();
    assert!(
        text.contains("\"model\"") && text.contains("8.0 ms"),
        "{text}"
    );
}

#[test]
fn zone_loss_needs_more_than_one_zone() {
    let mut cfg = config(100.0, 100.0);
    cfg.zone_loss = true;
    let err = right_size(&chain([1, 1, 1], 1), &cfg).expect_err("impossible");
    assert!(err.to_string().contains("one zone"), "{err}");
}

#[test]
fn a_spent_time_budget_stops_at_once_and_says_what_it_has() {
    let mut cfg = config(500.0, 45.0);
    cfg.time_budget = std::time::Duration::ZERO;
    match right_size(&chain([1, 1, 1], 1), &cfg) {
        // Only the cheapest design of all can be proven without time.
        Ok(r) => {
            assert!(r.des_runs <= 3, "{} runs", r.des_runs);
            let replicas: [u32; 3] = r.replicas.clone().try_into().expect("three");
            assert!(meets(&chain(replicas, 1), &cfg));
        }
        Err(e) => assert!(e.to_string().contains("time budget"), "{e}"),
    }
}

#[test]
fn when_replicas_cannot_help_it_says_so() {
    // 14 ms of exponential service has a p99 near 45 ms with no queueing.
    let cfg = config(200.0, 25.0);
    let err = right_size(&chain([1, 1, 1], 1), &cfg).expect_err("impossible");
    let text = err.to_string();
    assert!(
        text.contains("more replicas cannot help") && text.contains("\"model\""),
        "{text}"
    );
}

/// api → ranker, the ranker a model of `gflops` per request on `hardware`.
fn model_path(hardware: &str, replicas: [u32; 2], gflops: f64) -> Network {
    use crate::sim::hardware::find;
    use crate::sim::ml::{Batching, InferenceModel};
    let ranker = Station::inference(
        "ranker",
        InferenceModel {
            gflops_per_item: gflops,
            items_per_request: 1.0,
            hardware: find(hardware).expect("in the catalog"),
            batching: Batching {
                max_batch_requests: 8,
                max_wait_ms: 2.0,
            },
            tail_ratio: 1.3,
        },
    )
    .with_servers(1, replicas[1]);
    Network::new(
        vec![station("api", 2.0, replicas[0], 0.1, 1), ranker],
        vec![Call::new(StationIndex(0), StationIndex(1))],
        StationIndex(0),
    )
    .expect("valid")
}

#[test]
fn hardware_choice_finds_the_cheapest_machine_and_replicas() {
    use crate::sim::hardware::catalog;
    let (rps, gflops) = (400.0, 300.0);
    let mut cfg = config(rps, 80.0);
    cfg.choose_hardware = true;
    let given = model_path("gpu-h100", [4, 4], gflops);
    let got = right_size(&given, &cfg).expect("a design");
    assert!(got.proven_optimal);
    let ranker = &got.stations[1];
    assert_eq!(ranker.hardware_before.as_deref(), Some("gpu-h100"));
    let chosen = ranker
        .hardware_after
        .clone()
        .expect("a model keeps hardware");
    assert_eq!(
        got.stations[0].hardware_after, None,
        "a plain node has none"
    );
    let r = [got.replicas[0], got.replicas[1]];
    assert!(meets(&model_path(&chosen, r, gflops), &cfg));
    // Every cheaper design, over all machines and replica counts, fails.
    let price = |h: &str, r: [u32; 2]| {
        let net = model_path(h, r, gflops);
        net.stations()
            .iter()
            .zip(r)
            .map(|(s, n)| s.cost_usd_per_replica_hour * f64::from(n))
            .sum::<f64>()
    };
    let best = price(&chosen, r);
    assert!(got.cost_after_usd_per_month < got.cost_before_usd_per_month);
    for h in catalog() {
        for api in 1..=4 {
            for model in 1..=8 {
                let p = price(&h.id, [api, model]);
                if p < best - 1e-9 {
                    assert!(
                        !meets(&model_path(&h.id, [api, model], gflops), &cfg),
                        "{} × {model} with {api} api replicas costs {p}, less than {chosen} × {r:?} ({best}), and meets everything",
                        h.id
                    );
                }
            }
        }
    }
    // Without the choice the machine stays.
    cfg.choose_hardware = false;
    let kept = right_size(&given, &cfg).expect("a design");
    assert!(kept.stations.iter().all(|s| s.hardware_moved().is_none()));
    assert!(kept.cost_after_usd_per_month >= got.cost_after_usd_per_month);
}
