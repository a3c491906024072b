//! A volunteer's answers to proposals and to the requests they hold: accepting (exactly one
//! volunteer wins a request, even under concurrent clicks; the others' proposals are withdrawn),
//! declining (the next round starts when a round is exhausted), giving a request back, and saying
//! it is solved.

use chrono::Utc;
use entity::{account, help_request, proposal, volunteer_profile};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, TransactionTrait,
};

use super::release;
use super::rounds::{RoundOutcome, WAITING, next_round};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle::proposals;
use crate::lifecycle::{self, TransitionError};
use crate::messages::emails;
use crate::messages::{self, Message};
use entity::states::EventKind;
use entity::states::ProposalStatus;
use entity::states::{Actor, RequestStatus};
use sea_orm::Condition;

/// The answer to a volunteer's "J'accepte".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Acceptance {
    /// They hold the request now.
    Won,
    /// Someone else was first, or the request is no longer open: "déjà prise en charge, merci !".
    AlreadyTaken,
    /// The proposal is no longer open (declined, expired or withdrawn).
    Closed,
    /// The person cancelled their request: there is nothing to do.
    Cancelled,
    /// The volunteer may not take a request now (suspended, paused, or already holding their
    /// maximum): nothing changed.
    Unavailable(Unavailable),
}

/// Why a volunteer may not take a request now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unavailable {
    /// A moderator suspended them (or their account is gone).
    Suspended,
    /// They paused their proposals.
    Paused,
    /// They already hold as many requests as they said they could.
    Full,
}

/// Whether volunteer `volunteer_id` may take one more request now, read inside the acceptance's
/// transaction (after its first write, and under the volunteer's lock: see [`accept`]).
async fn availability<C: ConnectionTrait>(
    db: &C,
    volunteer_id: i64,
    now: chrono::DateTime<Utc>,
) -> Result<Option<Unavailable>, DbErr> {
    let profile = volunteer_profile::Entity::find_by_id(volunteer_id)
        .one(db)
        .await?;
    let account = account::Entity::find_by_id(volunteer_id).one(db).await?;
    let (Some(profile), Some(account)) = (profile, account) else {
        return Ok(Some(Unavailable::Suspended));
    };
    if profile.suspended_at.is_some() || account.deleted_at.is_some() {
        return Ok(Some(Unavailable::Suspended));
    }
    if profile.paused_until.is_some_and(|until| until > now) {
        return Ok(Some(Unavailable::Paused));
    }
    let held = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.eq(volunteer_id))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .count(db)
        .await?;
    if held >= u64::try_from(profile.max_demandes).unwrap_or(0) {
        return Ok(Some(Unavailable::Full));
    }
    Ok(None)
}

/// Volunteer `volunteer_id` accepts proposal `proposal_id`. Exactly one volunteer wins a request:
/// the request moves only if it is still open (a conditional update), and a partial unique index
/// allows one accepted proposal per request. The volunteer's eligibility (suspension, pause, load)
/// is read again in the same transaction, under the volunteer's lock that a suspension takes too,
/// so that an open page or an old link cannot take a request for a volunteer who may no longer.
pub async fn accept(
    db: &DatabaseConnection,
    config: &Config,
    proposal_id: i64,
    volunteer_id: i64,
) -> Result<Acceptance, DomainError> {
    let txn = db.begin().await?;
    crate::db::lock_names(&txn, &[&volunteer_lock(volunteer_id)]).await?;
    let Some(proposal) = proposal::Entity::find_by_id(proposal_id)
        .filter(proposal::Column::VolunteerId.eq(volunteer_id))
        .one(&txn)
        .await?
    else {
        return Err(DomainError::NotFound);
    };
    let Some(request) = help_request::Entity::find_by_id(proposal.request_id)
        .one(&txn)
        .await?
    else {
        return Err(DomainError::NotFound);
    };
    if request.status == RequestStatus::Annulee {
        return Ok(Acceptance::Cancelled);
    }
    let now = Utc::now();
    if proposal.status != WAITING || proposal.expires_at <= now {
        return Ok(Acceptance::Closed);
    }
    let taken = match lifecycle::apply(
        &txn,
        config,
        &request,
        RequestStatus::PriseEnCharge,
        Actor::Benevole,
        Some(volunteer_id),
        EventKind::Accepted,
        None,
    )
    .await
    {
        Ok(taken) => taken,
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => {
            return Ok(Acceptance::AlreadyTaken);
        }
        Err(TransitionError::Database(err)) => return Err(err.into()),
        Err(TransitionError::Effect(err)) => return Err(*err),
    };
    // After the first write: on SQLite the transaction now holds the write lock.
    if let Some(reason) = availability(&txn, volunteer_id, now).await? {
        txn.rollback().await?;
        return Ok(Acceptance::Unavailable(reason));
    }
    help_request::Entity::update_many()
        .col_expr(help_request::Column::VolunteerId, Expr::value(volunteer_id))
        .filter(help_request::Column::Id.eq(request.id))
        .exec(&txn)
        .await?;
    let marked = proposals::apply(
        &txn,
        proposal::Column::Id.eq(proposal.id),
        ProposalStatus::Waiting,
        ProposalStatus::Accepted,
        Some(now),
    )
    .await;
    match marked {
        Ok(moved) if moved.len() == 1 => {}
        // Another transaction accepted first (the unique index refused a second one).
        _ => return Ok(Acceptance::AlreadyTaken),
    }
    crate::lifecycle::proposals::withdraw_waiting(&txn, request.id, Some(proposal.id)).await?;
    let volunteer = account::Entity::find_by_id(volunteer_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    let ways = super::in_person::ways_for(&txn, &taken, volunteer_id).await?;
    let confirmed = emails::ProposalConfirmed::new(config, &taken, &volunteer, &proposal)
        .restricted(ways.labels(), ways.notice(&emails::helped_name(&taken)));
    messages::queue(
        &txn,
        config,
        &volunteer.email,
        &confirmed,
        &Message::ProposalConfirmed {
            proposal: proposal.id,
        },
    )
    .await?;
    if let Some(email) = &taken.email {
        let follow_up = emails::FollowUp::load(&txn, config, &taken).await?;
        let told = emails::VolunteerFound::new(config, &taken, &volunteer, &proposal, follow_up);
        messages::queue(
            &txn,
            config,
            email,
            &told,
            &Message::VolunteerFound {
                request: taken.id,
                proposal: proposal.id,
            },
        )
        .await?;
    }
    messages::texts::volunteer_found(&txn, config, &taken, &volunteer, &proposal).await?;
    txn.commit().await?;
    Ok(Acceptance::Won)
}

/// The name under which changes to a volunteer's availability and their acceptances are serialised
/// ([`crate::db::lock_names`]).
pub fn volunteer_lock(volunteer_id: i64) -> String {
    format!("volunteer:{volunteer_id}")
}

/// Why a volunteer says "Je ne peux pas" (optional), for the moderators' timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeclineReason {
    /// Not available now.
    NotAvailable,
    /// Not something they know how to help with.
    NotMyField,
    /// Too far from them.
    TooFar,
}

impl DeclineReason {
    /// Every reason, in the order the form shows them.
    pub const ALL: [DeclineReason; 3] = [Self::NotAvailable, Self::NotMyField, Self::TooFar];

    /// The form's value.
    pub fn slug(self) -> &'static str {
        match self {
            Self::NotAvailable => "pas_disponible",
            Self::NotMyField => "pas_mon_domaine",
            Self::TooFar => "trop_loin",
        }
    }

    /// What the volunteer ticks and the moderators read.
    pub fn label(self) -> &'static str {
        match self {
            Self::NotAvailable => "pas disponible en ce moment",
            Self::NotMyField => "pas mon domaine",
            Self::TooFar => "trop loin",
        }
    }

    /// The reason sent as `slug`.
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.slug() == slug)
    }
}

/// What became of a request after a volunteer said "Je ne peux pas" — so that what they read is
/// true.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Declined {
    /// The proposal was no longer open: nothing was recorded.
    NoLongerOpen,
    /// Other volunteers asked with them have not answered yet.
    OthersStillAsked,
    /// Other volunteers are asked now.
    OthersAsked,
    /// Nobody else could be asked: the moderators take over.
    NobodyElse,
    /// The request no longer looks for a volunteer (taken, cancelled, closed).
    NoLongerSearching,
}

/// Volunteer `volunteer_id` declines proposal `proposal_id`; when the round is exhausted the next
/// one starts. Returns whether the answer was recorded (false: the proposal was no longer open).
pub async fn decline(
    db: &DatabaseConnection,
    config: &Config,
    proposal_id: i64,
    volunteer_id: i64,
) -> Result<bool, DomainError> {
    Ok(decline_with(db, config, proposal_id, volunteer_id, None).await? != Declined::NoLongerOpen)
}

/// [`decline`] with the volunteer's reason, if they gave one: the reason goes on the request's
/// timeline for the moderators, and the outcome says what happens to the request next.
pub async fn decline_with(
    db: &DatabaseConnection,
    config: &Config,
    proposal_id: i64,
    volunteer_id: i64,
    reason: Option<DeclineReason>,
) -> Result<Declined, DomainError> {
    let txn = db.begin().await?;
    let declined = proposals::apply(
        &txn,
        Condition::all()
            .add(proposal::Column::Id.eq(proposal_id))
            .add(proposal::Column::VolunteerId.eq(volunteer_id)),
        ProposalStatus::Waiting,
        ProposalStatus::Declined,
        Some(Utc::now()),
    )
    .await?;
    if declined.is_empty() {
        return Ok(Declined::NoLongerOpen);
    }
    let proposal = proposal::Entity::find_by_id(proposal_id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if let Some(reason) = reason {
        // The proposals' states already say who declined; the timeline carries the why.
        let name = account::Entity::find_by_id(volunteer_id)
            .one(&txn)
            .await?
            .map_or_else(|| "Le bénévole".to_owned(), |a| a.prenom);
        lifecycle::record(
            &txn,
            proposal.request_id,
            Actor::Benevole,
            Some(volunteer_id),
            EventKind::Declined,
            None,
            None,
            Some(format!("{name} ne peut pas aider : {}", reason.label())),
        )
        .await?;
    }
    let outcome = match help_request::Entity::find_by_id(proposal.request_id)
        .one(&txn)
        .await?
    {
        Some(request) if request.status == RequestStatus::Ouverte => {
            match next_round(&txn, config, &request).await? {
                RoundOutcome::Proposed(_) => Declined::OthersAsked,
                RoundOutcome::StillWaiting => Declined::OthersStillAsked,
                RoundOutcome::NoVolunteer => Declined::NobodyElse,
            }
        }
        _ => Declined::NoLongerSearching,
    };
    txn.commit().await?;
    Ok(outcome)
}

/// "Je ne peux plus aider": the volunteer gives the request back; matching resumes without them.
pub async fn give_back(
    db: &DatabaseConnection,
    config: &Config,
    request_id: i64,
    volunteer_id: i64,
) -> Result<bool, DomainError> {
    let txn = db.begin().await?;
    let Some(request) = help_request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    let given = release::hand_back(
        &txn,
        config,
        &request,
        volunteer_id,
        Actor::Benevole,
        Some(volunteer_id),
        release::Reason::GivenBack,
    )
    .await?;
    txn.commit().await?;
    Ok(given)
}

/// The volunteer holding a request says it is solved; the citizen is told by e-mail when they
/// gave an address.
pub async fn mark_solved_by_volunteer(
    db: &DatabaseConnection,
    config: &Config,
    request_id: i64,
    volunteer_id: i64,
) -> Result<bool, DomainError> {
    let txn = db.begin().await?;
    let Some(request) = help_request::Entity::find_by_id(request_id)
        .filter(help_request::Column::VolunteerId.eq(volunteer_id))
        .one(&txn)
        .await?
    else {
        return Ok(false);
    };
    match lifecycle::apply(
        &txn,
        config,
        &request,
        RequestStatus::Resolue,
        Actor::Benevole,
        Some(volunteer_id),
        EventKind::Resolved,
        None,
    )
    .await
    {
        Ok(_) => {
            txn.commit().await?;
            Ok(true)
        }
        Err(TransitionError::NotAllowed | TransitionError::Conflict) => Ok(false),
        Err(TransitionError::Database(err)) => Err(err.into()),
        Err(TransitionError::Effect(err)) => Err(*err),
    }
}
