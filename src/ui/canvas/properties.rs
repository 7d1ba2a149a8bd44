//! The properties panel for the selection: name, kind, notes, and the
//! simulator parameters of nodes and edges.

use eframe::egui::{self, RichText};

use super::state::DiagramEditorState;
use crate::app::{Command, Commands, DiagramAction};
use crate::diagram::{
    CallMode, ComponentKind, Diagram, DiagramEdit, Edge, EdgeSim, Group, MlRole, Node, NodeSim,
    ServiceTime, Size,
};

struct Out<'a> {
    name: &'a str,
    commands: &'a mut Commands,
}

impl Out<'_> {
    fn edit(&mut self, edit: DiagramEdit) {
        self.commands.send(Command::Diagram {
            name: self.name.to_owned(),
            action: DiagramAction::Edit(edit),
        });
    }

    /// Typing in a field is one undo step: from focus to leaving the field.
    fn track(&mut self, response: &egui::Response) {
        let action = if response.gained_focus() {
            DiagramAction::BeginInteraction
        } else if response.lost_focus() {
            DiagramAction::EndInteraction
        } else {
            return;
        };
        self.commands.send(Command::Diagram {
            name: self.name.to_owned(),
            action,
        });
    }
}

/// Draws the properties of what is selected.
pub fn properties_ui(
    ui: &mut egui::Ui,
    state: &DiagramEditorState,
    name: &str,
    diagram: &Diagram,
    commands: &mut Commands,
) {
    let mut out = Out { name, commands };
    let sel = &state.selection;
    egui::ScrollArea::vertical()
        .id_salt("properties")
        .show(ui, |ui| {
            ui.add_space(6.0);
            let single_node = (sel.nodes.len() == 1 && sel.edges.is_empty())
                .then(|| sel.nodes.first().and_then(|id| diagram.node(*id)))
                .flatten();
            let single_edge = (sel.edges.len() == 1 && sel.nodes.is_empty())
                .then(|| sel.edges.first().and_then(|id| diagram.edge(*id)))
                .flatten();
            let single_group =
                (sel.groups.len() == 1 && sel.nodes.is_empty() && sel.edges.is_empty())
                    .then(|| sel.groups.first().and_then(|id| diagram.group(*id)))
                    .flatten();
            if let Some(node) = single_node {
                node_ui(ui, node, &mut out);
            } else if let Some(edge) = single_edge {
                edge_ui(ui, edge, diagram, &mut out);
            } else if let Some(group) = single_group {
                group_ui(ui, group, &mut out);
            } else {
                ui.label(RichText::new("Selection").strong());
                ui.label(format!(
                    "{} nodes, {} edges, {} groups",
                    sel.nodes.len(),
                    sel.edges.len(),
                    sel.groups.len()
                ));
                if !sel.nodes.is_empty() && ui.button("Group these nodes").clicked() {
                    out.edit(DiagramEdit::Group {
                        members: sel.nodes.iter().copied().collect(),
                        label: "Group".into(),
                    });
                }
            }
        });
}

/// A label and its widget on one grid row, the widget named by the label
/// for screen readers.
pub(super) fn row(
    ui: &mut egui::Ui,
    label: &str,
    add: impl FnOnce(&mut egui::Ui) -> egui::Response,
) -> egui::Response {
    let label = ui.label(label);
    let response = add(ui).labelled_by(label.id);
    ui.end_row();
    response
}

/// A labelled one-line text field in its own grid.
fn label_field(ui: &mut egui::Ui, id: &str, text: &mut String) -> egui::Response {
    egui::Grid::new(id)
        .num_columns(2)
        .show(ui, |ui| {
            row(ui, "Label", |ui| {
                ui.add(egui::TextEdit::singleline(text).desired_width(160.0))
            })
        })
        .inner
}

fn combo<T: PartialEq + Clone>(
    ui: &mut egui::Ui,
    id: &str,
    value: &mut T,
    options: &[(T, String)],
) -> egui::Response {
    let selected = options
        .iter()
        .find(|(v, _)| v == value)
        .map_or_else(String::new, |(_, name)| name.clone());
    egui::ComboBox::from_id_salt(id)
        .selected_text(selected)
        .width(ui.available_width().min(170.0))
        .show_ui(ui, |ui| {
            for (v, name) in options {
                ui.selectable_value(value, v.clone(), name);
            }
        })
        .response
}

fn node_ui(ui: &mut egui::Ui, node: &Node, out: &mut Out<'_>) {
    ui.label(RichText::new(format!("{}  {}", node.kind.icon(), node.kind.label())).strong());
    ui.add_space(4.0);
    let mut label = node.label.clone();
    let mut kind = node.kind;
    let mut notes = node.notes.clone();
    let mut size = node.size;
    egui::Grid::new("node_props")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let r = row(ui, "Name", |ui| {
                ui.add(egui::TextEdit::singleline(&mut label).desired_width(160.0))
            });
            out.track(&r);
            let kinds: Vec<(ComponentKind, String)> = ComponentKind::ALL
                .iter()
                .map(|k| (*k, format!("{}  {}", k.icon(), k.label())))
                .collect();
            row(ui, "Kind", |ui| combo(ui, "kind", &mut kind, &kinds));
            let r = row(ui, "Notes", |ui| {
                ui.add(
                    egui::TextEdit::multiline(&mut notes)
                        .desired_rows(3)
                        .desired_width(160.0),
                )
            });
            out.track(&r);
            row(ui, "Width", |ui| {
                ui.add(egui::DragValue::new(&mut size.w).range(20.0..=2000.0))
            });
            row(ui, "Height", |ui| {
                ui.add(egui::DragValue::new(&mut size.h).range(20.0..=2000.0))
            });
        });
    if label != node.label {
        out.edit(DiagramEdit::RenameNode { id: node.id, label });
    }
    if kind != node.kind {
        out.edit(DiagramEdit::SetKind { id: node.id, kind });
    }
    if notes != node.notes {
        out.edit(DiagramEdit::SetNotes { id: node.id, notes });
    }
    if size != node.size {
        out.edit(DiagramEdit::Resize {
            id: node.id,
            size: Size::new(size.w, size.h),
        });
    }
    ui.separator();
    node_sim_ui(ui, node, out);
}

fn node_sim_ui(ui: &mut egui::Ui, node: &Node, out: &mut Out<'_>) {
    let mut enabled = node.sim.is_some();
    if ui
        .checkbox(&mut enabled, "On the simulated serving path")
        .changed()
    {
        out.edit(DiagramEdit::SetNodeSim {
            id: node.id,
            sim: enabled.then(NodeSim::default),
        });
    }
    let Some(sim) = &node.sim else { return };
    let mut s = sim.clone();
    egui::Grid::new("node_sim")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            let mean = service_mean_ms(&s.service);
            let services = [
                (ServiceTime::Constant { ms: mean }, "Constant".to_owned()),
                (
                    ServiceTime::Exponential { mean_ms: mean },
                    "Exponential".to_owned(),
                ),
                (
                    ServiceTime::LogNormal {
                        p50_ms: mean,
                        p99_ms: mean * 4.0,
                    },
                    "Log-normal".to_owned(),
                ),
            ];
            let mut family = services
                .iter()
                .position(|(v, _)| std::mem::discriminant(v) == std::mem::discriminant(&s.service))
                .unwrap_or(0);
            let names: Vec<(usize, String)> = services
                .iter()
                .enumerate()
                .map(|(i, (_, n))| (i, n.clone()))
                .collect();
            row(ui, "Service time", |ui| {
                combo(ui, "service", &mut family, &names)
            });
            if std::mem::discriminant(&services[family].0) != std::mem::discriminant(&s.service) {
                s.service = services[family].0;
            }
            match &mut s.service {
                ServiceTime::Constant { ms } => ms_row(ui, "Time", ms),
                ServiceTime::Exponential { mean_ms } => ms_row(ui, "Mean", mean_ms),
                ServiceTime::LogNormal { p50_ms, p99_ms } => {
                    ms_row(ui, "p50", p50_ms);
                    ms_row(ui, "p99", p99_ms);
                }
            }
            row(ui, "Servers per replica", |ui| {
                ui.add(egui::DragValue::new(&mut s.servers_per_replica).range(1..=4096))
            });
            row(ui, "Replicas", |ui| {
                ui.add(egui::DragValue::new(&mut s.replicas).range(1..=10_000))
            });
            row(ui, "Hardware", |ui| {
                ui.add(egui::TextEdit::singleline(&mut s.hardware_id).desired_width(120.0))
            });
            let roles = [
                (0, "Plain service".to_owned()),
                (1, "Model inference".to_owned()),
                (2, "Cache".to_owned()),
                (3, "ANN index".to_owned()),
            ];
            let current = match s.ml {
                MlRole::Plain => 0,
                MlRole::Inference { .. } => 1,
                MlRole::Cache { .. } => 2,
                MlRole::Ann { .. } => 3,
            };
            let mut role = current;
            row(ui, "Role", |ui| combo(ui, "role", &mut role, &roles));
            if role != current {
                s.ml = match role {
                    1 => MlRole::Inference {
                        gflops_per_item: 1.0,
                        items_per_request: 100.0,
                        max_batch: 32,
                        max_wait_ms: 2.0,
                    },
                    2 => MlRole::Cache { hit_ratio: 0.8 },
                    3 => MlRole::Ann {
                        vectors: 1e8,
                        recall: 0.95,
                    },
                    _ => MlRole::Plain,
                };
            }
            match &mut s.ml {
                MlRole::Plain => {}
                MlRole::Inference {
                    gflops_per_item,
                    items_per_request,
                    max_batch,
                    max_wait_ms,
                } => {
                    row(ui, "GFLOPs per item", |ui| {
                        ui.add(
                            egui::DragValue::new(gflops_per_item)
                                .range(0.0..=1e6)
                                .speed(0.1),
                        )
                    });
                    row(ui, "Items per request", |ui| {
                        ui.add(egui::DragValue::new(items_per_request).range(1.0..=1e6))
                    });
                    row(ui, "Max batch", |ui| {
                        ui.add(egui::DragValue::new(max_batch).range(1..=4096))
                    });
                    ms_row(ui, "Max wait", max_wait_ms);
                }
                MlRole::Cache { hit_ratio } => {
                    row(ui, "Hit ratio", |ui| {
                        ui.add(egui::Slider::new(hit_ratio, 0.0..=1.0))
                    });
                }
                MlRole::Ann { vectors, recall } => {
                    row(ui, "Vectors", |ui| {
                        ui.add(egui::DragValue::new(vectors).range(1.0..=1e12).speed(1e5))
                    });
                    row(ui, "Recall target", |ui| {
                        ui.add(egui::Slider::new(recall, 0.5..=0.999))
                    });
                }
            }
        });
    super::reliability::reliability_ui(ui, &mut s);
    if &s != sim {
        out.edit(DiagramEdit::SetNodeSim {
            id: node.id,
            sim: Some(s),
        });
    }
}

/// The mean of a service time, to carry over when its kind changes.
fn service_mean_ms(s: &ServiceTime) -> f64 {
    match *s {
        ServiceTime::Constant { ms } => ms,
        ServiceTime::Exponential { mean_ms } => mean_ms,
        ServiceTime::LogNormal { p50_ms, .. } => p50_ms,
    }
}

fn ms_row(ui: &mut egui::Ui, label: &str, value: &mut f64) {
    row(ui, label, |ui| {
        ui.add(
            egui::DragValue::new(value)
                .range(0.0..=1e6)
                .speed(0.1)
                .suffix(" ms"),
        )
    });
}

fn edge_ui(ui: &mut egui::Ui, edge: &Edge, d: &Diagram, out: &mut Out<'_>) {
    let from = d.node(edge.from).map_or("?", |n| n.label.as_str());
    let to = d.node(edge.to).map_or("?", |n| n.label.as_str());
    ui.label(RichText::new("Connection").strong());
    ui.label(RichText::new(format!("{from} → {to}")).small());
    let mut label = edge.label.clone();
    let r = label_field(ui, "edge_label", &mut label);
    out.track(&r);
    if r.changed() {
        out.edit(DiagramEdit::RenameEdge { id: edge.id, label });
    }
    ui.separator();
    ui.label(RichText::new("Simulator").strong());
    let mut sim: EdgeSim = edge.sim;
    ui.horizontal(|ui| {
        ui.radio_value(&mut sim.mode, CallMode::Sequential, "Sequential");
        ui.radio_value(&mut sim.mode, CallMode::Parallel, "Parallel fan-out");
    });
    egui::Grid::new("edge_sim").num_columns(2).show(ui, |ui| {
        row(ui, "Calls per request", |ui| {
            ui.add(
                egui::DragValue::new(&mut sim.calls_per_request)
                    .range(0.0..=1000.0)
                    .speed(0.05),
            )
        });
        ms_row(ui, "Network", &mut sim.network_ms);
    });
    if sim != edge.sim {
        out.edit(DiagramEdit::SetEdgeSim { id: edge.id, sim });
    }
}

fn group_ui(ui: &mut egui::Ui, group: &Group, out: &mut Out<'_>) {
    ui.label(RichText::new("Group").strong());
    let mut label = group.label.clone();
    let r = label_field(ui, "group_label", &mut label);
    out.track(&r);
    if r.changed() {
        out.edit(DiagramEdit::RenameGroup {
            id: group.id,
            label,
        });
    }
    ui.label(format!("{} members", group.members.len()));
    if ui.button("Ungroup").clicked() {
        out.edit(DiagramEdit::Ungroup { id: group.id });
    }
}
