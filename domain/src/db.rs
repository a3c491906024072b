//! Database connection: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL, chosen by the URL,
//! and the migrations.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

/// How long a SQLite writer waits for another one before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's page cache per connection, in KiB (SQLite's default is 2 MiB): with a million requests
/// the upper levels of the indexes a submission walks no longer fit in 2 MiB, and every page
/// read outside the cache is a system call.
const SQLITE_CACHE_KIB: i64 = 64 * 1024;

/// Opens a connection pool to `url`, creating the SQLite file if it is missing.
pub async fn connect(url: &str, max_connections: u32) -> Result<DatabaseConnection, DbErr> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(15))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                .pragma("cache_size", format!("-{SQLITE_CACHE_KIB}"))
        });
    if !url.starts_with("sqlite:") {
        return Database::connect(options).await;
    }
    // Two instances opening a new SQLite file at once: turning it to WAL takes a lock SQLite's
    // busy timeout does not wait for, so the one that loses the race tries again shortly.
    let started = std::time::Instant::now();
    loop {
        match Database::connect(options.clone()).await {
            Err(err) if is_locked(&err) && started.elapsed() < SQLITE_BUSY_TIMEOUT => {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            result => return result,
        }
    }
}

/// Whether `err` is SQLite's "database is locked" (`SQLITE_BUSY`, code 5).
fn is_locked(err: &DbErr) -> bool {
    match err {
        DbErr::Conn(sea_orm::RuntimeErr::SqlxError(err)) => err
            .as_database_error()
            .and_then(|db| db.code())
            .is_some_and(|code| code == "5"),
        _ => false,
    }
}

/// Applies every migration not yet applied; running it again changes nothing. Instances starting
/// together take turns, in one transaction that holds a lock while it applies them (an advisory
/// lock on PostgreSQL; on SQLite the write lock, taken by a first write before anything is read),
/// so that none applies a migration another is applying.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    let postgres = db.get_database_backend() == sea_orm::DbBackend::Postgres;
    // SQLite: nothing to apply (every start but the first after an upgrade) takes no write lock.
    // (On PostgreSQL even this look creates the migrations table, so it waits for the lock.)
    if !postgres && Migrator::get_pending_migrations(db).await?.is_empty() {
        return Ok(());
    }
    let txn = db.begin().await?;
    if postgres {
        lock_names(&txn, &["entraide:migrations"]).await?;
    } else {
        txn.execute_unprepared("CREATE TABLE IF NOT EXISTS entraide_lock (name TEXT PRIMARY KEY)")
            .await?;
        txn.execute_unprepared("INSERT OR REPLACE INTO entraide_lock (name) VALUES ('migrations')")
            .await?;
    }
    Migrator::up(&txn, None).await?;
    txn.commit().await
}

/// Whether the database answers a trivial query.
pub async fn is_ready(db: &DatabaseConnection) -> bool {
    let ping = db.execute_unprepared("SELECT 1");
    matches!(
        tokio::time::timeout(Duration::from_secs(3), ping).await,
        Ok(Ok(_))
    )
}

/// Serialises, until the end of the transaction `txn`, every transaction that takes a lock on one
/// of the same `names` — for a "count, then decide, then write" that must hold under concurrency
/// (attempt limits, per-address limits, a volunteer's load). On PostgreSQL these are
/// transaction-scoped advisory locks, taken in a fixed order so that two callers never wait for
/// each other in a loop. SQLite needs none: its transactions take the database's single write lock
/// at their first write, so callers write first (a reservation row) and count after.
/// Opens a transaction that will write. On SQLite it takes the writer's lock at once
/// (`BEGIN IMMEDIATE`): a deferred transaction that reads first and writes later must upgrade its
/// lock, and when another writer committed in between SQLite refuses the upgrade at once
/// (`SQLITE_BUSY_SNAPSHOT`, which the busy timeout does not cover) instead of waiting its turn.
/// PostgreSQL's transactions are unchanged.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == sea_orm::DbBackend::Sqlite {
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    } else {
        db.begin().await
    }
}

pub async fn lock_names<C: ConnectionTrait>(txn: &C, names: &[&str]) -> Result<(), DbErr> {
    use sea_orm::{DbBackend, Statement};
    use sha2::{Digest, Sha256};

    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<i64> = names
        .iter()
        .map(|name| {
            let digest = Sha256::digest(name.as_bytes());
            i64::from_be_bytes(digest[..8].try_into().expect("a SHA-256 has 32 bytes"))
        })
        .collect();
    keys.sort_unstable();
    keys.dedup();
    for key in keys {
        txn.execute_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_advisory_xact_lock($1)",
            [key.into()],
        ))
        .await?;
    }
    Ok(())
}
