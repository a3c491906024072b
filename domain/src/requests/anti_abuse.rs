//! Keeping robots and floods out of the public form without a CAPTCHA (too hard for the people
//! it serves): a signed time stamp proving the form was shown some seconds earlier, a honeypot
//! field, and a limit of requests per IP address (kept as a keyed hash, never the address).

use std::net::IpAddr;
use std::time::Duration;

use chrono::Utc;
use entity::help_request::{Column, Entity as HelpRequest};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter};

use crate::config::SecretKey;
use crate::tokens::keyed_hash;

/// The hidden field value for a form shown now: `<unix seconds>.<signature>`.
pub fn form_stamp(key: &SecretKey) -> String {
    let now = Utc::now().timestamp().to_string();
    format!("{now}.{}", keyed_hash(key, "request-form", &now))
}

/// Why a submission is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// Sent faster than a person can fill the form, or without a valid stamp.
    TooFast,
    /// The honeypot field was filled.
    Robot,
    /// Too many requests from this address lately.
    TooMany,
}

/// Checks the stamp: genuine, at least `min_fill` old, at most a day old.
pub fn check_stamp(key: &SecretKey, stamp: &str, min_fill: Duration) -> Result<(), Refusal> {
    let (seconds, signature) = stamp.split_once('.').ok_or(Refusal::TooFast)?;
    if keyed_hash(key, "request-form", seconds) != signature {
        return Err(Refusal::TooFast);
    }
    let shown = seconds.parse::<i64>().map_err(|_| Refusal::TooFast)?;
    let elapsed = Utc::now().timestamp() - shown;
    if elapsed < min_fill.as_secs() as i64 || elapsed > 24 * 3600 {
        return Err(Refusal::TooFast);
    }
    Ok(())
}

/// The keyed hash standing for an IP address in the database.
pub fn submitter_key(key: &SecretKey, ip: IpAddr) -> String {
    keyed_hash(key, "submitter-ip", &ip.to_string())
}

/// How many requests this address filed in the last hour (the limit's count; see
/// `intake::create_limited`, which counts within the transaction that writes the new one).
pub async fn recent_requests<C: ConnectionTrait>(db: &C, submitter: &str) -> Result<u64, DbErr> {
    let since = Utc::now() - chrono::Duration::hours(1);
    HelpRequest::find()
        .filter(Column::SubmitterKey.eq(submitter))
        .filter(Column::CreatedAt.gt(since))
        .count(db)
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SecretKey {
        crate::Config::from_lookup(|_| None).unwrap().secret_key
    }

    #[test]
    fn a_fresh_stamp_is_too_fast_and_a_forged_one_is_refused() {
        let key = key();
        let stamp = form_stamp(&key);
        assert_eq!(
            check_stamp(&key, &stamp, Duration::from_secs(3)),
            Err(Refusal::TooFast)
        );
        assert_eq!(check_stamp(&key, &stamp, Duration::ZERO), Ok(()));
        let old = (Utc::now().timestamp() - 10).to_string();
        assert_eq!(
            check_stamp(&key, &format!("{old}.{}", "0".repeat(64)), Duration::ZERO),
            Err(Refusal::TooFast)
        );
        let signed_old = format!("{old}.{}", keyed_hash(&key, "request-form", &old));
        assert_eq!(
            check_stamp(&key, &signed_old, Duration::from_secs(3)),
            Ok(())
        );
        assert_eq!(check_stamp(&key, "", Duration::ZERO), Err(Refusal::TooFast));
    }

    #[test]
    fn addresses_are_hashed_with_the_key() {
        let ip: IpAddr = "203.0.113.7".parse().unwrap();
        let (a, b) = (key(), key());
        assert_eq!(submitter_key(&a, ip), submitter_key(&a, ip));
        assert_ne!(submitter_key(&a, ip), submitter_key(&b, ip));
        // A 64-digit hexadecimal MAC: the address itself never shows (a check on "203" alone
        // would fail now and then, as hexadecimal digits may spell it by chance).
        let stored = submitter_key(&a, ip);
        assert!(stored.len() == 64 && stored.chars().all(|c| c.is_ascii_hexdigit()));
        assert!(!stored.contains("203.0.113.7"));
    }
}
