//! The partner API's rules (issue 17): an organisation's keys ([`keys`]), the remembered answers
//! that make a retried call safe ([`idempotency`]), and what a partner may read of its
//! organisation's requests ([`view`]). Filing and cancelling go through the same intake and
//! lifecycle as the pages (`requests::intake`, `requests::follow`).

pub mod idempotency;
pub mod keys;
pub mod view;

pub use keys::{ApiKeyUse, KEY_PREFIX, NewKey, PartnerKey};
