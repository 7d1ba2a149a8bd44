//! Each formula against a hand-computed example: an ad-serving system of
//! 200M DAU × 25 requests a day, 3M ads, 16-d int8 embeddings, 200
//! candidates of 11 MFLOPs each on L4s.

use super::*;

fn ads() -> EstimateInputs {
    EstimateInputs {
        daily_active_users: 200e6,
        actions_per_user_per_day: 25.0,
        peak_to_mean: 2.0,
        sizing: Sizing {
            catalog_items: 3e6,
            new_items_per_day: 50e3,
            bytes_per_item: 2_000.0,
            bytes_per_event: 500.0,
            retention_days: 90.0,
            embedding_dims: 16.0,
            bytes_per_dim: 1.0,
            candidates_per_request: 200.0,
            gflops_per_item: 0.011,
            hardware: "gpu-l4".into(),
            utilisation: 0.3,
            bytes_per_request: 4_000.0,
        },
    }
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() <= expected.abs() * 1e-9
}

#[test]
fn traffic_is_dau_times_actions_over_a_day() {
    let e = estimate(&ads()).expect("valid inputs");
    // 200M × 25 = 5B a day; 5B / 86,400 = 57,870.37; × 2 = 115,740.74.
    assert!(close(e.value("mean_qps"), 57_870.370_370_370_37));
    assert!(close(e.value("peak_qps"), 115_740.740_740_740_7));
    assert_eq!(
        e.get("peak_qps").map(|o| o.formula.as_str()),
        Some("200M × 25 / 86,400 × 2 ≈ 116K QPS")
    );
    assert_eq!(
        e.get("mean_qps").map(|o| o.formula.as_str()),
        Some("200M × 25 / 86,400 ≈ 57.9K QPS")
    );
    assert!(close(e.value("events_per_day"), 5e9));
    assert!(close(e.value("training_rows_per_day"), 5e9));
}

#[test]
fn storage_is_events_plus_new_items_kept_for_the_retention() {
    let e = estimate(&ads()).expect("valid inputs");
    // 5B × 500 B + 50K × 2 KB = 2.5 TB + 100 MB = 2.5001 TB a day; × 90.
    assert!(close(e.value("storage_bytes_per_day"), 2.5001e12));
    assert!(close(e.value("storage_bytes_retained"), 2.5001e12 * 90.0));
    let formula = &e.get("storage_bytes_per_day").expect("output").formula;
    assert_eq!(formula, "5B × 500 B + 50K × 2 KB ≈ 2.5 TB/day");
}

#[test]
fn index_memory_follows_the_faiss_layouts() {
    let e = estimate(&ads()).expect("valid inputs");
    // Flat: 3M × 16 × 1 B = 48 MB. HNSW: 3M × (16 B + 32 × 8 B) = 816 MB.
    // IVF-PQ: 16 / 4 = 4 code bytes + 8 id bytes = 12 B × 3M = 36 MB.
    assert!(close(e.value("index_bytes_flat"), 48e6));
    assert!(close(e.value("index_bytes_hnsw"), 816e6));
    assert!(close(e.value("index_bytes_ivfpq"), 36e6));
}

#[test]
fn accelerators_cover_the_peak_flops_at_the_stated_utilisation() {
    let e = estimate(&ads()).expect("valid inputs");
    // 115,740.74 × 200 × 11 MFLOP = 254.6 TFLOP/s; an L4 gives
    // 121 × 0.3 = 36.3 TFLOP/s, so 7.01 → 8 L4s at $0.8048/h × 730 h.
    let flops = 115_740.740_740_740_7 * 200.0 * 11e6;
    assert!(close(e.value("flops_at_peak"), flops));
    assert_eq!(e.value("accelerators"), 8.0);
    assert!(close(e.value("monthly_cost_usd"), 8.0 * 0.8048 * 730.0));
    let formula = &e.get("accelerators").expect("output").formula;
    assert!(formula.ends_with("→ 8 × gpu-l4"), "{formula}");
    // 116K × 4 KB = 463 MB/s, 3.7 Gbit/s.
    assert!(close(
        e.value("network_bytes_per_sec"),
        115_740.740_740_740_7 * 4_000.0
    ));
}

#[test]
fn halving_the_utilisation_doubles_the_accelerators_needed() {
    let mut inputs = ads();
    // 1.9 L4s' worth of work at 30% (36.3 TFLOP/s each): 2 L4s; at 15%
    // it is 3.8 of them: 4.
    let peak_flop_per_gflop = 115_740.740_740_740_7 * 200.0 * 1e9;
    inputs.sizing.gflops_per_item = 1.9 * 36.3e12 / peak_flop_per_gflop;
    let at_30 = estimate(&inputs).expect("valid").value("accelerators");
    inputs.sizing.utilisation = 0.15;
    let at_15 = estimate(&inputs).expect("valid").value("accelerators");
    assert_eq!((at_30, at_15), (2.0, 4.0));
}

#[test]
fn no_index_without_embeddings_and_one_accelerator_at_least() {
    let mut inputs = ads();
    inputs.sizing.embedding_dims = 0.0;
    inputs.sizing.gflops_per_item = 0.0;
    let e = estimate(&inputs).expect("valid");
    assert_eq!(e.value("index_bytes_ivfpq"), 0.0);
    assert_eq!(e.value("index_bytes_flat"), 0.0);
    assert_eq!(e.value("accelerators"), 1.0);
}

/// A change that makes the inputs impossible.
type Spoil = fn(&mut EstimateInputs);

#[test]
fn impossible_inputs_are_refused_by_name() {
    let cases: [(Spoil, &str); 5] = [
        (|i| i.daily_active_users = -5.0, "daily_active_users"),
        (|i| i.peak_to_mean = 0.0, "peak_to_mean"),
        (|i| i.sizing.bytes_per_item = f64::NAN, "bytes_per_item"),
        (|i| i.sizing.utilisation = 1.5, "utilisation"),
        (|i| i.sizing.retention_days = -1.0, "retention_days"),
    ];
    for (spoil, field) in cases {
        let mut inputs = ads();
        spoil(&mut inputs);
        let err = estimate(&inputs).expect_err("refused").to_string();
        assert!(err.contains(field), "{err}");
    }
    let mut inputs = ads();
    inputs.sizing.hardware = "gpu-x9000".into();
    let err = estimate(&inputs).expect_err("refused").to_string();
    assert!(err.contains("gpu-x9000") && err.contains("gpu-l4"), "{err}");
}

#[test]
fn json_has_value_unit_and_formula_per_output() {
    let json = estimate(&ads()).expect("valid").to_json();
    for key in [
        "peak_qps",
        "mean_qps",
        "storage_bytes_per_day",
        "index_bytes_hnsw",
        "accelerators",
    ] {
        let o = &json[key];
        assert!(o["value"].is_f64(), "{key}");
        assert!(o["unit"].is_string(), "{key}");
        assert!(
            o["formula"]
                .as_str()
                .is_some_and(|f| f.contains('≈') || f.contains('→')),
            "{key}"
        );
    }
    assert_eq!(json["peak_qps"]["unit"], "req/s");
}
