//! Guessing a component's kind from the shape it was drawn with and the
//! words of its label. The guess can be changed on the canvas afterwards.

use crate::diagram::{ComponentKind, Shape};

use ComponentKind as K;

/// Words that name a kind, most specific first. A phrase (with a space,
/// dash or slash) matches anywhere in the label; a word ending in `*`
/// matches the start of a word; any other word matches a whole word or its
/// plural.
const WORDS: &[(&str, ComponentKind)] = &[
    ("online feature store", K::OnlineFeatureStore),
    ("offline feature store", K::OfflineFeatureStore),
    ("feature store", K::OnlineFeatureStore),
    ("feature pipeline", K::FeaturePipeline),
    ("feature engineering", K::FeaturePipeline),
    ("batch prediction", K::BatchPrediction),
    ("batch inference", K::BatchPrediction),
    ("batch scoring", K::BatchPrediction),
    ("candidate*", K::CandidateGeneration),
    ("retrieval", K::CandidateGeneration),
    ("re-rank*", K::ReRanker),
    ("rerank*", K::ReRanker),
    ("filter*", K::ReRanker),
    ("rank*", K::RankingModel),
    ("ann", K::VectorIndex),
    ("vector*", K::VectorIndex),
    ("faiss", K::VectorIndex),
    ("index*", K::VectorIndex),
    ("embedding*", K::EmbeddingModel),
    ("encoder", K::EmbeddingModel),
    ("classif*", K::Classifier),
    ("detector", K::Classifier),
    ("training", K::TrainingJob),
    ("trainer", K::TrainingJob),
    ("registry", K::ModelRegistry),
    ("model", K::Classifier),
    ("kafka", K::StreamProcessor),
    ("kinesis", K::StreamProcessor),
    ("flink", K::StreamProcessor),
    ("stream*", K::StreamProcessor),
    ("queue", K::StreamProcessor),
    ("etl", K::BatchEtl),
    ("spark", K::BatchEtl),
    ("airflow", K::BatchEtl),
    ("label*", K::Labeling),
    ("annotation*", K::Labeling),
    ("cache", K::Cache),
    ("redis", K::Cache),
    ("memcached", K::Cache),
    ("key-value", K::KeyValueStore),
    ("kv", K::KeyValueStore),
    ("dynamodb", K::KeyValueStore),
    ("cassandra", K::KeyValueStore),
    ("object store", K::ObjectStore),
    ("s3", K::ObjectStore),
    ("blob*", K::BlobStore),
    ("bucket", K::BlobStore),
    ("warehouse", K::DataWarehouse),
    ("bigquery", K::DataWarehouse),
    ("snowflake", K::DataWarehouse),
    ("hive", K::DataWarehouse),
    ("database", K::UserDatabase),
    ("db", K::UserDatabase),
    ("postgres*", K::UserDatabase),
    ("mysql", K::UserDatabase),
    ("catalog*", K::ItemCatalog),
    ("logging", K::Logging),
    ("log", K::EventLogs),
    ("clickstream", K::EventLogs),
    ("events", K::EventLogs),
    ("monitor*", K::Monitoring),
    ("dashboard", K::Monitoring),
    ("metrics", K::Monitoring),
    ("drift", K::Monitoring),
    ("alert*", K::Alerting),
    ("a/b", K::AbTesting),
    ("experiment*", K::AbTesting),
    ("client", K::Client),
    ("user", K::Client),
    ("browser", K::Client),
    ("mobile", K::Client),
    ("app", K::Client),
    ("gateway", K::ApiGateway),
    ("load balancer", K::ApiGateway),
    ("lb", K::ApiGateway),
    ("api", K::ApiGateway),
    ("service", K::PredictionService),
    ("server", K::PredictionService),
    ("serving", K::PredictionService),
    ("inference", K::PredictionService),
    ("endpoint", K::PredictionService),
    ("store", K::KeyValueStore),
    ("storage", K::BlobStore),
    ("note", K::Note),
];

/// The kind for a node drawn as `shape` (if the text gave one) and called
/// `label`: the kind the label names exactly, else the first kind its words
/// name that fits the shape, else the usual kind of the shape. A plain box
/// fits every kind, since it is what a node gets when no shape is given.
pub fn infer_kind(shape: Option<Shape>, label: &str) -> ComponentKind {
    if shape == Some(Shape::Note) {
        return K::Note;
    }
    let fits = |k: ComponentKind| match shape {
        None | Some(Shape::Rect | Shape::Document) => true,
        Some(s) => same_outline(s, k.shape()),
    };
    let lower = label.trim().to_lowercase();
    let exact = ComponentKind::ALL
        .iter()
        .copied()
        .find(|k| k.label().to_lowercase() == lower && fits(*k));
    if let Some(k) = exact {
        return k;
    }
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let named = WORDS
        .iter()
        .filter(|(key, _)| matches(key, &lower, &words))
        .map(|(_, k)| *k)
        .find(|k| fits(*k));
    named.unwrap_or_else(|| shape.map_or(K::Generic, kind_of_shape))
}

/// Rounded boxes and pills are both "rounded" in DOT, and documents are
/// boxes in both Mermaid and DOT.
fn same_outline(a: Shape, b: Shape) -> bool {
    let norm = |s| match s {
        Shape::Pill => Shape::Rounded,
        Shape::Document => Shape::Rect,
        s => s,
    };
    norm(a) == norm(b)
}

fn matches(key: &str, lower: &str, words: &[&str]) -> bool {
    if key.contains([' ', '-', '/']) {
        return lower.contains(key);
    }
    match key.strip_suffix('*') {
        Some(prefix) => words.iter().any(|w| w.starts_with(prefix)),
        None => words
            .iter()
            .any(|w| *w == key || w.strip_suffix('s') == Some(key)),
    }
}

/// The kind a bare shape stands for.
fn kind_of_shape(shape: Shape) -> ComponentKind {
    match shape {
        Shape::Rect | Shape::Document => K::Generic,
        Shape::Rounded => K::PredictionService,
        Shape::Pill => K::Monitoring,
        Shape::Cylinder => K::KeyValueStore,
        Shape::Parallelogram => K::BatchEtl,
        Shape::Hexagon => K::Classifier,
        Shape::Ellipse => K::Client,
        Shape::Note => K::Note,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_name_kinds_and_shapes_narrow_them() {
        assert_eq!(infer_kind(None, "Feature store"), K::OnlineFeatureStore);
        assert_eq!(infer_kind(None, "ANN index"), K::VectorIndex);
        assert_eq!(infer_kind(None, "Ranker"), K::RankingModel);
        assert_eq!(infer_kind(None, "Kafka"), K::StreamProcessor);
        assert_eq!(infer_kind(None, "Drift monitor"), K::Monitoring);
        assert_eq!(infer_kind(None, "User DBs"), K::UserDatabase);
        assert_eq!(
            infer_kind(Some(Shape::Cylinder), "Postgres"),
            K::UserDatabase
        );
        assert_eq!(
            infer_kind(Some(Shape::Cylinder), "orders"),
            K::KeyValueStore
        );
        assert_eq!(infer_kind(Some(Shape::Rect), "Something"), K::Generic);
        assert_eq!(infer_kind(Some(Shape::Hexagon), "Two tower"), K::Classifier);
        assert_eq!(infer_kind(Some(Shape::Note), "Ranker"), K::Note);
        // "ann" is a whole word, not a part of "channel".
        assert_eq!(infer_kind(None, "channel"), K::Generic);
        // The exact label of a kind wins when the shape fits it.
        assert_eq!(infer_kind(None, "Re-ranker / filter"), K::ReRanker);
        assert_eq!(infer_kind(Some(Shape::Pill), "cache"), K::Cache);
    }

    #[test]
    fn a_guess_is_stable_once_drawn_in_its_own_shape() {
        for shape in [None, Some(Shape::Rect), Some(Shape::Cylinder)] {
            for label in ["Ranker", "feature store", "orders", "Client", "A/B test"] {
                let k = infer_kind(shape, label);
                assert_eq!(infer_kind(Some(k.shape()), label), k, "{label} {shape:?}");
            }
        }
    }
}
