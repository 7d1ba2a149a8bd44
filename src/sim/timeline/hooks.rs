//! What a run over time does while the engine runs: closes the reporting
//! windows, applies the scenario's node events, runs each node's autoscaler
//! and warms cold caches.

use crate::diagram::{Autoscale, EventKind};
use crate::sim::des::{Hooks, StationTotals, Target};
use crate::sim::distributions::Sampler;
use crate::sim::engine::Outcome;

use super::report::{Window, WindowStation};

/// Visits after which a cold cache has made up 1 − 1/e (63%) of its way to
/// the target hit ratio: h(n) = target × (1 − e^(−n / this)).
pub const COLD_CACHE_WARM_VISITS: f64 = 20_000.0;
/// How often a warming cache's hit ratio is brought up to date, ms.
const CACHE_TICK_MS: f64 = 100.0;

/// A node event, resolved to its station.
#[derive(Debug, Clone)]
pub struct NodeChange {
    pub at_ms: f64,
    pub station: usize,
    pub kind: EventKind,
}

/// One station's state over the run.
#[derive(Debug, Clone)]
pub struct StationState {
    pub name: String,
    pub servers_per_replica: u32,
    /// Replicas the station runs (before failures): the configured number,
    /// then whatever the autoscaler decides.
    pub replicas: u32,
    /// Replicas lost to a failure and not yet recovered.
    pub lost: u32,
    /// Replicas started by the autoscaler that are still booting: (ready at
    /// ms, how many).
    pub booting: Vec<(f64, u32)>,
    pub autoscale: Option<Autoscale>,
    pub cost_usd_per_replica_hour: f64,
    pub base_sampler: Sampler,
    pub target_hit_ratio: f64,
    /// A cold cache: the station's arrivals when it went cold.
    pub warming_since: Option<u64>,
    next_scale_ms: f64,
    at_last_scale: StationTotals,
    at_window_start: StationTotals,
}

impl StationState {
    pub fn new(
        name: String,
        servers_per_replica: u32,
        replicas: u32,
        autoscale: Option<Autoscale>,
        cost_usd_per_replica_hour: f64,
        base_sampler: Sampler,
        target_hit_ratio: f64,
    ) -> StationState {
        let zero = StationTotals {
            busy_area: 0.0,
            queue_area: 0.0,
            servers: servers_per_replica.saturating_mul(replicas),
            arrivals: 0,
        };
        StationState {
            name,
            servers_per_replica,
            replicas,
            lost: 0,
            booting: Vec::new(),
            next_scale_ms: autoscale.map_or(f64::INFINITY, |a| a.interval_s * 1000.0),
            autoscale,
            cost_usd_per_replica_hour,
            base_sampler,
            target_hit_ratio,
            warming_since: None,
            at_last_scale: zero,
            at_window_start: zero,
        }
    }

    /// Replicas serving now.
    pub fn serving(&self) -> u32 {
        self.replicas.saturating_sub(self.lost)
    }

    /// Replicas paid for now: serving ones and booting ones.
    fn billed(&self) -> u32 {
        self.serving() + self.booting.iter().map(|(_, n)| n).sum::<u32>()
    }

    fn servers(&self) -> u32 {
        self.serving().saturating_mul(self.servers_per_replica)
    }
}

/// The hooks of one run over time.
#[derive(Debug, Clone)]
pub struct TimelineHooks {
    pub stations: Vec<StationState>,
    pub changes: Vec<NodeChange>,
    next_change: usize,
    window_ms: f64,
    end_ms: f64,
    window_start_ms: f64,
    pub windows: Vec<Window>,
    arrivals: u64,
    latencies: Vec<f64>,
    served: u64,
    drops: u64,
    timeouts: u64,
    cost_usd: f64,
    next_cache_tick_ms: f64,
    /// Requests reported before their window opened (the sweep engine
    /// reports a round's requests together): (end, latency, outcome).
    early: Vec<(f64, f64, Outcome)>,
}

impl TimelineHooks {
    pub fn new(
        stations: Vec<StationState>,
        mut changes: Vec<NodeChange>,
        window_ms: f64,
        end_ms: f64,
    ) -> TimelineHooks {
        changes.sort_by(|a, b| a.at_ms.total_cmp(&b.at_ms));
        TimelineHooks {
            stations,
            changes,
            next_change: 0,
            window_ms,
            end_ms,
            window_start_ms: 0.0,
            windows: Vec::new(),
            arrivals: 0,
            latencies: Vec::new(),
            served: 0,
            drops: 0,
            timeouts: 0,
            cost_usd: 0.0,
            next_cache_tick_ms: f64::INFINITY,
            early: Vec::new(),
        }
    }

    /// Whether a node scales itself, which a run whose traffic starts
    /// late would decide differently before its traffic starts.
    pub fn autoscales(&self) -> bool {
        self.stations.iter().any(|st| st.autoscale.is_some())
    }

    /// The cost so far, USD.
    pub fn cost_usd(&self) -> f64 {
        self.cost_usd
    }

    /// Appends this state, as it bears on the windows still to come, to
    /// `print` (see `OverTime::fingerprint`). Totals that only ever enter
    /// as differences (busy and queue areas) are left out; the requests
    /// already finished after now are in, in an order of their own.
    pub fn fingerprint<T: Target>(&self, engine: &mut T, print: &mut Vec<u64>) {
        print.extend([
            self.next_change as u64,
            self.next_cache_tick_ms.to_bits(),
            self.window_start_ms.to_bits(),
        ]);
        for (s, st) in self.stations.iter().enumerate() {
            print.extend([
                u64::from(st.replicas),
                u64::from(st.lost),
                st.booting.len() as u64,
            ]);
            print.extend(
                st.booting
                    .iter()
                    .flat_map(|&(at, n)| [at.to_bits(), u64::from(n)]),
            );
            print.push(st.next_scale_ms.to_bits());
            let seen = st.warming_since.map_or(u64::MAX, |since| {
                engine.station_totals(s).arrivals.saturating_sub(since)
            });
            print.push(seen);
        }
        print.extend([self.arrivals, self.served, self.drops, self.timeouts]);
        let mut latencies: Vec<u64> = self.latencies.iter().map(|l| l.to_bits()).collect();
        latencies.sort_unstable();
        print.push(latencies.len() as u64);
        print.extend(latencies);
        let mut early: Vec<[u64; 3]> = self
            .early
            .iter()
            .map(|&(end, latency, outcome)| [end.to_bits(), latency.to_bits(), outcome as u64])
            .collect();
        early.sort_unstable();
        print.push(early.len() as u64);
        print.extend(early.into_iter().flatten());
    }

    fn next_window_edge_ms(&self) -> f64 {
        (self.window_start_ms + self.window_ms).min(self.end_ms)
    }

    fn close_window<T: Target>(&mut self, engine: &mut T) {
        let now = engine.now_ms();
        let len_ms = now - self.window_start_ms;
        if len_ms <= 0.0 {
            return;
        }
        let per_s = 1000.0 / len_ms;
        let mut stations = Vec::with_capacity(self.stations.len());
        for (s, st) in self.stations.iter_mut().enumerate() {
            let totals = engine.station_totals(s);
            let busy = totals.busy_area - st.at_window_start.busy_area;
            let queue = totals.queue_area - st.at_window_start.queue_area;
            let servers = f64::from(totals.servers.max(1));
            stations.push(WindowStation {
                name: st.name.clone(),
                queue_len: queue / len_ms,
                replicas: st.serving(),
                utilisation: (busy / (servers * len_ms)).min(1.0),
            });
            self.cost_usd +=
                f64::from(st.billed()) * st.cost_usd_per_replica_hour * len_ms / 3_600_000.0;
            st.at_window_start = totals;
        }
        let mean_ms = (!self.latencies.is_empty())
            .then(|| self.latencies.iter().sum::<f64>() / self.latencies.len() as f64);
        let quantiles = quantiles(&mut self.latencies);
        self.windows.push(Window {
            t_s: self.window_start_ms / 1000.0,
            len_s: len_ms / 1000.0,
            offered_rps: self.arrivals as f64 * per_s,
            throughput_rps: self.served as f64 * per_s,
            p50_ms: quantiles.map(|q| q[0]),
            p95_ms: quantiles.map(|q| q[1]),
            p99_ms: quantiles.map(|q| q[2]),
            mean_ms,
            drops: self.drops,
            timeouts: self.timeouts,
            stations,
            cost_usd: self.cost_usd,
        });
        self.window_start_ms = now;
        self.arrivals = 0;
        self.served = 0;
        self.drops = 0;
        self.timeouts = 0;
        self.latencies.clear();
        let edge = self.next_window_edge_ms();
        let mut i = 0;
        while i < self.early.len() {
            if self.early[i].0 < edge {
                let (_, latency, outcome) = self.early.swap_remove(i);
                self.count(latency, outcome);
            } else {
                i += 1;
            }
        }
    }

    /// A finished request in the open window.
    fn count(&mut self, latency_ms: f64, outcome: Outcome) {
        match outcome {
            Outcome::Served => {
                self.served += 1;
                self.latencies.push(latency_ms);
            }
            Outcome::Dropped => self.drops += 1,
            Outcome::TimedOut => self.timeouts += 1,
        }
    }

    fn apply_change<T: Target>(&mut self, engine: &mut T, change: &NodeChange) {
        let s = change.station;
        let st = &mut self.stations[s];
        match change.kind {
            EventKind::Fail { fraction, .. } => {
                let lose = (f64::from(st.replicas) * fraction).round() as u32;
                st.lost = st.lost.max(lose.min(st.replicas));
            }
            EventKind::Recover { .. } => st.lost = 0,
            EventKind::ColdCache { .. } => {
                st.warming_since = Some(engine.station_totals(s).arrivals);
                engine.set_hit_ratio(s, 0.0);
                self.next_cache_tick_ms = engine.now_ms() + CACHE_TICK_MS;
            }
            EventKind::Rollout { service_factor, .. } => {
                let sampler = st.base_sampler.scaled(service_factor);
                engine.set_sampler(s, sampler);
                return;
            }
            _ => return,
        }
        let servers = self.stations[s].servers();
        engine.set_servers(s, servers);
    }

    /// Brings warming caches' hit ratios up to date; true while one warms.
    fn warm_caches<T: Target>(&mut self, engine: &mut T) -> bool {
        let mut warming = false;
        for (s, st) in self.stations.iter_mut().enumerate() {
            let Some(since) = st.warming_since else {
                continue;
            };
            let seen = engine.station_totals(s).arrivals.saturating_sub(since) as f64;
            let share = 1.0 - (-seen / COLD_CACHE_WARM_VISITS).exp();
            if share > 0.999 {
                st.warming_since = None;
                engine.set_hit_ratio(s, st.target_hit_ratio);
            } else {
                engine.set_hit_ratio(s, st.target_hit_ratio * share);
                warming = true;
            }
        }
        warming
    }

    /// One autoscaler decision for station `s`: the replicas that would
    /// bring the last interval's utilisation to the target (as Kubernetes'
    /// horizontal autoscaler computes it), within the policy's bounds.
    fn autoscale<T: Target>(&mut self, engine: &mut T, s: usize) {
        let now = engine.now_ms();
        let totals = engine.station_totals(s);
        let st = &mut self.stations[s];
        let Some(policy) = st.autoscale else { return };
        st.next_scale_ms = now + policy.interval_s * 1000.0;
        let span_ms = policy.interval_s * 1000.0;
        let busy = totals.busy_area - st.at_last_scale.busy_area;
        st.at_last_scale = totals;
        let capacity = f64::from(totals.servers) * span_ms;
        // No server at all (every replica lost): saturated.
        let utilisation = if capacity > 0.0 { busy / capacity } else { 1.0 };
        let serving = f64::from(st.serving().max(1));
        let wanted = (serving * utilisation / policy.target_utilisation).ceil() as u32;
        let booting: u32 = st.booting.iter().map(|(_, n)| n).sum();
        let wanted_total = (wanted + st.lost).clamp(policy.min_replicas, policy.max_replicas);
        if wanted_total > st.replicas + booting {
            let more = wanted_total - st.replicas - booting;
            st.booting.push((now + policy.cold_start_s * 1000.0, more));
        } else if wanted_total < st.replicas && booting == 0 {
            st.replicas = wanted_total;
            let servers = st.servers();
            engine.set_servers(s, servers);
        }
    }

    /// Replicas whose boot is over start serving.
    fn finish_boots<T: Target>(&mut self, engine: &mut T) {
        let now = engine.now_ms();
        for s in 0..self.stations.len() {
            let st = &mut self.stations[s];
            let ready: u32 = st
                .booting
                .iter()
                .filter(|(at, _)| *at <= now)
                .map(|(_, n)| n)
                .sum();
            if ready > 0 {
                st.booting.retain(|(at, _)| *at > now);
                st.replicas += ready;
                let servers = st.servers();
                engine.set_servers(s, servers);
            }
        }
    }
}

impl Hooks for TimelineHooks {
    const TRACES: bool = true;

    fn next_change_ms(&self) -> f64 {
        if self.window_start_ms >= self.end_ms {
            return f64::INFINITY;
        }
        let mut next = self.next_window_edge_ms().min(self.next_cache_tick_ms);
        if let Some(c) = self.changes.get(self.next_change) {
            next = next.min(c.at_ms);
        }
        for st in &self.stations {
            next = next.min(st.next_scale_ms);
            for (at, _) in &st.booting {
                next = next.min(*at);
            }
        }
        next
    }

    fn change<T: Target>(&mut self, engine: &mut T) {
        let now = engine.now_ms();
        while let Some(c) = self.changes.get(self.next_change).cloned() {
            if c.at_ms > now {
                break;
            }
            self.next_change += 1;
            self.apply_change(engine, &c);
        }
        self.finish_boots(engine);
        for s in 0..self.stations.len() {
            if self.stations[s].next_scale_ms <= now {
                self.autoscale(engine, s);
            }
        }
        if self.next_cache_tick_ms <= now {
            self.next_cache_tick_ms = if self.warm_caches(engine) {
                now + CACHE_TICK_MS
            } else {
                f64::INFINITY
            };
        }
        if now >= self.next_window_edge_ms() {
            self.close_window(engine);
        }
    }

    fn arrived(&mut self, _now_ms: f64) {
        self.arrivals += 1;
    }

    fn finished(&mut self, start_ms: f64, end_ms: f64, outcome: Outcome) {
        if end_ms > self.end_ms {
            return;
        }
        if end_ms >= self.next_window_edge_ms() {
            self.early.push((end_ms, end_ms - start_ms, outcome));
            return;
        }
        self.count(end_ms - start_ms, outcome);
    }
}

/// The p50, p95 and p99 of `values` (reordered in place), by the nearest
/// rank; None when empty. Each rank is selected, not sorted for: a window
/// holds up to tens of thousands of latencies, and selection is linear.
fn quantiles(values: &mut [f64]) -> Option<[f64; 3]> {
    if values.is_empty() {
        return None;
    }
    let n = values.len();
    let index = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
    let mut pick = [0.0; 3];
    // Highest rank first: after a selection every value below its rank is
    // no greater, so the next rank is selected among those alone.
    let mut candidates = n;
    let mut last: Option<(usize, f64)> = None;
    for (slot, q) in [(2, 0.99), (1, 0.95), (0, 0.5)] {
        let k = index(q);
        pick[slot] = match last {
            Some((at, value)) if at == k => value,
            _ => {
                let (_, &mut value, _) =
                    values[..candidates].select_nth_unstable_by(k, f64::total_cmp);
                candidates = k;
                last = Some((k, value));
                value
            }
        };
    }
    Some(pick)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn selected_quantiles_are_the_sorted_ranks() {
        let mut rng = SmallRng::seed_from_u64(4);
        for n in [1usize, 2, 3, 19, 20, 21, 100, 1_001] {
            let mut values: Vec<f64> = (0..n)
                .map(|_| (rng.random::<f64>() * 8.0).floor())
                .collect();
            let mut sorted = values.clone();
            sorted.sort_by(f64::total_cmp);
            let rank = |q: f64| sorted[((q * n as f64).ceil() as usize).clamp(1, n) - 1];
            let want = [rank(0.5), rank(0.95), rank(0.99)];
            assert_eq!(quantiles(&mut values), Some(want), "{n} values");
        }
        assert_eq!(quantiles(&mut []), None);
    }
}
