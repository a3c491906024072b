//! Entraide's database migrations, one per file, applied in order at start and by `entraide migrate`.

pub use sea_orm_migration::prelude::*;

mod indexes;

mod m20261123_000001_create_session;
mod m20261123_000002_create_outbox_email;
mod m20261123_000010_create_account;
mod m20261123_000011_create_account_token;
mod m20261123_000020_create_help_request;
mod m20261123_000030_create_proposal;
mod m20261123_000040_create_organisation;
mod m20261123_000050_request_erasure;
mod m20261123_000060_proposal_reminder;
mod m20261123_000070_create_feedback;
mod m20261130_000080_outbox_link_secrets;
mod m20261130_000090_outbox_request;
mod m20261130_000100_limit_hit_and_job_lease;
mod m20261130_000310_request_message_for_volunteer;
// Citizens (issue 20).
mod m20261130_000100_statistics;
mod m20261130_000110_outbox_claim_index;
mod m20261130_000300_organisation_helpline;
mod m20261130_000310_request_relative_and_follow_link;
mod m20261130_000320_create_follow_lookup;
mod m20261130_000400_request_trust_word;
mod m20261130_000410_create_outbox_sms;
mod m20261130_000420_feedback_safety_question;
// Partner API and webhooks (issue 17).
mod m20261130_000500_create_api_key;
mod m20261130_000510_create_webhooks;
// Write paths (issue 19).
mod m20261130_000600_drop_outbox_email_due;

/// The list of every migration, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_create_session::Migration),
            Box::new(m20261123_000002_create_outbox_email::Migration),
            Box::new(m20261123_000010_create_account::Migration),
            Box::new(m20261123_000011_create_account_token::Migration),
            Box::new(m20261123_000020_create_help_request::Migration),
            Box::new(m20261123_000030_create_proposal::Migration),
            Box::new(m20261123_000040_create_organisation::Migration),
            Box::new(m20261123_000050_request_erasure::Migration),
            Box::new(m20261123_000060_proposal_reminder::Migration),
            Box::new(m20261123_000070_create_feedback::Migration),
            Box::new(m20261130_000080_outbox_link_secrets::Migration),
            Box::new(m20261130_000090_outbox_request::Migration),
            Box::new(m20261130_000100_limit_hit_and_job_lease::Migration),
            Box::new(m20261130_000310_request_message_for_volunteer::Migration),
            // Citizens (issue 20).
            Box::new(m20261130_000300_organisation_helpline::Migration),
            Box::new(m20261130_000310_request_relative_and_follow_link::Migration),
            Box::new(m20261130_000320_create_follow_lookup::Migration),
            Box::new(m20261130_000100_statistics::Migration),
            Box::new(m20261130_000110_outbox_claim_index::Migration),
            // Text messages and the trust word (issue 16).
            Box::new(m20261130_000400_request_trust_word::Migration),
            Box::new(m20261130_000410_create_outbox_sms::Migration),
            Box::new(m20261130_000420_feedback_safety_question::Migration),
            // Partner API and webhooks (issue 17).
            Box::new(m20261130_000500_create_api_key::Migration),
            Box::new(m20261130_000510_create_webhooks::Migration),
            // Write paths (issue 19).
            Box::new(m20261130_000600_drop_outbox_email_due::Migration),
        ]
    }
}
