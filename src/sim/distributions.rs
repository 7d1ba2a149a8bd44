//! Service-time distributions: what the candidate states, and the sampler the
//! discrete-event run draws from.

use rand::Rng;
use rand_distr::{Distribution, Exp1, StandardNormal};
use serde::{Deserialize, Serialize};

/// The standard normal's 99th percentile, used to fit a log-normal to p50/p99.
pub const Z99: f64 = 2.326_347_874_040_840_8;

/// How long one service takes, in milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ServiceTime {
    /// Always the same time.
    Constant {
        /// The service time in ms.
        ms: f64,
    },
    /// Exponential (memoryless) with this mean: the M in M/M/c.
    Exponential {
        /// The mean service time in ms.
        mean_ms: f64,
    },
    /// Log-normal fitted to a median and a 99th percentile, the shape most
    /// measured service latencies have.
    LogNormal {
        /// The median in ms.
        p50_ms: f64,
        /// The 99th percentile in ms (at least the median).
        p99_ms: f64,
    },
}

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

    /// Draws one value in ms.
    #[inline]
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

/// 2^(j/64) for j in 0..64, each the double nearest the exact value.
const EXP2_64THS: [u64; 64] = [
    0x3ff0000000000000,
    0x3ff02c9a3e778061,
    0x3ff059b0d3158574,
    0x3ff0874518759bc8,
    0x3ff0b5586cf9890f,
    0x3ff0e3ec32d3d1a2,
    0x3ff11301d0125b51,
    0x3ff1429aaea92de0,
    0x3ff172b83c7d517b,
    0x3ff1a35beb6fcb75,
    0x3ff1d4873168b9aa,
    0x3ff2063b88628cd6,
    0x3ff2387a6e756238,
    0x3ff26b4565e27cdd,
    0x3ff29e9df51fdee1,
    0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715,
    0x3ff33c08b26416ff,
    0x3ff371a7373aa9cb,
    0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422,
    0x3ff4160a21f72e2a,
    0x3ff44e086061892d,
    0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27,
    0x3ff4f9b2769d2ca7,
    0x3ff5342b569d4f82,
    0x3ff56f4736b527da,
    0x3ff5ab07dd485429,
    0x3ff5e76f15ad2148,
    0x3ff6247eb03a5585,
    0x3ff6623882552225,
    0x3ff6a09e667f3bcd,
    0x3ff6dfb23c651a2f,
    0x3ff71f75e8ec5f74,
    0x3ff75feb564267c9,
    0x3ff7a11473eb0187,
    0x3ff7e2f336cf4e62,
    0x3ff82589994cce13,
    0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db,
    0x3ff8f1ae99157736,
    0x3ff93737b0cdc5e5,
    0x3ff97d829fde4e50,
    0x3ff9c49182a3f090,
    0x3ffa0c667b5de565,
    0x3ffa5503b23e255d,
    0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad,
    0x3ffb33a2b84f15fb,
    0x3ffb7f76f2fb5e47,
    0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c,
    0x3ffc67f12e57d14b,
    0x3ffcb720dcef9069,
    0x3ffd072d4a07897c,
    0x3ffd5818dcfba487,
    0x3ffda9e603db3285,
    0x3ffdfc97337b9b5f,
    0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da,
    0x3ffefa1bee615a27,
    0x3fff50765b6e4540,
    0x3fffa7c1819e90d8,
];

/// e^x within two units in the last place, inlined where the C library's
/// call would cost several times more: x = (k/64)·ln 2 + r with
/// |r| ≤ ln 2 / 128, so e^x = 2^(k/64)·e^r, the power from a table and e^r
/// from its Taylor series to r⁵ (the next term is below 4e-17). Arguments
/// of 700 or more in size, and NaN, go to `f64::exp`.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    // 1.5 × 2^52: adding it rounds a double of this size to an integer.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const K_PER_UNIT: f64 = 64.0 / std::f64::consts::LN_2;
    // ln 2 / 64 split so that k × LN2_64_HI is exact for every k used here.
    const LN2_64_HI: f64 = 0.010_830_424_689_629_58;
    const LN2_64_LO: f64 = 6.619_564_634_077_006e-12;
    if x.is_nan() || x.abs() >= 700.0 {
        return x.exp();
    }
    let shifted = x * K_PER_UNIT + ROUND;
    // The integer k sits in the low bits of the shifted value.
    let k = i64::from(shifted.to_bits() as i32);
    let kf = shifted - ROUND;
    let r = (x - kf * LN2_64_HI) - kf * LN2_64_LO;
    // Estrin's scheme: the polynomial in few dependent steps.
    let r2 = r * r;
    let p = r + r2 * ((1.0 / 2.0 + r * (1.0 / 6.0)) + r2 * (1.0 / 24.0 + r * (1.0 / 120.0)));
    let power = EXP2_64THS[(k & 63) as usize].wrapping_add(((k >> 6) << 52) as u64);
    let scale = f64::from_bits(power);
    scale + scale * p
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
    fn inlined_exp_matches_the_library_to_two_ulps() {
        let mut rng = SmallRng::seed_from_u64(11);
        let special = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            1e-300,
            0.5 * std::f64::consts::LN_2,
            699.9,
            -699.9,
        ];
        let random = (0..200_000).map(|_| (rand::RngExt::random::<f64>(&mut rng) - 0.5) * 80.0);
        for x in special.into_iter().chain(random) {
            let (got, want) = (exp(x), x.exp());
            assert!(
                ((got - want) / want).abs() <= 2.0 * f64::EPSILON,
                "exp({x}) = {got}, library {want}"
            );
        }
        assert_eq!(exp(800.0), f64::INFINITY);
        assert_eq!(exp(-800.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
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
