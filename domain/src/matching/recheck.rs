//! Keeping waiting proposals true to both sides: when a moderator corrects an open request
//! (categories, modes, commune, language) or transfers it to an organisation that wants vetted
//! volunteers for in-person help, or when a volunteer changes their profile or pauses, a volunteer
//! who would not be proposed the request as things are now has their waiting proposal withdrawn,
//! and a request left with nobody waiting goes on to its next round.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{help_request, proposal, volunteer_profile};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter};

use super::candidates::{self, Profile, needs_of};
use super::history::History;
use super::rounds::{WAITING, next_round};
use super::score::{RequestNeeds, evaluate};
use crate::Config;
use crate::error::DomainError;
use crate::lifecycle;
use crate::lifecycle::proposals::withdraw;
use entity::states::EventKind;
use entity::states::{Actor, RequestStatus};

/// The event written when proposals no longer fit the request.
pub const WITHDRAWN_EVENT: EventKind = EventKind::ProposalsWithdrawn;

/// Withdraws the waiting proposals of `request` (as it is now, inside the caller's transaction)
/// whose volunteer no longer fits it, then asks the next volunteers if nobody is left waiting.
/// Returns how many proposals were withdrawn.
pub async fn withdraw_unfit<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
) -> Result<usize, DomainError> {
    if request.status != RequestStatus::Ouverte {
        return Ok(0);
    }
    let waiting = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::Status.eq(WAITING))
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let asked: Vec<i64> = waiting.iter().map(|p| p.volunteer_id).collect();
    let fitting = still_fitting(db, request, &asked, Utc::now()).await?;
    let unfit: Vec<&proposal::Model> = waiting
        .iter()
        .filter(|p| !fitting.contains(&p.volunteer_id))
        .collect();
    if unfit.is_empty() {
        return Ok(0);
    }
    let who: Vec<String> = unfit
        .iter()
        .map(|p| format!("#{}", p.volunteer_id))
        .collect();
    let why = format!(
        "la demande ne correspond plus au profil de : {}",
        who.join(", ")
    );
    settle(db, config, request, &unfit, why).await?;
    Ok(unfit.len())
}

/// Withdraws the waiting proposals of volunteer `volunteer_id` (their profile or pause just
/// changed, inside the caller's transaction) for requests they no longer fit, and moves those
/// requests on. Returns how many proposals were withdrawn.
pub async fn withdraw_unfit_for_volunteer<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    volunteer_id: i64,
) -> Result<usize, DomainError> {
    let waiting = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(volunteer_id))
        .filter(proposal::Column::Status.eq(WAITING))
        .find_also_related(help_request::Entity)
        .all(db)
        .await?;
    if waiting.is_empty() {
        return Ok(0);
    }
    let now = Utc::now();
    // Their profile as it is now, read once; none when they are paused (or otherwise unavailable).
    let profile = candidates::profiles(
        db,
        candidates::available(now).add(volunteer_profile::Column::AccountId.eq(volunteer_id)),
    )
    .await?
    .pop();
    let mut withdrawn = 0;
    for (proposal, request) in &waiting {
        let Some(request) = request else { continue };
        if request.status != RequestStatus::Ouverte {
            continue;
        }
        if let Some(profile) = &profile {
            let vetting_required = candidates::vetting_required(db, request).await?;
            if fits(&needs_of(request), vetting_required, profile, now) {
                continue;
            }
        }
        let why = format!("le profil ou la disponibilité du bénévole a changé : #{volunteer_id}");
        settle(db, config, request, &[proposal], why).await?;
        withdrawn += 1;
    }
    Ok(withdrawn)
}

/// Withdraws `unfit` (waiting proposals of `request`), writes why on the timeline, and asks the
/// next volunteers if nobody is left waiting.
async fn settle<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    unfit: &[&proposal::Model],
    why: String,
) -> Result<(), DomainError> {
    withdraw(db, proposal::Column::Id.is_in(unfit.iter().map(|p| p.id))).await?;
    lifecycle::record(
        db,
        request.id,
        Actor::Systeme,
        None,
        WITHDRAWN_EVENT,
        None,
        None,
        Some(why),
    )
    .await?;
    next_round(db, config, request).await?;
    Ok(())
}

/// Of the volunteers `asked`, those who could be proposed `request` as it is now. Their current
/// load is left aside: they had room when they were asked, and accepting is theirs to decide.
async fn still_fitting<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    asked: &[i64],
    now: DateTime<Utc>,
) -> Result<HashSet<i64>, DbErr> {
    let needs = needs_of(request);
    let vetting_required = candidates::vetting_required(db, request).await?;
    let filter = candidates::available(now)
        .add(volunteer_profile::Column::AccountId.is_in(asked.iter().copied()));
    Ok(candidates::profiles(db, filter)
        .await?
        .iter()
        .filter(|p| fits(&needs, vetting_required, p, now))
        .map(|p| p.account_id)
        .collect())
}

/// Whether the volunteer of `profile` could be proposed a request with these needs, their current
/// load left aside.
fn fits(
    needs: &RequestNeeds,
    vetting_required: bool,
    profile: &Profile,
    now: DateTime<Utc>,
) -> bool {
    evaluate(
        needs,
        &profile.offer(&History::default(), now),
        vetting_required,
    )
    .is_some()
}
