//! Admin pages under `/admin`: organisations, moderators, the e-mail outbox and the audit log.
//! Every route takes a [`crate::web::auth::CurrentAdmin`].

use axum::Router;

use crate::AppState;

/// Every admin route.
pub fn router() -> Router<AppState> {
    Router::new()
}
