//! An organisation's webhook endpoints: registered, their secret replaced, disabled — by an admin
//! (any organisation) or one of its moderators, each action in the audit log. The signing secret
//! is shown once, when it is drawn; the database keeps it sealed under a key derived from
//! SECRET_KEY, since the worker must read it back to sign.

use chrono::Utc;
use entity::states::AuditAction;
use entity::{organisation, webhook_endpoint};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use super::address;
use super::signature::new_secret;
use crate::Config;
use crate::audit::{self, Target};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::staff::Staff;
use crate::tokens::{SecretKey, open_sealed, seal};

/// What the signing secrets are sealed for.
const SIGNING_SECRET: &str = "entraide/webhooks/signing-secret/v1";

/// The most endpoints an organisation may have active at once.
pub const MAX_ACTIVE: u64 = 5;

/// An endpoint with its new secret, to show once.
#[derive(Debug)]
pub struct WithSecret {
    /// The endpoint.
    pub endpoint: webhook_endpoint::Model,
    /// The signing secret (`whsec_…`): shown now, never again.
    pub secret: String,
}

/// The organisation `organisation_id` when `staff` may manage its webhooks; otherwise not found
/// (another organisation's page answers as an unknown one).
pub async fn organisation_of<C: ConnectionTrait>(
    db: &C,
    staff: &Staff,
    organisation_id: i64,
) -> Result<organisation::Model, DomainError> {
    if !staff.scope.covers_organisation(organisation_id) {
        return Err(DomainError::NotFound);
    }
    organisation::Entity::find_by_id(organisation_id)
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)
}

/// The organisation's endpoints, active ones first, newest first.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
) -> Result<Vec<webhook_endpoint::Model>, DomainError> {
    let mut all = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(webhook_endpoint::Column::Id)
        .all(db)
        .await?;
    all.sort_by_key(|e| e.disabled_at.is_some());
    Ok(all)
}

/// Registers `typed` as a webhook of the organisation, after checking that it is an `https://`
/// address reaching a public server (unless `WEBHOOK_ALLOW_PRIVATE`); the French reason on the
/// `url` field otherwise.
pub async fn register(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    organisation_id: i64,
    typed: &str,
) -> Result<WithSecret, DomainError> {
    let organisation = organisation_of(db, staff, organisation_id).await?;
    let allow_private = config.webhooks.allow_private;
    let url = address::parse_url(typed, allow_private).map_err(invalid_url)?;
    address::check_reachable(&url, allow_private)
        .await
        .map_err(invalid_url)?;
    let active = webhook_endpoint::Entity::find()
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation.id))
        .filter(webhook_endpoint::Column::DisabledAt.is_null())
        .count(db)
        .await?;
    if active >= MAX_ACTIVE {
        return Err(invalid_url(format!(
            "Cette organisation a déjà {MAX_ACTIVE} adresses actives : désactivez-en une d'abord."
        )));
    }
    let secret = new_secret();
    let txn = db.begin().await?;
    let mut endpoint = webhook_endpoint::ActiveModel {
        organisation_id: Set(organisation.id),
        url: Set(url.to_string()),
        secret_sealed: Set(String::new()),
        created_by: Set(Some(staff.account.id)),
        created_at: Set(Utc::now()),
        rotated_at: Set(None),
        disabled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    endpoint.secret_sealed = seal_secret(&config.secret_key, endpoint.id, &secret);
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::SecretSealed,
            Expr::value(endpoint.secret_sealed.clone()),
        )
        .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::WebhookRegistered,
        Target::Organisation(organisation.id),
        Some(organisation.id),
        Some(format!("adresse {}", endpoint.url)),
    )
    .await?;
    txn.commit().await?;
    Ok(WithSecret { endpoint, secret })
}

/// Replaces the secret of an active endpoint of the organisation: deliveries signed from now on
/// use the new one.
pub async fn rotate(
    db: &DatabaseConnection,
    config: &Config,
    staff: &Staff,
    organisation_id: i64,
    endpoint_id: i64,
) -> Result<WithSecret, DomainError> {
    let mut endpoint = active_endpoint(db, staff, organisation_id, endpoint_id).await?;
    let secret = new_secret();
    let now = Utc::now();
    endpoint.secret_sealed = seal_secret(&config.secret_key, endpoint.id, &secret);
    endpoint.rotated_at = Some(now);
    let txn = db.begin().await?;
    webhook_endpoint::Entity::update_many()
        .col_expr(
            webhook_endpoint::Column::SecretSealed,
            Expr::value(endpoint.secret_sealed.clone()),
        )
        .col_expr(webhook_endpoint::Column::RotatedAt, Expr::value(now))
        .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::WebhookSecretRotated,
        Target::Organisation(organisation_id),
        Some(organisation_id),
        Some(format!("adresse {}", endpoint.url)),
    )
    .await?;
    txn.commit().await?;
    Ok(WithSecret { endpoint, secret })
}

/// Disables an active endpoint of the organisation: it receives nothing more (its deliveries
/// still waiting are given up at their next attempt).
pub async fn disable(
    db: &DatabaseConnection,
    staff: &Staff,
    organisation_id: i64,
    endpoint_id: i64,
) -> Result<webhook_endpoint::Model, DomainError> {
    let mut endpoint = active_endpoint(db, staff, organisation_id, endpoint_id).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    webhook_endpoint::Entity::update_many()
        .col_expr(webhook_endpoint::Column::DisabledAt, Expr::value(now))
        .filter(webhook_endpoint::Column::Id.eq(endpoint.id))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::WebhookDisabled,
        Target::Organisation(organisation_id),
        Some(organisation_id),
        Some(format!("adresse {}", endpoint.url)),
    )
    .await?;
    txn.commit().await?;
    endpoint.disabled_at = Some(now);
    Ok(endpoint)
}

/// The endpoint's signing secret; `None` when it was sealed under another SECRET_KEY.
pub fn secret_of(key: &SecretKey, endpoint: &webhook_endpoint::Model) -> Option<String> {
    open_sealed(
        key,
        SIGNING_SECRET,
        &owner(endpoint.id),
        &endpoint.secret_sealed,
    )
}

fn seal_secret(key: &SecretKey, endpoint_id: i64, secret: &str) -> String {
    seal(key, SIGNING_SECRET, &owner(endpoint_id), secret)
}

fn owner(endpoint_id: i64) -> String {
    format!("webhook_endpoint:{endpoint_id}")
}

async fn active_endpoint<C: ConnectionTrait>(
    db: &C,
    staff: &Staff,
    organisation_id: i64,
    endpoint_id: i64,
) -> Result<webhook_endpoint::Model, DomainError> {
    organisation_of(db, staff, organisation_id).await?;
    let endpoint = webhook_endpoint::Entity::find_by_id(endpoint_id)
        .filter(webhook_endpoint::Column::OrganisationId.eq(organisation_id))
        .one(db)
        .await?
        .ok_or(DomainError::NotFound)?;
    if endpoint.disabled_at.is_some() {
        return Err(DomainError::Conflict(
            "Cette adresse est déjà désactivée : rien n'a changé.".into(),
        ));
    }
    Ok(endpoint)
}

fn invalid_url(message: impl Into<String>) -> DomainError {
    let mut errors = FieldErrors::new();
    errors.add("url", message.into());
    DomainError::Invalid(errors)
}
