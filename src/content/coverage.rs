//! What a written answer appears to cover: each checklist point carries
//! signal phrases (synonyms and paraphrases) in the case file; a point is
//! covered when one of its phrases appears in the answer. The result is a
//! suggestion the candidate confirms, so each covered point names the phrase
//! that matched.

use serde::Serialize;

use super::schema::StepContent;

/// Extra answer words allowed between the words of a phrase, so "p99
/// latency of the ranking service" matches "p99 latency".
const SLACK_WORDS: usize = 3;

/// One checklist point and whether the answer appears to cover it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PointCoverage {
    /// Index into the step's checklist.
    pub index: usize,
    pub point: String,
    /// The signal phrase found in the answer, when one was.
    pub matched: Option<String>,
}

/// How far one step's answer covers its checklist.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepCoverage {
    pub step: u8,
    pub points: Vec<PointCoverage>,
}

impl StepCoverage {
    /// The points the answer appears to cover.
    pub fn covered(&self) -> impl Iterator<Item = &PointCoverage> {
        self.points.iter().filter(|p| p.matched.is_some())
    }

    /// The points it does not yet.
    pub fn missing(&self) -> impl Iterator<Item = &PointCoverage> {
        self.points.iter().filter(|p| p.matched.is_none())
    }

    /// Covered points over all points, 0 to 1 (1 for an empty checklist).
    pub fn fraction(&self) -> f64 {
        if self.points.is_empty() {
            return 1.0;
        }
        self.covered().count() as f64 / self.points.len() as f64
    }
}

/// Which of `content`'s checklist points `answer` appears to cover.
pub fn step_coverage(answer: &str, content: &StepContent) -> StepCoverage {
    let words = normalised_words(answer);
    let points = content
        .checklist
        .iter()
        .enumerate()
        .map(|(index, point)| {
            let signals = content.signals.get(index).map_or(&[][..], Vec::as_slice);
            let matched = signals
                .iter()
                .find(|phrase| phrase_in(&normalised_words(phrase), &words))
                .cloned();
            PointCoverage {
                index,
                point: point.clone(),
                matched,
            }
        })
        .collect();
    StepCoverage {
        step: content.step,
        points,
    }
}

/// True when the words of `phrase` appear in `words` in order, each within
/// a few words of the one before.
fn phrase_in(phrase: &[String], words: &[String]) -> bool {
    let Some(first) = phrase.first() else {
        return false;
    };
    words.iter().enumerate().any(|(start, w)| {
        if w != first {
            return false;
        }
        let mut at = start;
        phrase[1..].iter().all(|next| {
            let window = words.iter().enumerate().skip(at + 1).take(SLACK_WORDS + 1);
            match window.into_iter().find(|(_, w)| *w == next) {
                Some((i, _)) => {
                    at = i;
                    true
                }
                None => false,
            }
        })
    })
}

/// Lower-case words with common English endings folded, so "features",
/// "featured" and "feature" match; `@`, `+` and `-` split words.
pub fn normalised_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| stem(&w.to_lowercase()))
        .collect()
}

fn stem(word: &str) -> String {
    // Short words and numbers stay as they are ("ids", "gbdt", "p99").
    if word.chars().count() <= 3 || word.chars().any(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    let mut root = word.to_owned();
    for (suffix, replacement) in [("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")] {
        if let Some(r) = word.strip_suffix(suffix)
            && r.chars().count() >= 3
            && !word.ends_with("ss")
        {
            root = format!("{r}{replacement}");
            break;
        }
    }
    // A final "e" goes too, so "feature", "features" and "featured" meet.
    if root.chars().count() > 3 && root.ends_with('e') {
        root.pop();
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(points: &[(&str, &[&str])]) -> StepContent {
        StepContent {
            step: 5,
            prompt: String::new(),
            guidance: String::new(),
            checklist: points.iter().map(|(p, _)| (*p).to_owned()).collect(),
            signals: points
                .iter()
                .map(|(_, s)| s.iter().map(|s| (*s).to_owned()).collect())
                .collect(),
            hints: Vec::new(),
            follow_ups: Vec::new(),
            pitfalls: Vec::new(),
            reference: String::new(),
        }
    }

    #[test]
    fn a_phrase_matches_across_endings_and_a_few_words_between() {
        let c = content(&[
            (
                "Chooses an offline ranking metric",
                &["ndcg", "ranking metric"],
            ),
            ("Plans an A/B test", &["a/b test", "online experiment"]),
            ("Defines labels", &["label definition"]),
        ]);
        let cov = step_coverage(
            "We rank with nDCG@10 and run online controlled experiments for two weeks.",
            &c,
        );
        assert_eq!(cov.points[0].matched.as_deref(), Some("ndcg"));
        assert_eq!(cov.points[1].matched.as_deref(), Some("online experiment"));
        assert_eq!(cov.points[2].matched, None);
        assert!((cov.fraction() - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn words_must_come_in_order_and_close_together() {
        let c = content(&[("Calibrates", &["calibrated probability"])]);
        let far = "a probability that is, after many other words here, calibrated";
        assert_eq!(step_coverage(far, &c).points[0].matched, None);
        let near = "the calibrated click probability";
        assert!(step_coverage(near, &c).points[0].matched.is_some());
    }

    #[test]
    fn an_empty_answer_covers_nothing_and_no_signals_match_nothing() {
        let c = content(&[("One", &["x y"]), ("Two", &[])]);
        assert_eq!(step_coverage("", &c).fraction(), 0.0);
        assert_eq!(step_coverage("x y", &c).covered().count(), 1);
    }

    #[test]
    fn stemming_folds_plurals_and_verb_endings_but_not_short_words() {
        assert_eq!(normalised_words("Features featured feature"), ["featur"; 3]);
        assert_eq!(normalised_words("rates rated rate"), ["rat"; 3]);
        assert_eq!(normalised_words("queries query"), ["query", "query"]);
        assert_eq!(normalised_words("ids p99 loss"), ["ids", "p99", "loss"]);
    }
}
