//! PNG export: the SVG rendered by resvg at twice its size, with the font the
//! app ships so text renders the same on machines with no fonts installed.

use resvg::{tiny_skia, usvg};

use super::ExportError;
use super::svg::{LABEL_SIZE, Text, page, svg_document};
use crate::diagram::Diagram;

static LABEL_FONT: &[u8] = include_bytes!("../../assets/fonts/Ubuntu-Light.ttf");

/// Largest PNG side in pixels; bigger diagrams are scaled down to fit.
pub const MAX_PNG_SIDE: u32 = 8_192;
/// Most pixels in a PNG (64 MB of RGBA while it is drawn); bigger diagrams
/// are scaled down to fit.
pub const MAX_PNG_PIXELS: u64 = 16 * 1024 * 1024;

/// The scale a `width` × `height` image is drawn at: `wanted`, or less to
/// stay within [`MAX_PNG_SIDE`] and [`MAX_PNG_PIXELS`].
pub fn png_scale(width: f32, height: f32, wanted: f32) -> f32 {
    let by_side = MAX_PNG_SIDE as f32 / width.max(height).max(1.0);
    let by_area = (MAX_PNG_PIXELS as f32 / (width * height).max(1.0)).sqrt();
    wanted.min(by_side).min(by_area)
}

/// Scale of the usual PNG export: twice the SVG's size.
pub const PNG_SCALE: f32 = 2.0;
/// Labels drawn smaller than this many pixels are left out: they cannot be
/// read, yet each glyph becomes a path, which for 20,000 nodes cost most of
/// the time and 800 MB.
const MIN_LABEL_PX: f32 = 4.0;

/// The diagram as PNG bytes at [`PNG_SCALE`], or smaller for a huge diagram.
pub fn diagram_png(d: &Diagram) -> Result<Vec<u8>, ExportError> {
    let area = page(d);
    let scale = png_scale(area.width(), area.height(), PNG_SCALE);
    let text = if LABEL_SIZE * scale >= MIN_LABEL_PX {
        Text::Drawn
    } else {
        Text::Omitted
    };
    svg_to_png(&svg_document(d, text), PNG_SCALE)
}

/// Renders `svg` to PNG bytes at `scale` (2.0 for the usual export).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<Vec<u8>, ExportError> {
    let mut options = usvg::Options::default();
    options.fontdb_mut().load_font_data(LABEL_FONT.to_vec());
    options.font_family = "Ubuntu".into();
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| ExportError::Svg(e.to_string()))?;
    let size = tree.size();
    let scale = png_scale(size.width(), size.height(), scale);
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
