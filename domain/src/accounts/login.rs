//! Logging in, with throttling shared by every instance through the database: after 5 failed
//! attempts on an address, or 20 from one IP address, within 15 minutes, further attempts are
//! refused until older failures leave the window. An attempt is reserved before its password is
//! verified, so parallel guesses cannot slip past the limit. A successful login clears the
//! address's earlier failures. Only hashes of the address and of the IP are
//! kept, and for a day at most.

use std::net::IpAddr;

use chrono::{Duration, Utc};
use entity::{account, login_attempt};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::{Passwords, find_by_email};
use crate::config::SecretKey;
use crate::contact::EmailAddress;
use crate::error::DomainError;
use crate::tokens::keyed_hash;

/// Failed attempts on one address before refusing.
pub const ACCOUNT_LIMIT: u64 = 5;
/// Failed attempts from one IP address before refusing.
pub const IP_LIMIT: u64 = 20;
/// The window attempts are counted over, in minutes.
pub const WINDOW_MINUTES: i64 = 15;

/// What a login attempt gave.
#[derive(Clone, Debug)]
pub enum LoginOutcome {
    /// Right address and password, address confirmed.
    LoggedIn(account::Model),
    /// Right address and password, but the address is not confirmed yet.
    Unverified(account::Model),
    /// Unknown address or wrong password (never told apart).
    WrongCredentials,
    /// Too many failures lately: refused without checking.
    Throttled,
}

/// The key attempts on an address are counted under: its normalised form, hashed with the
/// service's secret key.
pub fn email_key(key: &SecretKey, typed: &str) -> String {
    let normalised = EmailAddress::parse(typed)
        .map(|e| e.as_str().to_lowercase())
        .unwrap_or_else(|_| typed.trim().to_lowercase());
    keyed_hash(key, "login-email", &normalised)
}

/// The key attempts from an IP address are counted under: the address hashed with the service's
/// secret key (the IP itself is never stored, and its hash cannot be reversed without the key).
pub fn ip_key(key: &SecretKey, ip: IpAddr) -> String {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    keyed_hash(key, "login-ip", &ip.to_string())
}

/// Checks `password` for the account of `email`, unless attempts are throttled.
pub async fn log_in(
    db: &DatabaseConnection,
    passwords: &Passwords,
    key: &SecretKey,
    email: &str,
    password: &str,
    ip: IpAddr,
) -> Result<LoginOutcome, DomainError> {
    let Some(attempt) = reserve(db, &email_key(key, email), &ip_key(key, ip)).await? else {
        return Ok(LoginOutcome::Throttled);
    };
    let account = match EmailAddress::parse(email) {
        Ok(address) => find_by_email(db, address.as_str()).await?,
        Err(_) => None,
    };
    let stored = account.as_ref().map(|a| a.password_hash.as_str());
    let matches = passwords.verify(password, stored).await?;
    if matches {
        mark_success(db, attempt).await?;
    }
    Ok(match account {
        Some(account) if matches && account.email_verified_at.is_some() => {
            LoginOutcome::LoggedIn(account)
        }
        Some(account) if matches => LoginOutcome::Unverified(account),
        _ => LoginOutcome::WrongCredentials,
    })
}

/// What checking the password of someone already logged in gave (before a sensitive change).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PasswordCheck {
    /// The right password.
    Right,
    /// A wrong password.
    Wrong,
    /// Too many failures lately: refused without checking.
    Throttled,
}

/// Checks the password of a logged-in account before a sensitive change (password, address,
/// deletion), counted and throttled like logins so that a stolen session cannot guess it.
pub async fn confirm_password(
    db: &DatabaseConnection,
    passwords: &Passwords,
    key: &SecretKey,
    account: &account::Model,
    password: &str,
    ip: IpAddr,
) -> Result<PasswordCheck, DomainError> {
    let email_key = email_key(key, &account.email);
    let Some(attempt) = reserve(db, &email_key, &ip_key(key, ip)).await? else {
        return Ok(PasswordCheck::Throttled);
    };
    let right = passwords
        .verify(password, Some(&account.password_hash))
        .await?;
    if right {
        mark_success(db, attempt).await?;
    }
    Ok(if right {
        PasswordCheck::Right
    } else {
        PasswordCheck::Wrong
    })
}

/// Reserves one attempt for this address from this IP before the password is verified: the attempt
/// is written first (counted as a failure until [`mark_success`]), then the attempts in the window
/// are counted, all in one transaction serialised per address and per IP ([`crate::db::lock_names`]).
/// Returns the reserved attempt, or `None` (nothing written) when the limits are reached — so that
/// whatever the concurrency, at most [`ACCOUNT_LIMIT`] guesses per address and [`IP_LIMIT`] per IP
/// are verified in [`WINDOW_MINUTES`].
pub async fn reserve(
    db: &DatabaseConnection,
    email_key: &str,
    ip_key: &str,
) -> Result<Option<i64>, DbErr> {
    let txn = db.begin().await?;
    crate::db::lock_names(
        &txn,
        &[
            &format!("login-email:{email_key}"),
            &format!("login-ip:{ip_key}"),
        ],
    )
    .await?;
    let reserved = login_attempt::Entity::insert(login_attempt::ActiveModel {
        email_key: Set(email_key.to_owned()),
        ip_key: Set(ip_key.to_owned()),
        success: Set(false),
        created_at: Set(Utc::now()),
        ..Default::default()
    })
    .exec(&txn)
    .await?
    .last_insert_id;
    let (account_failures, ip_failures) = failures(&txn, email_key, ip_key).await?;
    // The reservation itself is among the failures counted.
    if account_failures > ACCOUNT_LIMIT || ip_failures > IP_LIMIT {
        txn.rollback().await?;
        return Ok(None);
    }
    txn.commit().await?;
    Ok(Some(reserved))
}

/// Records that the reserved attempt `id` gave the right password.
async fn mark_success(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    login_attempt::Entity::update_many()
        .col_expr(login_attempt::Column::Success, Expr::value(true))
        .filter(login_attempt::Column::Id.eq(id))
        .exec(db)
        .await?;
    Ok(())
}

/// The failures counted against this address (since its last success) and from this IP, within
/// the window.
async fn failures<C: ConnectionTrait>(
    db: &C,
    email_key: &str,
    ip_key: &str,
) -> Result<(u64, u64), DbErr> {
    let window_start = Utc::now() - Duration::minutes(WINDOW_MINUTES);
    let last_success = login_attempt::Entity::find()
        .filter(login_attempt::Column::EmailKey.eq(email_key))
        .filter(login_attempt::Column::Success.eq(true))
        .filter(login_attempt::Column::CreatedAt.gt(window_start))
        .order_by_desc(login_attempt::Column::CreatedAt)
        .one(db)
        .await?;
    let since = last_success.map_or(window_start, |a| a.created_at);
    let account_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::EmailKey.eq(email_key))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::CreatedAt.gt(since))
        .count(db)
        .await?;
    let ip_failures = login_attempt::Entity::find()
        .filter(login_attempt::Column::IpKey.eq(ip_key))
        .filter(login_attempt::Column::Success.eq(false))
        .filter(login_attempt::Column::CreatedAt.gt(window_start))
        .count(db)
        .await?;
    Ok((account_failures, ip_failures))
}

/// Deletes attempts older than a day at `now` (a periodic background job).
pub async fn clean_up_attempts<C: ConnectionTrait>(
    db: &C,
    now: chrono::DateTime<Utc>,
) -> Result<u64, DbErr> {
    let result = login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::CreatedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_ignore_case_and_spaces_and_never_show_the_ip() {
        let key = SecretKey::from_bytes(vec![7; 32]);
        assert_eq!(
            email_key(&key, " Marie@Exemple.fr "),
            email_key(&key, "marie@exemple.FR")
        );
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let stored = ip_key(&key, ip);
        assert!(stored.len() == 64 && stored.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!stored.contains("192.0.2.7"));
        assert_eq!(
            ip_key(&key, ip),
            ip_key(&key, "::ffff:192.0.2.7".parse().unwrap())
        );
    }

    #[test]
    fn keys_depend_on_the_secret_key() {
        let ip: IpAddr = "192.0.2.7".parse().unwrap();
        let (a, b) = (
            SecretKey::from_bytes(vec![7; 32]),
            SecretKey::from_bytes(vec![8; 32]),
        );
        assert_ne!(
            ip_key(&a, ip),
            ip_key(&b, ip),
            "not reversible without the key"
        );
        assert_ne!(
            email_key(&a, "marie@exemple.fr"),
            email_key(&b, "marie@exemple.fr")
        );
    }
}
