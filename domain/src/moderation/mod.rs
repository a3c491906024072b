//! Moderation (../shared/PRODUCT.md §1, §4): what moderators and admins do to the requests and
//! volunteers of their territory. Every action checks the staff member's scope, moves the request
//! through its lifecycle and writes the audit log in one transaction.

pub mod actions;
pub mod desk;
pub mod detail;
pub mod digest;
pub mod edit;
pub mod facts;
pub mod notes;
pub mod preferences;
pub mod queue;
pub mod refusal;
pub mod timeline;
pub mod transfer;
pub mod volunteer_actions;
pub mod volunteers;
