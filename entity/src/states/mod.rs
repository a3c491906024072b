//! The states and kinds stored as strings (request and proposal states, roles, actors, timeline
//! kinds): Rust enums at the storage boundary (`DeriveActiveEnum`, stored as the same slugs as
//! ever), each carrying its French labels, so that a value read from the database is one of them
//! or an error, never a string compared by hand.

mod event_kind;
mod proposal_status;
mod request_status;
mod role;

pub use event_kind::EventKind;
pub use proposal_status::ProposalStatus;
pub use request_status::{Actor, RequestStatus};
pub use role::Role;
