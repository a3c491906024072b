//! Reminders to volunteers who hold a request that is not resolved yet: `VOLUNTEER_REMINDER_DAYS`
//! after accepting it, a volunteer still holding the request receives one e-mail ("Où en est la
//! demande de … ?"). Each taking (accepted proposal) is claimed once, by one conditional update of
//! `proposal.reminded_at` in the transaction that queues the e-mails, so workers running at the
//! same time on several instances never remind twice; a volunteer who takes the request after
//! another gave it back has a proposal of their own, hence a reminder of their own.

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation, proposal};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};

use super::emails::VolunteerReminder;
use super::rounds::ACCEPTED;
use crate::Config;
use crate::error::AppError;
use crate::mail;
use crate::requests::RequestStatus;

/// Reminds every volunteer who took a request at least `VOLUNTEER_REMINDER_DAYS` before `now`,
/// still holds it and was not reminded of it yet. Returns how many reminders were queued.
pub async fn send_due(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, AppError> {
    let days = config.matching.reminder_days;
    if days == 0 {
        return Ok(0);
    }
    let due_before = now - chrono::Duration::days(i64::from(days));
    let txn = db.begin().await?;
    // The claim: a row another worker claimed meanwhile no longer has `reminded_at` null and is
    // left out (PostgreSQL re-checks the condition once the other transaction commits; SQLite
    // runs one writer at a time).
    let claimed = proposal::Entity::update_many()
        .col_expr(proposal::Column::RemindedAt, Expr::value(now))
        .filter(proposal::Column::Status.eq(ACCEPTED))
        .filter(proposal::Column::RemindedAt.is_null())
        .filter(proposal::Column::AnsweredAt.lte(due_before))
        .filter(
            proposal::Column::RequestId.in_subquery(
                Query::select()
                    .column(help_request::Column::Id)
                    .from(help_request::Entity)
                    .and_where(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
                    .and_where(
                        Expr::col((help_request::Entity, help_request::Column::VolunteerId))
                            .equals((proposal::Entity, proposal::Column::VolunteerId)),
                    )
                    .to_owned(),
            ),
        )
        .exec_with_returning(&txn)
        .await?;
    for accepted in &claimed {
        remind(&txn, config, accepted).await?;
    }
    txn.commit().await?;
    if !claimed.is_empty() {
        tracing::info!(count = claimed.len(), "volunteer reminders queued");
    }
    Ok(claimed.len())
}

/// Queues the reminder of the volunteer who accepted `accepted`, inside the claiming transaction.
async fn remind<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    accepted: &proposal::Model,
) -> Result<(), AppError> {
    let Some(request) = help_request::Entity::find_by_id(accepted.request_id)
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let Some(volunteer) = account::Entity::find_by_id(accepted.volunteer_id)
        .filter(account::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let organisation = match request.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id).one(db).await?,
        None => None,
    };
    let message = VolunteerReminder::new(
        config,
        &request,
        &volunteer,
        accepted,
        organisation.as_ref(),
    );
    mail::send_later(
        db,
        config,
        &volunteer.email,
        &message,
        &format!("volunteer_reminder:{}", accepted.id),
    )
    .await?;
    Ok(())
}
