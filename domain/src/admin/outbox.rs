//! The e-mail outbox as admins see it: how many e-mails are in each state, the failed ones, and
//! putting them back in the queue (one, or all) — the same requeue as `entraide mail retry`.

use entity::outbox_email::{self, Column, Entity as OutboxEmail};
use entity::states::AuditAction;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use crate::audit::{self, AuditActor, Target};
use crate::error::DomainError;
use crate::mail::about;
use crate::mail::outbox::{self, OutboxStatus, Requeued};

/// How many failed e-mails the page lists (the most recent).
pub const FAILED_SHOWN: u64 = 100;

/// The outbox at a glance.
#[derive(Clone, Debug)]
pub struct Overview {
    /// (French label, count) for every state, in the order an e-mail goes through them.
    pub counts: Vec<(&'static str, i64)>,
    /// The failed e-mails, most recent first (at most [`FAILED_SHOWN`]).
    pub failed: Vec<outbox_email::Model>,
    /// How many have failed in all.
    pub failed_total: u64,
}

/// Reads the counts and the failed e-mails.
pub async fn overview<C: ConnectionTrait>(db: &C) -> Result<Overview, DbErr> {
    let stored = outbox::counts(db).await?;
    let counts = OutboxStatus::ALL
        .into_iter()
        .map(|status| {
            let n = stored
                .iter()
                .find(|(s, _)| s == status.slug())
                .map_or(0, |(_, n)| *n);
            (status.label(), n)
        })
        .collect();
    Ok(Overview {
        counts,
        failed: outbox::failed(db, FAILED_SHOWN).await?,
        failed_total: OutboxEmail::find()
            .filter(Column::Status.eq(OutboxStatus::Failed))
            .count(db)
            .await?,
    })
}

/// What became of a failed e-mail an admin asked to send again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retried {
    /// Back in the queue.
    Queued,
    /// Deleted: its reason is gone (see [`crate::mail::about::still_due`]).
    Dropped,
    /// No such failed e-mail (sent meanwhile, or unknown).
    NotFailed,
}

/// Puts the failed e-mail `id` back in the queue for a new series of attempts if its reason still
/// holds (otherwise deletes it), with its audit entry.
pub async fn retry_one(
    db: &DatabaseConnection,
    actor: AuditActor,
    id: i64,
) -> Result<Retried, DomainError> {
    let txn = db.begin().await?;
    let Some(email) = OutboxEmail::find_by_id(id)
        .filter(Column::Status.eq(OutboxStatus::Failed))
        .one(&txn)
        .await?
    else {
        return Ok(Retried::NotFailed);
    };
    let due = about::still_due(&txn, &email.dedupe_key, email.request_id).await?;
    let changed = if due {
        outbox::requeue_failed(&txn, &[id]).await?
    } else {
        outbox::delete_failed(&txn, &[id]).await?
    };
    if changed == 0 {
        return Ok(Retried::NotFailed);
    }
    let details = if due {
        format!("e-mail « {} »", email.kind)
    } else {
        format!(
            "e-mail « {} » supprimé : il n'a plus lieu d'être",
            email.kind
        )
    };
    audit::record(
        &txn,
        actor,
        AuditAction::FailedEmailsRetried,
        Target::Email(Some(id)),
        None,
        Some(details),
    )
    .await?;
    txn.commit().await?;
    Ok(if due {
        Retried::Queued
    } else {
        Retried::Dropped
    })
}

/// Puts every failed e-mail whose reason still holds back in the queue and deletes the others,
/// with one audit entry; returns how many of each (none: nothing is written).
pub async fn retry_all(
    db: &DatabaseConnection,
    actor: AuditActor,
) -> Result<Requeued, DomainError> {
    let txn = db.begin().await?;
    let done = outbox::retry_failed(&txn).await?;
    if done == Requeued::default() {
        return Ok(done);
    }
    let mut details = format!(
        "{} e-mail(s) en échec remis dans la file d'envoi",
        done.queued
    );
    if done.dropped > 0 {
        details.push_str(&format!(
            ", {} supprimé(s) car ils n'ont plus lieu d'être",
            done.dropped
        ));
    }
    audit::record(
        &txn,
        actor,
        AuditAction::FailedEmailsRetried,
        Target::Email(None),
        None,
        Some(details),
    )
    .await?;
    txn.commit().await?;
    Ok(done)
}
