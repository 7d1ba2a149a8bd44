//! Service times of ML-aware stations, derived from what the candidate chose:
//! model inference (size, items, hardware, batching) and an ANN index
//! (vectors, dimensions, recall).

use serde::{Deserialize, Serialize};

use super::distributions::Z99;
use super::hardware::HardwareSpec;

/// Dynamic batching as Triton does it: a batch starts when `max_batch_requests`
/// requests wait, or when the oldest has waited `max_wait_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Batching {
    /// Most requests merged into one forward pass; 1 turns batching off.
    pub max_batch_requests: u32,
    /// Longest a request waits for others to join its batch, in ms.
    pub max_wait_ms: f64,
}

impl Batching {
    /// No batching: every request is its own forward pass.
    pub const OFF: Batching = Batching {
        max_batch_requests: 1,
        max_wait_ms: 0.0,
    };
}

impl Default for Batching {
    fn default() -> Self {
        Batching::OFF
    }
}

/// A model served on some hardware.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InferenceModel {
    /// Compute per scored item, in GFLOP (e.g. 22.3 for BERT-Base at 128 tokens).
    pub gflops_per_item: f64,
    /// Items scored per request (e.g. 500 ranking candidates).
    pub items_per_request: f64,
    /// Where it runs.
    pub hardware: HardwareSpec,
    /// Dynamic batching.
    pub batching: Batching,
    /// p99 ÷ p50 of a forward pass's time (1 = no jitter; TensorRT reports
    /// p99 within 0–30% of the mean at low batch, so 1.3 is a fair default).
    pub tail_ratio: f64,
}

impl InferenceModel {
    /// Compute time per request on this hardware, excluding the fixed
    /// overhead, in ms: items × GFLOP ÷ effective TFLOP/s.
    pub fn work_ms_per_request(&self) -> f64 {
        self.items_per_request * self.gflops_per_item / self.hardware.effective_tflops()
    }

    /// Median time of a forward pass over `batch` requests, in ms.
    pub fn batch_time_ms(&self, batch: f64) -> f64 {
        self.hardware.overhead_ms + batch * self.work_ms_per_request()
    }

    /// Log-space sigma of the multiplicative jitter.
    pub fn jitter_sigma(&self) -> f64 {
        tail_sigma(self.tail_ratio)
    }
}

/// An HNSW approximate-nearest-neighbour index, one query per request.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AnnIndex {
    /// Vectors in the index.
    pub vectors: f64,
    /// Dimensions per vector (float32).
    pub dimensions: u32,
    /// Target recall@1 in (0, 1]; 1 means exact search.
    pub recall_target: f64,
    /// HNSW graph degree M (12–48 typical).
    pub hnsw_m: u32,
    /// p99 ÷ p50 of a query's time (1 = no jitter).
    pub tail_ratio: f64,
}

/// FAISS HNSW-Flat on SIFT1M (1M × 128-d): (recall@1, ms per query on one
/// thread). The benchmark reports wall ms/query over 20 threads; ×20 gives one
/// thread's time (faiss `benchs/README.md`).
const HNSW_SIFT1M: [(f64, f64); 5] = [
    (0.874, 0.011 * 20.0),
    (0.949, 0.020 * 20.0),
    (0.978, 0.033 * 20.0),
    (0.989, 0.059 * 20.0),
    (0.992, 0.104 * 20.0),
];

/// Bytes a single thread scans per ms in a brute-force search (10 GB/s).
const SCAN_BYTES_PER_MS: f64 = 1e7;

impl AnnIndex {
    /// One thread's time for one query, in ms: the HNSW reference time at the
    /// target recall, scaled by d/128 and ln N / ln 1e6, but never more than
    /// an exact scan of every vector.
    pub fn query_ms(&self) -> f64 {
        let brute = self.vectors * f64::from(self.dimensions) * 4.0 / SCAN_BYTES_PER_MS;
        if self.recall_target >= 1.0 {
            return brute;
        }
        let scale =
            (f64::from(self.dimensions) / 128.0) * (self.vectors.max(2.0).ln() / 1e6_f64.ln());
        (reference_ms(self.recall_target) * scale).min(brute)
    }

    /// Memory one replica needs for the index, in GB: N × (4d + 8M) bytes
    /// (the FAISS wiki's HNSW formula).
    pub fn memory_gb(&self) -> f64 {
        self.vectors * (4.0 * f64::from(self.dimensions) + 8.0 * f64::from(self.hnsw_m)) / 1e9
    }

    /// Log-space sigma of the multiplicative jitter.
    pub fn jitter_sigma(&self) -> f64 {
        tail_sigma(self.tail_ratio)
    }
}

/// The reference per-thread query time at a recall: piecewise linear in
/// (ln(1 − recall), ln ms), extended past both ends with the end slopes.
fn reference_ms(recall: f64) -> f64 {
    let pts = HNSW_SIFT1M.map(|(r, ms)| ((1.0 - r).ln(), ms.ln()));
    let x = (1.0 - recall).ln();
    // x falls as recall rises, so search from the low-recall end.
    let seg = pts
        .windows(2)
        .position(|w| x >= w[1].0)
        .unwrap_or(pts.len() - 2);
    let (a, b) = (pts[seg], pts[seg + 1]);
    let y = a.1 + (x - a.0) * (b.1 - a.1) / (b.0 - a.0);
    y.exp()
}

/// The log-normal sigma giving this p99 ÷ p50 ratio.
pub fn tail_sigma(tail_ratio: f64) -> f64 {
    if tail_ratio > 1.0 {
        tail_ratio.ln() / Z99
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ann(recall: f64) -> AnnIndex {
        AnnIndex {
            vectors: 1e6,
            dimensions: 128,
            recall_target: recall,
            hnsw_m: 16,
            tail_ratio: 1.0,
        }
    }

    #[test]
    fn ann_reproduces_faiss_points_and_is_monotone() {
        assert!((ann(0.949).query_ms() - 0.4).abs() < 1e-9);
        assert!((ann(0.989).query_ms() - 1.18).abs() < 1e-9);
        let mut last = 0.0;
        for r in [0.5, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.999, 1.0] {
            let t = ann(r).query_ms();
            assert!(t >= last, "recall {r}: {t} < {last}");
            last = t;
        }
        // An exact search scans 1M × 512 bytes at 10 GB/s.
        assert!((ann(1.0).query_ms() - 51.2).abs() < 1e-9);
    }

    #[test]
    fn ann_memory_matches_the_derived_table() {
        // 1M × d128 × M16 = 640 bytes per vector.
        assert!((ann(0.9).memory_gb() - 0.64).abs() < 1e-12);
    }
}
