//! The volunteers' pages: sign-up, the charter, and their own space (profile, password, address,
//! pause, data export, deletion).

mod account;
pub mod form;
mod profile;
mod signup;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::routing::{get, post};

use crate::AppState;
use crate::web::layout::Layout;
use crate::web::rate_limit::FormLimit;
use crate::web::security::no_store;

/// The volunteers' routes; `limit` guards the sign-up form.
pub fn router(limit: &FormLimit) -> Router<AppState> {
    let own_space = Router::new()
        .route("/benevole/profil", get(profile::show).post(profile::update))
        .route(
            "/benevole/profil/mot-de-passe",
            post(profile::change_password),
        )
        .route("/benevole/profil/email", post(profile::change_email))
        .route("/benevole/profil/sms", post(profile::change_sms))
        .route("/benevole/pause", post(account::pause))
        .route("/benevole/mes-donnees", get(account::export))
        .route("/benevole/supprimer", post(account::delete))
        .layer(no_store());
    Router::new()
        .route("/charte-benevole", get(charter))
        .route(
            "/benevole/inscription",
            get(signup::form).post(signup::submit).layer(limit.clone()),
        )
        .merge(own_space)
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/charte.html")]
struct CharterPage {
    layout: Layout,
}

async fn charter(layout: Layout) -> CharterPage {
    CharterPage { layout }
}
