//! The event-list engine's future events: a 4-ary min-heap in one flat Vec. Each event is one
//! u128 key, time bits above payload, so comparisons are branch-free; four
//! children per node halve the depth of a binary heap.

use super::key::{key, split};

/// The event heap: events ordered by time, then payload (so ties break the same
/// way on every run).
#[derive(Debug, Clone, Default)]
pub struct EventHeap {
    items: Vec<u128>,
}

impl EventHeap {
    /// An empty heap with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> EventHeap {
        EventHeap {
            items: Vec::with_capacity(capacity),
        }
    }

    /// Events waiting.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// No events wait.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Adds an event; `time_ms` must be non-negative, so that its bits order
    /// like the number.
    #[inline]
    pub fn push(&mut self, time_ms: f64, payload: u64) {
        let item = key(time_ms, payload);
        let mut i = self.items.len();
        self.items.push(item);
        while i > 0 {
            let parent = (i - 1) / 4;
            let p = self.items[parent];
            if p <= item {
                break;
            }
            self.items[i] = p;
            i = parent;
        }
        self.items[i] = item;
    }

    /// The earliest event's time, without removing it.
    #[inline]
    pub fn peek_time(&self) -> Option<f64> {
        self.items.first().map(|&k| split(k).0)
    }

    /// Removes the earliest event: (time in ms, payload).
    #[inline]
    pub fn pop(&mut self) -> Option<(f64, u64)> {
        let last = self.items.pop()?;
        if self.items.is_empty() {
            return Some(split(last));
        }
        let top = self.items[0];
        let n = self.items.len();
        let mut i = 0;
        loop {
            let first = 4 * i + 1;
            if first >= n {
                break;
            }
            let end = (first + 4).min(n);
            let mut best = first;
            let mut best_key = self.items[first];
            for c in first + 1..end {
                let k = self.items[c];
                // Written as selects so the compiler emits conditional moves.
                let less = k < best_key;
                best = if less { c } else { best };
                best_key = if less { k } else { best_key };
            }
            if best_key >= last {
                break;
            }
            self.items[i] = best_key;
            i = best;
        }
        self.items[i] = last;
        Some(split(top))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::SmallRng;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn pops_in_time_then_payload_order() {
        let mut rng = SmallRng::seed_from_u64(3);
        let mut q = EventHeap::with_capacity(4);
        let mut expected = Vec::new();
        for i in 0..5_000u64 {
            let t = f64::from(rng.random_range(0..500u32)) * 0.25;
            q.push(t, i);
            expected.push((t, i));
            // Interleave pops, as a simulation does.
            if i % 3 == 0 {
                let got = q.pop().expect("not empty");
                let min = expected
                    .iter()
                    .copied()
                    .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))
                    .expect("not empty");
                assert_eq!(got, min);
                expected.retain(|&e| e != min);
            }
        }
        let mut last = (f64::NEG_INFINITY, 0);
        while let Some(e) = q.pop() {
            assert!(e.0 > last.0 || (e.0 == last.0 && e.1 > last.1));
            last = e;
        }
        assert!(q.is_empty());
        assert_eq!(q.len(), 0);
    }
}
