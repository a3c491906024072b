//! Restoring a SQLite backup over a stopped database, keeping the replaced one aside.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteLockingMode};
use sea_orm::sqlx::{self, Connection};

use super::{BackupError, Inspection, inspect, partial_path, sync_folder, vacuum_into};

/// How long the restore waits for the database before concluding that a service holds it.
const IN_USE_TIMEOUT: Duration = Duration::from_millis(500);

/// What `restore_sqlite` did.
#[derive(Debug)]
pub struct RestoreSummary {
    /// The database file now holding the backup's contents.
    pub database: PathBuf,
    /// Where the database it replaced was kept, if there was one.
    pub previous: Option<PathBuf>,
    /// What the restored database holds.
    pub contents: Inspection,
}

impl fmt::Display for RestoreSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Database {} restored.", self.database.display())?;
        if let Some(previous) = &self.previous {
            writeln!(
                f,
                "The database it replaced is kept as {} (delete it once the restore is confirmed).",
                previous.display()
            )?;
        }
        write!(f, "{}", self.contents)
    }
}

/// Replaces the SQLite database `database` (which may not exist yet) with a copy of the backup
/// `from`, once `from` has passed [`inspect`] and no other process has `database` open. The
/// replaced file is kept as `<database>.before-restore-<now>`, its write-ahead log folded in; the
/// new one gets its permissions and owner.
pub async fn restore_sqlite(
    from: &Path,
    database: &Path,
    now: DateTime<Utc>,
) -> Result<RestoreSummary, BackupError> {
    if !from.is_file() {
        return Err(BackupError::Missing(from.to_path_buf()));
    }
    if database.exists() && same_file(from, database)? {
        return Err(BackupError::SameFile(from.to_path_buf()));
    }
    inspect(from).await?;

    let previous = if database.exists() {
        let name = database
            .file_name()
            .ok_or_else(|| BackupError::Missing(database.to_path_buf()))?;
        let kept = database.with_file_name(format!(
            "{}.before-restore-{}",
            name.to_string_lossy(),
            now.format("%Y%m%dT%H%M%SZ")
        ));
        if kept.exists() {
            return Err(BackupError::DestinationExists(kept));
        }
        settle(database).await?;
        Some(kept)
    } else {
        None
    };

    let partial = partial_path(database)?;
    let copied = async {
        let options = SqliteConnectOptions::new().filename(from).read_only(true);
        vacuum_into(options, from, &partial).await?;
        if previous.is_some() {
            same_access(database, &partial)?;
        }
        inspect(&partial).await
    }
    .await;
    let contents = match copied {
        Ok(contents) => contents,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };

    if let Some(kept) = &previous {
        // A second name for the old file, so that the rename below swaps the database in one
        // step; where hard links are not possible, the old file moves aside first.
        std::fs::hard_link(database, kept)
            .or_else(|_| std::fs::rename(database, kept))
            .map_err(BackupError::io(
                "cannot keep the previous database as",
                kept,
            ))?;
    }
    std::fs::rename(&partial, database).map_err(BackupError::io(
        "cannot move the restored database to",
        database,
    ))?;
    sync_folder(database)?;
    Ok(RestoreSummary {
        database: database.to_path_buf(),
        previous,
        contents: Inspection {
            path: database.to_path_buf(),
            ..contents
        },
    })
}

/// Makes sure nobody has `database` open, then folds its write-ahead log into the file and leaves
/// it without `-wal` or `-shm` companions, so that the file alone is the whole database.
async fn settle(database: &Path) -> Result<(), BackupError> {
    // In exclusive locking mode SQLite needs a lock on the file itself that any other open
    // connection (even idle, in WAL mode) prevents, and never uses the -shm file.
    let options = SqliteConnectOptions::new()
        .filename(database)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(IN_USE_TIMEOUT);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| busy_or(database, e))?;
    let settled = async {
        for statement in [
            "BEGIN EXCLUSIVE",
            "SELECT COUNT(*) FROM sqlite_master",
            "COMMIT",
        ] {
            sqlx::query(statement)
                .execute(&mut conn)
                .await
                .map_err(|e| busy_or(database, e))?;
        }
        for statement in [
            "PRAGMA wal_checkpoint(TRUNCATE)",
            "PRAGMA journal_mode = DELETE",
        ] {
            sqlx::query(statement)
                .fetch_all(&mut conn)
                .await
                .map_err(BackupError::sqlite(database))?;
        }
        Ok(())
    }
    .await;
    conn.close().await.map_err(BackupError::sqlite(database))?;
    settled?;

    for suffix in ["-wal", "-shm"] {
        let mut companion = database.as_os_str().to_owned();
        companion.push(suffix);
        let companion = PathBuf::from(companion);
        let Ok(meta) = std::fs::metadata(&companion) else {
            continue;
        };
        if suffix == "-wal" && meta.len() > 0 {
            let left = std::io::Error::other("it should have been folded into the database");
            return Err(BackupError::io("a write-ahead log is left:", &companion)(
                left,
            ));
        }
        std::fs::remove_file(&companion).map_err(BackupError::io("cannot remove", &companion))?;
    }
    Ok(())
}

/// Whether SQLite's `error` says another connection holds the database.
fn busy_or(database: &Path, error: sqlx::Error) -> BackupError {
    let busy = error
        .as_database_error()
        .and_then(|e| e.code())
        .and_then(|code| code.parse::<i32>().ok())
        .is_some_and(|code| matches!(code & 0xff, 5 | 6)); // SQLITE_BUSY, SQLITE_LOCKED
    if busy {
        BackupError::InUse(database.to_path_buf())
    } else {
        BackupError::sqlite(database)(error)
    }
}

fn same_file(a: &Path, b: &Path) -> Result<bool, BackupError> {
    let a = std::fs::canonicalize(a).map_err(BackupError::io("cannot read", a))?;
    let b = std::fs::canonicalize(b).map_err(BackupError::io("cannot read", b))?;
    Ok(a == b)
}

/// Gives `to` the permissions and owner of `from`, so that the service (often another user than
/// the one restoring) can still open its database.
fn same_access(from: &Path, to: &Path) -> Result<(), BackupError> {
    let old = std::fs::metadata(from).map_err(BackupError::io("cannot read", from))?;
    std::fs::set_permissions(to, old.permissions())
        .map_err(BackupError::io("cannot set the permissions of", to))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let new = std::fs::metadata(to).map_err(BackupError::io("cannot read", to))?;
        if (new.uid(), new.gid()) != (old.uid(), old.gid()) {
            std::os::unix::fs::chown(to, Some(old.uid()), Some(old.gid())).map_err(
                BackupError::io("cannot give the previous database's owner to", to),
            )?;
        }
    }
    Ok(())
}
