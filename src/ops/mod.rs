//! Running the service: the figures an operator watches, read once ([`snapshot`]) and shown two
//! ways — Prometheus metrics on their own listener (`METRICS_ADDR`, [`metrics`]) and the admins'
//! page `/admin/sante` — with the judgement of each figure ([`health`]).

pub mod figures;
pub mod health;
pub mod http;
pub mod jobs;
pub mod metrics;

use chrono::{DateTime, Utc};
use sea_orm::{DatabaseConnection, DbBackend, DbErr};

use crate::AppState;
use crate::accounts::password::HashQueue;
use figures::Figures;
use jobs::JobRun;

/// Every figure of the service at one moment: the database's and this process's.
#[derive(Clone, Debug)]
pub struct Snapshot {
    /// What the database holds (outbox, requests, proposals, size).
    pub figures: Figures,
    /// The database connection pool.
    pub pool: PoolUsage,
    /// Password hashing.
    pub passwords: HashQueue,
    /// The periodic jobs of this process (none when `WORKERS=false`).
    pub jobs: Vec<JobRun>,
}

/// How the database connection pool is used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolUsage {
    /// Connections lent to a query or transaction.
    pub in_use: u32,
    /// Connections open and free.
    pub idle: u32,
    /// The most the pool opens (`DB_MAX_CONNECTIONS`).
    pub max: u32,
}

/// Reads every figure as of `now`.
pub async fn snapshot(state: &AppState, now: DateTime<Utc>) -> Result<Snapshot, DbErr> {
    // The pool first: a connection this read has just used goes back to the pool a moment later.
    let pool = pool_usage(&state.db, state.config.db_max_connections);
    Ok(Snapshot {
        figures: figures::read(&state.db, now).await?,
        pool,
        passwords: state.passwords.queue(),
        jobs: state.jobs.all(),
    })
}

/// The pool's connections in use and idle right now.
pub fn pool_usage(db: &DatabaseConnection, max: u32) -> PoolUsage {
    let (size, idle) = match db.get_database_backend() {
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            (pool.size(), pool.num_idle())
        }
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            (pool.size(), pool.num_idle())
        }
        _ => (0, 0),
    };
    let idle = u32::try_from(idle).unwrap_or(u32::MAX);
    PoolUsage {
        in_use: size.saturating_sub(idle),
        idle,
        max,
    }
}
