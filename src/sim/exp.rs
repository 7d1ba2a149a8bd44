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

/// e^x within two units in the last place, inlined where the C library's
/// call would cost several times more: x = (k/64)·ln 2 + r with
/// |r| ≤ ln 2 / 128, so e^x = 2^(k/64)·e^r, the power from a table and e^r
/// from its Taylor series to r⁵ (the next term is below 4e-17). Arguments
/// of 700 or more in size, and NaN, go to `f64::exp`.
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
    use rand::SeedableRng;
    use rand::rngs::SmallRng;

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
        // Side by side, each lane is the scalar result, also beside an
        // argument out of range.
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
        assert_eq!(exp(800.0), f64::INFINITY);
        assert_eq!(exp(-800.0), 0.0);
        assert!(exp(f64::NAN).is_nan());
    }
}
