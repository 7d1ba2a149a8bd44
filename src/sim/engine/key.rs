//! The packed event key both engines sort by: an event's time and what it
//! carries, in one `u128` so that comparing two events is one integer
//! comparison.

use std::cmp::Ordering;
use std::fmt;
use std::marker::PhantomData;

/// What an event key carries beside its time: 64 bits its engine packs (a
/// visit in the sweep, an event's kind and id in the event list).
pub(in crate::sim) trait Payload: Copy {
    /// The payload as the key's low 64 bits.
    fn to_bits(self) -> u64;
    /// The payload back from those bits.
    fn from_bits(bits: u64) -> Self;
}

/// A plain number, for tests of the key's order.
impl Payload for u64 {
    #[inline]
    fn to_bits(self) -> u64 {
        self
    }

    #[inline]
    fn from_bits(bits: u64) -> u64 {
        bits
    }
}

/// An event as one sortable key: the time's bits above the payload's. Times
/// are non-negative, so their bits order like the numbers, and keys order
/// by time, then payload (so ties break the same way on every run).
#[repr(transparent)]
pub(in crate::sim) struct EventKey<P> {
    bits: u128,
    payload: PhantomData<P>,
}

impl<P: Payload> EventKey<P> {
    /// The key of `payload` at `time_ms`, which must be non-negative.
    #[inline]
    pub fn new(time_ms: f64, payload: P) -> EventKey<P> {
        EventKey {
            bits: (u128::from(time_ms.to_bits()) << 64) | u128::from(payload.to_bits()),
            payload: PhantomData,
        }
    }

    /// The time in ms.
    #[inline]
    pub fn time_ms(self) -> f64 {
        f64::from_bits(self.time_order())
    }

    /// The time's bits, which order like the time: sorting by them needs no
    /// floating-point comparison.
    #[inline]
    pub fn time_order(self) -> u64 {
        (self.bits >> 64) as u64
    }

    /// What the event carries.
    #[inline]
    pub fn payload(self) -> P {
        P::from_bits(self.bits as u64)
    }

    /// (time in ms, payload).
    #[inline]
    pub fn split(self) -> (f64, P) {
        (self.time_ms(), self.payload())
    }
}

// By hand rather than derived, so that no bound falls on the payload type.
impl<P> Clone for EventKey<P> {
    #[inline]
    fn clone(&self) -> Self {
        *self
    }
}

impl<P> Copy for EventKey<P> {}

impl<P> PartialEq for EventKey<P> {
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        self.bits == other.bits
    }
}

impl<P> Eq for EventKey<P> {}

// The comparisons spelled out, so each is one integer comparison that the
// heap's selects compile to without going through an `Ordering`.
impl<P> PartialOrd for EventKey<P> {
    #[inline]
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }

    #[inline]
    fn lt(&self, other: &Self) -> bool {
        self.bits < other.bits
    }

    #[inline]
    fn le(&self, other: &Self) -> bool {
        self.bits <= other.bits
    }

    #[inline]
    fn gt(&self, other: &Self) -> bool {
        self.bits > other.bits
    }

    #[inline]
    fn ge(&self, other: &Self) -> bool {
        self.bits >= other.bits
    }
}

impl<P> Ord for EventKey<P> {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.bits.cmp(&other.bits)
    }
}

impl<P: Payload + fmt::Debug> fmt::Debug for EventKey<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (time_ms, payload) = self.split();
        write!(f, "{payload:?} at {time_ms} ms")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_by_time_then_payload_and_split_back() {
        let times = [0.0, 1e-300, 0.25, 1.0, 3.5, 1e9, f64::INFINITY];
        let mut keys: Vec<EventKey<u64>> = Vec::new();
        for (i, &t) in times.iter().enumerate().rev() {
            for payload in [u64::MAX, 7, 0] {
                keys.push(EventKey::new(t, payload ^ i as u64));
            }
        }
        keys.sort();
        for pair in keys.windows(2) {
            let ((t0, p0), (t1, p1)) = (pair[0].split(), pair[1].split());
            assert!(t0 < t1 || (t0 == t1 && p0 < p1), "{pair:?}");
            assert!(pair[0].time_order() <= pair[1].time_order());
        }
        let k = EventKey::new(2.5, 42u64);
        assert_eq!((k.time_ms(), k.payload()), (2.5, 42));
    }
}
