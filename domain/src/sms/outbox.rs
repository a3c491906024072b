//! The durable SMS outbox: texts are rows written with the change that causes them, claimed by
//! workers under a lease ([`outbox_claim`]), retried with backoff, never sent at night in the
//! recipient's local time.

use chrono::{DateTime, Utc};
use entity::outbox_sms::{self, Column, Entity as OutboxSms};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use entity::states::OutboxStatus;

use super::{About, Sms};
use crate::config::QuietHours;
use crate::outbox_claim::{self, OutboxRow};

impl OutboxRow for outbox_sms::Model {
    const TABLE: &'static str = "outbox_sms";
    fn id(&self) -> i64 {
        self.id
    }
}

/// The table, for the shared claim.
pub const TABLE: &str = <outbox_sms::Model as OutboxRow>::TABLE;

/// Writes `sms` to the outbox through `db` — the caller's transaction, so that the text exists if
/// and only if the change that causes it is committed — due at `now`, or at the end of the quiet
/// period in the recipient's local time. A second text with the same `dedupe_key` is not written.
/// Returns whether a row was written.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    quiet: &QuietHours,
    sms: &Sms,
    about: &About,
    dedupe_key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let row = outbox_sms::ActiveModel {
        kind: Set(sms.kind.to_owned()),
        recipient: Set(sms.to.clone()),
        body: Set(sms.body.clone()),
        dedupe_key: Set(dedupe_key.to_owned()),
        status: Set(OutboxStatus::Pending),
        attempts: Set(0),
        next_attempt_at: Set(quiet.next_allowed(now, about.departement.as_deref())),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        request_id: Set(about.request_id),
        account_id: Set(about.account_id),
        departement: Set(about.departement.clone()),
        provider_id: Set(None),
        ..Default::default()
    };
    let written = OutboxSms::insert(row)
        .on_conflict(
            OnConflict::column(Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(written == 1)
}

/// How many texts are in each state.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, i64)>, DbErr> {
    outbox_claim::counts(db, TABLE).await
}

/// The texts given up on, most recent first.
pub async fn failed<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<outbox_sms::Model>, DbErr> {
    OutboxSms::find()
        .filter(Column::Status.eq(OutboxStatus::Failed))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// The latest texts, most recent first.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<outbox_sms::Model>, DbErr> {
    OutboxSms::find()
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Puts every failed text back in the queue for a new series of attempts, due at `now` (quiet
/// hours still apply when the worker claims it); returns how many.
pub async fn retry_failed<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let ids: Vec<i64> = OutboxSms::find()
        .select_only()
        .column(Column::Id)
        .filter(Column::Status.eq(OutboxStatus::Failed))
        .into_tuple()
        .all(db)
        .await?;
    outbox_claim::requeue_failed(db, TABLE, &ids, now).await
}

/// Deletes the texts about `request_id` already sent or given up (its personal data is being
/// erased; one still waiting goes out, then [`delete_late_copies`] deletes it); returns how many.
pub async fn erase_for_request<C: ConnectionTrait>(db: &C, request_id: i64) -> Result<u64, DbErr> {
    Ok(OutboxSms::delete_many()
        .filter(Column::RequestId.eq(request_id))
        .filter(Column::Status.ne(OutboxStatus::Pending))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes the texts about erased requests that were still waiting when their request was
/// erased, once they are sent (or given up).
pub async fn delete_late_copies<C: ConnectionTrait>(db: &C) -> Result<u64, DbErr> {
    let erased = sea_orm::sea_query::Query::select()
        .column(entity::help_request::Column::Id)
        .from(entity::help_request::Entity)
        .and_where(entity::help_request::Column::ErasedAt.is_not_null())
        .to_owned();
    Ok(OutboxSms::delete_many()
        .filter(Column::Status.ne(OutboxStatus::Pending))
        .filter(Column::RequestId.in_subquery(erased))
        .exec(db)
        .await?
        .rows_affected)
}

/// Deletes the texts sent more than `keep_days` days before `now`; returns how many.
pub async fn delete_sent<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<u64, DbErr> {
    outbox_claim::delete_sent(db, TABLE, now, keep_days).await
}

/// Records that `worker` handed `row` to the provider at `now` (`provider_id`: the provider's id
/// for it); the short link's code is masked in the stored copy.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    row: &outbox_sms::Model,
    worker: &str,
    provider_id: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    OutboxSms::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Sent))
        .col_expr(Column::SentAt, Expr::value(now))
        .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(Column::ProviderId, Expr::value(provider_id))
        .col_expr(Column::Body, Expr::value(super::links::mask(&row.body)))
        .filter(Column::Id.eq(row.id))
        .filter(Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Gives `row`, claimed by `worker` in the quiet period, back to the queue until `until`, without
/// counting the claim as an attempt.
pub async fn defer<C: ConnectionTrait>(
    db: &C,
    row: &outbox_sms::Model,
    worker: &str,
    until: DateTime<Utc>,
) -> Result<(), DbErr> {
    OutboxSms::update_many()
        .col_expr(Column::Status, Expr::value(OutboxStatus::Pending))
        .col_expr(Column::Attempts, Expr::value((row.attempts - 1).max(0)))
        .col_expr(Column::NextAttemptAt, Expr::value(until))
        .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(Column::Id.eq(row.id))
        .filter(Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}
