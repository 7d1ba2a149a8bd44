//! The mock's state and its clock, driven by times the caller supplies.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use super::config::MockConfig;
use super::rubric::Competency;
use super::scoring::Note;
use super::{MockError, MockMode};
use crate::framework::{MAX_TICK_GAP_SECS, STEP_COUNT, Step};

/// Who gave the scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Scorer {
    Interviewer,
    #[default]
    SelfAssessed,
}

impl Scorer {
    /// The words shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Scorer::Interviewer => "the interviewer",
            Scorer::SelfAssessed => "the candidate (self-assessed)",
        }
    }
}

/// A mock interview in progress or finished: its clock, scores and notes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MockState {
    pub config: MockConfig,
    #[serde(default)]
    pub started: bool,
    #[serde(default)]
    pub paused: bool,
    #[serde(default)]
    pub finished: bool,
    /// Seconds on the clock per step.
    #[serde(default)]
    pub step_elapsed_secs: [f64; STEP_COUNT],
    /// Seconds on the clock in all.
    #[serde(default)]
    pub total_elapsed_secs: f64,
    /// The step the clock counts for, 1 to 7.
    pub clock_step: u8,
    /// The caller's clock at the last tick. Not saved: a monotonic clock
    /// means nothing in another run, so a loaded mock resumes from its
    /// first tick.
    #[serde(skip)]
    pub last_tick: Option<f64>,
    /// Wall-clock start, Unix seconds, as the caller recorded it (for the
    /// report's date; the clock never uses it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_unix_secs: Option<u64>,
    #[serde(default)]
    pub scorer: Scorer,
    /// Scores by criterion id, 1 to 4; an unscored criterion is absent.
    #[serde(default)]
    pub scores: BTreeMap<String, u8>,
    /// Per step, the indices of the case study's follow-ups asked.
    #[serde(default)]
    pub follow_ups_asked: [BTreeSet<usize>; STEP_COUNT],
    #[serde(default)]
    pub notes: Vec<Note>,
    /// Overall signal per competency, 1 to 4.
    #[serde(default)]
    pub competency_signals: BTreeMap<Competency, u8>,
    /// The interviewer who joined from their own computer and sent the
    /// scores and shared notes, by the name they gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_interviewer: Option<String>,
}

impl Default for MockState {
    fn default() -> MockState {
        MockState::new(MockConfig::default())
    }
}

/// The array index of step `step`, or an error outside 1 to 7.
pub(crate) fn step_index(step: u8) -> Result<usize, MockError> {
    Step::new(step)
        .map(Step::index)
        .ok_or(MockError::NoSuchStep(step))
}

impl MockState {
    /// A mock not yet started, on step 1; scored by the interviewer when
    /// there is one.
    pub fn new(config: MockConfig) -> MockState {
        let scorer = match config.mode {
            MockMode::Solo => Scorer::SelfAssessed,
            MockMode::WithInterviewer => Scorer::Interviewer,
        };
        MockState {
            config,
            started: false,
            paused: false,
            finished: false,
            step_elapsed_secs: [0.0; STEP_COUNT],
            total_elapsed_secs: 0.0,
            clock_step: 1,
            last_tick: None,
            started_unix_secs: None,
            scorer,
            scores: BTreeMap::new(),
            follow_ups_asked: Default::default(),
            notes: Vec::new(),
            competency_signals: BTreeMap::new(),
            remote_interviewer: None,
        }
    }

    /// Starts the clock at `now_secs`. Starting twice does nothing.
    pub fn start(&mut self, now_secs: f64) {
        if self.started || self.finished {
            return;
        }
        self.started = true;
        self.paused = false;
        self.last_tick = Some(now_secs);
    }

    /// True while the clock runs.
    pub fn is_running(&self) -> bool {
        self.started && !self.paused && !self.finished
    }

    /// Counts the time since the last tick to the current step, unless the
    /// clock is paused, or the gap is negative, not a number or longer than
    /// [`MAX_TICK_GAP_SECS`] (a sleep). Call it every frame.
    pub fn tick(&mut self, now_secs: f64) {
        if !self.started || self.finished {
            return;
        }
        if let Some(last) = self.last_tick
            && self.is_running()
        {
            let gap = now_secs - last;
            if gap.is_finite() && (0.0..=MAX_TICK_GAP_SECS).contains(&gap) {
                self.step_elapsed_secs[self.clock_index()] += gap;
                self.total_elapsed_secs += gap;
            }
        }
        if now_secs.is_finite() {
            self.last_tick = Some(now_secs);
        }
    }

    /// Stops counting; time until [`MockState::resume`] is not counted.
    pub fn pause(&mut self, now_secs: f64) {
        self.tick(now_secs);
        if self.started && !self.finished {
            self.paused = true;
        }
    }

    /// Counts again from `now_secs`.
    pub fn resume(&mut self, now_secs: f64) {
        if self.started && !self.finished && self.paused {
            self.paused = false;
            self.last_tick = now_secs.is_finite().then_some(now_secs);
        }
    }

    /// Counts time so far to the current step, then moves the clock to `step`.
    pub fn move_to_step(&mut self, step: Step, now_secs: f64) {
        self.tick(now_secs);
        self.clock_step = step.number();
    }

    /// Stops the clock for good.
    pub fn finish(&mut self, now_secs: f64) {
        self.tick(now_secs);
        self.started = true;
        self.paused = false;
        self.finished = true;
        self.last_tick = None;
    }

    /// True once finished.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    fn clock_index(&self) -> usize {
        step_index(self.clock_step).unwrap_or(0)
    }

    /// Seconds on the clock for step `step`; 0 outside 1 to 7.
    pub fn elapsed_secs(&self, step: u8) -> f64 {
        step_index(step).map_or(0.0, |i| self.step_elapsed_secs[i])
    }

    /// Budget left on the current step, in seconds; negative once overrun.
    pub fn remaining_step_secs(&self) -> f64 {
        self.config.budget_secs(self.clock_step) - self.elapsed_secs(self.clock_step)
    }

    /// Time left in the whole mock, in seconds; negative once overrun.
    pub fn remaining_total_secs(&self) -> f64 {
        self.config.length_secs() - self.total_elapsed_secs
    }

    /// True when step `step` has used more than its budget.
    pub fn overrun(&self, step: u8) -> bool {
        self.overrun_secs(step) > 0.0
    }

    /// Seconds over budget on step `step`; 0 when within it.
    pub fn overrun_secs(&self, step: u8) -> f64 {
        (self.elapsed_secs(step) - self.config.budget_secs(step)).max(0.0)
    }
}
