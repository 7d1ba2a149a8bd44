//! Judgements on the candidate's work, computed locally from the case
//! study, the diagrams and the simulator: a design review of the diagrams
//! and what each written answer covers. Every judgement says why.

mod compare;
mod design_nodes;
pub mod designs;
mod findings;
mod reference;
mod rules;
mod session;

pub use crate::content::coverage::{PointCoverage, StepCoverage, normalised_words, step_coverage};
pub use compare::{Comparison, Role, RoleGap, compare, role_of};
pub use findings::{Finding, Severity};
pub use reference::{ReferenceError, check_reference, reference_session};
pub use rules::{MAX_PEAK_LOAD, RULES, ReviewInput, Rule, review};
pub use session::{SessionReview, review_session};
