//! The estimator against the case studies' own arithmetic, and
//! `mlsd-studio estimate` through the binary.

use std::process::Command;

use mlsd_studio::content::{self, EstimateInputs};
use mlsd_studio::estimate::{Estimate, estimate};

fn case_estimate(id: &str) -> Estimate {
    let library = content::bundled();
    let study = library.get(id).expect("a shipped case study");
    estimate(&EstimateInputs::from_case(study)).expect("the case's figures estimate")
}

/// A figure a case study's text states (in its scale answer or the sizing
/// in its step references), the estimator output it must match, and the
/// words it is stated in, quoted verbatim. Texts round, so they must agree
/// within 3%.
const STATED: &[(&str, &str, f64, &str)] = &[
    (
        "ad-click-prediction",
        "events_per_day",
        5e9,
        "200M × 25 = 5 billion requests a day",
    ),
    (
        "ad-click-prediction",
        "mean_qps",
        57_900.0,
        "57,900 requests per second on average",
    ),
    (
        "ad-click-prediction",
        "peak_qps",
        116_000.0,
        "roughly 116,000 ad requests per second",
    ),
    (
        "ad-click-prediction",
        "flops_at_peak",
        255e12,
        "that is about 255 TFLOPS",
    ),
    (
        "event-recommendation",
        "events_per_day",
        5e6,
        "so 5M ranking requests a day",
    ),
    (
        "event-recommendation",
        "mean_qps",
        58.0,
        "≈ 58 requests/s on average",
    ),
    (
        "event-recommendation",
        "peak_qps",
        174.0,
        "roughly **174 QPS**",
    ),
    (
        "event-recommendation",
        "flops_at_peak",
        174e9,
        "→ 174 GFLOP/s",
    ),
    (
        "harmful-content-detection",
        "events_per_day",
        180e6,
        "so 180 million posts a day",
    ),
    (
        "harmful-content-detection",
        "mean_qps",
        2_080.0,
        "≈ 2,080 posts/s on average",
    ),
    (
        "harmful-content-detection",
        "peak_qps",
        6_250.0,
        "≈ 6,250 posts/s",
    ),
    (
        "people-you-may-know",
        "mean_qps",
        23_000.0,
        "400M × 5 / 86,400 ≈ 23,000 requests/s",
    ),
    (
        "people-you-may-know",
        "peak_qps",
        46_000.0,
        "about 46,000 requests/s",
    ),
    (
        "people-you-may-know",
        "index_bytes_flat",
        256e9,
        "1B × 128 × 2 B ≈ 256 GB in FP16",
    ),
    (
        "personalized-news-feed",
        "events_per_day",
        2.5e9,
        "2.5 billion ranking requests a day",
    ),
    (
        "personalized-news-feed",
        "mean_qps",
        28_900.0,
        "≈ 28,900 per second on average",
    ),
    (
        "personalized-news-feed",
        "peak_qps",
        72_000.0,
        "about 72,000 requests per second",
    ),
    (
        "personalized-news-feed",
        "flops_at_peak",
        720e12,
        "≈ 720 TFLOPS",
    ),
    (
        "similar-listings",
        "events_per_day",
        144e6,
        "so 144M carousel requests a day",
    ),
    (
        "similar-listings",
        "mean_qps",
        1_667.0,
        "≈ 1,667 requests/s on average",
    ),
    (
        "similar-listings",
        "peak_qps",
        5_000.0,
        "design for **5,000 QPS**",
    ),
    (
        "similar-listings",
        "index_bytes_flat",
        1.3e9,
        "5M × 64 × 4 B ≈ 1.3 GB",
    ),
    (
        "street-view-blurring",
        "events_per_day",
        10e6,
        "≈ 10 million new panoramas a day",
    ),
    (
        "street-view-blurring",
        "mean_qps",
        116.0,
        "≈ 116 panoramas/s",
    ),
    (
        "street-view-blurring",
        "peak_qps",
        350.0,
        "a peak of about 350 panoramas/s",
    ),
    (
        "video-recommendation",
        "events_per_day",
        1.0e9,
        "200M × 5 = 1.0B requests/day",
    ),
    (
        "video-recommendation",
        "mean_qps",
        11_600.0,
        "≈ 11,600 QPS on average",
    ),
    (
        "video-recommendation",
        "peak_qps",
        30_000.0,
        "≈ 30,000 QPS at peak",
    ),
    (
        "video-recommendation",
        "index_bytes_ivfpq",
        4e9,
        "32-byte codes + 8-byte ids ≈ 4 GB",
    ),
    ("video-search", "events_per_day", 90e6, "90M queries/day"),
    (
        "video-search",
        "mean_qps",
        1_040.0,
        "≈ 1,040 QPS on average",
    ),
    ("video-search", "peak_qps", 3_125.0, "1,040 × 3 ≈ 3,125 QPS"),
    (
        "video-search",
        "index_bytes_hnsw",
        1.024e12,
        "800M × 1,280 B, about 1 TB",
    ),
    ("visual-search", "events_per_day", 36e6, "36M queries/day"),
    ("visual-search", "mean_qps", 417.0, "≈ 417 QPS on average"),
    ("visual-search", "peak_qps", 1_250.0, "417 × 3 ≈ 1,250 QPS"),
    (
        "visual-search",
        "index_bytes_hnsw",
        384e9,
        "1,280 B per vector, about 384 GB",
    ),
];

/// Every text of a case study a figure can be stated in.
fn all_text(study: &content::CaseStudy) -> String {
    let mut text = study.problem.clone();
    for q in &study.questions {
        text.push_str(&q.answer);
    }
    for s in &study.steps {
        for part in [&s.prompt, &s.guidance, &s.reference] {
            text.push_str(part);
        }
        for list in [&s.hints, &s.follow_ups, &s.pitfalls, &s.checklist] {
            text.push_str(&list.join("\n"));
        }
    }
    text
}

#[test]
fn the_case_studies_own_arithmetic_agrees_with_the_estimator() {
    let library = content::bundled();
    let mut wrong = Vec::new();
    for (case, key, stated, words) in STATED {
        let study = library.get(case).expect("a shipped case study");
        // The claim is quoted from the text; a rewrite must update it here.
        let quoted = all_text(study).contains(words);
        let computed = case_estimate(case).value(key);
        if (computed / stated - 1.0).abs() > 0.03 || !quoted {
            wrong.push(format!(
                "{case}: {key} is {computed:.4e} by the estimator; the text says \"{words}\" (found in the text: {quoted})"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn every_case_is_covered_and_its_estimate_matches_its_scenario() {
    let library = content::bundled();
    assert_eq!(library.studies.len(), 10);
    for study in &library.studies {
        assert!(
            STATED.iter().filter(|(c, ..)| *c == study.id).count() >= 3,
            "{} has fewer than three checked figures",
            study.id
        );
        let e = case_estimate(&study.id);
        let peak = e.value("peak_qps");
        assert!(
            (peak / study.scenario.peak_qps - 1.0).abs() <= 0.015,
            "{}: scenario peak {} vs estimated {peak}",
            study.id,
            study.scenario.peak_qps
        );
        // A case's accelerators cost money every month.
        assert!(e.value("monthly_cost_usd") > 0.0, "{}", study.id);
    }
}

fn estimate_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .arg("estimate")
        .args(args)
        .output()
        .expect("the binary runs")
}

#[test]
fn json_has_value_unit_and_formula_per_output() {
    let out = estimate_cli(&["--case", "ad-click-prediction", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    for key in [
        "peak_qps",
        "mean_qps",
        "storage_bytes_per_day",
        "index_bytes_hnsw",
        "accelerators",
        "monthly_cost_usd",
        "network_bytes_per_sec",
        "training_rows_per_day",
    ] {
        assert!(v[key]["value"].is_number(), "{key}");
        assert!(v[key]["unit"].is_string(), "{key}");
        assert!(v[key]["formula"].is_string(), "{key}");
    }
    assert_eq!(
        v["peak_qps"]["formula"],
        "200M × 25 / 86,400 × 2 ≈ 116K QPS"
    );
}

#[test]
fn flags_replace_the_case_figures() {
    let out = estimate_cli(&[
        "--case",
        "video-search",
        "--dau",
        "200e6",
        "--items",
        "1000000",
        "--dims",
        "128",
        "--hardware",
        "gpu-a100",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    // Twice the DAU, twice the video-search peak of 3,125.
    let peak = v["peak_qps"]["value"].as_f64().expect("number");
    assert!((peak - 6_250.0).abs() < 1.0, "{peak}");
    // 1M × (128 × 4 B + 256 B) = 768 MB.
    assert_eq!(v["index_bytes_hnsw"]["value"].as_f64(), Some(768e6));
    assert!(
        v["accelerators"]["formula"]
            .as_str()
            .is_some_and(|f| f.ends_with("gpu-a100")),
        "{}",
        v["accelerators"]["formula"]
    );
}

#[test]
fn text_output_writes_each_formula() {
    let out = estimate_cli(&["--case", "visual-search"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("45M × 0.8 / 86,400 × 3 ≈ 1.25K QPS"),
        "{text}"
    );
    assert!(text.contains("Accelerator: NVIDIA L4"), "{text}");
}

#[test]
fn impossible_inputs_are_refused_naming_the_field() {
    for (args, field) in [
        (&["--dau=-5"][..], "daily_active_users"),
        (&["--peak", "0"][..], "peak_to_mean"),
        (&["--gflops", "NaN"][..], "gflops_per_item"),
        (&["--hardware", "abacus"][..], "abacus"),
        (&["--case", "no-such-case"][..], "no-such-case"),
    ] {
        let out = estimate_cli(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(field), "{args:?}: {stderr}");
        assert!(out.stdout.is_empty());
    }
}
