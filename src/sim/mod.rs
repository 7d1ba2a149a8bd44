//! The serving simulator: a queueing network, an analytic estimate and a
//! discrete-event run.
//!
//! Build a [`Network`] of [`Station`]s and [`Call`]s (validated: no cycles,
//! no zero servers, no NaN), then either [`analyze`] it instantly (M/M/c per
//! station, Jackson means) or [`run`] it (a discrete-event simulation in
//! independent, seeded replications, in parallel) for percentiles with
//! confidence intervals. The model and its formulas are in
//! `docs/simulator.md`. [`from_diagram`] maps a serving diagram onto a
//! network; nothing here knows about the UI.

pub mod analytic;
pub mod availability;
pub mod curve;
pub mod des;
pub mod distributions;
pub mod engine;
pub mod error;
mod exp;
pub mod from_diagram;
pub mod hardware;
pub mod ml;
pub mod network;
pub mod report;
pub mod right_size;
pub mod run;
pub mod stats;
pub mod sweep;
pub mod timeline;
pub mod traffic;
mod validate;

pub use analytic::{AnalyticReport, AnalyticStation, analyze, erlang_c};
pub use distributions::ServiceTime;
pub use error::{NetworkError, SimError};
pub use hardware::{HardwareSpec, catalog};
pub use ml::{AnnIndex, Batching, InferenceModel};
pub use network::{Call, FanOut, Network, Station, StationIndex, StationKind};
pub use report::{LatencyReport, SimReport, SlaCheck, StationReport};
pub use run::{
    EngineChoice, Progress, RunConfig, WORK_BUDGET_VISITS, Work, run, run_with_progress,
    run_within_budget,
};
pub use stats::Estimate;
pub use traffic::Traffic;
