//! The volunteers within a staff member's reach (../shared/PRODUCT.md §1): those who live in
//! the territory, and those who were proposed one of its organisations' requests (a volunteer of
//! the 92 helping Paris). The searchable list and what a volunteer's page shows. Any other
//! volunteer is treated exactly like one that does not exist. The actions on them live in
//! [`super::volunteer_actions`].

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use entity::{account, audit_log, feedback, help_request, proposal, volunteer_profile};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};

use crate::audit::{self, Target};
use crate::geo::{CommuneKind, Communes};
use crate::organisations::{Scope, Territory};
use entity::states::RequestStatus;

/// Volunteers shown per page of the list.
pub const PAGE_SIZE: u64 = 25;

/// The `statut` filter of the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StatusFilter {
    /// Vetted for in-person help.
    Vetted,
    /// Not vetted.
    NotVetted,
    /// Suspended.
    Suspended,
    /// Pausing (no proposal until a date).
    Paused,
}

impl StatusFilter {
    /// Every filter, in the order the form shows them.
    pub const ALL: [StatusFilter; 4] =
        [Self::Vetted, Self::NotVetted, Self::Suspended, Self::Paused];

    /// The value in the address.
    pub fn slug(self) -> &'static str {
        match self {
            Self::Vetted => "verifies",
            Self::NotVetted => "non_verifies",
            Self::Suspended => "suspendus",
            Self::Paused => "en_pause",
        }
    }

    /// The French label.
    pub fn label(self) -> &'static str {
        match self {
            Self::Vetted => "Vérifiés pour l'aide en personne",
            Self::NotVetted => "Non vérifiés",
            Self::Suspended => "Suspendus",
            Self::Paused => "En pause",
        }
    }

    /// The filter of this slug (an empty or unknown one: none).
    pub fn from_slug(slug: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.slug() == slug)
    }

    fn condition(self, now: DateTime<Utc>) -> Condition {
        let column = |c| Expr::col((volunteer_profile::Entity, c));
        let cond = match self {
            Self::Vetted => column(volunteer_profile::Column::VettedAt).is_not_null(),
            Self::NotVetted => column(volunteer_profile::Column::VettedAt).is_null(),
            Self::Suspended => column(volunteer_profile::Column::SuspendedAt).is_not_null(),
            Self::Paused => column(volunteer_profile::Column::PausedUntil).gt(now),
        };
        Condition::all().add(cond)
    }
}

/// What the list was asked for.
#[derive(Clone, Debug, Default)]
pub struct Search {
    /// Words to look for in the first name, name, e-mail address or commune name.
    pub q: String,
    /// The status filter, if any.
    pub status: Option<StatusFilter>,
    /// The page, from 1.
    pub page: u64,
}

/// One page of the list.
#[derive(Clone, Debug)]
pub struct Listing {
    /// The volunteers of the page, with their profiles and how many requests they hold.
    pub rows: Vec<(account::Model, volunteer_profile::Model, u64)>,
    /// How many volunteers match, on every page.
    pub total: u64,
    /// The page shown (from 1).
    pub page: u64,
    /// How many pages there are (at least 1).
    pub pages: u64,
}

/// The filter of every volunteer query: live, confirmed volunteer accounts who live within
/// `territory` or were proposed a request of one of `scope`'s organisations.
fn in_reach(scope: &Scope, territory: &Territory) -> Condition {
    let cond = Condition::all()
        .add(account::Column::Role.eq(entity::states::Role::Benevole.slug()))
        .add(account::Column::EmailVerifiedAt.is_not_null())
        .add(account::Column::DeletedAt.is_null());
    let (Territory::Departements(codes), Scope::Organisations(ids)) = (territory, scope) else {
        return cond;
    };
    let proposed = Query::select()
        .column((proposal::Entity, proposal::Column::VolunteerId))
        .from(proposal::Entity)
        .inner_join(
            help_request::Entity,
            Expr::col((help_request::Entity, help_request::Column::Id))
                .equals((proposal::Entity, proposal::Column::RequestId)),
        )
        .and_where(
            Expr::col((help_request::Entity, help_request::Column::OrganisationId))
                .is_in(ids.iter().copied()),
        )
        .to_owned();
    cond.add(
        Condition::any()
            .add(volunteer_profile::Column::Departement.is_in(codes.iter().cloned()))
            .add(volunteer_profile::Column::AccountId.in_subquery(proposed)),
    )
}

/// `q` in the first name, name, e-mail address, or the name of the commune.
fn matching_words(communes: &Communes, q: &str) -> Condition {
    let escaped: String = q
        .to_lowercase()
        .chars()
        .flat_map(|c| match c {
            '%' | '_' | '\\' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    let pattern = format!("%{escaped}%");
    let lower_like = |column: account::Column| {
        Expr::expr(Func::lower(Expr::col((account::Entity, column))))
            .like(LikeExpr::new(pattern.clone()).escape('\\'))
    };
    let mut any = Condition::any()
        .add(lower_like(account::Column::Prenom))
        .add(lower_like(account::Column::Nom))
        .add(lower_like(account::Column::Email));
    if q.chars().count() >= 3 {
        let mut codes: Vec<String> = Vec::new();
        for found in communes.search(q, 50) {
            codes.push(found.commune.insee.as_str().to_owned());
            if found.commune.kind == CommuneKind::City {
                codes.extend(
                    communes
                        .arrondissements(found.commune)
                        .iter()
                        .map(|a| a.insee.as_str().to_owned()),
                );
            }
        }
        if !codes.is_empty() {
            any = any.add(volunteer_profile::Column::CommuneInsee.is_in(codes));
        }
    }
    any
}

/// The page of the list of the volunteers of `scope`'s territory that `search` asks for, by
/// first name.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    communes: &Communes,
    scope: &Scope,
    search: &Search,
    now: DateTime<Utc>,
) -> Result<Listing, DbErr> {
    let territory = scope.territory(db).await?;
    let mut filter = in_reach(scope, &territory);
    let q = search.q.trim();
    if !q.is_empty() {
        filter = filter.add(matching_words(communes, q));
    }
    if let Some(status) = search.status {
        filter = filter.add(status.condition(now));
    }
    let query = volunteer_profile::Entity::find()
        .find_also_related(account::Entity)
        .filter(filter)
        .order_by_asc(account::Column::Prenom)
        .order_by_asc(account::Column::Nom)
        .order_by_asc(account::Column::Id);
    let paginator = query.paginate(db, PAGE_SIZE);
    let total = paginator.num_items().await?;
    let pages = Ord::max(total.div_ceil(PAGE_SIZE), 1);
    let page = search.page.clamp(1, pages);
    let found = paginator.fetch_page(page - 1).await?;
    let ids: Vec<i64> = found.iter().map(|(p, _)| p.account_id).collect();
    let held = held_counts(db, &ids).await?;
    let rows = found
        .into_iter()
        .filter_map(|(profile, account)| {
            let count = held.get(&profile.account_id).copied().unwrap_or(0);
            account.map(|a| (a, profile, count))
        })
        .collect();
    Ok(Listing {
        rows,
        total,
        page,
        pages,
    })
}

/// How many requests each of `ids` holds now.
async fn held_counts<C: ConnectionTrait>(db: &C, ids: &[i64]) -> Result<HashMap<i64, u64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let counts: Vec<(Option<i64>, i64)> = help_request::Entity::find()
        .select_only()
        .column(help_request::Column::VolunteerId)
        .column_as(help_request::Column::Id.count(), "held")
        .filter(help_request::Column::VolunteerId.is_in(ids.iter().copied()))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .group_by(help_request::Column::VolunteerId)
        .into_tuple()
        .all(db)
        .await?;
    Ok(counts
        .into_iter()
        .filter_map(|(id, n)| id.map(|id| (id, u64::try_from(n).unwrap_or(0))))
        .collect())
}

/// The volunteer `id` with their profile, if they are a live volunteer within `scope`'s reach
/// (anyone else: `None`, as for an id that does not exist).
pub async fn find_in_scope<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    id: i64,
) -> Result<Option<(account::Model, volunteer_profile::Model)>, DbErr> {
    let territory = scope.territory(db).await?;
    let found = volunteer_profile::Entity::find_by_id(id)
        .find_also_related(account::Entity)
        .filter(in_reach(scope, &territory))
        .one(db)
        .await?;
    Ok(found.and_then(|(profile, account)| account.map(|a| (a, profile))))
}

/// Which of the volunteers `ids` are within `scope`'s reach (their names link to their page).
pub async fn within_reach<C: ConnectionTrait>(
    db: &C,
    scope: &Scope,
    ids: &[i64],
) -> Result<HashSet<i64>, DbErr> {
    if ids.is_empty() {
        return Ok(HashSet::new());
    }
    let territory = scope.territory(db).await?;
    let found: Vec<i64> = volunteer_profile::Entity::find()
        .select_only()
        .column(volunteer_profile::Column::AccountId)
        .inner_join(account::Entity)
        .filter(in_reach(scope, &territory))
        .filter(volunteer_profile::Column::AccountId.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(found.into_iter().collect())
}

/// Everything a volunteer's page shows besides the profile.
#[derive(Clone, Debug)]
pub struct Record {
    /// The requests they hold now, oldest first.
    pub held: Vec<help_request::Model>,
    /// Their latest proposals, newest first, with the request.
    pub proposals: Vec<(proposal::Model, help_request::Model)>,
    /// What moderators and admins did about them, oldest first, with the actor's first name.
    pub audit: Vec<(audit_log::Model, Option<String>)>,
    /// The safety reports about them (a person said they asked for money, a password or a code),
    /// newest first, with the request.
    pub safety_reports: Vec<(feedback::Model, help_request::Model)>,
}

/// How many past proposals the volunteer's page shows.
pub const RECENT_PROPOSALS: u64 = 10;

/// The requests, proposals and audit entries of volunteer `id` (already checked in scope).
pub async fn record<C: ConnectionTrait>(db: &C, id: i64) -> Result<Record, DbErr> {
    let held = help_request::Entity::find()
        .filter(help_request::Column::VolunteerId.eq(id))
        .filter(help_request::Column::Status.eq(RequestStatus::PriseEnCharge.slug()))
        .order_by_asc(help_request::Column::UpdatedAt)
        .all(db)
        .await?;
    let proposals = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(id))
        .order_by_desc(proposal::Column::CreatedAt)
        .order_by_desc(proposal::Column::Id)
        .limit(RECENT_PROPOSALS)
        .find_also_related(help_request::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(p, r)| r.map(|r| (p, r)))
        .collect();
    let safety_reports = feedback::Entity::find()
        .filter(feedback::Column::VolunteerId.eq(id))
        .filter(feedback::Column::AskedMoneyOrCode.eq(true))
        .order_by_desc(feedback::Column::CreatedAt)
        .find_also_related(help_request::Entity)
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(f, r)| r.map(|r| (f, r)))
        .collect();
    let entries = audit::for_target(db, Target::Volunteer(id)).await?;
    let actor_ids: Vec<i64> = entries.iter().filter_map(|e| e.actor_id).collect();
    let names: HashMap<i64, String> = if actor_ids.is_empty() {
        HashMap::new()
    } else {
        account::Entity::find()
            .filter(account::Column::Id.is_in(actor_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a.prenom))
            .collect()
    };
    let audit = entries
        .into_iter()
        .map(|e| {
            let name = e.actor_id.and_then(|id| names.get(&id).cloned());
            (e, name)
        })
        .collect();
    Ok(Record {
        held,
        proposals,
        audit,
        safety_reports,
    })
}
