//! Integration tests: each test starts the real application, on its own database.

mod fixtures;
mod helpers;
mod mailbox;
mod matching;
mod staff;

mod accounts;
mod admin;
mod backup;
mod communes;
mod feedback;
mod first_names;
mod hardening;
mod health;
mod health_page;
mod layout;
mod logs;
mod mail;
mod metrics;
mod migrations;
mod moderation;
mod moderation_emails;
mod moderation_volunteers;
mod no_store;
mod organisations;
mod outbox_secrets;
mod proposals;
mod redirects;
mod requests;
mod retention;
mod retention_copies;
mod security;
mod sessions;
mod stale_requests;
mod volunteer_changes;
mod volunteer_notices;
