//! Moderator pages under `/moderation`: the queue, a request's page and its actions, entering a
//! request for someone who phoned, the volunteers of the territory, e-mail preferences. Every
//! route takes a [`crate::web::auth::CurrentStaff`] and limits every query to its scope.

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
use crate::geo::InseeCode;

/// Every moderation route.
pub fn router() -> Router<AppState> {
    Router::new()
        .merge(queue::router())
        .merge(request::router())
        .merge(request_actions::router())
        .merge(request_edit::router())
        .merge(new_request::router())
        .merge(volunteers::router())
        .merge(preferences::router())
}

/// The name of the commune with this INSEE code (the code itself if unknown).
pub(crate) fn commune_name(state: &AppState, insee: &str) -> String {
    InseeCode::parse(insee)
        .ok()
        .and_then(|code| state.communes.get(code))
        .map_or_else(|| insee.to_owned(), |c| c.nom.clone())
}
