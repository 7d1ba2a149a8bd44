//! PNG export: the SVG rendered by resvg at twice its size, with the font the
//! app ships so text renders the same on machines with no fonts installed.

use resvg::{tiny_skia, usvg};

use super::ExportError;

static LABEL_FONT: &[u8] = include_bytes!("../../assets/fonts/Ubuntu-Light.ttf");

/// Largest PNG side in pixels; bigger diagrams are scaled down to fit.
pub const MAX_PNG_SIDE: u32 = 8_192;

/// Renders `svg` to PNG bytes at `scale` (2.0 for the usual export).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_font_data(LABEL_FONT.to_vec());
    options.font_family = "Ubuntu".into();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Svg(e.to_string()))?;
    let size = tree.size();
    let longest = size.width().max(size.height()) * scale;
    let scale = if longest > MAX_PNG_SIDE as f32 {
        scale * MAX_PNG_SIDE as f32 / longest
    } else {
        scale
    };
    let width = ((size.width() * scale).ceil() as u32).max(1);
    let height = ((size.height() * scale).ceil() as u32).max(1);
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| ExportError::Svg(format!("cannot make a {width}x{height} image")))?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| ExportError::Svg(e.to_string()))
}
