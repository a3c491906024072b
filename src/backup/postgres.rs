//! PostgreSQL: the service does not copy the database itself; `pg_dump` and `pg_restore` do it
//! better (consistent snapshot, compressed custom format, selective restore).

use std::fmt;
use std::path::Path;

use super::BackupError;

/// The commands that back up and restore a PostgreSQL database, ready to paste.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostgresAdvice {
    /// The `pg_dump` command writing the backup file.
    pub dump: String,
    /// The `pg_restore` command putting it back (service stopped).
    pub restore: String,
}

impl PostgresAdvice {
    /// The commands for the database at `url` (already without password) and the file `path`.
    pub fn new(url: &str, path: &Path) -> Self {
        let (url, path) = (shell_quote(url), shell_quote(&path.to_string_lossy()));
        Self {
            dump: format!("pg_dump --format=custom --file={path} {url}"),
            restore: format!("pg_restore --clean --if-exists --no-owner --dbname={url} {path}"),
        }
    }
}

impl fmt::Display for PostgresAdvice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "DATABASE_URL is a PostgreSQL database: back it up with pg_dump (a consistent snapshot, \
             the service may keep running):\n\n    {}\n\n\
             and restore it, with the service stopped, with:\n\n    {}\n\n\
             The password is not shown: give it through PGPASSWORD or ~/.pgpass.",
            self.dump, self.restore
        )
    }
}

/// `url` without its password, neither in the user part nor as a `password` parameter.
pub(super) fn without_password(url: &str) -> Result<String, BackupError> {
    let mut parsed = url::Url::parse(url).map_err(|e| BackupError::Url(e.to_string()))?;
    parsed
        .set_password(None)
        .map_err(|()| BackupError::Url("not a database URL".into()))?;
    let kept: Vec<(String, String)> = parsed
        .query_pairs()
        .filter(|(key, _)| key != "password")
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    if kept.is_empty() {
        parsed.set_query(None);
    } else {
        parsed.query_pairs_mut().clear().extend_pairs(kept);
    }
    Ok(parsed.to_string())
}

/// `text` as one word for a POSIX shell. Written here rather than taken from a crate: it is one
/// rule (single quotes, each inner `'` written `'\''`) and only shapes advice printed to the
/// operator, never a command this program runs.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./:@%+=,".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    #[test]
    fn the_password_never_appears_in_the_advice() {
        let url = without_password(
            "postgres://entraide:s3cret@db.example.org:5432/entraide?sslmode=require&password=s3cret",
        )
        .unwrap();
        assert_eq!(
            url,
            "postgres://entraide@db.example.org:5432/entraide?sslmode=require"
        );
        let advice = PostgresAdvice::new(&url, Path::new("/var/backups/entraide.dump"));
        assert_eq!(
            advice.dump,
            "pg_dump --format=custom --file=/var/backups/entraide.dump \
             'postgres://entraide@db.example.org:5432/entraide?sslmode=require'"
        );
        assert!(advice.restore.starts_with("pg_restore "));
        assert!(!advice.to_string().contains("s3cret"));
    }

    #[test]
    fn odd_paths_stay_one_shell_word() {
        assert_eq!(shell_quote("/tmp/it's here"), r"'/tmp/it'\''s here'");
        assert_eq!(shell_quote(""), "''");
    }
}
