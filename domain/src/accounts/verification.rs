//! Confirming an address: the link sent at sign-up (or asked for again), and the link that makes a
//! new address take effect.

use chrono::Utc;
use entity::account;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait};

use super::links::{self, Lookup, Purpose};
use super::{find_by_email, find_by_id};
use crate::config::Config;
use crate::contact::EmailAddress;
use crate::error::DomainError;
use crate::messages::emails::VerifyEmail;
use crate::messages::{self, Message};

/// What opening a confirmation link did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Confirmation {
    /// The sign-up address is confirmed: the account can log in.
    Verified,
    /// The new address replaced the old one.
    EmailChanged,
    /// The link was used before.
    AlreadyUsed,
    /// The link is too old.
    Expired,
    /// The new address belongs to another account by now.
    AddressTaken,
    /// No such link.
    Unknown,
}

/// Opens a link from a confirmation e-mail (sign-up or change of address).
pub async fn confirm(db: &DatabaseConnection, secret: &str) -> Result<Confirmation, DomainError> {
    let txn = db.begin().await?;
    let mut lookup = links::look_up(&txn, Purpose::VerifyEmail, secret).await?;
    if matches!(lookup, Lookup::Unknown) {
        lookup = links::look_up(&txn, Purpose::ChangeEmail, secret).await?;
    }
    let token = match lookup {
        Lookup::Unknown => return Ok(Confirmation::Unknown),
        Lookup::Used(_) => return Ok(Confirmation::AlreadyUsed),
        Lookup::Expired(_) => return Ok(Confirmation::Expired),
        Lookup::Valid(token) => token,
    };
    let Some(account) = find_by_id(&txn, token.account_id).await? else {
        return Ok(Confirmation::Unknown);
    };
    if !links::spend(&txn, token.id).await? {
        return Ok(Confirmation::AlreadyUsed);
    }
    let now = Utc::now();
    let outcome = match token.new_email {
        None => {
            account::Entity::update_many()
                .col_expr(
                    account::Column::EmailVerifiedAt,
                    Expr::value(account.email_verified_at.unwrap_or(now)),
                )
                .col_expr(account::Column::UpdatedAt, Expr::value(now))
                .filter(account::Column::Id.eq(account.id))
                .exec(&txn)
                .await?;
            Confirmation::Verified
        }
        Some(new_email) => {
            if find_by_email(&txn, &new_email).await?.is_some() {
                txn.commit().await?;
                return Ok(Confirmation::AddressTaken);
            }
            account::Entity::update_many()
                .col_expr(account::Column::Email, Expr::value(new_email))
                .col_expr(account::Column::EmailVerifiedAt, Expr::value(now))
                .col_expr(account::Column::UpdatedAt, Expr::value(now))
                .filter(account::Column::Id.eq(account.id))
                .exec(&txn)
                .await?;
            Confirmation::EmailChanged
        }
    };
    txn.commit().await?;
    Ok(outcome)
}

/// Sends a new confirmation link to `email` if it belongs to an account not yet confirmed (at
/// most [`links::MAX_PER_HOUR`] an hour, sign-up's included); does nothing otherwise (the caller
/// answers the same either way).
pub async fn resend(
    db: &DatabaseConnection,
    config: &Config,
    email: &EmailAddress,
) -> Result<(), DomainError> {
    let txn = db.begin().await?;
    let Some(account) = find_by_email(&txn, email.as_str()).await? else {
        return Ok(());
    };
    if account.email_verified_at.is_some()
        || !links::may_issue(&txn, account.id, Purpose::VerifyEmail).await?
    {
        return Ok(());
    }
    let token = links::issue(&txn, account.id, Purpose::VerifyEmail, None).await?;
    let message = VerifyEmail {
        prenom: account.prenom.clone(),
        link: config.link(&format!("/verifier-email/{}", token.secret)),
    };
    let key = Message::VerifyEmail {
        token_hash: token.hash.clone(),
    };
    messages::queue(&txn, config, &account.email, &message, &key).await?;
    txn.commit().await?;
    Ok(())
}
