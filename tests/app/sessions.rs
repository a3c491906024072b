use entity::session;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::{spawn_app, spawn_app_with};

fn session_cookie(response: &axum_test::TestResponse) -> String {
    response
        .iter_headers_by_name("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("entraide_session="))
        .expect("a session cookie is set")
}

#[tokio::test]
async fn session_cookie_is_http_only_and_same_site_lax() {
    let app = spawn_app().await;
    let response = app
        .server
        .post("/affichage")
        .form(&[("taille", "grande")])
        .await;
    let cookie = session_cookie(&response);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        cookie.contains("Max-Age="),
        "expires after inactivity: {cookie}"
    );
    assert!(
        !cookie.contains("Secure"),
        "plain http in development: {cookie}"
    );
    assert_eq!(
        session::Entity::find().count(&app.db).await.unwrap(),
        1,
        "stored in the database"
    );
}

#[tokio::test]
async fn session_cookie_is_secure_behind_https() {
    let app = spawn_app_with(|c| c.base_url = "https://entraide.example".parse().unwrap()).await;
    let response = app
        .server
        .post("/affichage")
        .add_header("origin", "https://entraide.example")
        .form(&[("taille", "grande")])
        .await;
    let cookie = session_cookie(&response);
    assert!(cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn visitors_who_store_nothing_get_no_session() {
    let app = spawn_app().await;
    let response = app.server.get("/").await;
    assert!(response.maybe_header("set-cookie").is_none());
    assert_eq!(session::Entity::find().count(&app.db).await.unwrap(), 0);
}

#[tokio::test]
async fn expired_sessions_are_deleted_periodically() {
    let app = spawn_app().await;
    let stale = session::ActiveModel {
        id: sea_orm::Set("stale".into()),
        data: sea_orm::Set("{}".into()),
        expires_at: sea_orm::Set(1),
    };
    session::Entity::insert(stale)
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    let report = app.run_due_jobs(chrono::Utc::now()).await;
    assert_eq!(report.of("session-cleanup"), 1);
    let remaining = session::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(remaining, 0);
}
