//! Admin pages under `/admin`: organisations, moderators, the e-mail outbox, the audit log and the
//! operator's health page.
//! Every route takes a [`crate::web::auth::CurrentAdmin`]: a visitor without session goes to the
//! login page, any other role gets 403.

mod emails;
mod journal;
mod moderators;
mod organisations;
mod sante;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use crate::AppState;
use crate::admin::{self, Dashboard};
use crate::error::AppResult;
use crate::web::auth::CurrentAdmin;
use crate::web::layout::Layout;
use crate::web::security::no_store;

/// Every admin route.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/admin", get(dashboard))
        .merge(organisations::router())
        .merge(moderators::router())
        .merge(emails::router())
        .merge(journal::router())
        .merge(sante::router())
        .layer(no_store())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/accueil.html")]
struct DashboardPage {
    layout: Layout,
    section: &'static str,
    counts: Dashboard,
}

/// The step before an irreversible admin action: what it does, the button that does it, and the
/// way back, at least 16 px apart.
#[derive(Template, WebTemplate)]
#[template(path = "admin/confirmation.html")]
struct ConfirmationPage {
    layout: Layout,
    section: &'static str,
    question: String,
    explanation: String,
    /// Where the confirming form posts.
    action: String,
    /// The confirming button's words.
    confirm: String,
    /// Where "no" goes.
    back: String,
}

async fn dashboard(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
) -> AppResult<DashboardPage> {
    Ok(DashboardPage {
        layout,
        section: "accueil",
        counts: admin::dashboard(&state.db).await?,
    })
}
