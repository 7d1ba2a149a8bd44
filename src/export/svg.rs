//! SVG export: shapes as paths and labels as real `<text>` elements, so the
//! file opens in browsers and vector editors and its text stays searchable.

use std::fmt::Write as _;

use super::text::{CHAR_WIDTH_EM, wrap_lines, xml_escape};
use crate::diagram::{Diagram, NodeMap, Point, Rect, outline};
use crate::format::first_chars;

/// Font size of node labels, in SVG units.
pub const LABEL_SIZE: f32 = 14.0;
const CAPTION_SIZE: f32 = 10.0;
const MARGIN: f32 = 24.0;
/// Most lines of a node label drawn; the rest is cut with "…". A node is at
/// most 2,000 units tall, so more would not fit anyway, and a huge label
/// costs the PNG renderer time and memory per glyph.
pub const MAX_LABEL_LINES: usize = 40;
/// Most characters of an edge or group label drawn, on one line.
pub const MAX_CAPTION_CHARS: usize = 120;
/// The font stack the SVG asks for; PNG export supplies the first one.
pub const FONT_FAMILY: &str = "Ubuntu, 'Segoe UI', Helvetica, Arial, sans-serif";

/// The diagram as a standalone SVG document.
pub fn to_svg(d: &Diagram) -> String {
    svg_document(d, Text::Drawn)
}

/// Whether an SVG carries its labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Text {
    Drawn,
    /// Left out, for a picture so small they could not be read.
    Omitted,
}

/// The area the SVG of `d` shows.
pub(super) fn page(d: &Diagram) -> Rect {
    page_of(&NodeMap::new(d))
}

fn page_of(nodes: &NodeMap) -> Rect {
    nodes
        .bounds()
        .unwrap_or(Rect::from_corners(Point::ZERO, Point::new(200.0, 100.0)))
        .expand(MARGIN)
}

pub(super) fn svg_document(d: &Diagram, text: Text) -> String {
    let nodes = NodeMap::new(d);
    let bounds = page_of(&nodes);
    let (w, h) = (bounds.width(), bounds.height());
    let mut s = String::with_capacity(512 + d.nodes.len() * 600);
    write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0}" height="{h:.0}" viewBox="{:.1} {:.1} {w:.1} {h:.1}" font-family="{FONT_FAMILY}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>
<rect x="{:.1}" y="{:.1}" width="{w:.1}" height="{h:.1}" fill="#ffffff"/>
"##,
        bounds.min.x, bounds.min.y, bounds.min.x, bounds.min.y
    ).expect("writing to a String cannot fail");
    for g in &d.groups {
        let Some(r) = nodes.group_rect(g) else {
            continue;
        };
        write!(
            s,
            r##"<g class="group"><rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="10" fill="#f4f6fa" stroke="#8a94a6" stroke-dasharray="6 4"/>"##,
            r.min.x,
            r.min.y,
            r.width(),
            r.height(),
        ).expect("writing to a String cannot fail");
        if text == Text::Drawn {
            write!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="13" font-weight="bold" fill="#4a5468">{}</text>"##,
                r.min.x + 10.0,
                r.min.y + 16.0,
                xml_escape(&one_line(&g.label))
            ).expect("writing to a String cannot fail");
        }
        s.push_str("</g>\n");
    }
    for e in &d.edges {
        let Some((start, end)) = nodes.edge_ends(e) else {
            continue;
        };
        writeln!(
            s,
            r##"<line class="edge" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#555" stroke-width="1.6" marker-end="url(#arrow)"/>"##,
            start.x, start.y, end.x, end.y
        ).expect("writing to a String cannot fail");
        if text == Text::Drawn && !e.label.trim().is_empty() {
            let mid = Point::new((start.x + end.x) / 2.0, (start.y + end.y) / 2.0);
            writeln!(
                s,
                r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#333" stroke="#ffffff" stroke-width="4" paint-order="stroke">{}</text>"##,
                mid.x,
                mid.y - 4.0,
                xml_escape(&one_line(&e.label))
            ).expect("writing to a String cannot fail");
        }
    }
    for n in &d.nodes {
        let r = n.rect();
        let cat = n.kind.category();
        let o = outline(n.kind.shape(), r);
        let (stroke, fill) = if n.kind.is_note() {
            ("#c9a227".to_owned(), "#fff6c8".to_owned())
        } else {
            (cat.hex(), cat.fill_hex())
        };
        write!(
            s,
            r#"<g class="node" id="node-{}"><path d="{}" fill="{fill}" stroke="{stroke}" stroke-width="1.6"/>"#,
            n.id.0,
            path_data(&o.polygon, true)
        ).expect("writing to a String cannot fail");
        for detail in &o.details {
            write!(
                s,
                r#"<path d="{}" fill="none" stroke="{stroke}" stroke-width="1.2"/>"#,
                path_data(detail, false)
            )
            .expect("writing to a String cannot fail");
        }
        if text == Text::Drawn {
            write_label(&mut s, n, r);
        }
        s.push_str("</g>\n");
    }
    s.push_str("</svg>\n");
    s
}

fn write_label(s: &mut String, n: &crate::diagram::Node, r: Rect) {
    let max_chars = ((r.width() - 16.0) / (LABEL_SIZE * CHAR_WIDTH_EM)) as usize;
    let lines = wrap_lines(&n.label, max_chars, MAX_LABEL_LINES);
    let show_caption = !n.kind.is_note() && n.label != n.kind.label();
    let line_h = LABEL_SIZE * 1.2;
    let block = lines.len() as f32 * line_h
        + if show_caption {
            CAPTION_SIZE * 1.3
        } else {
            0.0
        };
    let c = r.center();
    let mut y = c.y - block / 2.0 + LABEL_SIZE;
    write!(
        s,
        r##"<text x="{:.1}" font-size="{LABEL_SIZE}" text-anchor="middle" fill="#1d2330">"##,
        c.x
    )
    .expect("writing to a String cannot fail");
    for line in &lines {
        write!(
            s,
            r#"<tspan x="{:.1}" y="{y:.1}">{}</tspan>"#,
            c.x,
            xml_escape(line)
        )
        .expect("writing to a String cannot fail");
        y += line_h;
    }
    s.push_str("</text>");
    if show_caption {
        write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" font-size="{CAPTION_SIZE}" text-anchor="middle" fill="#5b6475">{}</text>"##,
            c.x,
            y - line_h + CAPTION_SIZE * 1.5,
            xml_escape(n.kind.label())
        ).expect("writing to a String cannot fail");
    }
}

/// An edge or group label as drawn: cut to [`MAX_CAPTION_CHARS`].
fn one_line(label: &str) -> String {
    let head = first_chars(label, MAX_CAPTION_CHARS);
    if head.len() < label.len() {
        format!("{head}…")
    } else {
        head.to_owned()
    }
}

fn path_data(points: &[Point], closed: bool) -> String {
    let mut d = String::with_capacity(points.len() * 14);
    for (i, p) in points.iter().enumerate() {
        write!(
            d,
            "{}{:.1},{:.1} ",
            if i == 0 { "M" } else { "L" },
            p.x,
            p.y
        )
        .expect("writing to a String cannot fail");
    }
    if closed {
        d.push('Z');
    }
    d
}
