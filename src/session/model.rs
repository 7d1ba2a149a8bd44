//! A practice session: what the candidate wrote, ticked, revealed and asked.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::content::CaseStudy;
use crate::diagram::{Diagram, PIPELINE_DIAGRAM, SERVING_DIAGRAM};
use crate::framework::{MAX_TICK_GAP_SECS, STEP_COUNT, Step};
use crate::mock::MockMode;

use super::history::{Change, History, Snapshot};

/// The format version of session files this build writes. Version 1 had no
/// diagrams; it is migrated on load.
pub const SESSION_FORMAT_VERSION: u32 = 2;

/// One candidate's work on one case study.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Session {
    pub format_version: u32,
    /// The case study's id.
    pub case_study: String,
    /// The step on screen, 1 to 7.
    pub current_step: u8,
    /// Exactly seven entries, one per framework step, in order.
    pub steps: Vec<StepProgress>,
    /// Ids of clarifying questions asked, in the order they were asked.
    #[serde(default)]
    pub questions_asked: Vec<String>,
    /// Named diagrams; every session has the pipeline and serving ones.
    #[serde(default)]
    pub diagrams: Vec<SessionDiagram>,
    /// The mock interview run on this session, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mock: Option<crate::mock::MockState>,
    /// The back-of-envelope estimate's inputs once the candidate edited
    /// them; `None` means the case study's own figures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimate: Option<crate::content::EstimateInputs>,
    /// How the answers and diagrams changed over the session, for replay.
    #[serde(default, skip_serializing_if = "History::is_empty")]
    pub history: History,
}

/// A diagram with its name, as kept in a session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SessionDiagram {
    pub name: String,
    pub diagram: Diagram,
}

/// The candidate's progress on one step.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepProgress {
    /// Free-form answer, markdown.
    #[serde(default)]
    pub answer: String,
    /// Indices of checklist points ticked.
    #[serde(default)]
    pub ticked: BTreeSet<usize>,
    /// How many hints have been revealed, in order.
    #[serde(default)]
    pub hints_revealed: usize,
    #[serde(default)]
    pub reference_revealed: bool,
    /// Marked done by the candidate.
    #[serde(default)]
    pub done: bool,
    /// Time spent on this step, in seconds.
    #[serde(default)]
    pub seconds_spent: f64,
}

/// Where a step stands, for the step navigator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepStatus {
    NotStarted,
    Started,
    Current,
    Done,
}

impl StepStatus {
    /// The word shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            StepStatus::NotStarted => "not started",
            StepStatus::Started => "started",
            StepStatus::Current => "current",
            StepStatus::Done => "done",
        }
    }
}

/// A change to a session. Every user action on a session is one of these.
#[derive(Debug, Clone, PartialEq)]
pub enum SessionEdit {
    GoToStep(u8),
    SetAnswer {
        step: u8,
        text: String,
    },
    ToggleCheck {
        step: u8,
        index: usize,
    },
    RevealNextHint {
        step: u8,
    },
    RevealReference {
        step: u8,
    },
    SetDone {
        step: u8,
        done: bool,
    },
    /// Mark the step done and move to the next one, if there is one.
    CompleteStep {
        step: u8,
    },
    AskQuestion(String),
}

impl Session {
    /// A fresh session on `study`, at step 1.
    pub fn new(study: &CaseStudy) -> Session {
        Session {
            format_version: SESSION_FORMAT_VERSION,
            case_study: study.id.clone(),
            current_step: 1,
            steps: vec![StepProgress::default(); STEP_COUNT],
            questions_asked: Vec::new(),
            diagrams: Vec::new(),
            mock: None,
            estimate: None,
            history: History::default(),
        }
        .with_default_diagrams()
    }

    /// Adds the pipeline and serving diagrams if they are missing.
    pub fn with_default_diagrams(mut self) -> Session {
        for name in [PIPELINE_DIAGRAM, SERVING_DIAGRAM] {
            if self.diagram(name).is_none() {
                self.diagrams.push(SessionDiagram {
                    name: name.to_owned(),
                    diagram: Diagram::default(),
                });
            }
        }
        self
    }

    /// The diagram called `name`.
    pub fn diagram(&self, name: &str) -> Option<&Diagram> {
        self.diagrams
            .iter()
            .find(|d| d.name == name)
            .map(|d| &d.diagram)
    }

    /// The diagram called `name`, to change it.
    pub fn diagram_mut(&mut self, name: &str) -> Option<&mut Diagram> {
        self.diagrams
            .iter_mut()
            .find(|d| d.name == name)
            .map(|d| &mut d.diagram)
    }

    /// The diagram a step opens by default: the pipeline for data and
    /// modelling, the serving path for deployment and monitoring.
    pub fn default_diagram_for_step(step: u8) -> &'static str {
        if step >= 5 {
            SERVING_DIAGRAM
        } else {
            PIPELINE_DIAGRAM
        }
    }

    /// Progress on step `number` (1 to 7).
    pub fn step(&self, number: u8) -> &StepProgress {
        &self.steps[step_index(number)]
    }

    fn step_mut(&mut self, number: u8) -> &mut StepProgress {
        &mut self.steps[step_index(number)]
    }

    /// Where step `number` stands.
    pub fn status(&self, number: u8) -> StepStatus {
        let p = self.step(number);
        if p.done {
            StepStatus::Done
        } else if number == self.current_step {
            StepStatus::Current
        } else if !p.answer.trim().is_empty() || !p.ticked.is_empty() || p.hints_revealed > 0 {
            StepStatus::Started
        } else {
            StepStatus::NotStarted
        }
    }

    /// True once a question has been asked.
    pub fn asked(&self, question_id: &str) -> bool {
        self.questions_asked.iter().any(|q| q == question_id)
    }

    /// Applies `edit`, clamped to what `study` offers, at `now_secs` on the
    /// caller's monotonic clock. Returns whether the session changed, so
    /// callers know when there is something to save. In a mock interview the
    /// interview clock follows the step on screen.
    pub fn apply(&mut self, study: &CaseStudy, edit: SessionEdit, now_secs: f64) -> bool {
        let content = |step: u8| study.steps.get(step_index(step));
        let reveals = matches!(
            edit,
            SessionEdit::ToggleCheck { .. }
                | SessionEdit::RevealNextHint { .. }
                | SessionEdit::RevealReference { .. }
        );
        if reveals && self.coaching_hidden() {
            return false;
        }
        match edit {
            SessionEdit::GoToStep(step) => self.go_to_step(Step::clamped(step), now_secs),
            SessionEdit::CompleteStep { step } => {
                let step = Step::clamped(step);
                let p = self.step_mut(step.number());
                let changed = !p.done;
                p.done = true;
                let moved = self.go_to_step(step.next().unwrap_or(step), now_secs);
                changed || moved
            }
            SessionEdit::SetAnswer { step, text } => {
                let step = clamp_step(step);
                let at = self.total_seconds();
                let p = self.step_mut(step);
                if p.answer == text {
                    return false;
                }
                let before = std::mem::replace(&mut p.answer, text.clone());
                let before = || Some(Change::Answer { step, text: before });
                self.history
                    .record(at, before, Change::Answer { step, text });
                true
            }
            SessionEdit::ToggleCheck { step, index } => {
                let step = clamp_step(step);
                let points = content(step).map_or(0, |c| c.checklist.len());
                if index >= points {
                    return false;
                }
                let ticked = &mut self.step_mut(step).ticked;
                if !ticked.remove(&index) {
                    ticked.insert(index);
                }
                true
            }
            SessionEdit::RevealNextHint { step } => {
                let step = clamp_step(step);
                let hints = content(step).map_or(0, |c| c.hints.len());
                let p = self.step_mut(step);
                if p.hints_revealed >= hints {
                    return false;
                }
                p.hints_revealed += 1;
                true
            }
            SessionEdit::RevealReference { step } => {
                let p = self.step_mut(clamp_step(step));
                let changed = !p.reference_revealed;
                p.reference_revealed = true;
                changed
            }
            SessionEdit::SetDone { step, done } => {
                let p = self.step_mut(clamp_step(step));
                let changed = p.done != done;
                p.done = done;
                changed
            }
            SessionEdit::AskQuestion(id) => {
                let known = study.questions.iter().any(|q| q.id == id);
                if !known || self.asked(&id) {
                    return false;
                }
                self.questions_asked.push(id);
                true
            }
        }
    }

    /// While a mock interview runs, the candidate works as in the real one:
    /// the checklist, hints and reference answers stay hidden, and edits
    /// that would reveal them are refused. They come back when it ends.
    pub fn coaching_hidden(&self) -> bool {
        self.mock.as_ref().is_some_and(|m| !m.is_finished())
    }

    /// With a real interviewer in the mock, the candidate asks the person:
    /// the scripted answers to clarifying questions stay hidden too.
    pub fn scripted_answers_hidden(&self) -> bool {
        self.coaching_hidden()
            && self
                .mock
                .as_ref()
                .is_some_and(|m| m.config.mode == MockMode::WithInterviewer)
    }

    fn go_to_step(&mut self, step: Step, now_secs: f64) -> bool {
        if let Some(mock) = &mut self.mock {
            mock.move_to_step(step, now_secs);
        }
        let changed = self.current_step != step.number();
        self.current_step = step.number();
        changed
    }

    /// Checklist points of step `step` (indices into the case study's
    /// checklist) that the session did not tick.
    pub fn missed_checklist(&self, study: &CaseStudy, step: u8) -> Vec<usize> {
        let Some(step) = Step::new(step) else {
            return Vec::new();
        };
        let (Some(progress), Some(content)) =
            (self.steps.get(step.index()), study.steps.get(step.index()))
        else {
            return Vec::new();
        };
        (0..content.checklist.len())
            .filter(|p| !progress.ticked.contains(p))
            .collect()
    }

    /// Adds time spent on the current step.
    pub fn add_time(&mut self, seconds: f64) {
        if seconds.is_finite() && seconds > 0.0 {
            let step = self.current_step;
            self.step_mut(clamp_step(step)).seconds_spent += seconds;
        }
    }

    /// The answers and diagrams as they were at `at_secs` of the session
    /// clock, from the history.
    pub fn replay_at(&self, at_secs: f64) -> Snapshot {
        let mut now = Snapshot::default();
        for (slot, step) in now.answers.iter_mut().zip(&self.steps) {
            slot.clone_from(&step.answer);
        }
        now.diagrams = self
            .diagrams
            .iter()
            .map(|d| (d.name.clone(), d.diagram.clone()))
            .collect();
        self.history.at(now, at_secs)
    }

    /// True once the history holds a state of diagram `name`.
    pub fn history_knows_diagram(&self, name: &str) -> bool {
        let is_it = |c: &Change| matches!(c, Change::Diagram { name: n, .. } if n == name);
        self.history.start.iter().any(is_it)
            || self.history.moments.iter().any(|m| is_it(&m.change))
    }

    /// Records diagram `name` as it is now in the history; `before` is how
    /// it was until now, needed only when the history has not seen it
    /// (`None` for a diagram just made).
    pub fn record_diagram(&mut self, name: &str, before: Option<Diagram>) {
        let Some(diagram) = self.diagram(name).cloned() else {
            return;
        };
        let at = self.total_seconds();
        let change = |diagram| Change::Diagram {
            name: name.to_owned(),
            diagram,
        };
        self.history
            .record(at, || before.map(change), change(diagram));
    }

    /// Total time across all steps, in seconds.
    pub fn total_seconds(&self) -> f64 {
        self.steps.iter().map(|s| s.seconds_spent).sum()
    }

    /// Steps marked done.
    pub fn done_count(&self) -> usize {
        self.steps.iter().filter(|s| s.done).count()
    }
}

/// Keeps a step number inside 1..=7.
pub fn clamp_step(step: u8) -> u8 {
    Step::clamped(step).number()
}

fn step_index(step: u8) -> usize {
    Step::clamped(step).index()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{ClarifyingQuestion, Difficulty, Scenario, StepContent};

    fn study() -> CaseStudy {
        let step = |n: u8| StepContent {
            step: n,
            prompt: "p".into(),
            guidance: "g".into(),
            checklist: vec!["a".into(), "b".into()],
            signals: vec![],
            hints: vec!["h1".into(), "h2".into()],
            follow_ups: vec![],
            pitfalls: vec![],
            reference: "r".into(),
        };
        CaseStudy {
            format_version: 1,
            id: "demo".into(),
            title: "Demo".into(),
            summary: "s".into(),
            difficulty: Difficulty::Easy,
            tags: vec![],
            problem: "p".into(),
            scenario: Scenario {
                daily_active_users: 86_400.0,
                requests_per_user_per_day: 1.0,
                peak_to_mean: 1.0,
                peak_qps: 1.0,
                p99_sla_ms: 1.0,
                monthly_budget_usd: 1.0,
            },
            sizing: crate::content::Sizing {
                catalog_items: 1.0,
                new_items_per_day: 0.0,
                bytes_per_item: 1.0,
                bytes_per_event: 1.0,
                retention_days: 1.0,
                embedding_dims: 0.0,
                bytes_per_dim: 4.0,
                candidates_per_request: 1.0,
                gflops_per_item: 1.0,
                hardware: "gpu-t4".into(),
                utilisation: 0.3,
                bytes_per_request: 1.0,
            },
            questions: vec![ClarifyingQuestion {
                id: "scale".into(),
                topic: "Scale".into(),
                question: "q".into(),
                answer: "a".into(),
            }],
            steps: (1..=7).map(step).collect(),
        }
    }

    #[test]
    fn edits_change_the_session_and_report_it() {
        let st = study();
        let mut s = Session::new(&st);
        assert!(s.apply(
            &st,
            SessionEdit::SetAnswer {
                step: 1,
                text: "x".into()
            },
            0.0
        ));
        assert!(!s.apply(
            &st,
            SessionEdit::SetAnswer {
                step: 1,
                text: "x".into()
            },
            0.0
        ));
        assert!(s.apply(&st, SessionEdit::ToggleCheck { step: 1, index: 1 }, 0.0));
        assert!(s.step(1).ticked.contains(&1));
        assert!(s.apply(&st, SessionEdit::ToggleCheck { step: 1, index: 1 }, 0.0));
        assert!(s.step(1).ticked.is_empty());
        assert!(!s.apply(&st, SessionEdit::ToggleCheck { step: 1, index: 2 }, 0.0));
        assert!(s.apply(&st, SessionEdit::GoToStep(9), 0.0));
        assert_eq!(s.current_step, 7);
    }

    #[test]
    fn hints_stop_at_the_last_one_and_questions_are_asked_once() {
        let st = study();
        let mut s = Session::new(&st);
        assert!(s.apply(&st, SessionEdit::RevealNextHint { step: 2 }, 0.0));
        assert!(s.apply(&st, SessionEdit::RevealNextHint { step: 2 }, 0.0));
        assert!(!s.apply(&st, SessionEdit::RevealNextHint { step: 2 }, 0.0));
        assert_eq!(s.step(2).hints_revealed, 2);
        assert!(s.apply(&st, SessionEdit::AskQuestion("scale".into()), 0.0));
        assert!(!s.apply(&st, SessionEdit::AskQuestion("scale".into()), 0.0));
        assert!(!s.apply(&st, SessionEdit::AskQuestion("nope".into()), 0.0));
        assert_eq!(s.questions_asked, vec!["scale".to_owned()]);
    }

    #[test]
    fn status_follows_progress() {
        let st = study();
        let mut s = Session::new(&st);
        assert_eq!(s.status(1), StepStatus::Current);
        assert_eq!(s.status(2), StepStatus::NotStarted);
        s.apply(&st, SessionEdit::RevealNextHint { step: 2 }, 0.0);
        assert_eq!(s.status(2), StepStatus::Started);
        s.apply(
            &st,
            SessionEdit::SetDone {
                step: 1,
                done: true,
            },
            0.0,
        );
        assert_eq!(s.status(1), StepStatus::Done);
    }

    #[test]
    fn time_goes_to_the_current_step() {
        let st = study();
        let mut s = Session::new(&st);
        s.add_time(2.5);
        s.apply(&st, SessionEdit::GoToStep(3), 0.0);
        s.add_time(4.0);
        s.add_time(f64::NAN);
        s.add_time(-1.0);
        assert_eq!(s.step(1).seconds_spent, 2.5);
        assert_eq!(s.step(3).seconds_spent, 4.0);
        assert_eq!(s.total_seconds(), 6.5);
    }
}

/// Counts time on the step on screen: the gap between two ticks counts when
/// the window was in view at both and the gap is no longer than
/// [`MAX_TICK_GAP_SECS`] (longer means the machine slept).
#[derive(Debug, Clone, Copy, Default)]
pub struct StepClock {
    /// The last tick, and whether the window was in view then.
    last: Option<(f64, bool)>,
}

impl StepClock {
    /// Seconds to add to the current step at a tick at `now_secs`.
    pub fn tick(&mut self, now_secs: f64, counting: bool) -> f64 {
        let last = self.last.replace((now_secs, counting));
        match last {
            Some((then, was_counting)) if was_counting && counting => {
                let gap = now_secs - then;
                if gap.is_finite() && (0.0..=MAX_TICK_GAP_SECS).contains(&gap) {
                    gap
                } else {
                    0.0
                }
            }
            _ => 0.0,
        }
    }
}
