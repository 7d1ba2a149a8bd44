//! Plain 2-D geometry in model space (the canvas maps it to the screen).

use serde::{Deserialize, Serialize};

/// A point in model space.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Point {
    pub x: f32,
    pub y: f32,
}

impl Point {
    pub const ZERO: Point = Point { x: 0.0, y: 0.0 };

    pub const fn new(x: f32, y: f32) -> Point {
        Point { x, y }
    }

    /// Rounded to the nearest multiple of `grid`.
    pub fn snapped(self, grid: f32) -> Point {
        if grid <= 0.0 {
            return self;
        }
        Point::new(
            (self.x / grid).round() * grid,
            (self.y / grid).round() * grid,
        )
    }
}

impl std::ops::Add<Vector> for Point {
    type Output = Point;

    fn add(self, d: Vector) -> Point {
        Point::new(self.x + d.dx, self.y + d.dy)
    }
}

/// The vector from `other` to `self`.
impl std::ops::Sub for Point {
    type Output = Vector;

    fn sub(self, other: Point) -> Vector {
        Vector::new(self.x - other.x, self.y - other.y)
    }
}

/// A displacement in model space.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vector {
    pub dx: f32,
    pub dy: f32,
}

impl Vector {
    pub const fn new(dx: f32, dy: f32) -> Vector {
        Vector { dx, dy }
    }

    pub fn length(self) -> f32 {
        self.dx.hypot(self.dy)
    }
}

/// A width and height.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Size {
    pub w: f32,
    pub h: f32,
}

impl Size {
    pub const fn new(w: f32, h: f32) -> Size {
        Size { w, h }
    }
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub min: Point,
    pub max: Point,
}

impl Rect {
    pub fn from_pos_size(pos: Point, size: Size) -> Rect {
        Rect {
            min: pos,
            max: Point::new(pos.x + size.w, pos.y + size.h),
        }
    }

    /// The rectangle spanned by two corners in any order.
    pub fn from_corners(a: Point, b: Point) -> Rect {
        Rect {
            min: Point::new(a.x.min(b.x), a.y.min(b.y)),
            max: Point::new(a.x.max(b.x), a.y.max(b.y)),
        }
    }

    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    pub fn center(&self) -> Point {
        Point::new(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    pub fn contains(&self, p: Point) -> bool {
        p.x >= self.min.x && p.x <= self.max.x && p.y >= self.min.y && p.y <= self.max.y
    }

    pub fn intersects(&self, other: &Rect) -> bool {
        self.min.x <= other.max.x
            && other.min.x <= self.max.x
            && self.min.y <= other.max.y
            && other.min.y <= self.max.y
    }

    pub fn union(&self, other: &Rect) -> Rect {
        Rect {
            min: Point::new(self.min.x.min(other.min.x), self.min.y.min(other.min.y)),
            max: Point::new(self.max.x.max(other.max.x), self.max.y.max(other.max.y)),
        }
    }

    pub fn expand(&self, margin: f32) -> Rect {
        Rect {
            min: Point::new(self.min.x - margin, self.min.y - margin),
            max: Point::new(self.max.x + margin, self.max.y + margin),
        }
    }

    /// Where the segment from the centre towards `target` leaves the rectangle,
    /// so edges end at a node's border rather than its centre.
    pub fn border_towards(&self, target: Point) -> Point {
        let c = self.center();
        let d = target - c;
        if d.dx == 0.0 && d.dy == 0.0 {
            return c;
        }
        let half_w = self.width() / 2.0;
        let half_h = self.height() / 2.0;
        let scale_x = if d.dx == 0.0 {
            f32::INFINITY
        } else {
            half_w / d.dx.abs()
        };
        let scale_y = if d.dy == 0.0 {
            f32::INFINITY
        } else {
            half_h / d.dy.abs()
        };
        let t = scale_x.min(scale_y).min(1.0);
        Point::new(c.x + d.dx * t, c.y + d.dy * t)
    }
}

/// The smallest rectangle holding all of `rects`, or `None` when empty.
pub fn bounding(rects: impl IntoIterator<Item = Rect>) -> Option<Rect> {
    rects.into_iter().reduce(|a, b| a.union(&b))
}

/// Distance from `p` to the segment `a`–`b`.
pub fn distance_to_segment(p: Point, a: Point, b: Point) -> f32 {
    let ab = b - a;
    let len2 = ab.dx * ab.dx + ab.dy * ab.dy;
    if len2 == 0.0 {
        return (p - a).length();
    }
    let ap = p - a;
    let t = ((ap.dx * ab.dx + ap.dy * ab.dy) / len2).clamp(0.0, 1.0);
    let closest = Point::new(a.x + ab.dx * t, a.y + ab.dy * t);
    (p - closest).length()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn border_point_lies_on_the_side_facing_the_target() {
        let r = Rect::from_pos_size(Point::new(0.0, 0.0), Size::new(100.0, 50.0));
        assert_eq!(
            r.border_towards(Point::new(500.0, 25.0)),
            Point::new(100.0, 25.0)
        );
        assert_eq!(
            r.border_towards(Point::new(50.0, -300.0)),
            Point::new(50.0, 0.0)
        );
        // A target inside stays where it is.
        assert_eq!(
            r.border_towards(Point::new(60.0, 30.0)),
            Point::new(60.0, 30.0)
        );
    }

    #[test]
    fn snapping_and_segment_distance() {
        assert_eq!(
            Point::new(13.0, -7.0).snapped(10.0),
            Point::new(10.0, -10.0)
        );
        let d = distance_to_segment(Point::new(5.0, 5.0), Point::ZERO, Point::new(10.0, 0.0));
        assert!((d - 5.0).abs() < 1e-6);
        let r = Rect::from_corners(Point::new(10.0, 10.0), Point::new(0.0, 0.0));
        assert!(r.contains(Point::new(5.0, 5.0)));
        assert!(r.intersects(&Rect::from_pos_size(
            Point::new(9.0, 9.0),
            Size::new(5.0, 5.0)
        )));
    }
}
