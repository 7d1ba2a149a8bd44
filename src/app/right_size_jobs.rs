//! Right-size searches on a background thread, one per diagram, so the
//! window stays live while the search spends its time budget. The answer
//! waits in the diagram's simulation until applied or dismissed.

use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use crate::diagram::{Diagram, NodeId};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::right_size::{RightSizeConfig, RightSizeResult, right_size};

use super::sim_jobs::{SimInputs, Waker, try_answer};

/// A right-size search of one diagram revision.
#[derive(Debug, Clone)]
pub struct RightSizeOutcome {
    /// The diagram revision it searched.
    pub revision: u64,
    /// The replicas per station and the diff, or why there is none.
    pub result: Result<RightSize, String>,
}

/// A right-size result with the diagram node of each station.
#[derive(Debug, Clone)]
pub struct RightSize {
    pub result: RightSizeResult,
    pub nodes: Vec<NodeId>,
    pub zone_loss: bool,
}

/// What a search is asked for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RightSizeRequest {
    pub zone_loss: bool,
    pub choose_hardware: bool,
    pub time_budget: Duration,
}

/// A search under way; dropping it discards its answer (the thread ends
/// within its time budget).
pub struct RightSizeJob {
    rx: Receiver<RightSizeOutcome>,
}

impl RightSizeJob {
    /// Starts searching `diagram` (at `revision`) at the simulator's load
    /// and SLA.
    pub fn start(
        diagram: &Diagram,
        revision: u64,
        inputs: &SimInputs,
        request: RightSizeRequest,
        waker: Waker,
    ) -> RightSizeJob {
        let (tx, rx) = channel();
        let mapped = network_from_diagram(diagram).map_err(|e| e.to_string());
        let mut cfg = RightSizeConfig::new(inputs.qps, inputs.sla_p99_ms);
        cfg.zone_loss = request.zone_loss;
        cfg.choose_hardware = request.choose_hardware;
        cfg.time_budget = request.time_budget;
        std::thread::spawn(move || {
            let result = mapped.and_then(|net| {
                right_size(&net.network, &cfg)
                    .map(|result| RightSize {
                        result,
                        nodes: net.nodes,
                        zone_loss: cfg.zone_loss,
                    })
                    .map_err(|e| e.to_string())
            });
            // A failed send means the job was dropped: nobody wants it.
            if tx.send(RightSizeOutcome { revision, result }).is_ok() {
                waker();
            }
        });
        RightSizeJob { rx }
    }

    /// The answer once it is there; `Err(())` when the thread is gone
    /// without one.
    pub fn poll(&self) -> Result<Option<RightSizeOutcome>, ()> {
        try_answer(&self.rx)
    }
}
