//! The candidate's diagram beside the reference: components matched by the
//! role they play, whatever they are called, so "Redis features" meets
//! "Online feature store" and "FAISS" meets "Vector index".

use serde::Serialize;

use crate::diagram::{Category, ComponentKind as K, Diagram, Node};

/// What a component does in an ML system, the unit of comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Role {
    Entry,
    Service,
    OnlineFeatures,
    OfflineFeatures,
    VectorIndex,
    Cache,
    EmbeddingModel,
    CandidateGeneration,
    Ranker,
    ReRanker,
    Classifier,
    Fallback,
    Logging,
    Monitoring,
    Experiments,
    Registry,
    Training,
    Labeling,
    Streaming,
    BatchProcessing,
    BatchPrediction,
    RawData,
}

/// Words and phrases in a label that name a role, checked (as whole words)
/// before the kind, so that a generic box labelled "FAISS index" counts as a
/// vector index.
const SYNONYMS: &[(Role, &[&str])] = &[
    (Role::Fallback, &["fallback", "popular", "default"]),
    (
        Role::VectorIndex,
        &[
            "ann",
            "faiss",
            "hnsw",
            "vector",
            "vectors",
            "scann",
            "ivf",
            "ivf-pq",
            "nearest neighbour",
            "nearest neighbor",
        ],
    ),
    (
        Role::OnlineFeatures,
        &[
            "online feature",
            "online features",
            "redis",
            "feature cache",
        ],
    ),
    (Role::Registry, &["registry", "model store"]),
    (
        Role::Experiments,
        &["a/b", "experiment", "experiments", "bucketing"],
    ),
    (
        Role::Monitoring,
        &[
            "monitor",
            "monitoring",
            "dashboard",
            "dashboards",
            "drift",
            "alert",
            "alerts",
            "alerting",
        ],
    ),
    (Role::Logging, &["log", "logs", "logging", "logger"]),
    (
        Role::ReRanker,
        &[
            "re-rank",
            "rerank",
            "re-ranker",
            "reranker",
            "re-ranking",
            "filter",
            "filtering",
            "blender",
        ],
    ),
    (Role::Ranker, &["ranker", "ranking"]),
    (
        Role::CandidateGeneration,
        &["candidate", "candidates", "retrieval"],
    ),
    (
        Role::EmbeddingModel,
        &["embedding", "embeddings", "encoder", "tower"],
    ),
    (
        Role::Streaming,
        &["kafka", "flink", "stream", "streaming", "queue"],
    ),
];

/// `phrase` appears in `label` (lower case) as whole words.
fn has_phrase(label: &str, phrase: &str) -> bool {
    label.match_indices(phrase).any(|(i, _)| {
        let before = label[..i].chars().next_back();
        let after = label[i + phrase.len()..].chars().next();
        before.is_none_or(|c| !c.is_alphanumeric()) && after.is_none_or(|c| !c.is_alphanumeric())
    })
}

/// Why a role matters, said to a candidate whose design lacks it.
pub fn why(role: Role) -> &'static str {
    match role {
        Role::Entry => {
            "Without an entry point there is no request path to size or to budget latency on."
        }
        Role::Service => {
            "A service owns the request: it fans out to features and models, applies business rules and answers within the latency budget."
        }
        Role::OnlineFeatures => {
            "Serving needs fresh features in milliseconds, computed by the same definitions as training, or the model sees different inputs online (training-serving skew)."
        }
        Role::OfflineFeatures => {
            "Training needs point-in-time features for past examples, kept apart from the online store but built from the same definitions."
        }
        Role::VectorIndex => {
            "Finding the nearest items among millions in milliseconds needs an approximate nearest-neighbour index, not a scan."
        }
        Role::Cache => {
            "Repeated requests and hot items can be answered from a cache, which cuts latency and cost at peak."
        }
        Role::EmbeddingModel => {
            "Embeddings turn items and users into vectors that retrieval and similarity can use."
        }
        Role::CandidateGeneration => {
            "A cheap first stage narrows millions of items to hundreds, so the expensive model scores only those."
        }
        Role::Ranker => {
            "A ranking model orders the candidates by the objective the business cares about."
        }
        Role::ReRanker => {
            "A last pass applies diversity, freshness and policy rules the model's per-item scores cannot see."
        }
        Role::Classifier => "A classifier turns the inputs into the decision the product acts on.",
        Role::Fallback => {
            "When a model is slow or down, a fallback answer keeps the product working instead of failing."
        }
        Role::Logging => {
            "Logging what was shown and what the user did is where new labels and online metrics come from."
        }
        Role::Monitoring => {
            "Monitoring catches drift and silent failures before users or the business do."
        }
        Role::Experiments => {
            "An A/B split is how a new model proves it beats the old one online before it takes all traffic."
        }
        Role::Registry => {
            "A registry versions models with their data and metrics, gates promotion and makes rollback one step."
        }
        Role::Training => {
            "A training job turns the labelled data into the next model, on a schedule the drift calls for."
        }
        Role::Labeling => {
            "Human labels or reviews give ground truth where user behaviour does not."
        }
        Role::Streaming => {
            "A stream keeps features and counts fresh within seconds and decouples slow work from the request."
        }
        Role::BatchProcessing => {
            "Batch jobs clean, join and aggregate the raw data into training sets and features."
        }
        Role::BatchPrediction => {
            "Precomputing predictions in batch serves them instantly where freshness allows."
        }
        Role::RawData => {
            "The raw events, items and users are what every label and feature is derived from."
        }
    }
}

impl Role {
    /// The words shown for the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Entry => "entry point (client or gateway)",
            Role::Service => "serving service",
            Role::OnlineFeatures => "online feature store",
            Role::OfflineFeatures => "offline feature store",
            Role::VectorIndex => "vector index (ANN)",
            Role::Cache => "cache",
            Role::EmbeddingModel => "embedding model",
            Role::CandidateGeneration => "candidate generation",
            Role::Ranker => "ranking model",
            Role::ReRanker => "re-ranking and filtering",
            Role::Classifier => "classifier",
            Role::Fallback => "fallback",
            Role::Logging => "prediction and outcome logging",
            Role::Monitoring => "monitoring and alerting",
            Role::Experiments => "A/B testing",
            Role::Registry => "model registry",
            Role::Training => "training",
            Role::Labeling => "labelling",
            Role::Streaming => "stream processing",
            Role::BatchProcessing => "batch processing",
            Role::BatchPrediction => "batch prediction",
            Role::RawData => "raw data sources",
        }
    }
}

/// The role a node plays: raw data by its kind, then its label's words,
/// then its kind.
pub fn role_of(node: &Node) -> Option<Role> {
    if node.kind.category() == Category::DataSource {
        return Some(Role::RawData);
    }
    let label = node.label.to_lowercase();
    if let Some((role, _)) = SYNONYMS
        .iter()
        .find(|(_, words)| words.iter().any(|w| has_phrase(&label, w)))
    {
        return Some(*role);
    }
    Some(match node.kind {
        K::Client | K::ApiGateway => Role::Entry,
        K::PredictionService => Role::Service,
        K::OnlineFeatureStore | K::KeyValueStore => Role::OnlineFeatures,
        K::OfflineFeatureStore => Role::OfflineFeatures,
        K::VectorIndex => Role::VectorIndex,
        K::Cache => Role::Cache,
        K::EmbeddingModel => Role::EmbeddingModel,
        K::CandidateGeneration => Role::CandidateGeneration,
        K::RankingModel => Role::Ranker,
        K::ReRanker => Role::ReRanker,
        K::Classifier => Role::Classifier,
        K::Logging => Role::Logging,
        K::Monitoring | K::Alerting => Role::Monitoring,
        K::AbTesting => Role::Experiments,
        K::ModelRegistry => Role::Registry,
        K::TrainingJob => Role::Training,
        K::Labeling => Role::Labeling,
        K::StreamProcessor => Role::Streaming,
        K::BatchEtl | K::FeaturePipeline => Role::BatchProcessing,
        K::BatchPrediction => Role::BatchPrediction,
        K::EventLogs
        | K::UserDatabase
        | K::ItemCatalog
        | K::ObjectStore
        | K::DataWarehouse
        | K::BlobStore => Role::RawData,
        K::Generic | K::Note => return None,
    })
}

/// A role present on one side only, with the components that play it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoleGap {
    pub role: Role,
    /// Labels of the components that play it, on the side that has it.
    pub nodes: Vec<String>,
    /// Why it matters (for what the candidate lacks).
    pub why: &'static str,
}

/// How the candidate's diagram differs from the reference.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// Roles the reference has and the candidate's design lacks.
    pub missing: Vec<RoleGap>,
    /// Roles the candidate has that the reference does not: not
    /// necessarily wrong.
    pub extra: Vec<RoleGap>,
    /// Roles both have.
    pub shared: Vec<Role>,
}

/// Compares `candidate` with `reference` role by role.
pub fn compare(candidate: &Diagram, reference: &Diagram) -> Comparison {
    let roles = |d: &Diagram| {
        let mut by_role: Vec<(Role, Vec<String>)> = Vec::new();
        for n in &d.nodes {
            let Some(role) = role_of(n) else { continue };
            match by_role.iter_mut().find(|(r, _)| *r == role) {
                Some((_, labels)) => labels.push(n.label.clone()),
                None => by_role.push((role, vec![n.label.clone()])),
            }
        }
        by_role.sort_by_key(|(r, _)| *r);
        by_role
    };
    let (mine, theirs) = (roles(candidate), roles(reference));
    let has = |side: &[(Role, Vec<String>)], role: Role| side.iter().any(|(r, _)| *r == role);
    let gaps = |from: &[(Role, Vec<String>)], other: &[(Role, Vec<String>)]| {
        from.iter()
            .filter(|(r, _)| !has(other, *r))
            .map(|(role, nodes)| RoleGap {
                role: *role,
                nodes: nodes.clone(),
                why: why(*role),
            })
            .collect()
    };
    Comparison {
        missing: gaps(&theirs, &mine),
        extra: gaps(&mine, &theirs),
        shared: mine
            .iter()
            .map(|(r, _)| *r)
            .filter(|r| has(&theirs, *r))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::{NodeId, Point, Size};

    fn node(kind: K, label: &str) -> Node {
        Node {
            id: NodeId(1),
            kind,
            label: label.into(),
            notes: String::new(),
            pos: Point { x: 0.0, y: 0.0 },
            size: Size { w: 1.0, h: 1.0 },
            sim: None,
        }
    }

    #[test]
    fn labels_name_roles_as_whole_words() {
        assert_eq!(
            role_of(&node(K::Generic, "FAISS index")),
            Some(Role::VectorIndex)
        );
        assert_eq!(
            role_of(&node(K::KeyValueStore, "Redis features")),
            Some(Role::OnlineFeatures)
        );
        assert_eq!(
            role_of(&node(K::Cache, "Popular items fallback")),
            Some(Role::Fallback)
        );
        // "catalog" holds "log" and "annotation" holds "ann", but not as words.
        assert_eq!(
            role_of(&node(K::ItemCatalog, "Item catalog")),
            Some(Role::RawData)
        );
        assert_eq!(
            role_of(&node(K::Labeling, "Annotation tool")),
            Some(Role::Labeling)
        );
        assert_eq!(role_of(&node(K::Note, "a note")), None);
    }

    #[test]
    fn the_comparison_lists_missing_extra_and_shared_roles() {
        let d = |nodes: Vec<Node>| Diagram {
            nodes,
            ..Diagram::default()
        };
        let mine = d(vec![
            node(K::Client, "App"),
            node(K::Generic, "Redis features"),
            node(K::Cache, "Result cache"),
        ]);
        let reference = d(vec![
            node(K::ApiGateway, "Gateway"),
            node(K::OnlineFeatureStore, "Feature store"),
            node(K::VectorIndex, "HNSW index"),
            node(K::Logging, "Prediction log"),
        ]);
        let c = compare(&mine, &reference);
        let missing: Vec<Role> = c.missing.iter().map(|g| g.role).collect();
        assert_eq!(missing, [Role::VectorIndex, Role::Logging]);
        assert_eq!(c.missing[0].nodes, ["HNSW index"]);
        assert!(!c.missing[0].why.is_empty());
        let extra: Vec<Role> = c.extra.iter().map(|g| g.role).collect();
        assert_eq!(extra, [Role::Cache]);
        assert_eq!(c.shared, [Role::Entry, Role::OnlineFeatures]);
    }
}
