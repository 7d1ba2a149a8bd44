//! Runs over time of one diagram: its saved scenario played in the
//! background, re-run when the diagram or the scenario changes while the
//! "Over time" view is open, and the moment the canvas shows.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::diagram::{Diagram, NodeId};
use crate::sim::availability::{Availability, availability_with_zone_check};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::timeline::{TimelineConfig, TimelineReport, Window, run_timeline};

use super::sim_jobs::{SimInputs, Waker};

/// A finished run over time.
#[derive(Debug, Clone)]
pub struct TimelineResult {
    pub report: TimelineReport,
    pub availability: Availability,
    /// The diagram node behind each station.
    pub nodes: Vec<NodeId>,
}

impl TimelineResult {
    /// The window that holds `t_s` seconds.
    pub fn window_at(&self, t_s: f64) -> Option<&Window> {
        self.report
            .timeline
            .iter()
            .find(|w| t_s >= w.t_s && t_s < w.t_s + w.len_s)
            .or(self.report.timeline.last())
    }
}

struct Job {
    cancel: Arc<AtomicBool>,
    rx: Receiver<Result<TimelineResult, String>>,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The run over time of one diagram.
#[derive(Default)]
pub struct TimelineSim {
    /// The "Over time" view is on screen: edits re-run the scenario.
    pub open: bool,
    /// The moment the canvas is coloured for, seconds; None shows the
    /// steady-state run.
    pub scrub_s: Option<f64>,
    job: Option<Job>,
    started_for: Option<(u64, SimInputs)>,
    /// The last finished run, or why it could not run.
    pub last: Option<Result<TimelineResult, String>>,
}

impl TimelineSim {
    pub fn running(&self) -> bool {
        self.job.is_some()
    }

    pub fn result(&self) -> Option<&TimelineResult> {
        self.last.as_ref()?.as_ref().ok()
    }

    pub fn cancel(&mut self) {
        self.job = None;
    }

    /// Starts a run of `diagram`'s scenario (or the default one) when the
    /// view is open and the diagram or inputs changed; `force` runs anyway.
    pub fn refresh(
        &mut self,
        diagram: &Diagram,
        revision: u64,
        inputs: &SimInputs,
        force: bool,
        waker: Waker,
    ) {
        let key = (revision, inputs.clone());
        let stale = self.started_for.as_ref() != Some(&key);
        if !(force || (self.open && stale)) {
            return;
        }
        self.job = None;
        self.started_for = Some(key);
        let mapped = match network_from_diagram(diagram) {
            Ok(m) => m,
            Err(e) => {
                self.last = Some(Err(e.to_string()));
                return;
            }
        };
        let scenario = diagram.scenario.clone().unwrap_or_default();
        let mut cfg = TimelineConfig::new(inputs.qps);
        cfg.seed = inputs.seed;
        cfg.sla_p99_ms = Some(inputs.sla_p99_ms);
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = channel();
        let c = cancel.clone();
        std::thread::spawn(move || {
            let net = &mapped.network;
            let start_rps = scenario.start_rps.unwrap_or(cfg.start_rps);
            let result = run_timeline(net, &scenario, &cfg, &c).and_then(|report| {
                let availability =
                    availability_with_zone_check(net, start_rps, cfg.sla_p99_ms, &c)?;
                Ok(TimelineResult {
                    report,
                    availability,
                    nodes: mapped.nodes.clone(),
                })
            });
            // A send fails only when the job was dropped: nobody wants it.
            if !c.load(Ordering::Relaxed) && tx.send(result.map_err(|e| e.to_string())).is_ok() {
                waker();
            }
        });
        self.job = Some(Job { cancel, rx });
    }

    /// Picks up a finished run; true when one arrived.
    pub fn poll(&mut self) -> bool {
        let Some(job) = &self.job else { return false };
        match job.rx.try_recv() {
            Ok(result) => {
                self.last = Some(result);
                self.job = None;
                true
            }
            Err(TryRecvError::Disconnected) => {
                self.job = None;
                true
            }
            Err(TryRecvError::Empty) => false,
        }
    }
}
