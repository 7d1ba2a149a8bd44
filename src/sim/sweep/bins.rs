//! Time split into equal bins, each holding the area (busy server time, or
//! queue length over time) that falls in it, for runs over time. Adding an
//! interval costs the same however many bins it spans: the bins it covers
//! whole are counted in a difference array.

/// Areas per bin of `width` ms from time 0.
#[derive(Debug, Clone)]
pub(super) struct TimeBins {
    width: f64,
    /// `1 / width`: a multiply where a divide would cost several times more.
    per_ms: f64,
    /// The parts of intervals that cover a bin only in part.
    partial: Vec<f64>,
    /// +1 where a run of whole bins starts, −1 after it ends.
    whole: Vec<f64>,
    /// Running sums up to (not including) bin `cursor`.
    cursor: usize,
    whole_count: f64,
    area: f64,
}

impl TimeBins {
    /// Bins of `width` ms covering `0..len_ms`; what falls later is kept
    /// out.
    pub fn new(width: f64, len_ms: f64) -> TimeBins {
        let n = (len_ms / width).ceil() as usize + 1;
        TimeBins {
            width,
            per_ms: 1.0 / width,
            partial: vec![0.0; n],
            whole: vec![0.0; n + 1],
            cursor: 0,
            whole_count: 0.0,
            area: 0.0,
        }
    }

    /// Adds the interval `[a, b)` at height 1.
    #[inline]
    pub fn add(&mut self, a: f64, b: f64) {
        let n = self.partial.len();
        let end = n as f64 * self.width;
        let b = if b < end { b } else { end };
        if b <= a {
            return;
        }
        let ka = ((a * self.per_ms) as usize).min(n - 1);
        let kb = ((b * self.per_ms) as usize).min(n - 1);
        if ka == kb {
            self.partial[ka] += b - a;
        } else {
            self.partial[ka] += (ka + 1) as f64 * self.width - a;
            self.partial[kb] += b - kb as f64 * self.width;
            self.whole[ka + 1] += 1.0;
            self.whole[kb] -= 1.0;
        }
    }

    /// The area before `t`, which must be a bin edge at or after the last
    /// one asked for, and after every interval that reaches before it was
    /// added.
    pub fn area_before(&mut self, t: f64) -> f64 {
        let k = ((t / self.width).round() as usize).min(self.partial.len());
        while self.cursor < k {
            self.whole_count += self.whole[self.cursor];
            self.area += self.partial[self.cursor] + self.whole_count * self.width;
            self.cursor += 1;
        }
        self.area
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn areas_match_a_direct_sum_over_any_span() {
        let mut bins = TimeBins::new(10.0, 1_000.0);
        let intervals = [
            (3.0, 7.0),
            (5.0, 45.0),
            (20.0, 20.0),
            (99.5, 310.25),
            (990.0, 2_000.0),
        ];
        for &(a, b) in &intervals {
            bins.add(a, b);
        }
        for edge in [0.0, 10.0, 50.0, 100.0, 300.0, 310.0, 500.0, 1_000.0] {
            let direct: f64 = intervals
                .iter()
                .map(|&(a, b)| (b.min(edge) - a).max(0.0))
                .sum();
            let got = bins.area_before(edge);
            assert!(
                (got - direct).abs() < 1e-9,
                "before {edge}: {got} vs {direct}"
            );
        }
    }
}
