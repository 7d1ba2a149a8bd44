//! Choosing each model node's hardware while right-sizing. Only model
//! (inference) stations choose: their speed follows from the machine's
//! throughput, while the other kinds state their service time, so another
//! machine would change their price and nothing else.
//!
//! Every assignment of catalog rows to the model stations is a network of
//! its own, right-sized for replicas. Up to `EXHAUSTIVE_LIMIT` assignments
//! are all tried, so the cheapest is proven when each replica search is;
//! beyond that, one station's hardware changes at a time while that lowers
//! the cost, which finds a good design but proves nothing. An assignment
//! whose load floor alone costs as much as the best found is skipped.

use std::time::Instant;

use super::{HOURS_PER_MONTH, RightSizeConfig, RightSizeError, Search, Sized, size_replicas};
use crate::sim::hardware::{HardwareSpec, catalog};
use crate::sim::network::{Network, Station, StationKind};

/// Most hardware assignments searched one by one.
const EXHAUSTIVE_LIMIT: usize = 256;

/// The hardware id of a model station; None for the other kinds.
pub(super) fn id_of(station: &Station) -> Option<String> {
    match &station.kind {
        StationKind::Inference(model) => Some(model.hardware.id.clone()),
        _ => None,
    }
}

/// What the search may change: each model station and the rows it may
/// take, its own first.
struct Choices {
    stations: Vec<usize>,
    options: Vec<Vec<HardwareSpec>>,
}

impl Choices {
    fn of(net: &Network) -> Choices {
        let rows = catalog();
        let mut stations = Vec::new();
        let mut options = Vec::new();
        for (i, st) in net.stations().iter().enumerate() {
            if let StationKind::Inference(model) = &st.kind {
                let mut own = vec![model.hardware.clone()];
                own.extend(rows.iter().filter(|h| h.id != model.hardware.id).cloned());
                stations.push(i);
                options.push(own);
            }
        }
        Choices { stations, options }
    }

    /// How many assignments there are (saturating).
    fn count(&self) -> usize {
        self.options
            .iter()
            .fold(1usize, |n, o| n.saturating_mul(o.len()))
    }

    /// `net` with station `stations[k]` on `options[k][pick[k]]`.
    fn apply(&self, net: &Network, pick: &[usize]) -> Result<Network, RightSizeError> {
        let mut stations = net.stations().to_vec();
        for ((&s, rows), &p) in self.stations.iter().zip(&self.options).zip(pick) {
            let st = &mut stations[s];
            if let StationKind::Inference(model) = &mut st.kind {
                model.hardware = rows[p].clone();
                st.cost_usd_per_replica_hour = rows[p].cost_usd_per_hour;
            }
        }
        Network::new(stations, net.calls().to_vec(), net.entry())
            .map_err(|e| RightSizeError::Sim(e.into()))
    }
}

/// The best design found so far, with its monthly cost.
struct Best {
    net: Network,
    sized: Sized,
    cost: f64,
}

struct HardwareSearch<'a> {
    net: &'a Network,
    cfg: &'a RightSizeConfig,
    choices: Choices,
    started: Instant,
    best: Option<Best>,
    /// Why the design as given failed, reported when nothing passes.
    first_error: Option<RightSizeError>,
    complete: bool,
    des_runs: u32,
}

impl HardwareSearch<'_> {
    fn out_of_time(&self) -> bool {
        self.started.elapsed() >= self.cfg.time_budget
    }

    /// Right-sizes one assignment; true when it became the best.
    fn try_pick(&mut self, pick: &[usize]) -> Result<bool, RightSizeError> {
        let candidate = self.choices.apply(self.net, pick)?;
        if let Some(best) = &self.best {
            let search = Search::new(&candidate, self.cfg);
            // Its fewest replicas already cost as much: it cannot win.
            if let Ok(floor) = search.load_floor()
                && monthly(&candidate, &floor) >= best.cost
            {
                return Ok(false);
            }
        }
        match size_replicas(&candidate, self.cfg, self.started) {
            Ok(sized) => {
                self.des_runs += sized.des_runs;
                self.complete &= sized.proven_optimal;
                let cost = monthly(&candidate, &sized.replicas);
                if self.best.as_ref().is_none_or(|b| cost < b.cost) {
                    self.best = Some(Best {
                        net: candidate,
                        sized,
                        cost,
                    });
                    return Ok(true);
                }
                Ok(false)
            }
            Err(RightSizeError::Sim(e)) => Err(e.into()),
            Err(e) => {
                if matches!(e, RightSizeError::OutOfTime { .. }) {
                    self.complete = false;
                }
                self.first_error.get_or_insert(e);
                Ok(false)
            }
        }
    }

    /// Every assignment in turn, the design's own first.
    fn exhaustive(&mut self) -> Result<(), RightSizeError> {
        let mut pick = vec![0; self.choices.stations.len()];
        loop {
            if self.out_of_time() {
                self.complete = false;
                return Ok(());
            }
            self.try_pick(&pick)?;
            // The next assignment, counting in mixed radix.
            let mut k = 0;
            loop {
                let Some(digit) = pick.get_mut(k) else {
                    return Ok(());
                };
                *digit += 1;
                if *digit < self.choices.options[k].len() {
                    break;
                }
                *digit = 0;
                k += 1;
            }
        }
    }

    /// One station's hardware at a time, kept when it lowers the cost,
    /// until no single change does.
    fn descent(&mut self) -> Result<(), RightSizeError> {
        self.complete = false;
        let mut pick = vec![0; self.choices.stations.len()];
        self.try_pick(&pick)?;
        let mut improved = true;
        while improved {
            improved = false;
            for k in 0..pick.len() {
                for option in 0..self.choices.options[k].len() {
                    if self.out_of_time() {
                        return Ok(());
                    }
                    if option == pick[k] {
                        continue;
                    }
                    let mut next = pick.clone();
                    next[k] = option;
                    if self.try_pick(&next)? {
                        pick = next;
                        improved = true;
                    }
                }
            }
        }
        Ok(())
    }
}

fn monthly(net: &Network, replicas: &[u32]) -> f64 {
    net.stations()
        .iter()
        .zip(replicas)
        .map(|(s, &r)| f64::from(r) * s.cost_usd_per_replica_hour * HOURS_PER_MONTH)
        .sum()
}

/// The cheapest design over hardware and replicas: the network on its
/// chosen hardware and its replica counts.
pub(super) fn cheapest(
    net: &Network,
    cfg: &RightSizeConfig,
    started: Instant,
) -> Result<(Network, Sized), RightSizeError> {
    let choices = Choices::of(net);
    let exhaustive = choices.count() <= EXHAUSTIVE_LIMIT;
    let mut search = HardwareSearch {
        net,
        cfg,
        choices,
        started,
        best: None,
        first_error: None,
        complete: true,
        des_runs: 0,
    };
    if exhaustive {
        search.exhaustive()?;
    } else {
        search.descent()?;
    }
    match search.best {
        Some(Best { net, mut sized, .. }) => {
            sized.proven_optimal = search.complete;
            sized.des_runs = search.des_runs;
            Ok((net, sized))
        }
        None => Err(search.first_error.unwrap_or(RightSizeError::OutOfTime {
            budget_s: cfg.time_budget.as_secs_f64(),
            node: String::new(),
        })),
    }
}
