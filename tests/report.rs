//! Session reports: the HTML parses, embeds one SVG per drawn diagram and
//! every score; the Markdown holds the same numbers; user text is escaped;
//! plain practice sessions say they have no scores.

use std::path::Path;

use mlsd_studio::content::{self, CaseStudy};
use mlsd_studio::export::{report_html, report_markdown};
use mlsd_studio::framework::Step;
use mlsd_studio::mock::{Competency, MockConfig, MockMode, MockState, format_clock, rubric};
use mlsd_studio::session::{Session, load_session};
use mlsd_studio::sim::{
    Call, Network, RunConfig, ServiceTime, SimReport, Station, StationIndex, Traffic, run,
};
use pulldown_cmark::Event;
use scraper::{ElementRef, Html, Selector};

const EXAMPLE: &str = "examples/harmful-content-detection.mlsd";

fn study() -> CaseStudy {
    content::bundled()
        .get("harmful-content-detection")
        .expect("shipped")
        .clone()
}

/// The example session with a finished mock: every criterion of steps 1 to
/// 4 scored (1 to 4 in turn), two signals, notes and follow-ups.
fn mocked(study: &CaseStudy) -> Session {
    let mut s = load_session(Path::new(EXAMPLE)).expect("the example loads");
    let mut m = MockState::new(MockConfig::new(45, MockMode::WithInterviewer));
    m.started_unix_secs = Some(1_763_712_000);
    m.start(0.0);
    let mut now = 0.0;
    for step in 1..=4u8 {
        for (k, c) in rubric(step).iter().enumerate() {
            m.set_score(step, c.id, Some((k % 4) as u8 + 1))
                .expect("valid");
        }
        for _ in 0..12 {
            now += 30.0;
            m.tick(now);
        }
        m.move_to_step(Step::clamped(step + 1), now);
    }
    m.add_note(
        "Strong scoping; <script>alert('x')</script> & co",
        now + 5.0,
    )
    .expect("note");
    m.add_note("Rushed the A/B design | no power analysis", now + 20.0)
        .expect("note");
    m.set_signal(Competency::Communication, Some(4))
        .expect("valid");
    m.set_signal(Competency::Data, Some(2)).expect("valid");
    m.toggle_follow_up(study, 2, 1).expect("exists");
    m.toggle_follow_up(study, 6, 0).expect("exists");
    m.finish(now + 30.0);
    s.mock = Some(m);
    s
}

fn sim() -> SimReport {
    let stations = vec![
        Station::service("gateway", ServiceTime::Exponential { mean_ms: 2.0 }).with_servers(4, 1),
        Station::service("classifier", ServiceTime::Exponential { mean_ms: 20.0 })
            .with_servers(8, 1)
            .with_cost(3.5),
    ];
    let net = Network::new(
        stations,
        vec![Call::new(StationIndex(0), StationIndex(1))],
        StationIndex(0),
    )
    .expect("valid network");
    let cfg = RunConfig::new(Traffic::rps(200.0))
        .with_requests(4_000)
        .with_replications(2)
        .with_seed(7)
        .with_sla_p99_ms(150.0);
    run(&net, &cfg).expect("runs")
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("valid selector")
}

fn cells(row: ElementRef<'_>) -> Vec<String> {
    row.select(&sel("td"))
        .map(|c| c.text().collect::<String>())
        .collect()
}

fn rows(doc: &Html, table: &str) -> Vec<Vec<String>> {
    doc.select(&sel(&format!("table.{table} tbody tr")))
        .map(cells)
        .collect()
}

#[test]
fn html_report_parses_and_holds_diagrams_scores_and_notes() {
    let study = study();
    let session = mocked(&study);
    let mock = session.mock.as_ref().expect("mock");
    let html = report_html(&session, &study, None);
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert_eq!(
        doc.select(&sel("title")).next().map(|t| t.inner_html()),
        Some(format!("Mock interview: {}", study.title))
    );

    // One inline SVG per drawn diagram, each with its nodes.
    let drawn: Vec<_> = session
        .diagrams
        .iter()
        .filter(|d| !d.diagram.is_empty())
        .collect();
    assert_eq!(drawn.len(), 2, "the example has two diagrams");
    let svgs: Vec<_> = doc.select(&sel("figure svg")).collect();
    assert_eq!(svgs.len(), drawn.len());
    for (svg, d) in svgs.iter().zip(&drawn) {
        assert_eq!(svg.select(&sel("g.node")).count(), d.diagram.nodes.len());
    }
    // Marker ids stay unique across the two drawings.
    let ids: Vec<_> = doc
        .select(&sel("marker"))
        .filter_map(|m| m.value().id())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);

    // Every criterion's score, per step, in order.
    let criteria = rows(&doc, "criteria");
    let all: Vec<_> = (1..=7u8)
        .flat_map(|s| rubric(s).iter().map(move |c| (s, c)))
        .collect();
    assert_eq!(criteria.len(), all.len());
    for (row, (step, c)) in criteria.iter().zip(&all) {
        assert_eq!(row[0], c.name);
        match mock.score(*step, c.id) {
            Some(s) => {
                assert_eq!(row[1], s.to_string(), "{}", c.id);
                assert!(row[2].ends_with(c.levels[usize::from(s) - 1]), "{}", c.id);
            }
            None => assert_eq!(row[1], "–"),
        }
    }
    let steps = rows(&doc, "step-scores");
    for (i, row) in steps.iter().enumerate() {
        let want = mock
            .step_score(i as u8 + 1)
            .map_or("–".into(), |v| format!("{v:.2}"));
        assert_eq!(row[1], want, "step {}", i + 1);
    }
    assert_eq!(steps[0][1], "2.50");
    let comps = rows(&doc, "competencies");
    assert_eq!(comps.len(), 7);
    for (row, c) in comps.iter().zip(mock.competency_summaries()) {
        assert_eq!(row[0], c.competency.label());
        assert_eq!(row[1], c.signal.map_or("–".into(), |s| s.to_string()));
    }
    let comm = comps.iter().find(|r| r[0] == "Communication").expect("row");
    assert_eq!(comm[3], "4.00");

    // Time per step against budget.
    let time = rows(&doc, "time");
    assert_eq!(time.len(), 8);
    assert_eq!(time[0][1], format_clock(mock.elapsed_secs(1)));
    assert_eq!(time[0][1], "6:00");
    assert_eq!(time[0][2], "5:00");
    assert_eq!(time[0][3], "+1:00");

    // Notes are escaped text with their clock stamp, never markup.
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("[24:05] step 5: Strong scoping; <script>alert('x')</script> & co"));
    assert!(doc.select(&sel("script")).next().is_none());
    assert!(text.contains(&study.steps[1].follow_ups[1]));
    assert!(text.contains(&study.steps[5].follow_ups[0]));
    assert!(text.contains("2025-11-21 08:00 UTC"));

    // Answers are rendered Markdown: the example's tables become tables.
    assert!(doc.select(&sel(".answer table")).count() >= 1);

    // Standalone and printable: no scripts, stylesheets or fetched resources.
    assert!(
        doc.select(&sel("link, script, img, iframe, object"))
            .next()
            .is_none()
    );
    assert!(!html.contains("@import") && !html.contains("url(http"));
    assert!(html.contains("@media print"));
}

#[test]
fn markdown_report_holds_the_same_numbers() {
    let study = study();
    let session = mocked(&study);
    let mock = session.mock.as_ref().expect("mock");
    let md = report_markdown(&session, &study, None);
    for step in 1..=7u8 {
        for c in rubric(step) {
            let want = match mock.score(step, c.id) {
                Some(s) => format!("| {} | {s} |", c.name),
                None => format!("| {} | – |", c.name),
            };
            assert!(md.contains(&want), "missing {want}");
        }
        if let Some(v) = mock.step_score(step) {
            assert!(md.contains(&format!("| {v:.2} |")), "step {step} mean");
        }
    }
    assert!(md.contains("| Communication | 4 |"));
    assert!(md.contains("| Data | 2 |"));
    assert!(md.contains("| 6:00 | 5:00 | +1:00 |"));
    // Plain text is escaped: a note's markup renders as the text it was.
    assert!(md.contains("Rushed the A/B design \\| no power analysis"));
    let events: Vec<_> =
        pulldown_cmark::Parser::new_ext(&md, pulldown_cmark::Options::ENABLE_TABLES).collect();
    assert!(
        !events
            .iter()
            .any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)))
    );
    let text: String = events
        .iter()
        .filter_map(|e| match e {
            Event::Text(t) => Some(t.as_ref()),
            _ => None,
        })
        .collect();
    assert!(
        text.contains("Strong scoping; <script>alert('x')</script> & co"),
        "{text}"
    );
    assert_eq!(md.matches("```svg\n<svg").count(), 2);
    // Answers are copied as written, their headings moved below the step's.
    for line in session.steps[0].answer.lines() {
        match line.strip_prefix("## ") {
            Some(h) => assert!(md.contains(&format!("\n##### {h}\n")), "{line}"),
            None => assert!(md.contains(line), "{line}"),
        }
    }
    // The same notes, follow-ups and missed points as the HTML.
    assert!(md.contains("[24:05] step 5: Strong scoping"));
    assert!(md.contains(&study.steps[5].follow_ups[0]));
}

#[test]
fn simulator_results_appear_in_both_formats() {
    let study = study();
    let session = mocked(&study);
    let r = sim();
    let p99 = format!("{:.1} ms", r.latency_ms.as_ref().expect("latency").p99.mean);
    let html = report_html(&session, &study, Some(&r));
    let md = report_markdown(&session, &study, Some(&r));
    let doc = Html::parse_document(&html);
    let sim_rows = rows(&doc, "sim");
    let value = |name: &str| {
        sim_rows
            .iter()
            .find(|r| r[0] == name)
            .map(|r| r[1].clone())
            .unwrap_or_else(|| panic!("no {name} row"))
    };
    assert_eq!(value("Latency p99"), p99);
    assert_eq!(value("Bottleneck"), r.bottleneck.clone().expect("one"));
    assert_eq!(
        value("Cost"),
        format!("${:.2} per hour", r.cost_usd_per_hour)
    );
    assert_eq!(
        value("SLA: p99 ≤ 150.0 ms"),
        if r.sla.as_ref().expect("sla").holds {
            "met"
        } else {
            "missed"
        }
    );
    assert!(md.contains(&format!("| Latency p99 | {p99} |")));
    assert!(md.contains(&format!(
        "| Throughput | {:.1} req/s |",
        r.throughput_rps.mean
    )));
    assert!(!report_html(&session, &study, None).contains("Simulator results"));
}

#[test]
fn a_practice_session_without_a_mock_says_it_has_no_scores() {
    let study = study();
    let session = load_session(Path::new(EXAMPLE)).expect("the example loads");
    assert!(session.mock.is_none());
    let html = report_html(&session, &study, None);
    let doc = Html::parse_document(&html);
    assert!(doc.errors.is_empty(), "{:?}", doc.errors);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("No scores: this was a practice session"));
    assert!(doc.select(&sel("table.criteria")).next().is_none());
    assert_eq!(
        rows(&doc, "time")[0][1],
        format_clock(session.steps[0].seconds_spent)
    );
    assert_eq!(doc.select(&sel("figure svg")).count(), 2);
    let md = report_markdown(&session, &study, None);
    assert!(md.starts_with("# Practice session: "));
    assert!(md.contains("No scores: this was a practice session"));
    // Missed checklist points are the unticked ones, in both formats.
    let missed = &study.steps[1].checklist[5];
    assert!(!session.steps[1].ticked.contains(&5));
    assert!(text.contains(missed.as_str()) && md.contains(missed.as_str()));
}

#[test]
fn an_empty_session_reports_without_diagrams_or_answers() {
    let study = study();
    let session = Session::new(&study);
    let html = report_html(&session, &study, None);
    let doc = Html::parse_document(&html);
    assert_eq!(doc.select(&sel("svg")).count(), 0);
    let text: String = doc.root_element().text().collect();
    assert!(text.contains("No diagrams were drawn."));
    assert_eq!(text.matches("No answer written.").count(), 7);
    assert!(text.contains("Date: not recorded"));
}

#[test]
fn reports_carry_the_design_review_and_the_answer_coverage() {
    let library = content::bundled();
    let session =
        load_session(Path::new("examples/harmful-content-detection.mlsd")).expect("example");
    let study = library.get(&session.case_study).expect("shipped");
    let review = mlsd_studio::review::review_session(&session, study, None);
    assert!(
        !review.findings.is_empty(),
        "the example has gaps to report"
    );

    let doc = Html::parse_document(&report_html(&session, study, None));
    let findings = rows(&doc, "findings");
    assert_eq!(findings.len(), review.findings.len());
    for (row, f) in findings.iter().zip(&review.findings) {
        assert_eq!(row[0], f.severity.label());
        assert_eq!(row[1], f.rule);
        assert_eq!(row[2], f.step.to_string());
    }
    let coverage = rows(&doc, "coverage");
    assert_eq!(coverage.len(), 7, "one row per step");
    for (row, c) in coverage.iter().zip(&review.coverage) {
        assert_eq!(
            row[1],
            format!("{} of {}", c.covered().count(), c.points.len())
        );
    }

    let md = report_markdown(&session, study, None);
    assert!(md.contains("## Design review"));
    assert!(md.contains("## What the answers cover"));
    assert!(md.contains(review.findings[0].rule));
}
