//! API keys: created by an admin or an organisation's moderator, shown once, kept as a keyed hash,
//! revoked at once. Every call made with a key is written to the audit log.
//!
//! A key is found by the keyed hash of the whole secret (HMAC-SHA-256 under SECRET_KEY), through a
//! unique index. That lookup is "constant-time enough": what the database compares is the HMAC of
//! the secret, which an attacker cannot compute without SECRET_KEY, so timing how far the index
//! comparison got teaches nothing about the secret itself (the same reasoning as for the hashed
//! link tokens).

use chrono::{DateTime, Utc};
use entity::api_key;
use entity::states::AuditAction;
use rand::Rng;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    IntoActiveModel, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use crate::audit::{self, AuditActor, Target};
use crate::error::DomainError;
use crate::forms::FieldErrors;
use crate::staff::Staff;
use crate::tokens::{SecretKey, keyed_hash};

/// What every secret starts with, so that a leaked one is recognised (secret scanners, logs).
pub const KEY_PREFIX: &str = "ent_";
/// The random characters after the prefix: 32 of a 32-letter alphabet, 160 bits.
const RANDOM_CHARS: usize = 32;
/// Lower-case letters and digits without the look-alikes (no `0`/`o`, `1`/`l`/`i`): 32 symbols.
const ALPHABET: &[u8; 32] = b"abcdefghjkmnpqrstuvwxyz23456789_";
// 32 symbols: 5 bits a character, at least 128 random bits in all.
const _: () = assert!(ALPHABET.len() == 32 && RANDOM_CHARS * 5 >= 128);
/// How many characters of the secret are kept to show in lists.
const SHOWN_CHARS: usize = 8;
/// The longest name of a key.
pub const MAX_NAME: usize = 80;

/// A key just created: the stored row, and the secret to show once.
#[derive(Clone, Debug)]
pub struct NewKey {
    pub key: api_key::Model,
    /// `ent_…`: shown once on the page after creation, never stored nor shown again.
    pub secret: String,
}

/// A valid key presented with a call: the row, for the organisation it acts for.
#[derive(Clone, Debug)]
pub struct PartnerKey(pub api_key::Model);

impl PartnerKey {
    /// The key's id.
    pub fn id(&self) -> i64 {
        self.0.id
    }

    /// The organisation the key acts for.
    pub fn organisation_id(&self) -> i64 {
        self.0.organisation_id
    }
}

/// One call made with a key, for the audit log: its method and path (never its query or body).
#[derive(Clone, Debug)]
pub struct ApiKeyUse {
    pub method: String,
    pub path: String,
}

/// Draws a new secret: the prefix, then 160 random bits.
fn new_secret() -> String {
    let mut rng = rand::rng();
    let random: String = (0..RANDOM_CHARS)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect();
    format!("{KEY_PREFIX}{random}")
}

/// The stored form of a secret.
fn secret_hash(key: &SecretKey, secret: &str) -> String {
    keyed_hash(key, "entraide/api-key/v1", secret)
}

/// Creates a key named `name` for `organisation_id`, if `staff` may act for that organisation
/// (admins: any; moderators: their own; otherwise not found).
pub async fn create(
    db: &DatabaseConnection,
    secret_key: &SecretKey,
    staff: &Staff,
    organisation_id: i64,
    name: &str,
) -> Result<NewKey, DomainError> {
    if !staff.scope.covers_organisation(organisation_id) {
        return Err(DomainError::NotFound);
    }
    let name = name.trim();
    let mut errors = FieldErrors::new();
    if name.is_empty() {
        errors.add(
            "nom",
            "Donnez un nom à la clé, par exemple « Standard téléphonique ».",
        );
    } else if name.chars().count() > MAX_NAME {
        errors.add(
            "nom",
            format!("Le nom est trop long : {MAX_NAME} caractères au plus."),
        );
    }
    if !errors.is_empty() {
        return Err(DomainError::Invalid(errors));
    }
    let secret = new_secret();
    let now = Utc::now();
    let txn = db.begin().await?;
    let key = api_key::ActiveModel {
        organisation_id: Set(organisation_id),
        name: Set(name.to_owned()),
        prefix: Set(secret.chars().take(SHOWN_CHARS).collect()),
        secret_hash: Set(secret_hash(secret_key, &secret)),
        created_by: Set(Some(staff.account.id)),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::ApiKeyCreated,
        Target::ApiKey(key.id),
        Some(organisation_id),
        Some(format!("clé « {} » ({}…)", key.name, key.prefix)),
    )
    .await?;
    txn.commit().await?;
    Ok(NewKey { key, secret })
}

/// The keys of an organisation, newest first, revoked ones included.
pub async fn of_organisation<C: ConnectionTrait>(
    db: &C,
    organisation_id: i64,
) -> Result<Vec<api_key::Model>, DomainError> {
    Ok(api_key::Entity::find()
        .filter(api_key::Column::OrganisationId.eq(organisation_id))
        .order_by_desc(api_key::Column::Id)
        .all(db)
        .await?)
}

/// Revokes key `key_id` of `organisation_id`: from now on it opens nothing. Revoking twice is
/// harmless; another organisation's key is not found.
pub async fn revoke(
    db: &DatabaseConnection,
    staff: &Staff,
    organisation_id: i64,
    key_id: i64,
) -> Result<(), DomainError> {
    if !staff.scope.covers_organisation(organisation_id) {
        return Err(DomainError::NotFound);
    }
    let txn = db.begin().await?;
    let key = api_key::Entity::find_by_id(key_id)
        .filter(api_key::Column::OrganisationId.eq(organisation_id))
        .one(&txn)
        .await?
        .ok_or(DomainError::NotFound)?;
    if key.revoked_at.is_some() {
        return Ok(());
    }
    let (name, prefix) = (key.name.clone(), key.prefix.clone());
    let mut active = key.into_active_model();
    active.revoked_at = Set(Some(Utc::now()));
    active.update(&txn).await?;
    audit::record(
        &txn,
        staff.audit_actor(),
        AuditAction::ApiKeyRevoked,
        Target::ApiKey(key_id),
        Some(organisation_id),
        Some(format!("clé « {name} » ({prefix}…)")),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The key whose secret is `presented`, if it exists, is not revoked and its organisation is
/// active. Read from the database at each call: a revocation takes effect at once.
pub async fn authenticate<C: ConnectionTrait>(
    db: &C,
    secret_key: &SecretKey,
    presented: &str,
) -> Result<Option<PartnerKey>, DomainError> {
    let presented = presented.trim();
    let well_formed = presented.len() == KEY_PREFIX.len() + RANDOM_CHARS
        && presented.starts_with(KEY_PREFIX)
        && presented[KEY_PREFIX.len()..]
            .bytes()
            .all(|b| ALPHABET.contains(&b));
    if !well_formed {
        return Ok(None);
    }
    let Some(key) = api_key::Entity::find()
        .filter(api_key::Column::SecretHash.eq(secret_hash(secret_key, presented)))
        .filter(api_key::Column::RevokedAt.is_null())
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let active = entity::organisation::Entity::find_by_id(key.organisation_id)
        .one(db)
        .await?
        .is_some_and(|o| o.active);
    Ok(active.then_some(PartnerKey(key)))
}

/// Writes one call made with `key` to the audit log and marks the key as used at `now`.
pub async fn record_use(
    db: &DatabaseConnection,
    key: &PartnerKey,
    call: &ApiKeyUse,
    now: DateTime<Utc>,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    api_key::Entity::update_many()
        .col_expr(
            api_key::Column::LastUsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(api_key::Column::Id.eq(key.id()))
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        AuditActor::ApiKey,
        AuditAction::ApiUsed,
        Target::ApiKey(key.id()),
        Some(key.organisation_id()),
        Some(format!("{} {}", call.method, call.path)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_prefixed_long_and_different() {
        let a = new_secret();
        let b = new_secret();
        assert!(a.starts_with("ent_"));
        assert_eq!(a.len(), 4 + 32);
        assert_ne!(a, b);
    }

    #[test]
    fn the_stored_hash_depends_on_the_service_key() {
        let secret = new_secret();
        let one = secret_hash(&SecretKey::from_bytes(vec![1; 32]), &secret);
        let two = secret_hash(&SecretKey::from_bytes(vec![2; 32]), &secret);
        assert_ne!(one, two);
        assert!(!one.contains(&secret));
    }
}
