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
    let b = erlang_b(c, a);
    let c = c as f64;
    c * b / (c - a * (1.0 - b))
}

/// Erlang B, the blocking probability of M/M/c/c, by its stable recursion
/// B(k) = a·B(k−1) / (k + a·B(k−1)), in O(√a) steps rather than O(c):
/// - below k ≈ a each step shrinks an error in B by a factor of about k/a, so
///   a start at k0 = a − 10√a from the fluid value 1 − k0/a is forgotten to
///   within e^−50 by the time k reaches a;
/// - above a, B falls faster than geometrically, so once it is below 1e−300
///   it is zero to f64 and the remaining steps can be skipped.
fn erlang_b(c: u64, a: f64) -> f64 {
    let k0 = (a - 10.0 * a.sqrt()).floor();
    let (start, mut b) = if k0 >= 1.0 && k0 < c as f64 {
        (k0 as u64, 1.0 - k0 / a)
    } else {
        (0, 1.0)
    };
    for k in start + 1..=c {
        b = a * b / (k as f64 + a * b);
        if b < 1e-300 {
            return 0.0;
        }
    }
    b
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

/// Pieces the integral for a maximum is cut into at most: one per distinct
/// shift while there are few, so constant branches come out exact.
const MAX_PIECES: usize = 64;
/// Simpson steps per piece while the work allows.
const STEPS_PER_PIECE: usize = 512;
/// Branch CDF evaluations one maximum should cost: with many distinct
/// branches the steps per piece shrink (to 16 at least), so the work is at
/// most about a thousand evaluations per branch, linear in the fan-out.
const MAX_CDF_EVALUATIONS: usize = 1 << 22;

/// E[max of the branches] = ∫ (1 − Π F_i(t)) dt, by Simpson's rule on each
/// piece between the branches' shifts. Identical branches are evaluated once
/// and raised to their count.
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
    let groups = identical_groups(branches);
    let (pieces, steps) = integration_plan(&groups);
    let f = |t: f64| {
        1.0 - groups
            .iter()
            .map(|(b, n)| b.cdf(t).powf(*n as f64))
            .product::<f64>()
    };
    let mut sum = 0.0;
    for w in pieces.windows(2) {
        // Nudge inside the piece so a step at either end is not sampled.
        let (a, b) = (w[0], w[1]);
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

/// The distinct branches with how many times each occurs (a fan-out to many
/// identical shards is one group).
fn identical_groups(branches: &[Branch]) -> Vec<(Branch, usize)> {
    let key = |b: &Branch| [b.probability, b.reps, b.certain_ms, b.random_ms].map(f64::to_bits);
    let mut sorted = branches.to_vec();
    sorted.sort_by_key(key);
    let mut groups: Vec<(Branch, usize)> = Vec::new();
    for b in sorted {
        match groups.last_mut() {
            Some((g, n)) if key(g) == key(&b) => *n += 1,
            _ => groups.push((b, 1)),
        }
    }
    groups
}

/// The piece boundaries (from 0 past the last shift, to where the tail is
/// negligible) and the even number of Simpson steps per piece, chosen so
/// that pieces × steps × groups stays within [`MAX_CDF_EVALUATIONS`].
fn integration_plan(groups: &[(Branch, usize)]) -> (Vec<f64>, usize) {
    let mut shifts: Vec<f64> = groups.iter().map(|(b, _)| b.reps * b.certain_ms).collect();
    shifts.push(0.0);
    shifts.sort_by(f64::total_cmp);
    shifts.dedup();
    let mut points: Vec<f64> = if shifts.len() <= MAX_PIECES {
        shifts.clone()
    } else {
        // Too many shifts: boundaries at evenly spaced ranks among them.
        (0..=MAX_PIECES)
            .map(|i| shifts[i * (shifts.len() - 1) / MAX_PIECES])
            .collect()
    };
    let longest_random = groups
        .iter()
        .map(|(b, _)| b.reps * b.random_ms)
        .fold(0.0, f64::max);
    let last = *points.last().expect("points holds at least the zero");
    // Past 40 mean lengths the tail holds less than e^-40 of the mass.
    points.push(last + 40.0 * longest_random);
    points.dedup();
    let pieces = points.len().saturating_sub(1).max(1);
    let affordable = MAX_CDF_EVALUATIONS / (pieces * groups.len().max(1));
    let steps = affordable.clamp(16, STEPS_PER_PIECE) & !1;
    (points, steps)
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
        // Thousands of distinct constant branches: still exactly the largest.
        let many: Vec<Branch> = (0..5_000).map(|i| b(f64::from(i) * 0.01)).collect();
        assert!((expected_max(&many) - 49.99).abs() < 1e-9);
    }

    #[test]
    fn expected_max_of_many_identical_branches_is_one_group() {
        let b = Branch {
            probability: 1.0,
            reps: 1.0,
            certain_ms: 0.0,
            random_ms: 1.0,
        };
        let many = vec![b; 20_000];
        assert_eq!(identical_groups(&many).len(), 1);
        let harmonic: f64 = (1..=20_000).map(|k| 1.0 / f64::from(k)).sum();
        let got = expected_max(&many);
        assert!((got / harmonic - 1.0).abs() < 1e-4, "{got} vs {harmonic}");
    }

    #[test]
    fn expected_max_work_stays_linear_in_distinct_branches() {
        let distinct: Vec<(Branch, usize)> = (0..20_000)
            .map(|i| {
                let branch = Branch {
                    probability: 1.0,
                    reps: 1.0,
                    certain_ms: f64::from(i) * 1e-3,
                    random_ms: 1.0 + f64::from(i) * 1e-5,
                };
                (branch, 1)
            })
            .collect();
        let (pieces, steps) = integration_plan(&distinct);
        assert!(pieces.len() <= MAX_PIECES + 2, "{} pieces", pieces.len());
        assert!(steps >= 16 && steps % 2 == 0);
        // A bounded number of evaluations per branch: linear in the fan-out.
        let per_branch = (pieces.len() - 1) * steps;
        assert!(per_branch <= (MAX_PIECES + 1) * 16, "{per_branch}");
        // And a few branches keep the full resolution.
        let (_, few_steps) = integration_plan(&distinct[..3]);
        assert_eq!(few_steps, STEPS_PER_PIECE);
    }

    #[test]
    fn expected_max_of_distinct_exponentials_lies_between_its_bounds() {
        // Means between 1 and 1.05: E[max] lies between H(n) and 1.05 H(n).
        let n = 5_000;
        let branches: Vec<Branch> = (0..n)
            .map(|i| Branch {
                probability: 1.0,
                reps: 1.0,
                certain_ms: 0.0,
                random_ms: 1.0 + 0.05 * f64::from(i) / f64::from(n),
            })
            .collect();
        let harmonic: f64 = (1..=n).map(|k| 1.0 / f64::from(k)).sum();
        let got = expected_max(&branches);
        assert!(
            got > harmonic && got < 1.05 * harmonic,
            "{got} vs {harmonic}"
        );
    }

    #[test]
    fn erlang_b_warm_start_matches_the_full_recursion() {
        let full = |c: u64, a: f64| {
            let mut b = 1.0;
            for k in 1..=c {
                b = a * b / (k as f64 + a * b);
            }
            b
        };
        for a in [0.3_f64, 7.5, 120.0, 999.0, 12_345.6, 250_000.0] {
            let s = a.sqrt();
            for c in [a * 0.5, a - 3.0 * s, a + 0.5, a + s, a + 5.0 * s, a * 3.0] {
                let c = c.max(1.0).ceil() as u64;
                let (got, want) = (erlang_b(c, a), full(c, a));
                let close =
                    (got - want).abs() <= 1e-9 * want.max(1e-300) || (got - want).abs() < 1e-250;
                assert!(close, "c {c}, a {a}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn erlang_c_with_a_million_servers_is_quick_and_sane() {
        // Light load on a huge pool: nobody waits.
        assert_eq!(erlang_c(1_000_000, 10.0), 0.0);
        // Heavy load on a huge pool: the square-root staffing regime, where
        // c = a + β√a gives P(wait) ≈ 1/(1 + β Φ(β)/φ(β)); β = 1 gives ≈ 0.22.
        let a = 1_000_000.0;
        let p = erlang_c(1_001_000, a);
        assert!(p > 0.2 && p < 0.25, "{p}");
    }
}
