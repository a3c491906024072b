//! Volunteer sign-up: an unconfirmed account and its profile, with the e-mail that confirms the
//! address. An address already registered gets a warning e-mail instead, and the caller cannot
//! tell the two apart (no account enumeration).

use chrono::Utc;
use entity::{account, volunteer_profile};
use sea_orm::{ActiveValue::NotSet, DatabaseConnection, EntityTrait, Set, TransactionTrait};

use super::links::{self, Purpose};
use super::{Passwords, Role, VolunteerDetails, find_by_email};
use crate::config::Config;
use crate::contact::EmailAddress;
use crate::error::DomainError;
use crate::messages::emails::{SignupExistingAddress, VerifyEmail};
use crate::messages::{self, Message};

/// What sign-up needs, checked.
#[derive(Clone, Debug)]
pub struct NewVolunteer {
    /// The login address.
    pub email: EmailAddress,
    /// The chosen password (already checked against the rules).
    pub password: String,
    /// The profile.
    pub details: VolunteerDetails,
}

/// Signs up a volunteer. Takes the same time and gives the same result whether or not the address
/// is already registered; its owner is told by e-mail (at most once an hour).
pub async fn sign_up(
    db: &DatabaseConnection,
    config: &Config,
    passwords: &Passwords,
    new: NewVolunteer,
) -> Result<(), DomainError> {
    // Hash first, whatever the outcome, so that both answers take as long.
    let password_hash = passwords.hash(&new.password).await?;
    let txn = db.begin().await?;
    if let Some(existing) = find_by_email(&txn, new.email.as_str()).await? {
        let email = SignupExistingAddress {
            prenom: existing.prenom.clone(),
            login_link: config.link("/connexion"),
            reset_link: config.link("/mot-de-passe-oublie"),
        };
        let key = Message::SignupExistingAddress {
            account: existing.id,
            hour: Utc::now().format("%Y-%m-%dT%H").to_string(),
        };
        messages::queue(&txn, config, &existing.email, &email, &key).await?;
        txn.commit().await?;
        return Ok(());
    }

    let now = Utc::now();
    let details = new.details;
    let inserted = account::Entity::insert(account::ActiveModel {
        id: NotSet,
        email: Set(new.email.as_str().to_owned()),
        password_hash: Set(password_hash),
        prenom: Set(details.prenom.as_str().to_owned()),
        nom: Set(details.nom.clone()),
        role: Set(Role::Benevole),
        email_verified_at: Set(None),
        session_epoch: Set(0),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec(&txn)
    .await;
    let account_id = match inserted {
        Ok(result) => result.last_insert_id,
        // The same address signed up at the same moment: the other sign-up wins, and the answer
        // stays the same.
        Err(err) if is_unique_violation(&err) => return Ok(()),
        Err(err) => return Err(err.into()),
    };
    volunteer_profile::Entity::insert(profile_row(account_id, &details))
        .exec_without_returning(&txn)
        .await?;
    let token = links::issue(&txn, account_id, Purpose::VerifyEmail, None).await?;
    let email = VerifyEmail {
        prenom: details.prenom.into_string(),
        link: config.link(&format!("/verifier-email/{}", token.secret)),
    };
    let key = Message::VerifyEmail {
        token_hash: token.hash.clone(),
    };
    messages::queue(&txn, config, new.email.as_str(), &email, &key).await?;
    txn.commit().await?;
    Ok(())
}

/// The profile row for `details` (moderation fields empty).
pub fn profile_row(account_id: i64, details: &VolunteerDetails) -> volunteer_profile::ActiveModel {
    volunteer_profile::ActiveModel {
        account_id: Set(account_id),
        commune_insee: Set(details.commune_insee.clone()),
        departement: Set(details.departement.clone()),
        latitude: Set(details.latitude),
        longitude: Set(details.longitude),
        rayon_km: Set(details.rayon_km),
        modes: Set(details.modes.bits()),
        categories: Set(details.categories.bits()),
        langues: Set(details.langues.join(" ")),
        max_demandes: Set(details.max_demandes),
        disponibilites: Set(details.disponibilites.clone()),
        paused_until: Set(None),
        vetted_at: Set(None),
        suspended_at: Set(None),
        suspension_reason: Set(None),
        // Chosen on the profile page only (`profile::set_sms_number`).
        telephone_sms: sea_orm::ActiveValue::NotSet,
    }
}

/// Whether `err` is a unique-constraint violation.
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
