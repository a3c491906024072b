//! The claim, lease and backoff every durable outbox shares (e-mail, SMS, webhook deliveries).
//!
//! An outbox table has the columns `id`, `status` (an [`OutboxStatus`] slug), `attempts`,
//! `next_attempt_at`, `locked_by`, `locked_until`, `last_error` and `sent_at`. Its rows go
//! `pending` (waiting for their next attempt) → `sending` (claimed by a worker until its lease
//! ends) → `sent`; after too many failures, `failed` (an operator may requeue them). The same SQL
//! serves every table: the table's name is the parameter ([`OutboxRow::TABLE`]).

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

pub use entity::states::OutboxStatus;

/// A row of an outbox table, as the claim returns it.
pub trait OutboxRow: FromQueryResult + Send + Sync {
    /// The table's name (a constant of the code, never user input).
    const TABLE: &'static str;
    /// The row's id.
    fn id(&self) -> i64;
}

impl OutboxRow for entity::outbox_email::Model {
    const TABLE: &'static str = "outbox_email";
    fn id(&self) -> i64 {
        self.id
    }
}

/// The placeholder for the `n`-th parameter (1-based) on `backend`.
/// (`$n` on PostgreSQL, `?n` on SQLite: both may repeat a numbered parameter).
fn param(backend: DbBackend, n: usize) -> String {
    match backend {
        DbBackend::Postgres => format!("${n}"),
        _ => format!("?{n}"),
    }
}

fn statement(backend: DbBackend, sql: String, values: Vec<Value>) -> Statement {
    Statement::from_sql_and_values(backend, sql, values)
}

/// Claims up to `limit` rows of `R::TABLE` that are due at `now` (or whose previous worker's lease
/// ran out) for `worker`, until `now + lease`. Two workers never claim the same row: on PostgreSQL
/// the rows are locked with `FOR UPDATE SKIP LOCKED`, and SQLite runs one write at a time. Rows
/// abandoned by a dead worker after their last allowed attempt are marked failed first.
pub async fn claim<R: OutboxRow, C: ConnectionTrait>(
    db: &C,
    worker: &str,
    limit: u64,
    lease: Duration,
    max_attempts: i32,
    now: DateTime<Utc>,
) -> Result<Vec<R>, DbErr> {
    give_up_abandoned::<R, C>(db, now, max_attempts).await?;
    claim_due(db, worker, limit, lease, now).await
}

/// [`claim`] without its first step, for a table that gives up abandoned rows by another rule
/// (webhook deliveries: a day after their event, whatever the attempts).
pub async fn claim_due<R: OutboxRow, C: ConnectionTrait>(
    db: &C,
    worker: &str,
    limit: u64,
    lease: Duration,
    now: DateTime<Utc>,
) -> Result<Vec<R>, DbErr> {
    let until = now + chrono::Duration::from_std(lease).unwrap_or(chrono::Duration::minutes(5));
    let backend = db.get_database_backend();
    let table = R::TABLE;
    let lock = match backend {
        DbBackend::Postgres => "FOR UPDATE SKIP LOCKED",
        _ => "",
    };
    let values: Vec<Value> = vec![
        worker.into(),
        until.into(),
        now.into(),
        (limit as i64).into(),
    ];
    let p = |n| param(backend, n);
    // Two ordered index walks (due rows, expired leases), each stopping at the limit, rather
    // than one `OR`: the `OR` made both databases read and sort every due row of a backlog
    // before keeping the first `limit` (44 ms per claim on PostgreSQL with 30,000 waiting).
    let sql = format!(
        "UPDATE {table} SET status = 'sending', attempts = attempts + 1, locked_by = {p1}, locked_until = {p2} \
         WHERE id IN (SELECT id FROM ( \
             SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at FROM {table} \
                 WHERE status = 'pending' AND next_attempt_at <= {p3} \
                 ORDER BY next_attempt_at, id LIMIT {p4} {lock}) due \
             UNION ALL \
             SELECT id, next_attempt_at FROM (SELECT id, next_attempt_at FROM {table} \
                 WHERE status = 'sending' AND locked_until < {p3} \
                 ORDER BY next_attempt_at, id LIMIT {p4} {lock}) expired \
             ) claimable ORDER BY next_attempt_at, id LIMIT {p4}) \
         RETURNING *",
        p1 = p(1),
        p2 = p(2),
        p3 = p(3),
        p4 = p(4),
    );
    let mut rows = R::find_by_statement(statement(backend, sql, values))
        .all(db)
        .await?;
    rows.sort_by_key(|row| row.id());
    Ok(rows)
}

/// Marks as failed the rows whose worker died holding them after their last allowed attempt.
async fn give_up_abandoned<R: OutboxRow, C: ConnectionTrait>(
    db: &C,
    now: DateTime<Utc>,
    max_attempts: i32,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let p = |n| param(backend, n);
    let sql = format!(
        "UPDATE {table} SET status = 'failed', locked_by = NULL, locked_until = NULL, last_error = {p1} \
         WHERE status = 'sending' AND locked_until < {p2} AND attempts >= {p3}",
        table = R::TABLE,
        p1 = p(1),
        p2 = p(2),
        p3 = p(3),
    );
    let values: Vec<Value> = vec![
        "abandoned by its worker after the last attempt".into(),
        now.into(),
        max_attempts.into(),
    ];
    db.execute_raw(statement(backend, sql, values)).await?;
    Ok(())
}

/// Records a failed attempt of `row`, claimed by `worker`: it waits until `next` for its next
/// attempt, or is marked failed when `give_up`. `error` is kept (at most 2,000 characters).
pub async fn record_failure<R: OutboxRow, C: ConnectionTrait>(
    db: &C,
    row: &R,
    worker: &str,
    error: &str,
    give_up: bool,
    next: DateTime<Utc>,
) -> Result<(), DbErr> {
    let error: String = error.chars().take(2000).collect();
    let backend = db.get_database_backend();
    let p = |n| param(backend, n);
    let sql = format!(
        "UPDATE {table} SET status = {p1}, next_attempt_at = {p2}, last_error = {p3}, \
         locked_by = NULL, locked_until = NULL WHERE id = {p4} AND locked_by = {p5}",
        table = R::TABLE,
        p1 = p(1),
        p2 = p(2),
        p3 = p(3),
        p4 = p(4),
        p5 = p(5),
    );
    let status = if give_up {
        OutboxStatus::Failed
    } else {
        OutboxStatus::Pending
    };
    let values: Vec<Value> = vec![
        status.slug().into(),
        next.into(),
        error.into(),
        row.id().into(),
        worker.into(),
    ];
    db.execute_raw(statement(backend, sql, values)).await?;
    Ok(())
}

/// Records that `worker` delivered the rows `ids` of `R::TABLE` it claimed, at `now`.
pub async fn mark_sent<R: OutboxRow, C: ConnectionTrait>(
    db: &C,
    ids: &[i64],
    worker: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    let p = |n| param(backend, n);
    for chunk in ids.chunks(CHUNK) {
        let list: Vec<String> = (0..chunk.len()).map(|i| p(i + 3)).collect();
        let sql = format!(
            "UPDATE {table} SET status = 'sent', sent_at = {p1}, locked_by = NULL, locked_until = NULL, \
             last_error = NULL WHERE locked_by = {p2} AND id IN ({list})",
            table = R::TABLE,
            p1 = p(1),
            p2 = p(2),
            list = list.join(", "),
        );
        let mut values: Vec<Value> = vec![now.into(), worker.into()];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        db.execute_raw(statement(backend, sql, values)).await?;
    }
    Ok(())
}

/// How many rows of `table` are in each state, by slug, in the slugs' order.
pub async fn counts<C: ConnectionTrait>(
    db: &C,
    table: &'static str,
) -> Result<Vec<(String, i64)>, DbErr> {
    #[derive(FromQueryResult)]
    struct Count {
        status: String,
        n: i64,
    }
    let backend = db.get_database_backend();
    let sql = format!("SELECT status, COUNT(id) AS n FROM {table} GROUP BY status ORDER BY status");
    let rows = Count::find_by_statement(statement(backend, sql, Vec::new()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|c| (c.status, c.n)).collect())
}

/// Rows handled per statement (well below every database's parameter limit).
pub const CHUNK: usize = 500;

/// Puts the failed rows `ids` of `table` back in the queue for an immediate new series of attempts
/// (due at `now`); returns how many (those still failed).
pub async fn requeue_failed<C: ConnectionTrait>(
    db: &C,
    table: &'static str,
    ids: &[i64],
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let backend = db.get_database_backend();
    let p = |n| param(backend, n);
    let mut queued = 0;
    for chunk in ids.chunks(CHUNK) {
        let list: Vec<String> = (0..chunk.len()).map(|i| p(i + 2)).collect();
        let sql = format!(
            "UPDATE {table} SET status = 'pending', attempts = 0, next_attempt_at = {p1} \
             WHERE status = 'failed' AND id IN ({list})",
            p1 = p(1),
            list = list.join(", "),
        );
        let mut values: Vec<Value> = vec![now.into()];
        values.extend(chunk.iter().map(|id| Value::from(*id)));
        queued += db
            .execute_raw(statement(backend, sql, values))
            .await?
            .rows_affected();
    }
    Ok(queued)
}

/// How many rows one statement of [`delete_sent`] deletes at most.
pub const DELETE_BATCH: u64 = 1_000;

/// Deletes the rows of `table` sent more than `keep_days` days before `now`; returns how many.
/// Failed and waiting rows stay. It deletes [`DELETE_BATCH`] rows per statement, each statement
/// its own transaction when `db` is the pool: after a long pause of the workers (or a large
/// import) the backlog of old rows is worked through in short writes, between which the intake
/// and the outbox workers get SQLite's single writer, instead of one write holding it for
/// seconds.
pub async fn delete_sent<C: ConnectionTrait>(
    db: &C,
    table: &'static str,
    now: DateTime<Utc>,
    keep_days: u32,
) -> Result<u64, DbErr> {
    let limit = now - chrono::Duration::days(i64::from(keep_days));
    let backend = db.get_database_backend();
    let sql = format!(
        "DELETE FROM {table} WHERE id IN (SELECT id FROM {table} \
         WHERE status = 'sent' AND sent_at < {p1} LIMIT {DELETE_BATCH})",
        p1 = param(backend, 1)
    );
    let mut deleted = 0;
    loop {
        let batch = db
            .execute_raw(statement(backend, sql.clone(), vec![limit.into()]))
            .await?
            .rows_affected();
        deleted += batch;
        if batch < DELETE_BATCH {
            return Ok(deleted);
        }
    }
}

/// The wait after the `attempt`-th failure: `base`, doubling at each failure, at most `max`.
pub fn retry_delay(attempt: i32, base: Duration, max: Duration) -> Duration {
    let doublings = attempt.saturating_sub(1).clamp(0, 30) as u32;
    base.saturating_mul(1u32 << doublings).min(max)
}

/// When the next attempt after the `attempt`-th failure at `now` is due, and whether to give up
/// instead (`attempt` reached `max_attempts`).
pub fn after_failure(
    attempt: i32,
    max_attempts: i32,
    base: Duration,
    max: Duration,
    now: DateTime<Utc>,
) -> (bool, DateTime<Utc>) {
    let delay = retry_delay(attempt, base, max);
    let next = now + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::hours(6));
    (attempt >= max_attempts, next)
}

#[cfg(test)]
mod tests {
    use super::retry_delay;
    use std::time::Duration;

    #[test]
    fn retries_back_off_exponentially_up_to_a_ceiling() {
        let (base, max) = (Duration::from_secs(60), Duration::from_secs(6 * 3600));
        assert_eq!(retry_delay(1, base, max), Duration::from_secs(60));
        assert_eq!(retry_delay(2, base, max), Duration::from_secs(120));
        assert_eq!(retry_delay(5, base, max), Duration::from_secs(960));
        assert_eq!(retry_delay(9, base, max), Duration::from_secs(15_360));
        assert_eq!(retry_delay(10, base, max), max);
        assert_eq!(retry_delay(1000, base, max), max);
    }
}
