//! Letting go. A volunteer gives one request back ("je ne peux plus aider"), or everything at
//! once when they leave (account deleted) or are suspended by a moderator: requests go back to
//! matching without them, their unanswered proposals are withdrawn. A request the citizen
//! cancels lets go of its volunteers: the proposals still waiting are withdrawn, and the
//! volunteer who held it is told.

use chrono::Utc;
use entity::{account, help_request, proposal};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::emails::RequestCancelledVolunteer;
use super::proposal_status::{self, ProposalStatus};
use super::rounds::{WAITING, next_round};
use crate::Config;
use crate::error::DomainError;
use crate::messages::{self, Message};
use crate::requests::EventKind;
use crate::requests::lifecycle::{self, TransitionError};
use crate::requests::{Actor, RequestStatus};
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
    let reopened = match lifecycle::transition(
        db,
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
    proposal_status::apply(
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
        withdraw(db, proposal::Column::Id.is_in(waiting.iter().map(|p| p.id))).await?;
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

/// Withdraws the proposals of `request_id` still waiting for an answer, except `except` (the one
/// just accepted), inside the caller's transaction: they are no longer listed nor answerable.
/// Returns how many were withdrawn.
pub async fn withdraw_waiting<C: ConnectionTrait>(
    db: &C,
    request_id: i64,
    except: Option<i64>,
) -> Result<u64, DbErr> {
    let mut condition = sea_orm::Condition::all().add(proposal::Column::RequestId.eq(request_id));
    if let Some(except) = except {
        condition = condition.add(proposal::Column::Id.ne(except));
    }
    withdraw(db, condition).await
}

/// Marks the waiting proposals that match `condition` as withdrawn, answered now.
pub(super) async fn withdraw<C: ConnectionTrait>(
    db: &C,
    condition: impl sea_orm::sea_query::IntoCondition,
) -> Result<u64, DbErr> {
    let withdrawn = proposal_status::apply(
        db,
        condition,
        ProposalStatus::Waiting,
        ProposalStatus::Withdrawn,
        Some(Utc::now()),
    )
    .await?;
    Ok(withdrawn.len() as u64)
}

/// What matching does once the citizen cancelled `cancelled` (already `annulee`), inside the
/// caller's transaction: the proposals still waiting are withdrawn (their volunteers are not
/// e-mailed: the proposal page says the person cancelled), and `holder`, the volunteer who held
/// the request if any, is told they have nothing more to do.
pub async fn request_cancelled<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    cancelled: &help_request::Model,
    holder: Option<i64>,
) -> Result<(), DomainError> {
    withdraw_waiting(db, cancelled.id, None).await?;
    let Some(holder) = holder else {
        return Ok(());
    };
    let Some(volunteer) = account::Entity::find_by_id(holder)
        .filter(account::Column::DeletedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let message = RequestCancelledVolunteer::new(config, cancelled, &volunteer);
    messages::queue(
        db,
        config,
        &volunteer.email,
        &message,
        &Message::RequestCancelledVolunteer {
            request: cancelled.id,
        },
    )
    .await?;
    Ok(())
}
