//! Volunteer accounts: sign-up, confirmation, login, password reset, profile, pause, export and
//! deletion, followed as a volunteer would, e-mails included.

mod data;
mod login;
mod profile;
mod reset;
mod signup;

use axum_test::TestResponse;
use entity::account;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::helpers::TestApp;
use crate::mailbox::ReceivedEmail;

/// The password the test volunteers choose.
pub const PASSWORD: &str = "un mot de passe solide";

/// A complete, valid sign-up form for `email`.
pub fn signup_form(email: &str) -> Vec<(&'static str, String)> {
    [
        ("prenom", "Marie"),
        ("nom", "Dupont"),
        ("email", email),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("commune", "75016"),
        ("rayon_km", "15"),
        ("modes", "telephone"),
        ("modes", "presentiel"),
        ("categories", "appareil"),
        ("categories", "email"),
        ("langues", "en"),
        ("max_demandes", "3"),
        ("disponibilites", "Le mercredi après-midi"),
        ("charte", "oui"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

/// `form` with `field` replaced by `value` (or removed when `value` is `None`).
pub fn with(
    mut form: Vec<(&'static str, String)>,
    field: &'static str,
    value: Option<&str>,
) -> Vec<(&'static str, String)> {
    form.retain(|(k, _)| *k != field);
    if let Some(value) = value {
        form.push((field, value.to_owned()));
    }
    form
}

/// Posts the sign-up form.
pub async fn sign_up(app: &TestApp, form: &[(&'static str, String)]) -> TestResponse {
    app.server.post("/benevole/inscription").form(form).await
}

/// The path of the first link to `prefix` in an e-mail's text (the base URL removed).
pub fn link_in(email: &ReceivedEmail, prefix: &str) -> String {
    let start = email
        .text
        .find(prefix)
        .unwrap_or_else(|| panic!("a {prefix} link in {}", email.text));
    email.text[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

/// Waits for the confirmation e-mail to `to` and returns the path of its link.
pub async fn verification_link(app: &TestApp, to: &str) -> String {
    let email = app
        .mailbox
        .delivered(to, |e| e.subject.contains("Confirmez votre adresse"))
        .await;
    link_in(&email, "/verifier-email/")
}

/// Signs up `email` and opens the confirmation link.
pub async fn verified_volunteer(app: &TestApp, email: &str) {
    sign_up(app, &signup_form(email)).await.assert_status_ok();
    let link = verification_link(app, email).await;
    app.server
        .get(&link)
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
}

/// Posts the login form.
pub async fn log_in(app: &TestApp, email: &str, password: &str) -> TestResponse {
    app.server
        .post("/connexion")
        .form(&[("email", email), ("password", password)])
        .await
}

/// A verified volunteer, logged in on the app's client.
pub async fn logged_in_volunteer(app: &TestApp, email: &str) {
    verified_volunteer(app, email).await;
    let response = log_in(app, email, PASSWORD).await;
    response.assert_status(axum::http::StatusCode::SEE_OTHER);
}

/// The stored account of `email`.
pub async fn account_of(app: &TestApp, email: &str) -> Option<account::Model> {
    account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(&app.db)
        .await
        .unwrap()
}

/// The `Location` of a redirect.
pub fn location(response: &TestResponse) -> String {
    response.header("location").to_str().unwrap().to_owned()
}
