//! Diagrams: the document model, edits with undo and redo, the component
//! catalog and auto-layout. No egui here: the canvas lives in `ui`.

mod catalog;
mod edit;
mod geometry;
mod index;
mod layout;
mod model;
mod params;
mod scenario;
mod shapes;
mod undo;

pub use catalog::{Category, ComponentKind, Shape};
pub use edit::{Applied, DiagramEdit, Fragment};
pub use geometry::{Point, Rect, Size, Vector, bounding, distance_to_segment};
pub use index::GraphIndex;
pub use layout::{LAYER_GAP, NODE_GAP, layered_positions, layered_work, straight_edge_crossings};
pub use model::{
    Diagram, DiagramError, Edge, EdgeId, GROUP_LABEL_HEIGHT, GROUP_PADDING, Group, GroupId,
    MAX_COORD, MAX_EDGES, MAX_GROUP_MEMBERS, MAX_GROUPS, MAX_LABEL_CHARS, MAX_NODES, Node, NodeId,
    NodeMap,
};
pub use params::{CallMode, EdgeSim, MlRole, NodeSim, ServiceTime};
pub use scenario::{Autoscale, EventKind, MAX_SCENARIO_EVENTS, Scenario, TimedEvent};
pub use shapes::{Outline, outline};
pub use undo::{UNDO_LIMIT, UndoStack};

/// Name of the diagram for data and training pipelines.
pub const PIPELINE_DIAGRAM: &str = "Data & training pipeline";
/// Name of the diagram for the online serving path.
pub const SERVING_DIAGRAM: &str = "Serving";
