//! The service's figures read from the database at one moment — the outbox backlog, requests by
//! state, proposals waiting, requests waiting for a moderator, the database's size. Both the
//! Prometheus metrics and the operator's page (`/admin/sante`) read them here, so they agree.
//! None carries personal data: counts, ages and organisation names only.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{help_request, organisation, outbox_email, proposal};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Statement,
};

use crate::mail::outbox::{FAILED, OutboxStatus, PENDING, SENDING, SENT};
use crate::matching::rounds::WAITING;
use crate::requests::status::RequestStatus;

/// The one outbox channel today; SMS or webhooks would add theirs.
pub const EMAIL_CHANNEL: &str = "email";
/// The states of an outbox message, in the order it goes through them.
pub const OUTBOX_STATES: [&str; 4] = [PENDING.slug(), SENDING.slug(), SENT.slug(), FAILED.slug()];
/// A new request waiting longer than this for a moderator's check is overdue.
pub const MODERATION_WAIT_HOURS: i64 = 48;
/// A waiting proposal ending within this many minutes counts as expiring soon.
pub const EXPIRING_WITHIN_MINUTES: i64 = 60;

/// The figures of the service at one moment.
#[derive(Clone, Debug)]
pub struct Figures {
    /// When they were read.
    pub at: DateTime<Utc>,
    /// The outbox, one entry per channel.
    pub outbox: Vec<Backlog>,
    /// How many requests are in each state (every state, zeros included).
    pub requests: Vec<(RequestStatus, u64)>,
    /// Proposals waiting for the volunteer's answer.
    pub proposals_waiting: u64,
    /// Of those, the ones ending within [`EXPIRING_WITHIN_MINUTES`].
    pub proposals_expiring_soon: u64,
    /// New requests waiting longer than [`MODERATION_WAIT_HOURS`], per organisation.
    pub awaiting_moderation: Vec<OrganisationWait>,
    /// The database's size in bytes, when the server tells it.
    pub database_bytes: Option<i64>,
}

/// One outbox channel's queue.
#[derive(Clone, Debug)]
pub struct Backlog {
    /// `email`.
    pub channel: &'static str,
    /// (state, count) for every state of [`OUTBOX_STATES`].
    pub states: Vec<(&'static str, u64)>,
    /// When the oldest message still waiting to be sent was written.
    pub oldest_pending: Option<DateTime<Utc>>,
    /// Messages written within the last 24 hours that were given up on.
    pub failed_last_day: u64,
    /// Messages waiting for a new attempt after a failed one.
    pub retrying: u64,
}

impl Backlog {
    /// How many messages are in `state`.
    pub fn count(&self, state: OutboxStatus) -> u64 {
        self.states
            .iter()
            .find(|(s, _)| *s == state.slug())
            .map_or(0, |(_, n)| *n)
    }

    /// How long the oldest waiting message has waited at `now`, in seconds (0: none waits).
    pub fn oldest_pending_age_seconds(&self, now: DateTime<Utc>) -> i64 {
        self.oldest_pending
            .map_or(0, |at| (now - at).num_seconds().max(0))
    }
}

/// New requests of one organisation waiting too long for a moderator.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganisationWait {
    /// The organisation's name; `None`: requests no organisation covers (the admins').
    pub organisation: Option<String>,
    /// How many.
    pub count: u64,
}

impl Figures {
    /// How many requests are in `status`.
    pub fn requests_in(&self, status: RequestStatus) -> u64 {
        self.requests
            .iter()
            .find(|(s, _)| *s == status)
            .map_or(0, |(_, n)| *n)
    }

    /// How many new requests wait too long for a moderator, in all.
    pub fn overdue_moderation(&self) -> u64 {
        self.awaiting_moderation.iter().map(|w| w.count).sum()
    }
}

/// Reads every figure as of `now`.
pub async fn read<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Figures, DbErr> {
    let requests = count_by::<help_request::Entity, _>(db, help_request::Column::Status).await?;
    let waiting = proposal::Entity::find().filter(proposal::Column::Status.eq(WAITING));
    Ok(Figures {
        at: now,
        outbox: vec![email_backlog(db, now).await?],
        requests: RequestStatus::ALL
            .into_iter()
            .map(|s| (s, requests.get(s.slug()).copied().unwrap_or(0)))
            .collect(),
        proposals_waiting: waiting.clone().count(db).await?,
        proposals_expiring_soon: waiting
            .filter(
                proposal::Column::ExpiresAt
                    .lte(now + chrono::Duration::minutes(EXPIRING_WITHIN_MINUTES)),
            )
            .count(db)
            .await?,
        awaiting_moderation: awaiting_moderation(db, now).await?,
        database_bytes: database_bytes(db).await?,
    })
}

async fn email_backlog<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<Backlog, DbErr> {
    use outbox_email::{Column, Entity};
    let counts = count_by::<Entity, _>(db, Column::Status).await?;
    let oldest_pending = Entity::find()
        .select_only()
        .column(Column::CreatedAt)
        .filter(Column::Status.eq(PENDING))
        .order_by_asc(Column::CreatedAt)
        .into_tuple::<DateTime<Utc>>()
        .one(db)
        .await?;
    Ok(Backlog {
        channel: EMAIL_CHANNEL,
        states: OUTBOX_STATES
            .into_iter()
            .map(|s| (s, counts.get(s).copied().unwrap_or(0)))
            .collect(),
        oldest_pending,
        failed_last_day: Entity::find()
            .filter(Column::Status.eq(FAILED))
            .filter(Column::CreatedAt.gt(now - chrono::Duration::hours(24)))
            .count(db)
            .await?,
        retrying: Entity::find()
            .filter(Column::Status.eq(PENDING))
            .filter(Column::Attempts.gt(0))
            .count(db)
            .await?,
    })
}

/// Rows of `E` per value of the text column `column`.
async fn count_by<E, C>(db: &C, column: E::Column) -> Result<HashMap<String, u64>, DbErr>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let rows: Vec<(String, i64)> = E::find()
        .select_only()
        .column(column)
        .column_as(column.count(), "n")
        .group_by(column)
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(k, n)| (k, u64::try_from(n).unwrap_or(0)))
        .collect())
}

async fn awaiting_moderation<C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
) -> Result<Vec<OrganisationWait>, DbErr> {
    use help_request::Column;
    let per_organisation: Vec<(Option<i64>, i64)> = help_request::Entity::find()
        .select_only()
        .column(Column::OrganisationId)
        .column_as(Column::Id.count(), "n")
        .filter(Column::Status.eq(RequestStatus::Nouvelle.slug()))
        .filter(Column::CreatedAt.lt(now - chrono::Duration::hours(MODERATION_WAIT_HOURS)))
        .group_by(Column::OrganisationId)
        .into_tuple()
        .all(db)
        .await?;
    let ids: Vec<i64> = per_organisation.iter().filter_map(|(id, _)| *id).collect();
    let names: HashMap<i64, String> = organisation::Entity::find()
        .select_only()
        .columns([organisation::Column::Id, organisation::Column::Name])
        .filter(organisation::Column::Id.is_in(ids))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let mut waits: Vec<OrganisationWait> = per_organisation
        .into_iter()
        .map(|(id, n)| OrganisationWait {
            organisation: id.and_then(|id| names.get(&id).cloned()),
            count: u64::try_from(n).unwrap_or(0),
        })
        .collect();
    waits.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.organisation.cmp(&b.organisation))
    });
    Ok(waits)
}

/// SQLite: pages × page size; PostgreSQL: `pg_database_size`.
async fn database_bytes<C: ConnectionTrait>(db: &C) -> Result<Option<i64>, DbErr> {
    let backend = db.get_database_backend();
    let sql = match backend {
        DbBackend::Sqlite => {
            "SELECT page_count * page_size AS bytes FROM pragma_page_count(), pragma_page_size()"
        }
        DbBackend::Postgres => "SELECT pg_database_size(current_database()) AS bytes",
        _ => return Ok(None),
    };
    let row = db
        .query_one_raw(Statement::from_string(backend, sql))
        .await?;
    row.map(|r| r.try_get::<i64>("", "bytes")).transpose()
}
