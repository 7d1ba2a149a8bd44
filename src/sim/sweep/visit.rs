//! A visit as the sweep's arrival keys and a station's outcomes carry it,
//! packed into the 64 bits an event key holds beside its time.

use super::super::engine::Outcome;
use super::super::engine::key::{EventKey, Payload};

/// A visit to a station: the id of its frame or, for a visit to a station
/// that makes no calls (which needs no frame of its own), its parent's
/// frame with the leaf flag. A station's turn marks how the visit ended.
///
/// Bits 0–31 are the frame, bit 32 the leaf flag, bits 40 and up the
/// outcome.
#[repr(transparent)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Visit(u64);

/// A visit arriving at its station.
pub(super) type Arrival = EventKey<Visit>;

impl Visit {
    const LEAF: u64 = 1 << 32;
    const OUTCOME_SHIFT: u32 = 40;

    /// A visit with a frame of its own.
    #[inline]
    pub fn frame(frame: u32) -> Visit {
        Visit(u64::from(frame))
    }

    /// A visit to a station that makes no calls, on behalf of `parent`.
    #[inline]
    pub fn leaf(parent: u32) -> Visit {
        Visit(Self::LEAF | u64::from(parent))
    }

    /// The visit has no frame, and `frame_id` is its parent's.
    #[inline]
    pub fn is_leaf(self) -> bool {
        self.0 & Self::LEAF != 0
    }

    /// Its frame, or for a leaf visit its parent's frame.
    #[inline]
    pub fn frame_id(self) -> u32 {
        self.0 as u32
    }

    /// The visit marked with how it ended (it was `Served` until now).
    #[inline]
    pub fn with_outcome(self, outcome: Outcome) -> Visit {
        Visit(self.0 | u64::from(outcome as u8) << Self::OUTCOME_SHIFT)
    }

    /// How it ended, as marked by `with_outcome`.
    #[inline]
    pub fn outcome(self) -> Outcome {
        match self.0 >> Self::OUTCOME_SHIFT {
            0 => Outcome::Served,
            1 => Outcome::Dropped,
            _ => Outcome::TimedOut,
        }
    }
}

impl Payload for Visit {
    #[inline]
    fn to_bits(self) -> u64 {
        self.0
    }

    #[inline]
    fn from_bits(bits: u64) -> Visit {
        Visit(bits)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_visit_keeps_its_frame_leaf_flag_and_outcome() {
        for frame in [0, 1, 12_345, u32::MAX - 1] {
            for (visit, leaf) in [(Visit::frame(frame), false), (Visit::leaf(frame), true)] {
                assert_eq!(visit.outcome(), Outcome::Served);
                for outcome in [Outcome::Served, Outcome::Dropped, Outcome::TimedOut] {
                    let v = visit.with_outcome(outcome);
                    assert_eq!(
                        (v.frame_id(), v.is_leaf(), v.outcome()),
                        (frame, leaf, outcome)
                    );
                    let k = Arrival::new(1.5, v);
                    assert_eq!(k.split(), (1.5, v));
                }
            }
        }
    }
}
