//! The states and kinds stored as strings (request, proposal and outbox states, roles, actors,
//! timeline kinds, audit actions): Rust enums at the storage boundary (`DeriveActiveEnum`, stored as the same slugs as
//! ever), each carrying its French labels, so that a value read from the database is one of them
//! or an error, never a string compared by hand.

mod audit_action;
mod event_kind;
mod outbox_status;
mod proposal_status;
mod request_status;
mod role;

pub use audit_action::AuditAction;
pub use event_kind::EventKind;
pub use outbox_status::OutboxStatus;
pub use proposal_status::ProposalStatus;
pub use request_status::{Actor, RequestStatus};
pub use role::Role;
