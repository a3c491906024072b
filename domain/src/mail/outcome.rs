//! What becomes of an e-mail after an attempt: sent (its link secrets forgotten), waiting for
//! its next attempt, or failed for good; and, some days after it was sent, deleted.

use chrono::{DateTime, Utc};
use entity::outbox_email::{self, Column, Entity as OutboxEmail};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::outbox::SENT;
use super::secrets;
use crate::config::MailConfig;
use crate::outbox_claim;

/// Records that `worker` delivered `row`, and forgets its link secrets: the stored copy keeps
/// only placeholders. An e-mail queued before secrets were sealed has them scrubbed from its copy.
pub async fn mark_sent<C: ConnectionTrait>(
    db: &C,
    row: &outbox_email::Model,
    worker: &str,
) -> Result<(), DbErr> {
    let mut update = OutboxEmail::update_many()
        .col_expr(Column::Status, Expr::value(SENT))
        .col_expr(Column::SentAt, Expr::value(Utc::now()))
        .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(
            Column::LockedUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .col_expr(Column::LinkSecrets, Expr::value(Option::<String>::None));
    if row.link_secrets.is_none() {
        for (column, stored) in [
            (Column::Subject, &row.subject),
            (Column::BodyText, &row.body_text),
            (Column::BodyHtml, &row.body_html),
            (Column::Headers, &row.headers),
        ] {
            if let Some(scrubbed) = secrets::scrub(stored) {
                update = update.col_expr(column, Expr::value(scrubbed));
            }
        }
    }
    update
        .filter(Column::Id.eq(row.id))
        .filter(Column::LockedBy.eq(worker))
        .exec(db)
        .await?;
    Ok(())
}

/// Records a failed attempt: the e-mail waits `retry_delay` before the next one, or is marked
/// failed once `attempts` reached the maximum. Its sealed link secrets stay, for a later retry.
/// Whether marking `row` sent writes the same values as for every other row: true when its link
/// secrets are sealed apart (the usual case), false when its stored text must be scrubbed.
pub fn marks_uniformly(row: &outbox_email::Model) -> bool {
    row.link_secrets.is_some()
        || [&row.subject, &row.body_text, &row.body_html, &row.headers]
            .into_iter()
            .all(|stored| secrets::scrub(stored).is_none())
}

/// Marks the e-mails `ids`, claimed by `worker` and delivered, as sent, in one statement (see
/// [`marks_uniformly`] for which rows may be marked this way).
pub async fn mark_sent_many<C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    worker: &str,
) -> Result<(), DbErr> {
    for chunk in ids.chunks(500) {
        OutboxEmail::update_many()
            .col_expr(Column::Status, Expr::value(SENT))
            .col_expr(Column::SentAt, Expr::value(Utc::now()))
            .col_expr(Column::LockedBy, Expr::value(Option::<String>::None))
            .col_expr(
                Column::LockedUntil,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(Column::LastError, Expr::value(Option::<String>::None))
            .col_expr(Column::LinkSecrets, Expr::value(Option::<String>::None))
            .filter(Column::Id.is_in(chunk.iter().copied()))
            .filter(Column::LockedBy.eq(worker))
            .exec(db)
            .await?;
    }
    Ok(())
}

pub async fn mark_attempt_failed<C: ConnectionTrait>(
    db: &C,
    row: &outbox_email::Model,
    worker: &str,
    error: &str,
    config: &MailConfig,
) -> Result<(), DbErr> {
    let (give_up, next) = outbox_claim::after_failure(
        row.attempts,
        config.max_attempts,
        config.retry_base,
        config.retry_max,
        Utc::now(),
    );
    outbox_claim::record_failure(db, row, worker, error, give_up, next).await
}

/// Marks `row` failed at once, without further attempts (another attempt cannot succeed before an
/// operator acts, e.g. its link secrets cannot be read with this instance's SECRET_KEY).
pub async fn give_up<C: ConnectionTrait>(
    db: &C,
    row: &outbox_email::Model,
    worker: &str,
    error: &str,
) -> Result<(), DbErr> {
    outbox_claim::record_failure(db, row, worker, error, true, row.next_attempt_at).await
}

/// Deletes the e-mails sent more than `keep_days` days before `now`; returns how many. Failed and
/// waiting e-mails stay.
pub async fn delete_sent<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<u64, DbErr> {
    outbox_claim::delete_sent(db, super::outbox::TABLE, now, keep_days).await
}
