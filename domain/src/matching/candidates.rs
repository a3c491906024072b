//! Finding the volunteers who may help with a request: what SQL can filter (account state,
//! categories, distance box for in-person-only requests, those already asked), then the exact
//! distance and the score in Rust.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{account, help_request, organisation, proposal, volunteer_profile};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
};

use super::history::{History, history};
use super::score::{
    Candidate, RequestNeeds, VolunteerOffer, Weights, best_possible_beyond, evaluate_with, rank,
};
use crate::geo::Point;
use crate::reference::{CategorySet, HelpMode, ModeSet};

pub use super::score::MAX_RADIUS_KM;

/// What matching needs from a request.
pub fn needs_of(request: &help_request::Model) -> RequestNeeds {
    RequestNeeds {
        categories: CategorySet::from_bits(request.categories),
        modes: ModeSet::from_bits(request.modes),
        point: Point {
            lat: request.latitude,
            lon: request.longitude,
        },
        langue: request.langue.clone(),
    }
}

/// Whether the organisation of `request` wants in-person help from vetted volunteers only.
pub(super) async fn vetting_required<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
) -> Result<bool, DbErr> {
    Ok(match request.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(db)
            .await?
            .is_some_and(|o| o.vetting_required),
        None => false,
    })
}

/// Search radii, in km: the search widens until no one farther away could beat the best found.
const RINGS_KM: [f64; 9] = [0.5, 1.0, 2.5, 5.0, 10.0, 20.0, 40.0, 100.0, f64::INFINITY];

/// How many candidates get their track record read at once.
const HISTORY_BATCH: usize = 32;

/// Every volunteer who may be proposed `request` now, best first.
pub async fn ranked_candidates<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, DbErr> {
    best_candidates(db, request, now, usize::MAX).await
}

/// The `k` best volunteers who may be proposed `request` now, best first — exactly those a full
/// ranking would put first, found without reading every volunteer:
/// - the search box widens ring by ring, and stops once the k-th best found scores at least what
///   anyone outside the box could;
/// - within the box, each volunteer first gets the score they would have with a spotless track
///   record (an upper bound: history only lowers fairness and responsiveness), and only those
///   whose bound can still reach the top `k` have their history read.
pub async fn best_candidates<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    now: DateTime<Utc>,
    k: usize,
) -> Result<Vec<Candidate>, DbErr> {
    best_candidates_with(db, &Weights::DEFAULT, request, now, k).await
}

/// [`best_candidates`] scored under `weights` (the bound that stops the search follows them).
pub async fn best_candidates_with<C: ConnectionTrait>(
    db: &C,
    weights: &Weights,
    request: &help_request::Model,
    now: DateTime<Utc>,
    k: usize,
) -> Result<Vec<Candidate>, DbErr> {
    let needs = needs_of(request);
    let vetting_required = vetting_required(db, request).await?;
    let remote = needs.modes.contains(HelpMode::Telephone) || needs.modes.contains(HelpMode::Visio);
    let mut search = Search {
        weights: *weights,
        needs,
        vetting_required,
        now,
        k,
        seen: HashSet::new(),
        found: Vec::new(),
    };
    for radius in RINGS_KM {
        // In-person help only: nobody travels farther than the largest radius.
        let radius = if remote {
            radius
        } else {
            radius.min(MAX_RADIUS_KM)
        };
        let profiles = eligible_profiles(db, request, &search.needs, now, radius).await?;
        search.add_ring(db, profiles).await?;
        let found = &search.found;
        let complete =
            found.len() >= k && found[k - 1].score() >= best_possible_beyond(weights, radius);
        if complete || !radius.is_finite() || (!remote && radius >= MAX_RADIUS_KM) {
            break;
        }
    }
    Ok(search.found)
}

/// The state of one search: who was already looked at, and the best `k` so far.
struct Search {
    weights: Weights,
    needs: RequestNeeds,
    vetting_required: bool,
    now: DateTime<Utc>,
    k: usize,
    seen: HashSet<i64>,
    /// Scored with their history, best first, at most `k`.
    found: Vec<Candidate>,
}

impl Search {
    /// Scores the volunteers of a new ring: by their upper bound first, then with their history
    /// for those whose bound can still beat the k-th best.
    async fn add_ring<C: ConnectionTrait>(
        &mut self,
        db: &C,
        profiles: Vec<Profile>,
    ) -> Result<(), DbErr> {
        let mut pending: Vec<(f64, Profile)> = profiles
            .into_iter()
            .filter(|p| self.seen.insert(p.account_id))
            .filter_map(|p| {
                let bound = evaluate_with(
                    &self.weights,
                    &self.needs,
                    &p.offer(&History::default(), self.now),
                    self.vetting_required,
                )?;
                Some((bound.score(), p))
            })
            .collect();
        pending.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut next = 0;
        while next < pending.len() {
            // Equal bounds are read too: ties are broken by distance and age, not by score.
            let threshold = (self.found.len() >= self.k).then(|| self.found[self.k - 1].score());
            let batch: Vec<&Profile> = pending[next..]
                .iter()
                .take_while(|(bound, _)| threshold.is_none_or(|t| *bound >= t))
                .take(HISTORY_BATCH.max(self.k.min(500)))
                .map(|(_, p)| p)
                .collect();
            if batch.is_empty() {
                break;
            }
            next += batch.len();
            let ids: Vec<i64> = batch.iter().map(|p| p.account_id).collect();
            let history = history(db, &ids).await?;
            let none = History::default();
            self.found.extend(batch.iter().filter_map(|p| {
                let h = history.get(&p.account_id).unwrap_or(&none);
                evaluate_with(
                    &self.weights,
                    &self.needs,
                    &p.offer(h, self.now),
                    self.vetting_required,
                )
            }));
            self.found = rank(std::mem::take(&mut self.found));
            self.found.truncate(self.k);
        }
        Ok(())
    }
}

/// The columns of a volunteer's profile that matching reads.
#[derive(Clone, Debug, FromQueryResult)]
pub(super) struct Profile {
    pub(super) account_id: i64,
    latitude: f64,
    longitude: f64,
    rayon_km: i32,
    modes: i32,
    categories: i32,
    langues: String,
    max_demandes: i32,
    vetted_at: Option<DateTime<Utc>>,
}

impl Profile {
    /// What the volunteer offers, given their track record.
    pub(super) fn offer(&self, history: &History, now: DateTime<Utc>) -> VolunteerOffer {
        VolunteerOffer {
            account_id: self.account_id,
            categories: CategorySet::from_bits(self.categories),
            modes: ModeSet::from_bits(self.modes),
            point: Point {
                lat: self.latitude,
                lon: self.longitude,
            },
            rayon_km: f64::from(self.rayon_km),
            langues: self.langues.split_whitespace().map(str::to_owned).collect(),
            max_demandes: self.max_demandes,
            active: history.active,
            days_since_last: history
                .last_taken
                .map(|at| (now - at).num_seconds() as f64 / 86_400.0),
            proposals_received: history.received,
            proposals_answered: history.answered,
            vetted: self.vetted_at.is_some(),
        }
    }
}

/// The profiles SQL can already tell are candidates, within `radius_km` of the request (a box
/// around the circle, through the position index), or anywhere when the radius is infinite.
async fn eligible_profiles<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    needs: &RequestNeeds,
    now: DateTime<Utc>,
    radius_km: f64,
) -> Result<Vec<Profile>, DbErr> {
    let mut filter = available(now)
        .add(
            Expr::col((
                volunteer_profile::Entity,
                volunteer_profile::Column::Categories,
            ))
            .bit_and(needs.categories.bits())
            .ne(0),
        )
        .add(
            volunteer_profile::Column::AccountId.not_in_subquery(
                Query::select()
                    .column(proposal::Column::VolunteerId)
                    .from(proposal::Entity)
                    .and_where(proposal::Column::RequestId.eq(request.id))
                    .and_where(proposal::Column::Status.ne(super::rounds::WITHDRAWN))
                    .to_owned(),
            ),
        );
    if radius_km.is_finite() {
        let dlat = radius_km / 111.0;
        let widest = (needs.point.lat.abs() + dlat).min(89.0).to_radians().cos();
        let dlon = radius_km / (111.0 * widest.max(0.01));
        filter = filter
            .add(
                volunteer_profile::Column::Latitude
                    .between(needs.point.lat - dlat, needs.point.lat + dlat),
            )
            .add(
                volunteer_profile::Column::Longitude
                    .between(needs.point.lon - dlon, needs.point.lon + dlon),
            );
    }
    profiles(db, filter).await
}

/// Volunteers who may be asked at all now: verified, neither deleted, suspended nor paused.
pub(super) fn available(now: DateTime<Utc>) -> Condition {
    Condition::all()
        .add(account::Column::Role.eq(entity::states::Role::Benevole.slug()))
        .add(account::Column::EmailVerifiedAt.is_not_null())
        .add(account::Column::DeletedAt.is_null())
        .add(volunteer_profile::Column::SuspendedAt.is_null())
        .add(
            Condition::any()
                .add(volunteer_profile::Column::PausedUntil.is_null())
                .add(volunteer_profile::Column::PausedUntil.lte(now)),
        )
}

/// The matching columns of the profiles that `filter` keeps.
pub(super) async fn profiles<C: ConnectionTrait>(
    db: &C,
    filter: Condition,
) -> Result<Vec<Profile>, DbErr> {
    volunteer_profile::Entity::find()
        .select_only()
        .columns([
            volunteer_profile::Column::AccountId,
            volunteer_profile::Column::Latitude,
            volunteer_profile::Column::Longitude,
            volunteer_profile::Column::RayonKm,
            volunteer_profile::Column::Modes,
            volunteer_profile::Column::Categories,
            volunteer_profile::Column::Langues,
            volunteer_profile::Column::MaxDemandes,
            volunteer_profile::Column::VettedAt,
        ])
        .inner_join(account::Entity)
        .filter(filter)
        .into_model::<Profile>()
        .all(db)
        .await
}
