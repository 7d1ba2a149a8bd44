//! Fonts, spacing and the few colours the app adds to egui's themes.

use eframe::egui::{self, Color32, FontFamily, FontId, TextStyle};

use crate::session::StepStatus;

/// Sizes and spacing for a reading-heavy app: slightly larger text than
/// egui's defaults, and more air between blocks.
pub fn install(ctx: &egui::Context) {
    // Maths and arrows in the case studies (→, ∈, ∩) are only in the
    // monospace font, so proportional text falls back to it.
    let mut fonts = egui::FontDefinitions::default();
    let monospace = fonts
        .families
        .get(&FontFamily::Monospace)
        .and_then(|f| f.first())
        .cloned();
    if let (Some(mono), Some(prop)) = (monospace, fonts.families.get_mut(&FontFamily::Proportional))
    {
        prop.push(mono);
    }
    ctx.set_fonts(fonts);
    ctx.all_styles_mut(|style| {
        style.text_styles = [
            (
                TextStyle::Heading,
                FontId::new(21.0, FontFamily::Proportional),
            ),
            (TextStyle::Body, FontId::new(14.5, FontFamily::Proportional)),
            (
                TextStyle::Button,
                FontId::new(14.0, FontFamily::Proportional),
            ),
            (
                TextStyle::Small,
                FontId::new(11.5, FontFamily::Proportional),
            ),
            (
                TextStyle::Monospace,
                FontId::new(13.5, FontFamily::Monospace),
            ),
        ]
        .into();
        style.spacing.item_spacing = egui::vec2(8.0, 6.0);
        style.spacing.button_padding = egui::vec2(8.0, 4.0);
        style.spacing.interact_size.y = 24.0;
    });
}

/// The accent used for a step's status in the navigator.
pub fn status_color(status: StepStatus, dark: bool) -> Color32 {
    match (status, dark) {
        (StepStatus::Done, true) => Color32::from_rgb(110, 200, 120),
        (StepStatus::Done, false) => Color32::from_rgb(30, 130, 50),
        (StepStatus::Current, true) => Color32::from_rgb(120, 170, 255),
        (StepStatus::Current, false) => Color32::from_rgb(30, 90, 200),
        (StepStatus::Started, true) => Color32::from_rgb(230, 190, 90),
        (StepStatus::Started, false) => Color32::from_rgb(170, 110, 0),
        (StepStatus::NotStarted, _) => Color32::GRAY,
    }
}

/// The colour of good news (connected, delivered), readable in either theme.
pub fn good_color(ui: &egui::Ui) -> Color32 {
    status_color(StepStatus::Done, ui.visuals().dark_mode)
}

/// The symbol for a step's status.
pub fn status_icon(status: StepStatus) -> &'static str {
    match status {
        StepStatus::Done => "✔",
        StepStatus::Current => "▶",
        StepStatus::Started => "◐",
        StepStatus::NotStarted => "○",
    }
}

/// A framed card for a block of content.
pub fn card(ui: &egui::Ui) -> egui::Frame {
    egui::Frame::group(ui.style())
        .fill(ui.visuals().faint_bg_color)
        .inner_margin(egui::Margin::same(12))
        .corner_radius(6.0)
}

/// A small rounded label, for tags and difficulty.
pub fn chip(ui: &mut egui::Ui, text: &str, color: Color32) {
    egui::Frame::new()
        .fill(color.gamma_multiply(0.18))
        .corner_radius(8.0)
        .inner_margin(egui::Margin::symmetric(6, 1))
        .show(ui, |ui| {
            ui.label(egui::RichText::new(text).small().color(color));
        });
}

/// A colour per difficulty level.
pub fn difficulty_color(level: crate::content::Difficulty) -> Color32 {
    match level {
        crate::content::Difficulty::Easy => Color32::from_rgb(40, 150, 70),
        crate::content::Difficulty::Medium => Color32::from_rgb(200, 130, 0),
        crate::content::Difficulty::Hard => Color32::from_rgb(200, 60, 60),
    }
}

/// The neutral colour for tags.
pub const TAG_COLOR: Color32 = Color32::from_rgb(70, 130, 200);
