//! A graph index derived from a diagram (never stored): who calls whom.

use petgraph::algo::{is_cyclic_directed, toposort};
use petgraph::graphmap::DiGraphMap;

use super::model::{Diagram, EdgeId, NodeId};

/// The diagram's nodes and edges as a petgraph graph, keyed by our ids.
pub struct DiagramIndex {
    pub graph: DiGraphMap<NodeId, EdgeId>,
}

impl DiagramIndex {
    /// Builds the index; notes are left out since they are not part of the flow.
    pub fn new(d: &Diagram) -> DiagramIndex {
        let mut graph = DiGraphMap::new();
        for n in d.nodes.iter().filter(|n| !n.kind.is_note()) {
            graph.add_node(n.id);
        }
        for e in &d.edges {
            if graph.contains_node(e.from) && graph.contains_node(e.to) {
                graph.add_edge(e.from, e.to, e.id);
            }
        }
        DiagramIndex { graph }
    }

    pub fn has_cycle(&self) -> bool {
        is_cyclic_directed(&self.graph)
    }

    /// Nodes in dependency order, or a node on a cycle.
    pub fn topological_order(&self) -> Result<Vec<NodeId>, NodeId> {
        toposort(&self.graph, None).map_err(|c| c.node_id())
    }

    /// Nodes nothing points to.
    pub fn sources(&self) -> Vec<NodeId> {
        self.graph
            .nodes()
            .filter(|&n| {
                self.graph
                    .neighbors_directed(n, petgraph::Direction::Incoming)
                    .next()
                    .is_none()
            })
            .collect()
    }
}
