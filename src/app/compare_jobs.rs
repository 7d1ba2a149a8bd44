//! Comparing two diagrams of the session on a background thread: both run
//! with the same simulator inputs (load, requests, seed), then are set side
//! by side, as `simulate --compare` does.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};

use crate::diagram::Diagram;
use crate::review::designs::{Design, DesignComparison, compare_designs};
use crate::sim::availability::availability;
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::{SimReport, run_within_budget};

use super::sim_jobs::{SimInputs, Waker, try_answer};

/// A finished comparison of the diagram it belongs to (A) with `with` (B).
#[derive(Debug, Clone)]
pub struct CompareOutcome {
    pub with: String,
    pub result: Result<DesignComparison, String>,
}

/// A comparison under way; dropping it cancels both runs.
pub struct CompareJob {
    rx: Receiver<CompareOutcome>,
    cancel: Arc<AtomicBool>,
    /// The diagram B it compares with.
    pub with: String,
}

impl Drop for CompareJob {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// One diagram's report as a plain simulator run would give it, or why it
/// could not run, naming the diagram.
fn report_of(
    name: &str,
    diagram: &Diagram,
    inputs: &SimInputs,
    cancel: &AtomicBool,
) -> Result<SimReport, String> {
    let mapped = network_from_diagram(diagram).map_err(|e| format!("\"{name}\": {e}"))?;
    let mut report = run_within_budget(&mapped.network, &inputs.config(), cancel, &|_| {})
        .map_err(|e| format!("\"{name}\": {e}"))?;
    report.availability = Some(availability(&mapped.network));
    Ok(report)
}

impl CompareJob {
    /// Starts comparing diagram `a` with diagram `b`, both at `inputs`.
    pub fn start(
        a: (&str, &Diagram),
        b: (&str, &Diagram),
        inputs: &SimInputs,
        waker: Waker,
    ) -> CompareJob {
        let (tx, rx) = channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let c = cancel.clone();
        let (name_a, diagram_a) = (a.0.to_owned(), a.1.clone());
        let (name_b, diagram_b) = (b.0.to_owned(), b.1.clone());
        let inputs = inputs.clone();
        let with = name_b.clone();
        std::thread::spawn(move || {
            let result = report_of(&name_a, &diagram_a, &inputs, &c).and_then(|report_a| {
                let report_b = report_of(&name_b, &diagram_b, &inputs, &c)?;
                Ok(compare_designs(
                    &Design {
                        name: &name_a,
                        diagram: &diagram_a,
                        report: &report_a,
                    },
                    &Design {
                        name: &name_b,
                        diagram: &diagram_b,
                        report: &report_b,
                    },
                ))
            });
            // A failed send means the job was dropped: nobody wants it.
            let outcome = CompareOutcome {
                with: name_b,
                result,
            };
            if !c.load(Ordering::Relaxed) && tx.send(outcome).is_ok() {
                waker();
            }
        });
        CompareJob { rx, cancel, with }
    }

    /// The answer once it is there; `Err(())` when the thread is gone
    /// without one.
    pub fn poll(&self) -> Result<Option<CompareOutcome>, ()> {
        try_answer(&self.rx)
    }
}
