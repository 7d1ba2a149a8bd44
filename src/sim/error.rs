//! Errors of the simulator: a bad network, a bad run configuration, or a
//! cancelled run. Every message names the station by its name.

use thiserror::Error;

/// Why a network could not be built.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum NetworkError {
    /// The network has no stations at all.
    #[error("the network has no stations")]
    Empty,
    /// The entry index points past the last station.
    #[error("the entry station #{index} does not exist (the network has {count} stations)")]
    MissingEntry {
        /// The entry index that was given.
        index: usize,
        /// How many stations there are.
        count: usize,
    },
    /// A call names a station that does not exist.
    #[error("a call from '{from}' goes to station #{index}, which does not exist")]
    UnknownStation {
        /// The calling station's name (or its index when that is unknown too).
        from: String,
        /// The missing index.
        index: usize,
    },
    /// The calls form a cycle; requests would never finish.
    #[error("the calls form a cycle: {}", path.join(" → "))]
    Cycle {
        /// Station names around the cycle, the first repeated at the end.
        path: Vec<String>,
    },
    /// A station has no servers, so nothing it receives is ever served.
    #[error(
        "station '{station}' has zero servers (servers per replica × replicas must be at least 1)"
    )]
    ZeroServers {
        /// The station's name.
        station: String,
    },
    /// A numeric parameter is NaN, infinite, negative or out of range.
    #[error("station '{station}': {parameter} = {value} is invalid: {reason}")]
    InvalidParameter {
        /// The station's name.
        station: String,
        /// Which parameter, with its unit.
        parameter: &'static str,
        /// The offending value.
        value: f64,
        /// What the value must be.
        reason: &'static str,
    },
    /// Two stations share a name, so reports and errors would be ambiguous.
    #[error("two stations are named '{name}'; names must be unique")]
    DuplicateName {
        /// The repeated name.
        name: String,
    },
    /// Each request would make more station visits than a run can afford.
    #[error(
        "each request makes about {visits:.3e} station visits; at most {limit:.0e} are allowed"
    )]
    TooManyVisits {
        /// Expected visits per request.
        visits: f64,
        /// The limit.
        limit: f64,
    },
}

/// Why a run could not start or finish.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SimError {
    /// The network is invalid.
    #[error(transparent)]
    Network(#[from] NetworkError),
    /// A run or traffic setting is invalid.
    #[error("{parameter} = {value} is invalid: {reason}")]
    Config {
        /// Which setting, with its unit.
        parameter: &'static str,
        /// The offending value.
        value: f64,
        /// What the value must be.
        reason: &'static str,
    },
    /// The run would do more work than a run may.
    #[error(
        "the run would simulate {requests} requests × {replications} replications × {visits_per_request:.3} station visits per request = {visits:.3e} visits, above the simulation budget of {budget:.0e}; {advice}",
        budget = super::run::WORK_BUDGET_VISITS,
        advice = match fitting_requests {
            Some(n) => format!("at most {n} requests per replication fit"),
            None => "even 10 requests do not fit: lower the calls per request".to_owned(),
        }
    )]
    OverBudget {
        /// Requests per replication asked for.
        requests: u64,
        /// Replications asked for.
        replications: u32,
        /// Expected station visits of one request.
        visits_per_request: f64,
        /// Their product.
        visits: f64,
        /// Requests per replication that would fit, when at least 10 do.
        fitting_requests: Option<u64>,
    },
    /// A scenario over time cannot run as given.
    #[error("scenario: {event}: {reason}")]
    Scenario {
        /// The event or setting at fault, in words.
        event: String,
        /// What is wrong with it.
        reason: String,
    },
    /// The caller asked the run to stop.
    #[error("the simulation was cancelled")]
    Cancelled,
}
