//! Forgotten passwords: a link valid one hour, once, to choose a new password; every session of
//! the account ends when it is used.

use entity::account;
use sea_orm::{DatabaseConnection, TransactionTrait};

use super::links::{self, Lookup, Purpose};
use super::{find_by_email, find_by_id};
use crate::config::Config;
use crate::contact::EmailAddress;
use crate::error::DomainError;
use crate::messages::emails::ResetPassword;
use crate::messages::{self, Message};

/// What a reset link is.
#[derive(Clone, Debug)]
pub enum ResetLink {
    /// Usable, for this account.
    Valid(account::Model),
    /// Too old.
    Expired,
    /// Used before, or unknown.
    Invalid,
}

/// Sends a reset link to `email` if it belongs to an account (at most [`links::MAX_PER_HOUR`] an
/// hour); does nothing otherwise (the caller answers the same either way).
pub async fn request_reset(
    db: &DatabaseConnection,
    config: &Config,
    email: &EmailAddress,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    let Some(account) = find_by_email(&txn, email.as_str()).await? else {
        return Ok(());
    };
    if !links::may_issue(&txn, account.id, Purpose::ResetPassword).await? {
        return Ok(());
    }
    let token = links::issue(&txn, account.id, Purpose::ResetPassword, None).await?;
    let message = ResetPassword {
        prenom: account.prenom.clone(),
        link: config.link(&format!("/mot-de-passe/{}", token.secret)),
    };
    let key = Message::ResetPassword {
        token_hash: token.hash.clone(),
    };
    messages::queue(&txn, config, &account.email, &message, &key).await?;
    txn.commit().await?;
    Ok(())
}

/// Looks at a reset link without spending it.
pub async fn check_link(db: &DatabaseConnection, secret: &str) -> Result<ResetLink, DomainError> {
    Ok(
        match links::look_up(db, Purpose::ResetPassword, secret).await? {
            Lookup::Valid(token) => match find_by_id(db, token.account_id).await? {
                Some(account) => ResetLink::Valid(account),
                None => ResetLink::Invalid,
            },
            Lookup::Expired(_) => ResetLink::Expired,
            Lookup::Used(_) | Lookup::Unknown => ResetLink::Invalid,
        },
    )
}

/// Spends the link and sets the new password (already hashed). The address counts as confirmed
/// (the person read the e-mail), and every session of the account ends.
pub async fn reset_password(
    db: &DatabaseConnection,
    secret: &str,
    password_hash: String,
) -> Result<ResetLink, DomainError> {
    let txn = db.begin().await?;
    let token = match links::look_up(&txn, Purpose::ResetPassword, secret).await? {
        Lookup::Valid(token) => token,
        Lookup::Expired(_) => return Ok(ResetLink::Expired),
        Lookup::Used(_) | Lookup::Unknown => return Ok(ResetLink::Invalid),
    };
    let Some(account) = find_by_id(&txn, token.account_id).await? else {
        return Ok(ResetLink::Invalid);
    };
    if !links::spend(&txn, token.id).await? {
        return Ok(ResetLink::Invalid);
    }
    links::spend_all(&txn, account.id, Purpose::ResetPassword).await?;
    super::store_new_password(&txn, &account, password_hash).await?;
    txn.commit().await?;
    Ok(ResetLink::Valid(account))
}
