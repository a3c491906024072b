//! The volunteer's desk, `/benevole/espace` ("Mon espace"): the people they help, the requests proposed
//! to them, their profile — and the confirmation asked before the answers that end their part
//! in a request ("C'est résolu", "Je ne peux plus aider").

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::routing::get;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::web::auth::CurrentVolunteer;
use crate::web::layout::Layout;
use crate::web::proposals::{Held, Summary, held_by, waiting};
use crate::web::security::no_store;

/// `/benevole/espace` (the confirmation pages are routed with their answers, in `super::proposals`).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/benevole/espace", get(desk))
        .layer(no_store())
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/espace.html")]
struct DeskPage {
    layout: Layout,
    prenom: String,
    held: Vec<Held>,
    proposals: Vec<Summary>,
}

async fn desk(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
) -> AppResult<DeskPage> {
    Ok(DeskPage {
        layout,
        held: held_by(&state, me.id).await?,
        proposals: waiting(&state, me.id).await?,
        prenom: me.prenom,
    })
}

/// Which answer a confirmation page is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    Solved,
    GivenBack,
}

#[derive(Template, WebTemplate)]
#[template(path = "benevole/confirmer.html")]
pub(crate) struct ConfirmPage {
    layout: Layout,
    request: Held,
    solved: bool,
}

async fn confirm(
    state: &AppState,
    layout: Layout,
    volunteer: i64,
    id: i64,
    ending: Ending,
) -> AppResult<ConfirmPage> {
    let request = held_by(state, volunteer)
        .await?
        .into_iter()
        .find(|r| r.id == id)
        .ok_or(AppError::NotFound)?;
    Ok(ConfirmPage {
        layout,
        request,
        solved: ending == Ending::Solved,
    })
}

/// « Est-ce résolu ? » before "C'est résolu".
pub(crate) async fn confirm_solved(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<ConfirmPage> {
    confirm(&state, layout, me.id, id, Ending::Solved).await
}

/// « Vous ne pouvez plus aider ? » before "Je ne peux plus aider".
pub(crate) async fn confirm_give_back(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(me): CurrentVolunteer,
    Path(id): Path<i64>,
) -> AppResult<ConfirmPage> {
    confirm(&state, layout, me.id, id, Ending::GivenBack).await
}
