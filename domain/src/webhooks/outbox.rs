//! The durable outbox of webhook deliveries: claimed by workers under a lease, retried with a
//! growing wait for a day after the event, then given up (`failed`); a 2xx answer marks a delivery
//! `sent` and nothing sends it again. The organisation's moderators read the deliveries and may
//! send one again ([`redeliver`]).

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::states::{AuditAction, OutboxStatus};
use entity::{webhook_delivery, webhook_endpoint};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::endpoints::organisation_of;
use crate::audit::{self, Target};
use crate::error::DomainError;
use crate::staff::Staff;

/// The waits after each failed attempt, then the last one again until the day is over.
pub const BACKOFF: [chrono::TimeDelta; 7] = [
    chrono::TimeDelta::minutes(1),
    chrono::TimeDelta::minutes(5),
    chrono::TimeDelta::minutes(15),
    chrono::TimeDelta::hours(1),
    chrono::TimeDelta::hours(3),
    chrono::TimeDelta::hours(6),
    chrono::TimeDelta::hours(12),
];

/// How long after its event a delivery is still attempted.
pub const GIVE_UP_AFTER: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The deliveries the page lists.
pub const SHOWN: u64 = 50;

impl crate::outbox_claim::OutboxRow for webhook_delivery::Model {
    const TABLE: &'static str = "webhook_delivery";
    fn id(&self) -> i64 {
        self.id
    }
}

/// Claims up to `limit` deliveries due at `now` (or whose worker's lease ran out) for `worker`,
/// until `now + lease` ([`crate::outbox_claim::claim_due`], the e-mail outbox's claim), after
/// giving up the deliveries abandoned by a dead worker once their day was over.
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    worker: &str,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<webhook_delivery::Model>, DbErr> {
    give_up_abandoned(db, now).await?;
    crate::outbox_claim::claim_due(db, worker, limit, lease, now).await
}

/// Marks as failed the deliveries whose worker died holding them after their day was over.
async fn give_up_abandoned<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<(), DbErr> {
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(OutboxStatus::Failed),
        )
        .col_expr(
            webhook_delivery::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value("abandonné : le dernier essai n'a pas pu aboutir"),
        )
        .filter(webhook_delivery::Column::Status.eq(OutboxStatus::Sending))
        .filter(webhook_delivery::Column::LockedUntil.lt(now))
        .filter(webhook_delivery::Column::CreatedAt.lt(now - GIVE_UP_AFTER))
        .exec(db)
        .await?;
    Ok(())
}

/// When a delivery that just failed its `attempts`-th attempt at `now` is tried again; `None`:
/// its day is over, it is given up.
pub fn next_attempt(
    created_at: DateTime<Utc>,
    attempts: i32,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let deadline = created_at + GIVE_UP_AFTER;
    if now >= deadline {
        return None;
    }
    let step = usize::try_from(attempts.max(1) - 1).unwrap_or(0);
    let wait = BACKOFF[step.min(BACKOFF.len() - 1)];
    Some((now + wait).min(deadline))
}

/// Records a 2xx answer: delivered, never sent again.
pub async fn mark_delivered<C: ConnectionTrait>(
    db: &C,
    row: &webhook_delivery::Model,
    worker: &str,
    status_code: u16,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(OutboxStatus::Sent),
        )
        .col_expr(webhook_delivery::Column::DeliveredAt, Expr::value(now))
        .col_expr(
            webhook_delivery::Column::LastStatusCode,
            Expr::value(i32::from(status_code)),
        )
        .col_expr(
            webhook_delivery::Column::LastError,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .filter(webhook_delivery::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt (`error` in French, the status the endpoint answered if it did): the
/// delivery waits for its next attempt, or is failed when its day is over (`give_up` at once).
pub async fn mark_failed<C: ConnectionTrait>(
    db: &C,
    row: &webhook_delivery::Model,
    worker: &str,
    error: &str,
    status_code: Option<u16>,
    give_up: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let next = (!give_up)
        .then(|| next_attempt(row.created_at, row.attempts, now))
        .flatten();
    let mut update = webhook_delivery::Entity::update_many()
        .col_expr(webhook_delivery::Column::LastError, Expr::value(error))
        .col_expr(
            webhook_delivery::Column::LastStatusCode,
            Expr::value(status_code.map(i32::from)),
        )
        .col_expr(
            webhook_delivery::Column::LockedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            webhook_delivery::Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    update = match next {
        Some(at) => update
            .col_expr(
                webhook_delivery::Column::Status,
                Expr::value(OutboxStatus::Pending),
            )
            .col_expr(webhook_delivery::Column::NextAttemptAt, Expr::value(at)),
        None => update.col_expr(
            webhook_delivery::Column::Status,
            Expr::value(OutboxStatus::Failed),
        ),
    };
    update
        .filter(webhook_delivery::Column::Id.eq(row.id))
        .filter(webhook_delivery::Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Deletes the deliveries delivered or given up more than `keep_days` days after their event
/// (`OUTBOX_KEEP_DAYS`, as for e-mails); returns how many.
pub async fn delete_finished<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<u64, DbErr> {
    Ok(webhook_delivery::Entity::delete_many()
        .filter(webhook_delivery::Column::Status.is_in([OutboxStatus::Sent, OutboxStatus::Failed]))
        .filter(
            webhook_delivery::Column::CreatedAt
                .lt(now - chrono::Duration::days(i64::from(keep_days))),
        )
        .exec(db)
        .await?
        .rows_affected)
}

/// A delivery as the organisation's page lists it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Listed {
    pub id: i64,
    pub endpoint_id: i64,
    pub url: String,
    pub event_id: String,
    pub event_type: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    pub last_status_code: Option<i32>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// The organisation's latest deliveries ([`SHOWN`] at most), newest first, for `staff` (another
/// organisation's: not found).
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    staff: &Staff,
    organisation_id: i64,
) -> Result<Vec<Listed>, DomainError> {
    organisation_of(db, staff, organisation_id).await?;
    Ok(webhook_delivery::Entity::find()
        .select_only()
        .columns([
            webhook_delivery::Column::Id,
            webhook_delivery::Column::EndpointId,
            webhook_delivery::Column::EventId,
            webhook_delivery::Column::EventType,
            webhook_delivery::Column::Status,
            webhook_delivery::Column::Attempts,
            webhook_delivery::Column::NextAttemptAt,
            webhook_delivery::Column::LastError,
            webhook_delivery::Column::LastStatusCode,
            webhook_delivery::Column::CreatedAt,
            webhook_delivery::Column::DeliveredAt,
        ])
        .column(webhook_endpoint::Column::Url)
        .join(
            sea_orm::JoinType::InnerJoin,
            webhook_delivery::Entity::belongs_to(webhook_endpoint::Entity)
                .from(webhook_delivery::Column::EndpointId)
                .to(webhook_endpoint::Column::Id)
                .into(),
        )
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(webhook_delivery::Column::Id)
        .limit(SHOWN)
        .into_model::<Listed>()
        .all(db)
        .await?)
}

/// What [`redeliver`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Redelivered {
    /// Put back in the queue for an attempt now.
    Queued,
    /// Already delivered, or being sent: nothing changed.
    NotWaiting,
}

/// Puts a failed or waiting delivery of the organisation back in the queue for an attempt now
/// (audited); a delivered one is not sent again.
pub async fn redeliver(
    db: &DatabaseConnection,
    staff: &Staff,
    organisation_id: i64,
    delivery_id: i64,
) -> Result<Redelivered, DomainError> {
    organisation_of(db, staff, organisation_id).await?;
    let delivery = webhook_delivery::Entity::find_by_id(delivery_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    let endpoint = webhook_endpoint::Entity::find_by_id(delivery.endpoint_id)
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if endpoint.disabled_at.is_some() {
        return Err(DomainError::Conflict(
            "Cette adresse est désactivée : l'envoi ne peut pas repartir.".into(),
        ));
    }
    let txn = db.begin().await?;
    let moved = webhook_delivery::Entity::update_many()
        .col_expr(
            webhook_delivery::Column::Status,
            Expr::value(OutboxStatus::Pending),
        )
        .col_expr(
            webhook_delivery::Column::NextAttemptAt,
            Expr::value(Utc::now()),
        )
        .filter(webhook_delivery::Column::Id.eq(delivery.id))
        .filter(
            webhook_delivery::Column::Status.is_in([OutboxStatus::Failed, OutboxStatus::Pending]),
        )
        .exec(&txn)
        .await?
        .rows_affected;
    if moved == 0 {
        txn.rollback().await?;
        return Ok(Redelivered::NotWaiting);
    }
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::WebhookRedelivered,
        Target::Organisation(organisation_id),
        Some(organisation_id),
        Some(format!(
            "envoi {} ({})",
            delivery.event_id, delivery.event_type
        )),
    )
    .await?;
    txn.commit().await?;
    Ok(Redelivered::Queued)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_wait_longer_each_time_and_stop_after_a_day() {
        let created = Utc::now();
        assert_eq!(
            next_attempt(created, 1, created),
            Some(created + chrono::TimeDelta::minutes(1))
        );
        assert_eq!(
            next_attempt(created, 2, created),
            Some(created + chrono::TimeDelta::minutes(5))
        );
        let late = created + chrono::TimeDelta::hours(20);
        assert_eq!(
            next_attempt(created, 9, late),
            Some(created + GIVE_UP_AFTER),
            "the last attempt happens when the day ends"
        );
        assert_eq!(next_attempt(created, 10, created + GIVE_UP_AFTER), None);
    }
}
