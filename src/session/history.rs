//! A session's history, for replaying how a design evolved: each change
//! to an answer or a diagram, stamped with the session clock (the seconds
//! spent on the steps, so pauses do not count).
//!
//! It stays compact: a burst of changes to the same answer or diagram with
//! no pause of `PAUSE_SECS` is kept as one moment (its last state), and
//! when the history grows past `MAX_MOMENTS` moments or `MAX_BYTES` (an
//! upper estimate of what it takes in the session file), its oldest part is
//! folded into the state it starts from. The bound keeps a session with a
//! history well inside the session file's own size limit.

use serde::{Deserialize, Serialize};

use crate::diagram::Diagram;

/// A pause this long (session seconds) ends a burst of changes.
pub const PAUSE_SECS: f64 = 2.0;
/// How long before its first change a history starts.
pub const START_LEAD_SECS: f64 = 1.0;
/// Most moments kept.
pub const MAX_MOMENTS: usize = 1_500;
/// Most bytes (estimated from above) the history may take in a session
/// file, starting state included.
pub const MAX_BYTES: usize = 24 * 1024 * 1024;

/// Upper estimates of the bytes a diagram's parts take in a session file,
/// nested in a history, apart from their text (a test holds them between
/// what is written and twice that).
const NODE_BYTES: usize = 900;
const NODE_SIM_BYTES: usize = 1_500;
const EDGE_BYTES: usize = 700;
const GROUP_BYTES: usize = 400;
const MEMBER_BYTES: usize = 60;
const CHANGE_BYTES: usize = 300;

/// The state of one answer or one diagram.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Change {
    /// A step's whole answer.
    Answer { step: u8, text: String },
    /// A diagram's whole content.
    Diagram { name: String, diagram: Diagram },
}

impl Change {
    fn same_item(&self, other: &Change) -> bool {
        match (self, other) {
            (Change::Answer { step: a, .. }, Change::Answer { step: b, .. }) => a == b,
            (Change::Diagram { name: a, .. }, Change::Diagram { name: b, .. }) => a == b,
            _ => false,
        }
    }

    /// At least the bytes it takes in a session file.
    fn bytes(&self) -> usize {
        // A quote, backslash or control character is escaped: two bytes
        // (a control character as \u{..} takes more, counted as eight).
        let text = |s: &str| {
            s.len()
                + s.chars()
                    .map(|c| match c {
                        '"' | '\\' => 1,
                        c if c.is_control() => 8,
                        _ => 0,
                    })
                    .sum::<usize>()
        };
        CHANGE_BYTES
            + match self {
                Change::Answer { text: t, .. } => text(t),
                Change::Diagram { name, diagram } => {
                    let nodes: usize = diagram
                        .nodes
                        .iter()
                        .map(|n| {
                            let sim = if n.sim.is_some() { NODE_SIM_BYTES } else { 0 };
                            NODE_BYTES + sim + text(&n.label) + text(&n.notes)
                        })
                        .sum();
                    let edges: usize = diagram
                        .edges
                        .iter()
                        .map(|e| EDGE_BYTES + text(&e.label))
                        .sum();
                    let groups: usize = diagram
                        .groups
                        .iter()
                        .map(|g| GROUP_BYTES + text(&g.label) + MEMBER_BYTES * g.members.len())
                        .sum();
                    text(name) + nodes + edges + groups
                }
            }
    }
}

/// A change at a moment of the session clock.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Moment {
    pub at_secs: f64,
    pub change: Change,
}

/// The history: the state of each item that changed, as it was at
/// `start_secs`, then the moments after it in time order.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct History {
    pub start_secs: f64,
    pub start: Vec<Change>,
    pub moments: Vec<Moment>,
    /// The estimate of `start` and `moments` in bytes, kept as they change
    /// so recording an edit does not walk the whole history (set on load
    /// by `validate`).
    #[serde(skip)]
    bytes: usize,
}

/// Histories are equal when they hold the same moments; the byte count
/// follows from them.
impl PartialEq for History {
    fn eq(&self, other: &History) -> bool {
        self.start_secs == other.start_secs
            && self.start == other.start
            && self.moments == other.moments
    }
}

/// Answers and diagrams as they were at one moment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Snapshot {
    /// Each step's answer, steps 1 to 7.
    pub answers: [String; 7],
    /// Diagrams in the order they first appear.
    pub diagrams: Vec<(String, Diagram)>,
    /// The item changed last (at or before the moment), if any.
    pub last: Option<Change>,
}

impl Snapshot {
    fn set(&mut self, change: &Change) {
        match change {
            Change::Answer { step, text } => {
                if let Some(slot) = self.answers.get_mut(usize::from(step.saturating_sub(1))) {
                    slot.clone_from(text);
                }
            }
            Change::Diagram { name, diagram } => {
                match self.diagrams.iter_mut().find(|(n, _)| n == name) {
                    Some((_, d)) => d.clone_from(diagram),
                    None => self.diagrams.push((name.clone(), diagram.clone())),
                }
            }
        }
    }

    /// The diagram called `name`.
    pub fn diagram(&self, name: &str) -> Option<&Diagram> {
        self.diagrams
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| d)
    }
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.start.is_empty() && self.moments.is_empty()
    }

    /// The span the history covers, in session seconds.
    pub fn span(&self) -> (f64, f64) {
        let end = self.moments.last().map_or(self.start_secs, |m| m.at_secs);
        (self.start_secs, end.max(self.start_secs))
    }

    /// Records `after`, the new state of an item, at `at_secs`. `before`
    /// gives the item's state until now; it is asked for only when the
    /// history has never seen the item (`None`: it did not exist).
    pub fn record(&mut self, at_secs: f64, before: impl FnOnce() -> Option<Change>, after: Change) {
        // The history starts a second before its first change, so the
        // state before that change has its own place on the timeline.
        if self.is_empty() {
            self.start_secs = (at_secs - START_LEAD_SECS).max(0.0);
        }
        // The clock never runs back, even if a caller's does.
        let at_secs = at_secs
            .max(self.span().1)
            .max(self.start_secs + START_LEAD_SECS);
        let seen = self.start.iter().any(|c| c.same_item(&after))
            || self.moments.iter().any(|m| m.change.same_item(&after));
        if !seen && let Some(before) = before() {
            self.bytes += before.bytes();
            self.start.push(before);
        }
        self.bytes += after.bytes();
        match self.moments.last_mut() {
            Some(last) if last.change.same_item(&after) && at_secs - last.at_secs < PAUSE_SECS => {
                self.bytes -= last.change.bytes();
                last.at_secs = at_secs;
                last.change = after;
            }
            _ => self.moments.push(Moment {
                at_secs,
                change: after,
            }),
        }
        self.keep_within_limits();
    }

    /// Answers and diagrams as they were at `at_secs` (before the history
    /// started: as they were at its start), from `now`, the state at its
    /// end: what the history never saw change is as it is now, and a
    /// diagram made during the history is left out until it was made.
    pub fn at(&self, now: Snapshot, at_secs: f64) -> Snapshot {
        let mut snapshot = now;
        snapshot.last = None;
        let in_start = |name: &str| {
            self.start
                .iter()
                .any(|c| matches!(c, Change::Diagram { name: n, .. } if n == name))
        };
        let made_later = |name: &str| {
            !in_start(name)
                && self
                    .moments
                    .iter()
                    .any(|m| matches!(&m.change, Change::Diagram { name: n, .. } if n == name))
        };
        snapshot.diagrams.retain(|(name, _)| !made_later(name));
        for change in &self.start {
            snapshot.set(change);
        }
        for m in self.moments.iter().take_while(|m| m.at_secs <= at_secs) {
            snapshot.set(&m.change);
            snapshot.last = Some(m.change.clone());
        }
        snapshot
    }

    /// Checks a history read from a file: times finite, not negative and in
    /// order, steps 1 to 7, each diagram within a diagram's limits (and
    /// repaired as a diagram is); then folds it within the history's own
    /// limits. Says what is wrong otherwise.
    pub fn validate(&mut self) -> Result<(), String> {
        let times = std::iter::once(self.start_secs).chain(self.moments.iter().map(|m| m.at_secs));
        let mut last = 0.0;
        for (i, t) in times.enumerate() {
            if !t.is_finite() || t < last {
                let what = if i == 0 {
                    "its start".to_owned()
                } else {
                    format!("moment {i}")
                };
                return Err(format!(
                    "the history's times must be finite seconds in order; {what} is at {t}"
                ));
            }
            last = t;
        }
        let changes = self
            .start
            .iter_mut()
            .chain(self.moments.iter_mut().map(|m| &mut m.change));
        for change in changes {
            match change {
                Change::Answer { step, .. } if !(1..=7).contains(step) => {
                    return Err(format!("the history has an answer to step {step}"));
                }
                Change::Answer { .. } => {}
                Change::Diagram { name, diagram } => diagram
                    .sanitize()
                    .map_err(|e| format!("the history's diagram \"{name}\": {e}"))?,
            }
        }
        self.bytes = self.count_bytes();
        self.keep_within_limits();
        Ok(())
    }

    /// Each state the history holds of diagram `name`, with its time, from
    /// the start on; empty states are left out (an export of nothing).
    pub fn frames_of(&self, name: &str) -> Vec<(f64, Diagram)> {
        let of = |c: &Change| match c {
            Change::Diagram { name: n, diagram } if n == name && !diagram.is_empty() => {
                Some(diagram.clone())
            }
            _ => None,
        };
        let start = self
            .start
            .iter()
            .filter_map(of)
            .map(|d| (self.start_secs, d));
        let later = self
            .moments
            .iter()
            .filter_map(|m| of(&m.change).map(|d| (m.at_secs, d)));
        start.chain(later).collect()
    }

    fn bytes(&self) -> usize {
        self.bytes
    }

    /// `bytes` counted afresh from the contents.
    fn count_bytes(&self) -> usize {
        self.start.iter().map(Change::bytes).sum::<usize>()
            + self.moments.iter().map(|m| m.change.bytes()).sum::<usize>()
    }

    /// Folds the oldest moments into the starting state until the history
    /// is within its limits again (a tenth of them at a time, so folding
    /// is rare).
    pub(super) fn keep_within_limits(&mut self) {
        while self.moments.len() > 1
            && (self.moments.len() > MAX_MOMENTS || self.bytes() > MAX_BYTES)
        {
            let fold = (self.moments.len() / 10).clamp(1, self.moments.len() - 1);
            for m in self.moments.drain(..fold) {
                self.start_secs = m.at_secs;
                // The moment's bytes stay; a starting state it replaces goes.
                match self.start.iter_mut().find(|c| c.same_item(&m.change)) {
                    Some(c) => {
                        self.bytes -= c.bytes();
                        *c = m.change;
                    }
                    None => self.start.push(m.change),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{ComponentKind, DiagramEdit, Point};

    fn answer(step: u8, text: &str) -> Change {
        Change::Answer {
            step,
            text: text.into(),
        }
    }

    fn diagram_with(nodes: usize) -> Diagram {
        let mut d = Diagram::default();
        for i in 0..nodes {
            d.apply(DiagramEdit::AddNode {
                kind: ComponentKind::Cache,
                pos: Point::new(i as f32 * 200.0, 0.0),
            });
        }
        d
    }

    #[test]
    fn typing_without_a_pause_is_one_moment_and_a_pause_starts_another() {
        let mut h = History::default();
        h.record(10.0, || Some(answer(1, "")), answer(1, "a"));
        h.record(11.0, || None, answer(1, "ab"));
        h.record(12.5, || None, answer(1, "abc"));
        assert_eq!(h.moments.len(), 1);
        assert_eq!(h.moments[0].at_secs, 12.5);
        h.record(20.0, || None, answer(1, "abcd"));
        assert_eq!(h.moments.len(), 2);
        // Another item in between ends the burst too.
        h.record(20.5, || Some(answer(2, "x")), answer(2, "xy"));
        h.record(21.0, || None, answer(1, "abcde"));
        assert_eq!(h.moments.len(), 4);
    }

    #[test]
    fn each_moment_shows_what_was_there_then() {
        let mut h = History::default();
        h.record(5.0, || Some(answer(3, "old")), answer(3, "new"));
        h.record(
            9.0,
            || None,
            Change::Diagram {
                name: "Serving".into(),
                diagram: diagram_with(2),
            },
        );
        h.record(30.0, || None, answer(3, "newer"));
        let at = |t| h.at(Snapshot::default(), t);
        assert_eq!(at(0.0).answers[2], "old");
        assert_eq!(at(5.0).answers[2], "new");
        assert!(at(8.9).diagram("Serving").is_none(), "not drawn yet");
        assert_eq!(at(9.0).diagram("Serving").map(|d| d.nodes.len()), Some(2));
        assert_eq!(at(29.0).answers[2], "new");
        assert_eq!(at(30.0).answers[2], "newer");
        assert_eq!(at(30.0).last, Some(answer(3, "newer")));
        assert_eq!(h.span(), (4.0, 30.0));
        // Just before the first change: the answer as it was.
        assert_eq!(at(4.5).answers[2], "old");
    }

    #[test]
    fn the_oldest_moments_fold_into_the_start_and_later_ones_stay_exact() {
        let mut h = History::default();
        for i in 0..(MAX_MOMENTS + 200) {
            let t = i as f64 * 10.0;
            h.record(t, || Some(answer(1, "")), answer(1, &format!("v{i}")));
        }
        assert!(h.moments.len() <= MAX_MOMENTS);
        let (start, end) = h.span();
        assert!(start > 0.0, "the start moved up");
        assert_eq!(end, (MAX_MOMENTS + 199) as f64 * 10.0);
        // At the start the answer is the one of that moment, not the first.
        let first_kept = (start / 10.0).round() as usize;
        let at = |t| h.at(Snapshot::default(), t);
        assert_eq!(at(start).answers[0], format!("v{first_kept}"));
        assert_eq!(at(end - 10.0).answers[0], format!("v{}", MAX_MOMENTS + 198));
    }

    #[test]
    fn big_diagrams_are_kept_within_the_bytes() {
        let mut h = History::default();
        let big = diagram_with(2_000);
        for i in 0..100 {
            h.record(
                i as f64 * 5.0,
                || None,
                Change::Diagram {
                    name: "Serving".into(),
                    diagram: big.clone(),
                },
            );
        }
        assert!(h.bytes() <= MAX_BYTES, "{}", h.bytes());
        assert!(h.moments.len() >= 4, "{}", h.moments.len());
    }

    #[test]
    fn the_estimate_bounds_the_bytes_a_history_takes_in_a_session_file() {
        let library = crate::content::bundled();
        let study = library.get("harmful-content-detection").expect("shipped");
        let plain = crate::session::Session::new(study);
        let escaped = "a \"quoted\" label\twith\\escapes é ".repeat(20);
        for (label, with_sim) in [("x", true), ("x", false), (escaped.as_str(), true)] {
            let mut with = plain.clone();
            let d = awkward_diagram(label, with_sim);
            for i in 0..3 {
                with.history.record(
                    i as f64 * 10.0,
                    || Some(answer(1, label)),
                    Change::Diagram {
                        name: label.to_owned(),
                        diagram: d.clone(),
                    },
                );
            }
            let written = crate::session::session_to_string(&with).len()
                - crate::session::session_to_string(&plain).len();
            let estimate = with.history.bytes();
            let case = format!("{} label, sim {with_sim}", label.len());
            assert!(
                written <= estimate,
                "{case}: {written} written, {estimate} estimated"
            );
            // Not so far above that the limit keeps much less than it could.
            assert!(
                estimate < 2 * written,
                "{case}: {written} written, {estimate} estimated"
            );
        }
    }

    /// 40 nodes labelled `label` (notes too) in a chain, every edge
    /// labelled, all in one group; with every simulator field set, if asked.
    fn awkward_diagram(label: &str, with_sim: bool) -> Diagram {
        use crate::diagram::{Autoscale, NodeSim};
        let mut d = diagram_with(40);
        let ids: Vec<_> = d.nodes.iter().map(|n| n.id).collect();
        for (i, n) in d.nodes.iter_mut().enumerate() {
            n.label = label.to_owned();
            n.notes = label.to_owned();
            n.pos = Point::new(-123_456.79 + i as f32, 987_654.3);
            n.sim = with_sim.then(|| NodeSim {
                queue_limit: Some(u32::MAX),
                timeout_ms: Some(123_456.789_012),
                autoscale: Some(Autoscale::default()),
                mtbf_hours: Some(8_765.432_1),
                mttr_hours: Some(0.123_456_789),
                hardware_id: "cpu-c6i-2xlarge".into(),
                ..NodeSim::default()
            });
        }
        for w in ids.windows(2) {
            d.apply(DiagramEdit::Connect {
                from: w[0],
                to: w[1],
            });
        }
        for e in &mut d.edges {
            e.label = label.to_owned();
        }
        d.apply(DiagramEdit::Group {
            members: ids,
            label: label.to_owned(),
        });
        d
    }

    #[test]
    fn what_never_changed_is_as_now_and_a_diagram_made_later_appears_then() {
        let mut h = History::default();
        h.record(10.0, || Some(answer(1, "before")), answer(1, "after"));
        h.record(
            20.0,
            || None,
            Change::Diagram {
                name: "Serving v2".into(),
                diagram: diagram_with(1),
            },
        );
        let mut now = Snapshot::default();
        now.answers[0] = "after".into();
        now.answers[4] = "untouched".into();
        now.diagrams = vec![
            ("Serving".into(), diagram_with(3)),
            ("Serving v2".into(), diagram_with(1)),
        ];
        let early = h.at(now.clone(), 9.5);
        assert_eq!(early.answers[0], "before");
        assert_eq!(early.answers[4], "untouched");
        assert!(early.diagram("Serving v2").is_none(), "not made yet");
        assert_eq!(early.diagram("Serving").map(|d| d.nodes.len()), Some(3));
        let late = h.at(now, 20.0);
        assert_eq!(late.diagram("Serving v2").map(|d| d.nodes.len()), Some(1));
    }

    #[test]
    fn a_history_from_a_file_is_checked_and_folded() {
        let mut bad = History::default();
        bad.record(10.0, || None, answer(1, "a"));
        bad.moments[0].at_secs = f64::NAN;
        assert!(bad.validate().unwrap_err().contains("moment 1"));
        let mut wrong_step = History::default();
        wrong_step.record(10.0, || None, answer(9, "a"));
        assert!(wrong_step.validate().unwrap_err().contains("step 9"));
        let mut long = History::default();
        for i in 0..MAX_MOMENTS {
            long.record(i as f64 * 10.0, || None, answer(1, &i.to_string()));
        }
        // A file can hold more than the app keeps: it is folded on load.
        long.moments
            .extend(long.moments.clone().into_iter().map(|mut m| {
                m.at_secs += 1e6;
                m
            }));
        long.validate().expect("valid");
        assert!(long.moments.len() <= MAX_MOMENTS);
        assert_eq!(long.bytes(), long.count_bytes());
    }

    #[test]
    fn the_byte_count_kept_while_recording_matches_a_fresh_count() {
        let mut h = History::default();
        let big = diagram_with(300);
        for i in 0..2_000 {
            let t = i as f64 * if i % 3 == 0 { 0.5 } else { 5.0 };
            let change = match i % 4 {
                0 => answer(1 + (i % 7) as u8, &"x".repeat(i)),
                1 => Change::Diagram {
                    name: format!("d{}", i % 3),
                    diagram: big.clone(),
                },
                _ => answer(2, "short"),
            };
            h.record(t, || Some(answer(3, "before")), change);
        }
        assert!(h.start_secs > 0.0, "folds happened");
        assert_eq!(h.bytes(), h.count_bytes());
    }

    #[test]
    fn a_clock_that_runs_back_does_not_reorder_moments() {
        let mut h = History::default();
        h.record(50.0, || None, answer(1, "a"));
        h.record(40.0, || None, answer(2, "b"));
        assert!(h.moments.windows(2).all(|w| w[0].at_secs <= w[1].at_secs));
    }
}
