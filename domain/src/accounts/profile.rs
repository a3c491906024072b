//! A volunteer's own profile: reading and editing it, changing the password or the address, and
//! pausing proposals.

use chrono::{DateTime, NaiveDate, Utc};
use entity::{account, volunteer_profile};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    Set, TransactionTrait,
};

use super::links::{self, Purpose};
use super::signup::profile_row;
use super::{VolunteerDetails, find_by_email, find_by_id};
use crate::config::Config;
use crate::contact::EmailAddress;
use crate::error::DomainError;
use crate::matching::recheck;
use crate::messages::emails::ConfirmNewEmail;
use crate::messages::{self, Message};

/// A volunteer's account and profile.
pub async fn load(
    db: &DatabaseConnection,
    account_id: i64,
) -> Result<Option<(account::Model, volunteer_profile::Model)>, DomainError> {
    let Some(account) = find_by_id(db, account_id).await? else {
        return Ok(None);
    };
    let profile = volunteer_profile::Entity::find_by_id(account_id)
        .one(db)
        .await?;
    Ok(profile.map(|profile| (account, profile)))
}

/// Replaces what the volunteer said about themselves (moderation fields and pause unchanged); their
/// waiting proposals for requests they no longer fit are withdrawn.
pub async fn update(
    db: &DatabaseConnection,
    config: &Config,
    account_id: i64,
    details: &VolunteerDetails,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    account::Entity::update_many()
        .col_expr(
            account::Column::Prenom,
            Expr::value(details.prenom.as_str()),
        )
        .col_expr(account::Column::Nom, Expr::value(details.nom.clone()))
        .col_expr(account::Column::UpdatedAt, Expr::value(Utc::now()))
        .filter(account::Column::Id.eq(account_id))
        .exec(&txn)
        .await?;
    let mut row = profile_row(account_id, details);
    for column in [
        volunteer_profile::Column::PausedUntil,
        volunteer_profile::Column::VettedAt,
        volunteer_profile::Column::SuspendedAt,
        volunteer_profile::Column::SuspensionReason,
    ] {
        row.not_set(column);
    }
    row.update(&txn).await?;
    recheck::withdraw_unfit_for_volunteer(&txn, config, account_id).await?;
    txn.commit().await?;
    Ok(())
}

/// Sets the mobile number the volunteer also receives new proposals on by SMS (`None`: no SMS).
pub async fn set_sms_number(
    db: &DatabaseConnection,
    account_id: i64,
    number: Option<&crate::contact::PhoneNumber>,
) -> Result<(), DomainError> {
    volunteer_profile::Entity::update_many()
        .col_expr(
            volunteer_profile::Column::TelephoneSms,
            Expr::value(number.map(|n| n.as_str().to_owned())),
        )
        .filter(volunteer_profile::Column::AccountId.eq(account_id))
        .exec(db)
        .await?;
    Ok(())
}

/// Checks what the volunteer typed for SMS: with the box ticked, a French mobile number.
pub fn check_sms_number(
    wanted: bool,
    typed: &str,
) -> Result<Option<crate::contact::PhoneNumber>, &'static str> {
    if !wanted {
        return Ok(None);
    }
    if typed.trim().is_empty() {
        return Err("Pour recevoir les propositions par SMS, indiquez votre numéro de portable.");
    }
    let number = crate::contact::PhoneNumber::parse(typed)?;
    if !crate::sms::numbers::is_mobile(number.as_str()) {
        return Err(
            "Ce numéro n'est pas un numéro de portable. Indiquez un numéro qui commence par 06 ou 07.",
        );
    }
    Ok(Some(number))
}

/// Sets a new password (already hashed) and ends every other session: returns the new session
/// epoch, for the current session to keep.
pub async fn change_password(
    db: &DatabaseConnection,
    account: &account::Model,
    password_hash: String,
) -> Result<i32, DomainError> {
    let epoch = account.session_epoch + 1;
    let mut row = account.clone().into_active_model();
    row.password_hash = Set(password_hash);
    row.session_epoch = Set(epoch);
    row.updated_at = Set(Utc::now());
    row.update(db).await?;
    Ok(epoch)
}

/// Sends a confirmation link to `new_email`; the address changes only when it is opened. Nothing
/// is sent when the address already belongs to an account, or after [`links::MAX_PER_HOUR`]
/// requests in an hour (the caller answers the same).
pub async fn request_email_change(
    db: &DatabaseConnection,
    config: &Config,
    account: &account::Model,
    new_email: &EmailAddress,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    if find_by_email(&txn, new_email.as_str()).await?.is_some()
        || !links::may_issue(&txn, account.id, Purpose::ChangeEmail).await?
    {
        return Ok(());
    }
    let token = links::issue(
        &txn,
        account.id,
        Purpose::ChangeEmail,
        Some(new_email.as_str().to_owned()),
    )
    .await?;
    let message = ConfirmNewEmail {
        prenom: account.prenom.clone(),
        link: config.link(&format!("/verifier-email/{}", token.secret)),
    };
    let key = Message::ConfirmNewEmail {
        token_hash: token.hash.clone(),
    };
    messages::queue(&txn, config, new_email.as_str(), &message, &key).await?;
    txn.commit().await?;
    Ok(())
}

/// Checks a pause's end date: after `today`, within a year.
pub fn check_pause_date(until: NaiveDate, today: NaiveDate) -> Result<(), &'static str> {
    if until <= today {
        return Err("Choisissez une date à venir.");
    }
    if until > today + chrono::Days::new(366) {
        return Err("Une pause dure au plus un an. Choisissez une date plus proche.");
    }
    Ok(())
}

/// The moment a pause until `date` ends: the start of that day (UTC).
pub fn pause_end(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists")
        .and_utc()
}

/// Pauses proposals until `until` (`None` resumes them at once); a pause withdraws the proposals
/// waiting for an answer, so that their requests go to someone else.
pub async fn set_pause(
    db: &DatabaseConnection,
    config: &Config,
    account_id: i64,
    until: Option<DateTime<Utc>>,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    crate::db::lock_names(
        &txn,
        &[&crate::matching::answers::volunteer_lock(account_id)],
    )
    .await?;
    volunteer_profile::Entity::update_many()
        .col_expr(volunteer_profile::Column::PausedUntil, Expr::value(until))
        .filter(volunteer_profile::Column::AccountId.eq(account_id))
        .exec(&txn)
        .await?;
    recheck::withdraw_unfit_for_volunteer(&txn, config, account_id).await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pause_ends_in_the_coming_year() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert!(check_pause_date(today, today).is_err());
        assert!(check_pause_date(today.succ_opt().unwrap(), today).is_ok());
        assert!(check_pause_date(NaiveDate::from_ymd_opt(2028, 1, 1).unwrap(), today).is_err());
    }
}
