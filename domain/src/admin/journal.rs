//! The audit log as admins read it: newest first, filtered by action, actor role, target type,
//! organisation and dates, 50 entries a page, each told in French with the names it points to.

use std::collections::HashMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use entity::{account, audit_log, help_request, organisation};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Deserialize;

pub use super::labels::{ROLES, TARGETS};
use crate::audit::TargetKind;
use crate::dates::date_time_fr;
use crate::forms::FieldErrors;
use entity::states::AuditAction;

/// Entries shown per page.
pub const PER_PAGE: u64 = 50;

/// The filter form as sent (all optional).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct JournalQuery {
    pub action: String,
    pub role: String,
    pub cible: String,
    pub organisation: String,
    pub du: String,
    pub au: String,
    pub page: String,
}

/// The checked filter.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JournalFilter {
    pub action: Option<String>,
    pub role: Option<String>,
    pub target_type: Option<String>,
    pub organisation_id: Option<i64>,
    /// From this instant (the start of `du`, in Paris).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (the end of `au`, in Paris).
    pub until: Option<DateTime<Utc>>,
    /// The page, from 1.
    pub page: u64,
}

fn start_of_day(date: NaiveDate) -> Option<DateTime<Utc>> {
    chrono_tz::Europe::Paris
        .from_local_datetime(&date.and_hms_opt(0, 0, 0)?)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

fn date(errors: &mut FieldErrors, field: &'static str, typed: &str) -> Option<NaiveDate> {
    let typed = typed.trim();
    if typed.is_empty() {
        return None;
    }
    NaiveDate::parse_from_str(typed, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(typed, "%d/%m/%Y"))
        .map_err(|_| {
            errors.add(
                field,
                "Cette date n'est pas valide. Écrivez-la sous la forme jj/mm/aaaa, par exemple 23/11/2026.",
            )
        })
        .ok()
}

impl JournalQuery {
    /// What a date field shows again: the typed date if it is one (a date field's value must be
    /// a valid date, `yyyy-mm-dd`), else nothing (its error message says what was wrong).
    pub fn date_value(typed: &str) -> String {
        let typed = typed.trim();
        NaiveDate::parse_from_str(typed, "%Y-%m-%d")
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_default()
    }

    /// Checks the filter; a field that cannot be read is left out of it, with its message.
    pub fn check(&self) -> (JournalFilter, FieldErrors) {
        let mut errors = FieldErrors::new();
        let chosen = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let du = date(&mut errors, "du", &self.du);
        let mut au = date(&mut errors, "au", &self.au);
        if let (Some(du), Some(to)) = (du, au)
            && to < du
        {
            errors.add(
                "au",
                "La date de fin est avant la date de début : vérifiez les deux dates.",
            );
            au = None;
        }
        let filter = JournalFilter {
            action: chosen(&self.action),
            role: chosen(&self.role),
            target_type: chosen(&self.cible),
            organisation_id: self.organisation.trim().parse().ok(),
            from: du.and_then(start_of_day),
            until: au
                .and_then(|d| d.checked_add_days(Days::new(1)))
                .and_then(start_of_day),
            page: self.page.trim().parse().unwrap_or(1).max(1),
        };
        (filter, errors)
    }
}

/// One entry, ready to show.
#[derive(Clone, Debug)]
pub struct EntryView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: String,
    /// Where the target's page is, if it has one.
    pub target_href: Option<String>,
    pub organisation: Option<String>,
    pub details: Option<String>,
}

/// One page of the log.
#[derive(Clone, Debug)]
pub struct JournalPage {
    pub entries: Vec<EntryView>,
    /// How many entries match the filter in all.
    pub total: u64,
    pub page: u64,
    pub pages: u64,
}

fn filtered(filter: &JournalFilter) -> Select<audit_log::Entity> {
    use audit_log::Column;
    let mut query = audit_log::Entity::find();
    if let Some(action) = &filter.action {
        query = query.filter(Column::Action.eq(action.as_str()));
    }
    if let Some(role) = &filter.role {
        query = query.filter(Column::ActorRole.eq(role.as_str()));
    }
    if let Some(target) = &filter.target_type {
        query = query.filter(Column::TargetType.eq(target.as_str()));
    }
    if let Some(id) = filter.organisation_id {
        query = query.filter(Column::OrganisationId.eq(id));
    }
    if let Some(from) = filter.from {
        query = query.filter(Column::At.gte(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(Column::At.lt(until));
    }
    query
}

/// The actions present in the log, for the filter's list: (slug, label), by label.
pub async fn actions<C: ConnectionTrait>(db: &C) -> Result<Vec<(String, String)>, DbErr> {
    let stored: Vec<AuditAction> = audit_log::Entity::find()
        .select_only()
        .column(audit_log::Column::Action)
        .distinct()
        .into_tuple()
        .all(db)
        .await?;
    let mut actions: Vec<(String, String)> = stored
        .into_iter()
        .map(|a| (a.slug().to_owned(), a.label().to_owned()))
        .collect();
    actions.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(actions)
}

/// The page `filter.page` of the entries matching `filter`, newest first.
pub async fn page<C: ConnectionTrait>(
    db: &C,
    filter: &JournalFilter,
) -> Result<JournalPage, DbErr> {
    let total = filtered(filter).count(db).await?;
    let pages = total.div_ceil(PER_PAGE).max(1);
    let page = filter.page.min(pages);
    let rows = filtered(filter)
        .order_by_desc(audit_log::Column::At)
        .order_by_desc(audit_log::Column::Id)
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
        .all(db)
        .await?;
    let names = Names::load(db, &rows).await?;
    Ok(JournalPage {
        entries: rows.iter().map(|row| names.view(row)).collect(),
        total,
        page,
        pages,
    })
}

/// The accounts, requests and organisations a page of entries points to.
struct Names {
    accounts: HashMap<i64, account::Model>,
    requests: HashMap<i64, String>,
    organisations: HashMap<i64, String>,
}

impl Names {
    async fn load<C: ConnectionTrait>(db: &C, rows: &[audit_log::Model]) -> Result<Self, DbErr> {
        let ids_of = |kinds: &[&str]| -> Vec<i64> {
            rows.iter()
                .filter(|r| kinds.contains(&r.target_type.as_str()))
                .filter_map(|r| r.target_id)
                .collect()
        };
        let account_ids = ids_of(&[TargetKind::Account.slug(), TargetKind::Volunteer.slug()])
            .into_iter()
            .chain(rows.iter().filter_map(|r| r.actor_id));
        let accounts = account::Entity::find()
            .filter(account::Column::Id.is_in(account_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
        let requests = help_request::Entity::find()
            .select_only()
            .column(help_request::Column::Id)
            .column(help_request::Column::Reference)
            .filter(help_request::Column::Id.is_in(ids_of(&["demande"])))
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        let organisations = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .column(organisation::Column::Name)
            .into_tuple::<(i64, String)>()
            .all(db)
            .await?
            .into_iter()
            .collect();
        Ok(Self {
            accounts,
            requests,
            organisations,
        })
    }

    fn person(&self, id: i64) -> String {
        match self.accounts.get(&id) {
            Some(a) if a.deleted_at.is_none() => a.prenom.clone(),
            _ => format!("compte supprimé (n° {id})"),
        }
    }

    fn view(&self, row: &audit_log::Model) -> EntryView {
        let role = ROLES
            .iter()
            .find(|(slug, _)| *slug == row.actor_role)
            .map_or(row.actor_role.as_str(), |(_, label)| label);
        let actor = match row.actor_id {
            Some(id) => format!("{} ({})", self.person(id), role.to_lowercase()),
            None => role.to_owned(),
        };
        let kind = TargetKind::from_slug(&row.target_type);
        let (target, target_href) = match (kind, row.target_id) {
            (Some(TargetKind::Request), Some(id)) => (
                format!(
                    "Demande {}",
                    self.requests.get(&id).map_or("supprimée", String::as_str)
                ),
                Some(format!("/moderation/demandes/{id}")),
            ),
            (Some(TargetKind::Organisation), Some(id)) => (
                self.organisations
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| format!("Organisation n° {id}")),
                Some(format!("/admin/organisations/{id}")),
            ),
            (Some(TargetKind::Account), Some(id)) => match self.accounts.get(&id) {
                Some(a) if a.deleted_at.is_none() => (format!("{} ({})", a.prenom, a.email), None),
                _ => (self.person(id), None),
            },
            (Some(TargetKind::Volunteer), Some(id)) => {
                (format!("Bénévole {}", self.person(id)), None)
            }
            (Some(TargetKind::Email), Some(id)) => (format!("E-mail n° {id}"), None),
            (Some(TargetKind::Email), None) => ("Tous les e-mails en échec".to_owned(), None),
            (_, id) => (
                format!(
                    "{} {}",
                    row.target_type,
                    id.map(|i| i.to_string()).unwrap_or_default()
                ),
                None,
            ),
        };
        EntryView {
            at: date_time_fr(row.at, "75"),
            actor,
            action: row.action.label().to_owned(),
            target,
            target_href,
            organisation: row
                .organisation_id
                .map(|id| self.organisations.get(&id).cloned().unwrap_or_default()),
            details: row.details.clone(),
        }
    }
}
