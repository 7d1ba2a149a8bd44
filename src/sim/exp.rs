//! e^x inlined for the simulator's log-normal draws: the C library's `exp`
//! is a call, and in the hot loop its latency was a large part of a visit.

/// 2^(j/64) for j in 0..64, each the double nearest the exact value.
#[rustfmt::skip]
const EXP2_64THS: [u64; 64] = [
    0x3ff0000000000000, 0x3ff02c9a3e778061, 0x3ff059b0d3158574, 0x3ff0874518759bc8,
    0x3ff0b5586cf9890f, 0x3ff0e3ec32d3d1a2, 0x3ff11301d0125b51, 0x3ff1429aaea92de0,
    0x3ff172b83c7d517b, 0x3ff1a35beb6fcb75, 0x3ff1d4873168b9aa, 0x3ff2063b88628cd6,
    0x3ff2387a6e756238, 0x3ff26b4565e27cdd, 0x3ff29e9df51fdee1, 0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715, 0x3ff33c08b26416ff, 0x3ff371a7373aa9cb, 0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422, 0x3ff4160a21f72e2a, 0x3ff44e086061892d, 0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27, 0x3ff4f9b2769d2ca7, 0x3ff5342b569d4f82, 0x3ff56f4736b527da,
    0x3ff5ab07dd485429, 0x3ff5e76f15ad2148, 0x3ff6247eb03a5585, 0x3ff6623882552225,
    0x3ff6a09e667f3bcd, 0x3ff6dfb23c651a2f, 0x3ff71f75e8ec5f74, 0x3ff75feb564267c9,
    0x3ff7a11473eb0187, 0x3ff7e2f336cf4e62, 0x3ff82589994cce13, 0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db, 0x3ff8f1ae99157736, 0x3ff93737b0cdc5e5, 0x3ff97d829fde4e50,
    0x3ff9c49182a3f090, 0x3ffa0c667b5de565, 0x3ffa5503b23e255d, 0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad, 0x3ffb33a2b84f15fb, 0x3ffb7f76f2fb5e47, 0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c, 0x3ffc67f12e57d14b, 0x3ffcb720dcef9069, 0x3ffd072d4a07897c,
    0x3ffd5818dcfba487, 0x3ffda9e603db3285, 0x3ffdfc97337b9b5f, 0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da, 0x3ffefa1bee615a27, 0x3fff50765b6e4540, 0x3fffa7c1819e90d8,
];

/// e^x, inlined where the C library's call would cost several times more:
/// x = (k/64)·ln 2 + r with |r| ≤ ln 2 / 128, so e^x = 2^(k/64)·e^r, the
/// power from a table and e^r from its Taylor series to r⁵ (the next term
/// is below 4e-17). For |x| < 700 the result is within one unit in the last
/// place of `f64::exp` (the tests check every k in that range at both ends
/// of its interval, and 4 million other arguments); arguments of 700 or
/// more in size, infinities and NaN go to `f64::exp` itself, so subnormal
/// results, 0 and overflow to infinity are the library's.
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    if out_of_range(x) {
        return x.exp();
    }
    exp_in_range(x)
}

/// `exp` of each of `N` values, written lane by lane so that the compiler
/// computes them side by side in vector registers; each result is the
/// same double the scalar `exp` gives.
#[inline(always)]
pub fn exp_lanes<const N: usize>(x: [f64; N]) -> [f64; N] {
    if x.iter().any(|&v| out_of_range(v)) {
        return x.map(exp);
    }
    x.map(exp_in_range)
}

#[inline(always)]
fn out_of_range(x: f64) -> bool {
    x.is_nan() || x.abs() >= 700.0
}

/// e^x for |x| < 700.
#[inline(always)]
fn exp_in_range(x: f64) -> f64 {
    // 1.5 × 2^52: adding it rounds a double of this size to an integer.
    const ROUND: f64 = 6_755_399_441_055_744.0;
    const K_PER_UNIT: f64 = 64.0 / std::f64::consts::LN_2;
    // ln 2 / 64 split so that k × LN2_64_HI is exact for every k used here.
    const LN2_64_HI: f64 = 0.010_830_424_689_629_58;
    const LN2_64_LO: f64 = 6.619_564_634_077_006e-12;
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
    use rand::rngs::SmallRng;
    use rand::{RngExt, SeedableRng};

    /// How many doubles lie between two finite doubles of the same sign.
    fn ulps(a: f64, b: f64) -> u64 {
        (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
    }

    /// The largest distance from the library over `xs`, with its argument.
    fn worst(xs: impl Iterator<Item = f64>) -> (u64, f64) {
        xs.map(|x| (ulps(exp(x), x.exp()), x))
            .fold((0, 0.0), |w, d| if d.0 > w.0 { d } else { w })
    }

    #[test]
    fn inlined_exp_is_within_one_ulp_of_the_library_wherever_it_is_used() {
        // Every reduction step k over (-700, 700), at both ends of its
        // interval (where |r| and the polynomial's error are largest), just
        // inside them, halfway and at its centre.
        let step = std::f64::consts::LN_2 / 64.0;
        let k_max = (700.0 / step).ceil() as i64;
        let at_each_k = (-k_max..=k_max).flat_map(|k| {
            let centre = k as f64 * step;
            [-0.5, -0.499_999_9, -0.25, 0.0, 0.25, 0.499_999_9, 0.5]
                .map(|r| centre + r * step)
                .into_iter()
                .filter(|x| x.abs() < 700.0)
        });
        let (ulp, x) = worst(at_each_k);
        assert!(ulp <= 1, "exp({x}) is {ulp} ulps from the library's");
        // Uniform over the range, and log-uniform magnitudes from the
        // smallest subnormal up, both signs.
        let mut rng = SmallRng::seed_from_u64(11);
        let uniform: Vec<f64> = (0..2_000_000)
            .map(|_| (rng.random::<f64>() - 0.5) * 1400.0)
            .filter(|x| x.abs() < 700.0)
            .collect();
        let scales: Vec<f64> = (0..2_000_000)
            .map(|_| {
                let m = 10f64.powf(rng.random::<f64>() * 327.0 - 324.0).min(699.0);
                if rng.random::<bool>() { m } else { -m }
            })
            .collect();
        for (what, xs) in [("uniform", uniform), ("log-uniform", scales)] {
            let (ulp, x) = worst(xs.into_iter());
            assert!(
                ulp <= 1,
                "{what}: exp({x}) is {ulp} ulps from the library's"
            );
        }
        // The edges of the inlined range and special small arguments.
        let edges = [
            0.0,
            -0.0,
            f64::from_bits(1),
            -f64::from_bits(1),
            f64::MIN_POSITIVE,
            1e-300,
            -1e-300,
            1.0,
            -1.0,
            700f64.next_down(),
            -700f64.next_up(),
        ];
        for x in edges {
            assert!(ulps(exp(x), x.exp()) <= 1, "exp({x})");
        }
        assert_eq!(exp(0.0), 1.0);
        assert_eq!(exp(f64::from_bits(1)), 1.0);
    }

    #[test]
    fn beyond_the_inlined_range_exp_is_the_library_bit_for_bit() {
        // From the smallest argument with a nonzero result, through the
        // subnormal and normal edges, to overflow; and the special values.
        let beyond = [
            -f64::MAX,
            -1e10,
            -745.2,
            -745.133_219_101_941_2,
            -745.133_219_101_941_1,
            -745.0,
            -720.0,
            -708.5,
            -708.396_418_532_264_1,
            -700.0,
            700.0,
            709.0,
            709.782_712_893_384,
            709.8,
            1e10,
            f64::MAX,
            f64::INFINITY,
            f64::NEG_INFINITY,
        ];
        for x in beyond {
            assert_eq!(exp(x).to_bits(), x.exp().to_bits(), "exp({x})");
        }
        assert_eq!(exp(-745.133_219_101_941_2), 0.0);
        assert_eq!(exp(-745.133_219_101_941_1), f64::from_bits(1));
        assert!(exp(-708.5).is_subnormal());
        assert!(exp(-708.396_418_532_264_1).is_normal());
        assert!(exp(709.782_712_893_384).is_finite());
        assert_eq!(exp(709.782_712_893_384f64.next_up()), f64::INFINITY);
        assert_eq!(exp(709.8), f64::INFINITY);
        assert_eq!(exp(f64::NEG_INFINITY), 0.0);
        assert_eq!(exp(f64::INFINITY), f64::INFINITY);
        assert!(exp(f64::NAN).is_nan());
    }

    #[test]
    fn side_by_side_each_lane_is_the_scalar_result() {
        // Also beside an argument out of range, which sends only itself to
        // the library.
        for pair in [
            [0.25, -3.5],
            [1e-300, 699.9],
            [-699.9, 0.0],
            [800.0, 1.0],
            [2.0, -750.0],
        ] {
            assert_eq!(
                exp_lanes(pair).map(f64::to_bits),
                pair.map(|x| exp(x).to_bits())
            );
        }
        assert!(exp_lanes([f64::NAN, 0.5])[0].is_nan());
        assert_eq!(exp_lanes([f64::NAN, 0.5])[1].to_bits(), exp(0.5).to_bits());
    }
}
