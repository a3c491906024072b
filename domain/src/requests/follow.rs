//! The citizen's side after sending a request: finding it by its private link, its timeline in
//! plain words, cancelling it, and saying the problem is solved.

use entity::{help_request, request_event};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

use super::events::EventKind;
use super::status::{Actor, RequestStatus};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle::{self, TransitionError};
use crate::tokens::hash_token;

/// The request whose follow-up link carries `secret`, if any.
pub async fn find_by_secret<C: ConnectionTrait>(
    db: &C,
    secret: &str,
) -> Result<Option<help_request::Model>, DbErr> {
    if secret.len() != 64 || !secret.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Ok(None);
    }
    help_request::Entity::find()
        .filter(help_request::Column::FollowTokenHash.eq(hash_token(secret)))
        .one(db)
        .await
}

/// A request's timeline as the person who asked sees it, oldest first.
pub async fn timeline<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Vec<request_event::Model>, DbErr> {
    let mut events = all_events(db, request_id).await?;
    events.retain(|e| e.kind.shown_to_citizen());
    Ok(events)
}

/// Every entry of a request's timeline, oldest first (the moderators').
pub async fn all_events<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
) -> Result<Vec<request_event::Model>, DbErr> {
    request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request_id))
        .order_by_asc(request_event::Column::Id)
        .all(db)
        .await
}

/// What a timeline entry means, for the person who asked.
pub fn event_label(event: &request_event::Model) -> String {
    match (event.kind.citizen_label(), event.to_status) {
        (Some(label), _) => label.to_owned(),
        (None, Some(status)) => status.citizen_label().to_owned(),
        (None, None) => event.kind.slug().replace('_', " "),
    }
}

/// The person's timeline, oldest first: what she understands, each step once in a row (the
/// internal steps of matching fold into one).
pub fn citizen_timeline(
    events: &[request_event::Model],
) -> Vec<(chrono::DateTime<chrono::Utc>, &'static str)> {
    let mut steps: Vec<(chrono::DateTime<chrono::Utc>, &'static str)> = Vec::new();
    for event in events {
        let Some(label) = event.kind.citizen_step() else {
            continue;
        };
        if steps.last().is_some_and(|(_, last)| *last == label) {
            continue;
        }
        steps.push((event.at, label));
    }
    steps
}

/// The outcome of a citizen's action on their request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Done now.
    Done,
    /// Nothing to do: the request had already reached that point (or can no longer get there).
    AlreadyDone,
}

/// Cancels the request on behalf of the citizen, telling them by e-mail when they gave an address;
/// the proposals still waiting are withdrawn and the volunteer who held it is told.
pub async fn cancel(
    db: &DatabaseConnection,
    config: &Config,
    request: &help_request::Model,
) -> Result<Outcome, DomainError> {
    let txn = db.begin().await?;
    match lifecycle::apply(
        &txn,
        config,
        request,
        RequestStatus::Annulee,
        Actor::Citoyen,
        None,
        EventKind::Cancelled,
        None,
    )
    .await
    {
        Ok(_) => {}
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => {
            return Ok(Outcome::AlreadyDone);
        }
        Err(TransitionError::Database(err)) => return Err(err.into()),
        Err(TransitionError::Effect(err)) => return Err(*err),
    }
    txn.commit().await?;
    Ok(Outcome::Done)
}

/// Whether the person may say "Ce n'est pas réglé": the request is solved, someone else (the
/// volunteer, a moderator) said so, and its data is still there.
pub async fn may_say_not_solved<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
) -> Result<bool, DbErr> {
    if request.status != RequestStatus::Resolue || request.erased_at.is_some() {
        return Ok(false);
    }
    let solved = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request.id))
        .filter(request_event::Column::Kind.eq(EventKind::Resolved))
        .order_by_desc(request_event::Column::Id)
        .one(db)
        .await?;
    Ok(solved.is_some_and(|event| event.actor != Actor::Citoyen))
}

/// "Ce n'est pas réglé": a request the volunteer (or a moderator) marked solved goes back to the
/// moderators, without volunteer ([`lifecycle::apply`] lets go of the volunteer and alerts them).
pub async fn not_solved(
    db: &DatabaseConnection,
    config: &Config,
    request: &help_request::Model,
) -> Result<Outcome, DomainError> {
    let txn = db.begin().await?;
    if !may_say_not_solved(&txn, request).await? {
        return Ok(Outcome::AlreadyDone);
    }
    match lifecycle::apply(
        &txn,
        config,
        request,
        RequestStatus::SansBenevole,
        Actor::Citoyen,
        None,
        EventKind::NotSolved,
        None,
    )
    .await
    {
        Ok(_) => {
            txn.commit().await?;
            Ok(Outcome::Done)
        }
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => Ok(Outcome::AlreadyDone),
        Err(TransitionError::Database(err)) => Err(err.into()),
        Err(TransitionError::Effect(err)) => Err(*err),
    }
}

/// Records that the citizen's problem is solved (only once a volunteer took the request), with
/// "Votre demande est résolue" when they gave an e-mail address.
pub async fn mark_solved(
    db: &DatabaseConnection,
    config: &Config,
    request: &help_request::Model,
) -> Result<Outcome, DomainError> {
    let txn = db.begin().await?;
    match lifecycle::apply(
        &txn,
        config,
        request,
        RequestStatus::Resolue,
        Actor::Citoyen,
        None,
        EventKind::Resolved,
        None,
    )
    .await
    {
        Ok(_) => {
            txn.commit().await?;
            Ok(Outcome::Done)
        }
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => Ok(Outcome::AlreadyDone),
        Err(TransitionError::Database(err)) => Err(err.into()),
        Err(TransitionError::Effect(err)) => Err(*err),
    }
}
