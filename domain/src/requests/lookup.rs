//! The way back for people without e-mail: `/suivi` opens a follow-up page from the request's
//! reference and the last four digits of a telephone number it holds (the person's or, for a
//! relative's request, the relative's), instead of a 64-character link nobody copies by hand.
//!
//! Guessing is throttled in the database (so that every instance counts the same attempts):
//! [`FAILURES_PER_ADDRESS`] failed attempts an hour from one address, [`FAILURES_PER_REFERENCE`]
//! for one reference, counted whether or not the reference exists. The answer to a wrong pair is
//! the same whether the reference exists or not, and both paths do the same work (one lookup,
//! one decryption, one comparison of four digits, one row written).

use chrono::{DateTime, Duration, Utc};
use entity::{follow_lookup, help_request};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, Set, TransactionTrait,
};

use crate::Config;
use crate::error::DomainError;
use crate::tokens::{keyed_hash, open_follow_secret, seal_follow_secret};

/// Failed attempts allowed from one address within [`WINDOW_MINUTES`].
pub const FAILURES_PER_ADDRESS: u64 = 10;
/// Failed attempts allowed for one reference within [`WINDOW_MINUTES`], from anywhere.
pub const FAILURES_PER_REFERENCE: u64 = 5;
/// The window the failures are counted in.
pub const WINDOW_MINUTES: i64 = 60;

/// What a lookup found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    /// The pair matched: the follow-up page's secret.
    Page(String),
    /// No request has this reference with these digits (or it cannot be opened any more).
    Nothing,
    /// Too many failed attempts: try again later.
    TooMany,
}

/// `ENT-7K3F9Q` from what a person typed (`ent 7k3f9q`, `7K3F9Q`, `ENT-7K3F9Q`).
pub fn normalise_reference(typed: &str) -> String {
    let compact: String = typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let code = compact.strip_prefix("ENT").unwrap_or(&compact);
    format!("ENT-{code}")
}

/// The digits typed, when they are exactly four.
fn four_digits(typed: &str) -> Option<String> {
    let digits: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit())).then_some(digits)
}

/// Whether `digits` end one of `request`'s telephone numbers (compared without early exit).
fn digits_match(request: &help_request::Model, digits: &str) -> bool {
    let mut matched = false;
    for number in [&request.telephone, &request.telephone_proche]
        .into_iter()
        .flatten()
    {
        let tail = number.get(number.len().saturating_sub(4)..).unwrap_or("");
        let same = tail.len() == 4
            && tail
                .bytes()
                .zip(digits.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0;
        matched |= same;
    }
    matched
}

/// Looks up the request `reference` by the last four `digits` of its telephone, for a client at
/// `address`: its follow-up secret, nothing, or "too many attempts".
pub async fn find(
    db: &DatabaseConnection,
    config: &Config,
    address: &str,
    reference: &str,
    digits: &str,
    now: DateTime<Utc>,
) -> Result<Found, DomainError> {
    let reference = normalise_reference(reference);
    let ip_key = keyed_hash(&config.secret_key, "follow-lookup/ip", address);
    let reference_key = keyed_hash(&config.secret_key, "follow-lookup/reference", &reference);
    let txn = db.begin().await?;
    crate::db::lock_names(
        &txn,
        &[
            &format!("follow-lookup:ip:{ip_key}"),
            &format!("follow-lookup:ref:{reference_key}"),
        ],
    )
    .await?;
    let since = now - Duration::minutes(WINDOW_MINUTES);
    let failures = |column: follow_lookup::Column, key: &str| {
        follow_lookup::Entity::find()
            .filter(column.eq(key.to_owned()))
            .filter(follow_lookup::Column::Success.eq(false))
            .filter(follow_lookup::Column::CreatedAt.gt(since))
            .count(&txn)
    };
    if failures(follow_lookup::Column::IpKey, &ip_key).await? >= FAILURES_PER_ADDRESS
        || failures(follow_lookup::Column::ReferenceKey, &reference_key).await?
            >= FAILURES_PER_REFERENCE
    {
        txn.commit().await?;
        return Ok(Found::TooMany);
    }
    let request = help_request::Entity::find()
        .filter(help_request::Column::Reference.eq(reference.clone()))
        .filter(help_request::Column::ErasedAt.is_null())
        .one(&txn)
        .await?;
    // The same work whether the reference exists or not: one decryption, one comparison.
    let (sealed, request) = match request {
        Some(r) => (r.follow_token_sealed.clone().unwrap_or_default(), Some(r)),
        None => (
            seal_follow_secret(&config.secret_key, &reference, &"0".repeat(64)),
            None,
        ),
    };
    let secret = open_follow_secret(&config.secret_key, &reference, &sealed);
    let digits = four_digits(digits).unwrap_or_else(|| "----".to_owned());
    let matched = request
        .as_ref()
        .is_some_and(|r| digits_match(r, &digits) && secret.is_some());
    follow_lookup::ActiveModel {
        ip_key: Set(ip_key),
        reference_key: Set(reference_key),
        success: Set(matched),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(match (matched, secret) {
        (true, Some(secret)) => Found::Page(secret),
        _ => Found::Nothing,
    })
}

/// Deletes attempts older than a day at `now` (with the login attempts' clean-up).
pub async fn clean_up<C: ConnectionTrait>(db: &C, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let result = follow_lookup::Entity::delete_many()
        .filter(follow_lookup::Column::CreatedAt.lt(now - Duration::days(1)))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_read_as_people_type_them() {
        for typed in ["ENT-7K3F9Q", "ent 7k3f9q", "7K3F9Q", " Ent-7k3f9q "] {
            assert_eq!(normalise_reference(typed), "ENT-7K3F9Q", "{typed}");
        }
    }

    #[test]
    fn four_digits_and_nothing_else() {
        assert_eq!(four_digits(" 56 78 ").as_deref(), Some("5678"));
        assert_eq!(four_digits("567"), None);
        assert_eq!(four_digits("5678a"), None);
    }
}
