//! Draws keyed by what they are for. In a run over time each random choice
//! (a service time, a cache hit, an optional call) comes from a short stream
//! named by the station and the moment the choice is made, not from the
//! next numbers of one shared stream. A visit then gets the same draws
//! whatever else the run has done before it, so two runs of the same
//! scenario that reach the same state from different pasts go on the same
//! way from there (see `split`).

use std::convert::Infallible;

use rand::TryRng;

/// SplitMix64's increment and finaliser (Steele, Lea and Flood, 2014).
const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

#[inline(always)]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The stream key of one kind of choice at one station in a run seeded
/// with `seed`.
pub(super) fn stream(seed: u64, station: usize, kind: u64) -> u64 {
    mix(seed ^ mix((station as u64 + 1).wrapping_mul(GOLDEN) ^ kind))
}

/// A SplitMix64 stream that starts from a stream key and a moment.
pub(super) struct Keyed(u64);

impl Keyed {
    /// The draws of `stream` at time `at_ms`; `extra` tells apart choices
    /// made at the same moment (the calls of one fan-out).
    #[inline(always)]
    pub fn new(stream: u64, at_ms: f64, extra: u64) -> Keyed {
        // The stream key is mixed already, and each draw mixes again.
        Keyed(stream ^ mix(at_ms.to_bits() ^ extra.wrapping_mul(GOLDEN)))
    }
}

impl TryRng for Keyed {
    type Error = Infallible;

    #[inline(always)]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.try_next_u64()? >> 32) as u32)
    }

    #[inline(always)]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        self.0 = self.0.wrapping_add(GOLDEN);
        Ok(mix(self.0))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.try_next_u64()?.to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn same_key_same_draws_and_keys_apart_are_independent() {
        let s = stream(7, 3, 1);
        let a: f64 = Keyed::new(s, 12.5, 0).random();
        assert_eq!(a, Keyed::new(s, 12.5, 0).random::<f64>());
        assert_ne!(a, Keyed::new(s, 12.5, 1).random::<f64>());
        assert_ne!(a, Keyed::new(stream(7, 4, 1), 12.5, 0).random::<f64>());
        assert_ne!(a, Keyed::new(stream(8, 3, 1), 12.5, 0).random::<f64>());
        // Uniforms keyed by nearby moments: their mean and the lag-one
        // correlation of the sequence are those of independent draws.
        let n = 200_000;
        let u: Vec<f64> = (0..n)
            .map(|i| Keyed::new(s, f64::from(i) * 0.001, 0).random::<f64>())
            .collect();
        let mean = u.iter().sum::<f64>() / f64::from(n);
        let lag: f64 = u
            .windows(2)
            .map(|w| (w[0] - 0.5) * (w[1] - 0.5))
            .sum::<f64>()
            / f64::from(n);
        // Standard errors: 1/sqrt(12 n) ≈ 0.00065 and 1/(12 sqrt(n)) ≈ 0.0002.
        assert!((mean - 0.5).abs() < 0.004, "mean {mean}");
        assert!(lag.abs() < 0.0012, "lag-one covariance {lag}");
    }
}
