//! How long a mock lasts, who scores it, and the time budget of each step.

use serde::{Deserialize, Serialize};

use super::MockError;
use crate::framework::{STEP_COUNT, STEPS, total_default_minutes};

/// The lengths the app offers, in minutes.
pub const ALLOWED_LENGTHS: [u32; 2] = [45, 60];
/// Shortest mock accepted: one minute per step.
pub const MIN_LENGTH_MINUTES: u32 = STEP_COUNT as u32;
/// Longest mock accepted (a file claiming more is clamped).
pub const MAX_LENGTH_MINUTES: u32 = 240;

/// Whether someone else plays the interviewer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MockMode {
    /// The candidate runs the clock and scores themself.
    #[default]
    Solo,
    /// An interviewer runs the clock, takes notes and scores.
    WithInterviewer,
}

impl MockMode {
    /// The words shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            MockMode::Solo => "solo",
            MockMode::WithInterviewer => "with an interviewer",
        }
    }
}

/// The settings of one mock interview.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockConfig {
    /// Planned length, 45 or 60 in the app.
    pub length_minutes: u32,
    pub mode: MockMode,
    /// Time budget per step, in seconds; editable.
    pub budgets_secs: [f64; STEP_COUNT],
}

impl Default for MockConfig {
    fn default() -> MockConfig {
        MockConfig::new(45, MockMode::Solo)
    }
}

impl MockConfig {
    /// A mock of `length_minutes` (clamped to the accepted range) with the
    /// framework's budgets scaled to fit.
    pub fn new(length_minutes: u32, mode: MockMode) -> MockConfig {
        let length_minutes = length_minutes.clamp(MIN_LENGTH_MINUTES, MAX_LENGTH_MINUTES);
        MockConfig {
            length_minutes,
            mode,
            budgets_secs: default_budget_minutes(length_minutes).map(|m| f64::from(m) * 60.0),
        }
    }

    /// Changes the length and resets the budgets to the scaled defaults.
    pub fn set_length(&mut self, length_minutes: u32) -> Result<(), MockError> {
        if !(MIN_LENGTH_MINUTES..=MAX_LENGTH_MINUTES).contains(&length_minutes) {
            return Err(MockError::BadLength(length_minutes));
        }
        *self = MockConfig::new(length_minutes, self.mode);
        Ok(())
    }

    /// Sets one step's budget. The total may then differ from the length;
    /// the clock counts against both.
    pub fn set_budget(&mut self, step: u8, secs: f64) -> Result<(), MockError> {
        let i = super::state::step_index(step)?;
        let max = f64::from(MAX_LENGTH_MINUTES) * 60.0;
        if !secs.is_finite() || !(0.0..=max).contains(&secs) {
            return Err(MockError::BadBudget { got: secs, max });
        }
        self.budgets_secs[i] = secs;
        Ok(())
    }

    /// The budget of step `step` (1 to 7), in seconds; 0 for a step outside.
    pub fn budget_secs(&self, step: u8) -> f64 {
        super::state::step_index(step).map_or(0.0, |i| self.budgets_secs[i])
    }

    /// The planned length in seconds.
    pub fn length_secs(&self) -> f64 {
        f64::from(self.length_minutes) * 60.0
    }
}

/// Whole minutes per step for a mock of `length_minutes`: the framework's
/// 45-minute defaults scaled, rounded so they still add up to the length
/// (largest remainders get the spare minutes, earlier steps first on ties).
pub fn default_budget_minutes(length_minutes: u32) -> [u32; STEP_COUNT] {
    let base = total_default_minutes();
    let mut minutes = STEPS.map(|s| s.default_minutes * length_minutes / base);
    let spare = length_minutes.saturating_sub(minutes.iter().sum());
    let mut order: Vec<usize> = (0..STEP_COUNT).collect();
    // Stable sort keeps step order among equal remainders.
    order.sort_by_key(|&i| std::cmp::Reverse(STEPS[i].default_minutes * length_minutes % base));
    for &i in order.iter().cycle().take(spare as usize) {
        minutes[i] += 1;
    }
    minutes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_add_up_for_any_length() {
        for len in MIN_LENGTH_MINUTES..=MAX_LENGTH_MINUTES {
            assert_eq!(default_budget_minutes(len).iter().sum::<u32>(), len);
        }
        assert_eq!(default_budget_minutes(45), STEPS.map(|s| s.default_minutes));
        assert_eq!(default_budget_minutes(60), [7, 7, 9, 13, 8, 9, 7]);
    }
}
