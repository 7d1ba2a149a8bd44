//! Every design-review rule on a minimal diagram that triggers it and on
//! the same diagram with the gap closed.

use mlsd_studio::content::Scenario;
use mlsd_studio::diagram::{
    CallMode, ComponentKind as K, Diagram, Edge, EdgeId, EdgeSim, MlRole, Node, NodeId, NodeSim,
    Point, ServiceTime, Size,
};
use mlsd_studio::review::{Finding, RULES, ReviewInput, Severity, review};
use mlsd_studio::sim::from_diagram::network_from_diagram;
use mlsd_studio::sim::{RunConfig, Traffic, run};

const PIPELINE: &str = "Data & training pipeline";
const SERVING: &str = "Serving";

/// A diagram built a node and an edge at a time.
#[derive(Default, Clone)]
struct B(Diagram);

impl B {
    fn node(&mut self, kind: K, label: &str) -> NodeId {
        self.0.next_id += 1;
        let id = NodeId(self.0.next_id);
        self.0.nodes.push(Node {
            id,
            kind,
            label: label.into(),
            notes: String::new(),
            pos: Point {
                x: 200.0 * self.0.nodes.len() as f32,
                y: 0.0,
            },
            size: Size { w: 170.0, h: 64.0 },
            sim: None,
        });
        id
    }

    /// A node with simulator parameters: `ms` mean service time, servers
    /// per replica and replicas.
    fn station(&mut self, kind: K, label: &str, ms: f64, servers: u32, replicas: u32) -> NodeId {
        let id = self.node(kind, label);
        self.set(id, |s| {
            s.service = ServiceTime::Exponential { mean_ms: ms };
            s.servers_per_replica = servers;
            s.replicas = replicas;
            s.timeout_ms = Some(1_000.0);
        });
        id
    }

    fn set(&mut self, id: NodeId, f: impl FnOnce(&mut NodeSim)) {
        if let Some(n) = self.0.nodes.iter_mut().find(|n| n.id == id) {
            let sim = n.sim.get_or_insert_with(NodeSim::default);
            f(sim);
        }
    }

    fn edge(&mut self, from: NodeId, to: NodeId) {
        self.0.next_id += 1;
        self.0.edges.push(Edge {
            id: EdgeId(self.0.next_id),
            from,
            to,
            label: String::new(),
            sim: EdgeSim {
                mode: CallMode::Sequential,
                calls_per_request: 1.0,
                network_ms: 0.5,
            },
        });
    }
}

fn scenario(qps: f64, sla_ms: f64, budget: f64) -> Scenario {
    Scenario {
        daily_active_users: qps * 86_400.0,
        requests_per_user_per_day: 1.0,
        peak_to_mean: 1.0,
        peak_qps: qps,
        p99_sla_ms: sla_ms,
        monthly_budget_usd: budget,
    }
}

/// A sound little design: a client, a gateway, a service with an online
/// feature store and a model with a timeout, logging, monitoring, an A/B
/// split, a popular-items fallback, and a pipeline with a registry.
fn sound() -> (B, B, NodeIds) {
    let mut s = B::default();
    let client = s.node(K::Client, "App");
    let gateway = s.station(K::ApiGateway, "Gateway", 1.0, 16, 2);
    let service = s.station(K::PredictionService, "Ranking service", 2.0, 16, 2);
    let features = s.station(K::OnlineFeatureStore, "Online features", 1.0, 16, 2);
    let model = s.station(K::RankingModel, "Ranker", 5.0, 8, 3);
    let fallback = s.station(K::Cache, "Popular items fallback", 0.5, 16, 2);
    let log = s.node(K::Logging, "Prediction log");
    let monitor = s.node(K::Monitoring, "Model monitoring");
    let ab = s.node(K::AbTesting, "Experiments");
    s.edge(client, gateway);
    s.edge(gateway, service);
    s.edge(service, features);
    s.edge(service, model);
    s.edge(service, fallback);
    s.edge(service, log);
    s.edge(log, monitor);
    s.edge(ab, service);
    // The log and monitoring are off the request path in time, not in
    // drawing: give them cheap parameters so the path is fully simulated.
    s.set(log, |p| p.service = ServiceTime::Constant { ms: 0.1 });
    s.set(monitor, |p| p.service = ServiceTime::Constant { ms: 0.1 });

    let mut p = B::default();
    let logs = p.node(K::EventLogs, "Events");
    let etl = p.node(K::BatchEtl, "Daily ETL");
    let offline = p.node(K::OfflineFeatureStore, "Offline features");
    let train = p.node(K::TrainingJob, "Training");
    let registry = p.node(K::ModelRegistry, "Registry");
    p.edge(logs, etl);
    p.edge(etl, offline);
    p.edge(offline, train);
    p.edge(train, registry);
    (
        p,
        s,
        NodeIds {
            service,
            model,
            features,
        },
    )
}

struct NodeIds {
    service: NodeId,
    model: NodeId,
    features: NodeId,
}

fn findings(pipeline: &B, serving: &B, sc: &Scenario, simulate: bool) -> Vec<Finding> {
    let sim = simulate.then(|| {
        let net = network_from_diagram(&serving.0).expect("simulable");
        let config = RunConfig::new(Traffic::rps(sc.peak_qps))
            .with_requests(5_000)
            .with_replications(3);
        run(&net.network, &config).expect("runs")
    });
    review(&ReviewInput {
        diagrams: vec![(PIPELINE, &pipeline.0), (SERVING, &serving.0)],
        serving: Some(SERVING),
        scenario: sc,
        sim: sim.as_ref(),
    })
}

fn rules(f: &[Finding]) -> Vec<&'static str> {
    f.iter().map(|f| f.rule).collect()
}

fn easy() -> Scenario {
    scenario(100.0, 200.0, 100_000.0)
}

#[test]
fn the_sound_design_has_no_findings() {
    let (p, s, _) = sound();
    let f = findings(&p, &s, &easy(), true);
    assert!(f.is_empty(), "{f:#?}");
}

#[test]
fn no_entry_point() {
    let (p, mut s, _) = sound();
    s.0.nodes
        .retain(|n| !matches!(n.kind, K::Client | K::ApiGateway));
    let f = findings(&p, &s, &easy(), false);
    assert!(rules(&f).contains(&"no-entry-point"));
    assert_eq!(f[0].severity, Severity::Error);
}

#[test]
fn sla_missed_names_the_bottleneck() {
    let (p, mut s, ids) = sound();
    s.set(ids.model, |m| {
        m.service = ServiceTime::Constant { ms: 150.0 }
    });
    let sc = scenario(10.0, 100.0, 100_000.0);
    let f = findings(&p, &s, &sc, true);
    let miss = f.iter().find(|f| f.rule == "sla-missed").expect("missed");
    assert_eq!(miss.nodes, ["Ranker"]);
    assert_eq!(miss.node_ids, [ids.model]);
    assert!(!rules(&findings(&p, &s, &scenario(10.0, 400.0, 1e5), true)).contains(&"sla-missed"));
}

#[test]
fn overloaded_and_hot_stations() {
    let (p, mut s, ids) = sound();
    // 24 servers at 5 ms serve 4,800 req/s.
    let f = findings(&p, &s, &scenario(5_000.0, 1e4, 1e6), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "overloaded" && f.nodes == ["Ranker"])
    );
    let f = findings(&p, &s, &scenario(4_200.0, 1e4, 1e6), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "hot-station" && f.nodes == ["Ranker"])
    );
    assert!(!rules(&f).contains(&"overloaded"));
    s.set(ids.model, |m| m.replicas = 6);
    let f = findings(&p, &s, &scenario(4_200.0, 1e4, 1e6), false);
    assert!(!rules(&f).contains(&"hot-station"), "{f:#?}");
}

#[test]
fn over_budget() {
    let (p, s, _) = sound();
    assert!(
        rules(&findings(&p, &s, &scenario(100.0, 200.0, 10.0), false)).contains(&"over-budget")
    );
    assert!(!rules(&findings(&p, &s, &easy(), false)).contains(&"over-budget"));
}

#[test]
fn offline_component_on_the_serving_path() {
    let (p, mut s, ids) = sound();
    let warehouse = s.station(K::DataWarehouse, "Warehouse", 50.0, 4, 2);
    s.edge(ids.service, warehouse);
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "offline-on-serving-path" && f.nodes == ["Warehouse"])
    );
}

#[test]
fn cycle_on_the_serving_path() {
    let (p, mut s, ids) = sound();
    s.edge(ids.model, ids.service);
    let f = findings(&p, &s, &easy(), false);
    let cycle = f
        .iter()
        .find(|f| f.rule == "cycle-on-serving-path")
        .expect("cycle");
    assert!(cycle.nodes.contains(&"Ranker".to_owned()));
    assert!(cycle.nodes.contains(&"Ranking service".to_owned()));
}

#[test]
fn single_replica() {
    let (p, mut s, ids) = sound();
    s.set(ids.features, |f| f.replicas = 1);
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "single-replica" && f.nodes == ["Online features"])
    );
}

#[test]
fn no_fallback_or_timeout_around_a_model() {
    let (p, mut s, ids) = sound();
    s.0.nodes.retain(|n| !n.label.contains("fallback"));
    s.0.edges.retain(|e| s.0.nodes.iter().any(|n| n.id == e.to));
    assert!(!rules(&findings(&p, &s, &easy(), false)).contains(&"no-fallback"));
    s.set(ids.model, |m| m.timeout_ms = None);
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "no-fallback" && f.nodes == ["Ranker"])
    );
}

#[test]
fn gpu_inference_without_batching() {
    let (p, mut s, ids) = sound();
    let batching = |max_batch| MlRole::Inference {
        gflops_per_item: 1.0,
        items_per_request: 10.0,
        max_batch,
        max_wait_ms: 2.0,
    };
    s.set(ids.model, |m| {
        m.hardware_id = "g4dn.xlarge".into();
        m.ml = batching(1);
    });
    let f = findings(&p, &s, &easy(), false);
    assert!(f.iter().any(|f| f.rule == "gpu-unbatched"), "{f:#?}");
    s.set(ids.model, |m| m.ml = batching(32));
    assert!(!rules(&findings(&p, &s, &easy(), false)).contains(&"gpu-unbatched"));
}

#[test]
fn features_only_from_an_offline_store() {
    let (p, mut s, ids) = sound();
    s.0.nodes.retain(|n| n.id != ids.features);
    s.0.edges.retain(|e| e.to != ids.features);
    s.0.nodes.retain(|n| n.kind != K::Cache);
    s.0.edges.retain(|e| s.0.nodes.iter().any(|n| n.id == e.to));
    let offline = s.node(K::OfflineFeatureStore, "Hive features");
    s.edge(offline, ids.model);
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "offline-features-only" && f.nodes == ["Hive features"])
    );
}

#[test]
fn no_logging_and_no_monitoring() {
    let (mut p, mut s, _) = sound();
    s.0.nodes
        .retain(|n| !matches!(n.kind, K::Logging | K::Monitoring));
    p.0.nodes.retain(|n| n.kind != K::EventLogs);
    for d in [&mut s, &mut p] {
        let ids: Vec<NodeId> = d.0.nodes.iter().map(|n| n.id).collect();
        d.0.edges
            .retain(|e| ids.contains(&e.from) && ids.contains(&e.to));
    }
    let f = findings(&p, &s, &easy(), false);
    assert!(rules(&f).contains(&"no-logging"));
    assert!(rules(&f).contains(&"no-monitoring"));
}

#[test]
fn no_model_registry() {
    let (mut p, s, _) = sound();
    p.0.nodes.retain(|n| n.kind != K::ModelRegistry);
    p.0.edges.retain(|e| p.0.nodes.iter().any(|n| n.id == e.to));
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "no-model-registry" && f.nodes == ["Training"])
    );
}

#[test]
fn an_ann_index_needs_a_path_from_an_embedding_model() {
    let (mut p, mut s, ids) = sound();
    let index = s.station(K::VectorIndex, "ANN index", 3.0, 16, 2);
    s.edge(ids.service, index);
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "ann-not-refreshed" && f.nodes == ["ANN index"])
    );
    let embed = p.node(K::EmbeddingModel, "Item tower");
    let build = p.node(K::VectorIndex, "ANN index build");
    p.edge(embed, build);
    assert!(!rules(&findings(&p, &s, &easy(), false)).contains(&"ann-not-refreshed"));
}

#[test]
fn disconnected_and_dangling_nodes() {
    let (p, mut s, _) = sound();
    let a = s.station(K::KeyValueStore, "Island A", 1.0, 4, 2);
    let b = s.station(K::Cache, "Island B", 1.0, 4, 2);
    s.edge(a, b);
    s.node(K::BlobStore, "Loose blob store");
    let f = findings(&p, &s, &easy(), false);
    let apart = f.iter().find(|f| f.rule == "disconnected").expect("island");
    assert_eq!(apart.nodes, ["Island A", "Island B"]);
    assert!(
        f.iter()
            .any(|f| f.rule == "dangling-node" && f.nodes == ["Loose blob store"])
    );
}

#[test]
fn serving_nodes_without_parameters() {
    let (p, mut s, ids) = sound();
    if let Some(n) = s.0.nodes.iter_mut().find(|n| n.id == ids.model) {
        n.sim = None;
    }
    let f = findings(&p, &s, &easy(), false);
    assert!(
        f.iter()
            .any(|f| f.rule == "not-parameterised" && f.nodes == ["Ranker"])
    );
}

#[test]
fn no_experiment_component() {
    let (p, mut s, _) = sound();
    s.0.nodes.retain(|n| n.kind != K::AbTesting);
    s.0.edges
        .retain(|e| s.0.nodes.iter().any(|n| n.id == e.from));
    assert!(rules(&findings(&p, &s, &easy(), false)).contains(&"no-experiment"));
}

#[test]
fn every_rule_is_tested_and_documented() {
    let tests = include_str!("review_rules.rs");
    let docs = include_str!("../docs/design-review.md");
    assert!(RULES.len() >= 15);
    for rule in RULES {
        assert!(
            tests.contains(&format!("\"{}\"", rule.id)),
            "no test names {}",
            rule.id
        );
        assert!(
            docs.contains(&format!("`{}`", rule.id)),
            "docs/design-review.md does not document {}",
            rule.id
        );
        assert!((1..=7).contains(&rule.step), "{}", rule.id);
    }
}
