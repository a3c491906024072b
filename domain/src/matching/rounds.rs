//! Proposal rounds: opening a request for matching, K volunteers asked at once, the next round when
//! one is exhausted (declined or expired: see `expire_due`), and after the last round, or with
//! nobody left, the request without volunteer. The volunteers' answers are in `super::answers`.

use chrono::{DateTime, Utc};
use entity::{account, help_request, proposal, request_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::Candidate;
use super::candidates::best_candidates;
use crate::messages::emails;

use crate::Config;
use crate::error::DomainError;
use crate::lifecycle::{self, TransitionError};
use crate::messages::{self, Message};
use crate::tokens::new_token;
use entity::states::EventKind;
use entity::states::{Actor, RequestStatus};

use crate::lifecycle::proposals;
use entity::states::ProposalStatus;

/// Stored forms of the proposal states, for queries ([`ProposalStatus`] is the lifecycle).
pub const WAITING: ProposalStatus = ProposalStatus::Waiting;
/// See [`ProposalStatus::Accepted`].
pub const ACCEPTED: ProposalStatus = ProposalStatus::Accepted;
/// See [`ProposalStatus::Declined`].
pub const DECLINED: ProposalStatus = ProposalStatus::Declined;
/// See [`ProposalStatus::Expired`].
pub const EXPIRED: ProposalStatus = ProposalStatus::Expired;
/// See [`ProposalStatus::Withdrawn`].
pub const WITHDRAWN: ProposalStatus = ProposalStatus::Withdrawn;

/// The timeline entry each round writes.
const ROUND_EVENT: EventKind = EventKind::Proposed;

/// What a round did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundOutcome {
    /// This many volunteers were asked.
    Proposed(usize),
    /// Proposals of the current round are still waiting for answers.
    StillWaiting,
    /// Nobody (more) could be asked: the request is now without volunteer.
    NoVolunteer,
}

/// Opens a new request for matching (moderator approval, auto-approval or `entraide request
/// open`) and asks the first volunteers, in one transaction.
pub async fn open_request(
    db: &DatabaseConnection,
    config: &Config,
    request: &help_request::Model,
    actor: Actor,
    actor_id: Option<i64>,
) -> Result<RoundOutcome, DomainError> {
    let txn = db.begin().await?;
    let outcome = open_within(&txn, config, request, actor, actor_id, None).await?;
    txn.commit().await?;
    Ok(outcome)
}

/// [`open_request`] inside the caller's transaction (auto-approval at intake, moderator actions
/// that also write the audit log).
pub async fn open_within<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    actor: Actor,
    actor_id: Option<i64>,
    details: Option<String>,
) -> Result<RoundOutcome, DomainError> {
    let opened = lifecycle::apply(
        db,
        config,
        request,
        RequestStatus::Ouverte,
        actor,
        actor_id,
        EventKind::Validated,
        details,
    )
    .await
    .map_err(transition_error)?;
    next_round(db, config, &opened).await
}

/// Asks the next volunteers for an open request whose proposals are all answered, or declares it
/// without volunteer. Call it inside the caller's transaction.
pub async fn next_round<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<RoundOutcome, DomainError> {
    if request.status != RequestStatus::Ouverte {
        return Ok(RoundOutcome::StillWaiting);
    }
    let waiting = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::Status.eq(WAITING))
        .count(db)
        .await?;
    if waiting > 0 {
        return Ok(RoundOutcome::StillWaiting);
    }
    let round = proposals::last_round(db, request.id).await? + 1;
    let series_round = rounds_in_series(db, request.id).await? + 1;
    let now = Utc::now();
    let candidates = if series_round > config.matching.max_rounds {
        Vec::new()
    } else {
        best_candidates(
            db,
            request,
            now,
            config.matching.proposals_per_round as usize,
        )
        .await?
    };
    if candidates.is_empty() {
        let detail = if series_round > config.matching.max_rounds {
            format!(
                "{} tours de propositions sans réponse positive",
                config.matching.max_rounds
            )
        } else {
            "aucun bénévole disponible ne correspond".to_owned()
        };
        lifecycle::apply(
            db,
            config,
            request,
            RequestStatus::SansBenevole,
            Actor::Systeme,
            None,
            EventKind::NoVolunteer,
            Some(detail),
        )
        .await
        .map_err(transition_error)?;
        return Ok(RoundOutcome::NoVolunteer);
    }
    let chosen: Vec<_> = candidates
        .into_iter()
        .take(config.matching.proposals_per_round as usize)
        .collect();
    for (rank, candidate) in chosen.iter().enumerate() {
        propose_to(db, config, request, candidate, round, rank as i32 + 1, now).await?;
    }
    let names: Vec<String> = chosen
        .iter()
        .map(|c| {
            format!(
                "#{} ({} sur 100)",
                c.account_id,
                super::score::points(c.score())
            )
        })
        .collect();
    lifecycle::record(
        db,
        request.id,
        Actor::Systeme,
        None,
        ROUND_EVENT,
        None,
        None,
        Some(format!("tour {round} : proposée à {}", names.join(", "))),
    )
    .await?;
    Ok(RoundOutcome::Proposed(chosen.len()))
}

/// The rounds of the current series: those opened since a moderator last brought the request
/// back from `sans_benevole` (relaunch, or a volunteer of their choice), or since it opened. Each
/// round writes one `propositions` event, so the timeline counts them.
async fn rounds_in_series<C: ConnectionTrait>(db: &C, request_id: i64) -> Result<i32, DbErr> {
    let reopened = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request_id))
        .filter(request_event::Column::FromStatus.eq(RequestStatus::SansBenevole.slug()))
        .filter(request_event::Column::ToStatus.eq(RequestStatus::Ouverte.slug()))
        .order_by_desc(request_event::Column::Id)
        .one(db)
        .await?
        .map_or(0, |e| e.id);
    let rounds = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request_id))
        .filter(request_event::Column::Kind.eq(ROUND_EVENT.slug()))
        .filter(request_event::Column::Id.gt(reopened))
        .count(db)
        .await?;
    Ok(i32::try_from(rounds).unwrap_or(i32::MAX))
}

/// Proposes `request` to `candidate` in `round` at `rank` and queues the volunteer's e-mail,
/// inside the caller's transaction (the rounds, and a moderator's own choice).
pub(crate) async fn propose_to<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    candidate: &Candidate,
    round: i32,
    rank: i32,
    now: DateTime<Utc>,
) -> Result<proposal::Model, DomainError> {
    let expires_at = now
        + chrono::Duration::from_std(config.matching.proposal_ttl)
            .unwrap_or(chrono::Duration::days(2));
    let token = new_token();
    let row = proposal::ActiveModel {
        request_id: Set(request.id),
        volunteer_id: Set(candidate.account_id),
        round: Set(round),
        rank: Set(rank),
        score: Set((candidate.score() * 10.0).round() / 10.0),
        breakdown: Set(serde_json::to_string(&candidate.breakdown).unwrap_or_default()),
        distance_km: Set((candidate.distance_km * 10.0).round() / 10.0),
        status: Set(WAITING.to_owned()),
        token_hash: Set(token.hash),
        created_at: Set(now),
        expires_at: Set(expires_at),
        answered_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let volunteer = account::Entity::find_by_id(candidate.account_id)
        .one(db)
        .await?;
    if let Some(volunteer) = volunteer {
        let ways = super::in_person::ways_for(db, request, volunteer.id).await?;
        let message = emails::NewProposal::new(config, request, &row, &volunteer)
            .restricted(ways.labels(), ways.notice(&emails::helped_name(request)));
        messages::queue(
            db,
            config,
            &volunteer.email,
            &message,
            &Message::Proposal { proposal: row.id },
        )
        .await?;
        messages::texts::proposal(db, config, request, &row, &volunteer).await?;
    }
    Ok(row)
}

/// Marks the proposals not answered in time at `now` as expired and starts the next round of the
/// requests concerned. Returns how many proposals expired.
pub async fn expire_due(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> Result<usize, DomainError> {
    // One conditional update: a proposal answered meanwhile is no longer waiting and stays as is.
    let expired = proposals::apply(
        db,
        proposal::Column::ExpiresAt.lte(now),
        ProposalStatus::Waiting,
        ProposalStatus::Expired,
        None,
    )
    .await?;
    let mut requests: Vec<i64> = expired.iter().map(|p| p.request_id).collect();
    requests.sort_unstable();
    requests.dedup();
    for request_id in requests {
        let txn = db.begin().await?;
        if let Some(request) = help_request::Entity::find_by_id(request_id)
            .one(&txn)
            .await?
        {
            next_round(&txn, config, &request).await?;
        }
        txn.commit().await?;
    }
    Ok(expired.len())
}

pub(crate) fn transition_error(err: TransitionError) -> DomainError {
    match err {
        TransitionError::Database(err) => err.into(),
        TransitionError::Effect(err) => *err,
        other => DomainError::Refused(format!(
            "Cette action n'est plus possible pour cette demande ({other})."
        )),
    }
}
