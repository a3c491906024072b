//! A moderator's own choice: proposing an open request to one volunteer they picked among its
//! candidates. The proposal is like those of the rounds (same e-mail, same lifetime, same way to
//! answer); it joins the round under way, or opens a new one when none is waiting for answers.

use chrono::Utc;
use entity::{help_request, proposal};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::Candidate;
use super::rounds::{WAITING, propose_to};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle;
use crate::lifecycle::proposals::last_round;
use entity::states::EventKind;
use entity::states::{Actor, RequestStatus};

/// The timeline entry of a proposal chosen by a moderator.
pub const CHOSEN_EVENT: EventKind = EventKind::ProposedToChosen;

/// Proposes the open `request` to `candidate` on behalf of `actor` (a moderator or admin), inside
/// the caller's transaction: the proposal, the volunteer's e-mail and the timeline entry.
pub async fn propose_chosen<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    candidate: &Candidate,
    actor: Actor,
    actor_id: Option<i64>,
) -> Result<proposal::Model, DomainError> {
    if request.status != RequestStatus::Ouverte {
        return Err(DomainError::Refused(
            "Cette demande ne cherche pas de bénévole en ce moment.".into(),
        ));
    }
    let last = last_round(db, request.id).await?;
    let waiting = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::Status.eq(WAITING))
        .count(db)
        .await?;
    let round = if waiting > 0 { last.max(1) } else { last + 1 };
    let in_round = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::Round.eq(round))
        .count(db)
        .await?;
    let rank = i32::try_from(in_round).unwrap_or(i32::MAX - 1) + 1;
    let row = propose_to(db, config, request, candidate, round, rank, Utc::now()).await?;
    lifecycle::record(
        db,
        request.id,
        actor,
        actor_id,
        CHOSEN_EVENT,
        None,
        None,
        Some(format!(
            "tour {round} : proposée à #{} ({} sur 100), choisi par l'équipe de modération",
            candidate.account_id,
            super::score::points(candidate.score())
        )),
    )
    .await?;
    Ok(row)
}
