//! Letting go. A volunteer gives one request back ("je ne peux plus aider"), or everything at
//! once when they leave (account deleted) or are suspended by a moderator: requests go back to
//! matching without them, their unanswered proposals are withdrawn. A request the citizen
//! cancels lets go of its volunteers: the proposals still waiting are withdrawn, and the
//! volunteer who held it is told.

use entity::{help_request, proposal};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::rounds::{WAITING, next_round};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle::proposals;
use crate::lifecycle::{self, TransitionError};
use entity::states::EventKind;
use entity::states::ProposalStatus;
use entity::states::{Actor, RequestStatus};
use sea_orm::Condition;

/// Why the volunteer lets go, as the request's timeline tells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// "Je ne peux plus aider".
    GivenBack,
    /// The volunteer deleted their account.
    AccountDeleted,
    /// A moderator suspended the volunteer.
    Suspended,
}

impl Reason {
    fn detail(self) -> &'static str {
        match self {
            Self::GivenBack => "le bénévole ne peut plus aider",
            Self::AccountDeleted => "le bénévole a supprimé son compte",
            Self::Suspended => "le bénévole a été suspendu",
        }
    }
}

/// Hands `request` (held by `volunteer_id`) back to matching, inside the caller's transaction:
/// the request is open again, their accepted proposal counts as declined (they are not asked
/// again), and the next round starts. Returns false when the request was not theirs to give back.
pub async fn hand_back<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    volunteer_id: i64,
    actor: Actor,
    actor_id: Option<i64>,
    reason: Reason,
) -> Result<bool, DomainError> {
    if request.volunteer_id != Some(volunteer_id) {
        return Ok(false);
    }
    let reopened = match lifecycle::apply(
        db,
        config,
        request,
        RequestStatus::Ouverte,
        actor,
        actor_id,
        EventKind::GivenBack,
        Some(reason.detail().to_owned()),
    )
    .await
    {
        Ok(reopened) => reopened,
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => return Ok(false),
        Err(TransitionError::Database(err)) => return Err(err.into()),
        Err(TransitionError::Effect(err)) => return Err(*err),
    };
    help_request::Entity::update_many()
        .col_expr(
            help_request::Column::VolunteerId,
            Expr::value(Option::<i64>::None),
        )
        .filter(help_request::Column::Id.eq(request.id))
        .exec(db)
        .await?;
    proposals::apply(
        db,
        Condition::all()
            .add(proposal::Column::RequestId.eq(request.id))
            .add(proposal::Column::VolunteerId.eq(volunteer_id)),
        ProposalStatus::Accepted,
        ProposalStatus::Declined,
        None,
    )
    .await?;
    let mut reopened = reopened;
    reopened.volunteer_id = None;
    next_round(db, config, &reopened).await?;
    Ok(true)
}

/// What [`release_volunteer`] did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Released {
    /// Requests they held, now back to matching.
    pub requests: usize,
    /// Proposals still waiting for their answer, now withdrawn.
    pub proposals: usize,
}

/// Lets go of everything `volunteer_id` has, inside the caller's transaction: their waiting
/// proposals are withdrawn (the rounds they leave empty move on) and the requests they hold go
/// back to matching without them.
pub async fn release_volunteer<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    volunteer_id: i64,
    actor: Actor,
    actor_id: Option<i64>,
    reason: Reason,
) -> Result<Released, DomainError> {
    let waiting = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(volunteer_id))
        .filter(proposal::Column::Status.eq(WAITING))
        .all(db)
        .await?;
    if !waiting.is_empty() {
        crate::lifecycle::proposals::withdraw(
            db,
            proposal::Column::Id.is_in(waiting.iter().map(|p| p.id)),
        )
        .await?;
    }
    let mut request_ids: Vec<i64> = waiting.iter().map(|p| p.request_id).collect();
    request_ids.sort_unstable();
    request_ids.dedup();
    for request_id in request_ids {
        if let Some(request) = help_request::Entity::find_by_id(request_id).one(db).await? {
            next_round(db, config, &request).await?;
        }
    }

    let held = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.eq(volunteer_id))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .all(db)
        .await?;
    let mut requests = 0;
    for request in &held {
        if hand_back(db, config, request, volunteer_id, actor, actor_id, reason).await? {
            requests += 1;
        }
    }
    Ok(Released {
        requests,
        proposals: waiting.len(),
    })
}
