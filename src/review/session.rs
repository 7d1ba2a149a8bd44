//! A whole session's review: the design review of its diagrams against the
//! case's scenario, and the coverage of each step's answer.

use serde::Serialize;

use super::findings::Finding;
use super::rules::{ReviewInput, review};
use crate::content::CaseStudy;
use crate::content::coverage::{StepCoverage, step_coverage};
use crate::diagram::SERVING_DIAGRAM;
use crate::session::Session;
use crate::sim::SimReport;

/// The findings on the diagrams and the coverage of the answers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionReview {
    pub findings: Vec<Finding>,
    pub coverage: Vec<StepCoverage>,
}

/// Reviews `session` against `study`; `sim` is the last simulation of its
/// serving diagram, when it is current.
pub fn review_session(
    session: &Session,
    study: &CaseStudy,
    sim: Option<&SimReport>,
) -> SessionReview {
    let diagrams: Vec<(&str, &crate::diagram::Diagram)> = session
        .diagrams
        .iter()
        .map(|d| (d.name.as_str(), &d.diagram))
        .collect();
    let serving = session.diagram(SERVING_DIAGRAM).map(|_| SERVING_DIAGRAM);
    let findings = review(&ReviewInput {
        diagrams,
        serving,
        scenario: &study.scenario,
        sim,
    });
    let coverage = study
        .steps
        .iter()
        .map(|content| step_coverage(&session.step(content.step).answer, content))
        .collect();
    SessionReview { findings, coverage }
}
