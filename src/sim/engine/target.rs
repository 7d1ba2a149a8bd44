//! What a run over time may read and change in a replication as it goes,
//! whichever engine runs it: the time, each station's servers, service
//! time and hit ratio, and its running totals.

use super::super::distributions::Sampler;

/// A station's running totals up to now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(in crate::sim) struct StationTotals {
    /// Busy server time so far, server·ms.
    pub busy_area: f64,
    /// Queue length integrated over time so far, request·ms.
    pub queue_area: f64,
    /// Servers now.
    pub servers: u32,
    /// Visits that arrived so far.
    pub arrivals: u64,
}

/// A replication a run over time changes as it goes.
pub(in crate::sim) trait Target {
    /// The simulated time, ms.
    fn now_ms(&self) -> f64;
    /// Sets how many servers station `s` has. More start on its queue at
    /// once; with fewer, services under way finish but no new one starts
    /// until the busy count is below the new number.
    fn set_servers(&mut self, s: usize, servers: u32);
    /// Sets station `s`'s service time for services that start from now.
    fn set_sampler(&mut self, s: usize, sampler: Sampler);
    /// Sets station `s`'s cache hit ratio.
    fn set_hit_ratio(&mut self, s: usize, hit_ratio: f64);
    /// Station `s`'s running totals up to now.
    fn station_totals(&mut self, s: usize) -> StationTotals;
}
