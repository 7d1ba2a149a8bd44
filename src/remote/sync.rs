//! Keeping the interviewer's copy of the session in step with the
//! candidate's, without the network: the candidate's [`Publisher`] turns each
//! new state of the session into numbered changes; the interviewer's
//! [`Mirror`] applies each number once; [`Outbox`] numbers the interviewer's
//! requests until the candidate says they are applied.
//!
//! After a reconnect the interviewer says the last change it applied, and
//! the publisher answers with the changes after it when it still has them,
//! or a snapshot when it does not. Either way nothing is lost or applied
//! twice.

use std::collections::VecDeque;
use std::path::Path;

use super::protocol::{Change, ClockState, Control, Resume, ToGuest};
use crate::diagram::Diagram;
use crate::framework::STEP_COUNT;
use crate::mock::MockState;
use crate::session::{Session, SessionDiagram, parse_session, session_to_string};

/// Changes kept for a reconnecting interviewer; older ones are covered by a
/// snapshot.
const MAX_LOGGED_CHANGES: usize = 2_000;
/// Bytes of logged changes kept, at most.
const MAX_LOGGED_BYTES: usize = 8 * 1024 * 1024;

/// The part of a session the interviewer sees, as last published.
#[derive(Debug, Clone, PartialEq)]
struct Shared {
    answers: Vec<String>,
    diagrams: Vec<(String, Diagram)>,
    current_step: u8,
}

impl Shared {
    /// Whether `session` still shows what was published, compared in place:
    /// the app asks ten times a second, and most of the time nothing changed.
    fn matches(&self, session: &Session) -> bool {
        self.current_step == session.current_step
            && self.answers.len() == session.steps.len()
            && self
                .answers
                .iter()
                .zip(&session.steps)
                .all(|(a, s)| *a == s.answer)
            && self.diagrams.len() == session.diagrams.len()
            && self
                .diagrams
                .iter()
                .zip(&session.diagrams)
                .all(|((name, d), s)| *name == s.name && *d == s.diagram)
    }

    fn of(session: &Session) -> Shared {
        Shared {
            answers: session.steps.iter().map(|s| s.answer.clone()).collect(),
            diagrams: session
                .diagrams
                .iter()
                .map(|d| (d.name.clone(), d.diagram.clone()))
                .collect(),
            current_step: session.current_step,
        }
    }
}

/// The mock's clock as sent to the interviewer.
pub fn clock_of(mock: &MockState) -> ClockState {
    ClockState {
        config: mock.config.clone(),
        started: mock.started,
        paused: mock.paused,
        finished: mock.finished,
        clock_step: mock.clock_step,
        step_elapsed_secs: mock.step_elapsed_secs,
        total_elapsed_secs: mock.total_elapsed_secs,
    }
}

/// The candidate's side: the session as published and the numbered
/// changes that got it there.
#[derive(Debug)]
pub struct Publisher {
    /// Tells one sharing run from the next, so a resume number from an
    /// earlier run is never taken for this one's.
    epoch: u64,
    seq: u64,
    shared: Shared,
    /// The session as of `seq`, without its history: what a snapshot sends.
    session: Session,
    log: VecDeque<(u64, Change)>,
    log_bytes: usize,
    clock: Option<ClockState>,
    /// Bumped whenever the clock changes, so senders know to send it.
    clock_version: u64,
}

impl Publisher {
    /// Starts publishing `session` as change 0.
    pub fn new(session: &Session, epoch: u64) -> Publisher {
        let mut publisher = Publisher {
            epoch,
            seq: 0,
            shared: Shared::of(session),
            session: without_history(session),
            log: VecDeque::new(),
            log_bytes: 0,
            clock: None,
            clock_version: 0,
        };
        publisher.set_clock(session.mock.as_ref().map(clock_of));
        publisher
    }

    pub fn epoch(&self) -> u64 {
        self.epoch
    }

    /// The number of the last change.
    pub fn seq(&self) -> u64 {
        self.seq
    }

    pub fn clock(&self) -> Option<&ClockState> {
        self.clock.as_ref()
    }

    pub fn clock_version(&self) -> u64 {
        self.clock_version
    }

    /// Records what changed since the last call; returns whether anything did.
    pub fn publish(&mut self, session: &Session) -> bool {
        self.set_clock(session.mock.as_ref().map(clock_of));
        if self.shared.matches(session) {
            return false;
        }
        let now = Shared::of(session);
        let mut changes = Vec::new();
        for (i, (old, new)) in self.shared.answers.iter().zip(&now.answers).enumerate() {
            if old != new {
                changes.push(Change::Answer {
                    step: i as u8 + 1,
                    text: new.clone(),
                });
            }
        }
        for (name, diagram) in &now.diagrams {
            let before = self.shared.diagrams.iter().find(|(n, _)| n == name);
            if before.is_none_or(|(_, d)| d != diagram) {
                changes.push(Change::Diagram {
                    name: name.clone(),
                    diagram: ron::to_string(diagram).unwrap_or_default(),
                });
            }
        }
        for (name, _) in &self.shared.diagrams {
            if !now.diagrams.iter().any(|(n, _)| n == name) {
                changes.push(Change::RemoveDiagram { name: name.clone() });
            }
        }
        if now.current_step != self.shared.current_step {
            changes.push(Change::CurrentStep(now.current_step));
        }
        for change in changes {
            self.seq += 1;
            self.log_bytes += change_bytes(&change);
            self.log.push_back((self.seq, change));
        }
        while self.log.len() > MAX_LOGGED_CHANGES || self.log_bytes > MAX_LOGGED_BYTES {
            if let Some((_, old)) = self.log.pop_front() {
                self.log_bytes -= change_bytes(&old);
            }
        }
        self.shared = now;
        self.session = without_history(session);
        true
    }

    fn set_clock(&mut self, clock: Option<ClockState>) {
        if clock != self.clock {
            self.clock = clock;
            self.clock_version += 1;
        }
    }

    /// What brings an interviewer who last applied `resume` up to date: the
    /// changes after it, or a snapshot when those are gone or it is new.
    pub fn catch_up(&self, resume: Option<Resume>) -> Vec<ToGuest> {
        if let Some(r) = resume
            && r.epoch == self.epoch
            && r.seq <= self.seq
        {
            if r.seq == self.seq {
                return Vec::new();
            }
            if let Some(after) = self.changes_after(r.seq) {
                return after;
            }
        }
        vec![self.snapshot()]
    }

    /// The changes numbered above `seq`, or `None` when the log no longer
    /// reaches back that far.
    pub fn changes_after(&self, seq: u64) -> Option<Vec<ToGuest>> {
        let first = self.log.front().map_or(self.seq + 1, |(s, _)| *s);
        if seq + 1 < first {
            return None;
        }
        Some(
            self.log
                .iter()
                .filter(|(s, _)| *s > seq)
                .map(|(s, c)| ToGuest::Change {
                    seq: *s,
                    change: c.clone(),
                })
                .collect(),
        )
    }

    /// The whole session as of the last change.
    pub fn snapshot(&self) -> ToGuest {
        ToGuest::Snapshot {
            seq: self.seq,
            session: session_to_string(&self.session),
        }
    }
}

/// A copy of `session` without its replay history, which the interviewer
/// never sees and which can be megabytes: it is left out, not copied and
/// dropped.
fn without_history(session: &Session) -> Session {
    let Session {
        format_version,
        case_study,
        current_step,
        steps,
        questions_asked,
        diagrams,
        mock,
        estimate,
        history: _,
    } = session;
    Session {
        format_version: *format_version,
        case_study: case_study.clone(),
        current_step: *current_step,
        steps: steps.clone(),
        questions_asked: questions_asked.clone(),
        diagrams: diagrams.clone(),
        mock: mock.clone(),
        estimate: estimate.clone(),
        history: Default::default(),
    }
}

fn change_bytes(change: &Change) -> usize {
    match change {
        Change::Answer { text, .. } => text.len() + 16,
        Change::Diagram { name, diagram } => name.len() + diagram.len() + 16,
        Change::RemoveDiagram { name } => name.len() + 16,
        Change::CurrentStep(_) => 16,
    }
}

/// What applying a message from the candidate did.
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// The copy changed.
    Updated,
    /// A change already applied arrived again and was ignored.
    Duplicate,
    /// A change arrived before the ones it follows: ask for a snapshot.
    Gap { have: u64, got: u64 },
}

/// Why a message from the candidate could not be applied.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MirrorError {
    #[error("the candidate's session could not be read: {0}")]
    Session(String),
    #[error("the candidate's diagram \"{name}\" could not be read: {message}")]
    Diagram { name: String, message: String },
    #[error("a change arrived before the candidate's session")]
    NoSession,
    #[error("the candidate's app sent step {0}; steps run from 1 to 7")]
    BadStep(u8),
}

/// The interviewer's side: the candidate's session as last heard.
#[derive(Debug, Default)]
pub struct Mirror {
    epoch: u64,
    seq: u64,
    session: Option<Session>,
}

impl Mirror {
    /// Where this copy left off, for the next connection's hello.
    pub fn resume(&self) -> Option<Resume> {
        self.session.as_ref().map(|_| Resume {
            epoch: self.epoch,
            seq: self.seq,
        })
    }

    pub fn session(&self) -> Option<&Session> {
        self.session.as_ref()
    }

    /// Takes the candidate's run number from their welcome.
    pub fn welcome(&mut self, epoch: u64) {
        if epoch != self.epoch {
            // Numbers from another run mean nothing here.
            self.epoch = epoch;
            self.seq = 0;
        }
    }

    /// Applies a snapshot or a change from the candidate.
    pub fn apply(&mut self, message: &ToGuest) -> Result<Applied, MirrorError> {
        match message {
            ToGuest::Snapshot { seq, session } => {
                let session = parse_session(Path::new("the candidate's session"), session)
                    .map_err(|e| MirrorError::Session(e.to_string()))?;
                self.session = Some(session);
                self.seq = *seq;
                Ok(Applied::Updated)
            }
            ToGuest::Change { seq, change } => {
                if *seq <= self.seq && self.session.is_some() {
                    return Ok(Applied::Duplicate);
                }
                if *seq != self.seq + 1 {
                    return Ok(Applied::Gap {
                        have: self.seq,
                        got: *seq,
                    });
                }
                let session = self.session.as_mut().ok_or(MirrorError::NoSession)?;
                apply_change(session, change)?;
                self.seq = *seq;
                Ok(Applied::Updated)
            }
            ToGuest::Clock(clock) => {
                let session = self.session.as_mut().ok_or(MirrorError::NoSession)?;
                set_clock(session, clock);
                Ok(Applied::Updated)
            }
            _ => Ok(Applied::Duplicate),
        }
    }
}

fn apply_change(session: &mut Session, change: &Change) -> Result<(), MirrorError> {
    match change {
        Change::Answer { step, text } => {
            let index = usize::from(step.wrapping_sub(1));
            let progress = session
                .steps
                .get_mut(index)
                .ok_or(MirrorError::BadStep(*step))?;
            progress.answer.clone_from(text);
        }
        Change::Diagram { name, diagram } => {
            let diagram_error = |message: String| MirrorError::Diagram {
                name: name.clone(),
                message,
            };
            let mut parsed: Diagram =
                ron::from_str(diagram).map_err(|e| diagram_error(e.to_string()))?;
            parsed
                .sanitize()
                .map_err(|e| diagram_error(e.to_string()))?;
            match session.diagram_mut(name) {
                Some(existing) => *existing = parsed,
                None => session.diagrams.push(SessionDiagram {
                    name: name.clone(),
                    diagram: parsed,
                }),
            }
        }
        Change::RemoveDiagram { name } => session.diagrams.retain(|d| &d.name != name),
        Change::CurrentStep(step) => {
            if !(1..=STEP_COUNT as u8).contains(step) {
                return Err(MirrorError::BadStep(*step));
            }
            session.current_step = *step;
        }
    }
    Ok(())
}

/// Sets the candidate's clock on the interviewer's copy, keeping the
/// interviewer's own scores and notes.
pub fn set_clock(session: &mut Session, clock: &ClockState) {
    let mock = session
        .mock
        .get_or_insert_with(|| MockState::new(clock.config.clone()));
    mock.config = clock.config.clone();
    mock.started = clock.started;
    mock.paused = clock.paused;
    mock.finished = clock.finished;
    mock.clock_step = clock.clock_step.clamp(1, STEP_COUNT as u8);
    mock.step_elapsed_secs = clock.step_elapsed_secs;
    mock.total_elapsed_secs = clock.total_elapsed_secs;
    // The repair a file gets: NaN times and the like are made safe.
    let _ = mock.validate();
}

/// The interviewer's own copy of the candidate's session: the candidate's
/// work and clock, with an empty score sheet for the interviewer.
pub fn interviewer_copy(candidate: &Session) -> Session {
    let mut copy = candidate.clone();
    copy.mock = None;
    if let Some(mock) = &candidate.mock {
        set_clock(&mut copy, &clock_of(mock));
    }
    if let Some(mock) = copy.mock.as_mut() {
        mock.scorer = crate::mock::Scorer::Interviewer;
    }
    copy
}

/// Brings the interviewer's copy up to the candidate's latest work and
/// clock, keeping the interviewer's scores, notes and follow-ups.
pub fn merge_candidate(copy: &mut Session, candidate: &Session) {
    copy.steps.clone_from(&candidate.steps);
    copy.current_step = candidate.current_step;
    copy.diagrams.clone_from(&candidate.diagrams);
    copy.questions_asked.clone_from(&candidate.questions_asked);
    if let Some(mock) = &candidate.mock {
        set_clock(copy, &clock_of(mock));
    }
}

/// The interviewer's numbered requests, kept until the candidate has
/// applied them.
#[derive(Debug, Default)]
pub struct Outbox {
    next: u64,
    unapplied: VecDeque<(u64, Control)>,
}

impl Outbox {
    /// Numbers `control` and keeps it until applied.
    pub fn push(&mut self, control: Control) -> u64 {
        self.next += 1;
        self.unapplied.push_back((self.next, control));
        self.next
    }

    /// The candidate applied everything up to `through`.
    pub fn applied(&mut self, through: u64) {
        while self.unapplied.front().is_some_and(|(s, _)| *s <= through) {
            self.unapplied.pop_front();
        }
    }

    /// What is still to be applied, in order.
    pub fn pending(&self) -> impl Iterator<Item = &(u64, Control)> {
        self.unapplied.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.unapplied.is_empty()
    }
}

/// The candidate's record of the interviewer's requests: each number is
/// applied once, in order.
#[derive(Debug, Default, Clone, Copy)]
pub struct Inbox {
    applied: u64,
}

impl Inbox {
    /// True when `seq` is the next request, which is then counted applied;
    /// false for a repeat.
    pub fn accept(&mut self, seq: u64) -> bool {
        if seq == self.applied + 1 {
            self.applied = seq;
            true
        } else {
            false
        }
    }

    pub fn applied(&self) -> u64 {
        self.applied
    }
}

#[cfg(test)]
mod tests;
