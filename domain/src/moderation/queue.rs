//! The moderation queue: the requests of a staff member's scope, oldest first, filtered by status,
//! category, département, age and "still to call back", counted per status, a page at a time; requests waiting for a
//! moderator for more than 48 hours come first to the eye with a priority badge, and requests
//! whose person reported being asked for money or a code (the feedback's safety question) carry
//! a « signalement » badge and stay among the requests under way.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Duration, Utc};
use entity::{feedback, help_request, request_event};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select,
};

use crate::geo::DepartementCode;
use crate::organisations::Scope;
use crate::reference::{Category, CategorySet};
use entity::states::RequestStatus;

/// Requests per page.
pub const PAGE_SIZE: u64 = 25;
/// A request waiting for a moderator longer than this is to be handled first.
pub const PRIORITY_AFTER_HOURS: i64 = 48;

/// Which states the queue shows.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum StatusFilter {
    /// The requests still under way (every state but the final ones): the default.
    #[default]
    Active,
    /// Every request, finished ones included.
    All,
    /// Only the requests in this state.
    Only(RequestStatus),
}

impl StatusFilter {
    /// Reads the `statut` parameter (unknown values: the default).
    pub fn parse(value: &str) -> Self {
        match value {
            "toutes" => Self::All,
            other => RequestStatus::from_slug(other).map_or(Self::Active, Self::Only),
        }
    }

    /// The value of the `statut` parameter ("" for the default).
    pub fn slug(self) -> &'static str {
        match self {
            Self::Active => "",
            Self::All => "toutes",
            Self::Only(status) => status.slug(),
        }
    }

    fn condition(self) -> Condition {
        match self {
            Self::All => Condition::all(),
            // A safety report keeps a finished request before the moderators' eyes.
            Self::Active => Condition::any()
                .add(
                    help_request::Column::Status.is_in(
                        RequestStatus::ALL
                            .into_iter()
                            .filter(|s| !s.is_final())
                            .map(RequestStatus::slug),
                    ),
                )
                .add(help_request::Column::Id.in_subquery(reported_requests())),
            Self::Only(status) => {
                Condition::all().add(help_request::Column::Status.eq(status.slug()))
            }
        }
    }
}

/// How long ago a request was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AgeFilter {
    /// Made more than 48 hours ago.
    Over48Hours,
    /// Made more than 7 days ago.
    Over7Days,
}

impl AgeFilter {
    /// Every choice, in the order the filter offers them.
    pub const ALL: [AgeFilter; 2] = [Self::Over48Hours, Self::Over7Days];

    /// Reads the `age` parameter.
    pub fn parse(value: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.slug() == value)
    }

    /// The value of the `age` parameter.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Over48Hours => "48h",
            Self::Over7Days => "7j",
        }
    }

    /// What moderators read.
    pub fn label(self) -> &'static str {
        match self {
            Self::Over48Hours => "Plus de 48 heures",
            Self::Over7Days => "Plus de 7 jours",
        }
    }

    fn duration(self) -> Duration {
        match self {
            Self::Over48Hours => Duration::hours(48),
            Self::Over7Days => Duration::days(7),
        }
    }
}

/// The queue's filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub status: StatusFilter,
    pub category: Option<Category>,
    /// A département code, normalised (`2A`, `974`).
    pub departement: Option<String>,
    pub age: Option<AgeFilter>,
    /// Only the people still to be called back ("à rappeler").
    pub to_call: bool,
}

impl Filter {
    /// Reads the query parameters as typed; values that mean nothing are ignored.
    pub fn parse(statut: &str, categorie: &str, departement: &str, age: &str) -> Self {
        Self {
            status: StatusFilter::parse(statut.trim()),
            category: Category::from_slug(categorie.trim()),
            departement: DepartementCode::parse(departement)
                .ok()
                .map(|code| code.as_str().to_owned()),
            age: AgeFilter::parse(age.trim()),
            to_call: false,
        }
    }

    /// The requests of `scope` that pass every filter but the status.
    fn base(&self, scope: &Scope, now: DateTime<Utc>) -> Select<help_request::Entity> {
        let mut query = help_request::Entity::find().filter(scope.request_condition());
        if let Some(category) = self.category {
            let bits = std::iter::once(category).collect::<CategorySet>().bits();
            query = query.filter(
                Expr::col((help_request::Entity, help_request::Column::Categories))
                    .bit_and(bits)
                    .ne(0),
            );
        }
        if let Some(departement) = &self.departement {
            query = query.filter(help_request::Column::Departement.eq(departement.as_str()));
        }
        if let Some(age) = self.age {
            query = query.filter(help_request::Column::CreatedAt.lt(now - age.duration()));
        }
        if self.to_call {
            query = query.filter(help_request::Column::ARappeler.eq(true));
        }
        query
    }
}

/// One line of the queue.
#[derive(Clone, Debug)]
pub struct Entry {
    pub request: help_request::Model,
    /// Since when it has been in its current state.
    pub waiting_since: DateTime<Utc>,
    /// Waiting for a moderator (new, or without volunteer) for more than 48 hours.
    pub priority: bool,
    /// The person reported being asked for money, a password or a code.
    pub safety_report: bool,
}

/// One page of the queue.
#[derive(Clone, Debug)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// Requests passing the filters, on every page.
    pub total: u64,
    /// This page's number, from 1.
    pub number: u64,
    /// How many pages there are (at least 1).
    pub pages: u64,
}

/// Page `number` (from 1) of the queue of `scope` under `filter`, oldest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    filter: &Filter,
    number: u64,
    now: DateTime<Utc>,
) -> Result<Page, DbErr> {
    let paginator = filter
        .base(scope, now)
        .filter(filter.status.condition())
        .order_by_asc(help_request::Column::CreatedAt)
        .order_by_asc(help_request::Column::Id)
        .paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = std::cmp::max(total.div_ceil(PAGE_SIZE), 1);
    let number = std::cmp::max(number, 1);
    let requests = paginator.fetch_page(number - 1).await?;
    let since = status_since(db, &requests).await?;
    let reported = reported_among(db, requests.iter().map(|r| r.id)).await?;
    let entries = requests
        .into_iter()
        .map(|request| {
            let waiting_since = since
                .get(&request.id)
                .copied()
                .unwrap_or(request.created_at);
            Entry {
                priority: is_priority(request.status, waiting_since, now),
                safety_report: reported.contains(&request.id),
                waiting_since,
                request,
            }
        })
        .collect();
    Ok(Page {
        entries,
        total,
        number,
        pages,
    })
}

/// The requests whose person answered « oui » to the feedback's safety question.
fn reported_requests() -> SelectStatement {
    Query::select()
        .column(feedback::Column::RequestId)
        .from(feedback::Entity)
        .and_where(feedback::Column::AskedMoneyOrCode.eq(true))
        .to_owned()
}

/// Which of the requests `ids` carry a safety report.
pub async fn reported_among<C: ConnectionTrait>(
    db: &C,
    ids: impl IntoIterator<Item = i64>,
) -> Result<HashSet<i64>, DbErr> {
    let ids: Vec<i64> = ids.into_iter().collect();
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let found: Vec<i64> = feedback::Entity::find()
        .select_only()
        .column(feedback::Column::RequestId)
        .filter(feedback::Column::RequestId.is_in(ids))
        .filter(feedback::Column::AskedMoneyOrCode.eq(true))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// Whether a request in `status` since `since` waits for a moderator for too long.
pub fn is_priority(status: RequestStatus, since: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    let waiting = [RequestStatus::Nouvelle, RequestStatus::SansBenevole].contains(&status);
    waiting && now - since > Duration::hours(PRIORITY_AFTER_HOURS)
}

/// When each request reached its current state: its latest event leading there (a new request:
/// when it was made).
pub async fn status_since<C: ConnectionTrait>(
    db: &C,
    requests: &[help_request::Model],
) -> Result<HashMap<i64, DateTime<Utc>>, DbErr> {
    let mut since: HashMap<i64, DateTime<Utc>> =
        requests.iter().map(|r| (r.id, r.created_at)).collect();
    if requests.is_empty() {
        return Ok(since);
    }
    let events = request_event::Entity::find()
        .filter(request_event::Column::RequestId.is_in(requests.iter().map(|r| r.id)))
        .filter(request_event::Column::ToStatus.is_not_null())
        .order_by_asc(request_event::Column::Id)
        .all(db)
        .await?;
    for request in requests {
        if request.status == RequestStatus::Nouvelle {
            continue;
        }
        if let Some(event) = events
            .iter()
            .rev()
            .find(|e| e.request_id == request.id && e.to_status == Some(request.status))
        {
            since.insert(request.id, event.at);
        }
    }
    Ok(since)
}

/// How many requests of `scope` are in each state, under `filter` except its status.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    filter: &Filter,
    now: DateTime<Utc>,
) -> Result<Vec<(RequestStatus, u64)>, DbErr> {
    let rows: Vec<(String, i64)> = filter
        .base(scope, now)
        .select_only()
        .column(help_request::Column::Status)
        .column_as(help_request::Column::Id.count(), "n")
        .group_by(help_request::Column::Status)
        .into_tuple()
        .all(db)
        .await?;
    Ok(RequestStatus::ALL
        .into_iter()
        .map(|status| {
            let n = rows
                .iter()
                .find(|(slug, _)| slug == status.slug())
                .map_or(0, |(_, n)| u64::try_from(*n).unwrap_or(0));
            (status, n)
        })
        .collect())
}

/// The départements the requests of `scope` come from, in code order (the filter's choices).
pub async fn departements<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
) -> Result<Vec<DepartementCode>, DbErr> {
    let found: Vec<String> = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::Departement)
        .distinct()
        .filter(scope.request_condition())
        .into_tuple()
        .all(db)
        .await?;
    let mut codes: Vec<DepartementCode> = found
        .iter()
        .filter_map(|d| DepartementCode::parse(d).ok())
        .collect();
    codes.sort();
    Ok(codes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_waiting_for_a_moderator_over_48_hours_are_priorities() {
        let now = Utc::now();
        let old = now - Duration::hours(49);
        assert!(is_priority(RequestStatus::Nouvelle, old, now));
        assert!(is_priority(RequestStatus::SansBenevole, old, now));
        assert!(!is_priority(RequestStatus::Ouverte, old, now));
        assert!(!is_priority(
            RequestStatus::Nouvelle,
            now - Duration::hours(47),
            now
        ));
    }

    #[test]
    fn filters_read_what_they_know_and_ignore_the_rest() {
        let filter = Filter::parse("sans_benevole", "sante", "2a", "7j");
        assert_eq!(
            filter.status,
            StatusFilter::Only(RequestStatus::SansBenevole)
        );
        assert_eq!(filter.category, Some(Category::Sante));
        assert_eq!(filter.departement.as_deref(), Some("2A"));
        assert_eq!(filter.age, Some(AgeFilter::Over7Days));
        assert_eq!(Filter::parse("x", "y", "99", "z"), Filter::default());
        assert_eq!(StatusFilter::parse("toutes"), StatusFilter::All);
    }
}
