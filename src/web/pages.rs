//! General pages: home, and the display preference form every page offers.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::Role;
use crate::error::AppResult;
use crate::web::auth::{ACCOUNT_ROLE_KEY, home_of};
use crate::web::layout::{FlashKind, Layout, push_flash, set_large_text};
use crate::web::redirects::local_path;

/// The home page and the text-size preference.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/affichage", post(display))
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    /// The operator's number (`OPERATOR_PHONE`), shown next to "J'ai besoin d'aide".
    telephone: Option<(String, String)>,
    hours: Option<String>,
}

async fn home(State(state): State<AppState>, layout: Layout) -> HomePage {
    let config = &state.config;
    HomePage {
        layout,
        telephone: config
            .operator_phone
            .as_ref()
            .map(|t| (crate::contact::display_fr(t), t.clone())),
        hours: config.operator_hours.clone(),
    }
}

#[derive(Deserialize)]
struct DisplayForm {
    taille: String,
    #[serde(default)]
    retour: String,
}

async fn display(session: Session, Form(form): Form<DisplayForm>) -> AppResult<Redirect> {
    let large = form.taille == "grande";
    set_large_text(&session, large).await?;
    let message = if large {
        "Le texte est maintenant plus grand."
    } else {
        "Le texte a retrouvé sa taille habituelle."
    };
    push_flash(&session, FlashKind::Success, message).await?;
    let back = match local_path(&form.retour) {
        Some(page) => page.to_owned(),
        None => home_of_visitor(&session).await.to_owned(),
    };
    Ok(Redirect::to(&back))
}

/// The home page of whoever is logged in (the public home page for a visitor), for a way back
/// that led nowhere of ours.
async fn home_of_visitor(session: &Session) -> &'static str {
    match session.get::<String>(ACCOUNT_ROLE_KEY).await {
        Ok(Some(slug)) => Role::from_slug(&slug).map_or("/", home_of),
        _ => "/",
    }
}
