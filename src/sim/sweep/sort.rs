//! Sorting a station's arrivals by time. They come nearly sorted: a
//! producer's departures are its arrivals reordered only by service-time
//! differences. A station fed by two producers (a cache's hits and the
//! misses that come back later, say) gets two such runs one after the other.

use super::visit::Arrival;

/// The key's time bits, which order like the non-negative times.
#[inline]
fn time_bits(k: Arrival) -> u64 {
    k.time_order()
}

/// Runs found and merged before the standard sort is used instead.
const MAX_RUNS: usize = 8;

/// Sorts `v` by time. Insertion sort while the keys it shifts stay few (each
/// costs a few instructions and at most one mispredicted branch); when they
/// do not, what is left starts a new run (the arrivals a second producer
/// sent), sorted the same way. The runs are then merged pairwise without
/// branches. Past `MAX_RUNS` runs the standard sort takes over. `scratch` is
/// reused space for the merges.
pub(super) fn sort_arrivals(v: &mut [Arrival], scratch: &mut Vec<Arrival>) {
    let mut starts = [0usize; MAX_RUNS];
    let mut runs = 0;
    let mut start = 0;
    while start < v.len() {
        if runs == MAX_RUNS {
            v.sort_unstable_by_key(|&k| time_bits(k));
            return;
        }
        starts[runs] = start;
        runs += 1;
        start += insertion_sort(&mut v[start..]).unwrap_or(v.len() - start);
    }
    while runs > 1 {
        let mut merged = 0;
        for r in (0..runs).step_by(2) {
            if r + 1 < runs {
                let end = if r + 2 < runs { starts[r + 2] } else { v.len() };
                merge_halves(&mut v[starts[r]..end], starts[r + 1] - starts[r], scratch);
            }
            starts[merged] = starts[r];
            merged += 1;
        }
        runs = merged;
    }
}

/// Insertion sort with a budget of shifted keys; returns how long the
/// sorted prefix is if the budget ran out first.
fn insertion_sort(v: &mut [Arrival]) -> Option<usize> {
    let mut budget = 4 * v.len();
    let mut last = v.first().map_or(0, |&k| time_bits(k));
    for i in 1..v.len() {
        let x = v[i];
        let t = time_bits(x);
        // Times alone decide; equal times keep their order of arrival. Most
        // keys are already in place and are not written again.
        if t >= last {
            last = t;
            continue;
        }
        let mut j = i;
        while j > 0 && time_bits(v[j - 1]) > t {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
        match budget.checked_sub(i - j) {
            Some(left) => budget = left,
            None => return Some(i + 1),
        }
    }
    None
}

/// Merges the sorted `v[..mid]` and `v[mid..]` in place, through a copy of
/// the first part; ties go to the first part.
fn merge_halves(v: &mut [Arrival], mid: usize, scratch: &mut Vec<Arrival>) {
    scratch.clear();
    scratch.extend_from_slice(&v[..mid]);
    let (mut i, mut j, mut out) = (0, mid, 0);
    while i < scratch.len() && j < v.len() {
        // Written as selects: which run wins is a coin toss for the
        // predictor.
        let take_right = time_bits(v[j]) < time_bits(scratch[i]);
        v[out] = if take_right { v[j] } else { scratch[i] };
        j += usize::from(take_right);
        i += usize::from(!take_right);
        out += 1;
    }
    // The rest of the right part is already in place.
    let rest = scratch.len() - i;
    v[out..out + rest].copy_from_slice(&scratch[i..]);
}

#[cfg(test)]
mod tests {
    use super::super::visit::Visit;
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{RngExt, SeedableRng};

    /// `runs` producers' departures, each increasing with local jitter, one
    /// run after another.
    fn runs(rng: &mut SmallRng, runs: usize, len: usize, jitter: f64) -> Vec<Arrival> {
        let mut v = Vec::new();
        for r in 0..runs {
            let mut t = 0.0;
            for i in 0..len {
                t += rng.random::<f64>();
                v.push(Arrival::new(
                    t + jitter * rng.random::<f64>(),
                    Visit::frame((r * len + i) as u32),
                ));
            }
        }
        v
    }

    #[test]
    fn runs_of_every_shape_come_out_sorted_and_whole() {
        let mut rng = SmallRng::seed_from_u64(9);
        let mut scratch = Vec::new();
        for (n_runs, jitter) in [
            (1, 0.0),
            (1, 5.0),
            (2, 3.0),
            (3, 3.0),
            (1, 1000.0),
            (6, 50.0),
        ] {
            let mut v = runs(&mut rng, n_runs, 300, jitter);
            let mut want = v.clone();
            want.sort_by_key(|&k| time_bits(k));
            sort_arrivals(&mut v, &mut scratch);
            let same_times = v
                .iter()
                .zip(&want)
                .all(|(a, b)| time_bits(*a) == time_bits(*b));
            assert!(
                same_times,
                "{n_runs} runs, jitter {jitter}: not in time order"
            );
            let mut ids: Vec<u32> = v.iter().map(|k| k.payload().frame_id()).collect();
            ids.sort_unstable();
            assert!(
                ids.into_iter().eq(0..(n_runs * 300) as u32),
                "every key kept"
            );
        }
    }

    #[test]
    fn equal_times_keep_their_order_in_one_run() {
        let mut v: Vec<Arrival> = (0..6)
            .map(|id| Arrival::new(1.0, Visit::frame(10 - id)))
            .collect();
        sort_arrivals(&mut v, &mut Vec::new());
        let ids: Vec<u32> = v.iter().map(|k| k.payload().frame_id()).collect();
        assert_eq!(ids, vec![10, 9, 8, 7, 6, 5]);
    }
}
