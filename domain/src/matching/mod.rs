//! Matching (../shared/PRODUCT.md §5): ranking eligible volunteers with an explained score,
//! proposing a request to the best ones round after round, and letting exactly one accept.

pub mod answers;
pub mod candidates;
pub mod history;
pub mod in_person;
pub mod manual;
pub mod recheck;
pub mod release;
pub mod reminders;
pub mod rounds;
pub mod score;

pub use score::{Breakdown, Candidate};
