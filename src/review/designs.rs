//! Two designs of one session side by side: the simulator's headline
//! figures for each, the difference said the way a person would say it
//! ("+$7.3K/month", "p99 −170 ms"), and which nodes changed. The runs
//! themselves happen elsewhere (the CLI or the app's background jobs);
//! this only reads their reports, so the figures are the ones a plain
//! simulation of each diagram shows.

use serde::Serialize;

use crate::diagram::Diagram;
use crate::format::{si, usd};
use crate::sim::SimReport;

pub use super::design_nodes::{
    NodeChange, NodeDiff, NodeEntry, NodeSizing, node_diff, sizing_text,
};

/// Hours in an average month, as the simulator panel counts them.
pub const HOURS_PER_MONTH: f64 = 730.0;

/// The headline figures of one design's simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignMetrics {
    pub p50_ms: Option<f64>,
    pub p99_ms: Option<f64>,
    /// Offered load at which the bottleneck saturates, requests per second.
    pub saturation_rps: Option<f64>,
    pub cost_usd_per_month: f64,
    pub cost_usd_per_million_requests: Option<f64>,
    /// Availability of the serving path, percent.
    pub availability_percent: Option<f64>,
    pub bottleneck: Option<String>,
}

impl DesignMetrics {
    pub fn of(report: &SimReport) -> DesignMetrics {
        let latency = report.latency_ms.as_ref();
        DesignMetrics {
            p50_ms: latency.map(|l| l.p50.mean),
            p99_ms: latency.map(|l| l.p99.mean),
            saturation_rps: report.saturation_rps,
            cost_usd_per_month: report.cost_usd_per_hour * HOURS_PER_MONTH,
            cost_usd_per_million_requests: report.cost_usd_per_million_requests,
            availability_percent: report.availability.as_ref().map(|a| a.percent),
            bottleneck: report.bottleneck.clone(),
        }
    }
}

/// Which way a figure improves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Lower,
    Higher,
}

/// How B fares against A on one figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Better,
    Worse,
    Same,
    /// One side has no value (no request succeeded, nothing to cost).
    Unknown,
}

/// The metrics a comparison shows, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    P50Ms,
    P99Ms,
    SaturationRps,
    CostUsdPerMonth,
    CostUsdPerMillionRequests,
    AvailabilityPercent,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::P50Ms,
        Metric::P99Ms,
        Metric::SaturationRps,
        Metric::CostUsdPerMonth,
        Metric::CostUsdPerMillionRequests,
        Metric::AvailabilityPercent,
    ];

    /// The row label in tables.
    pub fn label(self) -> &'static str {
        match self {
            Metric::P50Ms => "p50",
            Metric::P99Ms => "p99",
            Metric::SaturationRps => "saturation",
            Metric::CostUsdPerMonth => "cost per month",
            Metric::CostUsdPerMillionRequests => "cost per million requests",
            Metric::AvailabilityPercent => "availability",
        }
    }

    /// The JSON key.
    pub fn key(self) -> &'static str {
        match self {
            Metric::P50Ms => "p50_ms",
            Metric::P99Ms => "p99_ms",
            Metric::SaturationRps => "saturation_rps",
            Metric::CostUsdPerMonth => "cost_usd_per_month",
            Metric::CostUsdPerMillionRequests => "cost_usd_per_million_requests",
            Metric::AvailabilityPercent => "availability_percent",
        }
    }

    pub fn better(self) -> Better {
        match self {
            Metric::SaturationRps | Metric::AvailabilityPercent => Better::Higher,
            _ => Better::Lower,
        }
    }

    pub fn value(self, m: &DesignMetrics) -> Option<f64> {
        match self {
            Metric::P50Ms => m.p50_ms,
            Metric::P99Ms => m.p99_ms,
            Metric::SaturationRps => m.saturation_rps,
            Metric::CostUsdPerMonth => Some(m.cost_usd_per_month),
            Metric::CostUsdPerMillionRequests => m.cost_usd_per_million_requests,
            Metric::AvailabilityPercent => m.availability_percent,
        }
    }

    /// A value of this metric as a table cell.
    pub fn show(self, value: Option<f64>) -> String {
        let Some(v) = value.filter(|v| v.is_finite()) else {
            return "—".to_owned();
        };
        match self {
            Metric::P50Ms | Metric::P99Ms => format!("{} ms", trimmed(v, 1)),
            Metric::SaturationRps => format!("{} rps", si(v)),
            Metric::CostUsdPerMonth => format!("{}/month", usd(v)),
            Metric::CostUsdPerMillionRequests => usd(v),
            Metric::AvailabilityPercent => format!("{}%", trimmed(v, 4)),
        }
    }

    /// A difference of this metric in words: "p99 −170 ms", "+$7.3K/month".
    fn said(self, delta: f64) -> String {
        let sign = if delta < 0.0 { "−" } else { "+" };
        let size = delta.abs();
        match self {
            Metric::P50Ms | Metric::P99Ms => {
                format!("{} {sign}{} ms", self.label(), trimmed(size, 1))
            }
            Metric::SaturationRps => format!("saturation {sign}{} rps", si(size)),
            Metric::CostUsdPerMonth => format!("{sign}{}/month", usd(size)),
            Metric::CostUsdPerMillionRequests => {
                format!("{sign}{} per million requests", usd(size))
            }
            Metric::AvailabilityPercent => {
                format!("availability {sign}{} pp", trimmed(size, 4))
            }
        }
    }
}

/// `value` with at most `decimals` places and no trailing zeros.
fn trimmed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

/// One metric of both designs and their difference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricDelta {
    pub metric: Metric,
    pub a: Option<f64>,
    pub b: Option<f64>,
    /// B − A.
    pub delta: Option<f64>,
    pub verdict: Verdict,
    /// The difference in words; "same" when there is none.
    pub said: String,
}

impl MetricDelta {
    fn of(metric: Metric, a: &DesignMetrics, b: &DesignMetrics) -> MetricDelta {
        let (va, vb) = (metric.value(a), metric.value(b));
        let delta = va.zip(vb).map(|(x, y)| y - x).filter(|d| d.is_finite());
        let verdict = match delta {
            None => Verdict::Unknown,
            Some(0.0) => Verdict::Same,
            Some(d) => match (d < 0.0, metric.better()) {
                (true, Better::Lower) | (false, Better::Higher) => Verdict::Better,
                _ => Verdict::Worse,
            },
        };
        let said = match delta {
            None => format!("{}: not comparable", metric.label()),
            Some(0.0) => format!("{}: same", metric.label()),
            Some(d) => metric.said(d),
        };
        MetricDelta {
            metric,
            a: va,
            b: vb,
            delta,
            verdict,
            said,
        }
    }
}

/// One side of a comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignSide {
    pub name: String,
    pub metrics: DesignMetrics,
}

/// Design B against design A.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DesignComparison {
    pub a: DesignSide,
    pub b: DesignSide,
    pub deltas: Vec<MetricDelta>,
    /// Where the bottleneck is in each, in words.
    pub bottleneck: String,
    pub nodes: NodeDiff,
}

/// One design to compare: its name, diagram and simulation report.
pub struct Design<'a> {
    pub name: &'a str,
    pub diagram: &'a Diagram,
    pub report: &'a SimReport,
}

/// Compares design `b` against design `a`.
pub fn compare_designs(a: &Design<'_>, b: &Design<'_>) -> DesignComparison {
    let ma = DesignMetrics::of(a.report);
    let mb = DesignMetrics::of(b.report);
    let deltas = Metric::ALL
        .iter()
        .map(|m| MetricDelta::of(*m, &ma, &mb))
        .collect();
    let bottleneck = match (&ma.bottleneck, &mb.bottleneck) {
        (Some(x), Some(y)) if x == y => format!("bottleneck: {x} in both"),
        (Some(x), Some(y)) => format!("bottleneck moves from {x} to {y}"),
        (x, y) => format!(
            "bottleneck: {} in A, {} in B",
            x.as_deref().unwrap_or("none"),
            y.as_deref().unwrap_or("none")
        ),
    };
    DesignComparison {
        a: DesignSide {
            name: a.name.to_owned(),
            metrics: ma,
        },
        b: DesignSide {
            name: b.name.to_owned(),
            metrics: mb,
        },
        deltas,
        bottleneck,
        nodes: node_diff(a.diagram, b.diagram),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differences_read_as_a_person_says_them() {
        assert_eq!(Metric::CostUsdPerMonth.said(7300.0), "+$7.3K/month");
        assert_eq!(Metric::P99Ms.said(-170.0), "p99 −170 ms");
        assert_eq!(
            Metric::AvailabilityPercent.said(0.05),
            "availability +0.05 pp"
        );
    }
}
