//! A volunteer's rights over their data (RGPD): a JSON export of everything held about them, and
//! deletion, which erases personal data but keeps the account's row, without identity, so that
//! past events still make sense.

use chrono::Utc;
use entity::{account, account_token, login_attempt, outbox_email, volunteer_profile};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde_json::{Value, json};

use super::details::split_langues;
use super::login::email_key;
use crate::Config;
use crate::config::SecretKey;
use crate::error::DomainError;
use crate::geo::{Communes, InseeCode};
use crate::matching::release::{Reason, release_volunteer};
use crate::reference::{CategorySet, ModeSet};
use entity::states::Actor;

/// Everything held about the account: identity, profile, pending links (never their secrets),
/// recent login attempts and e-mails sent.
pub async fn export(
    db: &DatabaseConnection,
    communes: &Communes,
    key: &SecretKey,
    account_id: i64,
) -> Result<Option<Value>, DomainError> {
    let Some((account, profile)) = super::profile::load(db, account_id).await? else {
        return Ok(None);
    };
    let commune = InseeCode::parse(&profile.commune_insee)
        .ok()
        .and_then(|code| communes.get(code))
        .map(|c| c.nom.clone());
    let links = account_token::Entity::find()
        .filter(account_token::Column::AccountId.eq(account_id))
        .order_by_asc(account_token::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|t| {
            json!({
                "objet": t.purpose,
                "nouvelle_adresse": t.new_email,
                "cree_le": t.created_at,
                "expire_le": t.expires_at,
                "utilise_le": t.used_at,
            })
        })
        .collect::<Vec<_>>();
    let attempts = login_attempt::Entity::find()
        .filter(login_attempt::Column::EmailKey.eq(email_key(key, &account.email)))
        .order_by_asc(login_attempt::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|a| json!({ "le": a.created_at, "reussie": a.success }))
        .collect::<Vec<_>>();
    let emails = outbox_email::Entity::find()
        .filter(sent_to(&account))
        .order_by_asc(outbox_email::Column::CreatedAt)
        .all(db)
        .await?
        .into_iter()
        .map(|e| json!({ "objet": e.subject, "type": e.kind, "cree_le": e.created_at, "etat": e.status.slug() }))
        .collect::<Vec<_>>();
    Ok(Some(json!({
        "compte": {
            "email": account.email,
            "prenom": account.prenom,
            "nom": account.nom,
            "role": account.role.slug(),
            "email_verifie_le": account.email_verified_at,
            "cree_le": account.created_at,
            "modifie_le": account.updated_at,
        },
        "profil_benevole": {
            "commune": { "insee": profile.commune_insee, "nom": commune, "departement": profile.departement },
            "latitude": profile.latitude,
            "longitude": profile.longitude,
            "rayon_km": profile.rayon_km,
            "modes": ModeSet::from_bits(profile.modes).slugs(),
            "categories": CategorySet::from_bits(profile.categories).slugs(),
            "langues": split_langues(&profile.langues),
            "max_demandes": profile.max_demandes,
            "disponibilites": profile.disponibilites,
            "en_pause_jusqu_au": profile.paused_until,
            "verifie_par_un_moderateur_le": profile.vetted_at,
            "suspendu_le": profile.suspended_at,
            "motif_de_suspension": profile.suspension_reason,
        },
        "liens_envoyes": links,
        "tentatives_de_connexion": attempts,
        "emails": emails,
        "exporte_le": Utc::now(),
    })))
}

/// Deletes the account: the profile, links, login attempts and e-mails are erased, the account's
/// row keeps only its id, role and dates (for past events), and every session ends.
///
/// In the same transaction, the requests this volunteer holds go back to matching without them and
/// their unanswered proposals are withdrawn.
pub async fn delete_account(
    db: &DatabaseConnection,
    config: &Config,
    account_id: i64,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    let Some(account) = account::Entity::find_by_id(account_id).one(&txn).await? else {
        return Ok(());
    };
    // Profile first: without it, matching cannot pick them again.
    volunteer_profile::Entity::delete_many()
        .filter(volunteer_profile::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    release_volunteer(
        &txn,
        config,
        account_id,
        Actor::Benevole,
        Some(account_id),
        Reason::AccountDeleted,
    )
    .await?;
    account_token::Entity::delete_many()
        .filter(account_token::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::EmailKey.eq(email_key(&config.secret_key, &account.email)))
        .exec(&txn)
        .await?;
    outbox_email::Entity::delete_many()
        .filter(sent_to(&account))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let epoch = account.session_epoch + 1;
    let mut row = account.into_active_model();
    row.email = Set(format!("supprime-{account_id}@compte-supprime.invalid"));
    row.password_hash = Set(String::new());
    row.prenom = Set("Compte supprimé".to_owned());
    row.nom = Set(None);
    row.email_verified_at = Set(None);
    row.session_epoch = Set(epoch);
    row.deleted_at = Set(Some(now));
    row.updated_at = Set(now);
    row.update(&txn).await?;
    txn.commit().await?;
    Ok(())
}

/// The outbox rows of e-mails `account` received: at any of its addresses (a previous one
/// included, through `account_id`), and at its current one (rows queued before the outbox
/// recorded accounts).
fn sent_to(account: &account::Model) -> Condition {
    Condition::any()
        .add(outbox_email::Column::AccountId.eq(account.id))
        .add(outbox_email::Column::Recipient.eq(account.email.clone()))
}
