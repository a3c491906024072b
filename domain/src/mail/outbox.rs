//! The durable outbox: e-mails are rows, written with the change that causes them and claimed by
//! workers under a lease, so that none is lost when the SMTP server is down or a process dies.
//!
//! States: `pending` (waiting for its next attempt) → `sending` (claimed by a worker until its lease
//! ends) → `sent`; after too many failures, `failed` (an operator may requeue it).

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::outbox_email::{self, Column, Entity as OutboxEmail};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

pub use entity::states::OutboxStatus;

use super::Composed;
use super::secrets::{self, LinkKey};
use crate::outbox_claim::{self, OutboxRow};

/// The table, for the shared claim ([`outbox_claim`]).
pub const TABLE: &str = <outbox_email::Model as OutboxRow>::TABLE;

/// Waiting for its next attempt.
pub const PENDING: OutboxStatus = OutboxStatus::Pending;
/// Claimed by a worker.
pub const SENDING: OutboxStatus = OutboxStatus::Sending;
/// Handed to the mail server (or written to the folder).
pub const SENT: OutboxStatus = OutboxStatus::Sent;
/// Given up after too many attempts.
pub const FAILED: OutboxStatus = OutboxStatus::Failed;

/// Writes `email` to the outbox through `db` — pass the caller's transaction so that the e-mail
/// exists if and only if the change that causes it is committed. `dedupe_key` names the event: a
/// second e-mail with the same key is not written. The tokens of its links are stored apart,
/// sealed under `key` ([`secrets`]). Returns whether a row was written.
pub async fn enqueue<C: ConnectionTrait>(
    db: &C,
    message_domain: &str,
    key: &LinkKey,
    email: &Composed,
    dedupe_key: &str,
) -> Result<bool, DbErr> {
    let now = Utc::now();
    let mut headers =
        serde_json::to_string(&email.headers).map_err(|e| DbErr::Custom(e.to_string()))?;
    let message_id = format!("<{}@{}>", uuid::Uuid::new_v4(), message_domain);
    let (mut subject, mut text, mut html) = (
        email.subject.clone(),
        email.text.clone(),
        email.html.clone(),
    );
    let link_secrets = secrets::seal(
        key,
        &message_id,
        &email.to,
        [&mut subject, &mut text, &mut html, &mut headers],
    )
    .map_err(|_| DbErr::Custom("cannot seal the e-mail's link secrets".into()))?;
    let row = outbox_email::ActiveModel {
        kind: Set(email.kind.to_owned()),
        recipient: Set(email.to.clone()),
        subject: Set(subject),
        body_text: Set(text),
        body_html: Set(html),
        headers: Set(headers),
        message_id: Set(message_id),
        dedupe_key: Set(dedupe_key.to_owned()),
        status: Set(PENDING.to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_by: Set(None),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(now),
        sent_at: Set(None),
        link_secrets: Set(link_secrets),
        ..super::about::columns(db, dedupe_key, &email.to).await?
    };
    let written = OutboxEmail::insert(row)
        .on_conflict(
            OnConflict::column(Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(db)
        .await?;
    Ok(written == 1)
}

/// Claims up to `limit` e-mails that are due at `now` (or whose previous worker's lease ran out)
/// for `worker`, until `now + lease` ([`outbox_claim::claim`]: `FOR UPDATE SKIP LOCKED` on
/// PostgreSQL, one writer at a time on SQLite).
pub async fn claim<C: ConnectionTrait>(
    db: &C,
    worker: &str,
    limit: u64,
    lease: Duration,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<Vec<outbox_email::Model>, DbErr> {
    outbox_claim::claim(db, worker, limit, lease, max_attempts, now).await
}

/// How many e-mails are in each state.
pub async fn counts<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, i64)>, DbErr> {
    outbox_claim::counts(db, TABLE).await
}

/// The e-mails given up on, most recent first.
pub async fn failed<C: ConnectionTrait>(
    db: &C,
    limit: u64,
) -> Result<Vec<outbox_email::Model>, DbErr> {
    OutboxEmail::find()
        .filter(Column::Status.eq(FAILED))
        .order_by_desc(Column::Id)
        .limit(limit)
        .all(db)
        .await
}

/// Puts back in the queue, for an immediate new series of attempts, every failed e-mail whose
/// reason still holds ([`super::about::still_due`]); deletes the others (a proposal since
/// answered, contact details of a request since cancelled, taken by someone else or erased).
pub async fn retry_failed<C: ConnectionTrait>(db: &C) -> Result<Requeued, DbErr> {
    let failed: Vec<(i64, String, Option<i64>)> = OutboxEmail::find()
        .select_only()
        .columns([Column::Id, Column::DedupeKey, Column::RequestId])
        .filter(Column::Status.eq(FAILED))
        .order_by_asc(Column::Id)
        .into_tuple()
        .all(db)
        .await?;
    let (mut due, mut gone) = (Vec::new(), Vec::new());
    for (id, dedupe_key, request_id) in failed {
        if super::about::still_due(db, &dedupe_key, request_id).await? {
            due.push(id);
        } else {
            gone.push(id);
        }
    }
    Ok(Requeued {
        queued: requeue_failed(db, &due).await?,
        dropped: delete_failed(db, &gone).await?,
    })
}

/// What [`retry_failed`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Requeued {
    /// Failed e-mails put back in the queue.
    pub queued: u64,
    /// Failed e-mails deleted because their reason is gone.
    pub dropped: u64,
}

/// Puts the failed e-mails `ids` back in the queue; returns how many (those still failed).
pub async fn requeue_failed<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<u64, DbErr> {
    outbox_claim::requeue_failed(db, TABLE, ids, Utc::now()).await
}

/// Deletes the failed e-mails `ids` (their reason is gone); returns how many (those still failed).
pub async fn delete_failed<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<u64, DbErr> {
    let mut deleted = 0;
    for chunk in ids.chunks(outbox_claim::CHUNK) {
        deleted += OutboxEmail::delete_many()
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .filter(Column::Status.eq(FAILED))
            .exec(db)
            .await?
            .rows_affected;
    }
    Ok(deleted)
}
