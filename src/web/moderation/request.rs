//! Placeholder: filled by the moderation work (see issue 8).

use axum::Router;

use crate::AppState;

/// This module's routes.
pub fn router() -> Router<AppState> {
    Router::new()
}
