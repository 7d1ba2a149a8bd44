//! The seven-step framework that every practice session walks through.

/// One step of the framework, with its general guidance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameworkStep {
    /// 1 to 7.
    pub number: u8,
    pub name: &'static str,
    /// The sub-topics a complete answer touches.
    pub covers: &'static [&'static str],
    /// Suggested minutes in a 45-minute interview.
    pub default_minutes: u32,
    /// General advice for the step, whatever the case (markdown).
    pub guidance: &'static str,
}

/// Number of steps in the framework.
pub const STEP_COUNT: usize = 7;

/// A gap between two clock ticks longer than this (seconds) means the
/// machine slept or the app hung: neither the step time nor a mock's clock
/// counts it. One threshold for every clock in the app.
pub const MAX_TICK_GAP_SECS: f64 = 60.0;

/// A framework step number, always 1 to 7.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Step(u8);

impl Step {
    pub const FIRST: Step = Step(1);
    pub const LAST: Step = Step(STEP_COUNT as u8);

    /// The step numbered `number`, if it is 1 to 7.
    pub fn new(number: u8) -> Option<Step> {
        (1..=STEP_COUNT as u8)
            .contains(&number)
            .then_some(Step(number))
    }

    /// The nearest step to `number`: 0 becomes 1, 9 becomes 7.
    pub fn clamped(number: u8) -> Step {
        Step(number.clamp(1, STEP_COUNT as u8))
    }

    /// 1 to 7.
    pub fn number(self) -> u8 {
        self.0
    }

    /// 0 to 6, for arrays with one entry per step.
    pub fn index(self) -> usize {
        usize::from(self.0) - 1
    }

    /// The step after this one, if any.
    pub fn next(self) -> Option<Step> {
        Step::new(self.0 + 1)
    }

    /// The step before this one, if any.
    pub fn previous(self) -> Option<Step> {
        Step::new(self.0 - 1)
    }

    /// Every step in order.
    pub fn all() -> impl Iterator<Item = Step> {
        (1..=STEP_COUNT as u8).map(Step)
    }
}

/// The steps in interview order.
pub const STEPS: [FrameworkStep; STEP_COUNT] = [
    FrameworkStep {
        number: 1,
        name: "Clarifying requirements",
        covers: &[
            "business objective",
            "features",
            "data available",
            "constraints",
            "scale",
            "performance",
            "privacy",
        ],
        default_minutes: 5,
        guidance: "Pin down what success means for the business before touching a model. \
Ask about the **objective**, the **product surface** it feeds, the **data** and labels that exist, \
**scale** (users, items, requests per second), **latency** and cost limits, and **privacy** rules. \
Restate what you heard in two or three sentences so the interviewer can correct you early.",
    },
    FrameworkStep {
        number: 2,
        name: "Framing as an ML task",
        covers: &[
            "ML objective",
            "system input and output",
            "ML category per model",
        ],
        default_minutes: 5,
        guidance: "Turn the business goal into something a model can optimise. \
State the **ML objective** (what is predicted and why it serves the goal), the **input and output** \
of the system, and the **category** of each model (classification, regression, ranking, retrieval, \
detection...). Say why you rejected the obvious alternative framing.",
    },
    FrameworkStep {
        number: 3,
        name: "Data preparation",
        covers: &[
            "data sources",
            "storage",
            "ETL",
            "feature engineering",
            "labels",
            "privacy and bias",
        ],
        default_minutes: 7,
        guidance: "Walk from raw data to training examples. Name the **sources** and how they are \
stored, how **labels** are obtained (explicit, implicit, human) and how noisy they are, and the \
**features** per entity: how each is encoded (one-hot, embeddings, buckets, normalisation). \
Call out **leakage**, missing values, and **privacy and bias** risks.",
    },
    FrameworkStep {
        number: 4,
        name: "Model development",
        covers: &[
            "baseline",
            "candidate models",
            "training data",
            "loss",
            "sampling",
            "class imbalance",
            "distributed training",
        ],
        default_minutes: 10,
        guidance: "Start from a simple **baseline** you could ship in a week, then the model you \
would build next and why it should beat it. Give the **architecture**, the **loss**, how training \
examples and negatives are **sampled**, how **imbalance** is handled, and how training scales \
(data or model parallelism) when the data does not fit one machine.",
    },
    FrameworkStep {
        number: 5,
        name: "Evaluation",
        covers: &[
            "offline metrics",
            "online metrics",
            "A/B testing",
            "fairness",
        ],
        default_minutes: 6,
        guidance: "Pick **offline metrics** that match each model's task and explain what a gain \
means, then the **online metrics** the business watches, with guardrails. Describe the \
**A/B test**: unit of randomisation, duration, the minimum detectable effect. Check **fairness** \
and behaviour on slices, not only the average.",
    },
    FrameworkStep {
        number: 6,
        name: "Deployment and serving",
        covers: &[
            "batch vs online",
            "cloud vs device",
            "model compression",
            "serving pipeline",
            "shadow, canary and A/B rollout",
        ],
        default_minutes: 7,
        guidance: "Decide what is computed **in batch** and what **online**, and where it runs. \
Draw the **serving path** with a latency budget per stage, and say how the model is made fast \
enough (distillation, quantisation, caching, ANN). Roll out safely: **shadow**, **canary**, then \
an **A/B** test.",
    },
    FrameworkStep {
        number: 7,
        name: "Monitoring and infrastructure",
        covers: &[
            "data and concept drift",
            "operational vs ML metrics",
            "retraining",
            "feature store",
            "train-serve skew",
        ],
        default_minutes: 5,
        guidance: "Say what breaks after launch and how you would notice. Separate **operational** \
metrics (latency, errors, throughput) from **ML** metrics (prediction distribution, calibration, \
delayed labels). Detect **drift**, decide the **retraining** cadence, and prevent \
**train-serve skew** with a shared feature store and logged features.",
    },
];

/// The step with the given number (1 to 7), if there is one.
pub fn step(number: u8) -> Option<&'static FrameworkStep> {
    STEPS.iter().find(|s| s.number == number)
}

/// Total suggested minutes across all steps.
pub fn total_default_minutes() -> u32 {
    STEPS.iter().map(|s| s.default_minutes).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_numbered_in_order_and_fit_a_45_minute_interview() {
        for (i, s) in STEPS.iter().enumerate() {
            assert_eq!(usize::from(s.number), i + 1);
            assert!(!s.covers.is_empty());
        }
        assert_eq!(total_default_minutes(), 45);
        assert_eq!(step(4).map(|s| s.name), Some("Model development"));
        assert!(step(0).is_none());
        assert!(step(8).is_none());
    }
}
