use axum::http::StatusCode;
use entity::account_token;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use super::*;
use crate::helpers::spawn_app;

const NEW_PASSWORD: &str = "une toute nouvelle phrase";

async fn ask_reset(app: &TestApp, email: &str) -> TestResponse {
    app.server
        .post("/mot-de-passe-oublie")
        .form(&[("email", email)])
        .await
}

async fn reset_link(app: &TestApp, email: &str) -> String {
    let message = app
        .mailbox
        .delivered(email, |e| e.subject.contains("nouveau mot de passe"))
        .await;
    assert!(message.text.contains("valable 1 heure"));
    link_in(&message, "/mot-de-passe/")
}

#[tokio::test]
async fn a_forgotten_password_is_replaced_through_a_single_use_link() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    app.server
        .get("/mot-de-passe-oublie")
        .await
        .assert_status_ok();

    let known = ask_reset(&app, "marie@exemple.fr").await;
    let unknown = ask_reset(&app, "personne@exemple.fr").await;
    assert_eq!(known.status_code(), unknown.status_code());
    assert_eq!(
        known.text(),
        unknown.text(),
        "the same answer for any address"
    );

    let link = reset_link(&app, "marie@exemple.fr").await;
    let form = app.server.get(&link).await;
    form.assert_status_ok();
    assert!(form.text().contains(r#"name="password_confirm""#));

    let short = app
        .server
        .post(&link)
        .form(&[("password", "court"), ("password_confirm", "court")])
        .await;
    short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("au moins 10 caractères"));

    let done = app
        .server
        .post(&link)
        .form(&[
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ])
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/connexion");

    log_in(&app, "marie@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    log_in(&app, "marie@exemple.fr", NEW_PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let reused = app.server.get(&link).await;
    reused.assert_status(StatusCode::NOT_FOUND);
    assert!(reused.text().contains("Ce lien ne fonctionne pas"));
    app.server
        .post(&link)
        .form(&[
            ("password", "encore une autre phrase"),
            ("password_confirm", "encore une autre phrase"),
        ])
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_password_reset_ends_every_session_of_the_account() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    app.server.get("/benevole/profil").await.assert_status_ok();

    // From another browser (no cookies), the reset.
    ask_reset(&app, "marie@exemple.fr").await;
    let link = reset_link(&app, "marie@exemple.fr").await;
    app.server
        .post(&link)
        .clear_cookies()
        .do_not_save_cookies()
        .form(&[
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let first_browser = app.server.get("/benevole/profil").await;
    first_browser.assert_status(StatusCode::SEE_OTHER);
    assert!(location(&first_browser).starts_with("/connexion"));
}

#[tokio::test]
async fn an_expired_reset_link_asks_for_a_new_one() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    ask_reset(&app, "marie@exemple.fr").await;
    let link = reset_link(&app, "marie@exemple.fr").await;
    let token = account_token::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.purpose == "reset_password")
        .unwrap();
    let lifetime = token.expires_at - token.created_at;
    assert_eq!(lifetime.num_minutes(), 60, "valid one hour");
    let mut expired = token.into_active_model();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::seconds(1));
    expired.update(&app.db).await.unwrap();

    let page = app.server.get(&link).await;
    page.assert_status(StatusCode::GONE);
    assert!(page.text().contains("Ce lien a expiré"));
    assert!(page.text().contains(r#"href="/mot-de-passe-oublie""#));
    app.server
        .post(&link)
        .form(&[
            ("password", NEW_PASSWORD),
            ("password_confirm", NEW_PASSWORD),
        ])
        .await
        .assert_status(StatusCode::GONE);
    log_in(&app, "marie@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn reset_links_are_sent_at_most_three_times_an_hour() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    for _ in 0..5 {
        ask_reset(&app, "marie@exemple.fr").await.assert_status_ok();
    }
    let sent = entity::outbox_email::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.kind == "reset_password")
        .count();
    assert_eq!(sent, 3, "no mailbox flooding");
}

#[tokio::test]
async fn the_public_account_forms_are_limited_per_address() {
    let app = crate::helpers::spawn_app_with(|c| c.public_forms_per_ip_per_hour = 3).await;
    for n in 0..3 {
        ask_reset(&app, &format!("personne{n}@example.org"))
            .await
            .assert_status_ok();
    }
    let refused = ask_reset(&app, "encore@example.org").await;
    refused.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.text().contains("Trop de tentatives"));
    // One count for every public account form, and pages still show.
    let signup = super::sign_up(&app, &super::signup_form("nouvelle@example.org")).await;
    signup.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(
        super::account_of(&app, "nouvelle@example.org")
            .await
            .is_none()
    );
    app.server
        .get("/mot-de-passe-oublie")
        .await
        .assert_status_ok();
    // Logins have their own throttle and are not counted here.
    let login = super::log_in(&app, "personne0@example.org", "mauvais mot de passe").await;
    assert_ne!(login.status_code(), StatusCode::TOO_MANY_REQUESTS);
}
