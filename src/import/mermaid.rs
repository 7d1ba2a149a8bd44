//! A Mermaid flowchart reader for the subset diagrams are drawn in:
//! `flowchart`/`graph` in any direction, node shapes, ids apart from
//! labels, edge labels (`-->|x|` and `-- x -->`), dotted and thick edges,
//! chains and `&`, and `subgraph … end` as groups. Styling lines are left
//! out with a warning; so is any other line it does not understand.

use std::collections::HashSet;

use super::sketch::Sketch;
use super::{ImportError, MAX_NESTING};
use crate::diagram::Shape;

/// Statement keywords whose lines only style the drawing.
const STYLING: &[&str] = &["classDef", "class", "style", "linkStyle", "click"];
/// Statement keywords that say nothing about the graph.
const SILENT: &[&str] = &["direction", "accTitle", "accDescr", "title"];

/// Node shapes: opening, closing delimiters, and the shape they stand for,
/// longest opening first so `((` is not read as `(`.
const SHAPES: &[(&str, &[&str], Shape)] = &[
    ("(((", &[")))"], Shape::Ellipse),
    ("((", &["))"], Shape::Ellipse),
    ("([", &["])"], Shape::Pill),
    ("[(", &[")]"], Shape::Cylinder),
    ("[[", &["]]"], Shape::Rect),
    ("{{", &["}}"], Shape::Hexagon),
    ("[/", &["/]", "\\]"], Shape::Parallelogram),
    ("[\\", &["\\]", "/]"], Shape::Parallelogram),
    ("[", &["]"], Shape::Rect),
    ("(", &[")"], Shape::Rounded),
    ("{", &["}"], Shape::Rect),
    (">", &["]"], Shape::Note),
];

/// A node as a statement names it.
#[derive(Debug, PartialEq)]
struct NodeRef {
    id: String,
    label: Option<String>,
    shape: Option<Shape>,
}

/// One statement: groups of nodes (`a & b`) joined by links.
#[derive(Debug, PartialEq)]
struct Chain {
    groups: Vec<Vec<NodeRef>>,
    /// The label of the link before each group after the first.
    links: Vec<String>,
}

struct OpenSubgraph {
    group: usize,
    line: usize,
    title: String,
}

pub(super) fn parse(text: &str) -> Result<Sketch, ImportError> {
    let mut sketch = Sketch::default();
    let mut open: Vec<OpenSubgraph> = Vec::new();
    // Subgraph ids, known ahead so a link naming one declared further down
    // is not read as a new node.
    let subgraph_ids: HashSet<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("subgraph "))
        .map(|rest| subgraph_title(rest.trim()).0)
        .collect();
    let mut seen_header = false;
    let mut in_front_matter = false;
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let trimmed = raw.trim();
        if !seen_header && trimmed == "---" {
            in_front_matter = !in_front_matter;
            continue;
        }
        if in_front_matter || trimmed.is_empty() || trimmed.starts_with("%%") {
            continue;
        }
        for stmt in statements(trimmed) {
            if !seen_header {
                header(stmt, line)?;
                seen_header = true;
                continue;
            }
            let keyword = stmt.split_whitespace().next().unwrap_or("");
            match keyword {
                "subgraph" => {
                    if open.len() >= MAX_NESTING {
                        return Err(ImportError::TooDeep {
                            line,
                            what: "subgraphs",
                            limit: MAX_NESTING,
                        });
                    }
                    let (_, title) = subgraph_title(stmt["subgraph".len()..].trim());
                    let group = sketch.group(&title, line)?;
                    open.push(OpenSubgraph { group, line, title });
                }
                "end" if stmt == "end" => {
                    if open.pop().is_none() {
                        return Err(ImportError::Syntax {
                            line,
                            message: "`end` without an open `subgraph`".into(),
                        });
                    }
                }
                k if STYLING.contains(&k) => {
                    sketch.warn(
                        line,
                        format!("`{k}` lines are left out: styles are not imported"),
                    );
                }
                k if SILENT.contains(&k) => {}
                _ => match chain(stmt) {
                    Ok(c) => apply(
                        &mut sketch,
                        c,
                        open.last().map(|o| o.group),
                        &subgraph_ids,
                        line,
                    )?,
                    Err(why) => {
                        let shown: String = stmt.chars().take(60).collect();
                        sketch.warn(line, format!("left out ({why}): {shown}"));
                    }
                },
            }
        }
    }
    if !seen_header {
        return Err(ImportError::Empty);
    }
    if let Some(o) = open.first() {
        return Err(ImportError::Syntax {
            line: o.line,
            message: format!("`subgraph` \"{}\" is never closed with `end`", o.title),
        });
    }
    Ok(sketch)
}

/// Checks the first statement: `flowchart` or `graph`, then a direction.
fn header(stmt: &str, line: usize) -> Result<(), ImportError> {
    let mut words = stmt.split_whitespace();
    let head = words.next().unwrap_or("");
    let direction = words.next();
    let known = ["TB", "TD", "BT", "RL", "LR"];
    if !matches!(head, "flowchart" | "graph") {
        return Err(ImportError::Syntax {
            line,
            message: format!(
                "a Mermaid flowchart starts with `flowchart` or `graph`, not `{head}`"
            ),
        });
    }
    match direction {
        Some(d) if !known.contains(&d) => Err(ImportError::Syntax {
            line,
            message: format!("`{d}` is not a direction (TB, TD, BT, RL or LR)"),
        }),
        _ => Ok(()),
    }
}

/// The statements of a line: split at semicolons outside quotes and brackets.
fn statements(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quoted, mut start) = (0i32, false, 0);
    for (i, c) in line.char_indices() {
        match c {
            '"' => quoted = !quoted,
            '[' | '(' | '{' if !quoted => depth += 1,
            ']' | ')' | '}' if !quoted => depth -= 1,
            ';' if !quoted && depth <= 0 => {
                out.push(line[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(line[start..].trim());
    out.retain(|s| !s.is_empty());
    out
}

/// `id[Title]`, `id ["Title"]`, `"Title"` or `Title words`: its id and title.
fn subgraph_title(rest: &str) -> (String, String) {
    if let Some(open) = rest.find('[')
        && let Some(body) = rest[open + 1..].strip_suffix(']')
    {
        let id = rest[..open].trim().to_owned();
        return (id, decode(unquote(body.trim())));
    }
    let title = decode(unquote(rest));
    (rest.to_owned(), title)
}

/// Adds a parsed statement: its nodes (in the open subgraph, if any) and an
/// edge from each node of a group to each node of the next.
fn apply(
    sketch: &mut Sketch,
    chain: Chain,
    group: Option<usize>,
    subgraph_ids: &HashSet<String>,
    line: usize,
) -> Result<(), ImportError> {
    let mut previous: Vec<usize> = Vec::new();
    let linked = chain.groups.len() > 1;
    for (g, nodes) in chain.groups.into_iter().enumerate() {
        let mut current = Vec::new();
        for r in nodes {
            if linked && r.label.is_none() && subgraph_ids.contains(&r.id) {
                sketch.warn(
                    line,
                    format!("edges to the subgraph \"{}\" are left out", r.id),
                );
                continue;
            }
            let i = sketch.node(&r.id, line)?;
            if let Some(label) = r.label {
                sketch.nodes[i].label = Some(label);
            }
            if r.shape.is_some() {
                sketch.nodes[i].shape = r.shape;
            }
            if let Some(group) = group {
                sketch.join(group, i, line)?;
            }
            current.push(i);
        }
        if g > 0 {
            let label = &chain.links[g - 1];
            for &a in &previous {
                for &b in &current {
                    sketch.edge(a, b, label, line)?;
                }
            }
        }
        previous = current;
    }
    Ok(())
}

/// A cursor over one statement.
struct Cursor<'a> {
    s: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.at..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, prefix: &str) -> bool {
        let found = self.rest().starts_with(prefix);
        if found {
            self.at += prefix.len();
        }
        found
    }

    fn done(&self) -> bool {
        self.at >= self.s.len()
    }
}

/// Parses `a[x] & b --> c -- label --> d` into groups and link labels.
fn chain(stmt: &str) -> Result<Chain, String> {
    let mut c = Cursor { s: stmt, at: 0 };
    let mut groups = vec![node_group(&mut c)?];
    let mut links = Vec::new();
    loop {
        c.skip_space();
        if c.done() {
            break;
        }
        links.push(link(&mut c)?);
        c.skip_space();
        groups.push(node_group(&mut c)?);
    }
    Ok(Chain { groups, links })
}

fn node_group(c: &mut Cursor<'_>) -> Result<Vec<NodeRef>, String> {
    let mut nodes = vec![node(c)?];
    loop {
        let before = c.at;
        c.skip_space();
        if c.eat("&") {
            c.skip_space();
            nodes.push(node(c)?);
        } else {
            c.at = before;
            return Ok(nodes);
        }
    }
}

fn is_id_char(ch: char) -> bool {
    ch.is_alphanumeric() || ch == '_'
}

fn node(c: &mut Cursor<'_>) -> Result<NodeRef, String> {
    let rest = c.rest();
    let len = rest.find(|ch: char| !is_id_char(ch)).unwrap_or(rest.len());
    if len == 0 {
        let near: String = rest.chars().take(12).collect();
        return Err(format!("a node id was expected at \"{near}\""));
    }
    let id = rest[..len].to_owned();
    c.at += len;
    let mut shape = None;
    let mut label = None;
    for (open, closes, s) in SHAPES {
        if c.eat(open) {
            let body = c.rest();
            let (text, used) = shape_body(body, closes)
                .ok_or_else(|| format!("the shape of \"{id}\" is not closed"))?;
            c.at += used;
            shape = Some(*s);
            label = Some(decode(unquote(text.trim())));
            break;
        }
    }
    // A class given with `:::name` only styles the node.
    if c.eat(":::") {
        let rest = c.rest();
        c.at += rest.find(|ch: char| !is_id_char(ch)).unwrap_or(rest.len());
    }
    if c.rest().starts_with('@') {
        return Err(format!(
            "the `@{{…}}` shape syntax of \"{id}\" is not supported"
        ));
    }
    Ok(NodeRef { id, label, shape })
}

/// The text inside a shape and the bytes used through its closing
/// delimiter. A quoted label may hold the closing characters.
fn shape_body<'a>(body: &'a str, closes: &[&str]) -> Option<(&'a str, usize)> {
    let search_from = if body.trim_start().starts_with('"') {
        let q = body.find('"')?;
        q + 1 + body[q + 1..].find('"')? + 1
    } else {
        0
    };
    let (end, close) = closes
        .iter()
        .filter_map(|cl| body[search_from..].find(cl).map(|i| (search_from + i, cl)))
        .min_by_key(|(i, _)| *i)?;
    Some((&body[..end], end + close.len()))
}

/// Reads a link (`-->`, `---`, `-.->`, `==>`, `-- text -->`, …) with an
/// optional `|label|`, and returns its label.
fn link(c: &mut Cursor<'_>) -> Result<String, String> {
    let near: String = c.rest().chars().take(12).collect();
    c.eat("<");
    let rest = c.rest();
    let run = rest
        .find(|ch: char| !matches!(ch, '-' | '.' | '=' | '~'))
        .unwrap_or(rest.len());
    if run < 2 {
        return Err(format!("a link (such as -->) was expected at \"{near}\""));
    }
    let opening = &rest[..run];
    c.at += run;
    let has_head = eat_head(c);
    let mut label = String::new();
    if !has_head && matches!(opening, "--" | "==" | "-.") {
        // `-- text -->`: the text runs to the link's other half.
        let closers: &[&str] = match opening {
            "--" => &["-->", "---", "--x", "--o"],
            "==" => &["==>", "==="],
            _ => &[".->", ".-"],
        };
        let body = c.rest();
        let (end, _) = closers
            .iter()
            .filter_map(|cl| body.find(cl).map(|i| (i, cl)))
            .min_by_key(|(i, _)| *i)
            .ok_or_else(|| format!("the link at \"{near}\" is not finished"))?;
        label = decode(unquote(body[..end].trim()));
        c.at += end;
        let rest = c.rest();
        c.at += rest
            .find(|ch: char| !matches!(ch, '-' | '.' | '='))
            .unwrap_or(rest.len());
        eat_head(c);
    }
    let before = c.at;
    c.skip_space();
    if c.eat("|") {
        let body = c.rest();
        // A quoted label may hold a `|`.
        let from = match body.trim_start().strip_prefix('"') {
            Some(inner) => inner
                .find('"')
                .map_or(0, |q| body.len() - inner.len() + q + 1),
            None => 0,
        };
        let end = body[from..]
            .find('|')
            .map(|e| from + e)
            .ok_or_else(|| format!("the label of the link at \"{near}\" has no closing |"))?;
        label = decode(unquote(body[..end].trim()));
        c.at += end + 1;
    } else {
        c.at = before;
    }
    Ok(label)
}

/// An arrow head: `>`, or `x`/`o` when a space follows (else it starts a node id).
fn eat_head(c: &mut Cursor<'_>) -> bool {
    if c.eat(">") {
        return true;
    }
    let rest = c.rest();
    let mut chars = rest.chars();
    if matches!(chars.next(), Some('x' | 'o')) && chars.next().is_none_or(char::is_whitespace) {
        c.at += 1;
        return true;
    }
    false
}

fn unquote(text: &str) -> &str {
    text.strip_prefix('"')
        .and_then(|t| t.strip_suffix('"'))
        .or_else(|| text.strip_prefix('`').and_then(|t| t.strip_suffix('`')))
        .unwrap_or(text)
}

/// Mermaid's entity codes (`#quot;`, `#35;`, …) and `<br/>` line breaks
/// decoded, left to right so a decoded `#` never starts another code.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(['#', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some((decoded, used)) = entity(rest) {
            out.push(decoded);
            rest = &rest[used..];
        } else {
            let ch = rest.chars().next().unwrap_or('#');
            out.push(ch);
            rest = &rest[ch.len_utf8()..];
        }
    }
    out.push_str(rest);
    out.trim().to_owned()
}

fn entity(text: &str) -> Option<(char, usize)> {
    for br in ["<br/>", "<br>", "<br />"] {
        // `get` because a multi-byte character may straddle the prefix's end.
        if text
            .get(..br.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(br))
        {
            return Some(('\n', br.len()));
        }
    }
    let body = text.strip_prefix('#')?;
    let end = body.find(';').filter(|&e| e <= 10)?;
    let name = &body[..end];
    let ch = match name {
        "quot" => '"',
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "nbsp" => ' ',
        n if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            char::from_u32(n.parse().ok()?)?
        }
        _ => return None,
    };
    Some((ch, end + 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node_ref(id: &str, label: Option<&str>, shape: Option<Shape>) -> NodeRef {
        NodeRef {
            id: id.into(),
            label: label.map(Into::into),
            shape,
        }
    }

    #[test]
    fn shapes_ids_and_labels() {
        let c =
            chain(r#"a[(Feature store)] --> b{{"Ranker #quot;v2#quot;"}} --> c"#).expect("parses");
        assert_eq!(
            c.groups,
            vec![
                vec![node_ref("a", Some("Feature store"), Some(Shape::Cylinder))],
                vec![node_ref("b", Some("Ranker \"v2\""), Some(Shape::Hexagon))],
                vec![node_ref("c", None, None)],
            ]
        );
        let c = chain("p([Monitor]) & q[/ETL/] -.-> r((User))").expect("parses");
        assert_eq!(c.groups[0][0].shape, Some(Shape::Pill));
        assert_eq!(c.groups[0][1].shape, Some(Shape::Parallelogram));
        assert_eq!(c.groups[1][0].shape, Some(Shape::Ellipse));
    }

    #[test]
    fn every_kind_of_link_and_its_label() {
        for (text, label) in [
            ("a-->b", ""),
            ("a --- b", ""),
            ("a -.-> b", ""),
            ("a ==> b", ""),
            ("a ===> b", ""),
            ("a --x b", ""),
            ("a <--> b", ""),
            ("a -->|reads| b", "reads"),
            ("a -->|\"a|b\"| b", "a|b"),
            ("a -- reads from --> b", "reads from"),
            ("a == hot path ==> b", "hot path"),
            ("a -. async .-> b", "async"),
        ] {
            let c = chain(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!(c.groups.len(), 2, "{text}");
            assert_eq!(c.links[0], label, "{text}");
        }
        // `o` starting an id is a node, not an arrow head.
        let c = chain("a --> orders").expect("parses");
        assert_eq!(c.groups[1][0].id, "orders");
        assert!(chain("a -> b").is_err());
        assert!(chain("a --> ").is_err());
        assert!(chain("a[open --> b").is_err());
    }

    #[test]
    fn entities_decode_once_left_to_right() {
        assert_eq!(decode("a#35;lt;b"), "a#lt;b");
        assert_eq!(decode("one<br/>two #amp; #9731;"), "one\ntwo & ☃");
        assert_eq!(decode("#unknown; #"), "#unknown; #");
    }

    #[test]
    fn multi_byte_characters_after_a_code_start_are_kept() {
        // Found by fuzzing: a two-byte character straddled the end of `<br/>`.
        assert_eq!(decode("####{ڛ e}#####"), "####{ڛ e}#####");
        assert_eq!(decode("<bڛ/> <ڛ"), "<bڛ/> <ڛ");
        assert_eq!(decode("#ڛ;"), "#ڛ;");
    }

    #[test]
    fn subgraphs_chains_and_warnings() {
        let text = "flowchart TD\n  %% a comment\n  subgraph online [\"Online path\"]\n    c[Client] --> g[Gateway] & r[Ranker]\n  end\n  r --> s[(Store)]\n  classDef x fill:#fff\n  a ~> b\n";
        let s = parse(text).expect("parses");
        let keys: Vec<&str> = s.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["c", "g", "r", "s"]);
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].label, "Online path");
        assert_eq!(s.groups[0].members, vec![0, 1, 2]);
        let lines: Vec<usize> = s.warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [7, 8]);
    }

    #[test]
    fn unbalanced_subgraphs_are_errors_with_their_line() {
        let open = parse("graph LR\nsubgraph A\na-->b\n");
        assert!(
            matches!(open, Err(ImportError::Syntax { line: 2, .. })),
            "{open:?}"
        );
        let extra = parse("graph LR\na-->b\nend\n");
        assert!(
            matches!(extra, Err(ImportError::Syntax { line: 3, .. })),
            "{extra:?}"
        );
        let deep = format!("graph LR\n{}", "subgraph x\n".repeat(MAX_NESTING + 1));
        assert!(matches!(parse(&deep), Err(ImportError::TooDeep { .. })));
        assert!(matches!(
            parse("sequenceDiagram\nA->>B: hi"),
            Err(ImportError::Syntax { line: 1, .. })
        ));
    }
}
