//! Streaming statistics with memory independent of the run's length: Welford
//! means, a fixed-size latency histogram, and confidence intervals across
//! independent replications.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// Running count, mean and variance (Welford's algorithm).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Welford {
    n: u64,
    mean: f64,
    m2: f64,
}

impl Welford {
    /// Adds one observation.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        let d = x - self.mean;
        self.mean += d / self.n as f64;
        self.m2 += d * (x - self.mean);
    }

    /// Observations so far.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Their mean (0 when empty).
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// Their sample variance (0 with fewer than two).
    pub fn variance(&self) -> f64 {
        if self.n < 2 {
            0.0
        } else {
            self.m2 / (self.n - 1) as f64
        }
    }
}

/// Running count and mean by a plain sum: no division per observation, for
/// the per-visit statistics where only the mean is needed. Sums of up to
/// 1e9 values in ms keep about 7 significant digits.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Mean {
    n: u64,
    sum: f64,
}

impl Mean {
    /// Adds one observation.
    #[inline]
    pub fn push(&mut self, x: f64) {
        self.n += 1;
        self.sum += x;
    }

    /// Observations so far.
    pub fn count(&self) -> u64 {
        self.n
    }

    /// Their mean (0 when empty).
    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum / self.n as f64
        }
    }
}

/// Latencies are recorded in nanoseconds, 3 significant digits (≤ 0.1%
/// relative error), up to this many (about 11.6 days).
const HIST_MAX_NS: u64 = 1_000_000_000_000_000;
/// The longest latency the histogram holds, ms; longer ones are counted as
/// beyond its range, and quantiles that fall among them are unknown.
pub const HIST_MAX_MS: f64 = HIST_MAX_NS as f64 / 1e6;

/// A fixed-size histogram of latencies in ms, with exact min, max and mean.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    /// 32-bit counts (a replication has at most `run::MAX_REQUESTS`, 1e9,
    /// requests) halve the memory each recorded latency touches.
    hist: Histogram<u32>,
    min_ms: f64,
    max_ms: f64,
    moments: Mean,
    /// Latencies above [`HIST_MAX_MS`].
    beyond_range: u64,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        LatencyHistogram::new()
    }
}

impl LatencyHistogram {
    /// An empty histogram (about 165 KB, whatever the run length).
    pub fn new() -> LatencyHistogram {
        LatencyHistogram {
            hist: Histogram::new_with_bounds(1, HIST_MAX_NS, 3)
                .expect("constant histogram bounds are valid"),
            min_ms: f64::INFINITY,
            max_ms: f64::NEG_INFINITY,
            moments: Mean::default(),
            beyond_range: 0,
        }
    }

    /// Records one latency in ms.
    #[inline]
    pub fn record(&mut self, ms: f64) {
        // Adding a half and truncating rounds these non-negative values
        // without a call to the C library's round.
        let ns = (ms * 1e6 + 0.5).max(1.0);
        // Saturates above the bound; `as` saturates too, so no value panics.
        self.hist.saturating_record(ns as u64);
        self.beyond_range += u64::from(ms > HIST_MAX_MS);
        self.min_ms = self.min_ms.min(ms);
        self.max_ms = self.max_ms.max(ms);
        self.moments.push(ms);
    }

    /// Latencies recorded.
    pub fn count(&self) -> u64 {
        self.moments.count()
    }

    /// Their exact mean in ms.
    pub fn mean_ms(&self) -> f64 {
        self.moments.mean()
    }

    /// The smallest, in ms.
    pub fn min_ms(&self) -> f64 {
        self.min_ms
    }

    /// The largest, in ms.
    pub fn max_ms(&self) -> f64 {
        self.max_ms
    }

    /// The q-quantile in ms (q in [0, 1]), the middle of its bucket, kept
    /// within the exact min and max; None when empty or when it falls among
    /// the latencies beyond the histogram's range.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let n = self.count();
        if n == 0 {
            return None;
        }
        let rank = (q * n as f64).ceil().max(1.0);
        if rank > (n - self.beyond_range) as f64 {
            return None;
        }
        let v = self.hist.median_equivalent(self.hist.value_at_quantile(q));
        Some((v as f64 / 1e6).clamp(self.min_ms, self.max_ms))
    }
}

/// The quantiles a report shows.
pub const REPORTED_QUANTILES: [f64; 5] = [0.5, 0.9, 0.95, 0.99, 0.999];

/// What a report needs of one replication's latencies: tens of bytes
/// instead of the histogram's 165 KB, so that a run of thousands of
/// replications never holds thousands of histograms.
#[derive(Debug, Clone, PartialEq)]
pub struct LatencySummary {
    /// Latencies recorded.
    pub count: u64,
    /// Their exact mean, min and max in ms.
    pub mean_ms: f64,
    pub min_ms: f64,
    pub max_ms: f64,
    /// The [`REPORTED_QUANTILES`] in ms, None where unknown.
    pub quantiles_ms: [Option<f64>; 5],
}

impl LatencySummary {
    /// The reported q-quantile (one of [`REPORTED_QUANTILES`]); None when it
    /// is unknown or not one of them.
    pub fn quantile_ms(&self, q: f64) -> Option<f64> {
        let i = REPORTED_QUANTILES.iter().position(|&r| r == q)?;
        self.quantiles_ms[i]
    }
}

impl LatencyHistogram {
    /// The summary a report keeps of this histogram.
    pub fn summary(&self) -> LatencySummary {
        LatencySummary {
            count: self.count(),
            mean_ms: self.mean_ms(),
            min_ms: self.min_ms,
            max_ms: self.max_ms,
            quantiles_ms: REPORTED_QUANTILES.map(|q| self.quantile_ms(q)),
        }
    }
}

/// A point estimate with the half-width of its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The mean over replications.
    pub mean: f64,
    /// Half-width of the 95% Student-t interval; None with one replication.
    pub ci95_half_width: Option<f64>,
}

impl Estimate {
    /// The estimate from one value per replication.
    pub fn from_replications(values: &[f64]) -> Option<Estimate> {
        let mut w = Welford::default();
        values.iter().for_each(|&v| w.push(v));
        if w.count() == 0 {
            return None;
        }
        let ci95_half_width = (w.count() >= 2)
            .then(|| t_quantile_975(w.count() - 1) * (w.variance() / w.count() as f64).sqrt());
        Some(Estimate {
            mean: w.mean(),
            ci95_half_width,
        })
    }

    /// The estimate of one exactly known value.
    pub fn exact(mean: f64) -> Estimate {
        Estimate {
            mean,
            ci95_half_width: Some(0.0),
        }
    }

    /// The half-width, or infinity when unknown.
    pub fn half_width(&self) -> f64 {
        self.ci95_half_width.unwrap_or(f64::INFINITY)
    }
}

/// The 97.5% quantile of Student's t with `df` degrees of freedom.
pub fn t_quantile_975(df: u64) -> f64 {
    const T: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    match df {
        0 => f64::INFINITY,
        1..=30 => T[(df - 1) as usize],
        // Cornish-Fisher style correction to the normal quantile.
        _ => 1.959_964 + 2.372 / df as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welford_matches_two_pass() {
        let xs = [1.0, 4.0, 9.0, 16.0, 25.0];
        let mut w = Welford::default();
        xs.iter().for_each(|&x| w.push(x));
        assert!((w.mean() - 11.0).abs() < 1e-12);
        assert!((w.variance() - 93.5).abs() < 1e-9);
    }

    #[test]
    fn histogram_quantiles_have_bounded_relative_error() {
        let mut h = LatencyHistogram::new();
        for i in 1..=100_000 {
            h.record(i as f64 * 0.01);
        }
        for q in [0.5, 0.9, 0.99, 0.999] {
            let exact = q * 1000.0;
            let got = h.quantile_ms(q).expect("not empty");
            assert!((got / exact - 1.0).abs() < 2e-3, "q {q}: {got} vs {exact}");
        }
        assert_eq!(h.quantile_ms(1.0), Some(1000.0));
    }

    #[test]
    fn quantiles_among_latencies_beyond_the_range_are_unknown() {
        let mut h = LatencyHistogram::new();
        for i in 1..=98 {
            h.record(f64::from(i));
        }
        // Two latencies far past the histogram's range.
        h.record(HIST_MAX_MS * 10.0);
        h.record(HIST_MAX_MS * 20.0);
        let s = h.summary();
        let p50 = s.quantile_ms(0.5).expect("known");
        assert!((p50 / 50.0 - 1.0).abs() < 1e-3, "{p50}");
        assert!(s.quantile_ms(0.95).is_some());
        assert_eq!(s.quantile_ms(0.99), None, "the 99th of 100 is beyond");
        assert_eq!(s.quantile_ms(0.999), None);
        assert!(s.mean_ms > HIST_MAX_MS / 10.0, "the mean stays exact");
    }

    #[test]
    fn t_quantiles_approach_the_normal() {
        assert!((t_quantile_975(9) - 2.262).abs() < 1e-9);
        assert!((t_quantile_975(120) - 1.980).abs() < 2e-3);
    }
}
