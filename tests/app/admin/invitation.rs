//! The invitation flow, end to end: an admin invites a moderator, who receives the e-mail,
//! chooses a password through the link and lands logged in on /moderation; the link serves once
//! and expires after 7 days.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use entity::account_token;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::log_out;
use crate::accounts::{account_of, link_in, location, log_in};
use crate::helpers::{TestApp, spawn_app};
use crate::staff::{add_organisation, logged_in_admin};

const MODERATOR_PASSWORD: &str = "la phrase de Julie";

/// An admin invites julie@exemple.fr to a new organisation, then logs out; returns the path of
/// the link in her e-mail.
async fn invited_moderator(app: &TestApp) -> String {
    let organisation = add_organisation(app, "Marne Solidaire", "51", false).await;
    logged_in_admin(app).await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &organisation.id.to_string()),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_out(app).await;
    let email = app
        .mailbox
        .delivered("julie@exemple.fr", |e| {
            e.subject.contains("Marne Solidaire")
        })
        .await;
    assert!(email.text.contains("Bonjour Julie"));
    assert!(email.text.contains("valable 7 jours"));
    assert!(email.html.contains("Choisir mon mot de passe"));
    link_in(&email, "/invitation/")
}

fn choose(password: &str, confirm: &str) -> [(&'static str, String); 2] {
    [
        ("password", password.to_owned()),
        ("password_confirm", confirm.to_owned()),
    ]
}

#[tokio::test]
async fn an_invited_moderator_chooses_a_password_and_lands_logged_in_on_moderation() {
    let app = spawn_app().await;
    let link = invited_moderator(&app).await;

    let page = app.server.get(&link).await;
    page.assert_status_ok();
    assert!(page.text().contains("Bonjour Julie"));
    assert!(page.text().contains("julie@exemple.fr"));

    let mismatch = app
        .server
        .post(&link)
        .form(&choose(MODERATOR_PASSWORD, "une autre phrase"))
        .await;
    mismatch.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(mismatch.text().contains("ne sont pas identiques"));
    let short = app.server.post(&link).form(&choose("court", "court")).await;
    short.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text().contains("au moins 10 caractères"));
    assert!(
        account_of(&app, "julie@exemple.fr")
            .await
            .unwrap()
            .email_verified_at
            .is_none(),
        "refused forms change nothing"
    );

    let done = app
        .server
        .post(&link)
        .form(&choose(MODERATOR_PASSWORD, MODERATOR_PASSWORD))
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/moderation");
    let julie = account_of(&app, "julie@exemple.fr").await.unwrap();
    assert!(
        julie.email_verified_at.is_some(),
        "the address is confirmed"
    );
    let home = app.server.get("/").await.text();
    assert!(home.contains("Bienvenue Julie"), "{home}");
    assert!(home.contains("Se déconnecter"), "logged in");
    app.server
        .get("/admin")
        .await
        .assert_status(StatusCode::FORBIDDEN);

    log_out(&app).await;
    log_in(&app, "julie@exemple.fr", MODERATOR_PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_invitation_link_serves_once_even_when_sent_twice() {
    let app = spawn_app().await;
    let link = invited_moderator(&app).await;
    let form = choose(MODERATOR_PASSWORD, MODERATOR_PASSWORD);
    let (first, second) = tokio::join!(
        app.server.post(&link).form(&form).into_future(),
        app.server
            .post(&link)
            .form(&choose("une seconde phrase", "une seconde phrase"))
            .into_future()
    );
    let statuses = [first.status_code(), second.status_code()];
    assert!(
        statuses.contains(&StatusCode::SEE_OTHER) && statuses.contains(&StatusCode::GONE),
        "{statuses:?}"
    );

    let reused = app.server.get(&link).await;
    reused.assert_status(StatusCode::GONE);
    assert!(reused.text().contains("déjà servi"));
    assert!(reused.text().contains("administrateur"), "whom to ask");
    let again = app.server.post(&link).form(&form).await;
    again.assert_status(StatusCode::GONE);
}

#[tokio::test]
async fn an_invitation_link_expires_after_seven_days() {
    let app = spawn_app().await;
    let link = invited_moderator(&app).await;
    let julie = account_of(&app, "julie@exemple.fr").await.unwrap();
    account_token::Entity::update_many()
        .col_expr(
            account_token::Column::ExpiresAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(account_token::Column::AccountId.eq(julie.id))
        .exec(&app.db)
        .await
        .unwrap();

    let page = app.server.get(&link).await;
    page.assert_status(StatusCode::GONE);
    let text = page.text();
    assert!(text.contains("a expiré"), "{text}");
    assert!(text.contains("7 jours"));
    assert!(text.contains("vous inviter à nouveau"), "whom to ask");
    app.server
        .post(&link)
        .form(&choose(MODERATOR_PASSWORD, MODERATOR_PASSWORD))
        .await
        .assert_status(StatusCode::GONE);
    assert!(
        account_of(&app, "julie@exemple.fr")
            .await
            .unwrap()
            .email_verified_at
            .is_none()
    );
    app.server
        .get("/invitation/pas-un-vrai-lien")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}
