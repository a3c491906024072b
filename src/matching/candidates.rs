//! Finding the volunteers who may help with a request: what SQL can filter (account state,
//! categories, distance box for in-person-only requests, those already asked), then the exact
//! distance and the score in Rust.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{account, help_request, proposal, volunteer_profile};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect,
};

use super::score::{Candidate, RequestNeeds, VolunteerOffer, evaluate, rank};
use crate::geo::Point;
use crate::reference::{CategorySet, HelpMode, ModeSet};

/// The largest travel radius a volunteer may set, bounding the search box for in-person help.
pub const MAX_RADIUS_KM: f64 = 100.0;

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

/// Every volunteer who may be proposed `request` now, best first.
pub async fn ranked_candidates<C: ConnectionTrait>(
    db: &C,
    request: &help_request::Model,
    now: DateTime<Utc>,
) -> Result<Vec<Candidate>, DbErr> {
    let needs = needs_of(request);
    let mut filter = Condition::all()
        .add(account::Column::Role.eq("benevole"))
        .add(account::Column::EmailVerifiedAt.is_not_null())
        .add(account::Column::DeletedAt.is_null())
        .add(volunteer_profile::Column::SuspendedAt.is_null())
        .add(
            Condition::any()
                .add(volunteer_profile::Column::PausedUntil.is_null())
                .add(volunteer_profile::Column::PausedUntil.lte(now)),
        )
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
                    .and_where(proposal::Column::Status.ne("retiree"))
                    .to_owned(),
            ),
        );
    let remote = needs.modes.contains(HelpMode::Telephone) || needs.modes.contains(HelpMode::Visio);
    if !remote {
        let dlat = MAX_RADIUS_KM / 111.0;
        let dlon = MAX_RADIUS_KM / (111.0 * needs.point.lat.to_radians().cos().max(0.05));
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
    let profiles = volunteer_profile::Entity::find()
        .inner_join(account::Entity)
        .filter(filter)
        .all(db)
        .await?;
    if profiles.is_empty() {
        return Ok(Vec::new());
    }
    let history = history(db).await?;
    let candidates = profiles
        .iter()
        .filter_map(|p| {
            let h = history.get(&p.account_id).cloned().unwrap_or_default();
            let offer = VolunteerOffer {
                account_id: p.account_id,
                categories: CategorySet::from_bits(p.categories),
                modes: ModeSet::from_bits(p.modes),
                point: Point {
                    lat: p.latitude,
                    lon: p.longitude,
                },
                rayon_km: f64::from(p.rayon_km),
                langues: p.langues.split_whitespace().map(str::to_owned).collect(),
                max_demandes: p.max_demandes,
                active: h.active,
                days_since_last: h
                    .last_taken
                    .map(|at| (now - at).num_seconds() as f64 / 86_400.0),
                proposals_received: h.received,
                proposals_answered: h.answered,
                vetted: p.vetted_at.is_some(),
            };
            evaluate(&needs, &offer, false)
        })
        .collect();
    Ok(rank(candidates))
}

/// A volunteer's track record, as the score needs it.
#[derive(Clone, Debug, Default)]
struct History {
    active: i32,
    last_taken: Option<DateTime<Utc>>,
    received: u32,
    answered: u32,
}

async fn history<C: ConnectionTrait>(db: &C) -> Result<HashMap<i64, History>, DbErr> {
    #[derive(FromQueryResult)]
    struct Held {
        volunteer_id: i64,
        n: i64,
    }
    #[derive(FromQueryResult)]
    struct Answers {
        volunteer_id: i64,
        received: i64,
        answered: i64,
        last_taken: Option<DateTime<Utc>>,
    }
    let mut map: HashMap<i64, History> = HashMap::new();
    let held = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::VolunteerId)
        .column_as(help_request::Column::Id.count(), "n")
        .filter(help_request::Column::Status.eq("prise_en_charge"))
        .filter(help_request::Column::VolunteerId.is_not_null())
        .group_by(help_request::Column::VolunteerId)
        .into_model::<Held>()
        .all(db)
        .await?;
    for h in held {
        map.entry(h.volunteer_id).or_default().active = h.n as i32;
    }
    let answers = proposal::Entity::find()
        .select_only()
        .column(proposal::Column::VolunteerId)
        .column_as(proposal::Column::Id.count(), "received")
        .column_as(proposal::Column::AnsweredAt.count(), "answered")
        .column_as(
            Expr::cust("MAX(CASE WHEN status = 'acceptee' THEN answered_at END)"),
            "last_taken",
        )
        .filter(proposal::Column::Status.ne("retiree"))
        .group_by(proposal::Column::VolunteerId)
        .into_model::<Answers>()
        .all(db)
        .await?;
    for a in answers {
        let entry = map.entry(a.volunteer_id).or_default();
        entry.received = a.received as u32;
        entry.answered = a.answered as u32;
        entry.last_taken = a.last_taken;
    }
    Ok(map)
}
