//! Requests left waiting (`nouvelle`, `ouverte`, `sans_benevole`) with no change for
//! `STALE_REQUEST_DAYS` are closed as abandoned (`abandonnee`), so that the retention period applies
//! to them as to any finished request: the proposals still waiting are withdrawn, as when the
//! citizen cancels, and the person is told by e-mail when they gave an address.

use chrono::{DateTime, Duration, Utc};
use entity::{help_request, request_event};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};

use super::events::EventKind;
use super::status::{Actor, RequestStatus};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle::{self, TransitionError};

/// The states a request can be left in, waiting for someone else to act.
pub const WAITING: [RequestStatus; 3] = [
    RequestStatus::Nouvelle,
    RequestStatus::Ouverte,
    RequestStatus::SansBenevole,
];

/// The timeline entry of an abandoned request.
pub const ABANDONED_EVENT: EventKind = EventKind::Abandoned;

/// Requests examined per query.
const BATCH: u64 = 200;

/// Closes as abandoned every request left waiting with no change (neither to the request nor in
/// its timeline) for `config.stale_request_days` before `now`; returns how many.
pub async fn abandon_stale(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<u64, DomainError> {
    let days = config.stale_request_days;
    let cutoff = now - Duration::days(i64::from(days));
    let (mut after, mut abandoned) = (0, 0);
    loop {
        let due = help_request::Entity::find()
            .filter(help_request::Column::Status.is_in(WAITING.map(RequestStatus::slug)))
            .filter(help_request::Column::UpdatedAt.lte(cutoff))
            .filter(help_request::Column::Id.gt(after))
            .order_by_asc(help_request::Column::Id)
            .limit(BATCH)
            .all(db)
            .await?;
        for request in &due {
            if last_event(db, request.id).await? <= Some(cutoff)
                && abandon(db, config, request, now, days).await?
            {
                abandoned += 1;
            }
        }
        match due.last() {
            Some(last) if due.len() as u64 == BATCH => after = last.id,
            _ => return Ok(abandoned),
        }
    }
}

/// When the request's timeline last moved.
async fn last_event<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Option<DateTime<Utc>>, DbErr> {
    Ok(request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request_id))
        .order_by_desc(request_event::Column::At)
        .one(db)
        .await?
        .map(|event| event.at))
}

/// Closes `request` as abandoned, in one transaction; false when it moved meanwhile.
async fn abandon(
    db: &DatabaseConnection,
    config: &Config,
    request: &help_request::Model,
    now: DateTime<Utc>,
    days: u32,
) -> Result<bool, DomainError> {
    let txn = db.begin().await?;
    let closed = match lifecycle::apply(
        &txn,
        config,
        request,
        RequestStatus::Abandonnee,
        Actor::Systeme,
        None,
        ABANDONED_EVENT,
        Some(format!("sans changement depuis {days} jours")),
    )
    .await
    {
        Ok(closed) => closed,
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => return Ok(false),
        Err(TransitionError::Database(err)) => return Err(err.into()),
        Err(TransitionError::Effect(err)) => return Err(*err),
    };
    // Closed as of the job's clock: the retention period counts from here.
    help_request::Entity::update_many()
        .col_expr(help_request::Column::ClosedAt, Expr::value(now))
        .col_expr(help_request::Column::UpdatedAt, Expr::value(now))
        .filter(help_request::Column::Id.eq(closed.id))
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(true)
}
