//! The instant estimate: each station an M/M/c queue (Erlang C), the
//! end-to-end mean from Jackson-network visit ratios, and a documented
//! approximation for parallel fan-out and batching.

use serde::{Deserialize, Serialize};

use super::network::{BatchModel, FanOut, Network, ServiceModel};
use super::traffic::Traffic;

/// One station in the analytic estimate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticStation {
    /// The station's name.
    pub name: String,
    /// Mean visits per end-to-end request.
    pub visits_per_request: f64,
    /// Arrival rate at the station, per second.
    pub arrival_rps: f64,
    /// Pooled servers (servers per replica × replicas).
    pub servers: u64,
    /// Mean time of one unbatched service, in ms.
    pub mean_service_ms: f64,
    /// Most requests per second it can serve; None when service takes no time.
    pub capacity_rps: Option<f64>,
    /// Arrival rate ÷ capacity; 1 or more means the queue grows without bound.
    pub load: f64,
    /// Expected fraction of time its servers are busy (equals `load` unless
    /// it batches: a batching GPU stays busy while batches adapt).
    pub utilisation: f64,
    /// Expected requests per batch, for batching stations.
    pub mean_batch_size: Option<f64>,
    /// Erlang C probability that an arrival waits; None when unstable.
    pub wait_probability: Option<f64>,
    /// Mean wait before service (batch formation included), in ms.
    pub mean_queue_wait_ms: Option<f64>,
    /// Mean wait plus service at this station, in ms (children excluded).
    pub mean_response_ms: Option<f64>,
    /// What its replicas cost, USD per hour.
    pub cost_usd_per_hour: f64,
    /// Memory one replica needs, where known, in GB.
    pub memory_gb_per_replica: Option<f64>,
}

/// The analytic estimate for a network under some traffic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AnalyticReport {
    /// Offered load, requests per second.
    pub offered_rps: f64,
    /// Expected end-to-end latency in ms; None when unstable.
    pub mean_latency_ms: Option<f64>,
    /// Per station, in network order.
    pub stations: Vec<AnalyticStation>,
    /// The station with the highest load.
    pub bottleneck: Option<String>,
    /// Offered load at which the bottleneck reaches load 1, requests per
    /// second; None when no station takes time.
    pub saturation_rps: Option<f64>,
    /// Some station has load ≥ 1.
    pub unstable: bool,
    /// All replicas of all stations, USD per hour.
    pub cost_usd_per_hour: f64,
    /// Cost per million served requests at min(offered, saturation) load.
    pub cost_usd_per_million_requests: Option<f64>,
}

/// Erlang C: the probability an arrival waits in an M/M/c queue with `c`
/// servers and offered load `a` = λ/μ Erlangs (requires a < c).
pub fn erlang_c(c: u64, a: f64) -> f64 {
    if a <= 0.0 {
        return 0.0;
    }
    if a >= c as f64 {
        return 1.0;
    }
    // Erlang B by its stable recursion, then C from B.
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (k as f64 + a * b);
    }
    let c = c as f64;
    c * b / (c - a * (1.0 - b))
}

/// Mean queueing delay of M/M/c in units of the mean service time:
/// C(c, a) / (c − a).
pub fn mmc_wait_in_service_times(c: u64, a: f64) -> f64 {
    if a <= 0.0 {
        0.0
    } else {
        erlang_c(c, a) / (c as f64 - a)
    }
}

struct StationEstimate {
    station: AnalyticStation,
    /// Mean response at the station, ms (infinite when unstable).
    response_ms: f64,
}

fn estimate_station(net: &Network, s: usize, rate_per_ms: f64) -> StationEstimate {
    let st = &net.stations()[s];
    let model = &net.service_models()[s];
    let visits = net.visits_per_request()[s];
    let lambda = rate_per_ms * visits;
    let c = st.total_servers();
    let mut out = AnalyticStation {
        name: st.name.clone(),
        visits_per_request: visits,
        arrival_rps: lambda * 1000.0,
        servers: c,
        mean_service_ms: model.mean_ms,
        capacity_rps: None,
        load: 0.0,
        utilisation: 0.0,
        mean_batch_size: None,
        wait_probability: None,
        mean_queue_wait_ms: None,
        mean_response_ms: None,
        cost_usd_per_hour: st.cost_usd_per_hour(),
        memory_gb_per_replica: model.memory_gb,
    };
    let response_ms = match &model.batch {
        Some(batch) => batching(&mut out, batch, lambda, c),
        None => plain(&mut out, model, lambda, c),
    };
    StationEstimate {
        station: out,
        response_ms,
    }
}

/// M/M/c with an Allen–Cunneen factor (1 + scv)/2 for non-exponential service.
fn plain(out: &mut AnalyticStation, model: &ServiceModel, lambda: f64, c: u64) -> f64 {
    let es = model.mean_ms;
    if es > 0.0 {
        out.capacity_rps = Some(c as f64 / es * 1000.0);
    }
    let a = lambda * es;
    out.load = a / c as f64;
    out.utilisation = out.load;
    if out.load >= 1.0 {
        return f64::INFINITY;
    }
    let pw = erlang_c(c, a);
    let wq = mmc_wait_in_service_times(c, a) * es * (1.0 + model.scv) / 2.0;
    out.wait_probability = Some(pw);
    out.mean_queue_wait_ms = Some(wq);
    out.mean_response_ms = Some(wq + es);
    wq + es
}

/// Batching: the batch size b solves b = λ/c × T(b) under load (each pass
/// collects what arrived during the previous one) and is 1 + λ × max_wait at
/// light load, capped at the maximum. Capacity is c × B / T(B).
fn batching(out: &mut AnalyticStation, m: &BatchModel, lambda: f64, c: u64) -> f64 {
    let cf = c as f64;
    let big_b = f64::from(m.max_batch);
    let t_full = m.mean_pass_ms(big_b);
    let capacity = if t_full > 0.0 {
        cf * big_b / t_full
    } else {
        f64::INFINITY
    };
    if capacity.is_finite() {
        out.capacity_rps = Some(capacity * 1000.0);
    }
    out.load = lambda / capacity;
    if out.load >= 1.0 {
        out.utilisation = 1.0;
        out.mean_batch_size = Some(big_b);
        return f64::INFINITY;
    }
    let per_server = lambda / cf;
    let jitter =
        m.mean_pass_ms(1.0) / (m.overhead_ms + m.work_ms_per_request).max(f64::MIN_POSITIVE);
    let (o, p) = (m.overhead_ms * jitter, m.work_ms_per_request * jitter);
    let heavy = if per_server * p < 1.0 {
        per_server * o / (1.0 - per_server * p)
    } else {
        big_b
    };
    let light = 1.0 + lambda * m.max_wait_ms;
    let b = heavy.max(light).clamp(1.0, big_b);
    let pass = m.mean_pass_ms(b);
    out.mean_batch_size = Some(b);
    out.utilisation = (per_server * pass / b).min(1.0);
    // Waiting to form a batch: the first request waits for the batch to fill
    // or the wait to expire, later ones less; under load, the current pass.
    let fill_ms = if heavy >= light {
        pass / 2.0
    } else {
        let fill_time = if lambda > 0.0 {
            m.max_wait_ms.min((big_b - 1.0) / lambda)
        } else {
            m.max_wait_ms
        };
        fill_time * (b + 1.0) / (2.0 * b)
    };
    // Queueing for a server, with requests served at the full-batch rate.
    let a = lambda * t_full / big_b;
    let wq = mmc_wait_in_service_times(c, a) * t_full / big_b;
    out.wait_probability = Some(erlang_c(c, a));
    out.mean_queue_wait_ms = Some(fill_ms + wq);
    out.mean_response_ms = Some(fill_ms + wq + pass);
    fill_ms + wq + pass
}

/// Analyses a network under some traffic. Instant: O(stations × servers).
pub fn analyze(net: &Network, traffic: &Traffic) -> AnalyticReport {
    let rate_per_ms = traffic.requests_per_second / 1000.0;
    let n = net.stations().len();
    let est: Vec<StationEstimate> = (0..n)
        .map(|s| estimate_station(net, s, rate_per_ms))
        .collect();
    let reachable = |s: usize| net.visits_per_request()[s] > 0.0;

    let mut bottleneck: Option<usize> = None;
    let mut saturation_rps: Option<f64> = None;
    for (s, e) in est.iter().enumerate().filter(|(s, _)| reachable(*s)) {
        if let Some(cap) = e.station.capacity_rps {
            let sat = cap / e.station.visits_per_request;
            if saturation_rps.is_none_or(|x| sat < x) {
                saturation_rps = Some(sat);
                bottleneck = Some(s);
            }
        }
    }
    let unstable = est.iter().any(|e| e.station.load >= 1.0);

    // Mean time below each station (its own response plus its children),
    // and the certain part of it, children before parents.
    let mut total = vec![0.0_f64; n];
    let mut certain = vec![0.0_f64; n];
    for &s in net.topological_order().iter().rev() {
        let model = &net.service_models()[s];
        let branches: Vec<Branch> = net
            .calls_from(s)
            .map(|c| Branch {
                probability: c.calls_per_request.min(1.0),
                reps: c.calls_per_request.max(1.0),
                certain_ms: c.network_latency_ms + certain[c.to.0],
                random_ms: (total[c.to.0] - certain[c.to.0]).max(0.0),
            })
            .collect();
        let (children, children_certain) = match net.stations()[s].fan_out {
            FanOut::Sequential => (
                net.calls_from(s)
                    .map(|c| c.calls_per_request * (c.network_latency_ms + total[c.to.0]))
                    .sum(),
                branches
                    .iter()
                    .filter(|b| b.probability >= 1.0)
                    .map(|b| b.reps * b.certain_ms)
                    .sum(),
            ),
            FanOut::Parallel => (
                expected_max(&branches),
                branches
                    .iter()
                    .filter(|b| b.probability >= 1.0)
                    .map(|b| b.reps * b.certain_ms)
                    .fold(0.0, f64::max),
            ),
        };
        total[s] = est[s].response_ms + (1.0 - model.hit_ratio) * children;
        // Queueing delay counts as the random part; a constant service is certain.
        certain[s] = model.deterministic_ms
            + if model.hit_ratio == 0.0 {
                children_certain
            } else {
                0.0
            };
        certain[s] = certain[s].min(total[s]);
    }
    let entry = net.entry().0;
    let mean_latency_ms = (!unstable && total[entry].is_finite()).then_some(total[entry]);

    let cost_usd_per_hour: f64 = net.stations().iter().map(|s| s.cost_usd_per_hour()).sum();
    let served_rps = saturation_rps.map_or(traffic.requests_per_second, |s| {
        s.min(traffic.requests_per_second)
    });
    let cost_usd_per_million_requests =
        (served_rps > 0.0).then(|| cost_usd_per_hour / (served_rps * 3600.0) * 1e6);
    AnalyticReport {
        offered_rps: traffic.requests_per_second,
        mean_latency_ms,
        bottleneck: bottleneck.map(|s| net.stations()[s].name.clone()),
        saturation_rps,
        unstable,
        cost_usd_per_hour,
        cost_usd_per_million_requests,
        stations: est.into_iter().map(|e| e.station).collect(),
    }
}

/// One parallel branch: present with `probability`, otherwise `reps`
/// sequential calls, each a certain part plus an exponential part.
#[derive(Debug, Clone, Copy)]
struct Branch {
    probability: f64,
    reps: f64,
    certain_ms: f64,
    random_ms: f64,
}

impl Branch {
    /// P(branch time ≤ t), the branch time approximated as a shifted
    /// exponential with the branch's certain part and mean.
    fn cdf(&self, t: f64) -> f64 {
        let d = self.reps * self.certain_ms;
        let e = self.reps * self.random_ms;
        let inside = if t < d {
            0.0
        } else if e <= 0.0 {
            1.0
        } else {
            1.0 - (-(t - d) / e).exp()
        };
        1.0 - self.probability + self.probability * inside
    }
}

/// E[max of the branches] = ∫ (1 − Π F_i(t)) dt, by Simpson's rule on each
/// piece between the branches' shifts, so constant branches come out exact.
fn expected_max(branches: &[Branch]) -> f64 {
    if branches.is_empty() {
        return 0.0;
    }
    if branches
        .iter()
        .any(|b| !(b.certain_ms + b.random_ms).is_finite())
    {
        return f64::INFINITY;
    }
    let mut points: Vec<f64> = vec![0.0];
    points.extend(branches.iter().map(|b| b.reps * b.certain_ms));
    points.sort_by(f64::total_cmp);
    let longest_random = branches
        .iter()
        .map(|b| b.reps * b.random_ms)
        .fold(0.0, f64::max);
    let last = *points.last().expect("points holds at least the zero");
    // Past 40 mean lengths the tail holds less than e^-40 of the mass.
    points.push(last + 40.0 * longest_random);
    points.dedup();
    let f = |t: f64| 1.0 - branches.iter().map(|b| b.cdf(t)).product::<f64>();
    let mut sum = 0.0;
    for w in points.windows(2) {
        // Nudge inside the piece so a step at either end is not sampled.
        let (a, b) = (w[0], w[1]);
        let steps = 512;
        let h = (b - a) / steps as f64;
        let eps = h * 1e-9;
        let mut acc = f(a + eps) + f(b - eps);
        for i in 1..steps {
            acc += f(a + i as f64 * h) * if i % 2 == 1 { 4.0 } else { 2.0 };
        }
        sum += acc * h / 3.0;
    }
    sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erlang_c_known_values() {
        // M/M/1: P(wait) = rho.
        assert!((erlang_c(1, 0.7) - 0.7).abs() < 1e-12);
        // c = 2, a = 1: C = 1/3.
        assert!((erlang_c(2, 1.0) - 1.0 / 3.0).abs() < 1e-12);
        // A classic call-centre value: c = 10, a = 8 gives about 0.409.
        assert!((erlang_c(10, 8.0) - 0.4092).abs() < 1e-3);
        assert!(erlang_c(100_000, 99_000.0) < 1.0);
    }

    #[test]
    fn expected_max_of_exponentials_is_harmonic() {
        let b = Branch {
            probability: 1.0,
            reps: 1.0,
            certain_ms: 0.0,
            random_ms: 2.0,
        };
        let got = expected_max(&[b, b, b]);
        assert!(
            (got / (2.0 * (1.0 + 0.5 + 1.0 / 3.0)) - 1.0).abs() < 1e-5,
            "{got}"
        );
    }

    #[test]
    fn expected_max_of_constants_is_exact() {
        let b = |d| Branch {
            probability: 1.0,
            reps: 1.0,
            certain_ms: d,
            random_ms: 0.0,
        };
        assert!((expected_max(&[b(3.0), b(5.0), b(1.0)]) - 5.0).abs() < 1e-9);
    }
}
