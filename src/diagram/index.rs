//! A graph index derived from a document (never stored): who calls whom,
//! keyed by our own ids (diagram nodes, or a network's station indices),
//! with the graph algorithms the app needs, from petgraph.

use std::collections::HashSet;

use petgraph::algo::{astar, toposort};
use petgraph::graphmap::{DiGraphMap, NodeTrait};
use petgraph::visit::Dfs;

/// A directed graph over ids of type `N`. Nodes keep the order they were
/// added in, and each node's edges theirs, so every answer is the same on
/// every run.
#[derive(Debug, Clone)]
pub struct GraphIndex<N: NodeTrait> {
    graph: DiGraphMap<N, ()>,
}

impl<N: NodeTrait> GraphIndex<N> {
    /// The graph of these nodes and edges (an edge's ends are added as
    /// nodes if they are not listed; a repeated edge counts once).
    pub fn new(
        nodes: impl IntoIterator<Item = N>,
        edges: impl IntoIterator<Item = (N, N)>,
    ) -> GraphIndex<N> {
        let mut graph = DiGraphMap::new();
        for n in nodes {
            graph.add_node(n);
        }
        for (from, to) in edges {
            graph.add_edge(from, to, ());
        }
        GraphIndex { graph }
    }

    /// Every node, each after all the nodes with an edge to it; or, when
    /// there is none such order, a cycle (see `cycle`).
    pub fn topological_order(&self) -> Result<Vec<N>, Vec<N>> {
        toposort(&self.graph, None).map_err(|on_cycle| self.cycle_through(on_cycle.node_id()))
    }

    /// A cycle as the path around it, from its smallest node back to that
    /// node (`[a, b, a]`; a node with an edge to itself gives `[a, a]`), or
    /// None when the graph has none.
    pub fn cycle(&self) -> Option<Vec<N>> {
        self.topological_order().err()
    }

    /// The nodes `n` has an edge to, in the order the edges were added.
    pub fn successors(&self, n: N) -> impl Iterator<Item = N> + '_ {
        self.graph.neighbors(n)
    }

    /// `start` and every node a path from it reaches, `start` first.
    pub fn reachable_from(&self, start: N) -> Vec<N> {
        let mut dfs = Dfs::new(&self.graph, start);
        let mut reached = Vec::new();
        while let Some(n) = dfs.next(&self.graph) {
            reached.push(n);
        }
        reached
    }

    /// The edges that close a cycle in a depth-first search (from each node
    /// in turn, following edges in their order): reversing them leaves no
    /// cycle. Self-loops are among them.
    ///
    /// The walk keeps its own stack: petgraph's `depth_first_search` recurses
    /// once per node along a path, which a long chain (diagrams hold up to
    /// 20,000 nodes) would overflow.
    pub fn edges_closing_cycles(&self) -> Vec<(N, N)> {
        // Nodes on the current path, and nodes finished.
        let mut on_path = HashSet::new();
        let mut done = HashSet::new();
        let mut closing = Vec::new();
        for root in self.graph.nodes() {
            if done.contains(&root) {
                continue;
            }
            on_path.insert(root);
            let mut stack = vec![(root, self.graph.neighbors(root))];
            while let Some((v, next)) = stack.last_mut() {
                let v = *v;
                match next.next() {
                    Some(w) if on_path.contains(&w) => closing.push((v, w)),
                    Some(w) if !done.contains(&w) => {
                        on_path.insert(w);
                        stack.push((w, self.graph.neighbors(w)));
                    }
                    Some(_) => {}
                    None => {
                        on_path.remove(&v);
                        done.insert(v);
                        stack.pop();
                    }
                }
            }
        }
        closing
    }

    /// The shortest cycle through `n`, which lies on one, from its smallest
    /// node.
    fn cycle_through(&self, n: N) -> Vec<N> {
        // The shortest way back from one of its successors, which ends at
        // `n`; `n` opens the cycle. (Were there none, `n` alone stands in.)
        let back = self
            .graph
            .neighbors(n)
            .filter_map(|next| astar(&self.graph, next, |m| m == n, |_| 1, |_| 0))
            .min_by_key(|(steps, _)| *steps)
            .map(|(_, path)| path);
        let mut cycle: Vec<N> = std::iter::once(n)
            .chain(back.into_iter().flatten())
            .collect();
        if cycle.len() > 1 {
            cycle.pop();
        }
        let smallest = (0..cycle.len()).min_by_key(|&i| cycle[i]).unwrap_or(0);
        cycle.rotate_left(smallest);
        cycle.push(cycle[0]);
        cycle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acyclic_graph_is_ordered_parents_first() {
        let g = GraphIndex::new(0..6, [(0, 1), (0, 2), (1, 3), (2, 3), (5, 4), (3, 4)]);
        let order = g.topological_order().expect("acyclic");
        let at = |n| order.iter().position(|&m| m == n).expect("every node");
        assert_eq!(order.len(), 6);
        for (a, b) in [(0, 1), (0, 2), (1, 3), (2, 3), (5, 4), (3, 4)] {
            assert!(at(a) < at(b), "{order:?}");
        }
        assert_eq!(g.cycle(), None);
        assert!(g.edges_closing_cycles().is_empty());
    }

    #[test]
    fn a_cycle_is_named_from_its_smallest_node() {
        // 0 → 1 → 2 → 3 → 1 and a longer way round, 3 → 4 → 1.
        let g = GraphIndex::new(0..5, [(0, 1), (1, 2), (2, 3), (3, 4), (4, 1), (3, 1)]);
        assert_eq!(g.topological_order(), Err(vec![1, 2, 3, 1]));
        assert_eq!(g.cycle(), Some(vec![1, 2, 3, 1]));
        let self_loop = GraphIndex::new([7, 8], [(7, 8), (8, 8)]);
        assert_eq!(self_loop.cycle(), Some(vec![8, 8]));
    }

    #[test]
    fn reachability_follows_edges_one_way() {
        let g = GraphIndex::new(0..5, [(0, 1), (1, 2), (3, 1), (2, 0)]);
        let mut from_1 = g.reachable_from(1);
        assert_eq!(from_1[0], 1);
        from_1.sort_unstable();
        assert_eq!(from_1, [0, 1, 2]);
        assert_eq!(g.reachable_from(4), [4]);
    }

    #[test]
    fn reversing_the_closing_edges_leaves_no_cycle() {
        let edges = [(0, 1), (1, 2), (2, 0), (2, 3), (3, 1), (3, 3), (4, 0)];
        let g = GraphIndex::new(0..5, edges);
        let closing = g.edges_closing_cycles();
        // The search from 0 goes 0 → 1 → 2, back to 0, on to 3, back to 1
        // and to 3 itself.
        assert_eq!(closing, [(2, 0), (3, 1), (3, 3)]);
        let reversed = edges.iter().filter(|&&(a, b)| a != b).map(|&(a, b)| {
            if closing.contains(&(a, b)) {
                (b, a)
            } else {
                (a, b)
            }
        });
        assert_eq!(GraphIndex::new(0..5, reversed).cycle(), None);
        // A long chain does not exhaust the stack.
        let chain = GraphIndex::new(0..100_000u32, (1..100_000).map(|i| (i - 1, i)));
        assert_eq!(chain.edges_closing_cycles(), []);
        assert_eq!(chain.reachable_from(0).len(), 100_000);
    }
}
