//! Offered load: Poisson arrivals at the entry station.

use serde::{Deserialize, Serialize};

use super::error::SimError;

/// Seconds in a day, for daily-volume conversions.
const SECONDS_PER_DAY: f64 = 86_400.0;

/// The smallest and largest request rates a run accepts, per second.
pub const MIN_RPS: f64 = 1e-6;
/// See [`MIN_RPS`].
pub const MAX_RPS: f64 = 1e9;

/// Requests arriving at the entry, as a Poisson process.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    /// Mean arrivals per second.
    pub requests_per_second: f64,
}

impl Traffic {
    /// A fixed rate in requests per second.
    pub fn rps(requests_per_second: f64) -> Traffic {
        Traffic {
            requests_per_second,
        }
    }

    /// The peak rate from daily active users × requests per user per day ×
    /// a peak-to-average factor (often 2–3).
    pub fn from_daily_users(
        daily_active_users: f64,
        requests_per_user_per_day: f64,
        peak_factor: f64,
    ) -> Traffic {
        Traffic {
            requests_per_second: daily_active_users * requests_per_user_per_day / SECONDS_PER_DAY
                * peak_factor,
        }
    }

    /// Checks the rate is a finite number within [`MIN_RPS`, `MAX_RPS`].
    pub fn validate(&self) -> Result<(), SimError> {
        let v = self.requests_per_second;
        let reason = if v.is_nan() {
            "it is not a number"
        } else if !(MIN_RPS..=MAX_RPS).contains(&v) {
            "requests per second must be between 1e-6 and 1e9"
        } else {
            return Ok(());
        };
        Err(SimError::Config {
            parameter: "requests per second",
            value: v,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn daily_users_convert_to_peak_rps() {
        // 10M users × 20 requests a day is about 2,315 rps; a peak of 3× about 6,944.
        let t = Traffic::from_daily_users(10e6, 20.0, 3.0);
        assert!((t.requests_per_second - 6944.444).abs() < 1e-2);
        assert!(t.validate().is_ok());
        assert!(Traffic::rps(f64::NAN).validate().is_err());
        assert!(Traffic::rps(0.0).validate().is_err());
    }
}
