//! The queueing network: stations, the calls between them, one entry, and a
//! validating constructor that refuses anything a run could not finish.

use serde::{Deserialize, Serialize};

use crate::diagram::Autoscale;

use super::distributions::{Sampler, ServiceTime};
use super::error::NetworkError;
use super::hardware::HardwareSpec;
use super::ml::{AnnIndex, InferenceModel};
use super::validate::{check, topological_order, validate_station};

/// Longest any time parameter may be, in ms (about 11.6 days).
pub const MAX_TIME_MS: f64 = 1e9;
/// Most servers one station may pool.
pub const MAX_SERVERS: u64 = 1_000_000;
/// Most times one call may repeat per request.
pub const MAX_CALLS_PER_REQUEST: f64 = 1_000.0;
/// Most station visits one request may make on average.
pub const MAX_VISITS_PER_REQUEST: f64 = 1e6;

/// A station's position in [`Network::stations`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct StationIndex(pub usize);

/// How a station calls its children once its own service is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FanOut {
    /// One child after another, in the order the calls were added.
    #[default]
    Sequential,
    /// All children at once; the station waits for the slowest.
    Parallel,
}

/// What a station does, which decides its service time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StationKind {
    /// A plain service with a stated service-time distribution.
    Service {
        /// Time per request.
        service: ServiceTime,
    },
    /// Model inference; time from model size, items, hardware and batching.
    Inference(InferenceModel),
    /// A cache: a hit answers at once and skips every child.
    Cache {
        /// Fraction of lookups that hit, in [0, 1].
        hit_ratio: f64,
        /// Time per lookup.
        lookup: ServiceTime,
    },
    /// An approximate-nearest-neighbour index; time from size and recall.
    Ann(AnnIndex),
}

/// One pooled multi-server queue (M/M/c-style) with its parameters.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Station {
    /// A unique name, used in reports and errors.
    pub name: String,
    /// What it does.
    pub kind: StationKind,
    /// Requests one replica serves at once (threads, model instances).
    pub servers_per_replica: u32,
    /// Identical replicas behind a load balancer, pooled into one queue.
    pub replicas: u32,
    /// Most requests that may wait (beyond those in service); more are dropped.
    pub queue_limit: Option<u32>,
    /// A request that has waited longer than this in the queue is abandoned
    /// when a server reaches it, in ms.
    pub timeout_ms: Option<f64>,
    /// What one replica costs, in USD per hour.
    pub cost_usd_per_replica_hour: f64,
    /// How the children are called.
    pub fan_out: FanOut,
    /// Availability zones the replicas are spread over, evenly.
    #[serde(default = "one_zone")]
    pub zones: u32,
    /// Autoscaling in a run over time; `None` keeps the replicas fixed.
    #[serde(default)]
    pub autoscale: Option<Autoscale>,
    /// Mean hours between failures of one replica; `None` takes the default
    /// for its kind (see `availability`).
    #[serde(default)]
    pub mtbf_hours: Option<f64>,
    /// Mean hours to replace a failed replica; `None` takes the default.
    #[serde(default)]
    pub mttr_hours: Option<f64>,
}

fn one_zone() -> u32 {
    1
}

impl Station {
    fn with_kind(name: &str, kind: StationKind, cost_usd_per_replica_hour: f64) -> Station {
        Station {
            name: name.to_owned(),
            kind,
            servers_per_replica: 1,
            replicas: 1,
            queue_limit: None,
            timeout_ms: None,
            cost_usd_per_replica_hour,
            fan_out: FanOut::Sequential,
            zones: 1,
            autoscale: None,
            mtbf_hours: None,
            mttr_hours: None,
        }
    }

    /// A plain service, one server, one replica, free until priced.
    pub fn service(name: &str, service: ServiceTime) -> Station {
        Station::with_kind(name, StationKind::Service { service }, 0.0)
    }

    /// Model inference, priced from its hardware.
    pub fn inference(name: &str, model: InferenceModel) -> Station {
        let cost = model.hardware.cost_usd_per_hour;
        Station::with_kind(name, StationKind::Inference(model), cost)
    }

    /// A cache with a hit ratio and a lookup time.
    pub fn cache(name: &str, hit_ratio: f64, lookup: ServiceTime) -> Station {
        Station::with_kind(name, StationKind::Cache { hit_ratio, lookup }, 0.0)
    }

    /// An ANN index on CPU hardware: one server per vCPU thread, priced from
    /// the hardware.
    pub fn ann(name: &str, index: AnnIndex, hardware: &HardwareSpec) -> Station {
        let mut s = Station::with_kind(name, StationKind::Ann(index), hardware.cost_usd_per_hour);
        s.servers_per_replica = hardware.vcpus.max(1);
        s
    }

    /// Sets servers per replica and replicas.
    pub fn with_servers(mut self, servers_per_replica: u32, replicas: u32) -> Station {
        self.servers_per_replica = servers_per_replica;
        self.replicas = replicas;
        self
    }

    /// Sets the queue limit.
    pub fn with_queue_limit(mut self, limit: u32) -> Station {
        self.queue_limit = Some(limit);
        self
    }

    /// Sets the queueing timeout in ms.
    pub fn with_timeout_ms(mut self, timeout_ms: f64) -> Station {
        self.timeout_ms = Some(timeout_ms);
        self
    }

    /// Sets the price of one replica in USD per hour.
    pub fn with_cost(mut self, cost_usd_per_replica_hour: f64) -> Station {
        self.cost_usd_per_replica_hour = cost_usd_per_replica_hour;
        self
    }

    /// Spreads the replicas over this many zones.
    pub fn with_zones(mut self, zones: u32) -> Station {
        self.zones = zones;
        self
    }

    /// Scales the replicas in runs over time.
    pub fn with_autoscale(mut self, policy: Autoscale) -> Station {
        self.autoscale = Some(policy);
        self
    }

    /// Calls the children in parallel and waits for the slowest.
    pub fn parallel(mut self) -> Station {
        self.fan_out = FanOut::Parallel;
        self
    }

    /// Total servers: servers per replica × replicas.
    pub fn total_servers(&self) -> u64 {
        u64::from(self.servers_per_replica) * u64::from(self.replicas)
    }

    /// What all replicas cost, in USD per hour.
    pub fn cost_usd_per_hour(&self) -> f64 {
        f64::from(self.replicas) * self.cost_usd_per_replica_hour
    }
}

/// A call from a parent station to a child, made after the parent's service.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Call {
    /// The caller.
    pub from: StationIndex,
    /// The callee.
    pub to: StationIndex,
    /// Calls per request: k ≥ 1 means ⌊k⌋ sequential calls plus one more
    /// with probability k − ⌊k⌋; below 1 it is the probability of one call.
    pub calls_per_request: f64,
    /// Constant network delay added to each call (the round trip), in ms.
    pub network_latency_ms: f64,
}

impl Call {
    /// One call per request, no network delay.
    pub fn new(from: StationIndex, to: StationIndex) -> Call {
        Call {
            from,
            to,
            calls_per_request: 1.0,
            network_latency_ms: 0.0,
        }
    }

    /// Sets the calls per request.
    pub fn times(mut self, calls_per_request: f64) -> Call {
        self.calls_per_request = calls_per_request;
        self
    }

    /// Sets the network delay per call in ms.
    pub fn latency_ms(mut self, network_latency_ms: f64) -> Call {
        self.network_latency_ms = network_latency_ms;
        self
    }
}

/// How a station serves, derived from its kind once at construction.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceModel {
    /// Time of one unbatched request, in ms.
    pub sampler: Sampler,
    /// Mean of `sampler`, in ms.
    pub mean_ms: f64,
    /// The certain part of a service, in ms (for the fan-out estimate).
    pub deterministic_ms: f64,
    /// Squared coefficient of variation of one service.
    pub scv: f64,
    /// Present when requests are served in batches.
    pub batch: Option<BatchModel>,
    /// Fraction of visits that skip the children (cache hits).
    pub hit_ratio: f64,
    /// Memory one replica needs, where known, in GB.
    pub memory_gb: Option<f64>,
}

/// A batching station's forward pass: overhead + requests × work, times a
/// log-normal jitter with median 1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BatchModel {
    /// Fixed cost of one pass, in ms.
    pub overhead_ms: f64,
    /// Added cost of each request in the pass, in ms.
    pub work_ms_per_request: f64,
    /// Most requests in a pass.
    pub max_batch: u32,
    /// Longest wait for a batch to fill, in ms.
    pub max_wait_ms: f64,
    /// Log-space sigma of the jitter.
    pub jitter_sigma: f64,
}

impl BatchModel {
    /// Mean time of a pass over `b` requests, in ms.
    pub fn mean_pass_ms(&self, b: f64) -> f64 {
        (self.overhead_ms + b * self.work_ms_per_request) * (0.5 * self.jitter_sigma.powi(2)).exp()
    }
}

/// A validated DAG of stations with one entry.
#[derive(Debug, Clone, PartialEq)]
pub struct Network {
    stations: Vec<Station>,
    calls: Vec<Call>,
    entry: StationIndex,
    models: Vec<ServiceModel>,
    order: Vec<usize>,
    visits: Vec<f64>,
    /// Indices into `calls` grouped by calling station: station s's calls
    /// are `calls_by_station[call_starts[s]..call_starts[s + 1]]`, in the
    /// order given, so walking one station's calls does not scan them all.
    calls_by_station: Vec<usize>,
    call_starts: Vec<usize>,
}

impl Network {
    /// Builds a network, refusing cycles, zero servers, NaN, negative or
    /// out-of-range parameters and a missing entry.
    pub fn new(
        stations: Vec<Station>,
        calls: Vec<Call>,
        entry: StationIndex,
    ) -> Result<Network, NetworkError> {
        if stations.is_empty() {
            return Err(NetworkError::Empty);
        }
        if entry.0 >= stations.len() {
            return Err(NetworkError::MissingEntry {
                index: entry.0,
                count: stations.len(),
            });
        }
        let mut names = std::collections::HashSet::with_capacity(stations.len());
        for s in &stations {
            if !names.insert(s.name.as_str()) {
                return Err(NetworkError::DuplicateName {
                    name: s.name.clone(),
                });
            }
        }
        let models = stations
            .iter()
            .map(validate_station)
            .collect::<Result<Vec<_>, _>>()?;
        for c in &calls {
            let from = stations
                .get(c.from.0)
                .ok_or_else(|| NetworkError::UnknownStation {
                    from: format!("#{}", c.from.0),
                    index: c.from.0,
                })?;
            if c.to.0 >= stations.len() {
                return Err(NetworkError::UnknownStation {
                    from: from.name.clone(),
                    index: c.to.0,
                });
            }
            check(
                &from.name,
                "calls per request",
                c.calls_per_request,
                0.0,
                MAX_CALLS_PER_REQUEST,
            )?;
            check(
                &from.name,
                "network latency (ms)",
                c.network_latency_ms,
                0.0,
                MAX_TIME_MS,
            )?;
        }
        let order = topological_order(&stations, &calls)?;
        let mut calls_by_station: Vec<usize> = (0..calls.len()).collect();
        calls_by_station.sort_by_key(|&i| calls[i].from.0);
        let mut call_starts = vec![0; stations.len() + 1];
        for c in &calls {
            call_starts[c.from.0 + 1] += 1;
        }
        for s in 0..stations.len() {
            call_starts[s + 1] += call_starts[s];
        }
        let mut visits = vec![0.0; stations.len()];
        visits[entry.0] = 1.0;
        for &s in &order {
            let onward = visits[s] * (1.0 - models[s].hit_ratio);
            for &i in &calls_by_station[call_starts[s]..call_starts[s + 1]] {
                let c = &calls[i];
                visits[c.to.0] += onward * c.calls_per_request;
            }
        }
        let total: f64 = visits.iter().sum();
        if total.is_nan() || total > MAX_VISITS_PER_REQUEST {
            return Err(NetworkError::TooManyVisits {
                visits: total,
                limit: MAX_VISITS_PER_REQUEST,
            });
        }
        Ok(Network {
            stations,
            calls,
            entry,
            models,
            order,
            visits,
            calls_by_station,
            call_starts,
        })
    }

    /// The stations, in the order given.
    pub fn stations(&self) -> &[Station] {
        &self.stations
    }

    /// The calls, in the order given (which is the sequential call order).
    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    /// Where requests arrive.
    pub fn entry(&self) -> StationIndex {
        self.entry
    }

    /// The derived service model of each station.
    pub fn service_models(&self) -> &[ServiceModel] {
        &self.models
    }

    /// Station indices, every parent before its children.
    pub fn topological_order(&self) -> &[usize] {
        &self.order
    }

    /// Mean visits each station gets per request (the Jackson visit ratios).
    pub fn visits_per_request(&self) -> &[f64] {
        &self.visits
    }

    /// The calls a station makes, in order.
    pub fn calls_from(&self, station: usize) -> impl Iterator<Item = &Call> {
        let range = match self.call_starts.get(station..=station + 1) {
            Some(&[a, b]) => a..b,
            _ => 0..0,
        };
        self.calls_by_station[range].iter().map(|&i| &self.calls[i])
    }
}
