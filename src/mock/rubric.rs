//! The scoring rubric: three or four criteria per step, each with a line
//! per level, and the competencies an interviewer signals on overall.

use serde::{Deserialize, Serialize};

/// Names of the four levels, 1 to 4.
pub const LEVEL_NAMES: [&str; 4] = ["missing", "partial", "solid", "strong"];

/// The index into [`LEVEL_NAMES`] (and a criterion's levels) of a score
/// from 1 to 4; scores outside that range are clamped.
pub fn score_index(score: u8) -> usize {
    usize::from(score.clamp(1, 4)) - 1
}

/// What a hiring panel judges across the whole interview.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Competency {
    ProblemFraming,
    MlKnowledge,
    Data,
    Modelling,
    Evaluation,
    ServingAndScale,
    Communication,
}

impl Competency {
    /// Every competency, in report order.
    pub const ALL: [Competency; 7] = [
        Competency::ProblemFraming,
        Competency::MlKnowledge,
        Competency::Data,
        Competency::Modelling,
        Competency::Evaluation,
        Competency::ServingAndScale,
        Competency::Communication,
    ];

    /// The name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Competency::ProblemFraming => "Problem framing",
            Competency::MlKnowledge => "ML knowledge",
            Competency::Data => "Data",
            Competency::Modelling => "Modelling",
            Competency::Evaluation => "Evaluation",
            Competency::ServingAndScale => "Serving and scale",
            Competency::Communication => "Communication",
        }
    }

    /// One line on what the competency covers.
    pub fn description(self) -> &'static str {
        match self {
            Competency::ProblemFraming => {
                "Turns a vague business goal into a scoped problem with a measurable objective and a fitting ML formulation."
            }
            Competency::MlKnowledge => {
                "Knows the main methods, their assumptions and trade-offs, and chooses among them for stated reasons."
            }
            Competency::Data => {
                "Finds label and feature sources, sees their noise, bias and leakage, and builds a sound training set."
            }
            Competency::Modelling => {
                "Goes from a baseline to a stronger model with a justified architecture, loss and training and retraining setup."
            }
            Competency::Evaluation => {
                "Picks offline and online metrics that match the goal and designs experiments that separate real gains from noise."
            }
            Competency::ServingAndScale => {
                "Designs a serving path that meets latency, throughput and cost targets, rolls it out safely and keeps it healthy."
            }
            Competency::Communication => {
                "Structures the discussion, states assumptions, manages time and uses hints and pushback well."
            }
        }
    }
}

/// One thing a step is scored on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    /// Stable id saved in session files, unique across all steps.
    pub id: &'static str,
    pub name: &'static str,
    /// The competency this criterion is evidence for.
    pub competency: Competency,
    /// What the answer looks like at levels 1 (missing) to 4 (strong).
    pub levels: [&'static str; 4],
}

impl Criterion {
    /// The line for `score` (1 to 4), if it is in range.
    pub fn level(&self, score: u8) -> Option<&'static str> {
        self.levels.get(usize::from(score).checked_sub(1)?).copied()
    }
}

use Competency as C;

const fn c(
    id: &'static str,
    name: &'static str,
    competency: Competency,
    levels: [&'static str; 4],
) -> Criterion {
    Criterion {
        id,
        name,
        competency,
        levels,
    }
}

const STEP1: &[Criterion] = &[
    c(
        "s1-objective",
        "Business objective",
        C::ProblemFraming,
        [
            "Starts designing without asking what the business wants to improve.",
            "Names a goal but never turns it into a measurable success criterion.",
            "States the objective and a success metric the business would recognise.",
            "Ties the metric to the product surface, adds guardrails and weighs the cost of each kind of error.",
        ],
    ),
    c(
        "s1-scale",
        "Scale and performance",
        C::ServingAndScale,
        [
            "Gets no numbers on users, items, traffic or latency.",
            "Asks about scale but leaves it vague or never uses the answer.",
            "Establishes users, item counts, peak requests per second and a latency target.",
            "Works out load and storage on the back of an envelope and says which numbers will drive the design.",
        ],
    ),
    c(
        "s1-data",
        "Data and constraints",
        C::Data,
        [
            "Does not ask what data or labels exist.",
            "Asks about data but misses labels, privacy or other hard limits.",
            "Learns which data and labels exist and the privacy, legal and budget limits.",
            "Probes label quality and delay, and turns each constraint into a consequence for the design.",
        ],
    ),
    c(
        "s1-summary",
        "Restating the scope",
        C::Communication,
        [
            "Never restates the problem; the scope stays implicit.",
            "Restates part of it, or only when prompted.",
            "Sums up objective, scope and key constraints before moving on.",
            "Gives a crisp summary with explicit assumptions and out-of-scope items, and checks it with the interviewer.",
        ],
    ),
];

const STEP2: &[Criterion] = &[
    c(
        "s2-objective",
        "ML objective",
        C::ProblemFraming,
        [
            "No ML objective, or one unrelated to the business goal.",
            "A plausible objective whose link to the business metric is left unexplained.",
            "A clear ML objective with a stated link to the business metric.",
            "Compares candidate objectives (say clicks against watch time), picks one for reasons and names its proxy risks.",
        ],
    ),
    c(
        "s2-io",
        "Input and output",
        C::ProblemFraming,
        [
            "Cannot say what goes into the system and what comes out.",
            "Names input and output, but vaguely or at odds with the product.",
            "Defines the input and output precisely, per model where there are several.",
            "Also splits the system into stages (such as retrieval then ranking) with a clear interface between them.",
        ],
    ),
    c(
        "s2-category",
        "ML category",
        C::MlKnowledge,
        [
            "No category, or one that does not fit the task.",
            "A workable category, chosen without weighing others.",
            "A fitting category (classification, regression, ranking, retrieval...) with a reason.",
            "Weighs alternatives such as pointwise against pairwise ranking or multi-label against multi-class, and justifies the pick.",
        ],
    ),
];

const STEP3: &[Criterion] = &[
    c(
        "s3-labels",
        "Labels",
        C::Data,
        [
            "No idea where labels come from.",
            "Names a label source but ignores its noise, bias or delay.",
            "Chooses explicit, implicit or human labels and deals with their noise and delay.",
            "Combines label sources, corrects selection bias and keeps an unbiased sample for evaluation.",
        ],
    ),
    c(
        "s3-features",
        "Features",
        C::Data,
        [
            "Lists no features, or only raw ids.",
            "Lists features without saying how they are represented.",
            "Gives features per entity with their encoding: embeddings, buckets, normalisation, one-hot.",
            "Also covers context and cross features, missing values and how fresh each feature must be.",
        ],
    ),
    c(
        "s3-pipeline",
        "Sources and pipeline",
        C::Data,
        [
            "Does not say where the data lives or how it flows.",
            "Names sources but not how they are stored or processed.",
            "Describes sources, storage and the batch or streaming jobs that build training examples.",
            "Builds examples point-in-time correct and shares feature code between training and serving.",
        ],
    ),
    c(
        "s3-risks",
        "Leakage, privacy and bias",
        C::Data,
        [
            "Raises no data risks.",
            "Mentions privacy or bias in passing.",
            "Identifies the leakage, privacy and bias risks of this case.",
            "Gives a concrete fix for each: time-based splits, anonymisation, re-weighting or audits.",
        ],
    ),
];

const STEP4: &[Criterion] = &[
    c(
        "s4-baseline",
        "Baseline",
        C::Modelling,
        [
            "Jumps to a complex model with no baseline.",
            "Mentions a baseline without saying what it is for.",
            "Proposes a simple baseline (a heuristic or linear model) that could ship and must be beaten.",
            "Uses the baseline to prove the pipeline end to end and sets the bar the next model has to clear.",
        ],
    ),
    c(
        "s4-model",
        "Model choice",
        C::MlKnowledge,
        [
            "Names a model that does not fit the task or the data.",
            "A suitable model, without reasons or trade-offs.",
            "Chooses an architecture for stated reasons and names one alternative.",
            "Compares candidates on quality, latency, data needs and interpretability against the constraints.",
        ],
    ),
    c(
        "s4-training",
        "Loss and training data",
        C::Modelling,
        [
            "Describes no loss or training set.",
            "Names a loss but ignores sampling and class balance.",
            "Matches the loss to the task and handles negative sampling and class imbalance.",
            "Also covers calibration, regularisation and scaling training out with data or model parallelism.",
        ],
    ),
];

const STEP5: &[Criterion] = &[
    c(
        "s5-offline",
        "Offline metrics",
        C::Evaluation,
        [
            "No offline metric, or one that does not fit the task.",
            "A standard metric, without saying why it fits.",
            "Metrics matched to each model's task (precision and recall, nDCG, log loss...) with reasons.",
            "Also picks operating points, reports by slice and keeps a test set that mirrors production.",
        ],
    ),
    c(
        "s5-online",
        "Online metrics",
        C::Evaluation,
        [
            "No online metric.",
            "An online metric with no guardrails.",
            "Online metrics tied to the business goal, plus guardrail metrics.",
            "Explains how offline gains should move online metrics and what to do when the two disagree.",
        ],
    ),
    c(
        "s5-ab",
        "A/B testing",
        C::Evaluation,
        [
            "No plan to test the model on real users.",
            "Says 'A/B test' without a design.",
            "Defines the randomisation unit, the duration and the decision rule.",
            "Also sizes the test (minimum detectable effect, power) and handles novelty effects or interference.",
        ],
    ),
    c(
        "s5-fairness",
        "Fairness and slices",
        C::Evaluation,
        [
            "Ignores how the model behaves for different groups.",
            "Mentions fairness with no way to measure it.",
            "Names the groups or slices to check and the metric to compare them on.",
            "Sets an acceptable gap and says what happens when a slice falls short.",
        ],
    ),
];

const STEP6: &[Criterion] = &[
    c(
        "s6-mode",
        "Batch or online",
        C::ServingAndScale,
        [
            "Does not decide when predictions are computed.",
            "Picks batch or online without reasons.",
            "Chooses batch, online or a mix, justified by freshness and cost.",
            "Splits the work into precomputed, cached and online parts with a latency budget for each.",
        ],
    ),
    c(
        "s6-path",
        "Serving path",
        C::ServingAndScale,
        [
            "No serving design.",
            "A model behind an API, with no view of the request path.",
            "A full request path (features, candidates, ranking, post-processing) that fits the latency target.",
            "Sizes the path for peak load and names bottlenecks and their fixes: replicas, batching, ANN, compression.",
        ],
    ),
    c(
        "s6-rollout",
        "Safe rollout",
        C::ServingAndScale,
        [
            "Sends the new model straight to all traffic.",
            "Mentions a canary or A/B rollout in passing.",
            "Goes through shadow, canary and A/B stages, each with a pass criterion.",
            "Also covers automatic rollback, versioned models and features, and a fallback when the model fails.",
        ],
    ),
];

const STEP7: &[Criterion] = &[
    c(
        "s7-metrics",
        "What is monitored",
        C::ServingAndScale,
        [
            "No monitoring plan.",
            "Only operational metrics such as latency and errors.",
            "Separates operational metrics from ML metrics such as prediction distribution and accuracy on late labels.",
            "Adds alert thresholds, owners and dashboards, and a way to judge quality before labels arrive.",
        ],
    ),
    c(
        "s7-drift",
        "Drift and retraining",
        C::Modelling,
        [
            "Assumes the model stays good forever.",
            "Mentions retraining with no trigger or cadence.",
            "Detects data and concept drift and sets a retraining cadence or trigger.",
            "Checks retrained models automatically before promotion and explains why the cadence suits this case.",
        ],
    ),
    c(
        "s7-infra",
        "Infrastructure and skew",
        C::ServingAndScale,
        [
            "No view of the supporting infrastructure.",
            "Names components such as a feature store without their purpose.",
            "Uses a feature store, a model registry and logged features to prevent train-serve skew.",
            "Explains how skew is detected as well as prevented, and what the infrastructure costs to run.",
        ],
    ),
];

/// The criteria of step `step` (1 to 7); empty for any other number.
pub fn rubric(step: u8) -> &'static [Criterion] {
    match step {
        1 => STEP1,
        2 => STEP2,
        3 => STEP3,
        4 => STEP4,
        5 => STEP5,
        6 => STEP6,
        7 => STEP7,
        _ => &[],
    }
}

/// The criterion called `id` in step `step`.
pub fn criterion(step: u8, id: &str) -> Option<&'static Criterion> {
    rubric(step).iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_step_has_three_or_four_criteria_with_unique_ids_and_distinct_levels() {
        let mut ids = HashSet::new();
        for step in 1..=7 {
            let r = rubric(step);
            assert!((3..=4).contains(&r.len()), "step {step}");
            for c in r {
                assert!(ids.insert(c.id), "duplicate id {}", c.id);
                assert!(c.id.starts_with(&format!("s{step}-")));
                let distinct: HashSet<_> = c.levels.iter().collect();
                assert_eq!(distinct.len(), 4, "{}", c.id);
                assert!(c.levels.iter().all(|l| l.ends_with('.')));
            }
        }
        assert!(rubric(0).is_empty() && rubric(8).is_empty());
        // Each competency is evidenced by at least one criterion.
        for comp in Competency::ALL {
            let n = (1..=7)
                .flat_map(rubric)
                .filter(|c| c.competency == comp)
                .count();
            assert!(n > 0, "{comp:?}");
        }
    }
}
