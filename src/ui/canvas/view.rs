//! The one transform between model space and the screen, and its edits
//! (pan, zoom at a point, fit to content).

use eframe::egui::{Pos2, Rect, Vec2, emath::TSTransform, pos2};

use crate::diagram::{Point, Rect as ModelRect};

pub const MIN_ZOOM: f32 = 0.1;
pub const MAX_ZOOM: f32 = 4.0;

/// Pan and zoom of one diagram's canvas.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    /// Model point shown at the canvas's top-left corner.
    pub origin: Point,
    pub zoom: f32,
}

impl Default for View {
    fn default() -> View {
        View {
            origin: Point::new(-40.0, -40.0),
            zoom: 1.0,
        }
    }
}

impl View {
    /// Maps model coordinates to screen coordinates inside `canvas`.
    pub fn screen_from_model(self, canvas: Rect) -> TSTransform {
        TSTransform::new(
            canvas.min.to_vec2() - Vec2::new(self.origin.x, self.origin.y) * self.zoom,
            self.zoom,
        )
    }

    pub fn to_screen(self, canvas: Rect, p: Point) -> Pos2 {
        self.screen_from_model(canvas) * pos2(p.x, p.y)
    }

    pub fn to_model(self, canvas: Rect, s: Pos2) -> Point {
        let p = self.screen_from_model(canvas).inverse() * s;
        Point::new(p.x, p.y)
    }

    pub fn rect_to_screen(self, canvas: Rect, r: ModelRect) -> Rect {
        Rect::from_min_max(self.to_screen(canvas, r.min), self.to_screen(canvas, r.max))
    }

    /// Moves the view by a screen-space delta.
    pub fn pan(&mut self, screen_delta: Vec2) {
        self.origin.x -= screen_delta.x / self.zoom;
        self.origin.y -= screen_delta.y / self.zoom;
    }

    /// Zooms by `factor`, keeping the model point under `screen_pos` fixed.
    pub fn zoom_at(&mut self, canvas: Rect, screen_pos: Pos2, factor: f32) {
        let anchor = self.to_model(canvas, screen_pos);
        self.zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let offset = (screen_pos - canvas.min) / self.zoom;
        self.origin = Point::new(anchor.x - offset.x, anchor.y - offset.y);
    }

    /// Shows all of `bounds` in `canvas`, with a margin, at most at 100%.
    pub fn fit(&mut self, canvas: Rect, bounds: ModelRect) {
        let margin = 40.0;
        let zx = (canvas.width() - 2.0 * margin).max(50.0) / bounds.width().max(1.0);
        let zy = (canvas.height() - 2.0 * margin).max(50.0) / bounds.height().max(1.0);
        self.zoom = zx.min(zy).clamp(MIN_ZOOM, 1.0);
        let c = bounds.center();
        self.origin = Point::new(
            c.x - canvas.width() / 2.0 / self.zoom,
            c.y - canvas.height() / 2.0 / self.zoom,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagram::Size;

    fn canvas() -> Rect {
        Rect::from_min_size(pos2(100.0, 50.0), Vec2::new(800.0, 600.0))
    }

    #[test]
    fn screen_and_model_round_trip_and_zoom_keeps_the_anchor() {
        let mut v = View::default();
        let p = Point::new(123.0, -45.0);
        let s = v.to_screen(canvas(), p);
        let back = v.to_model(canvas(), s);
        assert!((back.x - p.x).abs() < 1e-3 && (back.y - p.y).abs() < 1e-3);
        let anchor = pos2(400.0, 300.0);
        let before = v.to_model(canvas(), anchor);
        v.zoom_at(canvas(), anchor, 1.7);
        let after = v.to_model(canvas(), anchor);
        assert!((before.x - after.x).abs() < 1e-3 && (before.y - after.y).abs() < 1e-3);
        v.zoom_at(canvas(), anchor, 1000.0);
        assert_eq!(v.zoom, MAX_ZOOM);
    }

    #[test]
    fn fit_shows_the_whole_bounds() {
        let mut v = View::default();
        let bounds = ModelRect::from_pos_size(Point::new(-500.0, 200.0), Size::new(3000.0, 900.0));
        v.fit(canvas(), bounds);
        let screen = v.rect_to_screen(canvas(), bounds);
        assert!(canvas().contains_rect(screen), "{screen:?}");
    }
}
