//! What a SQLite file holds: whether it is an Entraide database, at which migration, and how many
//! rows each table has.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sea_orm::sqlx::{self, Connection};

use super::BackupError;

/// Tables every Entraide database has, whatever its version.
const CORE_TABLES: [&str; 5] = [
    "seaql_migrations",
    "session",
    "outbox_email",
    "account",
    "help_request",
];

/// An Entraide database file, checked: intact, with Entraide's tables, at a known migration.
#[derive(Clone, Debug)]
pub struct Inspection {
    /// The file examined.
    pub path: PathBuf,
    /// Every table (SQLite's own aside) with its number of rows, by name.
    pub tables: Vec<(String, i64)>,
    /// The most recent migration applied to it.
    pub latest_migration: String,
    /// Migrations this version knows that the file has not had yet: they are applied at the
    /// service's next start.
    pub pending_migrations: Vec<String>,
}

impl Inspection {
    /// The number of rows of `table`, if the file has it.
    pub fn rows(&self, table: &str) -> Option<i64> {
        self.tables
            .iter()
            .find(|(name, _)| name == table)
            .map(|(_, rows)| *rows)
    }
}

impl fmt::Display for Inspection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Latest migration: {}.", self.latest_migration)?;
        if !self.pending_migrations.is_empty() {
            writeln!(
                f,
                "It is {} migration(s) behind this version of Entraide ({}): they will be applied at the next start.",
                self.pending_migrations.len(),
                self.pending_migrations.join(", ")
            )?;
        }
        writeln!(f, "Rows per table:")?;
        for (table, rows) in &self.tables {
            writeln!(f, "{rows:>10}  {table}")?;
        }
        Ok(())
    }
}

/// Opens `path` read-only and checks that it is an intact Entraide database whose migrations are
/// all known to this version (an older one is fine; a newer one is refused).
pub async fn inspect(path: &Path) -> Result<Inspection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_path_buf()));
    }
    let options = SqliteConnectOptions::new().filename(path).read_only(true);
    let mut conn = SqliteConnection::connect_with(&options)
        .await
        .map_err(|e| not_entraide(path, e))?;
    let inspected = examine(&mut conn, path).await;
    conn.close().await.ok();
    inspected
}

async fn examine(conn: &mut SqliteConnection, path: &Path) -> Result<Inspection, BackupError> {
    // The first read tells a file that is not SQLite at all.
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name",
    )
    .fetch_all(&mut *conn)
    .await
    .map_err(|e| not_entraide(path, e))?;

    let missing: Vec<&str> = CORE_TABLES
        .into_iter()
        .filter(|table| !names.iter().any(|name| name == table))
        .collect();
    if !missing.is_empty() {
        return Err(BackupError::NotEntraide {
            path: path.to_path_buf(),
            reason: format!("no table {}", missing.join(", ")),
        });
    }

    let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check(10)")
        .fetch_all(&mut *conn)
        .await
        .map_err(BackupError::sqlite(path))?;
    if report != ["ok"] {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            report: report.join("; "),
        });
    }

    let applied: Vec<String> =
        sqlx::query_scalar("SELECT version FROM seaql_migrations ORDER BY version")
            .fetch_all(&mut *conn)
            .await
            .map_err(|e| not_entraide(path, e))?;
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|m| m.name().to_owned())
        .collect();
    let unknown: Vec<String> = applied
        .iter()
        .filter(|name| !known.contains(name))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Err(BackupError::UnknownMigrations {
            path: path.to_path_buf(),
            migrations: unknown,
        });
    }
    let applied_set: BTreeSet<&String> = applied.iter().collect();
    let latest_migration = known
        .iter()
        .rfind(|name| applied_set.contains(name))
        .cloned()
        .ok_or_else(|| BackupError::NotEntraide {
            path: path.to_path_buf(),
            reason: "no migration was ever applied to it".into(),
        })?;
    let pending_migrations = known
        .iter()
        .filter(|name| !applied_set.contains(name))
        .cloned()
        .collect();

    let mut tables = Vec::with_capacity(names.len());
    for name in names {
        // The name comes from sqlite_master and is quoted as an identifier.
        let count = format!("SELECT COUNT(*) FROM \"{}\"", name.replace('"', "\"\""));
        let rows: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(count))
            .fetch_one(&mut *conn)
            .await
            .map_err(BackupError::sqlite(path))?;
        tables.push((name, rows));
    }
    Ok(Inspection {
        path: path.to_path_buf(),
        tables,
        latest_migration,
        pending_migrations,
    })
}

fn not_entraide(path: &Path, error: sqlx::Error) -> BackupError {
    BackupError::NotEntraide {
        path: path.to_path_buf(),
        reason: error.to_string(),
    }
}
