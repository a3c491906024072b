//! The kinds of entries of a request's timeline: defined with the table they are stored in
//! (`entity::states`), named here for the rules.

pub use entity::states::EventKind;
