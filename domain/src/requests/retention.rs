//! Erasing the personal data of finished requests (resolved, refused, cancelled, abandoned) once the
//! retention period (`RETENTION_DAYS`) has passed since they ended (../shared/PRODUCT.md §7): names,
//! contact details, description, the trust word, the follow-up and feedback links, the IP hash,
//! moderators' notes, the feedback's comment, the e-mails sent to the person and every e-mail
//! about the request (to volunteers and moderators too), the SMS about it and their short links
//! go; what statistics need stays (state, categories, modes,
//! commune, dates, timeline, the feedback's ratings).

use chrono::{DateTime, Duration, Utc};
use entity::{feedback, feedback_token, help_request, moderation_note, outbox_email};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};

use super::events::EventKind;
use super::status::Actor;
use crate::lifecycle;
use crate::mail::outbox::PENDING;

/// What an erased request shows where the person's first name was.
pub const ERASED_NAME: &str = "—";

/// Requests erased per transaction.
const BATCH: u64 = 200;

/// Erases every finished request that ended more than `retention_days` before `now`; returns how
/// many were erased.
pub async fn erase_expired(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    retention_days: u32,
) -> Result<u64, DbErr> {
    let cutoff = now - Duration::days(i64::from(retention_days));
    let mut erased = 0;
    loop {
        let batch = erase_batch(db, now, cutoff).await?;
        erased += batch;
        if batch < BATCH {
            break;
        }
    }
    delete_late_copies(db).await?;
    Ok(erased)
}

/// Deletes the e-mails about erased requests that were still waiting to be sent when their
/// request was erased, once they are sent (or given up).
async fn delete_late_copies(db: &DatabaseConnection) -> Result<(), DbErr> {
    let erased = Query::select()
        .column(help_request::Column::Id)
        .from(help_request::Entity)
        .and_where(help_request::Column::ErasedAt.is_not_null())
        .to_owned();
    outbox_email::Entity::delete_many()
        .filter(outbox_email::Column::Status.ne(PENDING))
        .filter(outbox_email::Column::RequestId.in_subquery(erased))
        .exec(db)
        .await?;
    crate::sms::outbox::delete_late_copies(db).await?;
    Ok(())
}

async fn erase_batch(
    db: &DatabaseConnection,
    now: DateTime<Utc>,
    cutoff: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let txn = db.begin().await?;
    let due = help_request::Entity::find()
        .filter(help_request::Column::ClosedAt.lte(cutoff))
        .filter(help_request::Column::ErasedAt.is_null())
        .order_by_asc(help_request::Column::Id)
        .limit(BATCH)
        .all(&txn)
        .await?;
    for request in &due {
        if let Some(email) = &request.email {
            // The e-mails already sent (or given up) to the person; a pending one may belong to a
            // newer request of theirs and goes out.
            outbox_email::Entity::delete_many()
                .filter(outbox_email::Column::Recipient.eq(email.as_str()))
                .filter(outbox_email::Column::Status.ne(PENDING))
                .filter(outbox_email::Column::CreatedAt.lte(cutoff))
                .exec(&txn)
                .await?;
        }
        // Every copy of the e-mails about the request (the volunteers' too: the proposal with the
        // description, the confirmation with the contact details), whatever address they went to.
        outbox_email::Entity::delete_many()
            .filter(outbox_email::Column::RequestId.eq(request.id))
            .filter(outbox_email::Column::Status.ne(PENDING))
            .exec(&txn)
            .await?;
        // The webhooks about it (they name the volunteer), once sent or given up.
        entity::webhook_delivery::Entity::delete_many()
            .filter(entity::webhook_delivery::Column::RequestId.eq(request.id))
            .filter(entity::webhook_delivery::Column::Status.ne(PENDING))
            .exec(&txn)
            .await?;
        // The SMS about it and their short links.
        crate::sms::outbox::erase_for_request(&txn, request.id).await?;
        crate::sms::links::erase_for_request(&txn, request.id).await?;
        moderation_note::Entity::delete_many()
            .filter(moderation_note::Column::RequestId.eq(request.id))
            .exec(&txn)
            .await?;
        feedback_token::Entity::delete_many()
            .filter(feedback_token::Column::RequestId.eq(request.id))
            .exec(&txn)
            .await?;
        // The ratings stay for statistics; the free text may hold anything.
        feedback::Entity::update_many()
            .col_expr(
                feedback::Column::Comment,
                Expr::value(Option::<String>::None),
            )
            .filter(feedback::Column::RequestId.eq(request.id))
            .exec(&txn)
            .await?;
        help_request::Entity::update_many()
            .col_expr(help_request::Column::Prenom, Expr::value(ERASED_NAME))
            .col_expr(
                help_request::Column::Email,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::Telephone,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::Description,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::PrenomProche,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::MessageBenevole,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::SubmitterKey,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::TelephoneProche,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::FollowTokenSealed,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                help_request::Column::MotDeConfiance,
                Expr::value(Option::<String>::None),
            )
            // Not a SHA-256 any more: the follow-up link stops working.
            .col_expr(
                help_request::Column::FollowTokenHash,
                Expr::value(format!("efface-{}", request.id)),
            )
            .col_expr(help_request::Column::ErasedAt, Expr::value(now))
            .filter(help_request::Column::Id.eq(request.id))
            .exec(&txn)
            .await?;
        lifecycle::record(
            &txn,
            request.id,
            Actor::Systeme,
            None,
            EventKind::DataErased,
            None,
            None,
            Some("données personnelles effacées à la fin de la durée de conservation".into()),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(due.len() as u64)
}
