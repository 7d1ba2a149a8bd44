//! The report of a session, as Markdown or as a standalone HTML page:
//! time per step, scores, notes, follow-ups, answers, missed checklist
//! points, diagrams and simulator results.
//!
//! One outline is written to two sinks, so both formats always hold the
//! same sections and the same numbers.

use std::fmt::Write as _;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use super::svg::to_svg;
use super::text::xml_escape;
use crate::content::CaseStudy;
use crate::format::number;
use crate::framework::{STEPS, step as framework_step};
use crate::mock::{Competency, LEVEL_NAMES, MockState, Scorer, format_clock, rubric, score_index};
use crate::review::{SessionReview, review_session};
use crate::session::Session;
use crate::sim::SimReport;

/// A report file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportFormat {
    /// Markdown; diagrams as fenced `svg` blocks.
    Md,
    /// One HTML file with inline CSS and inline SVG diagrams.
    Html,
}

impl ReportFormat {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Md => "md",
            ReportFormat::Html => "html",
        }
    }
}

/// The report in `format`.
pub fn report(
    session: &Session,
    study: &CaseStudy,
    sim: Option<&SimReport>,
    format: ReportFormat,
) -> String {
    match format {
        ReportFormat::Md => report_markdown(session, study, sim),
        ReportFormat::Html => report_html(session, study, sim),
    }
}

/// The report as Markdown. Answers are copied as written; diagrams are
/// fenced `svg` code blocks holding the same SVG as the HTML report.
pub fn report_markdown(session: &Session, study: &CaseStudy, sim: Option<&SimReport>) -> String {
    let mut md = Markdown(String::new());
    outline(&mut md, session, study, sim);
    md.0
}

/// The report as one standalone HTML page: inline CSS with a print
/// stylesheet, inline SVG, no scripts and nothing fetched from elsewhere.
pub fn report_html(session: &Session, study: &CaseStudy, sim: Option<&SimReport>) -> String {
    let mut body = Html(String::new());
    outline(&mut body, session, study, sim);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{}</main>\n</body>\n</html>\n",
        xml_escape(&title(session, study)),
        body.0
    )
}

const CSS: &str = "
body{font:15px/1.5 system-ui,-apple-system,'Segoe UI',Ubuntu,Roboto,sans-serif;color:#1d2330;background:#fff;margin:0}
main{max-width:960px;margin:0 auto;padding:1.5rem}
h1{font-size:1.7rem;border-bottom:2px solid #2f5d9f;padding-bottom:.3rem}
h2{font-size:1.3rem;color:#2f5d9f;margin-top:2rem}
h3{font-size:1.05rem;margin-bottom:.3rem}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-variant-numeric:tabular-nums}
th,td{border:1px solid #cfd6e0;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#eef2f8}
table.criteria{table-layout:fixed}
table.criteria th:nth-child(1){width:24%}
table.criteria th:nth-child(2){width:4.5rem}
.answer{border-left:3px solid #cfd6e0;padding-left:1rem;margin-bottom:1rem}
.answer h3,.answer h4,.answer h5,.answer h6{font-size:1rem}
pre{background:#f5f7fa;padding:.5rem;overflow-x:auto}
figure{margin:1rem 0}
figure svg{display:block;box-sizing:border-box;max-width:100%;height:auto;border:1px solid #cfd6e0}
figcaption{font-weight:600}
@media print{
@page{margin:1.5cm}
body{font-size:10.5pt}
main{max-width:none;padding:0}
h2{break-after:avoid}
h3{break-after:avoid}
table,figure,tr,.answer li{break-inside:avoid}
a{color:inherit;text-decoration:none}
pre{white-space:pre-wrap}
}
";

/// What an outline is written to.
trait Sink {
    fn heading(&mut self, level: u8, text: &str);
    /// Plain text: escaped, never interpreted.
    fn para(&mut self, text: &str);
    /// Plain-text items.
    fn list(&mut self, items: &[String]);
    /// Plain-text cells; `class` names the table in HTML.
    fn table(&mut self, class: &str, head: &[&str], rows: &[Vec<String>]);
    /// Markdown as the candidate wrote it.
    fn answer(&mut self, markdown: &str);
    fn diagram(&mut self, index: usize, name: &str, svg: &str);
}

fn title(session: &Session, study: &CaseStudy) -> String {
    let kind = if session.mock.is_some() {
        "Mock interview"
    } else {
        "Practice session"
    };
    format!("{kind}: {}", study.title)
}

fn step_name(step: u8) -> String {
    framework_step(step).map_or_else(|| format!("Step {step}"), |s| format!("{step}. {}", s.name))
}

fn num(v: Option<f64>) -> String {
    v.map_or_else(|| "–".to_owned(), |v| number(v, 2))
}

fn outline(out: &mut dyn Sink, session: &Session, study: &CaseStudy, sim: Option<&SimReport>) {
    let mock = session.mock.as_ref();
    out.heading(1, &title(session, study));
    let date = mock
        .and_then(|m| m.started_unix_secs)
        .map_or_else(|| "not recorded".to_owned(), format_utc);
    let mode = match mock {
        Some(m) => format!(
            "mock interview, {} minutes, {}; scored by {}{}",
            m.config.length_minutes,
            m.config.mode.label(),
            m.remote_interviewer.as_ref().map_or_else(
                || m.scorer.label().to_owned(),
                |name| format!("the interviewer, {name}, from their own computer")
            ),
            if m.is_finished() {
                ""
            } else {
                " (not finished)"
            }
        ),
        None => "practice (no mock interview)".to_owned(),
    };
    out.list(&[
        format!("Case: {} ({})", study.title, study.id),
        format!("Date: {date}"),
        format!("Mode: {mode}"),
    ]);
    time_section(out, session, mock);
    scores_section(out, mock);
    notes_section(out, mock);
    follow_ups_section(out, study, mock);
    out.heading(2, "Answers");
    for (i, p) in session.steps.iter().enumerate() {
        out.heading(3, &step_name(i as u8 + 1));
        if p.answer.trim().is_empty() {
            out.para("No answer written.");
        } else {
            out.answer(&p.answer);
        }
    }
    missed_section(out, session, study);
    let review = review_session(session, study, sim);
    coverage_section(out, &review);
    out.heading(2, "Diagrams");
    let drawn: Vec<_> = session
        .diagrams
        .iter()
        .filter(|d| !d.diagram.is_empty())
        .collect();
    if drawn.is_empty() {
        out.para("No diagrams were drawn.");
    }
    for (i, d) in drawn.iter().enumerate() {
        out.diagram(i, &d.name, &to_svg(&d.diagram));
    }
    review_section(out, &review);
    if let Some(r) = sim {
        sim_section(out, r);
    }
}

/// Per step, which checklist points the answer appears to cover, by the
/// phrases it uses.
fn coverage_section(out: &mut dyn Sink, review: &SessionReview) {
    out.heading(2, "What the answers cover");
    out.para(
        "Suggested from the words each answer uses (the checklist's signal phrases); the ticks above are the candidate's own.",
    );
    let rows: Vec<Vec<String>> = review
        .coverage
        .iter()
        .map(|c| {
            let missing: Vec<String> = c.missing().map(|p| p.point.clone()).collect();
            vec![
                step_name(c.step),
                format!("{} of {}", c.covered().count(), c.points.len()),
                if missing.is_empty() {
                    "–".to_owned()
                } else {
                    missing.join("; ")
                },
            ]
        })
        .collect();
    out.table(
        "coverage",
        &["Step", "Appears covered", "Not found yet"],
        &rows,
    );
}

/// The design review's findings on the diagrams.
fn review_section(out: &mut dyn Sink, review: &SessionReview) {
    out.heading(2, "Design review");
    if review.findings.is_empty() {
        out.para("No findings: nothing in the diagrams that a reviewer would flag by rule.");
        return;
    }
    let rows: Vec<Vec<String>> = review
        .findings
        .iter()
        .map(|f| {
            vec![
                f.severity.label().to_owned(),
                f.rule.to_owned(),
                f.step.to_string(),
                f.nodes.join(", "),
                f.message.clone(),
            ]
        })
        .collect();
    out.table(
        "findings",
        &["Severity", "Rule", "Step", "Components", "Why it matters"],
        &rows,
    );
}

fn time_section(out: &mut dyn Sink, session: &Session, mock: Option<&MockState>) {
    out.heading(2, "Time per step");
    let mut rows = Vec::new();
    let (mut spent_all, mut budget_all) = (0.0, 0.0);
    for (i, fs) in STEPS.iter().enumerate() {
        let (spent, budget) = match mock {
            Some(m) => (m.step_elapsed_secs[i], m.config.budgets_secs[i]),
            None => (
                session.steps.get(i).map_or(0.0, |s| s.seconds_spent),
                f64::from(fs.default_minutes) * 60.0,
            ),
        };
        spent_all += spent;
        budget_all += budget;
        let over = spent - budget;
        rows.push(vec![
            step_name(fs.number),
            format_clock(spent),
            format_clock(budget),
            if over > 0.0 {
                format!("+{}", format_clock(over))
            } else {
                "–".into()
            },
        ]);
    }
    let over = spent_all - budget_all;
    rows.push(vec![
        "Total".into(),
        format_clock(spent_all),
        format_clock(budget_all),
        if over > 0.0 {
            format!("+{}", format_clock(over))
        } else {
            "–".into()
        },
    ]);
    out.table("time", &["Step", "Time", "Budget", "Over budget"], &rows);
    if mock.is_none() {
        out.para("Budgets are the framework's suggestions for a 45-minute interview.");
    }
}

fn scores_section(out: &mut dyn Sink, mock: Option<&MockState>) {
    out.heading(2, "Scores");
    let Some(m) = mock else {
        out.para("No scores: this was a practice session, not a mock interview.");
        return;
    };
    if m.scores.is_empty() && m.competency_signals.is_empty() {
        out.para("Nothing was scored in this mock interview.");
    }
    let rows: Vec<Vec<String>> = (1..=7u8)
        .map(|step| {
            let scored = rubric(step)
                .iter()
                .filter(|c| m.score(step, c.id).is_some())
                .count();
            vec![
                step_name(step),
                num(m.step_score(step)),
                format!("{scored} of {}", rubric(step).len()),
            ]
        })
        .collect();
    out.table(
        "step-scores",
        &["Step", "Mean score (1–4)", "Criteria scored"],
        &rows,
    );
    for step in 1..=7u8 {
        out.heading(3, &step_name(step));
        let rows: Vec<Vec<String>> = rubric(step)
            .iter()
            .map(|c| {
                match m
                    .score(step, c.id)
                    .zip(m.score(step, c.id).and_then(|s| c.level(s)))
                {
                    Some((s, line)) => vec![
                        c.name.to_owned(),
                        s.to_string(),
                        format!("{}: {line}", LEVEL_NAMES[score_index(s)]),
                    ],
                    None => vec![c.name.to_owned(), "–".into(), "not scored".into()],
                }
            })
            .collect();
        out.table("criteria", &["Criterion", "Score", "Level"], &rows);
    }
    out.heading(3, "Competencies");
    let rows: Vec<Vec<String>> = m
        .competency_summaries()
        .iter()
        .map(|c| {
            vec![
                c.competency.label().to_owned(),
                c.signal.map_or_else(|| "–".to_owned(), |s| s.to_string()),
                num(c.rubric_mean),
                num(c.overall()),
            ]
        })
        .collect();
    out.table(
        "competencies",
        &["Competency", "Signal", "Rubric mean", "Overall"],
        &rows,
    );
    let legend: Vec<String> = Competency::ALL
        .iter()
        .map(|c| format!("{}: {}", c.label(), c.description()))
        .collect();
    out.list(&legend);
}

fn notes_section(out: &mut dyn Sink, mock: Option<&MockState>) {
    let Some(m) = mock else { return };
    out.heading(
        2,
        if m.scorer == Scorer::Interviewer {
            "Interviewer's notes"
        } else {
            "Notes"
        },
    );
    if m.notes.is_empty() {
        out.para("No notes were taken.");
        return;
    }
    let items: Vec<String> = m
        .notes
        .iter()
        .map(|n| format!("[{}] step {}: {}", format_clock(n.at_secs), n.step, n.text))
        .collect();
    out.list(&items);
}

fn follow_ups_section(out: &mut dyn Sink, study: &CaseStudy, mock: Option<&MockState>) {
    let Some(m) = mock else { return };
    out.heading(2, "Follow-ups asked");
    let mut any = false;
    for (i, content) in study.steps.iter().enumerate() {
        let asked: Vec<String> = m
            .follow_ups_asked
            .get(i)
            .into_iter()
            .flatten()
            .filter_map(|&f| content.follow_ups.get(f).cloned())
            .collect();
        if !asked.is_empty() {
            any = true;
            out.heading(3, &step_name(i as u8 + 1));
            out.list(&asked);
        }
    }
    if !any {
        out.para("No follow-up questions were marked as asked.");
    }
}

fn missed_section(out: &mut dyn Sink, session: &Session, study: &CaseStudy) {
    out.heading(2, "Missed checklist points");
    let mut any = false;
    for (i, content) in study.steps.iter().enumerate() {
        let step = i as u8 + 1;
        let missed: Vec<String> = session
            .missed_checklist(study, step)
            .into_iter()
            .filter_map(|p| content.checklist.get(p).cloned())
            .collect();
        if !missed.is_empty() {
            any = true;
            out.heading(3, &step_name(step));
            out.list(&missed);
        }
    }
    if !any {
        out.para("Every checklist point was ticked.");
    }
}

fn sim_section(out: &mut dyn Sink, r: &SimReport) {
    out.heading(2, "Simulator results");
    let ms = |v: Option<f64>| v.map_or_else(|| "–".to_owned(), |v| format!("{} ms", number(v, 1)));
    let lat = r.latency_ms.as_ref();
    let mut rows = vec![
        vec![
            "Offered load".into(),
            format!("{} req/s", number(r.offered_rps, 1)),
        ],
        vec!["Latency p50".into(), ms(lat.map(|l| l.p50.mean))],
        vec!["Latency p99".into(), ms(lat.map(|l| l.p99.mean))],
        vec![
            "Throughput".into(),
            format!("{} req/s", number(r.throughput_rps.mean, 1)),
        ],
        vec![
            "Cost".into(),
            format!("${} per hour", number(r.cost_usd_per_hour, 2)),
        ],
        vec![
            "Cost per million requests".into(),
            r.cost_usd_per_million_requests
                .map_or_else(|| "–".into(), |c| format!("${}", number(c, 2))),
        ],
        vec![
            "Bottleneck".into(),
            r.bottleneck.clone().unwrap_or_else(|| "–".into()),
        ],
    ];
    if let Some(sla) = &r.sla {
        rows.push(vec![
            format!("SLA: p99 ≤ {} ms", number(sla.p99_limit_ms, 1)),
            if sla.holds {
                "met".into()
            } else {
                "missed".into()
            },
        ]);
    }
    out.table("sim", &["Measure", "Value"], &rows);
    if !r.warnings.is_empty() {
        out.list(&r.warnings);
    }
}

/// Unix seconds as `YYYY-MM-DD HH:MM UTC`.
fn format_utc(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let rem = unix % 86_400;
    // Days to a civil date (proleptic Gregorian), after Howard Hinnant.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        rem / 60 % 60
    )
}

/// Markdown output.
struct Markdown(String);

/// Plain text made safe for one line of Markdown: whitespace folded, and
/// the characters that would start emphasis, code, HTML or a table cell
/// escaped, so it renders as written.
fn md_text(text: &str) -> String {
    let folded = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(folded.len());
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        let entity = c == '&'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#');
        if matches!(c, '\\' | '`' | '*' | '_' | '<' | '>' | '|') || entity {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

impl Sink for Markdown {
    fn heading(&mut self, level: u8, text: &str) {
        writeln!(
            self.0,
            "{} {}\n",
            "#".repeat(usize::from(level)),
            md_text(text)
        )
        .expect("writing to a String cannot fail");
    }
    fn para(&mut self, text: &str) {
        writeln!(self.0, "{}\n", md_text(text)).expect("writing to a String cannot fail");
    }
    fn list(&mut self, items: &[String]) {
        for item in items {
            writeln!(self.0, "- {}", md_text(item)).expect("writing to a String cannot fail");
        }
        self.0.push('\n');
    }
    fn table(&mut self, _class: &str, head: &[&str], rows: &[Vec<String>]) {
        let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
        writeln!(
            self.0,
            "{}",
            line(head.iter().map(|h| md_text(h)).collect())
        )
        .expect("writing to a String cannot fail");
        writeln!(self.0, "|{}", "---|".repeat(head.len()))
            .expect("writing to a String cannot fail");
        for row in rows {
            writeln!(self.0, "{}", line(row.iter().map(|c| md_text(c)).collect()))
                .expect("writing to a String cannot fail");
        }
        self.0.push('\n');
    }
    fn answer(&mut self, markdown: &str) {
        let (text, open_fence) = demote_md_headings(markdown.trim_end());
        self.0.push_str(&text);
        self.0.push('\n');
        // An unclosed code fence would swallow the rest of the report.
        if let Some(marker) = open_fence {
            writeln!(self.0, "{}", marker.to_string().repeat(3))
                .expect("writing to a String cannot fail");
        }
        self.0.push('\n');
    }
    fn diagram(&mut self, _index: usize, name: &str, svg: &str) {
        // A fence longer than any backtick run in a label cannot be closed early.
        let longest = svg.split(|c| c != '`').map(str::len).max().unwrap_or(0);
        let fence = "`".repeat(longest.max(2) + 1);
        writeln!(
            self.0,
            "### {}\n\n{fence}svg\n{}\n{fence}\n",
            md_text(name),
            svg.trim_end()
        )
        .expect("writing to a String cannot fail");
    }
}

/// `markdown` with its ATX headings moved below the report's step headings
/// (level 1 becomes 4, 2 becomes 5, deeper ones 6), as the HTML does. Code
/// blocks are left alone; the fence left open at the end, if any, is returned.
fn demote_md_headings(markdown: &str) -> (String, Option<char>) {
    let mut out = String::with_capacity(markdown.len() + 64);
    let mut fence: Option<char> = None;
    for line in markdown.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        let marker = if t.starts_with("```") {
            Some('`')
        } else if t.starts_with("~~~") {
            Some('~')
        } else {
            None
        };
        if indent <= 3 && marker.is_some() {
            fence = match fence {
                None => marker,
                Some(f) if Some(f) == marker => None,
                open => open,
            };
        }
        let hashes = t.chars().take_while(|c| *c == '#').count();
        let after = &t[hashes..];
        if fence.is_none()
            && indent <= 3
            && (1..=6).contains(&hashes)
            && (after.is_empty() || after.starts_with([' ', '\t']))
        {
            writeln!(out, "{}{}", "#".repeat((hashes + 3).min(6)), after)
                .expect("writing to a String cannot fail");
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out.truncate(out.trim_end_matches('\n').len());
    (out, fence)
}

/// HTML body output.
struct Html(String);

impl Sink for Html {
    fn heading(&mut self, level: u8, text: &str) {
        writeln!(self.0, "<h{level}>{}</h{level}>", xml_escape(text))
            .expect("writing to a String cannot fail");
    }
    fn para(&mut self, text: &str) {
        writeln!(self.0, "<p>{}</p>", xml_escape(text)).expect("writing to a String cannot fail");
    }
    fn list(&mut self, items: &[String]) {
        self.0.push_str("<ul>\n");
        for item in items {
            writeln!(self.0, "<li>{}</li>", xml_escape(item))
                .expect("writing to a String cannot fail");
        }
        self.0.push_str("</ul>\n");
    }
    fn table(&mut self, class: &str, head: &[&str], rows: &[Vec<String>]) {
        write!(
            self.0,
            "<table class=\"{}\">\n<thead><tr>",
            xml_escape(class)
        )
        .expect("writing to a String cannot fail");
        for h in head {
            write!(self.0, "<th>{}</th>", xml_escape(h)).expect("writing to a String cannot fail");
        }
        self.0.push_str("</tr></thead>\n<tbody>\n");
        for row in rows {
            self.0.push_str("<tr>");
            for c in row {
                write!(self.0, "<td>{}</td>", xml_escape(c))
                    .expect("writing to a String cannot fail");
            }
            self.0.push_str("</tr>\n");
        }
        self.0.push_str("</tbody>\n</table>\n");
    }
    fn answer(&mut self, markdown: &str) {
        self.0.push_str("<div class=\"answer\">\n");
        pulldown_cmark::html::push_html(&mut self.0, safe_events(markdown));
        self.0.push_str("</div>\n");
    }
    fn diagram(&mut self, index: usize, name: &str, svg: &str) {
        // Each inline SVG defines the same ids; prefix them so every arrow
        // marker resolves to its own diagram's.
        let svg = svg
            .replace("id=\"", &format!("id=\"d{index}-"))
            .replace("url(#", &format!("url(#d{index}-"));
        writeln!(
            self.0,
            "<figure>\n<figcaption>{}</figcaption>\n{}\n</figure>",
            xml_escape(name),
            svg.trim_end()
        )
        .expect("writing to a String cannot fail");
    }
}

/// The answer's Markdown events made safe for the report: raw HTML shown as
/// text, images reduced to their alt text (nothing is fetched), links other
/// than web, mail and in-page ones reduced to their text, and headings
/// pushed below the report's own.
fn safe_events(markdown: &str) -> impl Iterator<Item = Event<'_>> {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut dropped_link = false;
    Parser::new_ext(markdown, options).filter_map(move |e| match e {
        Event::Html(t) | Event::InlineHtml(t) => Some(Event::Text(t)),
        Event::Start(Tag::Image { .. }) => Some(Event::Text(CowStr::Borrowed("[image: "))),
        Event::End(TagEnd::Image) => Some(Event::Text(CowStr::Borrowed("]"))),
        Event::Start(Tag::Link { ref dest_url, .. }) if !safe_url(dest_url) => {
            dropped_link = true;
            None
        }
        Event::End(TagEnd::Link) if dropped_link => {
            dropped_link = false;
            None
        }
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Some(Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        })),
        Event::End(TagEnd::Heading(level)) => Some(Event::End(TagEnd::Heading(demote(level)))),
        e => Some(e),
    })
}

fn demote(level: pulldown_cmark::HeadingLevel) -> pulldown_cmark::HeadingLevel {
    use pulldown_cmark::HeadingLevel as H;
    match level {
        H::H1 => H::H4,
        H::H2 => H::H5,
        _ => H::H6,
    }
}

fn safe_url(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("https://")
        || u.starts_with("http://")
        || u.starts_with("mailto:")
        || u.starts_with('#')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_format_as_utc() {
        assert_eq!(format_utc(0), "1970-01-01 00:00 UTC");
        assert_eq!(format_utc(951_782_400), "2000-02-29 00:00 UTC");
        assert_eq!(format_utc(1_763_712_000 + 3_723), "2025-11-21 09:02 UTC");
    }

    #[test]
    fn answers_cannot_inject_html_or_fetch_anything() {
        let mut h = Html(String::new());
        h.answer("<script>alert(1)</script>\n\n![x](http://evil/img.png) [a](javascript:alert(1)) [b](https://ok.example)\n\n# Big");
        let out = h.0;
        assert!(!out.contains("<script"), "{out}");
        assert!(!out.contains("<img"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        assert!(out.contains("href=\"https://ok.example\""), "{out}");
        assert!(out.contains("<h4>Big</h4>"), "{out}");
    }

    #[test]
    fn markdown_answer_headings_move_below_the_report_outside_code() {
        let md = "# A\n## B\n#### C\n```\n# not a heading\n```\n#hashtag\n  # D";
        assert_eq!(
            demote_md_headings(md),
            (
                "#### A\n##### B\n###### C\n```\n# not a heading\n```\n#hashtag\n#### D".into(),
                None
            )
        );
        assert_eq!(demote_md_headings("~~~\n# x").1, Some('~'));
    }
}
