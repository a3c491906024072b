//! `entraide restore`: the replaced database is kept, and a restore refuses a database a service
//! has open, a file that is not an Entraide database and one from a newer version.

use std::os::unix::fs::PermissionsExt;

use entraide::backup::{self, BackupError};
use sea_orm::{ConnectionTrait, Database as Connect};

use super::{file_request, mode, now, open, request_ids, sqlite_app};

#[tokio::test]
async fn a_restore_keeps_the_database_it_replaces() {
    let Some((app, live)) = sqlite_app().await else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let first = file_request(&app, 1).await;
    let (early, late) = (
        folder.path().join("early.db"),
        folder.path().join("late.db"),
    );
    backup::backup_sqlite(&live, &early, false).await.unwrap();
    let second = file_request(&app, 2).await;
    backup::backup_sqlite(&live, &late, false).await.unwrap();

    // A stopped database that was used in WAL mode, as the service leaves it.
    let database = folder.path().join("entraide.db");
    backup::restore_sqlite(&late, &database, now())
        .await
        .unwrap();
    let db = entraide::db::connect(&format!("sqlite://{}", database.display()), 1)
        .await
        .unwrap();
    entraide::db::migrate(&db).await.unwrap();
    db.close().await.unwrap();
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o640)).unwrap();

    let summary = backup::restore_sqlite(&early, &database, now())
        .await
        .unwrap();
    let kept = folder
        .path()
        .join("entraide.db.before-restore-20261130T031500Z");
    assert_eq!(summary.previous.as_deref(), Some(kept.as_path()));
    assert!(
        summary
            .to_string()
            .contains("before-restore-20261130T031500Z")
    );
    assert_eq!(request_ids(&database).await, [first]);
    assert_eq!(request_ids(&kept).await, [first, second]);
    assert_eq!(mode(&database), 0o640, "the service keeps its access");
    for companion in ["entraide.db-wal", "entraide.db-shm"] {
        assert!(
            !folder.path().join(companion).exists(),
            "{companion} is left"
        );
    }
}

#[tokio::test]
async fn a_restore_refuses_to_replace_a_database_in_use() {
    let Some((app, live)) = sqlite_app().await else {
        return;
    };
    let request = file_request(&app, 1).await;
    let folder = tempfile::tempdir().unwrap();
    let copy = folder.path().join("entraide.db");
    backup::backup_sqlite(&live, &copy, false).await.unwrap();

    let refused = backup::restore_sqlite(&copy, &live, now())
        .await
        .unwrap_err();
    assert!(matches!(refused, BackupError::InUse(_)), "{refused}");
    assert!(refused.to_string().contains("stop the service"));
    let siblings: Vec<String> = std::fs::read_dir(live.parent().unwrap())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        siblings.iter().all(|name| !name.contains("before-restore")),
        "{siblings:?}"
    );
    // The service goes on with its database.
    assert_eq!(file_request(&app, 2).await, request + 1);
}

#[tokio::test]
async fn a_restore_refuses_a_file_that_is_not_an_entraide_database() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("entraide.db");

    let text = folder.path().join("notes.txt");
    std::fs::write(&text, "not a database at all, just some text long enough").unwrap();
    let refused = backup::restore_sqlite(&text, &database, now())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, BackupError::NotEntraide { .. }),
        "{refused}"
    );

    let other = folder.path().join("other.db");
    let db = Connect::connect(format!("sqlite://{}?mode=rwc", other.display()))
        .await
        .unwrap();
    db.execute_unprepared("CREATE TABLE recipe (id INTEGER PRIMARY KEY, name TEXT)")
        .await
        .unwrap();
    db.close().await.unwrap();
    let refused = backup::restore_sqlite(&other, &database, now())
        .await
        .unwrap_err();
    assert!(
        matches!(refused, BackupError::NotEntraide { .. }),
        "{refused}"
    );
    assert!(
        refused.to_string().contains("seaql_migrations"),
        "{refused}"
    );
    assert!(!database.exists());
}

#[tokio::test]
async fn a_restore_refuses_a_newer_database_and_accepts_an_older_one() {
    let Some((_app, live)) = sqlite_app().await else {
        return;
    };
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("entraide.db");

    let newer = folder.path().join("newer.db");
    backup::backup_sqlite(&live, &newer, false).await.unwrap();
    let db = open(&newer).await;
    db.execute_unprepared(
        "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m20991231_000001_from_the_future', 0)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let refused = backup::restore_sqlite(&newer, &database, now())
        .await
        .unwrap_err();
    match &refused {
        BackupError::UnknownMigrations { migrations, .. } => {
            assert_eq!(migrations, &["m20991231_000001_from_the_future"]);
        }
        other => panic!("expected an unknown migration, got {other}"),
    }
    assert!(!database.exists());

    let older = folder.path().join("older.db");
    backup::backup_sqlite(&live, &older, false).await.unwrap();
    let db = open(&older).await;
    db.execute_unprepared(
        "DELETE FROM seaql_migrations WHERE version = (SELECT MAX(version) FROM seaql_migrations)",
    )
    .await
    .unwrap();
    db.close().await.unwrap();
    let summary = backup::restore_sqlite(&older, &database, now())
        .await
        .unwrap();
    assert_eq!(summary.contents.pending_migrations.len(), 1);
    assert!(
        summary
            .to_string()
            .contains("will be applied at the next start")
    );
}
