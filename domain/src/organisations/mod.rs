//! Organisations and their moderators (../shared/PRODUCT.md §1): territories, the organisation a
//! new request belongs to, and what a moderator or admin may see (their [`Scope`]).

pub mod territory;

use entity::{account, help_request, membership, organisation};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};

pub use territory::Territory;

use entity::states::Role;

/// A moderator's new-request e-mails: one per request.
pub const NOTIFY_IMMEDIATE: &str = "immediat";
/// A moderator's new-request e-mails: one summary a day.
pub const NOTIFY_DIGEST: &str = "quotidien";

/// The organisation a new request in `departement` belongs to, among the active ones: see
/// [`covering`]; none at all: `None` (the admins triage it).
pub async fn route<C: ConnectionTrait>(
    db: &C,
    departement: &str,
) -> Result<Option<organisation::Model>, DbErr> {
    let active = organisation::Entity::find()
        .filter(organisation::Column::Active.eq(true))
        .all(db)
        .await?;
    Ok(covering(&active, departement).cloned())
}

/// The one rule for which of `organisations` covers `departement`: the one whose territory lists
/// it (several: the most specific, i.e. the fewest départements, then the oldest); none: the oldest
/// national one.
pub fn covering<'a>(
    organisations: &'a [organisation::Model],
    departement: &str,
) -> Option<&'a organisation::Model> {
    let age = |o: &&organisation::Model| (o.created_at, o.id);
    let local = organisations
        .iter()
        .filter_map(|o| {
            let territory = Territory::of(o);
            territory
                .lists(departement)
                .then(|| ((territory.departement_count(), o.created_at, o.id), o))
        })
        .min_by_key(|(rank, _)| *rank)
        .map(|(_, o)| o);
    local.or_else(|| organisations.iter().filter(|o| o.national).min_by_key(age))
}

/// What a staff member may see and act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// An admin: everything.
    All,
    /// A moderator: the requests of these organisations, and the volunteers of their territory.
    Organisations(Vec<i64>),
}

impl Scope {
    /// The scope of `account` in `role`; a volunteer has none.
    pub async fn of<C: ConnectionTrait>(
        db: &C,
        account: &account::Model,
        role: Role,
    ) -> Result<Option<Scope>, DbErr> {
        match role {
            Role::Admin => Ok(Some(Scope::All)),
            Role::Benevole => Ok(None),
            Role::Moderateur => {
                let ids: Vec<i64> = membership::Entity::find()
                    .select_only()
                    .column(membership::Column::OrganisationId)
                    .inner_join(organisation::Entity)
                    .filter(membership::Column::AccountId.eq(account.id))
                    .filter(organisation::Column::Active.eq(true))
                    .order_by_asc(membership::Column::OrganisationId)
                    .into_tuple()
                    .all(db)
                    .await?;
                Ok(Some(Scope::Organisations(ids)))
            }
        }
    }

    /// Whether a request of `organisation_id` is within the scope.
    pub fn covers_request(&self, request: &help_request::Model) -> bool {
        match self {
            Self::All => true,
            Self::Organisations(ids) => request.organisation_id.is_some_and(|id| ids.contains(&id)),
        }
    }

    /// Whether an organisation is within the scope.
    pub fn covers_organisation(&self, organisation_id: i64) -> bool {
        match self {
            Self::All => true,
            Self::Organisations(ids) => ids.contains(&organisation_id),
        }
    }

    /// A filter keeping only the requests within the scope, for every request query.
    pub fn request_condition(&self) -> Condition {
        match self {
            Self::All => Condition::all(),
            Self::Organisations(ids) => Condition::all()
                .add(help_request::Column::OrganisationId.is_in(ids.iter().copied())),
        }
    }

    /// The territory whose volunteers the scope covers.
    pub async fn territory<C: ConnectionTrait>(&self, db: &C) -> Result<Territory, DbErr> {
        let ids = match self {
            Self::All => return Ok(Territory::National),
            Self::Organisations(ids) => ids,
        };
        let organisations = organisation::Entity::find()
            .filter(organisation::Column::Id.is_in(ids.iter().copied()))
            .all(db)
            .await?;
        Ok(organisations
            .iter()
            .map(Territory::of)
            .fold(Territory::Departements(Vec::new()), Territory::union))
    }
}

/// The active organisations, by name (transfer targets, filters).
pub async fn active<C: ConnectionTrait>(db: &C) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .filter(organisation::Column::Active.eq(true))
        .order_by_asc(organisation::Column::Name)
        .all(db)
        .await
}

/// The live moderators of an organisation, with their e-mail preference.
pub async fn moderators<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
) -> Result<Vec<(membership::Model, account::Model)>, DbErr> {
    let rows = membership::Entity::find()
        .find_also_related(account::Entity)
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(account::Column::DeletedAt.is_null())
        .filter(Expr::col((account::Entity, account::Column::Role)).eq(Role::Moderateur.slug()))
        .order_by_asc(membership::Column::Id)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(m, a)| a.map(|a| (m, a)))
        .collect())
}

/// The live admins (they triage the requests no organisation covers).
pub async fn admins<C: ConnectionTrait>(db: &C) -> Result<Vec<account::Model>, DbErr> {
    account::Entity::find()
        .filter(account::Column::Role.eq(Role::Admin.slug()))
        .filter(account::Column::DeletedAt.is_null())
        .filter(account::Column::EmailVerifiedAt.is_not_null())
        .order_by_asc(account::Column::Id)
        .all(db)
        .await
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, Utc};

    use super::*;

    fn organisation(id: i64, departements: &str, days_old: i64) -> organisation::Model {
        let created = Utc::now() - Duration::days(days_old);
        organisation::Model {
            id,
            name: format!("Organisation {id}"),
            contact_email: "contact@example.org".into(),
            national: departements.is_empty(),
            departements: departements.into(),
            auto_approve: false,
            vetting_required: false,
            active: true,
            telephone: None,
            horaires: None,
            created_at: created,
            updated_at: created,
        }
    }

    #[test]
    fn the_most_specific_then_the_oldest_covers_a_departement_else_the_oldest_national() {
        let all = vec![
            organisation(1, "", 10),
            organisation(2, "", 20),
            organisation(3, "51 08 10", 30),
            organisation(4, "51 08", 5),
            organisation(5, "08 51", 8),
        ];
        let id = |departement| covering(&all, departement).map(|o| o.id);
        assert_eq!(id("51"), Some(5), "two départements each: the older");
        assert_eq!(id("10"), Some(3));
        assert_eq!(id("75"), Some(2), "no list names it: the oldest national");
        assert_eq!(covering(&all[2..], "75"), None);
    }
}
