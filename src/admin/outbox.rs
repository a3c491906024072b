//! The e-mail outbox as admins see it: how many e-mails are in each state, the failed ones, and
//! putting them back in the queue (one, or all) — the same requeue as `entraide mail retry`.

use chrono::Utc;
use entity::outbox_email::{self, Column, Entity as OutboxEmail};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use crate::audit::{self, AuditActor, Target};
use crate::error::AppError;
use crate::mail::outbox::{self, FAILED, PENDING, SENDING, SENT};

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

/// The French name of an outbox state.
pub fn status_label(status: &str) -> &'static str {
    match status {
        PENDING => "En attente d'envoi",
        SENDING => "En cours d'envoi",
        SENT => "Envoyés",
        FAILED => "En échec",
        _ => "Autre",
    }
}

/// Reads the counts and the failed e-mails.
pub async fn overview<C: ConnectionTrait>(db: &C) -> Result<Overview, DbErr> {
    let stored = outbox::counts(db).await?;
    let counts = [PENDING, SENDING, SENT, FAILED]
        .into_iter()
        .map(|status| {
            let n = stored
                .iter()
                .find(|(s, _)| s == status)
                .map_or(0, |(_, n)| *n);
            (status_label(status), n)
        })
        .collect();
    Ok(Overview {
        counts,
        failed: outbox::failed(db, FAILED_SHOWN).await?,
        failed_total: OutboxEmail::find()
            .filter(Column::Status.eq(FAILED))
            .count(db)
            .await?,
    })
}

/// Puts the failed e-mail `id` back in the queue for a new series of attempts, with its audit
/// entry; `false` when there is no such failed e-mail (sent meanwhile, or unknown).
pub async fn retry_one(
    db: &DatabaseConnection,
    actor: AuditActor,
    id: i64,
) -> Result<bool, AppError> {
    let txn = db.begin().await?;
    let Some(email) = OutboxEmail::find_by_id(id)
        .filter(Column::Status.eq(FAILED))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let updated = OutboxEmail::update_many()
        .col_expr(Column::Status, Expr::value(PENDING))
        .col_expr(Column::Attempts, Expr::value(0))
        .col_expr(Column::NextAttemptAt, Expr::value(Utc::now()))
        .filter(Column::Id.eq(id))
        .filter(Column::Status.eq(FAILED))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    let details = format!("e-mail « {} »", email.kind);
    audit::record(
        &txn,
        actor,
        "email.relancer",
        Target::Email(Some(id)),
        None,
        Some(details),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// Puts every failed e-mail back in the queue, with one audit entry; returns how many (none:
/// nothing is written).
pub async fn retry_all(db: &DatabaseConnection, actor: AuditActor) -> Result<u64, AppError> {
    let txn = db.begin().await?;
    let n = outbox::retry_failed(&txn).await?;
    if n == 0 {
        return Ok(0);
    }
    audit::record(
        &txn,
        actor,
        "email.relancer",
        Target::Email(None),
        None,
        Some(format!("{n} e-mail(s) en échec remis dans la file d'envoi")),
    )
    .await?;
    txn.commit().await?;
    Ok(n)
}
