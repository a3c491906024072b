//! Moderator pages under `/moderation`: the queue, a request's page and its actions, entering a
//! request for someone who phoned, the volunteers of the territory, e-mail preferences. Every
//! route takes a [`crate::web::auth::CurrentStaff`] and limits every query to its scope.

pub mod export;
pub mod new_request;
pub mod preferences;
pub mod queue;
pub mod request;
pub mod request_actions;
pub mod request_edit;
pub mod request_form;
pub mod volunteers;

use axum::Router;

use crate::AppState;
use crate::web::security::no_store;

/// Every moderation route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(queue::router())
        .merge(export::router())
        .merge(request::router())
        .merge(request_actions::router())
        .merge(request_edit::router())
        .merge(new_request::router())
        .merge(volunteers::router())
        .merge(preferences::router())
        .layer(no_store())
}
