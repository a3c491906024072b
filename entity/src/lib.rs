//! Entraide's sea-orm entities: one module per table, kept in the shape sea-orm-cli generates.

pub mod help_request;
pub mod outbox_email;
pub mod request_event;
pub mod session;
