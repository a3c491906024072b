//! The two lifecycles, in one place. A request moves only through [`apply`] (checked against
//! [`RequestStatus::allows`], a conditional update, its timeline entry, then its [`effects`] — the
//! e-mails, the proposals let go of, the moderators alerted, the feedback invitation — all in the
//! caller's transaction). Proposals move only through [`proposals::apply`] (checked against
//! [`ProposalStatus::allows`]).
//!
//! This module sits below `requests`, `matching` and `moderation`, which all move requests: it
//! imports none of them.
//!
//! [`RequestStatus::allows`]: entity::states::RequestStatus::allows
//! [`ProposalStatus::allows`]: entity::states::ProposalStatus::allows

pub mod alerts;
mod effects;
pub mod proposals;
mod request;

pub use request::{TransitionError, apply, as_seen, record};
