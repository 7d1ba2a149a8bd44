//! A plain, editable catalog of typical serving hardware with public
//! on-demand prices and an effective (achievable) throughput.
//!
//! Prices and peak figures come from `/work/shared/reference/serving-facts.md`
//! (AWS on-demand list prices from the skypilot catalog snapshot, about H1
//! 2025; GPU peaks from vendor spec tables). The utilisation and overhead are
//! fitted to NVIDIA's TensorRT BERT timings where a fit exists, otherwise
//! stated assumptions; see `docs/simulator.md`.

use serde::{Deserialize, Serialize};

/// One kind of machine a station's replicas can run on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HardwareSpec {
    /// The hardware id: stable, used in files and lookups, e.g. `gpu-t4`.
    pub id: String,
    /// A display name, e.g. `NVIDIA T4 (g4dn.xlarge)`.
    pub name: String,
    /// The cloud instance type this price is for, e.g. `g4dn.xlarge` (a
    /// description: the hardware is named by its `id`).
    pub cloud_instance: String,
    /// `cpu` or the GPU model.
    pub accelerator: String,
    /// On-demand price of one replica (one instance, or one GPU's share).
    pub cost_usd_per_hour: f64,
    /// Peak dense throughput in TFLOP/s (FP16 tensor for GPUs, FP32 AVX-512
    /// for CPUs).
    pub peak_tflops: f64,
    /// Fraction of the peak a real model reaches (0–1].
    pub utilisation: f64,
    /// Fixed cost of one forward pass regardless of its size (kernel
    /// launches, host↔device copies, framework), in ms.
    pub overhead_ms: f64,
    /// Accelerator memory (GPU) or instance RAM (CPU), in GB.
    pub memory_gb: f64,
    /// Host vCPUs per replica (threads a CPU-bound service can run).
    pub vcpus: u32,
    /// Where the figures come from.
    pub source: String,
}

impl HardwareSpec {
    /// The throughput the model actually gets: peak × utilisation, TFLOP/s.
    pub fn effective_tflops(&self) -> f64 {
        self.peak_tflops * self.utilisation
    }
}

/// The skypilot catalog snapshot the prices are taken from.
const PRICES: &str =
    "AWS on-demand, skypilot-org/skypilot-catalog catalogs/v7/aws/vms.csv (about H1 2025)";

#[allow(clippy::too_many_arguments)]
fn spec(
    id: &str,
    name: &str,
    cloud_instance: &str,
    accelerator: &str,
    cost_usd_per_hour: f64,
    peak_tflops: f64,
    utilisation: f64,
    overhead_ms: f64,
    memory_gb: f64,
    vcpus: u32,
    source: &str,
) -> HardwareSpec {
    HardwareSpec {
        id: id.to_owned(),
        name: name.to_owned(),
        cloud_instance: cloud_instance.to_owned(),
        accelerator: accelerator.to_owned(),
        cost_usd_per_hour,
        peak_tflops,
        utilisation,
        overhead_ms,
        memory_gb,
        vcpus,
        source: format!("{PRICES}; {source}"),
    }
}

/// Peak FP32 TFLOP/s of an AVX-512 CPU: vCPU/2 cores × 3.0 GHz × 32 FLOP per
/// cycle (16 FP32 FMA lanes).
fn cpu_peak_tflops(vcpus: f64) -> f64 {
    vcpus / 2.0 * 3.0e9 * 32.0 / 1e12
}

/// The built-in catalog. It is plain data: copy it, edit it, add rows.
pub fn catalog() -> Vec<HardwareSpec> {
    let cpu =
        "peak = vCPU/2 cores × 3.0 GHz × 32 FLOP/cycle (AVX-512 FP32); utilisation 30% assumed";
    vec![
        spec(
            "cpu-c6i-2xlarge",
            "CPU c6i.2xlarge (8 vCPU)",
            "c6i.2xlarge",
            "cpu",
            0.34,
            cpu_peak_tflops(8.0),
            0.30,
            0.1,
            16.0,
            8,
            cpu,
        ),
        spec(
            "cpu-c6i-4xlarge",
            "CPU c6i.4xlarge (16 vCPU)",
            "c6i.4xlarge",
            "cpu",
            0.68,
            cpu_peak_tflops(16.0),
            0.30,
            0.1,
            32.0,
            16,
            cpu,
        ),
        spec(
            "cpu-c6i-16xlarge",
            "CPU c6i.16xlarge (64 vCPU)",
            "c6i.16xlarge",
            "cpu",
            2.72,
            cpu_peak_tflops(64.0),
            0.30,
            0.1,
            128.0,
            64,
            cpu,
        ),
        spec(
            "cpu-c7i-2xlarge",
            "CPU c7i.2xlarge (8 vCPU)",
            "c7i.2xlarge",
            "cpu",
            0.357,
            cpu_peak_tflops(8.0),
            0.30,
            0.1,
            16.0,
            8,
            cpu,
        ),
        spec(
            "cpu-c7i-4xlarge",
            "CPU c7i.4xlarge (16 vCPU)",
            "c7i.4xlarge",
            "cpu",
            0.714,
            cpu_peak_tflops(16.0),
            0.30,
            0.1,
            32.0,
            16,
            cpu,
        ),
        spec(
            "cpu-c7i-8xlarge",
            "CPU c7i.8xlarge (32 vCPU)",
            "c7i.8xlarge",
            "cpu",
            1.428,
            cpu_peak_tflops(32.0),
            0.30,
            0.1,
            64.0,
            32,
            cpu,
        ),
        spec(
            "gpu-t4",
            "NVIDIA T4 (g4dn.xlarge)",
            "g4dn.xlarge",
            "T4",
            0.526,
            65.0,
            0.30,
            0.8,
            16.0,
            4,
            "65 TFLOPS FP16 peak; 30% and 0.8 ms fitted to TensorRT BERT-Base timings on T4",
        ),
        spec(
            "gpu-a10g",
            "NVIDIA A10G (g5.xlarge)",
            "g5.xlarge",
            "A10G",
            1.006,
            70.0,
            0.40,
            0.6,
            24.0,
            4,
            "70 TFLOPS BF16 (unverified secondary quote); 40% and 0.6 ms assumed between T4 and A100",
        ),
        spec(
            "gpu-l4",
            "NVIDIA L4 (g6.xlarge)",
            "g6.xlarge",
            "L4",
            0.8048,
            121.0,
            0.30,
            0.6,
            24.0,
            4,
            "121 TFLOPS FP16 dense; 30% assumed like the T4 (a 72 W card), 0.6 ms assumed",
        ),
        spec(
            "gpu-a100",
            "NVIDIA A100 40GB (1/8 p4d.24xlarge)",
            "p4d.24xlarge",
            "A100",
            32.7726 / 8.0,
            312.0,
            0.57,
            0.55,
            40.0,
            12,
            "312 TFLOPS FP16 dense; 57% and 0.55 ms fitted to TensorRT BERT-Base timings on A100",
        ),
        spec(
            "gpu-h100",
            "NVIDIA H100 (1/8 p5.48xlarge)",
            "p5.48xlarge",
            "H100",
            98.32 / 8.0,
            989.0,
            0.50,
            0.5,
            80.0,
            24,
            "989 TFLOPS FP16 dense (SXM); 50% and 0.5 ms assumed; price predates the June 2025 cut of up to 45%",
        ),
    ]
}

/// The catalog row with this hardware id (surrounding spaces ignored).
/// Diagrams saved before nodes named their hardware by id hold the cloud
/// instance type instead (`g4dn.xlarge`, any case), so that is accepted too.
pub fn find(hardware_id: &str) -> Option<HardwareSpec> {
    let wanted = hardware_id.trim();
    let rows = catalog();
    match rows.iter().position(|h| h.id == wanted) {
        Some(i) => rows.into_iter().nth(i),
        None => rows
            .into_iter()
            .find(|h| h.cloud_instance.eq_ignore_ascii_case(wanted)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_ids_are_unique_and_figures_sane() {
        let rows = catalog();
        for (i, a) in rows.iter().enumerate() {
            assert!(
                a.cost_usd_per_hour > 0.0 && a.effective_tflops() > 0.0,
                "{}",
                a.id
            );
            assert!(rows[i + 1..].iter().all(|b| b.id != a.id), "{}", a.id);
        }
        let t4 = find("gpu-t4").expect("t4 in catalog");
        assert_eq!(t4.cost_usd_per_hour, 0.526);
        assert!((t4.effective_tflops() - 19.5).abs() < 1e-9);
        // Older diagrams name the cloud instance; the id wins a clash.
        assert_eq!(find(" G4DN.xlarge ").map(|h| h.id), Some("gpu-t4".into()));
        assert_eq!(find("gpu-t4 ").map(|h| h.id), Some("gpu-t4".into()));
        assert!(find("quantum-9000").is_none());
    }

    #[test]
    fn bert_fit_reproduces_tensorrt_timings() {
        // BERT-Base at sequence 128 is about 22.3 GFLOP per sequence.
        let a100 = find("gpu-a100").expect("a100 in catalog");
        let t =
            |hw: &HardwareSpec, batch: f64| hw.overhead_ms + batch * 22.3 / hw.effective_tflops();
        assert!((t(&a100, 128.0) / 16.14 - 1.0).abs() < 0.05);
        let t4 = find("gpu-t4").expect("t4 in catalog");
        assert!((t(&t4, 128.0) / 144.2 - 1.0).abs() < 0.05);
        assert!((t(&t4, 1.0) / 1.95 - 1.0).abs() < 0.05);
    }
}
