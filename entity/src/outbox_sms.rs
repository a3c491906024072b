//! A text message waiting in, or sent from, the durable SMS outbox.

use sea_orm::entity::prelude::*;

/// One SMS: written in the same transaction as the change that causes it, then sent by a worker
/// (claimed like the e-mails, `domain::outbox_claim`).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_sms")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What kind of SMS this is (the template's name).
    pub kind: String,
    /// The recipient's mobile number, in international form (`+336…`).
    pub recipient: String,
    /// The text (personal data: erased with the request's).
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// One event yields one SMS: a second SMS with the same key is not written.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: crate::states::OutboxStatus,
    pub attempts: i32,
    /// Not before this time (quiet hours included).
    pub next_attempt_at: DateTimeUtc,
    /// The worker holding the SMS while it sends it, and until when.
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The help request the SMS is about, if any: erasing the request deletes it.
    pub request_id: Option<i64>,
    /// The account it was addressed to, if any: deleting the account deletes it.
    pub account_id: Option<i64>,
    /// The département whose local time the quiet hours follow.
    pub departement: Option<String>,
    /// The provider's id for the message, once sent.
    pub provider_id: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
