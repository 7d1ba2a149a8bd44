//! The event-list engine's future events: a 4-ary min-heap in one flat Vec.
//! Each event is one `EventKey` (a u128 underneath), so comparisons are
//! branch-free; four children per node halve the depth of a binary heap.

use super::key::{EventKey, Payload};

/// The event heap: events ordered by time, then payload (so ties break the
/// same way on every run).
pub(in crate::sim) struct EventHeap<P> {
    items: Vec<EventKey<P>>,
}

impl<P: Payload> EventHeap<P> {
    /// An empty heap with room for `capacity` events.
    pub fn with_capacity(capacity: usize) -> EventHeap<P> {
        EventHeap {
            items: Vec::with_capacity(capacity),
        }
    }

    /// Adds an event. It comes as a key, so that the caller packs it where
    /// the payload's kind is known and the packing folds away.
    #[inline]
    pub fn push(&mut self, item: EventKey<P>) {
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

    /// Removes the earliest event. It comes back as its key, so that the
    /// caller unpacks it where it dispatches on it.
    #[inline]
    pub fn pop(&mut self) -> Option<EventKey<P>> {
        let last = self.items.pop()?;
        if self.items.is_empty() {
            return Some(last);
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
        Some(top)
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
        let mut q = EventHeap::<u64>::with_capacity(4);
        let mut expected = Vec::new();
        for i in 0..5_000u64 {
            let t = f64::from(rng.random_range(0..500u32)) * 0.25;
            q.push(EventKey::new(t, i));
            expected.push((t, i));
            // Interleave pops, as a simulation does.
            if i % 3 == 0 {
                let got = q.pop().expect("not empty").split();
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
        while let Some(e) = q.pop().map(EventKey::split) {
            assert!(e.0 > last.0 || (e.0 == last.0 && e.1 > last.1));
            last = e;
        }
    }
}
