//! The reference design shipped with every case study: it loads, meets the
//! case's p99 SLA (the upper end of the 95% interval included) and budget at
//! peak by the discrete-event simulator, and the design review finds no
//! error in it.

use std::process::Command;

use mlsd_studio::content;
use mlsd_studio::diagram::SERVING_DIAGRAM;
use mlsd_studio::review::{Severity, reference_session, review_session};
use mlsd_studio::sim::from_diagram::network_from_diagram;
use mlsd_studio::sim::{RunConfig, Traffic, run};

const HOURS_PER_MONTH: f64 = 730.0;

#[test]
fn every_reference_meets_its_sla_and_budget_with_no_review_errors() {
    let library = content::bundled();
    assert_eq!(library.studies.len(), 10);
    for study in &library.studies {
        let id = &study.id;
        let session = reference_session(study, None).unwrap_or_else(|e| panic!("{id}: {e}"));
        let serving = session.diagram(SERVING_DIAGRAM).expect("serving");
        let net = network_from_diagram(serving).unwrap_or_else(|e| panic!("{id}: {e}"));
        let sc = study.scenario;
        let config = RunConfig::new(Traffic::rps(sc.peak_qps))
            .with_requests(50_000)
            .with_replications(8)
            .with_sla_p99_ms(sc.p99_sla_ms);
        let report = run(&net.network, &config).unwrap_or_else(|e| panic!("{id}: {e}"));
        let p99 = &report.latency_ms.as_ref().expect("latency").p99;
        let upper = p99.mean + p99.ci95_half_width.unwrap_or(f64::INFINITY);
        assert!(
            upper < sc.p99_sla_ms,
            "{id}: p99 {:.1} ± {:?} ms against an SLA of {} ms",
            p99.mean,
            p99.ci95_half_width,
            sc.p99_sla_ms
        );
        let monthly = report.cost_usd_per_hour * HOURS_PER_MONTH;
        assert!(
            monthly <= sc.monthly_budget_usd,
            "{id}: ${monthly:.0} a month against ${}",
            sc.monthly_budget_usd
        );
        let review = review_session(&session, study, Some(&report));
        let errors: Vec<_> = review
            .findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
            .collect();
        assert!(errors.is_empty(), "{id}: {errors:#?}");
    }
}

#[test]
fn the_reference_command_writes_a_session_that_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("ref.mlsd");
    let status = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args(["reference", "video-recommendation", "-o"])
        .arg(&out)
        .status()
        .expect("runs");
    assert!(status.success());
    let session = mlsd_studio::session::load_session(&out).expect("a session");
    assert_eq!(session.case_study, "video-recommendation");
    assert!(session.diagrams.iter().all(|d| !d.diagram.is_empty()));
    assert!(session.steps.iter().all(|s| s.answer.is_empty()));

    let bad = Command::new(env!("CARGO_BIN_EXE_mlsd-studio"))
        .args(["reference", "no-such-case", "-o"])
        .arg(dir.path().join("x.mlsd"))
        .output()
        .expect("runs");
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("no-such-case"));
    assert!(!dir.path().join("x.mlsd").exists());
}
