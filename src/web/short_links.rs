//! Short links from SMS: `/s/XXXXXXXX` sends the person on (303) to the page it stands for — the
//! request's follow-up page, or the proposal's page (behind the volunteer's login). An unknown
//! code, or one whose request was erased, is the usual "page not found".

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Redirect;
use axum::routing::get;
use entity::help_request;
use sea_orm::EntityTrait;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::messages::emails::follow_link;
use crate::sms::links::{self, Target};
use domain::DomainError;

/// The route of short links.
pub fn router() -> Router<AppState> {
    Router::new().route("/s/{code}", get(open))
}

async fn open(State(state): State<AppState>, Path(code): Path<String>) -> AppResult<Redirect> {
    let target = links::open(&state.db, &state.config.secret_key, &code)
        .await
        .map_err(DomainError::from)?
        .ok_or(AppError::NotFound)?;
    let to = match target {
        Target::FollowUp { request_id } => {
            let request = help_request::Entity::find_by_id(request_id)
                .one(&state.db)
                .await
                .map_err(DomainError::from)?
                .filter(|r| r.erased_at.is_none())
                .ok_or(AppError::NotFound)?;
            follow_link(&state.config, &request)
        }
        Target::Proposal { proposal_id, .. } => format!("/benevole/propositions/{proposal_id}"),
    };
    Ok(Redirect::to(&to))
}
