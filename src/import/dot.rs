//! Graphviz DOT through graphviz-rust's parser: nodes with their `label`,
//! `shape` and `style`, edges and edge chains with labels, `cluster_`
//! subgraphs as groups, `node [...]` defaults, quoted ids.

use graphviz_rust::dot_structures::{
    Attribute, Edge, EdgeTy, Graph, GraphAttributes, Id, Node, Stmt, Subgraph, Vertex,
};

use std::collections::{HashMap, HashSet};
use std::num::NonZeroUsize;

use super::sketch::Sketch;
use super::{ImportError, MAX_DOT_NESTING, MAX_IMPORT_BYTES};
use crate::diagram::Shape;

/// What statements inherit from the `node [...]` and `edge [...]` lines of
/// their graph or subgraph.
#[derive(Clone, Default)]
struct Scope {
    node: Vec<(String, String)>,
    edge_label: Option<String>,
    /// The group a cluster's nodes join.
    group: Option<usize>,
}

struct Reader {
    /// The line where each id or quoted string first appears: the parser
    /// keeps no positions, and messages name a line.
    lines: HashMap<String, usize>,
    sketch: Sketch,
}

/// Rule calls the parser may make on one text. Ordinary DOT takes a few
/// dozen per byte; backtracking through nested subgraphs of a broken text
/// can take exponentially many, which this cuts short.
const PARSER_CALL_LIMIT: usize = 40 * MAX_IMPORT_BYTES;

pub(super) fn parse(text: &str) -> Result<Sketch, ImportError> {
    check_nesting(text)?;
    pest::set_call_limit(NonZeroUsize::new(PARSER_CALL_LIMIT));
    let graph = graphviz_rust::parse(text).map_err(syntax_error)?;
    let stmts = match graph {
        Graph::Graph { stmts, .. } | Graph::DiGraph { stmts, .. } => stmts,
    };
    let mut reader = Reader {
        lines: first_lines(text),
        sketch: Sketch::default(),
    };
    reader.stmts(&stmts, &mut Scope::default())?;
    Ok(reader.sketch)
}

/// Refuses braces nested past [`MAX_DOT_NESTING`] before the parser, which
/// recurses on them, sees the text.
fn check_nesting(text: &str) -> Result<(), ImportError> {
    let (mut depth, mut line, mut quoted, mut escaped) = (0usize, 1usize, false, false);
    for ch in text.chars() {
        match ch {
            '\n' => line += 1,
            '\\' if quoted => escaped = !escaped,
            '"' if !escaped => quoted = !quoted,
            '{' | '[' if !quoted => {
                depth += 1;
                if depth > MAX_DOT_NESTING {
                    return Err(ImportError::TooDeep {
                        line,
                        what: "braces",
                        limit: MAX_DOT_NESTING,
                    });
                }
            }
            '}' | ']' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
        if ch != '\\' {
            escaped = false;
        }
    }
    Ok(())
}

/// The line of the first appearance of each plain id and quoted string
/// (unescaped), in one pass over the text.
fn first_lines(text: &str) -> HashMap<String, usize> {
    let mut lines = HashMap::new();
    let (mut line, mut chars) = (1, text.char_indices().peekable());
    let mut note = |token: String, line: usize| {
        lines.entry(token).or_insert(line);
    };
    let mut line_start = true;
    while let Some((i, c)) = chars.next() {
        let rest = &text[i..];
        let at_line_start = std::mem::replace(&mut line_start, c == '\n');
        if c == '\n' {
            line += 1;
        } else if rest.starts_with("//") || (c == '#' && at_line_start) {
            // A comment names nothing: skip to the end of its line.
            while chars.next_if(|&(_, d)| d != '\n').is_some() {}
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(text.len(), |e| i + e + 2);
            while let Some((_, d)) = chars.next_if(|&(j, _)| j < end) {
                line += usize::from(d == '\n');
            }
        } else if c == '"' {
            let start_line = line;
            let mut end = text.len();
            let mut escaped = false;
            for (j, d) in chars.by_ref() {
                match d {
                    '\n' => line += 1,
                    '"' if !escaped => {
                        end = j;
                        break;
                    }
                    _ => {}
                }
                escaped = d == '\\' && !escaped;
            }
            let quoted = &text[i..(end + 1).min(text.len())];
            note(text_of(&Id::Escaped(quoted.to_owned())), start_line);
        } else if c.is_alphanumeric() || c == '_' {
            let mut end = i + c.len_utf8();
            while let Some(&(j, d)) = chars.peek() {
                if !(d.is_alphanumeric() || d == '_' || d == '.') {
                    break;
                }
                end = j + d.len_utf8();
                chars.next();
            }
            note(text[i..end].to_owned(), line);
        }
    }
    lines
}

/// The parser's message starts with ` --> LINE:COL`; the line goes first.
fn syntax_error(message: String) -> ImportError {
    let position = message
        .split_once("--> ")
        .and_then(|(_, rest)| rest.split_once(':'))
        .and_then(|(line, _)| line.trim().parse().ok());
    let expected = message
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or("not DOT syntax");
    ImportError::Syntax {
        line: position.unwrap_or(1),
        message: format!("DOT: {expected}"),
    }
}

impl Reader {
    /// The first line naming `key`, for messages about it.
    fn line_of(&self, key: &str) -> usize {
        self.lines.get(key).copied().unwrap_or(1)
    }

    fn stmts(&mut self, stmts: &[Stmt], scope: &mut Scope) -> Result<(), ImportError> {
        for stmt in stmts {
            match stmt {
                Stmt::Node(node) => {
                    self.node(node, scope)?;
                }
                Stmt::Edge(edge) => self.edge(edge, scope)?,
                Stmt::Subgraph(sub) => {
                    self.subgraph(sub, scope)?;
                }
                Stmt::GAttribute(GraphAttributes::Node(attrs)) => {
                    for a in attrs {
                        let (k, v) = pair(a);
                        scope.node.retain(|(key, _)| *key != k);
                        scope.node.push((k, v));
                    }
                }
                Stmt::GAttribute(GraphAttributes::Edge(attrs)) => {
                    if let Some(label) = attr(attrs, "label") {
                        scope.edge_label = Some(label);
                    }
                }
                Stmt::GAttribute(GraphAttributes::Graph(_)) | Stmt::Attribute(_) => {}
            }
        }
        Ok(())
    }

    fn node(&mut self, node: &Node, scope: &Scope) -> Result<usize, ImportError> {
        let key = text_of(&node.id.0);
        let line = self.line_of(&key);
        let before = self.sketch.nodes.len();
        let i = self.sketch.node(&key, line)?;
        // Defaults apply to the nodes made after them, when they are made.
        let defaults: &[(String, String)] = if i == before { &scope.node } else { &[] };
        let own: Vec<(String, String)> = node.attributes.iter().map(pair).collect();
        let get = |name: &str| {
            own.iter()
                .chain(defaults.iter())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if let Some(label) = get("label") {
            if is_html(&node.attributes, "label") {
                self.sketch
                    .warn(line, format!("the HTML label of \"{key}\" is left out"));
            } else {
                self.sketch.nodes[i].label = Some(label);
            }
        }
        if let Some(shape) = get("shape") {
            let rounded = get("style").is_some_and(|s| s.contains("rounded"));
            match shape_of(&shape, rounded) {
                Some(s) => self.sketch.nodes[i].shape = Some(s),
                None => self.sketch.warn(
                    line,
                    format!("shape \"{shape}\" of \"{key}\" is drawn as a box"),
                ),
            }
        }
        if let Some(group) = scope.group {
            self.sketch.join(group, i, line)?;
        }
        Ok(i)
    }

    /// The nodes a vertex stands for: one node, or every node of a subgraph.
    fn vertex(&mut self, v: &Vertex, scope: &Scope) -> Result<Vec<usize>, ImportError> {
        match v {
            Vertex::N(id) => {
                let node = Node::new(id.clone(), Vec::new());
                Ok(vec![self.node(&node, scope)?])
            }
            Vertex::S(sub) => self.subgraph(sub, scope),
        }
    }

    fn edge(&mut self, edge: &Edge, scope: &Scope) -> Result<(), ImportError> {
        let chain: Vec<&Vertex> = match &edge.ty {
            EdgeTy::Pair(a, b) => vec![a, b],
            EdgeTy::Chain(vs) => vs.iter().collect(),
        };
        let label = attr(&edge.attributes, "label")
            .or_else(|| scope.edge_label.clone())
            .unwrap_or_default();
        let mut previous: Option<Vec<usize>> = None;
        for v in chain {
            let current = self.vertex(v, scope)?;
            if let Some(prev) = &previous {
                let line = current
                    .first()
                    .map_or(1, |&i| self.line_of(&self.sketch.nodes[i].key));
                for &a in prev {
                    for &b in &current {
                        self.sketch.edge(a, b, &label, line)?;
                    }
                }
            }
            previous = Some(current);
        }
        Ok(())
    }

    /// Reads a subgraph in its own scope; a `cluster_` one is a group.
    /// Returns the nodes it names.
    fn subgraph(&mut self, sub: &Subgraph, outer: &Scope) -> Result<Vec<usize>, ImportError> {
        let name = text_of(&sub.id);
        let mut scope = outer.clone();
        if name.starts_with("cluster") {
            let line = self.line_of(&name);
            let title = sub
                .stmts
                .iter()
                .find_map(|s| match s {
                    Stmt::Attribute(a) if text_of(&a.0) == "label" => Some(text_of(&a.1)),
                    Stmt::GAttribute(GraphAttributes::Graph(attrs)) => attr(attrs, "label"),
                    _ => None,
                })
                .unwrap_or_else(|| {
                    name.trim_start_matches("cluster")
                        .trim_start_matches('_')
                        .to_owned()
                });
            scope.group = Some(self.sketch.group(&title, line)?);
        }
        let before = self.sketch.nodes.len();
        let mut named = Vec::new();
        self.collect(&sub.stmts, &mut scope, &mut named)?;
        // New nodes in text order come after the ones already known.
        named.extend(before..self.sketch.nodes.len());
        let mut seen = HashSet::new();
        named.retain(|i| seen.insert(*i));
        Ok(named)
    }

    /// As [`Reader::stmts`], also listing the nodes the statements name.
    fn collect(
        &mut self,
        stmts: &[Stmt],
        scope: &mut Scope,
        named: &mut Vec<usize>,
    ) -> Result<(), ImportError> {
        for stmt in stmts {
            match stmt {
                Stmt::Node(node) => named.push(self.node(node, scope)?),
                Stmt::Edge(edge) => {
                    let chain: Vec<&Vertex> = match &edge.ty {
                        EdgeTy::Pair(a, b) => vec![a, b],
                        EdgeTy::Chain(vs) => vs.iter().collect(),
                    };
                    for v in chain {
                        if let Vertex::N(id) = v {
                            let node = Node::new(id.clone(), Vec::new());
                            named.push(self.node(&node, scope)?);
                        }
                    }
                    self.edge(edge, scope)?;
                }
                other => self.stmts(std::slice::from_ref(other), scope)?,
            }
        }
        Ok(())
    }
}

fn pair(a: &Attribute) -> (String, String) {
    (text_of(&a.0), text_of(&a.1))
}

fn attr(attrs: &[Attribute], name: &str) -> Option<String> {
    attrs
        .iter()
        .rev()
        .find(|a| text_of(&a.0) == name)
        .map(|a| text_of(&a.1))
}

fn is_html(attrs: &[Attribute], name: &str) -> bool {
    attrs
        .iter()
        .any(|a| text_of(&a.0) == name && matches!(a.1, Id::Html(_)))
}

/// An id as text: quotes taken off and escapes undone (`\n`, `\l` and `\r`
/// are line breaks).
fn text_of(id: &Id) -> String {
    match id {
        Id::Escaped(s) => {
            let inner = s
                .strip_prefix('"')
                .and_then(|t| t.strip_suffix('"'))
                .unwrap_or(s);
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                match (c, chars.clone().next()) {
                    ('\\', Some(next)) => {
                        chars.next();
                        match next {
                            'n' | 'l' | 'r' => out.push('\n'),
                            // A backslash before a line break continues the line.
                            '\n' => {}
                            other => out.push(other),
                        }
                    }
                    _ => out.push(c),
                }
            }
            out
        }
        Id::Html(s) | Id::Plain(s) | Id::Anonymous(s) => s.clone(),
    }
}

/// A DOT shape as a diagram shape; `None` for shapes the diagram lacks.
fn shape_of(shape: &str, rounded: bool) -> Option<Shape> {
    Some(match shape.to_ascii_lowercase().as_str() {
        "box" | "rect" | "rectangle" | "square" if rounded => Shape::Rounded,
        "box" | "rect" | "rectangle" | "square" | "plaintext" | "plain" | "none" => Shape::Rect,
        "cylinder" => Shape::Cylinder,
        "parallelogram" => Shape::Parallelogram,
        "hexagon" => Shape::Hexagon,
        "ellipse" | "oval" | "circle" | "doublecircle" | "point" => Shape::Ellipse,
        "note" => Shape::Note,
        "folder" | "tab" | "component" | "box3d" => Shape::Rect,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clusters_chains_defaults_and_quoted_ids() {
        let text = r#"digraph G {
  node [shape=cylinder];
  subgraph cluster_online {
    label="Online \"path\"";
    "feature store";
    api [label="API\ngateway", shape=box, style="rounded,filled"];
  }
  api -> "feature store" -> idx [label="reads"];
  idx [shape=star];
}"#;
        let s = parse(text).expect("parses");
        let keys: Vec<&str> = s.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["feature store", "api", "idx"]);
        assert_eq!(s.nodes[0].shape, Some(Shape::Cylinder), "node default");
        assert_eq!(s.nodes[1].shape, Some(Shape::Rounded));
        assert_eq!(s.nodes[1].label.as_deref(), Some("API\ngateway"));
        assert_eq!(s.groups.len(), 1);
        assert_eq!(s.groups[0].label, "Online \"path\"");
        assert_eq!(s.groups[0].members, vec![0, 1]);
        assert_eq!(s.warnings.len(), 1, "{:?}", s.warnings);
        assert_eq!(s.warnings[0].line, 8);
    }

    #[test]
    fn errors_carry_their_line() {
        let err = parse("digraph {\n a -> b;\n c -> ;\n}").map(|_| ());
        assert!(
            matches!(err, Err(ImportError::Syntax { line: 3, .. })),
            "{err:?}"
        );
        let deep = format!(
            "digraph {{ {} }}",
            "subgraph { ".repeat(MAX_DOT_NESTING + 1)
        );
        assert!(matches!(parse(&deep), Err(ImportError::TooDeep { .. })));
    }
}
