use axum::http::StatusCode;

use super::*;
use crate::helpers::{spawn_app, spawn_app_with};

fn session_cookie(response: &TestResponse) -> Option<String> {
    response
        .iter_headers_by_name("set-cookie")
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("entraide_session="))
        .map(|c| c.split(';').next().unwrap().to_owned())
}

#[tokio::test]
async fn an_unconfirmed_account_cannot_log_in_and_is_offered_a_new_email() {
    let app = spawn_app().await;
    sign_up(&app, &signup_form("marie@exemple.fr")).await;
    let response = log_in(&app, "marie@exemple.fr", PASSWORD).await;
    response.assert_status(StatusCode::FORBIDDEN);
    let html = response.text();
    assert!(html.contains("pas encore confirmée"));
    assert!(html.contains(r#"action="/verifier-email/renvoyer""#));
    app.server
        .get("/benevole/profil")
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn logging_in_gives_a_new_session_id() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    let before = app
        .server
        .post("/affichage")
        .form(&[("taille", "grande")])
        .await;
    let before = session_cookie(&before).expect("a session before logging in");
    let login = log_in(&app, "marie@exemple.fr", PASSWORD).await;
    login.assert_status(StatusCode::SEE_OTHER);
    let after = session_cookie(&login).expect("a session cookie at login");
    assert_ne!(before, after, "the session id changes at login");
    app.server.get("/benevole/profil").await.assert_status_ok();
}

#[tokio::test]
async fn a_wrong_password_or_unknown_address_gets_the_same_french_message() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    let wrong = log_in(&app, "marie@exemple.fr", "pas le bon mot de passe").await;
    let unknown = log_in(&app, "personne@exemple.fr", "pas le bon mot de passe").await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    unknown.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        wrong
            .text()
            .contains("Adresse e-mail ou mot de passe incorrect")
    );
    assert!(
        wrong.text().contains(r#"value="marie@exemple.fr""#),
        "address kept"
    );
    assert!(
        !wrong.text().contains("pas le bon mot de passe"),
        "never the password"
    );
    assert!(
        unknown
            .text()
            .contains("Adresse e-mail ou mot de passe incorrect")
    );
}

#[tokio::test]
async fn five_failures_on_an_account_lock_it_for_a_while() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    verified_volunteer(&app, "paul@exemple.fr").await;
    for _ in 0..5 {
        log_in(&app, "marie@exemple.fr", "mauvais mot de passe")
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let locked = log_in(&app, "Marie@Exemple.fr", PASSWORD).await;
    locked.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(locked.text().contains("Trop de tentatives de connexion"));
    assert!(locked.text().contains("15 minutes"));

    log_in(&app, "paul@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    // Once the failures are older than 15 minutes, the account opens again.
    use sea_orm::{ConnectionTrait, Statement};
    let backend = app.db.get_database_backend();
    let past = chrono::Utc::now() - chrono::Duration::minutes(16);
    app.db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            match backend {
                sea_orm::DbBackend::Postgres => "UPDATE login_attempt SET created_at = $1",
                _ => "UPDATE login_attempt SET created_at = ?",
            },
            [past.into()],
        ))
        .await
        .unwrap();
    log_in(&app, "marie@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn twenty_failures_from_one_address_lock_it() {
    let app = spawn_app_with(|c| c.trust_proxy = true).await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    let attempt = |email: String, ip: &'static str| {
        app.server
            .post("/connexion")
            .add_header("x-forwarded-for", ip)
            .form(&[
                ("email", email.as_str()),
                ("password", "mauvais mot de passe"),
            ])
    };
    for n in 0..20 {
        // The client wrote the left-most entry itself; the proxy appended the address it saw.
        attempt(format!("inconnu{n}@exemple.fr"), "10.0.0.1, 203.0.113.7")
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let blocked = app
        .server
        .post("/connexion")
        .add_header("x-forwarded-for", "203.0.113.7")
        .form(&[("email", "marie@exemple.fr"), ("password", PASSWORD)])
        .await;
    blocked.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let elsewhere = app
        .server
        .post("/connexion")
        .add_header("x-forwarded-for", "198.51.100.4")
        .form(&[("email", "marie@exemple.fr"), ("password", PASSWORD)])
        .await;
    elsewhere.assert_status(StatusCode::SEE_OTHER);

    let stored = entity::login_attempt::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|a| !a.ip_key.contains("203.0.113.7")),
        "the IP address is never stored"
    );
}

#[tokio::test]
async fn after_logging_in_the_person_lands_where_they_were_going() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    let away = app.server.get("/benevole/profil?x=1").await;
    away.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        location(&away),
        "/connexion?suivant=%2Fbenevole%2Fprofil%3Fx%3D1"
    );
    let page = app.server.get(&location(&away)).await;
    assert!(
        page.text()
            .contains(r#"name="suivant" value="/benevole/profil?x=1""#)
    );

    let login = app
        .server
        .post("/connexion")
        .form(&[
            ("email", "marie@exemple.fr"),
            ("password", PASSWORD),
            ("suivant", "/benevole/profil?x=1"),
        ])
        .await;
    assert_eq!(location(&login), "/benevole/profil?x=1");

    app.server.post("/deconnexion").await;
    let login = app
        .server
        .post("/connexion")
        .form(&[
            ("email", "marie@exemple.fr"),
            ("password", PASSWORD),
            ("suivant", "https://ailleurs.example/"),
        ])
        .await;
    assert_eq!(
        location(&login),
        "/benevole/profil",
        "never sent to another site: the role's home instead"
    );
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let home = app.server.get("/").await;
    assert!(home.text().contains("Se déconnecter"));
    let out = app.server.post("/deconnexion").await;
    out.assert_status(StatusCode::SEE_OTHER);
    let home = app.server.get("/").await;
    assert!(home.text().contains("Vous êtes déconnecté"));
    assert!(!home.text().contains("Se déconnecter"));
    app.server
        .get("/benevole/profil")
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn login_attempts_are_forgotten_after_a_day() {
    use sea_orm::{PaginatorTrait, Set};
    let app = spawn_app().await;
    for age in [chrono::Duration::days(2), chrono::Duration::minutes(5)] {
        entity::login_attempt::Entity::insert(entity::login_attempt::ActiveModel {
            email_key: Set("e".repeat(64)),
            ip_key: Set("i".repeat(64)),
            success: Set(false),
            created_at: Set(chrono::Utc::now() - age),
            ..Default::default()
        })
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    app.run_due_jobs(chrono::Utc::now()).await;
    let remaining = entity::login_attempt::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(remaining, 1, "only the recent attempt is kept");
}

#[tokio::test]
async fn a_forged_forwarded_address_does_not_escape_the_lock_without_a_trusted_proxy() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    for n in 0..20 {
        app.server
            .post("/connexion")
            .add_header("x-forwarded-for", format!("198.51.100.{n}"))
            .form(&[
                ("email", format!("inconnu{n}@exemple.fr")),
                ("password", "mauvais mot de passe".to_owned()),
            ])
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    app.server
        .post("/connexion")
        .add_header("x-forwarded-for", "192.0.2.99")
        .form(&[("email", "marie@exemple.fr"), ("password", PASSWORD)])
        .await
        .assert_status(StatusCode::TOO_MANY_REQUESTS);
}
