//! The case-study file format: plain data, deserialised from RON.
//!
//! `docs/case-study-format.md` documents every field for content writers.

use serde::{Deserialize, Serialize};

use super::sizing::Sizing;

/// The format version this build reads and writes.
pub const CASE_STUDY_FORMAT_VERSION: u32 = 1;

/// One complete case study: the problem, the clarifying questions and the
/// content for each of the seven framework steps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseStudy {
    /// Format version of the file; see [`CASE_STUDY_FORMAT_VERSION`].
    pub format_version: u32,
    /// Stable kebab-case id, used by session files to name the case study.
    pub id: String,
    pub title: String,
    /// One sentence for the home page.
    pub summary: String,
    pub difficulty: Difficulty,
    /// Area tags from [`KNOWN_TAGS`], used by the home page filter.
    pub tags: Vec<String>,
    /// The problem statement as the interviewer would open with it (markdown).
    pub problem: String,
    /// Default traffic, latency SLA and budget for the serving simulator.
    pub scenario: Scenario,
    /// The figures the back-of-envelope estimator starts from, beyond the
    /// scenario's traffic.
    pub sizing: Sizing,
    /// Questions the candidate may "ask the interviewer" in step 1.
    pub questions: Vec<ClarifyingQuestion>,
    /// Exactly seven entries, one per framework step, in order.
    pub steps: Vec<StepContent>,
}

/// How hard the case study is, for the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Difficulty {
    Easy,
    Medium,
    Hard,
}

impl Difficulty {
    /// The word shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Difficulty::Easy => "Easy",
            Difficulty::Medium => "Medium",
            Difficulty::Hard => "Hard",
        }
    }
}

/// Default load and targets a serving design for this case is judged against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Daily active users of the product surface this case serves.
    pub daily_active_users: f64,
    /// Requests each active user sends to the serving path per day, on average.
    pub requests_per_user_per_day: f64,
    /// How far the busiest hour runs above the daily mean (3.0 = three times).
    pub peak_to_mean: f64,
    /// Peak requests per second reaching the online serving path; it must agree
    /// with [`Scenario::derived_peak_qps`] within [`PEAK_QPS_TOLERANCE`].
    pub peak_qps: f64,
    /// The p99 end-to-end latency the service must meet, in milliseconds.
    pub p99_sla_ms: f64,
    /// Monthly infrastructure budget for the serving path, in US dollars.
    pub monthly_budget_usd: f64,
}

/// How far the stated peak QPS may sit from the one derived from DAU (5%),
/// which leaves room for round numbers in the text.
pub const PEAK_QPS_TOLERANCE: f64 = 0.05;

impl Scenario {
    /// Peak QPS recomputed from the scenario's own traffic figures:
    /// DAU × requests per user per day / 86,400 s × peak-to-mean.
    pub fn derived_peak_qps(&self) -> f64 {
        self.daily_active_users * self.requests_per_user_per_day / 86_400.0 * self.peak_to_mean
    }
}

/// A question the candidate can ask, with the interviewer's scripted answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClarifyingQuestion {
    /// Stable kebab-case id, recorded in session files when asked.
    pub id: String,
    /// Short topic label such as "Scale" or "Privacy".
    pub topic: String,
    pub question: String,
    /// The interviewer's answer (markdown).
    pub answer: String,
}

/// The case's content for one framework step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepContent {
    /// 1 to 7, matching [`crate::framework::STEPS`].
    pub step: u8,
    /// What the interviewer asks at this step (markdown).
    pub prompt: String,
    /// Advice specific to this case for this step (markdown).
    pub guidance: String,
    /// Points a strong answer covers; the candidate ticks them off.
    pub checklist: Vec<String>,
    /// Per checklist point, in the same order, phrases whose presence in an
    /// answer suggests it covers the point (synonyms and paraphrases).
    #[serde(default)]
    pub signals: Vec<Vec<String>>,
    /// Nudges revealed one at a time, weakest first.
    pub hints: Vec<String>,
    /// Questions an interviewer would ask next.
    pub follow_ups: Vec<String>,
    /// Mistakes candidates commonly make here.
    pub pitfalls: Vec<String>,
    /// A strong answer, 150 to 450 words (markdown).
    pub reference: String,
}

/// The area tags the home page filters on.
pub const KNOWN_TAGS: &[&str] = &[
    "search",
    "recommendation",
    "ads",
    "content safety",
    "vision",
    "video",
    "nlp",
    "graph",
    "ranking",
    "classification",
    "retrieval",
    "embeddings",
    "multimodal",
    "privacy",
];
