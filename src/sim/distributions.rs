//! Service-time distributions: what the candidate states, and the sampler the
//! discrete-event run draws from.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};

use super::exp::{exp, exp_lanes};
/// The one service-time type: defined beside the diagram's other parameters
/// (the diagram sits below the simulator), its maths here.
pub use crate::diagram::ServiceTime;

/// The standard normal's 99th percentile, used to fit a log-normal to p50/p99.
pub const Z99: f64 = 2.326_347_874_040_840_8;

/// The distribution maths of a stated service time.
impl ServiceTime {
    /// The mean service time in ms.
    pub fn mean_ms(&self) -> f64 {
        match *self {
            ServiceTime::Constant { ms } => ms,
            ServiceTime::Exponential { mean_ms } => mean_ms,
            ServiceTime::LogNormal { p50_ms, p99_ms } => {
                let sigma = lognormal_sigma(p50_ms, p99_ms);
                p50_ms * (0.5 * sigma * sigma).exp()
            }
        }
    }

    /// The squared coefficient of variation (variance / mean²).
    pub fn scv(&self) -> f64 {
        match *self {
            ServiceTime::Constant { .. } => 0.0,
            ServiceTime::Exponential { .. } => 1.0,
            ServiceTime::LogNormal { p50_ms, p99_ms } => {
                let sigma = lognormal_sigma(p50_ms, p99_ms);
                (sigma * sigma).exp() - 1.0
            }
        }
    }

    /// The part of every service that is certain (only a constant has one).
    pub fn deterministic_ms(&self) -> f64 {
        match *self {
            ServiceTime::Constant { ms } => ms,
            _ => 0.0,
        }
    }

    /// The parameters as (name, value) pairs, for validation.
    pub fn parameters(&self) -> Vec<(&'static str, f64)> {
        match *self {
            ServiceTime::Constant { ms } => vec![("service time (ms)", ms)],
            ServiceTime::Exponential { mean_ms } => vec![("mean service time (ms)", mean_ms)],
            ServiceTime::LogNormal { p50_ms, p99_ms } => {
                vec![("service p50 (ms)", p50_ms), ("service p99 (ms)", p99_ms)]
            }
        }
    }
}

/// The log-normal's sigma from its median and 99th percentile.
pub fn lognormal_sigma(p50_ms: f64, p99_ms: f64) -> f64 {
    if p50_ms <= 0.0 || p99_ms <= p50_ms {
        return 0.0;
    }
    (p99_ms / p50_ms).ln() / Z99
}

/// A validated distribution ready to sample, in ms.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampler {
    /// Always this value.
    Constant(f64),
    /// Exponential with this mean.
    Exponential(f64),
    /// exp(mu + sigma × N(0, 1)).
    LogNormal {
        /// ln of the median.
        mu: f64,
        /// The log-space standard deviation.
        sigma: f64,
    },
}

impl Sampler {
    /// The sampler for a stated service time.
    pub fn from_service(service: &ServiceTime) -> Sampler {
        match *service {
            ServiceTime::Constant { ms } => Sampler::Constant(ms),
            ServiceTime::Exponential { mean_ms } => Sampler::Exponential(mean_ms),
            ServiceTime::LogNormal { p50_ms, p99_ms } => {
                Sampler::lognormal(p50_ms, lognormal_sigma(p50_ms, p99_ms))
            }
        }
    }

    /// A log-normal with this median; a zero sigma degenerates to a constant.
    pub fn lognormal(p50_ms: f64, sigma: f64) -> Sampler {
        if sigma <= 0.0 || p50_ms <= 0.0 {
            Sampler::Constant(p50_ms.max(0.0))
        } else {
            Sampler::LogNormal {
                mu: p50_ms.ln(),
                sigma,
            }
        }
    }

    /// The same shape with every value multiplied by `factor` (> 0).
    pub fn scaled(&self, factor: f64) -> Sampler {
        match *self {
            Sampler::Constant(v) => Sampler::Constant(v * factor),
            Sampler::Exponential(mean) => Sampler::Exponential(mean * factor),
            Sampler::LogNormal { mu, sigma } => Sampler::LogNormal {
                mu: mu + factor.ln(),
                sigma,
            },
        }
    }

    /// One draw for each stream of `streams`, appended to `out`: the
    /// values `sample` gives on each, worked out side by side (the draws do
    /// not wait on each other, and the log-normal's exponentials run in a
    /// loop of their own that the compiler vectorises).
    pub fn sample_each<R: Rng>(&self, streams: impl Iterator<Item = R>, out: &mut Vec<f64>) {
        match *self {
            Sampler::Constant(v) => out.extend(streams.map(|_| v)),
            Sampler::Exponential(mean) => {
                out.extend(streams.map(|mut r| exponential(&mut r, mean)));
            }
            Sampler::LogNormal { mu, sigma } => {
                let from = out.len();
                out.extend(streams.map(|mut r| {
                    let z: f64 = StandardNormal.sample(&mut r);
                    mu + sigma * z
                }));
                for x in &mut out[from..] {
                    *x = exp(*x);
                }
            }
        }
    }

    /// Draws one value in ms. Always inlined: a batched station's jitter
    /// draw was left as a call in the steady-state loop otherwise.
    #[inline(always)]
    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match *self {
            Sampler::Constant(v) => v,
            Sampler::Exponential(mean) => exponential(rng, mean),
            Sampler::LogNormal { mu, sigma } => lognormal(rng, mu, sigma),
        }
    }
}

/// An exponential draw with this mean. Callers that draw many values from one
/// distribution call it directly, so the choice of distribution is made once.
#[inline(always)]
pub fn exponential<R: Rng + ?Sized>(rng: &mut R, mean: f64) -> f64 {
    let e: f64 = Exp1.sample(rng);
    e * mean
}

/// A log-normal draw, exp(mu + sigma × N(0, 1)).
#[inline(always)]
pub fn lognormal<R: Rng + ?Sized>(rng: &mut R, mu: f64, sigma: f64) -> f64 {
    let z: f64 = StandardNormal.sample(rng);
    exp(mu + sigma * z)
}

/// Two log-normal draws, the same two that two calls to `lognormal` give,
/// with their exponentials computed side by side.
#[inline(always)]
pub fn lognormal_pair<R: Rng + ?Sized>(rng: &mut R, mu: f64, sigma: f64) -> [f64; 2] {
    let z: [f64; 2] = [StandardNormal.sample(rng), StandardNormal.sample(rng)];
    exp_lanes([mu + sigma * z[0], mu + sigma * z[1]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

    #[test]
    fn lognormal_fit_recovers_its_percentiles() {
        let s = ServiceTime::LogNormal {
            p50_ms: 10.0,
            p99_ms: 40.0,
        };
        let sampler = Sampler::from_service(&s);
        let mut rng = SmallRng::seed_from_u64(7);
        let mut v: Vec<f64> = (0..200_000).map(|_| sampler.sample(&mut rng)).collect();
        v.sort_by(f64::total_cmp);
        let p50 = v[100_000];
        let p99 = v[198_000];
        assert!((p50 / 10.0 - 1.0).abs() < 0.02, "p50 {p50}");
        assert!((p99 / 40.0 - 1.0).abs() < 0.03, "p99 {p99}");
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        assert!((mean / s.mean_ms() - 1.0).abs() < 0.02, "mean {mean}");
    }

    #[test]
    fn paired_draws_are_the_draws_made_one_at_a_time() {
        let (mut one, mut two) = (SmallRng::seed_from_u64(5), SmallRng::seed_from_u64(5));
        for _ in 0..10_000 {
            let single = [lognormal(&mut one, 0.3, 0.8), lognormal(&mut one, 0.3, 0.8)];
            let pair = lognormal_pair(&mut two, 0.3, 0.8);
            assert_eq!(single.map(f64::to_bits), pair.map(f64::to_bits));
        }
    }

    #[test]
    fn equal_percentiles_mean_a_constant() {
        let s = ServiceTime::LogNormal {
            p50_ms: 3.0,
            p99_ms: 3.0,
        };
        assert_eq!(Sampler::from_service(&s), Sampler::Constant(3.0));
        assert_eq!(s.mean_ms(), 3.0);
    }
}
