//! Modifier: a moderator corrects a request that is not finished — what the person needs, in
//! their words, how, where, how to reach them (after a phone call, typically), and a message for
//! the volunteer. Same checks and messages as the public form; removing the e-mail address makes
//! the request "à rappeler", adding one sends the person the follow-up link (a new one: only its
//! hash is kept); the timeline and the audit log say which fields changed, never their values.

use chrono::Utc;
use entity::help_request;
use entity::states::AuditAction;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter};

use super::actions::{self, ActionError, ActionResult, CHANGED_MEANWHILE, not_now};
use crate::Config;
use crate::contact::{EmailAddress, PhoneNumber};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::geo::Commune;
use crate::lifecycle;
use crate::matching;
use crate::messages::emails::RequestReceived;
use crate::messages::{self, Message};
use crate::reference::{CategorySet, ModeSet};
use crate::requests::intake::{self, RequestInput};
use crate::staff::Staff;
use crate::tokens::new_token;
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
    /// In the person's words, and what the volunteer should know before calling; `None`: the
    /// form did not carry them, they stay as they are.
    pub texts: Option<Texts>,
}

/// The free texts of a correction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Texts {
    /// In the person's words.
    pub description: Option<String>,
    /// What the volunteer should know before calling.
    pub message_benevole: Option<String>,
}

/// The longest message for the volunteer, in characters.
pub const MAX_MESSAGE_FOR_VOLUNTEER: usize = 500;

/// `typed`, trimmed; empty: none.
fn optional(typed: &str) -> Option<String> {
    let trimmed = typed.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
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
    let description = optional(&input.description);
    if description
        .as_ref()
        .is_some_and(|d| d.chars().count() > intake::MAX_DESCRIPTION)
    {
        errors.add(
            "description",
            format!(
                "Ce texte est trop long : {} caractères au plus.",
                intake::MAX_DESCRIPTION
            ),
        );
    }
    let message_benevole = optional(&input.message_benevole);
    if message_benevole
        .as_ref()
        .is_some_and(|m| m.chars().count() > MAX_MESSAGE_FOR_VOLUNTEER)
    {
        errors.add(
            "message_benevole",
            format!("Ce message est trop long : {MAX_MESSAGE_FOR_VOLUNTEER} caractères au plus."),
        );
    }
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
            texts: (input.textes.trim() == "oui").then_some(Texts {
                description,
                message_benevole,
            }),
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
        (
            changes
                .texts
                .as_ref()
                .is_some_and(|t| t.description != request.description),
            "description",
        ),
        (
            changes
                .texts
                .as_ref()
                .is_some_and(|t| t.message_benevole != request.message_benevole),
            "message pour le bénévole",
        ),
    ]
    .into_iter()
    .filter_map(|(changed, name)| changed.then_some(name))
    .collect()
}

/// A person who had given no address now has one: they get "request received" with a new
/// follow-up link (only the link's hash is kept, so the old one, if anyone had it, stops working).
async fn send_follow_link<C: ConnectionTrait>(
    db: &C,
    config: &Config,
    request: &help_request::Model,
    address: &EmailAddress,
) -> Result<(), DomainError> {
    let token = new_token();
    help_request::Entity::update_many()
        .col_expr(
            help_request::Column::FollowTokenHash,
            Expr::value(token.hash.clone()),
        )
        .col_expr(
            help_request::Column::FollowTokenSealed,
            Expr::value(Some(crate::tokens::seal_follow_secret(
                &config.secret_key,
                &request.reference,
                &token.secret,
            ))),
        )
        .filter(help_request::Column::Id.eq(request.id))
        .exec(db)
        .await?;
    let follow_up = crate::messages::emails::FollowUp {
        reference: request.reference.clone(),
        follow_url: crate::messages::emails::follow_url(config, &token.secret),
        helpline: crate::messages::emails::helpline(db, config, request).await?,
    };
    let message = RequestReceived::new(config, request, &token.secret, follow_up);
    messages::queue(
        db,
        config,
        address.as_str(),
        &message,
        &Message::RequestReceived {
            request: request.id,
        },
    )
    .await?;
    Ok(())
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
            help_request::Column::Description,
            Expr::value(
                changes
                    .texts
                    .as_ref()
                    .map_or_else(|| request.description.clone(), |t| t.description.clone()),
            ),
        )
        .col_expr(
            help_request::Column::MessageBenevole,
            Expr::value(changes.texts.as_ref().map_or_else(
                || request.message_benevole.clone(),
                |t| t.message_benevole.clone(),
            )),
        )
        // Removing the address makes the person one to call back; a person already called back
        // stays so.
        .col_expr(
            help_request::Column::ARappeler,
            Expr::value(changes.email.is_none() && (request.a_rappeler || request.email.is_some())),
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
    if request.email.is_none()
        && let Some(address) = &changes.email
    {
        send_follow_link(&txn, config, &corrected, address).await?;
    }
    matching::recheck::withdraw_unfit(&txn, config, &corrected).await?;
    txn.commit().await?;
    Ok(fields)
}
