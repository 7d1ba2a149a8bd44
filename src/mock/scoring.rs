//! Scores, follow-ups, notes and the summaries built from them.

use serde::{Deserialize, Serialize};

use super::MockError;
use super::rubric::{Competency, criterion, rubric};
use super::state::{MockState, step_index};
use super::validate::{MAX_NOTE_CHARS, MAX_NOTES};
use crate::content::CaseStudy;
use crate::framework::STEP_COUNT;

/// An interviewer's note, stamped with the interview clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Note {
    /// Seconds on the interview clock when the note was taken.
    pub at_secs: f64,
    /// The step the clock was on, 1 to 7.
    pub step: u8,
    pub text: String,
}

/// Time spent on a step against its budget.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepTime {
    pub step: u8,
    pub spent_secs: f64,
    pub budget_secs: f64,
    /// Seconds over budget; 0 when within it.
    pub overrun_secs: f64,
}

/// Where a competency stands at the end.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CompetencySummary {
    pub competency: Competency,
    /// The scorer's overall signal, 1 to 4.
    pub signal: Option<u8>,
    /// Mean of the rubric scores that are evidence for it.
    pub rubric_mean: Option<f64>,
}

impl CompetencySummary {
    /// The signal where one was given, else the rubric mean.
    pub fn overall(&self) -> Option<f64> {
        self.signal.map(f64::from).or(self.rubric_mean)
    }
}

fn check_score(score: u8) -> Result<(), MockError> {
    if (1..=4).contains(&score) {
        Ok(())
    } else {
        Err(MockError::ScoreOutOfRange(score))
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

impl MockState {
    /// The score of criterion `id` of step `step`.
    pub fn score(&self, step: u8, id: &str) -> Option<u8> {
        criterion(step, id)?;
        self.scores.get(id).copied()
    }

    /// Scores criterion `id` of step `step` from 1 to 4, or clears it with
    /// `None`. Unknown steps or criteria and scores outside 1 to 4 are refused.
    pub fn set_score(&mut self, step: u8, id: &str, score: Option<u8>) -> Result<(), MockError> {
        step_index(step)?;
        let c = criterion(step, id).ok_or_else(|| MockError::NoSuchCriterion {
            step,
            id: id.to_owned(),
        })?;
        match score {
            Some(s) => {
                check_score(s)?;
                self.scores.insert(c.id.to_owned(), s);
            }
            None => {
                self.scores.remove(c.id);
            }
        }
        Ok(())
    }

    /// Marks follow-up `index` of step `step` (an index into the case
    /// study's `follow_ups`) as asked, or not asked if it was. Returns
    /// whether it is now asked.
    pub fn toggle_follow_up(
        &mut self,
        study: &CaseStudy,
        step: u8,
        index: usize,
    ) -> Result<bool, MockError> {
        let i = step_index(step)?;
        let available = study.steps.get(i).map_or(0, |s| s.follow_ups.len());
        if index >= available {
            return Err(MockError::NoSuchFollowUp {
                step,
                index,
                available,
            });
        }
        let asked = &mut self.follow_ups_asked[i];
        if asked.remove(&index) {
            Ok(false)
        } else {
            asked.insert(index);
            Ok(true)
        }
    }

    /// True when follow-up `index` of step `step` was asked.
    pub fn follow_up_asked(&self, step: u8, index: usize) -> bool {
        step_index(step).is_ok_and(|i| self.follow_ups_asked[i].contains(&index))
    }

    /// Adds a note stamped with the interview clock, brought up to `now_secs` first.
    pub fn add_note(&mut self, text: &str, now_secs: f64) -> Result<Note, MockError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(MockError::EmptyNote);
        }
        if text.chars().count() > MAX_NOTE_CHARS {
            return Err(MockError::NoteTooLong);
        }
        if self.notes.len() >= MAX_NOTES {
            return Err(MockError::TooManyNotes);
        }
        self.tick(now_secs);
        let note = Note {
            at_secs: self.total_elapsed_secs,
            step: self.clock_step,
            text: text.to_owned(),
        };
        self.notes.push(note.clone());
        Ok(note)
    }

    /// Sets the overall signal on `competency` (1 to 4), or clears it.
    pub fn set_signal(
        &mut self,
        competency: Competency,
        signal: Option<u8>,
    ) -> Result<(), MockError> {
        match signal {
            Some(s) => {
                check_score(s)?;
                self.competency_signals.insert(competency, s);
            }
            None => {
                self.competency_signals.remove(&competency);
            }
        }
        Ok(())
    }

    /// The overall signal on `competency`.
    pub fn signal(&self, competency: Competency) -> Option<u8> {
        self.competency_signals.get(&competency).copied()
    }

    /// Mean score of the scored criteria of step `step`; None when none is scored.
    pub fn step_score(&self, step: u8) -> Option<f64> {
        mean(
            rubric(step)
                .iter()
                .filter_map(|c| self.scores.get(c.id))
                .map(|&s| f64::from(s)),
        )
    }

    /// The seven step scores, in order.
    pub fn step_scores(&self) -> [Option<f64>; STEP_COUNT] {
        std::array::from_fn(|i| self.step_score(i as u8 + 1))
    }

    /// Signal and rubric mean for `competency`.
    pub fn competency_summary(&self, competency: Competency) -> CompetencySummary {
        let rubric_mean = mean(
            (1..=STEP_COUNT as u8)
                .flat_map(rubric)
                .filter(|c| c.competency == competency)
                .filter_map(|c| self.scores.get(c.id))
                .map(|&s| f64::from(s)),
        );
        CompetencySummary {
            competency,
            signal: self.signal(competency),
            rubric_mean,
        }
    }

    /// Every competency's summary, in [`Competency::ALL`] order.
    pub fn competency_summaries(&self) -> [CompetencySummary; 7] {
        Competency::ALL.map(|c| self.competency_summary(c))
    }

    /// Time on each step against its budget.
    pub fn time_summary(&self) -> [StepTime; STEP_COUNT] {
        std::array::from_fn(|i| {
            let step = i as u8 + 1;
            StepTime {
                step,
                spent_secs: self.step_elapsed_secs[i],
                budget_secs: self.config.budgets_secs[i],
                overrun_secs: self.overrun_secs(step),
            }
        })
    }
}
