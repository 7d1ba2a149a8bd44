//! Painting the diagram. Everything is culled against the visible rectangle,
//! so a large diagram costs only what is on screen.

use std::collections::HashMap;

use eframe::egui::{
    self, Align2, Color32, FontId, Painter, Pos2, Rect, Shape, Stroke, StrokeKind, Vec2, pos2,
};

use super::state::Selection;
use super::view::View;
use crate::diagram::{Category, Diagram, Node, NodeId, Shape as NodeShape, outline};

/// Colours of the canvas for the current theme.
pub struct Palette {
    pub dark: bool,
    pub background: Color32,
    pub grid: Color32,
    pub text: Color32,
    pub weak_text: Color32,
    pub edge: Color32,
    pub selection: Color32,
}

impl Palette {
    pub fn from_visuals(v: &egui::Visuals) -> Palette {
        Palette {
            dark: v.dark_mode,
            background: v.extreme_bg_color,
            grid: if v.dark_mode {
                Color32::from_gray(55)
            } else {
                Color32::from_gray(215)
            },
            text: v.strong_text_color(),
            weak_text: v.weak_text_color(),
            edge: if v.dark_mode {
                Color32::from_gray(170)
            } else {
                Color32::from_gray(85)
            },
            selection: v.selection.stroke.color,
        }
    }

    /// Stroke and fill for a node of `category`.
    pub fn node_colors(&self, category: Category, is_note: bool) -> (Color32, Color32) {
        let [r, g, b] = if is_note {
            [201, 162, 39]
        } else {
            category.rgb()
        };
        let stroke = Color32::from_rgb(r, g, b);
        let mix = |c: u8, base: u8, t: f32| (f32::from(c) * t + f32::from(base) * (1.0 - t)) as u8;
        let fill = if self.dark {
            Color32::from_rgb(mix(r, 30, 0.28), mix(g, 30, 0.28), mix(b, 30, 0.28))
        } else {
            Color32::from_rgb(mix(r, 255, 0.16), mix(g, 255, 0.16), mix(b, 255, 0.16))
        };
        (stroke, fill)
    }
}

/// The smallest label drawn on a node, in points: below this a label is
/// not read but guessed at, so the node shows its icon instead.
pub const MIN_LABEL_PX: f32 = 10.0;

/// A fill colour and a badge per node: utilisation from the simulator.
pub type NodeTints = HashMap<NodeId, (Color32, String)>;

pub struct Paint<'a> {
    pub painter: &'a Painter,
    pub canvas: Rect,
    pub view: View,
    pub palette: Palette,
}

impl Paint<'_> {
    fn screen(&self, r: crate::diagram::Rect) -> Rect {
        self.view.rect_to_screen(self.canvas, r)
    }

    pub fn grid(&self, spacing: f32) {
        let step = spacing * self.view.zoom;
        if step < 6.0 {
            return;
        }
        let start = self.view.to_model(self.canvas, self.canvas.min);
        let first_x = (start.x / spacing).ceil() * spacing;
        let first_y = (start.y / spacing).ceil() * spacing;
        let origin = self
            .view
            .to_screen(self.canvas, crate::diagram::Point::new(first_x, first_y));
        let mut y = origin.y;
        let radius = (0.9 * self.view.zoom).clamp(0.6, 1.4);
        while y < self.canvas.max.y {
            let mut x = origin.x;
            while x < self.canvas.max.x {
                self.painter
                    .circle_filled(pos2(x, y), radius, self.palette.grid);
                x += step;
            }
            y += step;
        }
    }

    pub fn groups(&self, d: &Diagram, selection: &Selection) {
        for g in &d.groups {
            let Some(r) = d.group_rect(g) else { continue };
            let r = self.screen(r);
            if !r.intersects(self.canvas) {
                continue;
            }
            let selected = selection.groups.contains(&g.id);
            let color = if selected {
                self.palette.selection
            } else {
                self.palette.weak_text
            };
            let fill = if self.palette.dark {
                Color32::from_white_alpha(6)
            } else {
                Color32::from_black_alpha(6)
            };
            self.painter.rect_filled(r, 10.0 * self.view.zoom, fill);
            let corners = [
                r.left_top(),
                r.right_top(),
                r.right_bottom(),
                r.left_bottom(),
                r.left_top(),
            ];
            let width = if selected { 2.0 } else { 1.2 };
            self.painter.extend(Shape::dashed_line(
                &corners,
                Stroke::new(width, color),
                8.0,
                5.0,
            ));
            self.painter.text(
                r.left_top() + Vec2::new(10.0, 4.0) * self.view.zoom.max(0.5),
                Align2::LEFT_TOP,
                &g.label,
                FontId::proportional((13.0 * self.view.zoom).clamp(MIN_LABEL_PX, 26.0)),
                color,
            );
        }
    }

    pub fn edges(&self, d: &Diagram, selection: &Selection) {
        for e in &d.edges {
            let Some((s, t)) = d.edge_ends(e) else {
                continue;
            };
            let start = self.view.to_screen(self.canvas, s);
            let end = self.view.to_screen(self.canvas, t);
            if !Rect::from_two_pos(start, end)
                .expand(4.0)
                .intersects(self.canvas)
            {
                continue;
            }
            let selected = selection.edges.contains(&e.id);
            let color = if selected {
                self.palette.selection
            } else {
                self.palette.edge
            };
            let width = if selected { 2.6 } else { 1.6 };
            arrow(
                self.painter,
                start,
                end,
                Stroke::new(width, color),
                10.0 * self.view.zoom.sqrt(),
            );
            if !e.label.trim().is_empty() && self.view.zoom > 0.35 {
                let mid = start + (end - start) / 2.0;
                let galley = self.painter.layout_no_wrap(
                    e.label.clone(),
                    FontId::proportional((11.5 * self.view.zoom).clamp(MIN_LABEL_PX - 1.0, 22.0)),
                    self.palette.text,
                );
                let rect = Align2::CENTER_CENTER
                    .anchor_size(mid, galley.size())
                    .expand2(Vec2::new(5.0, 2.0));
                self.painter.rect_filled(rect, 4.0, self.palette.background);
                self.painter
                    .galley(rect.min + Vec2::new(5.0, 2.0), galley, self.palette.text);
            }
        }
    }

    /// Draws the nodes; `tints` overrides the fill (simulator utilisation).
    pub fn nodes(
        &self,
        d: &Diagram,
        selection: &Selection,
        tints: Option<&NodeTints>,
        hovered: Option<NodeId>,
    ) {
        for n in &d.nodes {
            let r = self.screen(n.rect());
            if !r.intersects(self.canvas) {
                continue;
            }
            let tint = tints.and_then(|t| t.get(&n.id));
            self.node(n, r, selection.nodes.contains(&n.id), tint.map(|t| t.0));
            if let Some((color, badge)) = tint {
                self.badge(r, *color, badge);
            }
            if hovered == Some(n.id) || selection.nodes.contains(&n.id) {
                for p in ports(r) {
                    self.painter.circle(
                        p,
                        4.0,
                        self.palette.background,
                        Stroke::new(1.5, self.palette.selection),
                    );
                }
            }
        }
    }

    fn node(&self, n: &Node, r: Rect, selected: bool, tint: Option<Color32>) {
        let (stroke_color, mut fill) = self
            .palette
            .node_colors(n.kind.category(), n.kind.is_note());
        if let Some(t) = tint {
            fill = t;
        }
        let model_outline = outline(n.kind.shape(), n.rect());
        let to_screen = |p: &crate::diagram::Point| self.view.to_screen(self.canvas, *p);
        let points: Vec<Pos2> = model_outline.polygon.iter().map(to_screen).collect();
        let stroke = Stroke::new(
            if selected { 2.8 } else { 1.6 },
            if selected {
                self.palette.selection
            } else {
                stroke_color
            },
        );
        // The wavy document edge is not convex: fill the part above the wave.
        if n.kind.shape() == NodeShape::Document {
            let inset = Rect::from_min_max(r.min, pos2(r.max.x, r.max.y - r.height() * 0.1));
            self.painter.rect_filled(inset, 0.0, fill);
            self.painter.add(Shape::closed_line(points, stroke));
        } else {
            self.painter
                .add(Shape::convex_polygon(points, fill, stroke));
        }
        for detail in &model_outline.details {
            let line: Vec<Pos2> = detail.iter().map(to_screen).collect();
            self.painter
                .add(Shape::line(line, Stroke::new(1.2, stroke_color)));
        }
        self.label(n, r);
    }

    /// The node's label laid out as drawn: at its zoomed size, or at
    /// `MIN_LABEL_PX` when the zoom would make it smaller; None when even
    /// that does not fit inside the node (level of detail: the node shows
    /// its icon and the label on hover instead).
    fn label_galley(&self, n: &Node, r: Rect) -> Option<std::sync::Arc<egui::Galley>> {
        let zoom = self.view.zoom;
        let size = (14.0 * zoom).clamp(MIN_LABEL_PX, 40.0);
        let width = (r.width() - 16.0 * zoom.min(1.0)).max(10.0);
        let galley = self.painter.layout(
            n.label.clone(),
            FontId::proportional(size),
            self.palette.text,
            width,
        );
        let fits = galley.size().x <= r.width() - 2.0 && galley.size().y <= r.height() - 2.0;
        (fits || size > MIN_LABEL_PX).then_some(galley)
    }

    /// Whether the node at this zoom shows its icon instead of its label.
    pub fn hides_label(&self, n: &Node) -> bool {
        self.label_galley(n, self.screen(n.rect())).is_none()
    }

    fn label(&self, n: &Node, r: Rect) {
        let zoom = self.view.zoom;
        let clip = self.painter.with_clip_rect(r.intersect(self.canvas));
        let Some(galley) = self.label_galley(n, r) else {
            // Too small to read: the kind's icon, as large as the node allows.
            clip.text(
                r.center(),
                Align2::CENTER_CENTER,
                n.kind.icon(),
                FontId::proportional((r.height() * 0.55).clamp(MIN_LABEL_PX, 22.0)),
                self.palette.text,
            );
            return;
        };
        let caption = (!n.kind.is_note() && n.label != n.kind.label() && zoom > 0.5).then(|| {
            self.painter.layout_no_wrap(
                n.kind.label().to_owned(),
                FontId::proportional((10.0 * zoom).clamp(6.0, 28.0)),
                self.palette.weak_text,
            )
        });
        let block_h = galley.size().y + caption.as_ref().map_or(0.0, |c| c.size().y + 2.0);
        let mut top = r.center().y - block_h / 2.0;
        clip.galley(
            pos2(r.center().x - galley.size().x / 2.0, top),
            galley.clone(),
            self.palette.text,
        );
        top += galley.size().y + 2.0;
        if let Some(c) = caption {
            clip.galley(
                pos2(r.center().x - c.size().x / 2.0, top),
                c,
                self.palette.weak_text,
            );
        }
        if zoom > 0.6 {
            clip.text(
                r.left_top() + Vec2::new(7.0, 5.0) * zoom,
                Align2::LEFT_TOP,
                n.kind.icon(),
                FontId::proportional((11.0 * zoom).clamp(6.0, 28.0)),
                self.palette.text,
            );
        }
    }

    /// A small label on a node's top-right corner.
    fn badge(&self, r: Rect, color: Color32, text: &str) {
        let galley = self.painter.layout_no_wrap(
            text.to_owned(),
            FontId::proportional(11.0),
            Color32::BLACK,
        );
        let rect = Align2::RIGHT_BOTTOM
            .anchor_size(r.right_top() + Vec2::new(4.0, 6.0), galley.size())
            .expand2(Vec2::new(4.0, 1.0));
        self.painter.rect(
            rect,
            6.0,
            color,
            Stroke::new(1.0, Color32::from_black_alpha(120)),
            StrokeKind::Outside,
        );
        self.painter
            .galley(rect.min + Vec2::new(4.0, 1.0), galley, Color32::BLACK);
    }

    pub fn rubber_band(&self, r: Rect) {
        let c = self.palette.selection;
        self.painter.rect(
            r,
            0.0,
            c.gamma_multiply(0.12),
            Stroke::new(1.0, c),
            StrokeKind::Inside,
        );
    }

    pub fn pending_edge(&self, from: Rect, to: Pos2) {
        let start = border_towards(from, to);
        arrow(
            self.painter,
            start,
            to,
            Stroke::new(2.0, self.palette.selection),
            10.0,
        );
    }
}

/// Midpoints of a node's four sides, where connections start.
pub fn ports(r: Rect) -> [Pos2; 4] {
    [
        r.center_top(),
        r.right_center(),
        r.center_bottom(),
        r.left_center(),
    ]
}

fn border_towards(r: Rect, target: Pos2) -> Pos2 {
    let m = crate::diagram::Rect::from_corners(
        crate::diagram::Point::new(r.min.x, r.min.y),
        crate::diagram::Point::new(r.max.x, r.max.y),
    );
    let p = m.border_towards(crate::diagram::Point::new(target.x, target.y));
    pos2(p.x, p.y)
}

fn arrow(painter: &Painter, from: Pos2, to: Pos2, stroke: Stroke, head: f32) {
    let dir = to - from;
    let len = dir.length();
    if len < 1.0 {
        return;
    }
    let unit = dir / len;
    let head = head.min(len * 0.6);
    let base = to - unit * head;
    let normal = Vec2::new(-unit.y, unit.x) * head * 0.45;
    painter.line_segment([from, base], stroke);
    painter.add(Shape::convex_polygon(
        vec![to, base + normal, base - normal],
        stroke.color,
        Stroke::NONE,
    ));
}
