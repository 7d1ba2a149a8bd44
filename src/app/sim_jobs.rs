//! Simulation runs owned by the app state: one per diagram, on a background
//! thread, keyed by the diagram's revision and the inputs, cancelled when
//! dropped. The last result of each diagram stays here, where reports and
//! exports find it.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::sync::{Arc, Mutex};

use crate::content::Scenario;
use crate::diagram::{Diagram, NodeId};
use crate::sim::availability::{availability, zone_loss_meets_sla};
use crate::sim::curve::{LoadPoint, load_curve};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::{Progress, RunConfig, SimReport, Traffic, run_within_budget};

use super::compare_jobs::{CompareJob, CompareOutcome};
use super::right_size_jobs::{RightSizeJob, RightSizeOutcome, RightSizeRequest};
use super::timeline_jobs::TimelineSim;

/// Requests per point of the load curve.
const CURVE_REQUESTS: u64 = 20_000;

/// Wakes the front end when a background run has news (a repaint in the
/// GUI; nothing in the CLI or tests).
pub type Waker = Arc<dyn Fn() + Send + Sync>;

/// What a simulation of one diagram is asked to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SimInputs {
    pub qps: f64,
    pub sla_p99_ms: f64,
    pub monthly_budget_usd: f64,
    pub requests: u64,
    pub replications: u32,
    pub seed: u64,
    /// Re-run whenever the diagram or the inputs change.
    pub live: bool,
}

impl SimInputs {
    /// The case study's traffic and targets, with a run short enough to
    /// re-run live.
    pub fn from_scenario(scenario: &Scenario) -> SimInputs {
        SimInputs {
            qps: scenario.peak_qps,
            sla_p99_ms: scenario.p99_sla_ms,
            monthly_budget_usd: scenario.monthly_budget_usd,
            requests: 50_000,
            replications: 8,
            seed: 1,
            live: true,
        }
    }

    pub(super) fn config(&self) -> RunConfig {
        RunConfig::new(Traffic::rps(self.qps))
            .with_requests(self.requests)
            .with_replications(self.replications)
            .with_seed(self.seed)
            .with_sla_p99_ms(self.sla_p99_ms)
    }
}

/// A finished run.
#[derive(Debug, Clone)]
pub struct SimResult {
    pub report: SimReport,
    /// The diagram node behind each station of the report.
    pub nodes: Vec<NodeId>,
    /// Latency against load; empty until it has been computed.
    pub curve: Vec<LoadPoint>,
    /// The diagram revision and inputs it ran on.
    pub revision: u64,
    pub inputs: SimInputs,
}

/// What a background run sends back: the report as soon as it is ready
/// (with the path's availability, analytically), then whether the SLA
/// survives a zone's loss, then the load curve, which takes longest.
enum Message {
    Report(Box<Result<SimResult, String>>),
    ZoneLoss(bool),
    Curve(Vec<LoadPoint>),
}

/// A run under way. Dropping it cancels the run.
struct Job {
    cancel: Arc<AtomicBool>,
    progress: Arc<Mutex<f64>>,
    rx: Receiver<Message>,
    started_secs: f64,
    /// The report has arrived; only the load curve is still running.
    reported: bool,
}

impl Drop for Job {
    fn drop(&mut self) {
        self.cancel.store(true, Ordering::Relaxed);
    }
}

/// The simulation of one diagram.
pub struct DiagramSim {
    pub inputs: SimInputs,
    /// The simulator is on screen.
    pub open: bool,
    job: Option<Job>,
    /// What the last run was started for: (revision, inputs).
    started_for: Option<(u64, SimInputs)>,
    /// The last finished run, or why it could not run.
    pub last: Option<Result<SimResult, String>>,
    /// Order in which results arrived, to find the newest across diagrams.
    finished_seq: u64,
    /// The run over time of the diagram's scenario.
    pub timeline: TimelineSim,
    /// The last right-size search, until applied or dismissed.
    pub right_size: Option<RightSizeOutcome>,
    /// The right-size search under way.
    pub right_size_job: Option<RightSizeJob>,
    /// The last comparison of this diagram with another, until dismissed.
    pub compare: Option<CompareOutcome>,
    /// The comparison under way.
    pub compare_job: Option<CompareJob>,
}

/// Where a run under way stands, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunStatus {
    /// 0 to 1.
    pub fraction: f64,
    pub started_secs: f64,
    /// The report is in; the load curve is still being computed.
    pub curve_only: bool,
}

impl DiagramSim {
    fn new(scenario: &Scenario) -> DiagramSim {
        DiagramSim {
            inputs: SimInputs::from_scenario(scenario),
            open: false,
            job: None,
            started_for: None,
            last: None,
            finished_seq: 0,
            timeline: TimelineSim::default(),
            right_size: None,
            right_size_job: None,
            compare: None,
            compare_job: None,
        }
    }

    /// True while a right-size search runs.
    pub fn right_sizing(&self) -> bool {
        self.right_size_job.is_some()
    }

    /// The diagram a comparison under way is comparing with.
    pub fn comparing_with(&self) -> Option<&str> {
        self.compare_job.as_ref().map(|job| job.with.as_str())
    }

    /// The run under way, if any.
    pub fn running(&self) -> Option<RunStatus> {
        self.job.as_ref().map(|job| RunStatus {
            fraction: job.progress.lock().map_or(0.0, |p| *p),
            started_secs: job.started_secs,
            curve_only: job.reported,
        })
    }

    /// The last successful result.
    pub fn result(&self) -> Option<&SimResult> {
        self.last.as_ref()?.as_ref().ok()
    }
}

/// Every diagram's simulation in the open session.
pub struct SimJobs {
    waker: Waker,
    sims: HashMap<String, DiagramSim>,
    finished: u64,
}

impl SimJobs {
    pub fn new(waker: Waker) -> SimJobs {
        SimJobs {
            waker,
            sims: HashMap::new(),
            finished: 0,
        }
    }

    /// Cancels every run and forgets every result (another session opened).
    pub fn clear(&mut self) {
        self.sims.clear();
    }

    /// Cancels every run under way; results stay.
    pub fn cancel_all(&mut self) {
        for sim in self.sims.values_mut() {
            sim.job = None;
            sim.right_size_job = None;
            sim.compare_job = None;
            sim.timeline.cancel();
        }
    }

    /// Starts a right-size search of `diagram`, replacing one under way.
    pub fn start_right_size(
        &mut self,
        name: &str,
        diagram: &Diagram,
        revision: u64,
        request: RightSizeRequest,
    ) {
        let waker = self.waker.clone();
        if let Some(sim) = self.sims.get_mut(name) {
            sim.right_size = None;
            sim.right_size_job = Some(RightSizeJob::start(
                diagram,
                revision,
                &sim.inputs,
                request,
                waker,
            ));
        }
    }

    /// Starts comparing diagram `a` (whose simulator inputs both runs use)
    /// with diagram `b`, replacing a comparison under way.
    pub fn start_compare(&mut self, a: (&str, &Diagram), b: (&str, &Diagram)) {
        let waker = self.waker.clone();
        if let Some(sim) = self.sims.get_mut(a.0) {
            sim.compare = None;
            sim.compare_job = Some(CompareJob::start(a, b, &sim.inputs, waker));
        }
    }

    pub fn get(&self, diagram: &str) -> Option<&DiagramSim> {
        self.sims.get(diagram)
    }

    /// The diagram's simulation, made with the scenario's inputs when new.
    pub fn entry(&mut self, diagram: &str, scenario: &Scenario) -> &mut DiagramSim {
        self.sims
            .entry(diagram.to_owned())
            .or_insert_with(|| DiagramSim::new(scenario))
    }

    /// The newest successful report across diagrams.
    pub fn latest_report(&self) -> Option<&SimReport> {
        self.sims
            .values()
            .filter_map(|s| Some((s.finished_seq, &s.result()?.report)))
            .max_by_key(|(seq, _)| *seq)
            .map(|(_, r)| r)
    }

    /// True while any run is under way.
    pub fn any_running(&self) -> bool {
        self.sims.values().any(|s| {
            s.job.is_some() || s.timeline.running() || s.right_sizing() || s.compare_job.is_some()
        })
    }

    /// Starts a run of `diagram` when it is open and live and has not run on
    /// this revision with these inputs; `force` runs it regardless.
    pub fn refresh(&mut self, name: &str, diagram: &Diagram, revision: u64, now: f64, force: bool) {
        let waker = self.waker.clone();
        let Some(sim) = self.sims.get_mut(name) else {
            return;
        };
        sim.timeline
            .refresh(diagram, revision, &sim.inputs, false, waker.clone());
        let key = (revision, sim.inputs.clone());
        let stale = sim.started_for.as_ref() != Some(&key);
        if !(force || (sim.open && sim.inputs.live && stale)) {
            return;
        }
        sim.job = None;
        sim.started_for = Some(key);
        match network_from_diagram(diagram) {
            Ok(mapped) => sim.job = Some(start(mapped, sim.inputs.clone(), revision, now, waker)),
            Err(e) => sim.last = Some(Err(e.to_string())),
        }
    }

    /// Cancels the run of one diagram.
    pub fn cancel(&mut self, name: &str) {
        if let Some(sim) = self.sims.get_mut(name) {
            sim.job = None;
            sim.timeline.cancel();
        }
    }

    /// Runs `diagram`'s scenario over time now.
    pub fn run_timeline(&mut self, name: &str, diagram: &Diagram, revision: u64) {
        let waker = self.waker.clone();
        if let Some(sim) = self.sims.get_mut(name) {
            sim.timeline
                .refresh(diagram, revision, &sim.inputs, true, waker);
        }
    }

    /// Picks up what the runs sent. Returns true when anything arrived.
    pub fn poll(&mut self) -> bool {
        let mut news = false;
        for sim in self.sims.values_mut() {
            news |= sim.timeline.poll();
            news |= collect(
                &mut sim.right_size_job,
                &mut sim.right_size,
                RightSizeJob::poll,
            );
            news |= collect(&mut sim.compare_job, &mut sim.compare, CompareJob::poll);
            let Some(job) = &mut sim.job else { continue };
            match job.rx.try_recv() {
                Ok(Message::Report(result)) => {
                    job.reported = true;
                    self.finished += 1;
                    sim.finished_seq = self.finished;
                    sim.last = Some(*result);
                    news = true;
                }
                Ok(Message::ZoneLoss(meets)) => {
                    let availability = match &mut sim.last {
                        Some(Ok(result)) => result.report.availability.as_mut(),
                        _ => None,
                    };
                    if let Some(a) = availability {
                        a.zone_loss_meets_sla = Some(meets);
                    }
                    news = true;
                }
                Ok(Message::Curve(curve)) => {
                    if let Some(Ok(result)) = &mut sim.last {
                        result.curve = curve;
                    }
                    sim.job = None;
                    news = true;
                }
                Err(TryRecvError::Disconnected) => {
                    sim.job = None;
                    news = true;
                }
                Err(TryRecvError::Empty) => {}
            }
        }
        news
    }
}

/// The one answer a background thread sends on `rx`, once it is there;
/// `Err(())` when the thread is gone without one.
pub(super) fn try_answer<T>(rx: &Receiver<T>) -> Result<Option<T>, ()> {
    match rx.try_recv() {
        Ok(answer) => Ok(Some(answer)),
        Err(TryRecvError::Empty) => Ok(None),
        Err(TryRecvError::Disconnected) => Err(()),
    }
}

/// Moves the answer of the one-answer `job` (by `poll`) into `slot` and
/// ends the job; a thread gone without an answer ends it too. True when
/// either happened.
fn collect<J, T>(
    job: &mut Option<J>,
    slot: &mut Option<T>,
    poll: impl Fn(&J) -> Result<Option<T>, ()>,
) -> bool {
    let Some(j) = job else { return false };
    match poll(j) {
        Ok(None) => false,
        Ok(Some(answer)) => {
            *slot = Some(answer);
            *job = None;
            true
        }
        Err(()) => {
            *job = None;
            true
        }
    }
}

fn start(
    mapped: crate::sim::from_diagram::DiagramNetwork,
    inputs: SimInputs,
    revision: u64,
    now: f64,
    waker: Waker,
) -> Job {
    let cancel = Arc::new(AtomicBool::new(false));
    let progress = Arc::new(Mutex::new(0.0));
    let (tx, rx) = channel();
    let (c, p) = (cancel.clone(), progress.clone());
    std::thread::spawn(move || {
        let on_progress = |pr: Progress| {
            if let Ok(mut slot) = p.lock() {
                *slot = pr.fraction();
            }
            waker();
        };
        let config = inputs.config();
        let result = run_within_budget(&mapped.network, &config, &c, &on_progress).map(|mut r| {
            r.availability = Some(availability(&mapped.network));
            r
        });
        let saturation = result.as_ref().ok().and_then(|r| r.saturation_rps);
        let seed = inputs.seed;
        let (qps, sla) = (inputs.qps, inputs.sla_p99_ms);
        let outcome = result.map_err(|e| e.to_string()).map(|report| SimResult {
            report,
            nodes: mapped.nodes.clone(),
            curve: Vec::new(),
            revision,
            inputs,
        });
        // A send fails only when the job was dropped: nobody wants the result.
        if c.load(Ordering::Relaxed) || tx.send(Message::Report(Box::new(outcome))).is_err() {
            return;
        }
        waker();
        // A zone-loss check that cannot run (a node with one zone and one
        // replica leaves nothing) stays unknown.
        if let Ok(meets) = zone_loss_meets_sla(&mapped.network, qps, sla, &c) {
            if c.load(Ordering::Relaxed) || tx.send(Message::ZoneLoss(meets)).is_err() {
                return;
            }
            waker();
        }
        if let Some(sat) = saturation {
            let curve = load_curve(&mapped.network, sat, CURVE_REQUESTS, seed, &c);
            if !c.load(Ordering::Relaxed) && tx.send(Message::Curve(curve)).is_err() {
                return;
            }
        }
        waker();
    });
    Job {
        cancel,
        progress,
        rx,
        started_secs: now,
        reported: false,
    }
}
