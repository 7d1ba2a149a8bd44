//! The figures a back-of-envelope estimate starts from: each case study
//! carries its own ([`Sizing`]), and a session keeps the candidate's edited
//! copy ([`EstimateInputs`]). The formulas live in the estimate module.

use serde::{Deserialize, Serialize};

use super::schema::CaseStudy;

/// A case's sizing figures beyond its traffic (which the scenario holds).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sizing {
    /// Items the system indexes or ranks (videos, listings, users, posts).
    pub catalog_items: f64,
    /// Items added per day.
    pub new_items_per_day: f64,
    /// Stored bytes per item (media, metadata, features).
    pub bytes_per_item: f64,
    /// Logged bytes per user action (one event per action).
    pub bytes_per_event: f64,
    /// Days events and new items are kept.
    pub retention_days: f64,
    /// Embedding dimensions of the item index (0 when there is none).
    pub embedding_dims: f64,
    /// Bytes per embedding dimension: 4 for float32, 2 for fp16, 1 for int8.
    pub bytes_per_dim: f64,
    /// Candidates the model scores per request.
    pub candidates_per_request: f64,
    /// Model work per scored candidate, in GFLOPs.
    pub gflops_per_item: f64,
    /// The accelerator, as a hardware catalog id (`gpu-l4`, `cpu-c7i-8xlarge`).
    pub hardware: String,
    /// Fraction of the accelerator's peak FLOP/s the model reaches (0–1].
    pub utilisation: f64,
    /// Request plus response bytes on the wire per request.
    pub bytes_per_request: f64,
}

/// Everything an estimate is computed from: the traffic the interviewer
/// gives and the sizing figures. Saved in the session as the candidate
/// edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EstimateInputs {
    pub daily_active_users: f64,
    /// Requests (and logged events) each active user makes per day.
    pub actions_per_user_per_day: f64,
    /// Busiest hour over the daily mean.
    pub peak_to_mean: f64,
    pub sizing: Sizing,
}

/// Plain starting figures when no case study is chosen: a mid-sized
/// recommendation product (10M DAU, 10 actions a day, 10M items, a 128-d
/// float32 index, 500 candidates of 20 MFLOPs on an L4).
impl Default for EstimateInputs {
    fn default() -> EstimateInputs {
        EstimateInputs {
            daily_active_users: 10e6,
            actions_per_user_per_day: 10.0,
            peak_to_mean: 3.0,
            sizing: Sizing {
                catalog_items: 10e6,
                new_items_per_day: 100e3,
                bytes_per_item: 2_000.0,
                bytes_per_event: 500.0,
                retention_days: 90.0,
                embedding_dims: 128.0,
                bytes_per_dim: 4.0,
                candidates_per_request: 500.0,
                gflops_per_item: 0.02,
                hardware: "gpu-l4".to_owned(),
                utilisation: 0.3,
                bytes_per_request: 4_000.0,
            },
        }
    }
}

impl EstimateInputs {
    /// The case study's own figures: its scenario's traffic and its sizing.
    pub fn from_case(study: &CaseStudy) -> EstimateInputs {
        EstimateInputs {
            daily_active_users: study.scenario.daily_active_users,
            actions_per_user_per_day: study.scenario.requests_per_user_per_day,
            peak_to_mean: study.scenario.peak_to_mean,
            sizing: study.sizing.clone(),
        }
    }

    /// Every number with the name it has in files and on the command line,
    /// in the order the panel shows them.
    pub fn numbers(&self) -> [(&'static str, f64); 14] {
        let s = &self.sizing;
        [
            ("daily_active_users", self.daily_active_users),
            ("actions_per_user_per_day", self.actions_per_user_per_day),
            ("peak_to_mean", self.peak_to_mean),
            ("catalog_items", s.catalog_items),
            ("new_items_per_day", s.new_items_per_day),
            ("bytes_per_item", s.bytes_per_item),
            ("bytes_per_event", s.bytes_per_event),
            ("retention_days", s.retention_days),
            ("embedding_dims", s.embedding_dims),
            ("bytes_per_dim", s.bytes_per_dim),
            ("candidates_per_request", s.candidates_per_request),
            ("gflops_per_item", s.gflops_per_item),
            ("utilisation", s.utilisation),
            ("bytes_per_request", s.bytes_per_request),
        ]
    }

    /// The number called `name` (as in [`EstimateInputs::numbers`]), to change.
    pub fn number_mut(&mut self, name: &str) -> Option<&mut f64> {
        let s = &mut self.sizing;
        Some(match name {
            "daily_active_users" => &mut self.daily_active_users,
            "actions_per_user_per_day" => &mut self.actions_per_user_per_day,
            "peak_to_mean" => &mut self.peak_to_mean,
            "catalog_items" => &mut s.catalog_items,
            "new_items_per_day" => &mut s.new_items_per_day,
            "bytes_per_item" => &mut s.bytes_per_item,
            "bytes_per_event" => &mut s.bytes_per_event,
            "retention_days" => &mut s.retention_days,
            "embedding_dims" => &mut s.embedding_dims,
            "bytes_per_dim" => &mut s.bytes_per_dim,
            "candidates_per_request" => &mut s.candidates_per_request,
            "gflops_per_item" => &mut s.gflops_per_item,
            "utilisation" => &mut s.utilisation,
            "bytes_per_request" => &mut s.bytes_per_request,
            _ => return None,
        })
    }

    /// The first number that cannot be estimated from, named, with why:
    /// every number finite and not negative; traffic, peak factor and
    /// utilisation above 0; utilisation at most 1.
    pub fn invalid_number(&self) -> Option<String> {
        for (name, value) in self.numbers() {
            let must_be_positive = matches!(
                name,
                "daily_active_users" | "actions_per_user_per_day" | "peak_to_mean" | "utilisation"
            );
            if !value.is_finite() {
                return Some(format!("{name} must be a number, not {value}"));
            }
            if must_be_positive && value <= 0.0 {
                return Some(format!("{name} must be above 0, not {value}"));
            }
            if value < 0.0 {
                return Some(format!("{name} cannot be negative ({value})"));
            }
            if name == "utilisation" && value > 1.0 {
                return Some(format!(
                    "utilisation is a fraction of the peak, at most 1, not {value}"
                ));
            }
        }
        None
    }
}
