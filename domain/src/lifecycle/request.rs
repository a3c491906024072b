//! Moving a request through its lifecycle: every move is checked against
//! [`RequestStatus::allows`], applied only if the request is still where the caller saw it (state
//! and organisation: [`as_seen`]), and
//! written to the event log in the same transaction. A move to `prise_en_charge` draws the
//! request's trust word ([`crate::trust_words`]) in the same update.

use chrono::Utc;
use entity::help_request::{self, Column, Entity as HelpRequest};
use entity::request_event;
use sea_orm::prelude::DateTimeUtc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set,
};

use crate::Config;
use crate::error::DomainError;
use crate::trust_words;
use entity::states::{Actor, EventKind, RequestStatus};

/// Why a move did not happen.
#[derive(Debug, thiserror::Error)]
pub enum TransitionError {
    /// The lifecycle does not allow it (for this actor, from this state).
    #[error("transition not allowed")]
    NotAllowed,
    /// Someone else moved the request first.
    #[error("the request changed meanwhile")]
    Conflict,
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DbErr),
    /// An effect of the move (an e-mail to queue…) failed; nothing was committed.
    #[error("an effect of the move failed")]
    Effect(#[source] Box<DomainError>),
}

/// Moves `request` to `to` on behalf of `actor`, recording `kind` and `details` in the timeline,
/// then applies in the same transaction what follows from the move ([`super::effects`]): the one
/// path for every move of a request, so that no caller forgets an effect. Call it inside the
/// caller's transaction (which also writes what only the caller knows, such as a refusal's
/// e-mail).
#[expect(
    clippy::too_many_arguments,
    reason = "the move's parameters, as for transition"
)]
pub async fn apply<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    to: RequestStatus,
    actor: Actor,
    actor_id: Option<i64>,
    kind: EventKind,
    details: Option<String>,
) -> Result<help_request::Model, TransitionError> {
    let moved = transition(db, request, to, actor, actor_id, kind, details).await?;
    super::effects::effects(db, config, request.status, &moved)
        .await
        .map_err(|err| TransitionError::Effect(Box::new(err)))?;
    Ok(moved)
}

/// The move itself: checked against the table, a conditional update, the timeline entry.
async fn transition<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    to: RequestStatus,
    actor: Actor,
    actor_id: Option<i64>,
    kind: EventKind,
    details: Option<String>,
) -> Result<help_request::Model, TransitionError> {
    let from = request.status;
    if !from.allows(to, actor) {
        return Err(TransitionError::NotAllowed);
    }
    let now = Utc::now();
    let mut update = HelpRequest::update_many()
        .col_expr(Column::Status, Expr::value(to.slug()))
        .col_expr(Column::UpdatedAt, Expr::value(now));
    if to.is_final() {
        update = update.col_expr(Column::ClosedAt, Expr::value(now));
    } else if from.is_final() {
        update = update.col_expr(Column::ClosedAt, Expr::value(Option::<DateTimeUtc>::None));
    }
    // Each volunteer who takes the request comes with a new trust word.
    let word = (to == RequestStatus::PriseEnCharge)
        .then(|| trust_words::draw(request.mot_de_confiance.as_deref()));
    if let Some(word) = &word {
        update = update.col_expr(Column::MotDeConfiance, Expr::value(word.as_str()));
    }
    let result = update.filter(as_seen(request)).exec(db).await?;
    if result.rows_affected != 1 {
        return Err(TransitionError::Conflict);
    }
    record(
        db,
        request.id,
        actor,
        actor_id,
        kind,
        Some(from),
        Some(to),
        details,
    )
    .await?;
    let mut moved = request.clone();
    moved.status = to;
    moved.updated_at = now;
    if to.is_final() {
        moved.closed_at = Some(now);
    } else if from.is_final() {
        moved.closed_at = None;
    }
    if word.is_some() {
        moved.mot_de_confiance = word;
    }
    Ok(moved)
}

/// The condition for a conditional update of `request`: it is still in the state and in the
/// organisation the caller read, so that an action in flight cannot land on a request that moved
/// meanwhile — to another state, or to another organisation's territory by a transfer.
pub fn as_seen(request: &help_request::Model) -> Condition {
    let organisation = match request.organisation_id {
        Some(id) => Column::OrganisationId.eq(id),
        None => Column::OrganisationId.is_null(),
    };
    Condition::all()
        .add(Column::Id.eq(request.id))
        .add(Column::Status.eq(request.status))
        .add(organisation)
}

/// Appends one entry to a request's timeline.
#[expect(
    clippy::too_many_arguments,
    reason = "one column each; a struct would only rename them"
)]
pub async fn record<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
    actor: Actor,
    actor_id: Option<i64>,
    kind: EventKind,
    from: Option<RequestStatus>,
    to: Option<RequestStatus>,
    details: Option<String>,
) -> Result<(), DbErr> {
    request_event::ActiveModel {
        request_id: Set(request_id),
        at: Set(Utc::now()),
        actor: Set(actor),
        actor_id: Set(actor_id),
        kind: Set(kind),
        from_status: Set(from),
        to_status: Set(to),
        details: Set(details),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
