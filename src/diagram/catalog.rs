//! The palette: every kind of component, with its category, shape, icon and
//! colour.

use serde::{Deserialize, Serialize};

use super::geometry::Size;

/// A family of components, which decides the colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Category {
    DataSource,
    Processing,
    Storage,
    Model,
    Serving,
    Operations,
    Other,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::DataSource,
        Category::Processing,
        Category::Storage,
        Category::Model,
        Category::Serving,
        Category::Operations,
        Category::Other,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Category::DataSource => "Data sources",
            Category::Processing => "Processing",
            Category::Storage => "Storage",
            Category::Model => "Models",
            Category::Serving => "Serving",
            Category::Operations => "Operations",
            Category::Other => "Other",
        }
    }

    /// Stroke colour as RGB; fills use a light tint of it.
    pub fn rgb(self) -> [u8; 3] {
        match self {
            Category::DataSource => [52, 115, 220],
            Category::Processing => [140, 82, 180],
            Category::Storage => [215, 120, 30],
            Category::Model => [40, 150, 70],
            Category::Serving => [0, 140, 160],
            Category::Operations => [200, 65, 90],
            Category::Other => [110, 110, 110],
        }
    }

    /// `#rrggbb` for exports.
    pub fn hex(self) -> String {
        let [r, g, b] = self.rgb();
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// A pale tint for fills in exports.
    pub fn fill_hex(self) -> String {
        let [r, g, b] = self.rgb().map(|c| (u16::from(c) + 4 * 255) / 5);
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

/// The outline a component is drawn with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Shape {
    Rect,
    Rounded,
    Cylinder,
    Parallelogram,
    Hexagon,
    Pill,
    Document,
    Note,
    Ellipse,
}

macro_rules! kinds {
    ($( $kind:ident => $label:literal, $cat:ident, $shape:ident, $icon:literal; )*) => {
        /// A kind of component on the palette.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum ComponentKind { $( $kind, )* }

        impl ComponentKind {
            /// Every kind, in palette order.
            pub const ALL: &'static [ComponentKind] = &[ $( ComponentKind::$kind, )* ];

            /// The name shown on the palette and as a node's default label.
            pub fn label(self) -> &'static str {
                match self { $( ComponentKind::$kind => $label, )* }
            }

            pub fn category(self) -> Category {
                match self { $( ComponentKind::$kind => Category::$cat, )* }
            }

            pub fn shape(self) -> Shape {
                match self { $( ComponentKind::$kind => Shape::$shape, )* }
            }

            /// A symbol drawn beside the label in the app.
            pub fn icon(self) -> &'static str {
                match self { $( ComponentKind::$kind => $icon, )* }
            }
        }
    };
}

kinds! {
    EventLogs => "Event logs", DataSource, Document, "📜";
    UserDatabase => "User database", DataSource, Cylinder, "👥";
    ItemCatalog => "Item catalog", DataSource, Document, "📦";
    ObjectStore => "Object store", DataSource, Cylinder, "🗄";
    DataWarehouse => "Data warehouse", DataSource, Cylinder, "🏢";
    BatchEtl => "Batch ETL", Processing, Parallelogram, "⚙";
    StreamProcessor => "Stream processor", Processing, Parallelogram, "🌊";
    Labeling => "Labeling", Processing, Parallelogram, "🏷";
    FeaturePipeline => "Feature pipeline", Processing, Parallelogram, "🔧";
    OnlineFeatureStore => "Online feature store", Storage, Cylinder, "⚡";
    OfflineFeatureStore => "Offline feature store", Storage, Cylinder, "💾";
    VectorIndex => "Vector index (ANN)", Storage, Cylinder, "🔍";
    Cache => "Cache", Storage, Rounded, "⏱";
    KeyValueStore => "Key-value store", Storage, Cylinder, "🔑";
    BlobStore => "Blob store", Storage, Cylinder, "📁";
    EmbeddingModel => "Embedding model", Model, Hexagon, "🔮";
    CandidateGeneration => "Candidate generation", Model, Hexagon, "🎯";
    RankingModel => "Ranking model", Model, Hexagon, "📊";
    ReRanker => "Re-ranker / filter", Model, Hexagon, "🔀";
    Classifier => "Classifier", Model, Hexagon, "🏁";
    TrainingJob => "Training job", Model, Parallelogram, "🏋";
    ModelRegistry => "Model registry", Model, Cylinder, "📚";
    Client => "Client", Serving, Ellipse, "📱";
    ApiGateway => "API gateway / LB", Serving, Rounded, "🚪";
    PredictionService => "Prediction service", Serving, Rounded, "🚀";
    BatchPrediction => "Batch prediction job", Serving, Parallelogram, "📤";
    Monitoring => "Monitoring", Operations, Pill, "📈";
    AbTesting => "A/B testing", Operations, Pill, "🔬";
    Alerting => "Alerting", Operations, Pill, "🔔";
    Logging => "Logging", Operations, Pill, "📝";
    Generic => "Box", Other, Rect, "▫";
    Note => "Note", Other, Note, "💡";
}

impl ComponentKind {
    /// The size a new node of this kind gets.
    pub fn default_size(self) -> Size {
        match self {
            ComponentKind::Note => Size::new(180.0, 90.0),
            ComponentKind::Client => Size::new(130.0, 60.0),
            _ => Size::new(170.0, 64.0),
        }
    }

    /// Kinds in one category, in palette order.
    pub fn in_category(category: Category) -> impl Iterator<Item = ComponentKind> {
        Self::ALL
            .iter()
            .copied()
            .filter(move |k| k.category() == category)
    }

    /// True for free text notes, which are not part of the data flow.
    pub fn is_note(self) -> bool {
        self == ComponentKind::Note
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_kinds_and_labels_are_unique() {
        for c in Category::ALL {
            assert!(ComponentKind::in_category(c).count() > 0, "{c:?}");
        }
        let mut labels: Vec<_> = ComponentKind::ALL.iter().map(|k| k.label()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), ComponentKind::ALL.len());
        assert_eq!(Category::Model.hex(), "#289646");
        assert_eq!(Category::Other.fill_hex(), "#e2e2e2");
    }
}
