//! An e-mail waiting in, or sent from, the durable outbox.

use sea_orm::entity::prelude::*;

/// One e-mail: written in the same transaction as the change that causes it, then sent by a worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox_email")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What kind of e-mail this is (the template's name).
    pub kind: String,
    /// The recipient's address.
    pub recipient: String,
    pub subject: String,
    #[sea_orm(column_type = "Text")]
    pub body_text: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// Extra headers, as a JSON array of `[name, value]` pairs.
    #[sea_orm(column_type = "Text")]
    pub headers: String,
    /// The stable Message-ID, the same at every attempt.
    #[sea_orm(unique)]
    pub message_id: String,
    /// One event yields one e-mail: a second e-mail with the same key is not written.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: crate::states::OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// The worker holding the e-mail while it sends it, and until when.
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
    /// The help request the e-mail is about, if any: erasing the request deletes it.
    pub request_id: Option<i64>,
    /// The account it was addressed to, if any: deleting the account deletes it, whatever address
    /// the account had then.
    pub account_id: Option<i64>,
    /// The tokens of the e-mail's links, encrypted under a key derived from SECRET_KEY, while it
    /// waits to be sent (the bodies hold placeholders instead); `None` once sent, or when the
    /// e-mail has no secret link.
    #[sea_orm(column_type = "Text", nullable)]
    pub link_secrets: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
