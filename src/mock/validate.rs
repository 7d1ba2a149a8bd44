//! Repairs a mock loaded from a file: every value out of range is clamped
//! or dropped, and each repair is described in words.

use super::config::{MAX_LENGTH_MINUTES, MIN_LENGTH_MINUTES, default_budget_minutes};
use super::rubric::rubric;
use super::state::MockState;
use crate::content::CaseStudy;
use crate::framework::STEP_COUNT;

/// Longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 10_000;
/// Most notes one mock keeps.
pub const MAX_NOTES: usize = 1_000;
/// Most time a file may claim for one step; a day is already absurd.
const MAX_ELAPSED_SECS: f64 = 86_400.0;

/// The step whose rubric has criterion `id`.
fn step_of(id: &str) -> Option<u8> {
    (1..=STEP_COUNT as u8).find(|&s| rubric(s).iter().any(|c| c.id == id))
}

fn bad_secs(v: f64, max: f64) -> bool {
    !v.is_finite() || !(0.0..=max).contains(&v)
}

impl MockState {
    /// Clamps or drops everything out of range (scores outside 1 to 4,
    /// unknown criteria, steps outside 1 to 7, negative or NaN times, notes
    /// too long) and returns one message per repair; empty when the mock was
    /// sound. A loader that prefers to refuse bad files can treat a
    /// non-empty result as an error. Never panics.
    pub fn validate(&mut self) -> Vec<String> {
        let mut fixes = Vec::new();
        let mut fix = |m: String| fixes.push(format!("mock interview: {m}"));
        let len = self.config.length_minutes;
        if !(MIN_LENGTH_MINUTES..=MAX_LENGTH_MINUTES).contains(&len) {
            let clamped = len.clamp(MIN_LENGTH_MINUTES, MAX_LENGTH_MINUTES);
            fix(format!(
                "length {len} minutes is outside {MIN_LENGTH_MINUTES} to {MAX_LENGTH_MINUTES}; set to {clamped}"
            ));
            self.config.length_minutes = clamped;
        }
        let defaults = default_budget_minutes(self.config.length_minutes);
        let max_budget = f64::from(MAX_LENGTH_MINUTES) * 60.0;
        for (i, b) in self.config.budgets_secs.iter_mut().enumerate() {
            if bad_secs(*b, max_budget) {
                let d = f64::from(defaults[i]) * 60.0;
                fix(format!(
                    "step {} budget {b} s is not a valid time; reset to {d} s",
                    i + 1
                ));
                *b = d;
            }
        }
        if !(1..=STEP_COUNT as u8).contains(&self.clock_step) {
            fix(format!(
                "clock step {} is outside 1 to 7; set to 1",
                self.clock_step
            ));
            self.clock_step = 1;
        }
        for (i, e) in self.step_elapsed_secs.iter_mut().enumerate() {
            if bad_secs(*e, MAX_ELAPSED_SECS) {
                fix(format!(
                    "step {} time {e} s is not a valid time; set to 0",
                    i + 1
                ));
                *e = 0.0;
            }
        }
        let sum: f64 = self.step_elapsed_secs.iter().sum();
        if bad_secs(self.total_elapsed_secs, f64::MAX)
            || (self.total_elapsed_secs - sum).abs() > 1e-6 * sum.max(1.0)
        {
            fix(format!(
                "total time {} s does not match the steps' {sum} s; set to their sum",
                self.total_elapsed_secs
            ));
            self.total_elapsed_secs = sum;
        }
        if self.finished && (self.paused || !self.started) {
            self.started = true;
            self.paused = false;
        }
        if self.paused && !self.started {
            self.paused = false;
        }
        self.scores.retain(|id, score| {
            let Some(step) = step_of(id) else {
                fix(format!("score for unknown criterion \"{id}\" dropped"));
                return false;
            };
            if !(1..=4).contains(score) {
                fix(format!("step {step} criterion \"{id}\" has score {score}; scores run 1 to 4, so it was cleared"));
                return false;
            }
            true
        });
        self.competency_signals.retain(|c, s| {
            let ok = (1..=4).contains(s);
            if !ok {
                fix(format!(
                    "{} signal {s} is outside 1 to 4; cleared",
                    c.label()
                ));
            }
            ok
        });
        if self.notes.len() > MAX_NOTES {
            fix(format!(
                "{} notes; only the first {MAX_NOTES} are kept",
                self.notes.len()
            ));
            self.notes.truncate(MAX_NOTES);
        }
        let before = self.notes.len();
        self.notes.retain(|n| !n.text.trim().is_empty());
        if self.notes.len() < before {
            fix(format!("{} empty notes dropped", before - self.notes.len()));
        }
        for (k, n) in self.notes.iter_mut().enumerate() {
            if !(1..=STEP_COUNT as u8).contains(&n.step) {
                let clamped = n.step.clamp(1, STEP_COUNT as u8);
                fix(format!(
                    "note {} is on step {}; set to step {clamped}",
                    k + 1,
                    n.step
                ));
                n.step = clamped;
            }
            if bad_secs(n.at_secs, MAX_ELAPSED_SECS * STEP_COUNT as f64) {
                fix(format!(
                    "note {} has clock time {}; set to 0",
                    k + 1,
                    n.at_secs
                ));
                n.at_secs = 0.0;
            }
            if n.text.chars().count() > MAX_NOTE_CHARS {
                fix(format!(
                    "note {} is longer than {MAX_NOTE_CHARS} characters; cut",
                    k + 1
                ));
                n.text = n.text.chars().take(MAX_NOTE_CHARS).collect();
            }
        }
        fixes
    }

    /// [`MockState::validate`], then drops follow-ups `study` does not have.
    pub fn validate_for(&mut self, study: &CaseStudy) -> Vec<String> {
        let mut fixes = self.validate();
        for (i, asked) in self.follow_ups_asked.iter_mut().enumerate() {
            let available = study.steps.get(i).map_or(0, |s| s.follow_ups.len());
            let before = asked.len();
            asked.retain(|&f| f < available);
            if asked.len() < before {
                fixes.push(format!(
                    "mock interview: step {} marks follow-ups the case study does not have ({available} there); dropped",
                    i + 1
                ));
            }
        }
        fixes
    }
}
