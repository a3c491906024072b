//! General pages: home, and the display preference form every page offers.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::Form;
use axum::response::Redirect;
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::error::AppResult;
use crate::web::layout::{FlashKind, Layout, push_flash, set_large_text};

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
}

async fn home(layout: Layout) -> HomePage {
    HomePage { layout }
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
    Ok(Redirect::to(local_path(&form.retour)))
}

/// `target` if it is a path on this site, else the home page: never send people elsewhere.
pub fn local_path(target: &str) -> &str {
    let is_local = target.starts_with('/') && !target.starts_with("//") && !target.contains('\\');
    if is_local { target } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(local_path("/demande"), "/demande");
        assert_eq!(local_path("//evil.example/"), "/");
        assert_eq!(local_path("https://evil.example/"), "/");
        assert_eq!(local_path("/\\evil.example"), "/");
        assert_eq!(local_path(""), "/");
    }
}
