//! The formulas, each written out with its numbers. The arithmetic and the
//! text are made side by side so that they cannot drift apart.

use super::{EstimateInputs, Output, Unit};
use crate::format::{bytes, flop, si, thousands};
use crate::sim::HardwareSpec;

/// Seconds in a day: the divisor from daily counts to per-second rates.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Hours in an average month (365 × 24 / 12), as cloud bills count them.
pub const HOURS_PER_MONTH: f64 = 730.0;
/// HNSW links per vector (M = 32), each stored both ways as a 4-byte id:
/// M × 2 × 4 = 256 bytes, FAISS's figure for `IndexHNSWFlat`.
pub const HNSW_LINKS: f64 = 32.0;
/// Bytes of the id stored beside each IVF-PQ code (a 64-bit row id).
pub const IVF_ID_BYTES: f64 = 8.0;
/// IVF-PQ codes use one byte per sub-quantizer and one sub-quantizer per
/// four dimensions (PQ32 for 128-d, PQ64 for 256-d).
const DIMS_PER_PQ_BYTE: f64 = 4.0;

fn output(key: &'static str, label: &'static str, value: f64, unit: Unit, work: String) -> Output {
    Output {
        key,
        label,
        value,
        unit,
        formula: format!("{work} ≈ {}", unit.show(value)),
    }
}

/// Every output, in the order a candidate derives them.
pub(super) fn outputs(inputs: &EstimateInputs, hardware: &HardwareSpec) -> Vec<Output> {
    let s = &inputs.sizing;
    let (dau, per_user, peak) = (
        inputs.daily_active_users,
        inputs.actions_per_user_per_day,
        inputs.peak_to_mean,
    );
    let day = thousands(SECONDS_PER_DAY);
    let mut out = Vec::new();

    let mean_qps = dau * per_user / SECONDS_PER_DAY;
    out.push(output(
        "mean_qps",
        "Mean QPS",
        mean_qps,
        Unit::RequestsPerSecond,
        format!("{} × {} / {day}", si(dau), si(per_user)),
    ));
    let peak_qps = mean_qps * peak;
    out.push(output(
        "peak_qps",
        "Peak QPS",
        peak_qps,
        Unit::RequestsPerSecond,
        format!("{} × {} / {day} × {}", si(dau), si(per_user), si(peak)),
    ));

    let events = dau * per_user;
    out.push(output(
        "events_per_day",
        "Events per day",
        events,
        Unit::EventsPerDay,
        format!("{} × {}", si(dau), si(per_user)),
    ));
    let storage_day = events * s.bytes_per_event + s.new_items_per_day * s.bytes_per_item;
    out.push(output(
        "storage_bytes_per_day",
        "Storage per day",
        storage_day,
        Unit::BytesPerDay,
        format!(
            "{} × {} + {} × {}",
            si(events),
            bytes(s.bytes_per_event),
            si(s.new_items_per_day),
            bytes(s.bytes_per_item)
        ),
    ));
    let storage_retained = storage_day * s.retention_days;
    out.push(output(
        "storage_bytes_retained",
        "Storage over the retention",
        storage_retained,
        Unit::Bytes,
        format!("{}/day × {} days", bytes(storage_day), si(s.retention_days)),
    ));
    // One labelled row per logged action (an impression with its outcome).
    out.push(output(
        "training_rows_per_day",
        "Training rows per day",
        events,
        Unit::RowsPerDay,
        format!("{} events × 1 row each", si(events)),
    ));

    let vector_bytes = s.embedding_dims * s.bytes_per_dim;
    let vector_text = format!("{} × {}", si(s.embedding_dims), bytes(s.bytes_per_dim));
    out.push(output(
        "index_bytes_flat",
        "ANN index, flat",
        s.catalog_items * vector_bytes,
        Unit::Bytes,
        format!("{} × {vector_text}", si(s.catalog_items)),
    ));
    let link_bytes = HNSW_LINKS * 2.0 * 4.0;
    out.push(output(
        "index_bytes_hnsw",
        "ANN index, HNSW (M = 32)",
        s.catalog_items * (vector_bytes + link_bytes),
        Unit::Bytes,
        format!("{} × ({vector_text} + 32 × 8 B)", si(s.catalog_items)),
    ));
    let code_bytes = (s.embedding_dims / DIMS_PER_PQ_BYTE).ceil();
    let ivfpq = if s.embedding_dims > 0.0 {
        s.catalog_items * (code_bytes + IVF_ID_BYTES)
    } else {
        0.0
    };
    out.push(output(
        "index_bytes_ivfpq",
        "ANN index, IVF-PQ",
        ivfpq,
        Unit::Bytes,
        format!(
            "{} × ({} code + 8 B id)",
            si(s.catalog_items),
            bytes(code_bytes)
        ),
    ));

    let flop_per_item = s.gflops_per_item * 1e9;
    let flops = peak_qps * s.candidates_per_request * flop_per_item;
    out.push(output(
        "flops_at_peak",
        "FLOP/s at peak",
        flops,
        Unit::FlopsPerSecond,
        format!(
            "{} QPS × {} × {}",
            si(peak_qps),
            si(s.candidates_per_request),
            flop(flop_per_item)
        ),
    ));
    let usable = hardware.peak_tflops * 1e12 * s.utilisation;
    let needed = flops / usable;
    // At least one accelerator serves any traffic at all.
    let accelerators = needed.ceil().max(1.0);
    out.push(Output {
        key: "accelerators",
        label: "Accelerators",
        value: accelerators,
        unit: Unit::Accelerators,
        formula: format!(
            "{}/s / ({}/s × {}) = {} → {} × {}",
            flop(flops),
            flop(hardware.peak_tflops * 1e12),
            s.utilisation,
            si(needed),
            si(accelerators),
            hardware.id
        ),
    });

    let network = peak_qps * s.bytes_per_request;
    out.push(output(
        "network_bytes_per_sec",
        "Network at peak",
        network,
        Unit::BytesPerSecond,
        format!(
            "{} QPS × {} (= {} Gbit/s)",
            si(peak_qps),
            bytes(s.bytes_per_request),
            si(network * 8.0 / 1e9)
        ),
    ));
    out.push(output(
        "monthly_cost_usd",
        "Accelerator cost per month",
        accelerators * hardware.cost_usd_per_hour * HOURS_PER_MONTH,
        Unit::UsdPerMonth,
        format!(
            "{} × ${}/h × {} h",
            si(accelerators),
            hardware.cost_usd_per_hour,
            HOURS_PER_MONTH
        ),
    ));
    out
}
