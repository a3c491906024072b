//! The e-mail outbox as admins see it: how many e-mails are in each state, the latest ones
//! (searchable by address or request reference, to answer "je n'ai rien reçu"), the failed ones,
//! and putting them back in the queue (one, or all) — the same requeue as `entraide mail retry`.

use entity::help_request;
use entity::outbox_email::{self, Column, Entity as OutboxEmail};
use entity::states::AuditAction;
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
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
    Ok(Overview {
        counts: labelled(&outbox::counts(db).await?),
        failed: outbox::failed(db, FAILED_SHOWN).await?,
        failed_total: OutboxEmail::find()
            .filter(Column::Status.eq(OutboxStatus::Failed))
            .count(db)
            .await?,
    })
}

/// Every state with its label and how many of `stored` (slug, count) are in it.
fn labelled(stored: &[(String, i64)]) -> Vec<(&'static str, i64)> {
    OutboxStatus::ALL
        .into_iter()
        .map(|status| {
            let n = stored
                .iter()
                .find(|(s, _)| s == status.slug())
                .map_or(0, |(_, n)| *n);
            (status.label(), n)
        })
        .collect()
}

/// The SMS outbox as the admins' page shows it: counts by state, the latest texts.
pub struct SmsOverview {
    /// Each state's label and how many texts are in it.
    pub counts: Vec<(&'static str, i64)>,
    /// The latest texts, most recent first.
    pub latest: Vec<entity::outbox_sms::Model>,
}

/// The SMS outbox's counts and its [`LATEST_SHOWN`] latest texts.
pub async fn sms_overview<C: ConnectionTrait>(db: &C) -> Result<SmsOverview, DbErr> {
    Ok(SmsOverview {
        counts: labelled(&crate::sms::outbox::counts(db).await?),
        latest: crate::sms::outbox::latest(db, LATEST_SHOWN).await?,
    })
}

/// How many of the latest e-mails the page lists.
pub const LATEST_SHOWN: u64 = 50;

/// What one e-mail's state reads as in a row.
pub fn state_word(status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Pending => "en attente d'envoi",
        OutboxStatus::Sending => "en cours d'envoi",
        OutboxStatus::Sent => "envoyé",
        OutboxStatus::Failed => "en échec",
    }
}

/// An address with its local part hidden but its first letter ("j•••@example.org"), for the
/// staff who may not read it in full.
pub fn masked(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}•••@{domain}")
        }
        None => "•••".to_owned(),
    }
}

/// The latest e-mails (at most [`LATEST_SHOWN`]), newest first; `search`, when not empty, is a
/// request reference (`ENT-7K3F9Q`: the e-mails about that request) or part of an address.
pub async fn latest<C: ConnectionTrait>(
    db: &C,
    search: &str,
) -> Result<Vec<outbox_email::Model>, DbErr> {
    let search = search.trim();
    let mut query = OutboxEmail::find();
    if !search.is_empty() {
        let reference = search.to_uppercase().replace(' ', "");
        let request: Option<i64> = help_request::Entity::find()
            .select_only()
            .column(help_request::Column::Id)
            .filter(help_request::Column::Reference.eq(reference))
            .into_tuple()
            .one(db)
            .await?;
        let escaped: String = search
            .to_lowercase()
            .chars()
            .flat_map(|c| match c {
                '%' | '_' | '\\' => vec!['\\', c],
                c => vec![c],
            })
            .collect();
        let address = Expr::expr(Func::lower(Expr::col((
            outbox_email::Entity,
            Column::Recipient,
        ))))
        .like(LikeExpr::new(format!("%{escaped}%")).escape('\\'));
        let mut any = Condition::any().add(address);
        if let Some(id) = request {
            any = any.add(Column::RequestId.eq(id));
        }
        query = query.filter(any);
    }
    query
        .order_by_desc(Column::CreatedAt)
        .order_by_desc(Column::Id)
        .limit(LATEST_SHOWN)
        .all(db)
        .await
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
