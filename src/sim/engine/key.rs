//! The packed event key both engines sort by.

/// An event as one sortable key: the time's bits above the payload. Times
/// are non-negative, so the bits order like the numbers.
#[inline]
pub(in crate::sim) fn key(time_ms: f64, payload: u64) -> u128 {
    (u128::from(time_ms.to_bits()) << 64) | u128::from(payload)
}

/// A key's time in ms.
#[inline]
pub(in crate::sim) fn key_time(key: u128) -> f64 {
    f64::from_bits((key >> 64) as u64)
}

/// A key back into (time in ms, payload).
#[inline]
pub(in crate::sim) fn split(key: u128) -> (f64, u64) {
    (key_time(key), key as u64)
}
