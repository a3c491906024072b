//! The actions of a request's page: valider, refuser, proposer à un bénévole choisi, relancer la
//! recherche, transférer, marquer résolue. Each handler parses the form, calls the domain (which
//! checks the scope and the lifecycle again), and comes back to the request's page with a message.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum_extra::extract::Form;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::error::AppResult;
use crate::matching::rounds::RoundOutcome;
use crate::moderation::actions::{self, ActionError, ActionResult};
use crate::moderation::refusal::{self, MAX_MESSAGE, RefusalReason};
use crate::moderation::transfer;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::moderation::request::{Typed, page};

/// The action routes under `/moderation/demandes/{id}/…`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation/demandes/{id}/valider", post(validate))
        .route("/moderation/demandes/{id}/refuser", post(refuse))
        .route("/moderation/demandes/{id}/proposer", post(propose))
        .route("/moderation/demandes/{id}/relancer", post(relaunch))
        .route("/moderation/demandes/{id}/transferer", post(transfer))
        .route("/moderation/demandes/{id}/resolue", post(resolve))
}

/// The request's page.
fn request_url(id: i64) -> String {
    format!("/moderation/demandes/{id}")
}

/// Shows the outcome of an action on the next page: its success message, or why it was refused.
async fn conclude(session: &Session, outcome: ActionResult<String>) -> AppResult<()> {
    match outcome {
        Ok(message) => push_flash(session, FlashKind::Success, message).await,
        Err(ActionError::Refused(message)) => push_flash(session, FlashKind::Error, message).await,
        Err(ActionError::Rule(err)) => Err(err.into()),
    }
}

/// What matching did, in a sentence.
fn matching_news(outcome: RoundOutcome) -> &'static str {
    match outcome {
        RoundOutcome::Proposed(1) => "Elle a été proposée à un bénévole.",
        RoundOutcome::Proposed(_) => "Elle a été proposée à plusieurs bénévoles.",
        RoundOutcome::StillWaiting => "Des propositions attendent encore une réponse.",
        RoundOutcome::NoVolunteer => {
            "Aucun bénévole disponible ne correspond pour le moment : elle reste sans bénévole."
        }
    }
}

async fn validate(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    let outcome = actions::validate(&state.db, &state.config, &staff, id)
        .await
        .map(|o| format!("La demande est validée. {}", matching_news(o)));
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&request_url(id)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RefuseForm {
    motif: String,
    message: String,
}

async fn refuse(
    State(state): State<AppState>,
    layout: Layout,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<RefuseForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let reason = RefusalReason::from_slug(form.motif.trim());
    if reason.is_none() {
        errors.add("motif", "Choisissez le motif du refus.");
    }
    let message = form.message.trim();
    if message.chars().count() > MAX_MESSAGE {
        errors.add(
            "message",
            format!("Ce message est trop long : {MAX_MESSAGE} caractères au plus."),
        );
    }
    let Some(reason) = reason.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            errors,
            motif: form.motif,
            message: form.message,
            ..Typed::default()
        };
        return page(&state, layout, &staff, id, typed).await;
    };
    let message = (!message.is_empty()).then(|| message.to_owned());
    let outcome = refusal::refuse(&state.db, &state.config, &staff, id, reason, message)
        .await
        .map(|()| {
            "La demande est refusée. La personne est prévenue si elle a donné une adresse e-mail."
                .to_owned()
        });
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&request_url(id)).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProposeForm {
    benevole: String,
}

async fn propose(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<ProposeForm>,
) -> AppResult<Redirect> {
    // An unreadable choice is nobody: the domain refuses it once the scope is checked.
    let volunteer = form.benevole.trim().parse::<i64>().unwrap_or(0);
    let outcome = actions::propose(&state.db, &state.config, &staff, id, volunteer)
        .await
        .map(|prenom| {
            format!("La demande est proposée à {prenom}, qui a reçu un e-mail pour répondre.")
        });
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&request_url(id)))
}

async fn relaunch(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    let outcome = actions::relaunch(&state.db, &state.config, &staff, id)
        .await
        .map(|o| format!("La recherche est relancée. {}", matching_news(o)));
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&request_url(id)))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TransferForm {
    organisation: String,
}

async fn transfer(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<TransferForm>,
) -> AppResult<Redirect> {
    let organisation = form.organisation.trim().parse::<i64>().unwrap_or(0);
    let result = transfer::transfer(&state.db, &state.config, &staff, id, organisation).await;
    // Once given away, the request may be out of sight: then the queue is where to go back.
    let back = match &result {
        Ok(done) if !done.still_visible => "/moderation".to_owned(),
        _ => request_url(id),
    };
    let outcome = result.map(|done| format!("La demande est transférée à « {} ».", done.to.name));
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&back))
}

async fn resolve(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    let outcome = actions::resolve(&state.db, &state.config, &staff, id)
        .await
        .map(|()| "La demande est marquée comme résolue.".to_owned());
    conclude(&session, outcome).await?;
    Ok(Redirect::to(&request_url(id)))
}
