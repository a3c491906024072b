//! The privacy notice (RGPD).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::AppState;
use crate::web::layout::Layout;

/// `/confidentialite`.
pub fn router() -> Router<AppState> {
    Router::new().route("/confidentialite", get(notice))
}

#[derive(Template, WebTemplate)]
#[template(path = "confidentialite.html")]
struct NoticePage {
    layout: Layout,
    operator: String,
    contact: String,
    retention_days: u32,
}

async fn notice(State(state): State<AppState>, layout: Layout) -> NoticePage {
    NoticePage {
        layout,
        operator: state.config.operator_name.clone(),
        contact: state.config.privacy_contact.clone(),
        retention_days: state.config.retention_days,
    }
}
