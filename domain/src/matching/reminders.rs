//! Reminders to volunteers who hold a request that is not resolved yet: `VOLUNTEER_REMINDER_DAYS`
//! after accepting it, a volunteer still holding the request receives one e-mail ("Où en est la
//! demande de … ?"). Each taking (accepted proposal) is claimed once, by one conditional update of
//! `proposal.reminded_at` in the transaction that queues the e-mails, so workers running at the
//! same time on several instances never remind twice; a volunteer who takes the request after
//! another gave it back has a proposal of their own, hence a reminder of their own.

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation, proposal};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
};

use super::rounds::ACCEPTED;
use crate::Config;
use crate::error::DomainError;
use crate::messages::emails::VolunteerReminder;
use crate::messages::{self, Message};
use entity::states::RequestStatus;

/// Reminds every volunteer who took a request at least `VOLUNTEER_REMINDER_DAYS` before `now`,
/// still holds it and was not reminded of it yet. Returns how many reminders were queued.
pub async fn send_due(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    let days = config.matching.reminder_days;
    if days == 0 {
        return Ok(0);
    }
    let due_before = now - chrono::Duration::days(i64::from(days));
    let txn = db.begin().await?;
    // The claim: a row another worker claimed meanwhile no longer has `reminded_at` null and is
    // left out (PostgreSQL re-checks the condition once the other transaction commits; SQLite
    // runs one writer at a time). Takings whose request was resolved or cancelled meanwhile are
    // claimed too, without an e-mail, so that the partial index only holds recent takings.
    let claimed = proposal::Entity::update_many()
        .col_expr(proposal::Column::RemindedAt, Expr::value(now))
        .filter(proposal::Column::Status.eq(ACCEPTED))
        .filter(proposal::Column::RemindedAt.is_null())
        .filter(proposal::Column::AnsweredAt.lte(due_before))
        .exec_with_returning(&txn)
        .await?;
    let mut sent = 0;
    for accepted in &claimed {
        if remind(&txn, config, accepted).await? {
            sent += 1;
        }
    }
    txn.commit().await?;
    if sent > 0 {
        tracing::info!(count = sent, "volunteer reminders queued");
    }
    Ok(sent)
}

/// Queues the reminder of the volunteer who accepted `accepted`, inside the claiming transaction,
/// if they still hold the request. Returns whether an e-mail was queued.
async fn remind<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    accepted: &proposal::Model,
) -> Result<bool, DomainError> {
    let Some(request) = help_request::Entity::find_by_id(accepted.request_id)
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .filter(help_request::Column::VolunteerId.eq(accepted.volunteer_id))
        .one(db)
        .await?
    else {
        return Ok(false);
    };
    let Some(volunteer) = account::Entity::find_by_id(accepted.volunteer_id)
        .filter(account::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(false);
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
    messages::queue(
        db,
        config,
        &volunteer.email,
        &message,
        &Message::VolunteerReminder {
            proposal: accepted.id,
        },
    )
    .await?;
    Ok(true)
}
