//! Running a simulation: configuration, independent replications in
//! parallel, progress and cancellation.

use std::sync::atomic::{AtomicBool, AtomicU64};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::analytic::analyze;
use super::des::run_replication;
use super::engine::{Control, ReplicationParams, ReplicationResult};
use super::error::SimError;
use super::network::Network;
use super::report::{RunSummary, SimReport, assemble};
use super::sweep::{self, Plan};
use super::traffic::Traffic;

/// Most requests one replication may simulate.
pub const MAX_REQUESTS: u64 = 1_000_000_000;

/// Station visits one run may simulate: requests per replication ×
/// replications × the expected visits of one request. The engines process
/// 2–40 million visits a second per core (slowest with a fan-out of
/// thousands of calls per request, which keeps that many events pending),
/// so a run within the budget finishes within about a minute on two cores.
pub const WORK_BUDGET_VISITS: f64 = 2e8;

/// The work a run would do, known before it starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Work {
    /// Requests per replication.
    pub requests: u64,
    /// Replications.
    pub replications: u32,
    /// Expected station visits of one request (cache hits included).
    pub visits_per_request: f64,
}

impl Work {
    /// The work of running `cfg` on `net`.
    pub fn of(net: &Network, cfg: &RunConfig) -> Work {
        Work {
            requests: cfg.requests_per_replication,
            replications: cfg.replications,
            visits_per_request: net.visits_per_request().iter().sum(),
        }
    }

    /// Station visits in all: the product the budget bounds.
    pub fn visits(&self) -> f64 {
        self.requests as f64 * f64::from(self.replications) * self.visits_per_request
    }

    /// Whether it is within [`WORK_BUDGET_VISITS`].
    pub fn fits(&self) -> bool {
        self.visits() <= WORK_BUDGET_VISITS
    }

    /// The most requests per replication that fit with the same number of
    /// replications, when at least the minimum of 10 do.
    pub fn fitting_requests(&self) -> Option<u64> {
        let per_request = f64::from(self.replications) * self.visits_per_request;
        let n = (WORK_BUDGET_VISITS / per_request).floor();
        (n >= 10.0).then(|| (n as u64).min(MAX_REQUESTS))
    }

    /// The error that refuses this work.
    pub fn refusal(&self) -> SimError {
        SimError::OverBudget {
            requests: self.requests,
            replications: self.replications,
            visits_per_request: self.visits_per_request,
            visits: self.visits(),
            fitting_requests: self.fitting_requests(),
        }
    }
}

/// How to run a simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunConfig {
    /// Offered load at the entry.
    pub traffic: Traffic,
    /// Requests generated per replication (the run's length cap).
    pub requests_per_replication: u64,
    /// Requests at the start of each replication left out of the statistics.
    pub warmup_requests: u64,
    /// Independent replications; two or more give confidence intervals.
    pub replications: u32,
    /// Base seed: the same seed gives the same report.
    pub seed: u64,
    /// Longest any queue may grow (bounds memory when a station is
    /// overloaded); arrivals beyond it are dropped and reported.
    pub max_queue_len: u32,
    /// Most requests in flight at once; arrivals beyond it are dropped.
    pub max_in_flight: u64,
    /// The SLA: p99 must be at most this, in ms.
    pub sla_p99_ms: Option<f64>,
    /// Which engine runs the replications.
    #[serde(default)]
    pub engine: EngineChoice,
}

/// Which discrete-event engine runs a simulation. Both model the same
/// network the same way; they draw their random numbers in different orders,
/// so their results agree statistically, not bit for bit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineChoice {
    /// The station sweep where the calls allow it, else the event list.
    #[default]
    Auto,
    /// Always the general event-list engine.
    EventList,
}

impl RunConfig {
    /// 10 replications of 100,000 requests (10,000 warm-up), seed 1.
    pub fn new(traffic: Traffic) -> RunConfig {
        RunConfig {
            traffic,
            requests_per_replication: 100_000,
            warmup_requests: 10_000,
            replications: 10,
            seed: 1,
            max_queue_len: 100_000,
            max_in_flight: 1_000_000,
            sla_p99_ms: None,
            engine: EngineChoice::Auto,
        }
    }

    /// Sets the requests per replication and a 10% warm-up.
    pub fn with_requests(mut self, requests_per_replication: u64) -> RunConfig {
        self.requests_per_replication = requests_per_replication;
        self.warmup_requests = requests_per_replication / 10;
        self
    }

    /// Sets the number of replications.
    pub fn with_replications(mut self, replications: u32) -> RunConfig {
        self.replications = replications;
        self
    }

    /// Sets the base seed.
    pub fn with_seed(mut self, seed: u64) -> RunConfig {
        self.seed = seed;
        self
    }

    /// Sets the engine.
    pub fn with_engine(mut self, engine: EngineChoice) -> RunConfig {
        self.engine = engine;
        self
    }

    /// Sets the SLA on p99 in ms.
    pub fn with_sla_p99_ms(mut self, limit_ms: f64) -> RunConfig {
        self.sla_p99_ms = Some(limit_ms);
        self
    }

    /// This configuration, with fewer requests per replication when the
    /// run would exceed the budget on `net`, and the requests asked for when
    /// it did; an error when not even the minimum fits.
    pub fn fit_to_budget(self, net: &Network) -> Result<(RunConfig, Option<u64>), SimError> {
        let work = Work::of(net, &self);
        if work.fits() {
            return Ok((self, None));
        }
        match work.fitting_requests() {
            Some(n) => Ok((self.with_requests(n), Some(work.requests))),
            None => Err(work.refusal()),
        }
    }

    /// Checks every setting.
    pub fn validate(&self) -> Result<(), SimError> {
        self.traffic.validate()?;
        let bad = |parameter, value: f64, reason| {
            Err(SimError::Config {
                parameter,
                value,
                reason,
            })
        };
        let n = self.requests_per_replication;
        if !(10..=MAX_REQUESTS).contains(&n) {
            return bad(
                "requests per replication",
                n as f64,
                "must be between 10 and 1e9",
            );
        }
        if self.warmup_requests.saturating_add(2) > n {
            return bad(
                "warm-up requests",
                self.warmup_requests as f64,
                "must leave at least 2 measured requests",
            );
        }
        if !(1..=10_000).contains(&self.replications) {
            return bad(
                "replications",
                f64::from(self.replications),
                "must be between 1 and 10,000",
            );
        }
        if self.max_queue_len == 0 {
            return bad("queue cap", 0.0, "must be at least 1");
        }
        if self.max_in_flight == 0 {
            return bad("in-flight cap", 0.0, "must be at least 1");
        }
        if let Some(l) = self.sla_p99_ms
            && !(l.is_finite() && l > 0.0)
        {
            return bad("SLA p99 (ms)", l, "must be a positive number");
        }
        Ok(())
    }
}

/// How far a run has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Requests simulated so far, all replications.
    pub requests_done: u64,
    /// Requests the run will simulate.
    pub requests_total: u64,
}

impl Progress {
    /// Done as a fraction in [0, 1].
    pub fn fraction(&self) -> f64 {
        if self.requests_total == 0 {
            1.0
        } else {
            (self.requests_done as f64 / self.requests_total as f64).min(1.0)
        }
    }
}

/// SplitMix64: a well-mixed seed for replication i from the base seed.
pub fn replication_seed(base: u64, i: u64) -> u64 {
    let mut z = base ^ i.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Simulates the network: analytic estimate plus replications in parallel.
pub fn run(net: &Network, cfg: &RunConfig) -> Result<SimReport, SimError> {
    run_with_progress(net, cfg, &AtomicBool::new(false), &|_| {})
}

/// Like [`run_with_progress`], but a run that would exceed the budget runs
/// fewer requests per replication instead, and its report says so. For the
/// runs the app starts by itself (live re-runs, curves, reviews); a run a
/// user sized explicitly is refused instead.
pub fn run_within_budget(
    net: &Network,
    cfg: &RunConfig,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SimReport, SimError> {
    let (fitted, asked) = cfg.clone().fit_to_budget(net)?;
    let mut report = run_with_progress(net, &fitted, cancel, progress)?;
    if let Some(asked) = asked {
        report.warnings.push(format!(
            "ran {} requests per replication instead of {asked}: {asked} × {} replications × {:.1} station visits per request would exceed the simulation budget of {WORK_BUDGET_VISITS:.0e} visits",
            fitted.requests_per_replication,
            fitted.replications,
            Work::of(net, &fitted).visits_per_request,
        ));
    }
    Ok(report)
}

/// Like [`run`], reporting progress every few thousand requests (from worker
/// threads) and stopping with [`SimError::Cancelled`] soon after `cancel`
/// is set.
pub fn run_with_progress(
    net: &Network,
    cfg: &RunConfig,
    cancel: &AtomicBool,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<SimReport, SimError> {
    cfg.validate()?;
    let work = Work::of(net, cfg);
    if !work.fits() {
        return Err(work.refusal());
    }
    let analytic = analyze(net, &cfg.traffic);
    let total = cfg.requests_per_replication * u64::from(cfg.replications);
    let done = AtomicU64::new(0);
    let report = |requests_done| {
        progress(Progress {
            requests_done,
            requests_total: total,
        })
    };
    let ctl = Control {
        cancel,
        done: &done,
        progress: &report,
    };
    let plan = match cfg.engine {
        EngineChoice::Auto => Plan::new(net),
        EngineChoice::EventList => None,
    };
    let reps = (0..u64::from(cfg.replications))
        .into_par_iter()
        .map(|i| {
            let p = ReplicationParams {
                requests: cfg.requests_per_replication,
                warmup: cfg.warmup_requests,
                max_queue_len: cfg.max_queue_len,
                max_in_flight: cfg.max_in_flight,
                requests_per_second: cfg.traffic.requests_per_second,
                seed: replication_seed(cfg.seed, i),
            };
            let result = match &plan {
                Some(plan) => sweep::run_replication(net, plan, &p, &ctl),
                None => run_replication(net, &p, &ctl),
            };
            // Only the summary outlives the replication (see LatencySummary).
            result.map(ReplicationResult::summarized)
        })
        .collect::<Result<Vec<_>, _>>()?;
    report(total);
    Ok(assemble(
        RunSummary {
            net,
            analytic,
            requests: cfg.requests_per_replication,
            warmup: cfg.warmup_requests,
            seed: cfg.seed,
            max_queue_len: cfg.max_queue_len,
            sla_p99_ms: cfg.sla_p99_ms,
        },
        &reps,
    ))
}
