//! Offered traffic over a run: the scenario's rate events turned into a
//! piecewise-constant rate, and Poisson arrivals drawn from it exactly.

use std::sync::Arc;

use rand::SeedableRng;
use rand::rngs::SmallRng;
use rand_distr::{Distribution, Exp1};

use crate::diagram::{EventKind, TimedEvent};
use crate::sim::engine::ArrivalGaps;

/// Length of one piece of constant rate, ms: ramps and daily curves are
/// followed in steps this short.
pub const RATE_PIECE_MS: f64 = 100.0;

/// The offered rate (requests per second) at `t_s` seconds into a run that
/// starts at `start_rps` and lasts `duration_s`, given the scenario's events
/// sorted by time.
pub fn rate_at(start_rps: f64, duration_s: f64, events: &[TimedEvent], t_s: f64) -> f64 {
    let mut level = start_rps;
    let mut factor = 1.0;
    for e in events.iter().filter(|e| e.at_s <= t_s) {
        let since = t_s - e.at_s;
        match e.kind {
            EventKind::Rate { rps } => level = rps,
            EventKind::Ramp { rps, over_s } => {
                level = if since < over_s {
                    level + (rps - level) * since / over_s
                } else {
                    rps
                };
            }
            EventKind::Spike { factor: f, for_s } if since < for_s => factor *= f,
            EventKind::Daily { peak_to_mean } => {
                let span = (duration_s - e.at_s).max(f64::MIN_POSITIVE);
                factor *= daily_factor(peak_to_mean, since / span);
            }
            _ => {}
        }
    }
    (level * factor).max(0.0)
}

/// One day compressed into x ∈ [0, 1]: lowest at 0 and 1, the peak at ½,
/// with mean 1 and peak `p` (peak over mean). Up to p = 2 a raised cosine;
/// above, a narrower bump sin^(2k)(πx) scaled so its mean stays 1.
pub fn daily_factor(p: f64, x: f64) -> f64 {
    let s = (std::f64::consts::PI * x).sin().powi(2);
    if p <= 2.0 {
        (2.0 - p) + 2.0 * (p - 1.0) * s
    } else {
        p * s.powf(bump_exponent(p))
    }
}

/// The k for which sin^(2k)(πx) has mean 1/p over [0, 1], by bisection on
/// a numeric mean (the mean falls as k grows).
fn bump_exponent(p: f64) -> f64 {
    let mean = |k: f64| {
        let n = 2_000;
        (0..n)
            .map(|i| {
                let x = (f64::from(i) + 0.5) / f64::from(n);
                (std::f64::consts::PI * x).sin().powi(2).powf(k)
            })
            .sum::<f64>()
            / f64::from(n)
    };
    let (mut lo, mut hi) = (1.0_f64, 1.0_f64);
    while mean(hi) > 1.0 / p {
        hi *= 2.0;
    }
    for _ in 0..40 {
        let mid = 0.5 * (lo + hi);
        if mean(mid) > 1.0 / p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    0.5 * (lo + hi)
}

/// The rate of each piece of [`RATE_PIECE_MS`], in requests per ms, taken at
/// the piece's middle.
pub fn rate_pieces(start_rps: f64, duration_s: f64, events: &[TimedEvent]) -> Vec<f64> {
    let n = (duration_s * 1000.0 / RATE_PIECE_MS).ceil() as usize;
    (0..n)
        .map(|i| {
            let mid_s = (i as f64 + 0.5) * RATE_PIECE_MS / 1000.0;
            rate_at(start_rps, duration_s, events, mid_s.min(duration_s)) / 1000.0
        })
        .collect()
}

/// Requests the pieces offer in all.
pub fn expected_requests(pieces: &[f64]) -> f64 {
    pieces.iter().sum::<f64>() * RATE_PIECE_MS
}

/// Poisson arrivals at a piecewise-constant rate, exactly: within a piece
/// the gaps are exponential at its rate, and a gap that would cross the
/// piece's end is dropped (the process has no memory), the next piece
/// drawing afresh from its start. Each piece draws from a stream of its
/// own, keyed by the seed and the piece, so arrivals can start at any
/// piece and be those a run from the start has there.
#[derive(Debug, Clone)]
pub struct TimelineGaps {
    pieces: Arc<[f64]>,
    end_ms: f64,
    seed: u64,
    /// The last arrival's time.
    last_ms: f64,
    /// The piece drawn from now, where its draws have reached, and its
    /// stream.
    piece: usize,
    at_ms: f64,
    rng: SmallRng,
}

impl TimelineGaps {
    /// Arrivals over `pieces`, the run ending at `end_ms`.
    pub fn new(pieces: Vec<f64>, end_ms: f64, seed: u64) -> TimelineGaps {
        TimelineGaps {
            pieces: pieces.into(),
            end_ms,
            seed,
            last_ms: 0.0,
            piece: 0,
            at_ms: 0.0,
            rng: piece_stream(seed, 0),
        }
    }

    /// The same arrivals from the start of the piece holding `from_ms` on.
    pub fn starting_at(mut self, from_ms: f64) -> TimelineGaps {
        self.piece = (from_ms / RATE_PIECE_MS) as usize;
        self.at_ms = self.piece as f64 * RATE_PIECE_MS;
        self.last_ms = self.at_ms;
        self.rng = piece_stream(self.seed, self.piece);
        self
    }
}

fn piece_stream(seed: u64, piece: usize) -> SmallRng {
    SmallRng::seed_from_u64(seed ^ (piece as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

impl ArrivalGaps for TimelineGaps {
    fn next_gap_ms(&mut self, rng: &mut SmallRng) -> f64 {
        let last = self.last_ms;
        self.next_arrival_ms(last, rng) - last
    }

    /// The pieces' own streams are drawn from, not `rng`.
    fn next_arrival_ms(&mut self, _last_ms: f64, _rng: &mut SmallRng) -> f64 {
        loop {
            let Some(&rate) = self.pieces.get(self.piece) else {
                return f64::INFINITY;
            };
            let piece_end = ((self.piece + 1) as f64 * RATE_PIECE_MS).min(self.end_ms);
            if rate > 0.0 {
                let e: f64 = Exp1.sample(&mut self.rng);
                let at = self.at_ms + e / rate;
                if at < piece_end {
                    self.at_ms = at;
                    self.last_ms = at;
                    return at;
                }
            }
            if piece_end >= self.end_ms {
                return f64::INFINITY;
            }
            self.piece += 1;
            self.at_ms = piece_end;
            self.rng = piece_stream(self.seed, self.piece);
        }
    }
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;

    use super::*;

    fn at(at_s: f64, kind: EventKind) -> TimedEvent {
        TimedEvent { at_s, kind }
    }

    #[test]
    fn steps_ramps_and_spikes_shape_the_rate() {
        let events = vec![
            at(10.0, EventKind::Rate { rps: 200.0 }),
            at(
                20.0,
                EventKind::Ramp {
                    rps: 400.0,
                    over_s: 10.0,
                },
            ),
            at(
                40.0,
                EventKind::Spike {
                    factor: 3.0,
                    for_s: 5.0,
                },
            ),
        ];
        let r = |t| rate_at(100.0, 60.0, &events, t);
        assert_eq!(r(5.0), 100.0);
        assert_eq!(r(15.0), 200.0);
        assert!((r(25.0) - 300.0).abs() < 1e-9);
        assert_eq!(r(35.0), 400.0);
        assert_eq!(r(42.0), 1200.0);
        assert_eq!(r(46.0), 400.0);
    }

    #[test]
    fn the_daily_curve_has_mean_one_and_the_asked_peak() {
        for p in [1.0, 1.5, 2.0, 3.0, 5.0] {
            let n = 10_000;
            let values: Vec<f64> = (0..n)
                .map(|i| daily_factor(p, (f64::from(i) + 0.5) / f64::from(n)))
                .collect();
            let mean = values.iter().sum::<f64>() / f64::from(n);
            let peak = values.iter().copied().fold(0.0, f64::max);
            assert!((mean - 1.0).abs() < 2e-3, "p {p}: mean {mean}");
            assert!((peak / p - 1.0).abs() < 2e-3, "p {p}: peak {peak}");
            assert!(values.iter().all(|&v| v >= 0.0));
        }
    }

    #[test]
    fn arrivals_follow_the_rate_and_stop_at_the_end() {
        // 1,000 req/s for 10 s, then 3,000 req/s for 10 s.
        let events = vec![at(10.0, EventKind::Rate { rps: 3_000.0 })];
        let pieces = rate_pieces(1_000.0, 20.0, &events);
        assert!((expected_requests(&pieces) - 40_000.0).abs() < 1e-6);
        let mut gaps = TimelineGaps::new(pieces, 20_000.0, 3);
        let mut rng = SmallRng::seed_from_u64(3);
        let (mut t, mut first, mut second) = (0.0, 0, 0);
        loop {
            let g = gaps.next_gap_ms(&mut rng);
            if !g.is_finite() {
                break;
            }
            t += g;
            assert!(t <= 20_000.0);
            if t < 10_000.0 {
                first += 1;
            } else {
                second += 1;
            }
        }
        // Poisson counts: 10,000 ± 400 and 30,000 ± 700 at four sigma.
        assert!((first as f64 - 10_000.0).abs() < 400.0, "{first}");
        assert!((second as f64 - 30_000.0).abs() < 700.0, "{second}");
    }
}
