//! A serving diagram's scenario over time: how traffic changes and what
//! fails during a simulated run, plus the per-node autoscaling and
//! reliability settings a run over time and the availability model read.
//! Plain data, saved with the diagram; the simulator gives it meaning.

use serde::{Deserialize, Serialize};

/// Most events one scenario may hold.
pub const MAX_SCENARIO_EVENTS: usize = 200;

/// A timeline for one simulated run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Scenario {
    /// Simulated length of the run, seconds.
    pub duration_s: f64,
    /// Length of one reporting window, seconds.
    pub window_s: f64,
    /// Requests per second at the start; `None` takes the case study's peak.
    pub start_rps: Option<f64>,
    /// What happens, in any order (the run sorts them by time).
    pub events: Vec<TimedEvent>,
}

impl Default for Scenario {
    fn default() -> Scenario {
        Scenario {
            duration_s: 600.0,
            window_s: 1.0,
            start_rps: None,
            events: Vec::new(),
        }
    }
}

/// One event at a time in the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimedEvent {
    /// Seconds from the start of the run.
    pub at_s: f64,
    pub kind: EventKind,
}

/// What an event does. Node events name the node by its label.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum EventKind {
    /// Traffic steps to this many requests per second.
    Rate { rps: f64 },
    /// Traffic moves linearly to this rate over this many seconds.
    Ramp { rps: f64, over_s: f64 },
    /// Traffic is multiplied by `factor` for `for_s` seconds.
    Spike { factor: f64, for_s: f64 },
    /// From here to the end, traffic follows one day compressed into the
    /// rest of the run: lowest at the start, highest halfway, with this
    /// ratio of peak to mean.
    Daily { peak_to_mean: f64 },
    /// The node loses this fraction of its replicas (1 = all).
    Fail { node: String, fraction: f64 },
    /// The node gets back the replicas it lost.
    Recover { node: String },
    /// The node's cache empties: its hit ratio restarts from zero and grows
    /// back with the requests it sees.
    ColdCache { node: String },
    /// A new model version: the node's service time is multiplied by this.
    Rollout { node: String, service_factor: f64 },
}

impl EventKind {
    /// The node the event is about, if any.
    pub fn node(&self) -> Option<&str> {
        match self {
            EventKind::Fail { node, .. }
            | EventKind::Recover { node }
            | EventKind::ColdCache { node }
            | EventKind::Rollout { node, .. } => Some(node),
            _ => None,
        }
    }

    /// A short description for plots and reports ("3× spike for 300 s").
    pub fn describe(&self) -> String {
        match self {
            EventKind::Rate { rps } => format!("traffic to {rps} req/s"),
            EventKind::Ramp { rps, over_s } => format!("ramp to {rps} req/s over {over_s} s"),
            EventKind::Spike { factor, for_s } => format!("{factor}× spike for {for_s} s"),
            EventKind::Daily { peak_to_mean } => {
                format!("daily curve, peak {peak_to_mean}× the mean")
            }
            EventKind::Fail { node, fraction } if *fraction >= 1.0 => format!("{node} down"),
            EventKind::Fail { node, fraction } => {
                format!("{node} loses {:.0}% of its replicas", fraction * 100.0)
            }
            EventKind::Recover { node } => format!("{node} recovers"),
            EventKind::ColdCache { node } => format!("{node} starts cold"),
            EventKind::Rollout {
                node,
                service_factor,
            } => format!("{node} rolls out a model {service_factor}× the service time"),
        }
    }
}

/// Autoscaling of one node's replicas.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct Autoscale {
    /// Utilisation the policy aims for, 0 to 1.
    pub target_utilisation: f64,
    pub min_replicas: u32,
    pub max_replicas: u32,
    /// How often the policy looks at the utilisation, seconds.
    pub interval_s: f64,
    /// Seconds before a new replica serves (boot, model load, warm-up).
    pub cold_start_s: f64,
}

impl Default for Autoscale {
    fn default() -> Autoscale {
        Autoscale {
            target_utilisation: 0.6,
            min_replicas: 1,
            max_replicas: 20,
            interval_s: 15.0,
            cold_start_s: 60.0,
        }
    }
}
