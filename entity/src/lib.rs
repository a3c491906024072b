//! Entraide's sea-orm entities: one module per table, kept in the shape sea-orm-cli generates.

pub mod account;
pub mod account_token;
pub mod api_idempotency;
pub mod api_key;
pub mod audit_log;
pub mod feedback;
pub mod feedback_token;
pub mod follow_lookup;
pub mod help_request;
pub mod job_lease;
pub mod limit_hit;
pub mod login_attempt;
pub mod membership;
pub mod moderation_note;
pub mod organisation;
pub mod outbox_email;
pub mod outbox_sms;
pub mod proposal;
pub mod request_event;
pub mod session;
pub mod short_link;
pub mod states;
pub mod volunteer_profile;
pub mod webhook_delivery;
pub mod webhook_endpoint;
