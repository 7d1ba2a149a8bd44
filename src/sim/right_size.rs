//! Right-sizing: the cheapest replica counts per station such that every
//! station stays below a target load, the discrete-event run confirms the
//! p99 SLA (the upper end of its 95% interval within the limit), and, when
//! asked, the SLA still holds with one zone's replicas lost.
//!
//! The analytic model prunes (the load bound gives each station's fewest
//! replicas; a mean latency above the SLA rules a design out without a
//! run), the DES confirms. A greedy pass finds a good design quickly and
//! removes every replica it can; a search in order of cost then proves it
//! the cheapest, or finds a cheaper one, until the time budget runs out.
//! The search adds a replica only where a queue still adds at least 0.1%
//! of the SLA: past that, a replica buys nothing the run could measure.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use super::analytic::analyze;
use super::availability::{zone_loss_meets_sla, zone_loss_network};
use super::error::SimError;
use super::network::Network;
use super::run::{RunConfig, run};
use super::traffic::Traffic;

mod hardware;

/// Load every station must stay below unless told otherwise.
pub const DEFAULT_TARGET_LOAD: f64 = 0.8;
/// Hours in an average month, as cloud bills count them.
const HOURS_PER_MONTH: f64 = 730.0;

/// What a right-size search is asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct RightSizeConfig {
    pub rps: f64,
    pub sla_p99_ms: f64,
    /// Highest load (arrival rate ÷ capacity) a station may run at.
    pub target_load: f64,
    /// The SLA must also hold with one zone's replicas removed.
    pub zone_loss: bool,
    /// The search stops after this long with the best design found.
    pub time_budget: Duration,
    /// Requests and replications of each confirming run.
    pub requests: u64,
    pub replications: u32,
    pub seed: u64,
    /// Most replicas any station may have.
    pub max_replicas: u32,
    /// Model nodes may move to other hardware from the catalog.
    pub choose_hardware: bool,
}

impl RightSizeConfig {
    /// The defaults: load below 0.8, one second, 20,000 requests × 4
    /// replications per confirming run, up to 1,000 replicas a station.
    pub fn new(rps: f64, sla_p99_ms: f64) -> RightSizeConfig {
        RightSizeConfig {
            rps,
            sla_p99_ms,
            target_load: DEFAULT_TARGET_LOAD,
            zone_loss: false,
            time_budget: Duration::from_secs(1),
            requests: 20_000,
            replications: 4,
            seed: 1,
            max_replicas: 1_000,
            choose_hardware: false,
        }
    }
}

/// One station before and after.
#[derive(Debug, Clone, PartialEq)]
pub struct StationChange {
    pub station: usize,
    pub name: String,
    pub replicas_before: u32,
    pub replicas_after: u32,
    /// Hardware ids of a model node (whose speed comes from its
    /// hardware); None for the other kinds.
    pub hardware_before: Option<String>,
    pub hardware_after: Option<String>,
    pub cost_before_usd_per_month: f64,
    pub cost_after_usd_per_month: f64,
}

impl StationChange {
    /// The hardware before and after, when the search moved the node.
    pub fn hardware_moved(&self) -> Option<(&str, &str)> {
        match (&self.hardware_before, &self.hardware_after) {
            (Some(a), Some(b)) if a != b => Some((a, b)),
            _ => None,
        }
    }
}

/// The cheapest design found and how it compares with the one given.
#[derive(Debug, Clone, PartialEq)]
pub struct RightSizeResult {
    /// Replicas per station, in network order.
    pub replicas: Vec<u32>,
    /// Each station's before and after; its hardware too.
    pub stations: Vec<StationChange>,
    pub cost_before_usd_per_month: f64,
    pub cost_after_usd_per_month: f64,
    /// Upper end of the p99's 95% interval; None when the design was
    /// unstable (before) or never run.
    pub p99_before_ms: Option<f64>,
    pub p99_after_ms: Option<f64>,
    /// No cheaper design meets the constraints (else: the best found
    /// within the time budget).
    pub proven_optimal: bool,
    /// Designs checked with a discrete-event run.
    pub des_runs: u32,
}

/// Why no design was found.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RightSizeError {
    #[error("no design can meet the SLA: node \"{node}\" {why}")]
    Impossible { node: String, why: String },
    #[error(
        "no design met the SLA within the time budget of {budget_s} s; the slowest node is \"{node}\""
    )]
    OutOfTime { budget_s: f64, node: String },
    #[error(
        "no design can meet the SLA: with every queue gone the p99 still exceeds it, so more replicas cannot help; the slowest node is \"{node}\""
    )]
    CannotHelp { node: String },
    #[error("{0}")]
    Sim(#[from] SimError),
}

/// Whether one design meets every constraint, and its p99's upper bound.
#[derive(Debug, Clone, Copy)]
struct Verdict {
    ok: bool,
    p99_upper_ms: Option<f64>,
}

struct Search<'a> {
    net: &'a Network,
    cfg: &'a RightSizeConfig,
    /// Micro-dollars per replica-hour of each station, for exact ordering.
    price: Vec<u64>,
    checked: HashMap<Vec<u32>, Verdict>,
    des_runs: u32,
}

impl<'a> Search<'a> {
    fn new(net: &'a Network, cfg: &'a RightSizeConfig) -> Search<'a> {
        Search {
            net,
            cfg,
            price: net
                .stations()
                .iter()
                .map(|s| (s.cost_usd_per_replica_hour.max(0.0) * 1e6).round() as u64)
                .collect(),
            checked: HashMap::new(),
            des_runs: 0,
        }
    }

    fn with(&self, replicas: &[u32]) -> Result<Network, SimError> {
        let stations = self
            .net
            .stations()
            .iter()
            .zip(replicas)
            .map(|(s, &r)| {
                let mut s = s.clone();
                s.replicas = r;
                s
            })
            .collect();
        Ok(Network::new(
            stations,
            self.net.calls().to_vec(),
            self.net.entry(),
        )?)
    }

    fn cost(&self, replicas: &[u32]) -> u64 {
        replicas
            .iter()
            .zip(&self.price)
            .map(|(&r, &p)| u64::from(r) * p)
            .sum()
    }

    /// The DES verdict on `replicas`, after the analytic model's prune.
    fn check(&mut self, replicas: &[u32]) -> Result<Verdict, SimError> {
        if let Some(v) = self.checked.get(replicas) {
            return Ok(*v);
        }
        let net = self.with(replicas)?;
        let traffic = Traffic::rps(self.cfg.rps);
        let analytic = analyze(&net, &traffic);
        let overloaded = analytic
            .stations
            .iter()
            .any(|s| s.load > self.cfg.target_load);
        let slow_on_average = analytic
            .mean_latency_ms
            .is_none_or(|m| m > self.cfg.sla_p99_ms);
        let verdict = if overloaded || slow_on_average {
            Verdict {
                ok: false,
                p99_upper_ms: None,
            }
        } else {
            self.des_runs += 1;
            let report = run(&net, &self.run_config())?;
            let upper = report
                .latency_ms
                .as_ref()
                .map(|l| l.p99.mean + l.p99.ci95_half_width.unwrap_or(0.0));
            let mut ok = !report.unstable && upper.is_some_and(|u| u <= self.cfg.sla_p99_ms);
            if ok && self.cfg.zone_loss {
                self.des_runs += 1;
                ok = zone_loss_meets_sla(
                    &net,
                    self.cfg.rps,
                    self.cfg.sla_p99_ms,
                    &AtomicBool::new(false),
                )?;
            }
            Verdict {
                ok,
                p99_upper_ms: upper.filter(|_| !report.unstable),
            }
        };
        self.checked.insert(replicas.to_vec(), verdict);
        Ok(verdict)
    }

    fn run_config(&self) -> RunConfig {
        RunConfig::new(Traffic::rps(self.cfg.rps))
            .with_requests(self.cfg.requests)
            .with_replications(self.cfg.replications)
            .with_seed(self.cfg.seed)
            .with_sla_p99_ms(self.cfg.sla_p99_ms)
    }

    /// Each station's fewest replicas: its load at the target, from the
    /// analytic model (load falls as 1 / replicas).
    fn load_floor(&self) -> Result<Vec<u32>, RightSizeError> {
        let analytic = analyze(self.net, &Traffic::rps(self.cfg.rps));
        let mut floor = Vec::with_capacity(analytic.stations.len());
        for (st, a) in self.net.stations().iter().zip(&analytic.stations) {
            let per_replica = a.load * f64::from(st.replicas);
            let need = (per_replica / self.cfg.target_load).ceil().max(1.0);
            if !need.is_finite() || need > f64::from(self.cfg.max_replicas) {
                return Err(RightSizeError::Impossible {
                    node: st.name.clone(),
                    why: format!(
                        "would need more than {} replicas to stay below load {}",
                        self.cfg.max_replicas, self.cfg.target_load
                    ),
                });
            }
            floor.push(need as u32);
        }
        Ok(floor)
    }

    /// The station whose own time keeps the design slowest, by the
    /// analytic model with `replicas`.
    fn slowest(&self, replicas: &[u32]) -> String {
        let Ok(net) = self.with(replicas) else {
            return String::new();
        };
        let analytic = analyze(&net, &Traffic::rps(self.cfg.rps));
        analytic
            .stations
            .iter()
            .max_by(|a, b| {
                let time = |s: &super::AnalyticStation| {
                    s.visits_per_request * s.mean_response_ms.unwrap_or(f64::INFINITY)
                };
                time(a).total_cmp(&time(b))
            })
            .map(|s| s.name.clone())
            .unwrap_or_default()
    }

    /// The stations where one more replica can still shorten a queue,
    /// most helpful first: queueing that adds at least 0.1% of the SLA per
    /// request (with zone loss, also counting the design with a zone gone).
    /// A station below that has nothing left for a replica to take away.
    fn helpful(&self, replicas: &[u32]) -> Result<Vec<usize>, SimError> {
        let net = self.with(replicas)?;
        let traffic = Traffic::rps(self.cfg.rps);
        let normal = analyze(&net, &traffic);
        let lost = if self.cfg.zone_loss {
            zone_loss_network(&net)
                .transpose()?
                .map(|n| analyze(&n, &traffic))
        } else {
            None
        };
        let score = |i: usize| {
            let wait = |s: &super::AnalyticStation| {
                s.visits_per_request * s.mean_queue_wait_ms.unwrap_or(f64::INFINITY)
            };
            let zone = lost.as_ref().map_or(0.0, |l| wait(&l.stations[i]));
            wait(&normal.stations[i]).max(zone)
        };
        let negligible = self.cfg.sla_p99_ms * 1e-3;
        let mut found: Vec<(usize, f64)> = (0..replicas.len())
            .filter(|&i| replicas[i] < self.cfg.max_replicas)
            .map(|i| (i, score(i)))
            .filter(|&(_, s)| s > negligible)
            .collect();
        found.sort_by(|a, b| b.1.total_cmp(&a.1));
        Ok(found.into_iter().map(|(i, _)| i).collect())
    }

    fn out_of_time(&self, started: Instant) -> bool {
        started.elapsed() >= self.cfg.time_budget
    }

    /// Adds replicas where they help most until the design passes, then
    /// takes away every replica it can do without.
    fn greedy(&mut self, floor: &[u32], started: Instant) -> Result<Vec<u32>, RightSizeError> {
        let mut r = floor.to_vec();
        loop {
            if self.check(&r)?.ok {
                break;
            }
            if self.out_of_time(started) {
                return Err(RightSizeError::OutOfTime {
                    budget_s: self.cfg.time_budget.as_secs_f64(),
                    node: self.slowest(&r),
                });
            }
            match self.helpful(&r)?.first() {
                Some(&i) => r[i] += 1,
                None => {
                    return Err(RightSizeError::CannotHelp {
                        node: self.slowest(&r),
                    });
                }
            }
        }
        // Dearest stations first: their replicas save the most.
        let mut order: Vec<usize> = (0..r.len()).collect();
        order.sort_by_key(|&i| Reverse(self.price[i]));
        let mut changed = true;
        while changed && !self.out_of_time(started) {
            changed = false;
            for &i in &order {
                while r[i] > floor[i] {
                    r[i] -= 1;
                    if self.check(&r)?.ok {
                        changed = true;
                    } else {
                        r[i] += 1;
                        break;
                    }
                }
            }
        }
        Ok(r)
    }

    /// Every design cheaper than `best`, cheapest first (then fewest
    /// replicas), grown from the load floor one helpful replica at a time:
    /// the first that passes is the cheapest. Returns it and whether the
    /// search finished.
    fn cheapest_below(
        &mut self,
        floor: &[u32],
        mut best: Vec<u32>,
        started: Instant,
    ) -> Result<(Vec<u32>, bool), RightSizeError> {
        let key = |s: &Search, r: &[u32]| (s.cost(r), r.iter().map(|&x| u64::from(x)).sum::<u64>());
        let best_key = key(self, &best);
        let mut queue = BinaryHeap::new();
        let mut seen = HashSet::new();
        queue.push(Reverse((key(self, floor), floor.to_vec())));
        while let Some(Reverse((k, r))) = queue.pop() {
            if k >= best_key {
                return Ok((best, true));
            }
            if !seen.insert(r.clone()) {
                continue;
            }
            if self.out_of_time(started) {
                return Ok((best, false));
            }
            if self.check(&r)?.ok {
                best = r;
                return Ok((best, true));
            }
            for i in self.helpful(&r)? {
                let mut next = r.clone();
                next[i] += 1;
                if !seen.contains(&next) {
                    queue.push(Reverse((key(self, &next), next)));
                }
            }
        }
        Ok((best, true))
    }
}

/// The diagram edits that give each station's node its right-sized
/// replica count and hardware (`nodes[i]` is station `i`'s node);
/// unchanged nodes get none.
pub fn right_size_edits(
    diagram: &crate::diagram::Diagram,
    nodes: &[crate::diagram::NodeId],
    result: &RightSizeResult,
) -> Vec<crate::diagram::DiagramEdit> {
    nodes
        .iter()
        .zip(&result.stations)
        .filter_map(|(&id, change)| {
            let mut sim = diagram.node(id)?.sim.clone()?;
            let new_hardware = change
                .hardware_after
                .as_ref()
                .filter(|_| change.hardware_after != change.hardware_before);
            (sim.replicas != change.replicas_after || new_hardware.is_some()).then(|| {
                sim.replicas = change.replicas_after;
                if let Some(id) = new_hardware {
                    sim.hardware_id.clone_from(id);
                }
                crate::diagram::DiagramEdit::SetNodeSim { id, sim: Some(sim) }
            })
        })
        .collect()
}

/// The cheapest replica counts (and, when allowed, hardware) for `net`
/// under `cfg`; see the module docs.
pub fn right_size(net: &Network, cfg: &RightSizeConfig) -> Result<RightSizeResult, RightSizeError> {
    let started = Instant::now();
    let (after, sized) = if cfg.choose_hardware {
        hardware::cheapest(net, cfg, started)?
    } else {
        (net.clone(), size_replicas(net, cfg, started)?)
    };
    let before: Vec<u32> = net.stations().iter().map(|s| s.replicas).collect();
    let mut search = Search::new(net, cfg);
    let p99_before_ms = search.check_report_p99(&before)?;
    let month = |s: &super::network::Station, replicas: u32| {
        f64::from(replicas) * s.cost_usd_per_replica_hour * HOURS_PER_MONTH
    };
    let stations: Vec<StationChange> = net
        .stations()
        .iter()
        .zip(after.stations())
        .enumerate()
        .map(|(i, (was, now))| StationChange {
            station: i,
            name: was.name.clone(),
            replicas_before: before[i],
            replicas_after: sized.replicas[i],
            hardware_before: hardware::id_of(was),
            hardware_after: hardware::id_of(now),
            cost_before_usd_per_month: month(was, before[i]),
            cost_after_usd_per_month: month(now, sized.replicas[i]),
        })
        .collect();
    Ok(RightSizeResult {
        cost_before_usd_per_month: stations.iter().map(|s| s.cost_before_usd_per_month).sum(),
        cost_after_usd_per_month: stations.iter().map(|s| s.cost_after_usd_per_month).sum(),
        replicas: sized.replicas,
        stations,
        p99_before_ms,
        p99_after_ms: sized.p99_upper_ms,
        proven_optimal: sized.proven_optimal,
        des_runs: sized.des_runs + search.des_runs,
    })
}

/// The cheapest replica counts of one network, as its hardware stands.
struct Sized {
    replicas: Vec<u32>,
    proven_optimal: bool,
    p99_upper_ms: Option<f64>,
    des_runs: u32,
}

fn size_replicas(
    net: &Network,
    cfg: &RightSizeConfig,
    started: Instant,
) -> Result<Sized, RightSizeError> {
    let mut search = Search::new(net, cfg);
    // A station whose own service takes longer than the SLA rules out
    // every design, however many replicas it gets.
    let analytic = analyze(net, &Traffic::rps(cfg.rps));
    for (i, (st, a)) in net.stations().iter().zip(&analytic.stations).enumerate() {
        if a.visits_per_request > 0.0 && a.visits_per_request * a.mean_service_ms > cfg.sla_p99_ms {
            return Err(RightSizeError::Impossible {
                node: st.name.clone(),
                why: format!(
                    "takes {:.1} ms per request on its own, more than the p99 SLA of {} ms",
                    a.visits_per_request * a.mean_service_ms,
                    cfg.sla_p99_ms
                ),
            });
        }
        if cfg.zone_loss && st.zones <= 1 && net.service_models()[i].hit_ratio <= 0.0 {
            return Err(RightSizeError::Impossible {
                node: st.name.clone(),
                why: "has all its replicas in one zone, so losing that zone loses the path; spread it over two or more zones".to_owned(),
            });
        }
    }
    let floor = search.load_floor()?;
    let greedy = search.greedy(&floor, started)?;
    let (best, proven_optimal) = search.cheapest_below(&floor, greedy, started)?;
    let p99_upper_ms = search.check(&best)?.p99_upper_ms;
    Ok(Sized {
        replicas: best,
        proven_optimal,
        p99_upper_ms,
        des_runs: search.des_runs,
    })
}

impl Search<'_> {
    /// The p99 upper bound of the design as given, from one run whatever
    /// its load (the "before" column).
    fn check_report_p99(&mut self, replicas: &[u32]) -> Result<Option<f64>, SimError> {
        let net = self.with(replicas)?;
        self.des_runs += 1;
        let report = run(&net, &self.run_config())?;
        Ok(report
            .latency_ms
            .as_ref()
            .filter(|_| !report.unstable)
            .map(|l| l.p99.mean + l.p99.ci95_half_width.unwrap_or(0.0)))
    }
}

#[cfg(test)]
#[path = "right_size_tests.rs"]
mod tests;
