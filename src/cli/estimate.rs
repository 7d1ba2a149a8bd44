//! `mlsd-studio estimate`: the back-of-envelope estimate of a case study,
//! or of figures given on the command line, as text or JSON.

use serde_json::Value;

use super::CliError;
use crate::content::{CaseLibrary, EstimateInputs};
use crate::estimate::{Estimate, estimate};

/// Figures given on the command line; each replaces the starting one.
#[derive(Debug, Clone, Default)]
pub struct EstimateArgs {
    /// Start from this case study's figures (else the plain defaults).
    pub case: Option<String>,
    pub dau: Option<f64>,
    pub per_user: Option<f64>,
    pub peak: Option<f64>,
    pub items: Option<f64>,
    pub new_items: Option<f64>,
    pub bytes_per_item: Option<f64>,
    pub bytes_per_event: Option<f64>,
    pub retention_days: Option<f64>,
    pub dims: Option<f64>,
    pub bytes_per_dim: Option<f64>,
    pub candidates: Option<f64>,
    pub gflops: Option<f64>,
    pub hardware: Option<String>,
    pub utilisation: Option<f64>,
    pub bytes_per_request: Option<f64>,
}

/// The inputs the arguments ask for: the case's (or the defaults), with
/// every given figure put in.
pub fn estimate_inputs(
    library: &CaseLibrary,
    args: &EstimateArgs,
) -> Result<EstimateInputs, CliError> {
    let mut inputs = match &args.case {
        Some(id) => library
            .get(id)
            .map(EstimateInputs::from_case)
            .ok_or_else(|| CliError::NoSuchCase(id.clone()))?,
        None => EstimateInputs::default(),
    };
    let s = &mut inputs.sizing;
    let given = [
        (args.dau, &mut inputs.daily_active_users),
        (args.per_user, &mut inputs.actions_per_user_per_day),
        (args.peak, &mut inputs.peak_to_mean),
        (args.items, &mut s.catalog_items),
        (args.new_items, &mut s.new_items_per_day),
        (args.bytes_per_item, &mut s.bytes_per_item),
        (args.bytes_per_event, &mut s.bytes_per_event),
        (args.retention_days, &mut s.retention_days),
        (args.dims, &mut s.embedding_dims),
        (args.bytes_per_dim, &mut s.bytes_per_dim),
        (args.candidates, &mut s.candidates_per_request),
        (args.gflops, &mut s.gflops_per_item),
        (args.utilisation, &mut s.utilisation),
        (args.bytes_per_request, &mut s.bytes_per_request),
    ];
    for (value, field) in given {
        if let Some(v) = value {
            *field = v;
        }
    }
    if let Some(hardware) = &args.hardware {
        s.hardware.clone_from(hardware);
    }
    Ok(inputs)
}

/// The estimate the arguments ask for; impossible figures are refused with
/// the flag's field named.
pub fn estimate_cli(library: &CaseLibrary, args: &EstimateArgs) -> Result<Estimate, CliError> {
    Ok(estimate(&estimate_inputs(library, args)?)?)
}

/// One object per output: `{"peak_qps": {"value", "unit", "formula"}, …}`.
pub fn estimate_json(estimate: &Estimate) -> Value {
    estimate.to_json()
}

/// One line per output: its name, then its formula with the numbers in it.
pub fn estimate_text(estimate: &Estimate) -> String {
    let width = estimate
        .outputs
        .iter()
        .map(|o| o.label.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for o in &estimate.outputs {
        let pad = width - o.label.chars().count();
        out.push_str(&format!("{}{}  {}\n", o.label, " ".repeat(pad), o.formula));
    }
    out.push_str(&format!("Accelerator: {}\n", estimate.hardware_name));
    out
}
