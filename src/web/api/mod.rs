//! The JSON API, under `/api/v1`: the communes (for the "where" field of forms) and the partner
//! API (`/api/v1/demandes`, see [`partners`]), described by an OpenAPI 3.1 document generated from
//! the handlers ([`docs`]). The communes API answers errors as
//! `{"error": {"status", "title", "message"}}` (written by [`crate::web::error_pages`]); the
//! partner API as `application/problem+json` ([`problem`]).

mod communes;
pub mod docs;
pub mod keys;
pub mod partners;
pub mod problem;

use axum::Router;
use axum::routing::get;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::AppState;

/// Every route of the API, with its documentation page.
pub fn router() -> Router<AppState> {
    let (router, _) = openapi_router().split_for_parts();
    router
        .route("/api/docs", get(docs::page))
        .merge(keys::router())
}

/// The routes of `/api/v1`, each with its OpenAPI description.
pub(crate) fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .routes(routes!(communes::communes))
        .routes(routes!(docs::openapi_json))
        .merge(partners::router())
}
