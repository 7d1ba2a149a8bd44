//! Checks that a parsed case study is complete, reporting every problem at once.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;

use super::coverage;
use super::error::{ContentError, Position};
use super::schema::{
    CASE_STUDY_FORMAT_VERSION, CaseStudy, KNOWN_TAGS, PEAK_QPS_TOLERANCE, StepContent,
};
use crate::framework::{STEP_COUNT, STEPS};

/// Fewest clarifying questions a case study offers.
pub const MIN_QUESTIONS: usize = 8;
/// Fewest checklist points per step.
pub const MIN_CHECKLIST: usize = 5;
/// Fewest hints per step.
pub const MIN_HINTS: usize = 2;
/// Fewest interviewer follow-ups per step.
pub const MIN_FOLLOW_UPS: usize = 2;
/// Fewest pitfalls per step.
pub const MIN_PITFALLS: usize = 1;
/// Share of its own checklist a step's reference answer must cover by the
/// points' signal phrases: the signals must recognise a strong answer.
pub const MIN_REFERENCE_COVERAGE: f64 = 0.9;
/// Most of another case's same step a case's signals may match: signals
/// that fit any answer would tell the candidate nothing.
pub const MAX_FOREIGN_COVERAGE: f64 = 0.2;
/// Allowed length of a reference answer, in words.
pub const REFERENCE_WORDS: Range<usize> = 150..451;

/// Words in a markdown text, as a reader would count them.
pub fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// True for ids like `video-recommendation`.
pub fn is_kebab_id(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// Every problem in `study`, positioned in `source` as well as the text allows.
pub fn validate(study: &CaseStudy, file: &Path, source: &str) -> Vec<ContentError> {
    let mut v = Validator {
        file,
        source,
        errors: Vec::new(),
    };
    v.top_level(study);
    v.sizing(study);
    v.questions(study);
    v.steps(study);
    v.errors
}

/// Offset of the first `field:` inside `range` of `source`.
pub(super) fn field_offset(source: &str, range: Range<usize>, field: &str) -> Option<usize> {
    let hay = &source[range.clone()];
    let needle = format!("{field}:");
    hay.match_indices(&needle)
        .find(|(i, _)| {
            hay[..*i]
                .chars()
                .next_back()
                .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
        })
        .map(|(i, _)| range.start + i)
}

struct Validator<'a> {
    file: &'a Path,
    source: &'a str,
    errors: Vec<ContentError>,
}

impl Validator<'_> {
    fn report(&mut self, offset: Option<usize>, message: String) {
        let position = offset.map_or(Position::START, |o| Position::of_offset(self.source, o));
        self.errors.push(ContentError {
            file: self.file.to_path_buf(),
            position,
            message,
        });
    }

    /// Byte range of the `index`-th `Name(` block, up to the next one.
    fn block(&self, name: &str, index: usize) -> Option<Range<usize>> {
        let needle = format!("{name}(");
        let starts: Vec<usize> = self.source.match_indices(&needle).map(|(i, _)| i).collect();
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).copied().unwrap_or(self.source.len());
        Some(start..end)
    }

    /// Offset of `field:` inside `range` (the whole file when `None`).
    fn field(&self, range: Option<Range<usize>>, field: &str) -> Option<usize> {
        field_offset(self.source, range.unwrap_or(0..self.source.len()), field)
    }

    fn top_level(&mut self, s: &CaseStudy) {
        if s.format_version != CASE_STUDY_FORMAT_VERSION {
            let at = self.field(None, "format_version");
            self.report(
                at,
                format!(
                    "format_version {} is not supported; this app reads version {}",
                    s.format_version, CASE_STUDY_FORMAT_VERSION
                ),
            );
        }
        if !is_kebab_id(&s.id) {
            let at = self.field(None, "id");
            self.report(
                at,
                format!("id \"{}\" must be kebab-case (a-z, 0-9, -)", s.id),
            );
        }
        for (name, text) in [
            ("title", &s.title),
            ("summary", &s.summary),
            ("problem", &s.problem),
        ] {
            if text.trim().is_empty() {
                let at = self.field(None, name);
                self.report(at, format!("{name} is empty"));
            }
        }
        let tags_at = self.field(None, "tags");
        if s.tags.is_empty() {
            self.report(tags_at, "tags is empty: give at least one area tag".into());
        }
        let mut seen = HashSet::new();
        for tag in &s.tags {
            if !KNOWN_TAGS.contains(&tag.as_str()) {
                self.report(
                    tags_at,
                    format!(
                        "unknown tag \"{tag}\"; known tags: {}",
                        KNOWN_TAGS.join(", ")
                    ),
                );
            }
            if !seen.insert(tag) {
                self.report(tags_at, format!("tag \"{tag}\" is listed twice"));
            }
        }
        let sc = s.scenario;
        for (name, value) in [
            ("daily_active_users", sc.daily_active_users),
            ("requests_per_user_per_day", sc.requests_per_user_per_day),
            ("peak_to_mean", sc.peak_to_mean),
            ("peak_qps", sc.peak_qps),
            ("p99_sla_ms", sc.p99_sla_ms),
            ("monthly_budget_usd", sc.monthly_budget_usd),
        ] {
            if !(value.is_finite() && value > 0.0) {
                let at = self.field(None, name);
                self.report(
                    at,
                    format!("scenario.{name} must be a number above 0, not {value}"),
                );
            }
        }
        let derived = sc.derived_peak_qps();
        if derived.is_finite()
            && derived > 0.0
            && (sc.peak_qps / derived - 1.0).abs() > PEAK_QPS_TOLERANCE
        {
            let at = self.field(None, "peak_qps");
            self.report(
                at,
                format!(
                    "scenario.peak_qps is {} but daily_active_users × requests_per_user_per_day / 86,400 × peak_to_mean gives {derived:.0}",
                    sc.peak_qps
                ),
            );
        }
    }

    fn sizing(&mut self, s: &CaseStudy) {
        let inputs = super::EstimateInputs::from_case(s);
        // The traffic figures are the scenario's, checked with it.
        let traffic = [
            "daily_active_users",
            "actions_per_user_per_day",
            "peak_to_mean",
        ];
        if let Some(problem) = inputs.invalid_number()
            && let Some(name) = problem.split(' ').next()
            && !traffic.contains(&name)
        {
            let at = self.field(self.block("Sizing", 0), name);
            self.report(at, format!("sizing: {problem}"));
        }
        if s.sizing.hardware.trim().is_empty() {
            let at = self.field(self.block("Sizing", 0), "hardware");
            self.report(
                at,
                "sizing.hardware must name a hardware catalog id".to_owned(),
            );
        }
    }

    fn questions(&mut self, s: &CaseStudy) {
        if s.questions.len() < MIN_QUESTIONS {
            let at = self.field(None, "questions");
            self.report(
                at,
                format!(
                    "only {} clarifying questions; at least {MIN_QUESTIONS} are needed",
                    s.questions.len()
                ),
            );
        }
        let mut ids = HashSet::new();
        for (i, q) in s.questions.iter().enumerate() {
            let block = self.block("ClarifyingQuestion", i);
            let at = block.clone().map(|r| r.start);
            let label = format!("question {} (\"{}\")", i + 1, q.id);
            if !is_kebab_id(&q.id) {
                self.report(at, format!("{label}: id must be kebab-case"));
            }
            if !ids.insert(q.id.as_str()) {
                self.report(at, format!("{label}: id is used twice"));
            }
            for (name, text) in [
                ("topic", &q.topic),
                ("question", &q.question),
                ("answer", &q.answer),
            ] {
                if text.trim().is_empty() {
                    let at = self.field(block.clone(), name).or(at);
                    self.report(at, format!("{label}: {name} is empty"));
                }
            }
        }
    }

    fn steps(&mut self, s: &CaseStudy) {
        if s.steps.len() != STEP_COUNT {
            let at = self.field(None, "steps");
            self.report(
                at,
                format!(
                    "{} steps given; exactly {STEP_COUNT} are needed, one per framework step",
                    s.steps.len()
                ),
            );
        }
        let given: HashSet<u8> = s.steps.iter().map(|st| st.step).collect();
        for fs in STEPS.iter().filter(|fs| !given.contains(&fs.number)) {
            let at = self.field(None, "steps");
            self.report(at, format!("step {} ({}) is missing", fs.number, fs.name));
        }
        for (i, step) in s.steps.iter().enumerate() {
            self.step(i, step);
        }
    }

    fn step(&mut self, index: usize, st: &StepContent) {
        let block = self.block("StepContent", index);
        let at = block.clone().map(|r| r.start);
        let expected = index + 1;
        let label = match crate::framework::step(st.step) {
            Some(fs) => format!("step {} ({})", st.step, fs.name),
            None => format!("step {}", st.step),
        };
        if usize::from(st.step) != expected {
            let at = self.field(block.clone(), "step").or(at);
            self.report(
                at,
                format!(
                    "{label} is entry {expected} of steps; steps must be numbered 1 to {STEP_COUNT} in order"
                ),
            );
        }
        for (name, text) in [("prompt", &st.prompt), ("guidance", &st.guidance)] {
            if text.trim().is_empty() {
                let at = self.field(block.clone(), name).or(at);
                self.report(at, format!("{label}: {name} is empty"));
            }
        }
        for (name, items, min) in [
            ("checklist", &st.checklist, MIN_CHECKLIST),
            ("hints", &st.hints, MIN_HINTS),
            ("follow_ups", &st.follow_ups, MIN_FOLLOW_UPS),
            ("pitfalls", &st.pitfalls, MIN_PITFALLS),
        ] {
            let field_at = self.field(block.clone(), name).or(at);
            if items.len() < min {
                self.report(
                    field_at,
                    format!(
                        "{label}: {name} has {} entries; at least {min} are needed",
                        items.len()
                    ),
                );
            }
            if let Some(blank) = items.iter().position(|t| t.trim().is_empty()) {
                self.report(
                    field_at,
                    format!("{label}: {name} entry {} is empty", blank + 1),
                );
            }
        }
        self.signals(block.clone(), &label, st);
        let words = word_count(&st.reference);
        if !REFERENCE_WORDS.contains(&words) {
            let at = self.field(block, "reference").or(at);
            self.report(
                at,
                format!(
                    "{label}: reference answer has {words} words; it must have {} to {}",
                    REFERENCE_WORDS.start,
                    REFERENCE_WORDS.end - 1
                ),
            );
        }
    }
}

impl Validator<'_> {
    /// Every checklist point has signal phrases, and together they
    /// recognise the step's own reference answer.
    fn signals(&mut self, block: Option<Range<usize>>, label: &str, st: &StepContent) {
        let at = self
            .field(block.clone(), "signals")
            .or_else(|| self.field(block, "checklist"));
        if st.signals.len() != st.checklist.len() {
            self.report(
                at,
                format!(
                    "{label}: signals has {} entries but checklist has {}; give each point its phrases, in the same order",
                    st.signals.len(),
                    st.checklist.len()
                ),
            );
            return;
        }
        for (i, phrases) in st.signals.iter().enumerate() {
            let empty = phrases.is_empty()
                || phrases
                    .iter()
                    .any(|p| coverage::normalised_words(p).is_empty());
            if empty {
                self.report(
                    at,
                    format!(
                        "{label}: signals entry {} (for \"{}\") needs at least one phrase with a word in it",
                        i + 1,
                        st.checklist[i]
                    ),
                );
            }
        }
        let own = coverage::step_coverage(&st.reference, st);
        if own.fraction() < MIN_REFERENCE_COVERAGE {
            let missing: Vec<String> = own
                .missing()
                .map(|p| format!("{} \"{}\"", p.index + 1, p.point))
                .collect();
            self.report(
                at,
                format!(
                    "{label}: the reference answer covers {} of {} checklist points by their signals ({:.0}% needed); not found: {}",
                    own.covered().count(),
                    own.points.len(),
                    MIN_REFERENCE_COVERAGE * 100.0,
                    missing.join("; ")
                ),
            );
        }
    }
}

/// Steps whose signals also match much of another case study's reference
/// answer for the same step (more than [`MAX_FOREIGN_COVERAGE`]): phrases
/// so generic that they would recognise any answer. One message per pair.
pub fn generic_signals(studies: &[CaseStudy]) -> Vec<String> {
    let mut problems = Vec::new();
    for own in studies {
        for other in studies.iter().filter(|o| o.id != own.id) {
            for (mine, theirs) in own.steps.iter().zip(&other.steps) {
                if mine.signals.is_empty() {
                    continue;
                }
                let cov = coverage::step_coverage(&theirs.reference, mine);
                if cov.fraction() > MAX_FOREIGN_COVERAGE {
                    let matched: Vec<String> = cov
                        .covered()
                        .filter_map(|p| p.matched.as_ref().map(|m| format!("\"{m}\"")))
                        .collect();
                    problems.push(format!(
                        "{} step {}: its signals cover {:.0}% of {}'s step {} reference ({:.0}% at most); too generic: {}",
                        own.id,
                        mine.step,
                        cov.fraction() * 100.0,
                        other.id,
                        theirs.step,
                        MAX_FOREIGN_COVERAGE * 100.0,
                        matched.join(", ")
                    ));
                }
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kebab_ids() {
        assert!(is_kebab_id("video-recommendation"));
        assert!(is_kebab_id("a1"));
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b"] {
            assert!(!is_kebab_id(bad), "{bad:?} accepted");
        }
    }

    #[test]
    fn word_count_ignores_markdown_punctuation() {
        assert_eq!(word_count("## Plan\n- one, two\n- **three** |"), 4);
        assert_eq!(word_count(""), 0);
    }
}
