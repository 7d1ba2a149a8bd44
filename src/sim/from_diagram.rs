//! Builds a simulator network from a serving diagram: every node with
//! simulator parameters becomes a station, every edge between two such nodes
//! a call. Nodes without parameters (clients, dashboards, offline jobs) are
//! not on the simulated path.

use std::collections::HashMap;

use super::error::NetworkError;
use super::hardware::{self, HardwareSpec};
use super::ml::{AnnIndex, Batching, InferenceModel};
use super::network::{Call, Network, Station, StationIndex};
use crate::diagram::{self, CallMode, Diagram, GraphIndex, MlRole, NodeId};

/// Vector dimensions assumed for an ANN node (the diagram does not ask).
pub const ANN_DIMENSIONS: u32 = 256;
/// HNSW graph degree assumed for an ANN node.
pub const ANN_HNSW_M: u32 = 32;
/// p99 over median of model and index latency, before queueing.
pub const DEFAULT_TAIL_RATIO: f64 = 2.0;

/// Why a diagram cannot be simulated. Every message names the node.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum DiagramSimError {
    #[error(
        "no node has simulator parameters: select the nodes of the serving path and tick \"On the simulated serving path\""
    )]
    NothingToSimulate,
    #[error(
        "the serving path has several entry points ({0}); connect them so requests enter at one node"
    )]
    SeveralEntries(String),
    #[error("every simulated node is called by another, so the serving path is a cycle: {cycle}")]
    NoEntry {
        /// The labels around one cycle, the first repeated at the end.
        cycle: String,
    },
    #[error(
        "node \"{node}\": unknown hardware \"{hardware_id}\"; choose one from the hardware catalog"
    )]
    UnknownHardware { node: String, hardware_id: String },
    #[error("{0}")]
    Network(#[from] NetworkError),
}

/// A network together with the diagram node behind each station.
#[derive(Debug, Clone)]
pub struct DiagramNetwork {
    pub network: Network,
    /// `nodes[i]` is the node of station `i`.
    pub nodes: Vec<NodeId>,
}

/// The simulator's network for the simulated part of `d`.
pub fn network_from_diagram(d: &Diagram) -> Result<DiagramNetwork, DiagramSimError> {
    let simulated: Vec<&diagram::Node> = d.nodes.iter().filter(|n| n.sim.is_some()).collect();
    if simulated.is_empty() {
        return Err(DiagramSimError::NothingToSimulate);
    }
    let index: HashMap<NodeId, usize> = simulated
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    let edges: Vec<&diagram::Edge> = d
        .edges
        .iter()
        .filter(|e| index.contains_key(&e.from) && index.contains_key(&e.to))
        .collect();

    let mut names: HashMap<String, usize> = HashMap::new();
    let mut stations = Vec::with_capacity(simulated.len());
    for n in &simulated {
        // Station names must be unique; repeated labels get a number.
        let count = names.entry(n.label.clone()).or_insert(0);
        *count += 1;
        let name = if *count == 1 {
            n.label.clone()
        } else {
            format!("{} ({count})", n.label)
        };
        let parallel = edges
            .iter()
            .any(|e| e.from == n.id && e.sim.mode == CallMode::Parallel);
        stations.push(station(&name, n, parallel)?);
    }
    let calls = edges
        .iter()
        .map(|e| {
            Call::new(StationIndex(index[&e.from]), StationIndex(index[&e.to]))
                .times(e.sim.calls_per_request)
                .latency_ms(e.sim.network_ms)
        })
        .collect();

    let entries: Vec<&diagram::Node> = simulated
        .iter()
        .copied()
        .filter(|n| !edges.iter().any(|e| e.to == n.id))
        .collect();
    let entry = match entries.as_slice() {
        [one] => StationIndex(index[&one.id]),
        [] => {
            return Err(DiagramSimError::NoEntry {
                cycle: cycle(&simulated, &edges),
            });
        }
        many => {
            let list: Vec<&str> = many.iter().map(|n| n.label.as_str()).collect();
            return Err(DiagramSimError::SeveralEntries(list.join(", ")));
        }
    };
    Ok(DiagramNetwork {
        network: Network::new(stations, calls, entry)?,
        nodes: simulated.iter().map(|n| n.id).collect(),
    })
}

/// A cycle among the simulated nodes, by label (`a → b → a`).
fn cycle(simulated: &[&diagram::Node], edges: &[&diagram::Edge]) -> String {
    let graph = GraphIndex::new(
        simulated.iter().map(|n| n.id),
        edges.iter().map(|e| (e.from, e.to)),
    );
    let label = |id| {
        simulated
            .iter()
            .find(|n| n.id == id)
            .map_or("?", |n| n.label.as_str())
    };
    let path: Vec<&str> = graph
        .cycle()
        .unwrap_or_default()
        .into_iter()
        .map(label)
        .collect();
    path.join(" → ")
}

/// The catalog row for the node's hardware id.
fn hardware_of(node: &diagram::Node, hardware_id: &str) -> Result<HardwareSpec, DiagramSimError> {
    hardware::find(hardware_id).ok_or_else(|| DiagramSimError::UnknownHardware {
        node: node.label.clone(),
        hardware_id: hardware_id.trim().to_owned(),
    })
}

fn station(name: &str, node: &diagram::Node, parallel: bool) -> Result<Station, DiagramSimError> {
    let Some(sim) = &node.sim else {
        return Err(DiagramSimError::NothingToSimulate);
    };
    let hw = hardware_of(node, &sim.hardware_id)?;
    let mut s = match sim.ml {
        MlRole::Plain => Station::service(name, sim.service),
        MlRole::Inference {
            gflops_per_item,
            items_per_request,
            max_batch,
            max_wait_ms,
        } => Station::inference(
            name,
            InferenceModel {
                gflops_per_item,
                items_per_request,
                hardware: hw.clone(),
                batching: Batching {
                    max_batch_requests: max_batch,
                    max_wait_ms,
                },
                tail_ratio: DEFAULT_TAIL_RATIO,
            },
        ),
        MlRole::Cache { hit_ratio } => Station::cache(name, hit_ratio, sim.service),
        MlRole::Ann { vectors, recall } => Station::ann(
            name,
            AnnIndex {
                vectors,
                dimensions: ANN_DIMENSIONS,
                recall_target: recall,
                hnsw_m: ANN_HNSW_M,
                tail_ratio: DEFAULT_TAIL_RATIO,
            },
            &hw,
        ),
    };
    s = s
        .with_servers(sim.servers_per_replica, sim.replicas)
        .with_cost(hw.cost_usd_per_hour)
        .with_zones(sim.zones);
    s.autoscale = sim.autoscale;
    s.mtbf_hours = sim.mtbf_hours;
    s.mttr_hours = sim.mttr_hours;
    if let Some(limit) = sim.queue_limit {
        s = s.with_queue_limit(limit);
    }
    if let Some(timeout) = sim.timeout_ms {
        s = s.with_timeout_ms(timeout);
    }
    if parallel {
        s = s.parallel();
    }
    Ok(s)
}
