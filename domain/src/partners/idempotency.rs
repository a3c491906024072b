//! `Idempotency-Key`: the first answer to a partner's call is remembered per key, so that a
//! retried call (a timeout, a lost connection) gets that answer again and never files a second
//! request. The row is claimed before the work and settled after it: a concurrent duplicate finds
//! the claim and is told to retry later, a retry with another body is refused.

use chrono::{DateTime, Utc};
use entity::api_idempotency::{self, Column, Entity as Remembered};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set, SqlErr,
};
use sha2::{Digest, Sha256};

/// The longest `Idempotency-Key` accepted.
pub const MAX_KEY_LEN: usize = 255;

/// Whether `key` is a usable `Idempotency-Key`: 1 to [`MAX_KEY_LEN`] visible ASCII characters.
pub fn is_valid_key(key: &str) -> bool {
    !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic())
}

/// The fingerprint of a call's body, stored to recognise a retry of the same call.
pub fn body_hash(body: &[u8]) -> String {
    Sha256::digest(body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// What to do with a call carrying an `Idempotency-Key`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First time: do the work, then [`settle`] (or [`release`]) the claim `id`.
    New(i64),
    /// Already answered: give this answer again.
    Replay { status: u16, body: String },
    /// The same key came with another body.
    Mismatch,
    /// The first call with this key is still being answered.
    InProgress,
}

/// Claims `idempotency_key` for `api_key_id` and the body whose hash is `request_hash`.
pub async fn claim(
    db: &DatabaseConnection,
    api_key_id: i64,
    idempotency_key: &str,
    request_hash: &str,
    now: DateTime<Utc>,
) -> Result<Claim, DbErr> {
    let inserted = api_idempotency::ActiveModel {
        api_key_id: Set(api_key_id),
        idempotency_key: Set(idempotency_key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        status: Set(0),
        body: Set(String::new()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await;
    match inserted {
        Ok(row) => Ok(Claim::New(row.id)),
        Err(err) if matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_))) => {
            let Some(first) = Remembered::find()
                .filter(Column::ApiKeyId.eq(api_key_id))
                .filter(Column::IdempotencyKey.eq(idempotency_key))
                .one(db)
                .await?
            else {
                // Released between our insert and this read: the caller may simply retry.
                return Ok(Claim::InProgress);
            };
            Ok(if first.request_hash != request_hash {
                Claim::Mismatch
            } else if first.status == 0 {
                Claim::InProgress
            } else {
                Claim::Replay {
                    status: u16::try_from(first.status).unwrap_or(500),
                    body: first.body,
                }
            })
        }
        Err(err) => Err(err),
    }
}

/// Stores the answer of the claim `id`, for the retries.
pub async fn settle(
    db: &DatabaseConnection,
    id: i64,
    status: u16,
    body: &str,
) -> Result<(), DbErr> {
    api_idempotency::ActiveModel {
        id: Set(id),
        status: Set(i32::from(status)),
        body: Set(body.to_owned()),
        ..Default::default()
    }
    .update(db)
    .await
    .map(|_| ())
}

/// Forgets the claim `id` (the call failed on our side: a retry must do the work).
pub async fn release(db: &DatabaseConnection, id: i64) -> Result<(), DbErr> {
    Remembered::delete_by_id(id).exec(db).await.map(|_| ())
}

/// Deletes the answers remembered before `before`; returns how many.
pub async fn clean_up(db: &DatabaseConnection, before: DateTime<Utc>) -> Result<u64, DbErr> {
    Ok(Remembered::delete_many()
        .filter(Column::CreatedAt.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_short_visible_ascii() {
        assert!(is_valid_key("appel-2026-11-30-0042"));
        assert!(!is_valid_key(""));
        assert!(!is_valid_key("avec espace"));
        assert!(!is_valid_key("é"));
        assert!(!is_valid_key(&"x".repeat(MAX_KEY_LEN + 1)));
    }
}
