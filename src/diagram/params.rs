//! Simulator parameters carried by serving-diagram nodes and edges. The
//! simulator reads them; the diagram only stores and edits them.

use serde::{Deserialize, Serialize};

/// How long one service takes, in milliseconds, before queueing: what the
/// candidate states for a node, and what the simulator's stations draw from
/// (its maths is in `sim::distributions`). Written in session files as
/// `Exponential(mean_ms: 2.0)`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum ServiceTime {
    /// Always the same time.
    Constant {
        /// The service time in ms.
        ms: f64,
    },
    /// Exponential (memoryless) with this mean: the M in M/M/c.
    Exponential {
        /// The mean service time in ms.
        mean_ms: f64,
    },
    /// Log-normal fitted to a median and a 99th percentile, the shape most
    /// measured service latencies have.
    LogNormal {
        /// The median in ms.
        p50_ms: f64,
        /// The 99th percentile in ms (at least the median).
        p99_ms: f64,
    },
}

/// What an ML-aware node computes its service time from.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum MlRole {
    /// Service time is given directly.
    #[default]
    Plain,
    /// Model inference on the node's hardware, with dynamic batching.
    Inference {
        gflops_per_item: f64,
        items_per_request: f64,
        max_batch: u32,
        max_wait_ms: f64,
    },
    /// A cache: a hit skips everything behind it.
    Cache { hit_ratio: f64 },
    /// An approximate-nearest-neighbour index.
    Ann { vectors: f64, recall: f64 },
}

/// Queueing parameters of one node.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct NodeSim {
    pub service: ServiceTime,
    /// Requests one replica serves at once.
    pub servers_per_replica: u32,
    pub replicas: u32,
    /// Requests waiting beyond this are dropped; `None` is unbounded.
    pub queue_limit: Option<u32>,
    /// Requests waiting longer than this time out; `None` never.
    pub timeout_ms: Option<f64>,
    /// The hardware's id in the simulator's catalog (`cpu-c6i-2xlarge`,
    /// `gpu-t4`); sets the cost and, for inference, the speed. Written as
    /// `hardware` in session files.
    #[serde(rename = "hardware")]
    pub hardware_id: String,
    pub ml: MlRole,
    /// Availability zones the replicas are spread over, evenly.
    pub zones: u32,
    /// Autoscaling in runs over time; `None` keeps the replicas fixed.
    pub autoscale: Option<super::scenario::Autoscale>,
    /// Mean hours between failures of one replica; `None` takes the
    /// hardware kind's default.
    pub mtbf_hours: Option<f64>,
    /// Mean hours to replace a failed replica; `None` takes the default.
    pub mttr_hours: Option<f64>,
}

impl Default for NodeSim {
    fn default() -> NodeSim {
        NodeSim {
            service: ServiceTime::Exponential { mean_ms: 5.0 },
            servers_per_replica: 4,
            replicas: 2,
            queue_limit: None,
            timeout_ms: None,
            hardware_id: "cpu-c6i-2xlarge".into(),
            ml: MlRole::Plain,
            zones: 1,
            autoscale: None,
            mtbf_hours: None,
            mttr_hours: None,
        }
    }
}

/// How a parent calls the node an edge points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum CallMode {
    /// After the previous child returns.
    #[default]
    Sequential,
    /// Together with the parent's other parallel children; the parent waits for all.
    Parallel,
}

/// Call parameters of one edge.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[serde(default)]
pub struct EdgeSim {
    pub mode: CallMode,
    /// Calls per parent request; a fraction is a probability.
    pub calls_per_request: f64,
    /// Added one-way network latency for the hop, in milliseconds.
    pub network_ms: f64,
}

impl Default for EdgeSim {
    fn default() -> EdgeSim {
        EdgeSim {
            mode: CallMode::Sequential,
            calls_per_request: 1.0,
            network_ms: 0.5,
        }
    }
}
