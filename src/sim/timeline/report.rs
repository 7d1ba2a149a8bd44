//! What a run over time reports: one row per window, and a summary of how
//! bad it got and how long each event took to recover from.

use serde::{Deserialize, Serialize};

/// One reporting window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Window {
    /// Its start, seconds into the run.
    pub t_s: f64,
    /// Its length, seconds (the last one may be shorter).
    pub len_s: f64,
    /// Requests that arrived, per second.
    pub offered_rps: f64,
    /// Requests that succeeded and finished in the window, per second.
    pub throughput_rps: f64,
    /// Latency percentiles of the requests that succeeded and finished in
    /// the window, ms; None when none did.
    pub p50_ms: Option<f64>,
    pub p95_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Their mean, ms.
    pub mean_ms: Option<f64>,
    /// Requests that ended dropped or timed out in the window.
    pub drops: u64,
    pub timeouts: u64,
    pub stations: Vec<WindowStation>,
    /// Cost of the replicas paid for (serving and booting) from the start
    /// to the end of this window, USD.
    pub cost_usd: f64,
}

/// One station in one window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WindowStation {
    pub name: String,
    /// Time-averaged requests waiting.
    pub queue_len: f64,
    /// Replicas serving at the window's end.
    pub replicas: u32,
    /// Busy server time over server time (the servers at the window's end).
    pub utilisation: f64,
}

/// How long one event took to recover from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Recovery {
    /// The event, in words.
    pub event: String,
    pub at_s: f64,
    /// The p99 over up to 10 windows before it, ms.
    pub p99_before_ms: Option<f64>,
    /// Seconds from the event until the p99 (averaged over five windows)
    /// was back within 10% of `p99_before_ms`: 0 when it never left, None
    /// when it had not come back by the end of the run (or there was no p99
    /// before it).
    pub recovered_after_s: Option<f64>,
}

/// The run at a glance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineSummary {
    /// The highest p99 of any window, ms.
    pub worst_p99_ms: Option<f64>,
    /// Seconds of windows whose p99 exceeded the SLA, or in which requests
    /// arrived but none succeeded.
    pub seconds_over_sla: f64,
    /// Requests dropped or timed out during the run.
    pub lost_requests: u64,
    /// Requests that arrived during the run.
    pub offered_requests: u64,
    pub recoveries: Vec<Recovery>,
    /// The whole run's cost, USD.
    pub cost_usd: f64,
}

/// A run over time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineReport {
    pub duration_s: f64,
    pub window_s: f64,
    pub sla_p99_ms: Option<f64>,
    pub seed: u64,
    pub timeline: Vec<Window>,
    pub summary: TimelineSummary,
}

/// Within this factor of the p99 before an event counts as recovered.
pub const RECOVERED_WITHIN: f64 = 1.1;
/// Windows before an event whose p99 is its baseline.
const BASELINE_WINDOWS: usize = 10;

/// Windows on each side whose p99s are averaged, so that one noisy window
/// neither ends nor starts a degradation.
const SMOOTHING_WINDOWS: usize = 2;

/// Each window's p99 averaged with its neighbours'; None where any of them
/// had none (nothing succeeded).
fn smoothed_p99(windows: &[&Window]) -> Vec<Option<f64>> {
    (0..windows.len())
        .map(|i| {
            let from = i.saturating_sub(SMOOTHING_WINDOWS);
            let to = (i + SMOOTHING_WINDOWS + 1).min(windows.len());
            let span = &windows[from..to];
            let sum: Option<f64> = span.iter().map(|w| w.p99_ms).sum();
            sum.map(|s| s / span.len() as f64)
        })
        .collect()
}

/// Whether a window misses the SLA: its p99 is above it, or requests came
/// and none succeeded.
fn misses(w: &Window, sla_ms: Option<f64>) -> bool {
    match w.p99_ms {
        Some(p99) => sla_ms.is_some_and(|s| p99 > s),
        None => w.offered_rps > 0.0,
    }
}

/// The summary of `windows`; `events` are (description, at seconds).
pub fn summarize(
    windows: &[Window],
    sla_ms: Option<f64>,
    events: &[(String, f64)],
) -> TimelineSummary {
    let worst_p99_ms = windows
        .iter()
        .filter_map(|w| w.p99_ms)
        .fold(None, |m: Option<f64>, p| Some(m.map_or(p, |m| m.max(p))));
    let seconds_over_sla = windows
        .iter()
        .filter(|w| misses(w, sla_ms))
        .map(|w| w.len_s)
        .fold(0.0, |a, b| a + b);
    let lost_requests = windows.iter().map(|w| w.drops + w.timeouts).sum();
    let offered_requests = windows
        .iter()
        .map(|w| (w.offered_rps * w.len_s).round() as u64)
        .sum();
    let recoveries = events
        .iter()
        .map(|(event, at_s)| recovery(windows, event, *at_s))
        .collect();
    TimelineSummary {
        worst_p99_ms,
        seconds_over_sla,
        lost_requests,
        offered_requests,
        recoveries,
        cost_usd: windows.last().map_or(0.0, |w| w.cost_usd),
    }
}

fn recovery(windows: &[Window], event: &str, at_s: f64) -> Recovery {
    let before: Vec<f64> = windows
        .iter()
        .filter(|w| w.t_s + w.len_s <= at_s)
        .rev()
        .take(BASELINE_WINDOWS)
        .filter_map(|w| w.p99_ms)
        .collect();
    let p99_before_ms =
        (!before.is_empty()).then(|| before.iter().sum::<f64>() / before.len() as f64);
    let recovered_after_s = p99_before_ms.and_then(|base| {
        let limit = base * RECOVERED_WITHIN;
        let after: Vec<&Window> = windows.iter().filter(|w| w.t_s >= at_s).collect();
        let healthy: Vec<bool> = smoothed_p99(&after)
            .into_iter()
            .map(|p| p.is_some_and(|p| p <= limit))
            .collect();
        match healthy.iter().position(|h| !h) {
            None => Some(0.0),
            Some(first_bad) => (first_bad..after.len())
                .find(|&i| healthy[i])
                .map(|i| after[i].t_s - at_s),
        }
    });
    Recovery {
        event: event.to_owned(),
        at_s,
        p99_before_ms,
        recovered_after_s,
    }
}
