//! Backups and restores of the database, behind `entraide backup` and `entraide restore`.
//!
//! SQLite: [`backup_sqlite`] copies the live database with `VACUUM INTO` — a consistent snapshot
//! taken inside one read transaction, so the service keeps running and writing meanwhile — into a
//! temporary file of the destination's folder, checks it, then renames it into place: the
//! destination never holds a half-written copy. An existing destination is refused unless the
//! caller allows overwriting it. [`restore_sqlite`] checks that a file is an Entraide database at
//! a known migration ([`inspect`]) before replacing a stopped database with it, keeping the
//! replaced one aside.
//!
//! PostgreSQL: nothing is copied here; [`PostgresAdvice`] gives the `pg_dump` and `pg_restore`
//! commands to use instead.

mod inspect;
mod postgres;
mod restore;

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, Connection};

pub use inspect::{Inspection, inspect};
pub use postgres::PostgresAdvice;
pub use restore::{RestoreSummary, restore_sqlite};

/// How long the backup waits for the database's locks (a checkpoint, a schema change).
const BACKUP_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The database a `DATABASE_URL` points to, as far as backups are concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    /// A SQLite file.
    Sqlite(PathBuf),
    /// A PostgreSQL database, with its URL stripped of any password.
    Postgres(String),
}

/// Finds the database `database_url` (a `DATABASE_URL` value) points to.
pub fn locate(database_url: &str) -> Result<Database, BackupError> {
    if database_url.starts_with("postgres://") || database_url.starts_with("postgresql://") {
        return Ok(Database::Postgres(postgres::without_password(
            database_url,
        )?));
    }
    let options = SqliteConnectOptions::from_str(database_url)
        .map_err(|e| BackupError::Url(e.to_string()))?;
    let path = options.get_filename();
    if path.as_os_str().is_empty() || path == Path::new(":memory:") {
        return Err(BackupError::Url(
            "an in-memory SQLite database has no file to back up".into(),
        ));
    }
    Ok(Database::Sqlite(path.to_path_buf()))
}

/// Why a backup or a restore did not happen. The messages are for the operator's terminal.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// DATABASE_URL could not be understood.
    #[error("DATABASE_URL: {0}")]
    Url(String),
    /// The database to back up, or the file to restore, does not exist.
    #[error("{0} does not exist")]
    Missing(PathBuf),
    /// The backup's destination exists and overwriting was not allowed.
    #[error("{0} already exists: choose another name, or pass --force to replace it")]
    DestinationExists(PathBuf),
    /// The file to restore is the database it would replace.
    #[error("{0} is the database itself: restore from a backup file")]
    SameFile(PathBuf),
    /// The file is not an Entraide database (not SQLite, or without Entraide's tables).
    #[error("{path} is not an Entraide database: {reason}")]
    NotEntraide {
        /// The file examined.
        path: PathBuf,
        /// What is missing or wrong.
        reason: String,
    },
    /// The file was migrated by a newer version of Entraide than this one.
    #[error(
        "{path} comes from a newer version of Entraide (unknown migrations: {}): restore it with that version",
        .migrations.join(", ")
    )]
    UnknownMigrations {
        /// The file examined.
        path: PathBuf,
        /// The migrations it lists that this version does not know.
        migrations: Vec<String>,
    },
    /// SQLite's integrity check found damage.
    #[error("{path} is damaged: {report}")]
    Damaged {
        /// The file examined.
        path: PathBuf,
        /// The first lines of `PRAGMA integrity_check`.
        report: String,
    },
    /// Another process (a running service) has the database open.
    #[error(
        "{0} is in use (is `entraide serve` or `entraide worker` still running?): stop the service, then restore"
    )]
    InUse(PathBuf),
    /// A file operation failed.
    #[error("{action} {path}: {source}")]
    Io {
        /// What was being done.
        action: &'static str,
        /// The file or folder concerned.
        path: PathBuf,
        /// The system's error.
        source: std::io::Error,
    },
    /// SQLite answered with an error.
    #[error("SQLite error on {path}: {source}")]
    Sqlite {
        /// The file concerned.
        path: PathBuf,
        /// SQLite's error.
        source: sqlx::Error,
    },
}

impl BackupError {
    fn io(action: &'static str, path: &Path) -> impl FnOnce(std::io::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Io {
            action,
            path,
            source,
        }
    }

    fn sqlite(path: &Path) -> impl FnOnce(sqlx::Error) -> Self {
        let path = path.to_path_buf();
        move |source| Self::Sqlite { path, source }
    }
}

/// What `backup_sqlite` wrote.
#[derive(Debug)]
pub struct BackupSummary {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// What the backup holds, as checked after writing it.
    pub contents: Inspection,
}

impl fmt::Display for BackupSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Backup written to {} ({} bytes, integrity checked).",
            self.path.display(),
            self.bytes
        )?;
        write!(f, "{}", self.contents)
    }
}

/// Copies the live SQLite database `database` into `to` without stopping the service, then checks
/// the copy. `to` must not exist unless `overwrite` is true; the copy is written under a
/// temporary name in the same folder and renamed into place once complete and synced.
pub async fn backup_sqlite(
    database: &Path,
    to: &Path,
    overwrite: bool,
) -> Result<BackupSummary, BackupError> {
    if !database.is_file() {
        return Err(BackupError::Missing(database.to_path_buf()));
    }
    if to.exists() && !overwrite {
        return Err(BackupError::DestinationExists(to.to_path_buf()));
    }
    let partial = partial_path(to)?;
    let written = async {
        // Read-only: a backup never changes the live database.
        let options = SqliteConnectOptions::new()
            .filename(database)
            .read_only(true)
            .busy_timeout(BACKUP_BUSY_TIMEOUT);
        vacuum_into(options, database, &partial).await?;
        owner_only(&partial)?;
        inspect(&partial).await
    }
    .await;
    let contents = match written {
        Ok(contents) => contents,
        Err(e) => {
            let _ = std::fs::remove_file(&partial);
            return Err(e);
        }
    };
    std::fs::rename(&partial, to).map_err(BackupError::io("cannot rename the backup to", to))?;
    sync_folder(to)?;
    let bytes = std::fs::metadata(to)
        .map_err(BackupError::io("cannot read", to))?
        .len();
    Ok(BackupSummary {
        path: to.to_path_buf(),
        bytes,
        contents,
    })
}

/// Writes a consistent copy of the database opened with `options` into `into` (which must not
/// exist), and syncs it to disk.
async fn vacuum_into(
    options: SqliteConnectOptions,
    source: &Path,
    into: &Path,
) -> Result<(), BackupError> {
    let target = into
        .to_str()
        .ok_or_else(|| BackupError::Url(format!("{} is not valid UTF-8", into.display())))?;
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(BackupError::sqlite(source))?;
    let copied = sqlx::query("VACUUM INTO ?")
        .bind(target)
        .execute(&mut conn)
        .await
        .map_err(BackupError::sqlite(source));
    conn.close().await.map_err(BackupError::sqlite(source))?;
    copied?;
    std::fs::File::open(into)
        .and_then(|file| file.sync_all())
        .map_err(BackupError::io("cannot sync", into))
}

/// A fresh name in `path`'s folder, hidden, for a file about to become `path`.
fn partial_path(path: &Path) -> Result<PathBuf, BackupError> {
    let name = path
        .file_name()
        .ok_or_else(|| BackupError::Missing(path.to_path_buf()))?;
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(BackupError::Missing(folder.to_path_buf()));
    }
    Ok(folder.join(format!(
        ".{}.partial-{}",
        name.to_string_lossy(),
        uuid::Uuid::new_v4().simple()
    )))
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Makes `path` readable and writable by its owner only: a backup holds personal data.
fn owner_only(path: &Path) -> Result<(), BackupError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
            .map_err(BackupError::io("cannot restrict the permissions of", path))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes a rename into `path`'s folder durable.
fn sync_folder(path: &Path) -> Result<(), BackupError> {
    let folder = folder_of(path);
    #[cfg(unix)]
    std::fs::File::open(folder)
        .and_then(|dir| dir.sync_all())
        .map_err(BackupError::io("cannot sync the folder", folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}
