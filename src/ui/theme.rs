//! The themes: egui's light and dark with a stronger focus ring, and a
//! high-contrast theme (white on black, bright focus and selection).

use eframe::egui::{self, Color32, Stroke, Theme, Visuals};

use crate::settings::ThemeChoice;

/// The focus and hover accent of the high-contrast theme: yellow on black
/// is about 19:1.
const HC_ACCENT: Color32 = Color32::from_rgb(255, 230, 0);
/// Selected text background: white text on it is about 7:1.
const HC_SELECTION: Color32 = Color32::from_rgb(0, 70, 170);

/// Installs the visuals of `choice`. Both egui themes are set every time,
/// so that leaving high contrast gives back the ordinary dark theme.
pub fn apply_theme(ctx: &egui::Context, choice: ThemeChoice) {
    ctx.set_visuals_of(Theme::Light, with_focus_ring(Visuals::light()));
    let dark = match choice {
        ThemeChoice::HighContrast => high_contrast(),
        _ => with_focus_ring(Visuals::dark()),
    };
    ctx.set_visuals_of(Theme::Dark, dark);
    ctx.set_theme(match choice {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark | ThemeChoice::HighContrast => egui::ThemePreference::Dark,
    });
}

/// egui draws a focused widget with its `active` look; a thin outline there
/// is easy to miss, so the focused widget gets a two-point ring in the
/// theme's selection colour, and text fields the same when focused.
fn with_focus_ring(mut visuals: Visuals) -> Visuals {
    let ring = Stroke::new(2.0, visuals.selection.stroke.color);
    visuals.widgets.active.bg_stroke = ring;
    visuals.selection.stroke = ring;
    visuals
}

/// White on black; every interactive widget outlined in white, hover and
/// focus in yellow.
pub fn high_contrast() -> Visuals {
    let mut v = Visuals::dark();
    v.override_text_color = Some(Color32::WHITE);
    v.panel_fill = Color32::BLACK;
    v.window_fill = Color32::BLACK;
    v.extreme_bg_color = Color32::BLACK;
    v.faint_bg_color = Color32::from_gray(18);
    v.code_bg_color = Color32::from_gray(30);
    v.window_stroke = Stroke::new(2.0, Color32::WHITE);
    v.hyperlink_color = Color32::from_rgb(130, 200, 255);
    v.warn_fg_color = HC_ACCENT;
    v.error_fg_color = Color32::from_rgb(255, 120, 120);
    v.selection.bg_fill = HC_SELECTION;
    v.selection.stroke = Stroke::new(2.0, HC_ACCENT);

    let w = &mut v.widgets;
    w.noninteractive.bg_fill = Color32::BLACK;
    w.noninteractive.weak_bg_fill = Color32::BLACK;
    w.noninteractive.bg_stroke = Stroke::new(1.0, Color32::from_gray(200));
    w.noninteractive.fg_stroke = Stroke::new(1.0, Color32::WHITE);
    for (look, fill, stroke) in [
        (&mut w.inactive, 15, Stroke::new(1.5, Color32::WHITE)),
        (&mut w.hovered, 40, Stroke::new(2.0, HC_ACCENT)),
        (&mut w.active, 55, Stroke::new(3.0, HC_ACCENT)),
        (&mut w.open, 40, Stroke::new(2.0, Color32::WHITE)),
    ] {
        look.bg_fill = Color32::from_gray(fill);
        look.weak_bg_fill = Color32::from_gray(fill);
        look.bg_stroke = stroke;
        look.fg_stroke = Stroke::new(1.5, Color32::WHITE);
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    /// WCAG relative luminance of an sRGB colour.
    fn luminance(c: Color32) -> f32 {
        let channel = |u: u8| {
            let s = f32::from(u) / 255.0;
            if s <= 0.039_28 {
                s / 12.92
            } else {
                ((s + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b())
    }

    fn contrast(a: Color32, b: Color32) -> f32 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn high_contrast_text_meets_wcag_aa_on_every_fill() {
        let v = high_contrast();
        let text = v.override_text_color.unwrap_or(Color32::WHITE);
        let w = &v.widgets;
        for fill in [
            v.panel_fill,
            v.window_fill,
            v.faint_bg_color,
            v.code_bg_color,
            v.selection.bg_fill,
            w.inactive.weak_bg_fill,
            w.hovered.weak_bg_fill,
            w.active.weak_bg_fill,
        ] {
            assert!(contrast(text, fill) >= 4.5, "{fill:?}");
        }
        assert!(contrast(v.hyperlink_color, v.panel_fill) >= 4.5);
        assert!(contrast(v.selection.stroke.color, v.panel_fill) >= 3.0);
    }

    #[test]
    fn every_theme_draws_a_visible_focus_ring() {
        for v in [
            with_focus_ring(Visuals::light()),
            with_focus_ring(Visuals::dark()),
            high_contrast(),
        ] {
            assert!(v.widgets.active.bg_stroke.width >= 2.0);
            assert!(contrast(v.widgets.active.bg_stroke.color, v.panel_fill) >= 3.0);
        }
    }
}
