//! The daily roll-up (job `statistics-rollup`): every request, erased by retention or not (its
//! state, categories, modes, département, dates, timeline and the feedback's ratings stay), is
//! counted into the cells of its month × département × category × organisation; every volunteer
//! into one row with the months they answered a proposal. The tables are rebuilt in full, in one
//! transaction, so readers see either yesterday's figures or today's, never half.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use entity::{account, feedback, help_request, proposal, request_event, volunteer_profile};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, RelationTrait, Set, TransactionTrait,
};

use super::cell::{Cell, Measure};
use super::month::Month;
use super::table::{stat_cell, stat_rollup, stat_volunteer};
use crate::reference::{CategorySet, HelpMode, ModeSet};
use crate::requests::RequestStatus;
use crate::requests::feedback::{Satisfaction, Solved};
use entity::states::ProposalStatus;

/// The category of the cells that count every request once, whatever its categories.
pub const ALL_CATEGORIES: &str = "toutes";

/// Requests read per query.
const BATCH: u64 = 20_000;
/// Rows written per insert.
const INSERT_ROWS: usize = 500;

/// A cell's key: month, département, category slug (or [`ALL_CATEGORIES`]), organisation (0: none).
type Key = (Month, String, &'static str, i64);

/// What the roll-up wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Written {
    /// Requests counted.
    pub requests: u64,
    /// Cells written.
    pub cells: u64,
    /// Volunteers written.
    pub volunteers: u64,
}

/// Recomputes every cell from the requests, and every volunteer's activity, as of `now`.
pub async fn run(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<Written, DbErr> {
    let (cells, requests) = count_requests(db).await?;
    let volunteers = count_volunteers(db).await?;
    let written = Written {
        requests,
        cells: cells.len() as u64,
        volunteers: volunteers.len() as u64,
    };
    let txn = db.begin().await?;
    stat_cell::Entity::delete_many().exec(&txn).await?;
    stat_volunteer::Entity::delete_many().exec(&txn).await?;
    let rows: Vec<stat_cell::ActiveModel> = cells.into_iter().map(to_row).collect();
    for chunk in rows.chunks(INSERT_ROWS) {
        stat_cell::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    for chunk in volunteers.chunks(INSERT_ROWS) {
        stat_volunteer::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    stat_rollup::Entity::delete_many().exec(&txn).await?;
    stat_rollup::Entity::insert(stat_rollup::ActiveModel {
        id: Set(1),
        generation: Set(uuid::Uuid::new_v4().to_string()),
        computed_at: Set(now),
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    Ok(written)
}

/// What the timeline says about one request.
#[derive(Clone, Copy, Debug, Default)]
struct Timeline {
    opened: Option<DateTime<Utc>>,
    first_taken: Option<DateTime<Utc>>,
    last_taken: Option<DateTime<Utc>>,
    without_volunteer: bool,
}

type RequestRow = (
    i64,
    DateTime<Utc>,
    String,
    i32,
    i32,
    String,
    bool,
    Option<i64>,
    Option<DateTime<Utc>>,
);

async fn count_requests(db: &DatabaseConnection) -> Result<(HashMap<Key, Cell>, u64), DbErr> {
    let mut cells: HashMap<Key, Cell> = HashMap::new();
    let mut after = 0i64;
    let mut counted = 0u64;
    loop {
        let rows: Vec<RequestRow> = help_request::Entity::find()
            .select_only()
            .columns([
                help_request::Column::Id,
                help_request::Column::CreatedAt,
                help_request::Column::Departement,
                help_request::Column::Categories,
                help_request::Column::Modes,
                help_request::Column::Status,
                help_request::Column::ARappeler,
                help_request::Column::OrganisationId,
                help_request::Column::ClosedAt,
            ])
            .filter(help_request::Column::Id.gt(after))
            .order_by_asc(help_request::Column::Id)
            .limit(BATCH)
            .into_tuple()
            .all(db)
            .await?;
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            break;
        };
        let (low, high) = (first.0, last.0);
        let timelines = timelines(db, low, high).await?;
        let opinions = opinions(db, low, high).await?;
        for row in &rows {
            let timeline = timelines.get(&row.0).copied().unwrap_or_default();
            let opinion = opinions.get(&row.0).copied();
            count_one(&mut cells, row, timeline, opinion);
        }
        counted += rows.len() as u64;
        after = high;
        if (rows.len() as u64) < BATCH {
            break;
        }
    }
    Ok((cells, counted))
}

fn count_one(
    cells: &mut HashMap<Key, Cell>,
    row: &RequestRow,
    timeline: Timeline,
    opinion: Option<(bool, bool)>,
) {
    let (_, created_at, departement, categories, modes, status, a_rappeler, organisation, closed) =
        row;
    let status = RequestStatus::from_slug(status);
    let modes = ModeSet::from_bits(*modes);
    let mut cell = Cell::default();
    cell.add(Measure::Recues, 1);
    let flags = [
        (Measure::Ouvertes, timeline.opened.is_some()),
        (Measure::Prises, timeline.first_taken.is_some()),
        (Measure::Resolues, status == Some(RequestStatus::Resolue)),
        (
            Measure::SansBenevole,
            timeline.without_volunteer || status == Some(RequestStatus::SansBenevole),
        ),
        (Measure::Refusees, status == Some(RequestStatus::Refusee)),
        (Measure::Annulees, status == Some(RequestStatus::Annulee)),
        (Measure::TelephoneSeulement, *a_rappeler),
        (Measure::ModeTelephone, modes.contains(HelpMode::Telephone)),
        (Measure::ModeVisio, modes.contains(HelpMode::Visio)),
        (
            Measure::ModePresentiel,
            modes.contains(HelpMode::Presentiel),
        ),
        (Measure::Avis, opinion.is_some()),
        (Measure::AvisSatisfaits, opinion.is_some_and(|o| o.0)),
        (Measure::AvisRegles, opinion.is_some_and(|o| o.1)),
    ];
    for (measure, yes) in flags {
        if yes {
            cell.add(measure, 1);
        }
    }
    if let (Some(opened), Some(taken)) = (timeline.opened, timeline.first_taken) {
        cell.delai_prise.add(hours_between(opened, taken));
    }
    if status == Some(RequestStatus::Resolue)
        && let (Some(taken), Some(resolved)) = (timeline.last_taken, *closed)
    {
        cell.delai_resolution.add(hours_between(taken, resolved));
    }
    let month = Month::of(*created_at);
    let organisation = organisation.unwrap_or(0);
    let mut keys = vec![ALL_CATEGORIES];
    keys.extend(
        CategorySet::from_bits(*categories)
            .items()
            .into_iter()
            .map(|c| c.slug()),
    );
    for category in keys {
        cells
            .entry((month, departement.clone(), category, organisation))
            .or_default()
            .merge(&cell);
    }
}

fn hours_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u32 {
    u32::try_from((to - from).num_hours().max(0)).unwrap_or(u32::MAX)
}

/// When each request of ids `low..=high` was first opened, first and last taken, and whether it
/// was ever without volunteer.
async fn timelines<C: ConnectionTrait>(
    db: &C,
    low: i64,
    high: i64,
) -> Result<HashMap<i64, Timeline>, DbErr> {
    let events: Vec<(i64, Option<String>, DateTime<Utc>)> = request_event::Entity::find()
        .select_only()
        .columns([
            request_event::Column::RequestId,
            request_event::Column::ToStatus,
            request_event::Column::At,
        ])
        .filter(request_event::Column::RequestId.between(low, high))
        .filter(request_event::Column::ToStatus.is_in([
            RequestStatus::Ouverte.slug(),
            RequestStatus::PriseEnCharge.slug(),
            RequestStatus::SansBenevole.slug(),
        ]))
        .into_tuple()
        .all(db)
        .await?;
    let mut timelines: HashMap<i64, Timeline> = HashMap::new();
    for (request, to, at) in events {
        let timeline = timelines.entry(request).or_default();
        match to.as_deref().and_then(RequestStatus::from_slug) {
            Some(RequestStatus::Ouverte) => {
                timeline.opened = Some(timeline.opened.map_or(at, |t| t.min(at)));
            }
            Some(RequestStatus::PriseEnCharge) => {
                timeline.first_taken = Some(timeline.first_taken.map_or(at, |t| t.min(at)));
                timeline.last_taken = Some(timeline.last_taken.map_or(at, |t| t.max(at)));
            }
            Some(RequestStatus::SansBenevole) => timeline.without_volunteer = true,
            _ => {}
        }
    }
    Ok(timelines)
}

/// The feedback of each request of ids `low..=high`: (satisfied, problem solved).
async fn opinions<C: ConnectionTrait>(
    db: &C,
    low: i64,
    high: i64,
) -> Result<HashMap<i64, (bool, bool)>, DbErr> {
    let rows: Vec<(i64, String, String)> = feedback::Entity::find()
        .select_only()
        .columns([
            feedback::Column::RequestId,
            feedback::Column::Satisfaction,
            feedback::Column::Solved,
        ])
        .filter(feedback::Column::RequestId.between(low, high))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(request, satisfaction, solved)| {
            let satisfied = matches!(
                Satisfaction::from_slug(&satisfaction),
                Some(Satisfaction::Tres | Satisfaction::Plutot)
            );
            let solved = Solved::from_slug(&solved) == Some(Solved::Oui);
            (request, (satisfied, solved))
        })
        .collect())
}

/// Every volunteer with a profile: département, month of sign-up, months they answered.
async fn count_volunteers(
    db: &DatabaseConnection,
) -> Result<Vec<stat_volunteer::ActiveModel>, DbErr> {
    let profiles: Vec<(i64, String, DateTime<Utc>)> = volunteer_profile::Entity::find()
        .select_only()
        .column(volunteer_profile::Column::AccountId)
        .column(volunteer_profile::Column::Departement)
        .column(account::Column::CreatedAt)
        .join(
            sea_orm::JoinType::InnerJoin,
            volunteer_profile::Relation::Account.def(),
        )
        .order_by_asc(volunteer_profile::Column::AccountId)
        .into_tuple()
        .all(db)
        .await?;
    let answers: Vec<(i64, Option<DateTime<Utc>>)> = proposal::Entity::find()
        .select_only()
        .columns([proposal::Column::VolunteerId, proposal::Column::AnsweredAt])
        .filter(proposal::Column::AnsweredAt.is_not_null())
        .filter(proposal::Column::Status.is_in([
            ProposalStatus::Accepted.slug(),
            ProposalStatus::Declined.slug(),
        ]))
        .into_tuple()
        .all(db)
        .await?;
    let mut active: HashMap<i64, BTreeSet<Month>> = HashMap::new();
    for (volunteer, at) in answers {
        if let Some(at) = at {
            active.entry(volunteer).or_default().insert(Month::of(at));
        }
    }
    Ok(profiles
        .into_iter()
        .map(|(id, departement, created_at)| {
            let months = active
                .get(&id)
                .map(|m| m.iter().map(Month::to_string).collect::<Vec<_>>().join(" "))
                .unwrap_or_default();
            stat_volunteer::ActiveModel {
                volunteer_id: Set(id),
                departement: Set(departement),
                registered_month: Set(Month::of(created_at).to_string()),
                active_months: Set(months),
            }
        })
        .collect())
}

fn to_row(
    ((month, departement, category, organisation), cell): (Key, Cell),
) -> stat_cell::ActiveModel {
    let n = |m: Measure| Set(i64::try_from(cell.get(m)).unwrap_or(i64::MAX));
    stat_cell::ActiveModel {
        id: sea_orm::NotSet,
        month: Set(month.to_string()),
        departement: Set(departement),
        category: Set(category.to_owned()),
        organisation_id: Set(organisation),
        recues: n(Measure::Recues),
        ouvertes: n(Measure::Ouvertes),
        prises: n(Measure::Prises),
        resolues: n(Measure::Resolues),
        sans_benevole: n(Measure::SansBenevole),
        refusees: n(Measure::Refusees),
        annulees: n(Measure::Annulees),
        telephone_seulement: n(Measure::TelephoneSeulement),
        mode_telephone: n(Measure::ModeTelephone),
        mode_visio: n(Measure::ModeVisio),
        mode_presentiel: n(Measure::ModePresentiel),
        avis: n(Measure::Avis),
        avis_satisfaits: n(Measure::AvisSatisfaits),
        avis_regles: n(Measure::AvisRegles),
        delai_prise: Set(cell.delai_prise.to_stored()),
        delai_resolution: Set(cell.delai_resolution.to_stored()),
    }
}

/// Reads a stored row back into its key parts and cell.
pub(super) fn from_row(row: &stat_cell::Model) -> Cell {
    let mut cell = Cell::default();
    let values = [
        (Measure::Recues, row.recues),
        (Measure::Ouvertes, row.ouvertes),
        (Measure::Prises, row.prises),
        (Measure::Resolues, row.resolues),
        (Measure::SansBenevole, row.sans_benevole),
        (Measure::Refusees, row.refusees),
        (Measure::Annulees, row.annulees),
        (Measure::TelephoneSeulement, row.telephone_seulement),
        (Measure::ModeTelephone, row.mode_telephone),
        (Measure::ModeVisio, row.mode_visio),
        (Measure::ModePresentiel, row.mode_presentiel),
        (Measure::Avis, row.avis),
        (Measure::AvisSatisfaits, row.avis_satisfaits),
        (Measure::AvisRegles, row.avis_regles),
    ];
    for (measure, value) in values {
        cell.add(measure, u64::try_from(value).unwrap_or(0));
    }
    cell.delai_prise = super::cell::Durations::from_stored(&row.delai_prise);
    cell.delai_resolution = super::cell::Durations::from_stored(&row.delai_resolution);
    cell
}
