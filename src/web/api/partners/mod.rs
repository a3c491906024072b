//! The partner API (`/api/v1/demandes`): organisations file and follow requests for the people who
//! call them, with a key of theirs (`Authorization: Bearer ent_…`). Every route is registered
//! through [`OpenApiRouter`], so the OpenAPI document lists exactly the routes served.

pub mod auth;
pub mod body;
pub mod commune;
pub mod handlers;
pub mod schemas;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// The largest body the partner API reads: larger ones are answered 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// A request body to show in examples (documentation page, README).
pub const EXAMPLE_BODY: &str = r#"{"categories": ["demarches"], "modes": ["telephone"], "commune": "51100 Reims", "prenom": "Jeanne", "telephone": "03 26 00 00 00", "description": "Renouveler sa carte vitale en ligne", "consentement": true}"#;

/// The partner routes, with their OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(handlers::create, handlers::list))
        .routes(routes!(handlers::show))
        .routes(routes!(handlers::cancel))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
}
