//! Organisations as admins manage them: the list with their moderators, creation and edition
//! (see [`super::organisation_form`] for the form), deactivation and reactivation.

use entity::states::AuditAction;
use std::collections::HashMap;

use chrono::Utc;
use entity::{account, membership, organisation};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set, TransactionTrait,
};

use super::organisation_form::{OrganisationDraft, changes};
use crate::audit::{self, AuditActor, Target};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::organisations::Territory;
use entity::states::Role;

/// Whether another organisation (than `except`) already has this name, whatever the case.
async fn name_taken<C: ConnectionTrait>(
    db: &C,
    name: &str,
    except: Option<i64>,
) -> Result<bool, DbErr> {
    let lower = name.to_lowercase();
    let mut query = organisation::Entity::find();
    if let Some(id) = except {
        query = query.filter(organisation::Column::Id.ne(id));
    }
    Ok(query
        .all(db)
        .await?
        .iter()
        .any(|o| o.name.to_lowercase() == lower))
}

fn name_taken_errors() -> FieldErrors {
    let mut errors = FieldErrors::new();
    errors.add(
        "nom",
        "Une organisation porte déjà ce nom. Choisissez un nom qui la distingue.",
    );
    errors
}

/// Creates an organisation (active) with its audit entry; `Ok(Err)` when the name is taken.
pub async fn create(
    db: &DatabaseConnection,
    actor: AuditActor,
    draft: &OrganisationDraft,
) -> Result<Result<organisation::Model, FieldErrors>, DomainError> {
    let txn = db.begin().await?;
    if name_taken(&txn, &draft.name, None).await? {
        return Ok(Err(name_taken_errors()));
    }
    let now = Utc::now();
    let (national, departements) = draft.territory.to_stored();
    let created = organisation::ActiveModel {
        name: Set(draft.name.clone()),
        contact_email: Set(draft.contact_email.as_str().to_owned()),
        national: Set(national),
        departements: Set(departements),
        auto_approve: Set(draft.auto_approve),
        vetting_required: Set(draft.vetting_required),
        telephone: Set(draft.telephone.as_ref().map(|t| t.as_str().to_owned())),
        horaires: Set(draft.hours.clone()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let details = format!(
        "{} ; territoire : {}",
        created.name,
        draft.territory.label()
    );
    audit::record(
        &txn,
        actor,
        AuditAction::OrganisationCreated,
        Target::Organisation(created.id),
        Some(created.id),
        Some(details),
    )
    .await?;
    txn.commit().await?;
    Ok(Ok(created))
}

/// What an edit did.
#[derive(Clone, Debug)]
pub enum Edit {
    /// Saved, with these changes (none: nothing was written).
    Saved(Vec<String>),
    /// A field is refused.
    Invalid(FieldErrors),
    /// No such organisation.
    NotFound,
}

/// Saves the edited organisation `id` and writes what changed to the audit log.
pub async fn update(
    db: &DatabaseConnection,
    actor: AuditActor,
    id: i64,
    draft: &OrganisationDraft,
) -> Result<Edit, DomainError> {
    let txn = db.begin().await?;
    let Some(before) = organisation::Entity::find_by_id(id).one(&txn).await? else {
        return Ok(Edit::NotFound);
    };
    if name_taken(&txn, &draft.name, Some(id)).await? {
        return Ok(Edit::Invalid(name_taken_errors()));
    }
    let changes = changes(&before, draft);
    if changes.is_empty() {
        return Ok(Edit::Saved(changes));
    }
    let (national, departements) = draft.territory.to_stored();
    let mut row = before.into_active_model();
    row.name = Set(draft.name.clone());
    row.contact_email = Set(draft.contact_email.as_str().to_owned());
    row.national = Set(national);
    row.departements = Set(departements);
    row.auto_approve = Set(draft.auto_approve);
    row.vetting_required = Set(draft.vetting_required);
    row.telephone = Set(draft.telephone.as_ref().map(|t| t.as_str().to_owned()));
    row.horaires = Set(draft.hours.clone());
    row.updated_at = Set(Utc::now());
    row.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        AuditAction::OrganisationEdited,
        Target::Organisation(id),
        Some(id),
        Some(changes.join(" ; ")),
    )
    .await?;
    txn.commit().await?;
    Ok(Edit::Saved(changes))
}

/// What (de)activating did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Switch {
    /// Done.
    Done,
    /// The organisation was already in that state: nothing changed.
    Unchanged,
    /// No such organisation.
    NotFound,
}

/// Deactivates (`active` false: it receives no new request, its moderators see nothing of it) or
/// reactivates an organisation, with its audit entry.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: AuditActor,
    id: i64,
    active: bool,
) -> Result<Switch, DomainError> {
    let txn = db.begin().await?;
    let updated = organisation::Entity::update_many()
        .col_expr(organisation::Column::Active, Expr::value(active))
        .col_expr(organisation::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(organisation::Column::Id.eq(id))
        .filter(organisation::Column::Active.eq(!active))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        let exists = organisation::Entity::find_by_id(id).one(&txn).await?;
        return Ok(if exists.is_some() {
            Switch::Unchanged
        } else {
            Switch::NotFound
        });
    }
    let action = if active {
        AuditAction::OrganisationReactivated
    } else {
        AuditAction::OrganisationDeactivated
    };
    audit::record(
        &txn,
        actor,
        action,
        Target::Organisation(id),
        Some(id),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(Switch::Done)
}

/// One organisation of the list, with how many moderators it has.
#[derive(Clone, Debug)]
pub struct Listed {
    pub organisation: organisation::Model,
    pub territory: String,
    pub moderators: i64,
}

/// Every organisation, by name, with its number of (live) moderators.
pub async fn list<C: ConnectionTrait>(db: &C) -> Result<Vec<Listed>, DbErr> {
    let counts: HashMap<i64, i64> = membership::Entity::find()
        .select_only()
        .column(membership::Column::OrganisationId)
        .column_as(membership::Column::Id.count(), "n")
        .join(
            sea_orm::JoinType::InnerJoin,
            membership::Relation::Account.def(),
        )
        .filter(account::Column::DeletedAt.is_null())
        .filter(account::Column::Role.eq(Role::Moderateur.slug()))
        .group_by(membership::Column::OrganisationId)
        .into_tuple::<(i64, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let organisations = organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await?;
    Ok(organisations
        .into_iter()
        .map(|o| Listed {
            territory: Territory::of(&o).label(),
            moderators: counts.get(&o.id).copied().unwrap_or(0),
            organisation: o,
        })
        .collect())
}

/// Every organisation, by name (for lists of choices).
pub async fn all<C: ConnectionTrait>(db: &C) -> Result<Vec<organisation::Model>, DbErr> {
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Name)
        .order_by_asc(organisation::Column::Id)
        .all(db)
        .await
}

/// One organisation, if it exists.
pub async fn find<C: ConnectionTrait>(
    db: &C,
    id: i64,
) -> Result<Option<organisation::Model>, DbErr> {
    organisation::Entity::find_by_id(id).one(db).await
}
