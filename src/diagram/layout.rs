//! Layered auto-layout, left to right: break cycles, assign layers by longest
//! path, route long edges through dummy vertices, reduce crossings with
//! barycenter sweeps, then place vertices and straighten edges.

use std::collections::{HashMap, HashSet};

use super::geometry::Point;
use super::index::GraphIndex;
use super::model::{Diagram, NodeId, NodeMap};

/// Horizontal space between layers.
pub const LAYER_GAP: f32 = 90.0;
/// Vertical space between nodes in a layer.
pub const NODE_GAP: f32 = 36.0;
const DUMMY_HEIGHT: f32 = 12.0;
const SWEEPS: usize = 12;

/// One vertex of the layered graph: a node, or a bend point of a long edge.
struct Vertex {
    node: Option<NodeId>,
    width: f32,
    height: f32,
    up: Vec<usize>,
    down: Vec<usize>,
}

/// The flow nodes of a diagram (notes left out), its edges between them as
/// a DAG, and the layer of each node.
fn layering(d: &Diagram) -> (Vec<&super::model::Node>, Vec<(usize, usize)>, Vec<usize>) {
    let flow: Vec<&super::model::Node> = d.nodes.iter().filter(|n| !n.kind.is_note()).collect();
    let index: HashMap<NodeId, usize> = flow.iter().enumerate().map(|(i, n)| (n.id, i)).collect();
    let mut seen = HashSet::new();
    let edges: Vec<(usize, usize)> = d
        .edges
        .iter()
        .filter_map(|e| Some((*index.get(&e.from)?, *index.get(&e.to)?)))
        .filter(|(a, b)| a != b && seen.insert((*a, *b)))
        .collect();
    let dag = break_cycles(flow.len(), &edges);
    let layer = longest_path_layers(flow.len(), &dag);
    (flow, dag, layer)
}

/// How much work [`layered_positions`] would do on `d`: its vertices (nodes
/// and one bend point per layer a long edge crosses) times its layers. Long
/// edges across many layers make it grow fast, so a caller laying out a
/// diagram it did not draw can check it first.
pub fn layered_work(d: &Diagram) -> u64 {
    let (flow, dag, layer) = layering(d);
    let bends: u64 = dag
        .iter()
        .map(|&(a, b)| layer[b].saturating_sub(layer[a] + 1) as u64)
        .sum();
    let layers = layer.iter().max().map_or(0, |m| m + 1) as u64;
    (flow.len() as u64 + bends).saturating_mul(layers)
}

/// New positions for every node, laid out in layers from left to right.
/// Notes are lined up below the flow.
pub fn layered_positions(d: &Diagram) -> Vec<(NodeId, Point)> {
    let (flow, dag, layer) = layering(d);

    let mut vertices: Vec<Vertex> = flow
        .iter()
        .map(|n| Vertex {
            node: Some(n.id),
            width: n.size.w,
            height: n.size.h,
            up: Vec::new(),
            down: Vec::new(),
        })
        .collect();
    let mut vertex_layer = layer.clone();
    for &(a, b) in &dag {
        // Chain through one dummy per layer crossed.
        let mut prev = a;
        for l in layer[a] + 1..layer[b] {
            vertices.push(Vertex {
                node: None,
                width: 0.0,
                height: DUMMY_HEIGHT,
                up: Vec::new(),
                down: Vec::new(),
            });
            let dummy = vertices.len() - 1;
            vertex_layer.push(l);
            vertices[prev].down.push(dummy);
            vertices[dummy].up.push(prev);
            prev = dummy;
        }
        vertices[prev].down.push(b);
        vertices[b].up.push(prev);
    }

    let layer_count = vertex_layer.iter().max().map_or(0, |m| m + 1);
    let mut layers: Vec<Vec<usize>> = vec![Vec::new(); layer_count];
    // Start from the current vertical order, so a re-layout keeps the
    // user's picture where it can.
    let mut order: Vec<usize> = (0..vertices.len()).collect();
    let key = |v: usize| -> f32 {
        match vertices[v].node.and_then(|id| d.node(id)) {
            Some(n) => n.pos.y,
            None => f32::MAX,
        }
    };
    order.sort_by(|a, b| key(*a).total_cmp(&key(*b)));
    for v in order {
        layers[vertex_layer[v]].push(v);
    }
    order_layers(&vertices, &mut layers);
    let ys = place_vertically(&vertices, &layers);

    let origin = d.bounds().map_or(Point::ZERO, |b| b.min);
    let mut positions = Vec::with_capacity(d.nodes.len());
    let mut x = origin.x;
    let mut bottom = origin.y;
    for layer in &layers {
        let width = layer.iter().map(|&v| vertices[v].width).fold(0.0, f32::max);
        for &v in layer {
            if let Some(id) = vertices[v].node {
                let top = origin.y + ys[v] - vertices[v].height / 2.0;
                positions.push((id, Point::new(x + (width - vertices[v].width) / 2.0, top)));
                bottom = bottom.max(top + vertices[v].height);
            }
        }
        x += width + LAYER_GAP;
    }
    let mut note_x = origin.x;
    for n in d.nodes.iter().filter(|n| n.kind.is_note()) {
        positions.push((n.id, Point::new(note_x, bottom + NODE_GAP * 2.0)));
        note_x += n.size.w + NODE_GAP;
    }
    positions
}

/// Reverses the edges that close a cycle (found by depth-first search), so
/// the rest of the layout works on a DAG.
fn break_cycles(n: usize, edges: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let back: HashSet<(usize, usize)> = GraphIndex::new(0..n, edges.iter().copied())
        .edges_closing_cycles()
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    edges
        .iter()
        .map(|&(a, b)| {
            if back.contains(&(a, b)) {
                (b, a)
            } else {
                (a, b)
            }
        })
        .filter(|e| seen.insert(*e))
        .collect()
}

/// Layer of each vertex: the length of the longest path reaching it.
fn longest_path_layers(n: usize, dag: &[(usize, usize)]) -> Vec<usize> {
    let graph = GraphIndex::new(0..n, dag.iter().copied());
    // `dag` has no cycle once `break_cycles` has turned its closing edges
    // round; were one left, its nodes would stay in the first layer.
    let mut layer = vec![0usize; n];
    for v in graph.topological_order().unwrap_or_default() {
        for w in graph.successors(v) {
            layer[w] = layer[w].max(layer[v] + 1);
        }
    }
    layer
}

/// Barycenter sweeps down and up, keeping the ordering with fewest crossings.
fn order_layers(vertices: &[Vertex], layers: &mut [Vec<usize>]) {
    let mut best = layers.to_vec();
    let mut best_crossings = total_crossings(vertices, layers);
    for sweep in 0..SWEEPS {
        let down = sweep % 2 == 0;
        let range: Vec<usize> = if down {
            (1..layers.len()).collect()
        } else {
            (0..layers.len().saturating_sub(1)).rev().collect()
        };
        for l in range {
            let fixed = if down { l - 1 } else { l + 1 };
            let pos = positions_in(&layers[fixed], vertices.len());
            let mut keyed: Vec<(f32, usize, usize)> = layers[l]
                .iter()
                .enumerate()
                .map(|(i, &v)| {
                    let neighbours = if down {
                        &vertices[v].up
                    } else {
                        &vertices[v].down
                    };
                    let bary = if neighbours.is_empty() {
                        i as f32
                    } else {
                        neighbours.iter().map(|&w| pos[w] as f32).sum::<f32>()
                            / neighbours.len() as f32
                    };
                    (bary, i, v)
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            layers[l] = keyed.into_iter().map(|(_, _, v)| v).collect();
        }
        let crossings = total_crossings(vertices, layers);
        if crossings < best_crossings {
            best_crossings = crossings;
            best = layers.to_vec();
        }
    }
    layers.clone_from_slice(&best);
}

fn positions_in(layer: &[usize], n: usize) -> Vec<usize> {
    let mut pos = vec![0; n];
    for (i, &v) in layer.iter().enumerate() {
        pos[v] = i;
    }
    pos
}

/// Edge crossings between every pair of adjacent layers.
fn total_crossings(vertices: &[Vertex], layers: &[Vec<usize>]) -> usize {
    layers
        .windows(2)
        .map(|pair| {
            let upper = positions_in(&pair[0], vertices.len());
            let lower = positions_in(&pair[1], vertices.len());
            let mut edges: Vec<(usize, usize)> = pair[0]
                .iter()
                .flat_map(|&v| vertices[v].down.iter().map(move |&w| (v, w)))
                .map(|(v, w)| (upper[v], lower[w]))
                .collect();
            edges.sort_unstable();
            count_inversions(edges.into_iter().map(|(_, b)| b).collect())
        })
        .sum()
}

/// Pairs i < j with a[i] > a[j], by merge sort.
fn count_inversions(mut a: Vec<usize>) -> usize {
    let mut buf = a.clone();
    fn sort(a: &mut [usize], buf: &mut [usize]) -> usize {
        if a.len() < 2 {
            return 0;
        }
        let mid = a.len() / 2;
        let mut count = sort(&mut a[..mid], &mut buf[..mid]) + sort(&mut a[mid..], &mut buf[mid..]);
        let (mut i, mut j, mut k) = (0, mid, 0);
        while i < mid && j < a.len() {
            if a[i] <= a[j] {
                buf[k] = a[i];
                i += 1;
            } else {
                buf[k] = a[j];
                count += mid - i;
                j += 1;
            }
            k += 1;
        }
        buf[k..k + mid - i].copy_from_slice(&a[i..mid]);
        let k2 = k + mid - i;
        buf[k2..a.len()].copy_from_slice(&a[j..]);
        a.copy_from_slice(&buf[..a.len()]);
        count
    }
    let n = a.len();
    sort(&mut a, &mut buf[..n])
}

/// Vertical centres: stack each layer, then pull vertices towards their
/// neighbours' centres while keeping order and spacing.
fn place_vertically(vertices: &[Vertex], layers: &[Vec<usize>]) -> Vec<f32> {
    let mut y = vec![0.0f32; vertices.len()];
    for layer in layers {
        let mut top = 0.0;
        for &v in layer {
            y[v] = top + vertices[v].height / 2.0;
            top += vertices[v].height + NODE_GAP;
        }
    }
    for pass in 0..6 {
        let down = pass % 2 == 0;
        for layer in layers {
            let wanted: Vec<f32> = layer
                .iter()
                .map(|&v| {
                    let n = if down {
                        &vertices[v].up
                    } else {
                        &vertices[v].down
                    };
                    if n.is_empty() {
                        y[v]
                    } else {
                        n.iter().map(|&w| y[w]).sum::<f32>() / n.len() as f32
                    }
                })
                .collect();
            // Keep order and spacing: push down from the top, then up from the
            // bottom; each pass only moves a vertex away from its neighbour.
            let mut placed = wanted.clone();
            for i in 1..layer.len() {
                let min = placed[i - 1] + gap_between(vertices, layer[i - 1], layer[i]);
                placed[i] = placed[i].max(min);
            }
            for i in (0..layer.len().saturating_sub(1)).rev() {
                let max = placed[i + 1] - gap_between(vertices, layer[i], layer[i + 1]);
                placed[i] = placed[i].min(max);
            }
            for (i, &v) in layer.iter().enumerate() {
                y[v] = placed[i];
            }
        }
    }
    let min_top = layers
        .iter()
        .flatten()
        .map(|&v| y[v] - vertices[v].height / 2.0)
        .fold(f32::INFINITY, f32::min);
    if min_top.is_finite() {
        y.iter_mut().for_each(|v| *v -= min_top);
    }
    y
}

fn gap_between(vertices: &[Vertex], a: usize, b: usize) -> f32 {
    (vertices[a].height + vertices[b].height) / 2.0 + NODE_GAP
}

/// Crossings between straight edges in a laid-out diagram, for tests and
/// benchmarks of layout quality.
pub fn straight_edge_crossings(d: &Diagram) -> usize {
    let nodes = NodeMap::new(d);
    let segments: Vec<(Point, Point)> = d.edges.iter().filter_map(|e| nodes.edge_ends(e)).collect();
    let mut count = 0;
    for i in 0..segments.len() {
        for j in i + 1..segments.len() {
            if segments_cross(segments[i], segments[j]) {
                count += 1;
            }
        }
    }
    count
}

fn segments_cross((p1, p2): (Point, Point), (q1, q2): (Point, Point)) -> bool {
    let orient =
        |a: Point, b: Point, c: Point| (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x);
    let (d1, d2) = (orient(q1, q2, p1), orient(q1, q2, p2));
    let (d3, d4) = (orient(p1, p2, q1), orient(p1, p2, q2));
    // Strict: segments that only touch (a shared endpoint) do not count.
    d1 * d2 < 0.0 && d3 * d4 < 0.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{ComponentKind, DiagramEdit};

    fn chain_with_cycle() -> Diagram {
        let mut d = Diagram::default();
        let ids: Vec<NodeId> = (0..5)
            .map(|i| {
                d.apply(DiagramEdit::AddNode {
                    kind: ComponentKind::Generic,
                    pos: Point::new(0.0, i as f32 * 10.0),
                })
                .nodes[0]
            })
            .collect();
        for w in ids.windows(2) {
            d.apply(DiagramEdit::Connect {
                from: w[0],
                to: w[1],
            });
        }
        d.apply(DiagramEdit::Connect {
            from: ids[4],
            to: ids[0],
        });
        d
    }

    #[test]
    fn a_chain_runs_left_to_right_even_with_a_cycle() {
        let mut d = chain_with_cycle();
        let positions = layered_positions(&d);
        assert_eq!(positions.len(), 5);
        d.apply(DiagramEdit::SetPositions(positions));
        let xs: Vec<f32> = d.nodes.iter().map(|n| n.pos.x).collect();
        assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
        // Nothing overlaps.
        for (i, a) in d.nodes.iter().enumerate() {
            for b in &d.nodes[i + 1..] {
                assert!(!a.rect().intersects(&b.rect()));
            }
        }
    }

    #[test]
    fn inversions_are_counted() {
        assert_eq!(count_inversions(vec![0, 1, 2]), 0);
        assert_eq!(count_inversions(vec![2, 1, 0]), 3);
        assert_eq!(count_inversions(vec![1, 3, 2, 0]), 4);
    }

    #[test]
    fn a_crossed_bipartite_pair_is_uncrossed() {
        // a1→b2 and a2→b1, placed crossed; layout straightens them.
        let mut d = Diagram::default();
        let add = |d: &mut Diagram, x: f32, y: f32| {
            d.apply(DiagramEdit::AddNode {
                kind: ComponentKind::Generic,
                pos: Point::new(x, y),
            })
            .nodes[0]
        };
        let a1 = add(&mut d, 0.0, 0.0);
        let a2 = add(&mut d, 0.0, 200.0);
        let b1 = add(&mut d, 400.0, 0.0);
        let b2 = add(&mut d, 400.0, 200.0);
        d.apply(DiagramEdit::Connect { from: a1, to: b2 });
        d.apply(DiagramEdit::Connect { from: a2, to: b1 });
        assert_eq!(straight_edge_crossings(&d), 1);
        let positions = layered_positions(&d);
        d.apply(DiagramEdit::SetPositions(positions));
        assert_eq!(straight_edge_crossings(&d), 0);
    }
}
