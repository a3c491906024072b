//! Modifier: a moderator corrects a request that is not finished — what the person needs, how,
//! where, and how to reach them (after a phone call, typically). Same checks and messages as the
//! public form; "à rappeler" follows the contact details; the timeline and the audit log say which
//! fields changed, never their values.

use chrono::Utc;
use entity::help_request;
use entity::states::AuditAction;
use sea_orm::sea_query::Expr;
use sea_orm::{DatabaseConnection, EntityTrait, QueryFilter};

use super::actions::{self, ActionError, ActionResult, CHANGED_MEANWHILE, not_now};
use crate::Config;
use crate::contact::{EmailAddress, PhoneNumber};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::geo::Commune;
use crate::lifecycle;
use crate::matching;
use crate::reference::{CategorySet, ModeSet};
use crate::requests::intake::{self, RequestInput};
use crate::staff::Staff;
use entity::states::EventKind;

/// A request's editable fields, checked.
#[derive(Clone, Debug)]
pub struct Changes {
    pub categories: CategorySet,
    pub modes: ModeSet,
    pub commune_insee: String,
    pub departement: String,
    pub latitude: f64,
    pub longitude: f64,
    pub prenom: String,
    pub email: Option<EmailAddress>,
    pub telephone: Option<PhoneNumber>,
    pub langue: Option<String>,
}

/// Checks the edit form with the public form's own checks; `commune` is what the "where" field
/// resolved to (its error, if any, is already in `errors`).
pub fn validate(
    input: &RequestInput,
    commune: Option<&Commune>,
    mut errors: FieldErrors,
) -> Result<Changes, FieldErrors> {
    let categories = intake::check_categories(&input.categories, &mut errors);
    let modes = intake::check_modes(&input.modes, &mut errors);
    let prenom = intake::check_prenom(&input.prenom, &mut errors);
    let (email, telephone) = intake::check_contact(&input.email, &input.telephone, &mut errors);
    let langue = intake::check_langue(&input.langue, &mut errors);
    match commune {
        Some(commune) if errors.is_empty() => Ok(Changes {
            categories,
            modes,
            commune_insee: commune.insee.as_str().to_owned(),
            departement: commune.departement.as_str().to_owned(),
            latitude: commune.point.lat,
            longitude: commune.point.lon,
            prenom,
            email,
            telephone,
            langue,
        }),
        _ => Err(errors),
    }
}

/// The names of the fields `changes` would change on `request`, as the timeline tells them.
pub fn changed_fields(request: &help_request::Model, changes: &Changes) -> Vec<&'static str> {
    let email = changes.email.as_ref().map(|e| e.as_str());
    let telephone = changes.telephone.as_ref().map(|t| t.as_str());
    [
        (request.categories != changes.categories.bits(), "sujets"),
        (request.modes != changes.modes.bits(), "façons d'être aidé"),
        (request.commune_insee != changes.commune_insee, "commune"),
        (request.prenom != changes.prenom, "prénom"),
        (request.email.as_deref() != email, "e-mail"),
        (request.telephone.as_deref() != telephone, "téléphone"),
        (request.langue != changes.langue, "langue"),
    ]
    .into_iter()
    .filter_map(|(changed, name)| changed.then_some(name))
    .collect()
}

/// Applies `changes` to the request `id`; returns the fields that changed (none: nothing written).
pub async fn edit(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    id: i64,
    changes: &Changes,
) -> ActionResult<Vec<&'static str>> {
    let (txn, request, status, allowed) = actions::begin(db, staff, id).await?;
    if !allowed.edit {
        return Err(not_now("la modifier", status));
    }
    let fields = changed_fields(&request, changes);
    if fields.is_empty() {
        return Ok(fields);
    }
    let updated = help_request::Entity::update_many()
        .col_expr(
            help_request::Column::Categories,
            Expr::value(changes.categories.bits()),
        )
        .col_expr(
            help_request::Column::Modes,
            Expr::value(changes.modes.bits()),
        )
        .col_expr(
            help_request::Column::CommuneInsee,
            Expr::value(changes.commune_insee.clone()),
        )
        .col_expr(
            help_request::Column::Departement,
            Expr::value(changes.departement.clone()),
        )
        .col_expr(
            help_request::Column::Latitude,
            Expr::value(changes.latitude),
        )
        .col_expr(
            help_request::Column::Longitude,
            Expr::value(changes.longitude),
        )
        .col_expr(
            help_request::Column::Prenom,
            Expr::value(changes.prenom.clone()),
        )
        .col_expr(
            help_request::Column::Email,
            Expr::value(changes.email.as_ref().map(|e| e.as_str().to_owned())),
        )
        .col_expr(
            help_request::Column::Telephone,
            Expr::value(changes.telephone.as_ref().map(|t| t.as_str().to_owned())),
        )
        .col_expr(
            help_request::Column::Langue,
            Expr::value(changes.langue.clone()),
        )
        .col_expr(
            help_request::Column::ARappeler,
            Expr::value(changes.email.is_none()),
        )
        .col_expr(help_request::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(lifecycle::as_seen(&request))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(ActionError::Refused(CHANGED_MEANWHILE.into()));
    }
    let details = format!("champs modifiés : {}", fields.join(", "));
    lifecycle::record(
        &txn,
        request.id,
        staff.request_actor(),
        Some(staff.account.id),
        EventKind::Edited,
        None,
        None,
        Some(details.clone()),
    )
    .await?;
    actions::record(
        &txn,
        staff,
        AuditAction::RequestEdited,
        &request,
        Some(details),
    )
    .await?;
    let corrected = help_request::Entity::find_by_id(request.id)
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    matching::recheck::withdraw_unfit(&txn, config, &corrected).await?;
    txn.commit().await?;
    Ok(fields)
}
