//! The design review's rules. Each looks at the session's diagrams (and, for
//! the serving path, the analytic model and the last simulation) and says
//! why what it found matters. `docs/design-review.md` shows each with an
//! example.

use std::collections::{HashSet, VecDeque};

use super::findings::{Finding, Severity};
use crate::content::Scenario;
use crate::diagram::{Category, ComponentKind, Diagram, GraphIndex, MlRole, Node, NodeId};
use crate::sim::from_diagram::network_from_diagram;
use crate::sim::{AnalyticReport, SimReport, Traffic, analyze, hardware};

/// Hours in a month, for monthly cost.
const HOURS_PER_MONTH: f64 = 730.0;
/// A station busier than this at peak has no room for a spike or a lost
/// replica.
pub const MAX_PEAK_LOAD: f64 = 0.8;
/// Above this many inferences per second, a GPU without batching wastes
/// most of its throughput.
const GPU_BATCHING_RPS: f64 = 100.0;

/// What the rules read.
pub struct ReviewInput<'a> {
    /// The pipeline and serving diagrams, by name.
    pub diagrams: Vec<(&'a str, &'a Diagram)>,
    /// Which of them is the serving path.
    pub serving: Option<&'a str>,
    pub scenario: &'a Scenario,
    /// The last discrete-event simulation of the serving diagram, if it is
    /// current; the p99 rule needs it.
    pub sim: Option<&'a SimReport>,
}

/// One rule: its id, severity, framework step, and what it checks.
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    pub step: u8,
    /// One line for the docs and the rule list.
    pub summary: &'static str,
    check: fn(&Review<'_>, &Rule) -> Vec<Finding>,
}

/// Every rule, in the order findings are listed within a severity.
pub const RULES: &[Rule] = &[
    Rule {
        id: "no-entry-point",
        severity: Severity::Error,
        step: 6,
        summary: "the serving diagram has no client or API gateway where requests enter",
        check: no_entry_point,
    },
    Rule {
        id: "sla-missed",
        severity: Severity::Error,
        step: 6,
        summary: "the simulated p99 (upper end of its 95% interval) is above the case's SLA",
        check: sla_missed,
    },
    Rule {
        id: "overloaded",
        severity: Severity::Error,
        step: 6,
        summary: "a station gets more requests at peak than it can serve",
        check: overloaded,
    },
    Rule {
        id: "over-budget",
        severity: Severity::Error,
        step: 6,
        summary: "the serving path costs more per month than the case's budget",
        check: over_budget,
    },
    Rule {
        id: "offline-on-serving-path",
        severity: Severity::Error,
        step: 6,
        summary: "a batch or offline component is called synchronously while serving a request",
        check: offline_on_serving_path,
    },
    Rule {
        id: "cycle-on-serving-path",
        severity: Severity::Error,
        step: 6,
        summary: "calls on the serving path go round in a loop",
        check: cycle_on_serving_path,
    },
    Rule {
        id: "hot-station",
        severity: Severity::Warning,
        step: 6,
        summary: "a station runs above 80% load at peak",
        check: hot_station,
    },
    Rule {
        id: "single-replica",
        severity: Severity::Warning,
        step: 6,
        summary: "a serving component has one replica: a single point of failure",
        check: single_replica,
    },
    Rule {
        id: "no-fallback",
        severity: Severity::Warning,
        step: 6,
        summary: "a model on the serving path has no timeout and no fallback",
        check: no_fallback,
    },
    Rule {
        id: "gpu-unbatched",
        severity: Severity::Warning,
        step: 6,
        summary: "GPU inference at high QPS without batching",
        check: gpu_unbatched,
    },
    Rule {
        id: "offline-features-only",
        severity: Severity::Warning,
        step: 3,
        summary: "a model reads features only from an offline store (training-serving skew)",
        check: offline_features_only,
    },
    Rule {
        id: "no-logging",
        severity: Severity::Warning,
        step: 7,
        summary: "predictions and outcomes are not logged, so there are no labels to retrain on",
        check: no_logging,
    },
    Rule {
        id: "no-monitoring",
        severity: Severity::Warning,
        step: 7,
        summary: "nothing monitors the model or alerts on it",
        check: no_monitoring,
    },
    Rule {
        id: "no-model-registry",
        severity: Severity::Warning,
        step: 6,
        summary: "models go from training to serving without a registry",
        check: no_model_registry,
    },
    Rule {
        id: "ann-not-refreshed",
        severity: Severity::Warning,
        step: 6,
        summary: "a vector index has no path from an embedding model that refreshes it",
        check: ann_not_refreshed,
    },
    Rule {
        id: "disconnected",
        severity: Severity::Warning,
        step: 6,
        summary: "part of the serving diagram is not connected to where requests enter",
        check: disconnected,
    },
    Rule {
        id: "dangling-node",
        severity: Severity::Info,
        step: 3,
        summary: "a component is connected to nothing",
        check: dangling_node,
    },
    Rule {
        id: "not-parameterised",
        severity: Severity::Info,
        step: 6,
        summary: "a serving component has no simulator parameters, so the path cannot be simulated",
        check: not_parameterised,
    },
    Rule {
        id: "no-experiment",
        severity: Severity::Info,
        step: 5,
        summary: "no A/B testing or experiment component to compare models online",
        check: no_experiment,
    },
];

/// The review of a set of diagrams: every rule's findings, errors first.
pub fn review(input: &ReviewInput<'_>) -> Vec<Finding> {
    let review = Review::new(input);
    let mut findings: Vec<Finding> = RULES.iter().flat_map(|r| (r.check)(&review, r)).collect();
    findings.sort_by_key(|f| f.severity);
    findings
}

/// What the rules share: the input, the serving diagram's entry points and
/// the nodes they reach, and the analytic model of the serving path.
struct Review<'a> {
    input: &'a ReviewInput<'a>,
    serving: Option<(&'a str, &'a Diagram)>,
    entries: Vec<NodeId>,
    reached: HashSet<NodeId>,
    analytic: Option<(AnalyticReport, Vec<NodeId>)>,
}

impl<'a> Review<'a> {
    fn new(input: &'a ReviewInput<'a>) -> Review<'a> {
        let serving = input
            .serving
            .and_then(|name| input.diagrams.iter().find(|(n, _)| *n == name))
            .copied();
        let entries = serving.map_or_else(Vec::new, |(_, d)| entry_points(d));
        let reached = serving.map_or_else(HashSet::new, |(_, d)| reachable(d, &entries));
        let analytic = serving.and_then(|(_, d)| {
            let mapped = network_from_diagram(d).ok()?;
            let report = analyze(&mapped.network, &Traffic::rps(input.scenario.peak_qps));
            Some((report, mapped.nodes))
        });
        Review {
            input,
            serving,
            entries,
            reached,
            analytic,
        }
    }

    fn finding(&self, rule: &Rule, diagram: &str, nodes: &[&Node], message: String) -> Finding {
        Finding {
            rule: rule.id,
            severity: rule.severity,
            diagram: diagram.to_owned(),
            node_ids: nodes.iter().map(|n| n.id).collect(),
            nodes: nodes.iter().map(|n| n.label.clone()).collect(),
            step: rule.step,
            message,
        }
    }

    /// Nodes of the serving diagram that requests reach.
    fn on_path(&self) -> impl Iterator<Item = &'a Node> + '_ {
        self.serving
            .into_iter()
            .flat_map(|(_, d)| d.nodes.iter())
            .filter(|n| self.reached.contains(&n.id))
    }

    fn all_nodes(&self) -> impl Iterator<Item = (&'a str, &'a Node)> + '_ {
        self.input
            .diagrams
            .iter()
            .flat_map(|(name, d)| d.nodes.iter().map(move |n| (*name, n)))
    }

    fn has_kind(&self, kinds: &[ComponentKind]) -> bool {
        self.all_nodes().any(|(_, n)| kinds.contains(&n.kind))
    }

    fn serving_name(&self) -> &'a str {
        self.serving.map_or("", |(name, _)| name)
    }
}

/// Where requests enter: clients, and gateways nothing calls.
fn entry_points(d: &Diagram) -> Vec<NodeId> {
    let called: HashSet<NodeId> = d.edges.iter().map(|e| e.to).collect();
    let clients: Vec<NodeId> = d
        .nodes
        .iter()
        .filter(|n| n.kind == ComponentKind::Client)
        .map(|n| n.id)
        .collect();
    if !clients.is_empty() {
        return clients;
    }
    d.nodes
        .iter()
        .filter(|n| n.kind == ComponentKind::ApiGateway && !called.contains(&n.id))
        .map(|n| n.id)
        .collect()
}

/// Every node reachable from `from` along edges, `from` included.
fn reachable(d: &Diagram, from: &[NodeId]) -> HashSet<NodeId> {
    let graph = GraphIndex::new(
        d.nodes.iter().map(|n| n.id),
        d.edges.iter().map(|e| (e.from, e.to)),
    );
    from.iter()
        .flat_map(|&start| graph.reachable_from(start))
        .collect()
}

fn is_model(kind: ComponentKind) -> bool {
    matches!(
        kind,
        ComponentKind::EmbeddingModel
            | ComponentKind::CandidateGeneration
            | ComponentKind::RankingModel
            | ComponentKind::ReRanker
            | ComponentKind::Classifier
    )
}

/// Components that work in batches or hold data for offline use.
fn is_offline(kind: ComponentKind) -> bool {
    matches!(
        kind,
        ComponentKind::DataWarehouse
            | ComponentKind::BatchEtl
            | ComponentKind::OfflineFeatureStore
            | ComponentKind::TrainingJob
            | ComponentKind::BatchPrediction
            | ComponentKind::Labeling
    )
}

fn names(nodes: &[&Node]) -> String {
    nodes
        .iter()
        .map(|n| format!("\"{}\"", n.label))
        .collect::<Vec<_>>()
        .join(", ")
}

fn no_entry_point(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    match r.serving {
        Some((name, d)) if !d.nodes.iter().all(|n| n.kind.is_note()) && r.entries.is_empty() => {
            vec![r.finding(
                rule,
                name,
                &[],
                "Nothing shows where requests come from. Add a client or an API gateway so the path, its latency budget and its load start somewhere.".into(),
            )]
        }
        _ => Vec::new(),
    }
}

/// The diagram node behind the station called `station`.
fn station_node<'a>(r: &Review<'a>, station: &str) -> Option<&'a Node> {
    let (_, d) = r.serving?;
    let (report, nodes) = r.analytic.as_ref()?;
    let i = report.stations.iter().position(|s| s.name == station)?;
    d.node(*nodes.get(i)?)
}

fn sla_missed(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some(sim) = r.input.sim else {
        return Vec::new();
    };
    let Some(p99) = sim.latency_ms.as_ref().map(|l| &l.p99) else {
        return Vec::new();
    };
    let upper = p99.mean + p99.ci95_half_width.unwrap_or(0.0);
    let sla = r.input.scenario.p99_sla_ms;
    if upper <= sla {
        return Vec::new();
    }
    let bottleneck: Vec<&Node> = sim
        .bottleneck
        .as_deref()
        .and_then(|b| station_node(r, b))
        .into_iter()
        .collect();
    vec![r.finding(
        rule,
        r.serving_name(),
        &bottleneck,
        format!(
            "At {:.0} req/s the simulated p99 is {:.0} ms (up to {upper:.0} ms within its 95% interval), above the {sla:.0} ms SLA. Cut the slowest stage's time, add capacity where queues build, or move work off the synchronous path.",
            sim.offered_rps, p99.mean
        ),
    )]
}

fn overloaded(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((report, _)) = &r.analytic else {
        return Vec::new();
    };
    report
        .stations
        .iter()
        .filter(|s| s.load >= 1.0)
        .filter_map(|s| {
            let node = station_node(r, &s.name)?;
            Some(r.finding(
                rule,
                r.serving_name(),
                &[node],
                format!(
                    "At the case's peak of {:.0} req/s, \"{}\" receives {:.0} req/s but can serve at most {:.0}: its queue grows without bound and latency with it. Add replicas or servers, batch, or make each request cheaper.",
                    r.input.scenario.peak_qps,
                    node.label,
                    s.arrival_rps,
                    s.capacity_rps.unwrap_or(0.0)
                ),
            ))
        })
        .collect()
}

fn hot_station(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((report, _)) = &r.analytic else {
        return Vec::new();
    };
    report
        .stations
        .iter()
        .filter(|s| (MAX_PEAK_LOAD..1.0).contains(&s.load))
        .filter_map(|s| {
            let node = station_node(r, &s.name)?;
            Some(r.finding(
                rule,
                r.serving_name(),
                &[node],
                format!(
                    "\"{}\" runs at {:.0}% load at peak. Above about {:.0}%, queueing delay climbs steeply, and a traffic spike or one lost replica pushes it over; size for headroom.",
                    node.label,
                    s.load * 100.0,
                    MAX_PEAK_LOAD * 100.0
                ),
            ))
        })
        .collect()
}

fn over_budget(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((report, _)) = &r.analytic else {
        return Vec::new();
    };
    let monthly = report.cost_usd_per_hour * HOURS_PER_MONTH;
    let budget = r.input.scenario.monthly_budget_usd;
    if monthly <= budget {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        r.serving_name(),
        &[],
        format!(
            "The serving path costs about ${monthly:.0} a month against a budget of ${budget:.0}. Right-size replicas, use cheaper hardware where the latency allows, cache, or cascade a cheap model before the expensive one."
        ),
    )]
}

fn offline_on_serving_path(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let offline: Vec<&Node> = r.on_path().filter(|n| is_offline(n.kind)).collect();
    offline
        .into_iter()
        .map(|n| {
            r.finding(
                rule,
                r.serving_name(),
                &[n],
                format!(
                    "\"{}\" ({}) is reached synchronously while a request waits. Batch and offline systems answer in seconds to hours, not milliseconds; serve from an online store or a precomputed result instead.",
                    n.label,
                    n.kind.label()
                ),
            )
        })
        .collect()
}

fn cycle_on_serving_path(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((name, d)) = r.serving else {
        return Vec::new();
    };
    let mut in_cycle: Vec<&Node> = d
        .nodes
        .iter()
        .filter(|n| r.reached.contains(&n.id))
        .filter(|n| {
            let next: Vec<NodeId> = d
                .edges
                .iter()
                .filter(|e| e.from == n.id)
                .map(|e| e.to)
                .collect();
            reachable(d, &next).contains(&n.id)
        })
        .collect();
    if in_cycle.is_empty() {
        return Vec::new();
    }
    in_cycle.sort_by_key(|n| n.id);
    vec![r.finding(
        rule,
        name,
        &in_cycle,
        format!(
            "Calls between {} go round in a loop, so one request can call itself without end. Draw the calls as a tree from the entry, and show feedback (logs, retraining) in the pipeline diagram.",
            names(&in_cycle)
        ),
    )]
}

fn single_replica(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    r.on_path()
        .filter(|n| n.sim.as_ref().is_some_and(|s| s.replicas == 1))
        .map(|n| {
            r.finding(
                rule,
                r.serving_name(),
                &[n],
                format!(
                    "\"{}\" runs as one replica: when it fails or is redeployed, every request fails. Run at least two, in different zones.",
                    n.label
                ),
            )
        })
        .collect()
}

fn no_fallback(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((name, d)) = r.serving else {
        return Vec::new();
    };
    let has_fallback = d.nodes.iter().any(|n| {
        let l = n.label.to_lowercase();
        l.contains("fallback") || l.contains("default") || l.contains("popular")
    });
    if has_fallback {
        return Vec::new();
    }
    r.on_path()
        .filter(|n| is_model(n.kind) || matches!(n.sim.as_ref().map(|s| &s.ml), Some(MlRole::Inference { .. })))
        .filter(|n| n.sim.as_ref().is_none_or(|s| s.timeout_ms.is_none()))
        .map(|n| {
            r.finding(
                rule,
                name,
                &[n],
                format!(
                    "When \"{}\" is slow or down, nothing bounds the wait and nothing answers instead. Give the call a timeout and a fallback (cached or popular results, a simpler model) so the product degrades rather than fails.",
                    n.label
                ),
            )
        })
        .collect()
}

fn gpu_unbatched(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let peak = r.input.scenario.peak_qps;
    r.on_path()
        .filter_map(|n| {
            let sim = n.sim.as_ref()?;
            let MlRole::Inference {
                items_per_request,
                max_batch,
                ..
            } = sim.ml
            else {
                return None;
            };
            let on_gpu = hardware::find(&sim.hardware_id).is_some_and(|h| h.accelerator != "cpu");
            let rate = peak * items_per_request;
            (on_gpu && max_batch <= 1 && rate > GPU_BATCHING_RPS).then(|| {
                r.finding(
                    rule,
                    r.serving_name(),
                    &[n],
                    format!(
                        "\"{}\" runs on a GPU one item at a time at about {rate:.0} items/s. A GPU at batch 1 uses a small part of its throughput; dynamic batching (a few ms of wait) multiplies it.",
                        n.label
                    ),
                )
            })
        })
        .collect()
}

fn offline_features_only(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((name, d)) = r.serving else {
        return Vec::new();
    };
    let online = d.nodes.iter().any(|n| {
        matches!(
            n.kind,
            ComponentKind::OnlineFeatureStore | ComponentKind::KeyValueStore | ComponentKind::Cache
        )
    });
    if online {
        return Vec::new();
    }
    d.nodes
        .iter()
        .filter(|n| n.kind == ComponentKind::OfflineFeatureStore)
        .filter(|store| {
            d.edges.iter().any(|e| {
                let other = if e.from == store.id { e.to } else if e.to == store.id { e.from } else { return false };
                d.node(other).is_some_and(|o| is_model(o.kind) || o.kind == ComponentKind::PredictionService)
            })
        })
        .map(|store| {
            r.finding(
                rule,
                name,
                &[store],
                format!(
                    "Serving reads features from \"{}\", an offline store, and from no online one. Features computed one way for training and another for serving drift apart (training-serving skew); serve them from an online feature store fed by the same definitions.",
                    store.label
                ),
            )
        })
        .collect()
}

fn no_logging(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((name, d)) = r.serving else {
        return Vec::new();
    };
    if d.nodes.is_empty() || r.has_kind(&[ComponentKind::Logging, ComponentKind::EventLogs]) {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        name,
        &[],
        "Nothing logs what was predicted and what the user then did. Without that log there are no fresh labels, no way to measure the model online, and no feedback loop for retraining.".into(),
    )]
}

fn no_monitoring(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let any = r.all_nodes().any(|(_, n)| !n.kind.is_note());
    if !any || r.has_kind(&[ComponentKind::Monitoring, ComponentKind::Alerting]) {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        r.serving_name(),
        &[],
        "Nothing watches the model in production. Monitor input drift, prediction distributions and online metrics, and alert on them, or a silent failure runs for weeks.".into(),
    )]
}

fn no_model_registry(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let training: Vec<(&str, &Node)> = r
        .all_nodes()
        .filter(|(_, n)| n.kind == ComponentKind::TrainingJob)
        .collect();
    let serves = r
        .all_nodes()
        .any(|(_, n)| is_model(n.kind) || n.kind == ComponentKind::PredictionService);
    if training.is_empty() || !serves || r.has_kind(&[ComponentKind::ModelRegistry]) {
        return Vec::new();
    }
    let (diagram, _) = training[0];
    let nodes: Vec<&Node> = training.iter().map(|(_, n)| *n).collect();
    vec![r.finding(
        rule,
        diagram,
        &nodes,
        "Trained models reach serving with no registry between them. A registry versions each model with its data and metrics, gates promotion, and makes rollback one step.".into(),
    )]
}

fn ann_not_refreshed(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let writers = [
        ComponentKind::EmbeddingModel,
        ComponentKind::BatchPrediction,
        ComponentKind::BatchEtl,
        ComponentKind::FeaturePipeline,
        ComponentKind::StreamProcessor,
    ];
    let fed = r.input.diagrams.iter().any(|(_, d)| {
        let sources: Vec<NodeId> = d
            .nodes
            .iter()
            .filter(|n| writers.contains(&n.kind))
            .map(|n| n.id)
            .collect();
        let reached = reachable(d, &sources);
        d.nodes.iter().any(|n| {
            n.kind == ComponentKind::VectorIndex
                && reached.contains(&n.id)
                && !sources.contains(&n.id)
        })
    });
    if fed {
        return Vec::new();
    }
    r.all_nodes()
        .filter(|(_, n)| n.kind == ComponentKind::VectorIndex)
        .map(|(diagram, n)| {
            r.finding(
                rule,
                diagram,
                &[n],
                format!(
                    "Nothing shows how \"{}\" gets its vectors. New and changed items must be embedded and written to the index, and the whole index rebuilt when the embedding model changes.",
                    n.label
                ),
            )
        })
        .collect()
}

fn disconnected(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let Some((name, d)) = r.serving else {
        return Vec::new();
    };
    if r.entries.is_empty() {
        return Vec::new();
    }
    // Connected in either direction: side systems that call into the path
    // (experiment config, monitoring) belong to it.
    let mut linked: HashSet<NodeId> = r.entries.iter().copied().collect();
    let mut queue: VecDeque<NodeId> = r.entries.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        for e in &d.edges {
            let other = if e.from == n {
                e.to
            } else if e.to == n {
                e.from
            } else {
                continue;
            };
            if linked.insert(other) {
                queue.push_back(other);
            }
        }
    }
    let apart: Vec<&Node> = d
        .nodes
        .iter()
        .filter(|n| !n.kind.is_note() && !linked.contains(&n.id))
        .filter(|n| d.edges.iter().any(|e| e.from == n.id || e.to == n.id))
        .collect();
    if apart.is_empty() {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        name,
        &apart,
        format!(
            "{} connect to each other but not to where requests enter, so no request reaches them. Connect them to the path, or move them to the pipeline diagram.",
            names(&apart)
        ),
    )]
}

fn dangling_node(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    r.input
        .diagrams
        .iter()
        .flat_map(|(name, d)| {
            d.nodes
                .iter()
                .filter(|n| !n.kind.is_note() && n.kind.category() != Category::Other)
                .filter(|n| !d.edges.iter().any(|e| e.from == n.id || e.to == n.id))
                .map(|n| {
                    r.finding(
                        rule,
                        name,
                        &[n],
                        format!(
                            "\"{}\" is connected to nothing. Show what feeds it and what reads from it, or remove it.",
                            n.label
                        ),
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn not_parameterised(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let missing: Vec<&Node> = r
        .on_path()
        .filter(|n| n.sim.is_none() && n.kind != ComponentKind::Client && !n.kind.is_note())
        .filter(|n| n.kind.category() != Category::Operations)
        .collect();
    if missing.is_empty() {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        r.serving_name(),
        &missing,
        format!(
            "{} have no simulator parameters, so the simulator skips them and the p99 and cost leave them out. Give each a service time and replicas in its properties.",
            names(&missing)
        ),
    )]
}

fn no_experiment(r: &Review<'_>, rule: &Rule) -> Vec<Finding> {
    let any_model = r.all_nodes().any(|(_, n)| is_model(n.kind));
    if !any_model || r.has_kind(&[ComponentKind::AbTesting]) {
        return Vec::new();
    }
    vec![r.finding(
        rule,
        r.serving_name(),
        &[],
        "No component splits traffic between model versions. An A/B test (or interleaving) is how a new model proves itself online before it takes all traffic.".into(),
    )]
}
