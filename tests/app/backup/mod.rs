//! `entraide backup` and `entraide restore`: a backup taken while requests keep arriving holds
//! every request committed before it began, and restores; restores in `restore`.
//! On PostgreSQL (TEST_DATABASE_URL), the backup is pg_dump's job: the advice is checked instead.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use entraide::backup::{self, BackupError, Database};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ConnectionTrait, Database as Connect, DatabaseConnection, Statement};

mod restore;

use crate::fixtures::REIMS;
use crate::helpers::{TestApp, spawn_app};

/// The app and its SQLite file; `None` on PostgreSQL, after checking the pg_dump advice.
async fn sqlite_app() -> Option<(TestApp, PathBuf)> {
    let app = spawn_app().await;
    match backup::locate(&app.config.database_url).unwrap() {
        Database::Sqlite(path) => Some((app, path)),
        Database::Postgres(url) => {
            let advice = backup::PostgresAdvice::new(&url, Path::new("/srv/backups/entraide.dump"));
            assert!(
                advice
                    .dump
                    .starts_with("pg_dump --format=custom --file=/srv/backups/")
            );
            assert!(advice.dump.contains("postgres"));
            assert!(advice.restore.starts_with("pg_restore "));
            None
        }
    }
}

/// Files a request from Reims and returns its id once committed.
async fn file_request(app: &TestApp, n: usize) -> i64 {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some(format!("Demande numéro {n}")),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: REIMS.insee.into(),
        departement: REIMS.departement.into(),
        latitude: REIMS.lat,
        longitude: REIMS.lon,
        prenom: "Josette".into(),
        email: None,
        telephone: Some(entraide::contact::PhoneNumber::parse("03 26 00 00 00").unwrap()),
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
        .request
        .id
}

/// The ids of the requests in the SQLite file at `path`.
async fn request_ids(path: &Path) -> Vec<i64> {
    let db = open(path).await;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id FROM help_request ORDER BY id",
        ))
        .await
        .unwrap();
    db.close().await.unwrap();
    rows.iter()
        .map(|row| row.try_get("", "id").unwrap())
        .collect()
}

async fn open(path: &Path) -> DatabaseConnection {
    Connect::connect(format!("sqlite://{}?mode=rw", path.display()))
        .await
        .unwrap()
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 3, 15, 0).unwrap()
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_every_committed_request() {
    let Some((app, live)) = sqlite_app().await else {
        return;
    };
    let app = Arc::new(app);
    let folder = tempfile::tempdir().unwrap();
    let committed = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = tokio::spawn({
        let (app, committed, stop) = (app.clone(), committed.clone(), stop.clone());
        async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let id = file_request(&app, n).await;
                committed.lock().unwrap().push(id);
                n += 1;
            }
        }
    });

    let mut taken = Vec::new();
    for round in 0..3 {
        // A real clock is the subject: the writer keeps committing while each backup is taken.
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
        let before: Vec<i64> = committed.lock().unwrap().clone();
        let to = folder.path().join(format!("entraide-{round}.db"));
        let summary = backup::backup_sqlite(&live, &to, false).await.unwrap();
        assert_eq!(summary.path, to);
        assert!(summary.bytes > 0);
        assert!(summary.contents.pending_migrations.is_empty());
        assert!(summary.contents.rows("help_request").unwrap() >= before.len() as i64);
        assert!(summary.to_string().contains("Backup written to"));
        taken.push((to, before));
    }
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let written = committed.lock().unwrap().len();
    assert!(
        written > taken[0].1.len(),
        "requests kept arriving during the backups"
    );

    for (round, (backup_file, before)) in taken.iter().enumerate() {
        let restored = folder.path().join(format!("restored-{round}.db"));
        let summary = backup::restore_sqlite(backup_file, &restored, now())
            .await
            .unwrap();
        assert_eq!(summary.previous, None);
        backup::inspect(&restored).await.unwrap();
        let ids = request_ids(&restored).await;
        let lost: Vec<&i64> = before.iter().filter(|id| !ids.contains(id)).collect();
        assert!(lost.is_empty(), "backup {round} lost requests {lost:?}");
    }
    // Nothing was left behind next to the backups but the backups and the restored files.
    let mut names: Vec<String> = std::fs::read_dir(folder.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "entraide-0.db",
            "entraide-1.db",
            "entraide-2.db",
            "restored-0.db",
            "restored-1.db",
            "restored-2.db"
        ]
    );
}

#[tokio::test]
async fn a_backup_does_not_overwrite_a_file_unless_forced() {
    let Some((_app, live)) = sqlite_app().await else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let to = folder.path().join("entraide.db");
    std::fs::write(&to, "an older file").unwrap();
    let refused = backup::backup_sqlite(&live, &to, false).await.unwrap_err();
    assert!(
        matches!(refused, BackupError::DestinationExists(_)),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&to).unwrap(), "an older file");

    backup::backup_sqlite(&live, &to, true).await.unwrap();
    backup::inspect(&to).await.unwrap();
    assert_eq!(mode(&to), 0o600, "a backup holds personal data");
}

/// The permission bits of `path`.
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}
