//! `/moderation/demandes/{id}`: everything about a request of the staff member's scope — the
//! person and how to reach them, its organisation and volunteer, the proposals, the candidates
//! with their score explained, the timeline with internal notes — and the forms of the actions
//! its state allows. Internal notes are added here too.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::Utc;
use entity::help_request;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::contact::display_fr;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::geo::DepartementCode;
use crate::moderation::actions::{self, ActionError, Allowed};
use crate::moderation::detail::{self, CandidateView, FeedbackView, ProposalView};
use crate::moderation::refusal::RefusalReason;
use crate::moderation::timeline::{self, Source};
use crate::moderation::{notes, queue, transfer};
use crate::reference::{CategorySet, ModeSet, language_label};
use crate::requests::RequestStatus;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::volunteers::form::Choice;

/// `/moderation/demandes/{id}` and its notes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation/demandes/{id}", get(show))
        .route("/moderation/demandes/{id}/notes", post(add_note))
}

/// What the page's own forms hold when shown again with errors.
#[derive(Clone, Debug, Default)]
pub struct Typed {
    pub errors: FieldErrors,
    pub note: String,
    pub motif: String,
    pub message: String,
}

/// One line of the timeline.
struct Line {
    when: String,
    who: String,
    what: String,
    details: Option<String>,
    css: &'static str,
}

/// A candidate, ready to show.
struct CandidateLine {
    view: CandidateView,
    commune: String,
    distance: String,
    score: String,
}

/// The person's feedback, ready to show.
struct FeedbackLine {
    view: FeedbackView,
    when: String,
}

/// One organisation a request may go to.
struct Target {
    id: i64,
    name: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/demande.html")]
struct RequestPage {
    layout: Layout,
    request: help_request::Model,
    status: RequestStatus,
    priority: bool,
    categories: Vec<&'static str>,
    modes: Vec<&'static str>,
    commune: String,
    departement: String,
    telephone: Option<String>,
    langue: Option<&'static str>,
    created: String,
    organisation: Option<String>,
    volunteer: Option<entity::account::Model>,
    entered_by: Option<String>,
    allowed: Allowed,
    reasons: Vec<Choice>,
    targets: Vec<Target>,
    candidates: Vec<CandidateLine>,
    proposals: Vec<ProposalView>,
    feedback: Option<FeedbackLine>,
    timeline: Vec<Line>,
    typed: Typed,
    errors: FieldErrors,
}

/// Builds the page of request `id` (404 outside the staff member's scope).
pub async fn page(
    state: &AppState,
    layout: Layout,
    staff: &CurrentStaff,
    id: i64,
    typed: Typed,
) -> AppResult<Response> {
    let db = &state.db;
    let request = actions::find_in_scope(db, &staff.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = request.status;
    let allowed = Allowed::of(status, staff.request_actor());
    let now = Utc::now();
    let around = detail::around(db, &request).await?;
    let items = timeline::of_request(db, &request).await?;
    let since = queue::status_since(db, std::slice::from_ref(&request))
        .await?
        .get(&request.id)
        .copied()
        .unwrap_or(request.created_at);
    let candidates = if allowed.propose {
        let found = detail::candidates(db, &request, now).await?;
        detail::candidate_views(db, &found)
            .await?
            .into_iter()
            .map(|view| CandidateLine {
                commune: state.communes.name_of(&view.commune_insee),
                distance: format!("{:.0} km", view.distance_km.max(1.0)),
                score: format!("{:.0}", view.score),
                view,
            })
            .collect()
    } else {
        Vec::new()
    };
    let targets = if allowed.transfer {
        transfer::targets(db, request.organisation_id)
            .await?
            .into_iter()
            .map(|o| Target {
                id: o.id,
                name: o.name,
            })
            .collect()
    } else {
        Vec::new()
    };
    let timeline = items
        .into_iter()
        .map(|i| Line {
            when: date_time_fr(i.at, &request.departement),
            who: i.who,
            what: i.what,
            details: i.details,
            css: match i.source {
                Source::Event => "historique-evenement",
                Source::Audit => "historique-audit",
                Source::Note => "historique-note",
            },
        })
        .collect();
    let reasons = RefusalReason::ALL
        .into_iter()
        .map(|r| Choice {
            value: r.slug(),
            label: r.label().to_owned(),
            checked: typed.motif == r.slug(),
        })
        .collect();
    let has_errors = !typed.errors.is_empty();
    let body = RequestPage {
        layout,
        status,
        priority: queue::is_priority(request.status, since, now),
        categories: CategorySet::from_bits(request.categories).labels(),
        modes: ModeSet::from_bits(request.modes).labels(),
        commune: state.communes.name_of(&request.commune_insee),
        departement: DepartementCode::parse(&request.departement).map_or_else(
            |_| request.departement.clone(),
            |d| format!("{} ({})", d.nom(), d.as_str()),
        ),
        telephone: request.telephone.as_deref().map(display_fr),
        langue: request.langue.as_deref().and_then(language_label),
        created: date_time_fr(request.created_at, &request.departement),
        organisation: around.organisation.map(|o| o.name),
        volunteer: around.volunteer,
        entered_by: around.entered_by.map(|a| a.prenom),
        allowed,
        reasons,
        targets,
        candidates,
        proposals: detail::proposals(db, request.id).await?,
        feedback: detail::feedback_of(db, request.id)
            .await?
            .map(|view| FeedbackLine {
                when: date_time_fr(view.at, &request.departement),
                view,
            }),
        timeline,
        errors: typed.errors.clone(),
        typed,
        request,
    };
    let status_code = if has_errors {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    Ok((status_code, body).into_response())
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(&state, layout, &staff, id, Typed::default()).await
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NoteForm {
    note: String,
}

async fn add_note(
    State(state): State<AppState>,
    layout: Layout,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    let body = match notes::check(&form.note) {
        Ok(body) => body,
        Err(errors) => {
            let typed = Typed {
                errors,
                note: form.note,
                ..Typed::default()
            };
            return page(&state, layout, &staff, id, typed).await;
        }
    };
    match notes::add(&state.db, &staff, id, body).await {
        Ok(_) => push_flash(&session, FlashKind::Success, "La note est enregistrée.").await?,
        Err(ActionError::Refused(message)) => {
            push_flash(&session, FlashKind::Error, message).await?
        }
        Err(ActionError::Rule(err)) => return Err(err.into()),
    }
    Ok(Redirect::to(&format!("/moderation/demandes/{id}")).into_response())
}
