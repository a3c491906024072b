//! The actions on a volunteer: vet for in-person help or withdraw it, suspend with a reason,
//! reinstate. Each is one transaction with its audit entry (see
//! [`crate::moderation::volunteer_actions`]), then a message and back to the volunteer's page.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;

use super::detail;
use crate::AppState;
use crate::error::AppResult;
use crate::moderation::volunteer_actions::{self, Outcome, Switch, check_reason};
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};

fn back(id: i64) -> Redirect {
    Redirect::to(&format!("/moderation/benevoles/{id}"))
}

/// Tells the outcome: `done` when the state changed, `refused` (an error) when it already was so.
async fn tell(session: &Session, outcome: Outcome, done: &str, refused: &str) -> AppResult<()> {
    match outcome {
        Outcome::Done => push_flash(session, FlashKind::Success, done).await,
        Outcome::Unchanged => push_flash(session, FlashKind::Error, refused).await,
    }
}

async fn switch(
    state: &AppState,
    session: &Session,
    staff: &CurrentStaff,
    id: i64,
    switch: Switch,
) -> AppResult<Redirect> {
    let outcome = volunteer_actions::apply(&state.db, &state.config, staff, id, switch).await?;
    let (done, refused) = match switch {
        Switch::Vet => (
            "Ce bénévole est maintenant vérifié pour l'aide en personne.",
            "Ce bénévole était déjà vérifié pour l'aide en personne : rien n'a changé.",
        ),
        Switch::Unvet => (
            "La vérification pour l'aide en personne est retirée.",
            "Ce bénévole n'était pas vérifié pour l'aide en personne : rien n'a changé.",
        ),
        Switch::Reinstate => (
            "Le compte est rétabli : ce bénévole peut de nouveau recevoir des propositions.",
            "Ce compte n'était pas suspendu : rien n'a changé.",
        ),
    };
    tell(session, outcome, done, refused).await?;
    Ok(back(id))
}

pub(super) async fn vet(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    switch(&state, &session, &staff, id, Switch::Vet).await
}

pub(super) async fn unvet(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    switch(&state, &session, &staff, id, Switch::Unvet).await
}

pub(super) async fn reinstate(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    switch(&state, &session, &staff, id, Switch::Reinstate).await
}

/// The suspension form.
#[derive(Debug, Default, Deserialize)]
pub(super) struct SuspendForm {
    #[serde(default)]
    motif: String,
}

pub(super) async fn suspend(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<SuspendForm>,
) -> AppResult<Response> {
    let reason = match check_reason(&form.motif) {
        Ok(reason) => reason,
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("motif", message);
            return detail::page(&state, layout, &staff, id, errors, form.motif).await;
        }
    };
    let outcome = volunteer_actions::suspend(&state.db, &state.config, &staff, id, &reason).await?;
    tell(
        &session,
        outcome,
        "Le compte est suspendu : ses propositions en attente sont retirées, les demandes dont il s'occupait sont remises en recherche, et un e-mail l'a prévenu.",
        "Ce compte est déjà suspendu : rien n'a changé.",
    )
    .await?;
    Ok(back(id).into_response())
}
