//! Per-address limits that hold across every instance: each use is a row of `limit_hit`, counted
//! over a sliding window in the transaction that records it, serialised per key (advisory lock on
//! PostgreSQL, the single write lock on SQLite), so that two instances — or fifty simultaneous
//! submissions — never let more through than the limit. Addresses are stored as keyed hashes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::limit_hit::{self, Column, Entity as LimitHit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, PaginatorTrait,
    QueryFilter, Set,
};

use crate::Config;
use crate::tokens::{SecretKey, keyed_hash};

/// A limit: at most `max` uses per key within `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Its name, stored with each use (and separating the keyed hashes of different limits).
    pub name: &'static str,
    /// The most uses allowed within the window.
    pub max: u64,
    /// How far back uses count.
    pub window: Duration,
}

/// The longest window of any limit: older uses are deleted by the clean-up job.
pub const LONGEST_WINDOW: Duration = Duration::from_secs(24 * 3600);

/// The public account forms — sign-up, forgotten password, new confirmation link — share one count
/// per address: `PUBLIC_FORMS_PER_IP_PER_HOUR` submissions an hour.
pub fn public_forms(config: &Config) -> Limit {
    Limit {
        name: "formulaires_publics",
        max: config.public_forms_per_ip_per_hour.max(1),
        window: Duration::from_secs(3600),
    }
}

/// Records one use of `limit` by `key` (an address) at `now`, if the limit allows it: true when
/// recorded, false — and nothing recorded — when `limit.max` uses already happened within the
/// window.
pub async fn try_use(
    db: &DatabaseConnection,
    secret: &SecretKey,
    limit: Limit,
    key: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let key_hash = keyed_hash(secret, limit.name, key);
    let txn = crate::db::begin_write(db).await?;
    crate::db::lock_names(&txn, &[&format!("limit:{}:{key_hash}", limit.name)]).await?;
    // Written first: on SQLite this takes the write lock before counting.
    limit_hit::ActiveModel {
        name: Set(limit.name.to_owned()),
        key_hash: Set(key_hash.clone()),
        at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let since =
        now - chrono::Duration::from_std(limit.window).unwrap_or(chrono::Duration::hours(1));
    let used = LimitHit::find()
        .filter(Column::Name.eq(limit.name))
        .filter(Column::KeyHash.eq(key_hash))
        .filter(Column::At.gt(since))
        .count(&txn)
        .await?;
    if used > limit.max {
        txn.rollback().await?;
        return Ok(false);
    }
    txn.commit().await?;
    Ok(true)
}

/// Deletes the uses older than [`LONGEST_WINDOW`] before `now`; returns how many.
pub async fn clean_up(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<u64, DbErr> {
    let before =
        now - chrono::Duration::from_std(LONGEST_WINDOW).unwrap_or(chrono::Duration::days(1));
    Ok(LimitHit::delete_many()
        .filter(Column::At.lt(before))
        .exec(db)
        .await?
        .rows_affected)
}
