use migration::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, Statement};

use crate::helpers::spawn_app;

#[tokio::test]
async fn migrations_applied_twice_are_a_no_op() {
    let app = spawn_app().await;
    let count = |db: &sea_orm::DatabaseConnection| {
        let db = db.clone();
        async move {
            let backend = db.get_database_backend();
            let row = db
                .query_one_raw(Statement::from_string(
                    backend,
                    "SELECT COUNT(*) AS n FROM seaql_migrations",
                ))
                .await
                .unwrap()
                .unwrap();
            row.try_get::<i64>("", "n").unwrap()
        }
    };
    let before = count(&app.db).await;
    assert_eq!(before as usize, Migrator::migrations().len());
    entraide::db::migrate(&app.db)
        .await
        .expect("a second run succeeds");
    assert_eq!(count(&app.db).await, before);
    assert!(
        Migrator::get_pending_migrations(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
}
