//! The JSON API, under `/api/v1`. Errors need no code here: a handler returns an
//! [`crate::error::AppError`] and [`crate::web::error_pages`] writes it as
//! `{"error": {"status", "title", "message"}}`.

mod communes;

use axum::Router;

use crate::AppState;

/// Every route of the API.
pub fn router() -> Router<AppState> {
    Router::new().nest("/api/v1", communes::router())
}
