//! Validation of stations and calls, and the derivation of each station's
//! service model; errors name the station.

use super::distributions::{Sampler, ServiceTime};
use super::error::NetworkError;
use super::hardware::HardwareSpec;
use super::ml::InferenceModel;
use super::network::{
    BatchModel, Call, MAX_SERVERS, MAX_TIME_MS, ServiceModel, Station, StationKind,
};
use crate::diagram::GraphIndex;

/// Checks that a value is finite and within [lo, hi].
pub(super) fn check(
    station: &str,
    parameter: &'static str,
    value: f64,
    lo: f64,
    hi: f64,
) -> Result<(), NetworkError> {
    let reason = if value.is_nan() {
        "it is not a number"
    } else if !value.is_finite() {
        "it must be finite"
    } else if value < lo && lo == 0.0 {
        "it must not be negative"
    } else if value < lo {
        "it is below the smallest allowed value"
    } else if value > hi {
        "it is above the largest allowed value"
    } else {
        return Ok(());
    };
    Err(NetworkError::InvalidParameter {
        station: station.to_owned(),
        parameter,
        value,
        reason,
    })
}

fn check_service(name: &str, service: &ServiceTime) -> Result<(), NetworkError> {
    for (parameter, value) in service.parameters() {
        check(name, parameter, value, 0.0, MAX_TIME_MS)?;
    }
    if let ServiceTime::LogNormal { p50_ms, p99_ms } = *service
        && p99_ms < p50_ms
    {
        return Err(NetworkError::InvalidParameter {
            station: name.to_owned(),
            parameter: "service p99 (ms)",
            value: p99_ms,
            reason: "the p99 must be at least the p50",
        });
    }
    Ok(())
}

fn check_hardware(name: &str, hw: &HardwareSpec) -> Result<(), NetworkError> {
    check(name, "hardware peak (TFLOP/s)", hw.peak_tflops, 1e-6, 1e9)?;
    check(name, "hardware utilisation", hw.utilisation, 1e-6, 1.0)?;
    check(
        name,
        "hardware overhead (ms)",
        hw.overhead_ms,
        0.0,
        MAX_TIME_MS,
    )?;
    check(
        name,
        "hardware cost (USD/h)",
        hw.cost_usd_per_hour,
        0.0,
        1e9,
    )
}

/// Validates one station and derives its service model.
pub(super) fn validate_station(s: &Station) -> Result<ServiceModel, NetworkError> {
    let name = s.name.as_str();
    if s.servers_per_replica == 0 || s.replicas == 0 {
        return Err(NetworkError::ZeroServers {
            station: s.name.clone(),
        });
    }
    check(
        name,
        "total servers",
        s.total_servers() as f64,
        1.0,
        MAX_SERVERS as f64,
    )?;
    if let Some(t) = s.timeout_ms {
        check(name, "timeout (ms)", t, 0.0, MAX_TIME_MS)?;
    }
    check(name, "zones", f64::from(s.zones), 1.0, 100.0)?;
    if let Some(h) = s.mtbf_hours {
        check(name, "MTBF (hours)", h, 1e-3, 1e7)?;
    }
    if let Some(h) = s.mttr_hours {
        check(name, "MTTR (hours)", h, 0.0, 1e5)?;
    }
    if let Some(a) = &s.autoscale {
        check(
            name,
            "autoscale target utilisation",
            a.target_utilisation,
            0.01,
            1.0,
        )?;
        check(
            name,
            "autoscale min replicas",
            f64::from(a.min_replicas),
            1.0,
            MAX_SERVERS as f64,
        )?;
        check(
            name,
            "autoscale max replicas",
            f64::from(a.max_replicas),
            f64::from(a.min_replicas),
            MAX_SERVERS as f64,
        )?;
        check(name, "autoscale interval (s)", a.interval_s, 0.1, 86_400.0)?;
        check(
            name,
            "autoscale cold start (s)",
            a.cold_start_s,
            0.0,
            86_400.0,
        )?;
        check(
            name,
            "autoscale max servers",
            f64::from(a.max_replicas) * f64::from(s.servers_per_replica),
            1.0,
            MAX_SERVERS as f64,
        )?;
    }
    check(
        name,
        "cost per replica-hour (USD)",
        s.cost_usd_per_replica_hour,
        0.0,
        1e9,
    )?;
    let model = match &s.kind {
        StationKind::Service { service } => {
            check_service(name, service)?;
            plain(service, 0.0)
        }
        StationKind::Cache { hit_ratio, lookup } => {
            check(name, "hit ratio", *hit_ratio, 0.0, 1.0)?;
            check_service(name, lookup)?;
            plain(lookup, *hit_ratio)
        }
        StationKind::Inference(m) => {
            check(
                name,
                "model size (GFLOP per item)",
                m.gflops_per_item,
                0.0,
                1e9,
            )?;
            check(name, "items per request", m.items_per_request, 0.0, 1e9)?;
            check(name, "tail ratio (p99/p50)", m.tail_ratio, 1.0, 1e3)?;
            check(
                name,
                "max batch wait (ms)",
                m.batching.max_wait_ms,
                0.0,
                MAX_TIME_MS,
            )?;
            check(
                name,
                "max batch size",
                f64::from(m.batching.max_batch_requests),
                1.0,
                1e6,
            )?;
            check_hardware(name, &m.hardware)?;
            inference_model(name, m)?
        }
        StationKind::Ann(a) => {
            check(name, "vectors", a.vectors, 1.0, 1e13)?;
            check(name, "dimensions", f64::from(a.dimensions), 1.0, 1e5)?;
            check(name, "recall target", a.recall_target, 1e-6, 1.0)?;
            check(name, "HNSW M", f64::from(a.hnsw_m), 2.0, 1e4)?;
            check(name, "tail ratio (p99/p50)", a.tail_ratio, 1.0, 1e3)?;
            let p50 = a.query_ms();
            check(name, "derived query time (ms)", p50, 0.0, MAX_TIME_MS)?;
            let sigma = a.jitter_sigma();
            ServiceModel {
                sampler: Sampler::lognormal(p50, sigma),
                mean_ms: p50 * (0.5 * sigma * sigma).exp(),
                deterministic_ms: if sigma == 0.0 { p50 } else { 0.0 },
                scv: (sigma * sigma).exp() - 1.0,
                batch: None,
                hit_ratio: 0.0,
                memory_gb: Some(a.memory_gb()),
            }
        }
    };
    Ok(model)
}

fn plain(service: &ServiceTime, hit_ratio: f64) -> ServiceModel {
    ServiceModel {
        sampler: Sampler::from_service(service),
        mean_ms: service.mean_ms(),
        deterministic_ms: service.deterministic_ms(),
        scv: service.scv(),
        batch: None,
        hit_ratio,
        memory_gb: None,
    }
}

fn inference_model(name: &str, m: &InferenceModel) -> Result<ServiceModel, NetworkError> {
    let single = m.batch_time_ms(1.0);
    check(
        name,
        "derived inference time (ms)",
        single,
        0.0,
        MAX_TIME_MS,
    )?;
    let largest = m.batch_time_ms(f64::from(m.batching.max_batch_requests));
    check(
        name,
        "derived full-batch time (ms)",
        largest,
        0.0,
        MAX_TIME_MS,
    )?;
    let sigma = m.jitter_sigma();
    let batch = (m.batching.max_batch_requests > 1).then(|| BatchModel {
        overhead_ms: m.hardware.overhead_ms,
        work_ms_per_request: m.work_ms_per_request(),
        max_batch: m.batching.max_batch_requests,
        max_wait_ms: m.batching.max_wait_ms,
        jitter_sigma: sigma,
    });
    Ok(ServiceModel {
        sampler: Sampler::lognormal(single, sigma),
        mean_ms: single * (0.5 * sigma * sigma).exp(),
        deterministic_ms: if sigma == 0.0 && batch.is_none() {
            single
        } else {
            0.0
        },
        scv: (sigma * sigma).exp() - 1.0,
        batch,
        hit_ratio: 0.0,
        memory_gb: None,
    })
}

/// The stations, every caller before the stations it calls; a cycle is an
/// error naming the stations around it.
pub(super) fn topological_order(
    stations: &[Station],
    calls: &[Call],
) -> Result<Vec<usize>, NetworkError> {
    station_graph(stations.len(), calls)
        .topological_order()
        .map_err(|cycle| NetworkError::Cycle {
            path: cycle
                .into_iter()
                .map(|i| stations[i].name.clone())
                .collect(),
        })
}

/// Stations by index, an edge for each call.
pub(super) fn station_graph(stations: usize, calls: &[Call]) -> GraphIndex<usize> {
    GraphIndex::new(0..stations, calls.iter().map(|c| (c.from.0, c.to.0)))
}
