//! One event for one webhook endpoint, in the durable outbox of webhooks (issue 17).

use sea_orm::entity::prelude::*;

/// One delivery: written in the transaction of the change it reports, then POSTed by a worker.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_delivery")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub endpoint_id: i64,
    /// The request the event is about: erasing the request deletes it.
    pub request_id: Option<i64>,
    /// The event's id (a UUID), the same for every endpoint: `Entraide-Webhook-Id`.
    pub event_id: String,
    /// `demande.creee`, `demande.resolue`…
    pub event_type: String,
    /// One event yields one delivery per endpoint.
    #[sea_orm(unique)]
    pub dedupe_key: String,
    /// The JSON body, signed at each attempt.
    #[sea_orm(column_type = "Text")]
    pub body: String,
    /// `pending`, `sending`, `sent` or `failed`.
    pub status: crate::states::OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    /// The worker holding the delivery while it sends it, and until when.
    pub locked_by: Option<String>,
    pub locked_until: Option<DateTimeUtc>,
    /// Why the last attempt failed, in French (the organisation's moderators read it).
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// The HTTP status the endpoint last answered, if it answered.
    pub last_status_code: Option<i32>,
    pub created_at: DateTimeUtc,
    pub delivered_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
