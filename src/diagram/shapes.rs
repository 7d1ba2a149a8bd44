//! Outlines of each shape as polygons, shared by the canvas and the exports
//! so both draw exactly the same thing.

use std::f32::consts::{FRAC_PI_2, PI};

use super::catalog::Shape;
use super::geometry::{Point, Rect};

/// A closed outline and the extra open lines drawn inside it (the front rim
/// of a cylinder, the fold of a note).
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    pub polygon: Vec<Point>,
    pub details: Vec<Vec<Point>>,
}

const ARC_STEPS: usize = 6;

/// The outline of `shape` filling `r`.
pub fn outline(shape: Shape, r: Rect) -> Outline {
    let (x0, y0, x1, y1) = (r.min.x, r.min.y, r.max.x, r.max.y);
    let (w, h) = (r.width(), r.height());
    let p = Point::new;
    let plain = |polygon| Outline {
        polygon,
        details: Vec::new(),
    };
    match shape {
        Shape::Rect => plain(vec![p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1)]),
        Shape::Rounded => plain(rounded(r, 10.0f32.min(h / 2.0))),
        Shape::Pill => plain(rounded(r, h / 2.0)),
        Shape::Ellipse => plain(arc(r.center(), w / 2.0, h / 2.0, 0.0, 2.0 * PI, 36)),
        Shape::Hexagon => {
            let inset = (h / 2.0).min(w / 4.0);
            plain(vec![
                p(x0 + inset, y0),
                p(x1 - inset, y0),
                p(x1, y0 + h / 2.0),
                p(x1 - inset, y1),
                p(x0 + inset, y1),
                p(x0, y0 + h / 2.0),
            ])
        }
        Shape::Parallelogram => {
            let skew = (h / 3.0).min(w / 5.0);
            plain(vec![
                p(x0 + skew, y0),
                p(x1, y0),
                p(x1 - skew, y1),
                p(x0, y1),
            ])
        }
        Shape::Cylinder => {
            let ry = (h / 7.0).clamp(4.0, 12.0);
            let (cx, rx) = ((x0 + x1) / 2.0, w / 2.0);
            // Right side down, bottom front arc, left side up, top back arc.
            let mut polygon = vec![p(x1, y0 + ry), p(x1, y1 - ry)];
            polygon.extend(arc(p(cx, y1 - ry), rx, ry, 0.0, PI, 16));
            polygon.push(p(x0, y0 + ry));
            polygon.extend(arc(p(cx, y0 + ry), rx, ry, PI, 2.0 * PI, 16));
            Outline {
                polygon,
                details: vec![arc(p(cx, y0 + ry), rx, ry, 0.0, PI, 16)],
            }
        }
        Shape::Document => {
            let amp = (h / 10.0).min(6.0);
            let mut polygon = vec![p(x0, y0), p(x1, y0)];
            // A gentle wave along the bottom edge, right to left.
            for i in 0..=24 {
                let t = i as f32 / 24.0;
                let x = x1 - t * w;
                polygon.push(p(x, y1 - amp + amp * (t * 2.0 * PI).sin()));
            }
            plain(polygon)
        }
        Shape::Note => {
            let fold = (h / 4.0).min(w / 4.0).min(16.0);
            Outline {
                polygon: vec![
                    p(x0, y0),
                    p(x1 - fold, y0),
                    p(x1, y0 + fold),
                    p(x1, y1),
                    p(x0, y1),
                ],
                details: vec![vec![
                    p(x1 - fold, y0),
                    p(x1 - fold, y0 + fold),
                    p(x1, y0 + fold),
                ]],
            }
        }
    }
}

/// Points on an elliptical arc from angle `a0` to `a1` (radians, y down).
fn arc(c: Point, rx: f32, ry: f32, a0: f32, a1: f32, steps: usize) -> Vec<Point> {
    (0..=steps)
        .map(|i| {
            let a = a0 + (a1 - a0) * i as f32 / steps as f32;
            Point::new(c.x + rx * a.cos(), c.y + ry * a.sin())
        })
        .collect()
}

fn rounded(r: Rect, radius: f32) -> Vec<Point> {
    let radius = radius.min(r.width() / 2.0).min(r.height() / 2.0).max(0.0);
    let (x0, y0, x1, y1) = (r.min.x, r.min.y, r.max.x, r.max.y);
    let corners = [
        (Point::new(x1 - radius, y0 + radius), -FRAC_PI_2),
        (Point::new(x1 - radius, y1 - radius), 0.0),
        (Point::new(x0 + radius, y1 - radius), FRAC_PI_2),
        (Point::new(x0 + radius, y0 + radius), PI),
    ];
    corners
        .iter()
        .flat_map(|&(c, start)| arc(c, radius, radius, start, start + FRAC_PI_2, ARC_STEPS))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::Size;

    #[test]
    fn every_outline_stays_inside_its_rectangle() {
        let r = Rect::from_pos_size(Point::new(10.0, 20.0), Size::new(170.0, 64.0));
        let inside = r.expand(0.01);
        for shape in [
            Shape::Rect,
            Shape::Rounded,
            Shape::Cylinder,
            Shape::Parallelogram,
            Shape::Hexagon,
            Shape::Pill,
            Shape::Document,
            Shape::Note,
            Shape::Ellipse,
        ] {
            let o = outline(shape, r);
            assert!(o.polygon.len() >= 4, "{shape:?}");
            for pt in o.polygon.iter().chain(o.details.iter().flatten()) {
                assert!(inside.contains(*pt), "{shape:?} point {pt:?} outside");
            }
        }
    }
}
