//! The back-of-envelope estimator: from the quantities an interviewer gives
//! (DAU, actions, catalog size, model cost) to the ones a design needs (QPS,
//! storage, index memory, accelerators, cost), each with its formula written
//! out with its numbers, as a candidate would on the board.
//!
//! `docs/estimator.md` explains every formula.

mod formulas;

use thiserror::Error;

pub use crate::content::{EstimateInputs, Sizing};
pub use formulas::{HNSW_LINKS, HOURS_PER_MONTH, IVF_ID_BYTES, SECONDS_PER_DAY};

/// What an output counts, which also says how its value is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Requests per second.
    RequestsPerSecond,
    EventsPerDay,
    RowsPerDay,
    BytesPerDay,
    Bytes,
    BytesPerSecond,
    FlopsPerSecond,
    Accelerators,
    UsdPerMonth,
}

impl Unit {
    /// The unit's name as in the JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Unit::RequestsPerSecond => "req/s",
            Unit::EventsPerDay => "events/day",
            Unit::RowsPerDay => "rows/day",
            Unit::BytesPerDay => "bytes/day",
            Unit::Bytes => "bytes",
            Unit::BytesPerSecond => "bytes/s",
            Unit::FlopsPerSecond => "FLOP/s",
            Unit::Accelerators => "accelerators",
            Unit::UsdPerMonth => "USD/month",
        }
    }

    /// `value` written in this unit for a reader: `116K QPS`, `2.6 TB/day`.
    pub fn show(self, value: f64) -> String {
        use crate::format::{bytes, flop, si, usd};
        match self {
            Unit::RequestsPerSecond => format!("{} QPS", si(value)),
            Unit::EventsPerDay => format!("{} events/day", si(value)),
            Unit::RowsPerDay => format!("{} rows/day", si(value)),
            Unit::BytesPerDay => format!("{}/day", bytes(value)),
            Unit::Bytes => bytes(value),
            Unit::BytesPerSecond => format!("{}/s", bytes(value)),
            Unit::FlopsPerSecond => format!("{}/s", flop(value)),
            Unit::Accelerators => si(value),
            Unit::UsdPerMonth => format!("{}/month", usd(value)),
        }
    }
}

/// One result of the estimate.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Stable key, as in the JSON output (`peak_qps`).
    pub key: &'static str,
    /// What it is, for a reader ("Peak QPS").
    pub label: &'static str,
    pub value: f64,
    pub unit: Unit,
    /// The formula with its numbers: "200M × 25 / 86,400 × 2 ≈ 116K QPS".
    pub formula: String,
}

/// Every output of one estimate, in the order a candidate derives them.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub outputs: Vec<Output>,
    /// The accelerator's display name, from the hardware catalog.
    pub hardware_name: String,
}

impl Estimate {
    /// The output under `key`, if there is one.
    pub fn get(&self, key: &str) -> Option<&Output> {
        self.outputs.iter().find(|o| o.key == key)
    }

    /// The value under `key`, or NaN when there is no such output.
    pub fn value(&self, key: &str) -> f64 {
        self.get(key).map_or(f64::NAN, |o| o.value)
    }

    /// The outputs as one JSON object: key → `{value, unit, formula}`.
    pub fn to_json(&self) -> serde_json::Value {
        let map = self
            .outputs
            .iter()
            .map(|o| {
                (
                    o.key.to_owned(),
                    serde_json::json!({
                        "value": o.value,
                        "unit": o.unit.name(),
                        "formula": o.formula,
                    }),
                )
            })
            .collect::<serde_json::Map<_, _>>();
        serde_json::Value::Object(map)
    }
}

/// Why no estimate can be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EstimateError {
    /// A number that cannot be estimated from, named with why.
    #[error("impossible input: {0}")]
    Invalid(String),
    #[error("unknown hardware \"{0}\"; the catalog has: {1}")]
    UnknownHardware(String, String),
}

/// Estimates everything from `inputs`.
pub fn estimate(inputs: &EstimateInputs) -> Result<Estimate, EstimateError> {
    if let Some(problem) = inputs.invalid_number() {
        return Err(EstimateError::Invalid(problem));
    }
    let hardware = crate::sim::hardware::find(&inputs.sizing.hardware).ok_or_else(|| {
        let ids: Vec<String> = crate::sim::catalog().into_iter().map(|h| h.id).collect();
        EstimateError::UnknownHardware(inputs.sizing.hardware.clone(), ids.join(", "))
    })?;
    Ok(Estimate {
        outputs: formulas::outputs(inputs, &hardware),
        hardware_name: hardware.name,
    })
}

#[cfg(test)]
mod tests;
