//! `/moderation/demandes/{id}`: everything about a request of the staff member's scope — the
//! person and how to reach them, its organisation and volunteer, the proposals, the candidates
//! with facts and their score explained, the timeline with internal notes — and the forms of the
//! actions its state allows, at the top (a side column on wide screens) with the link to the next
//! request waiting for a moderator. Internal notes and « J'ai rappelé la personne » are here too.

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
use entity::states::Role;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::contact::display_fr;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::geo::DepartementCode;
use crate::moderation::actions::{self, ActionError, Allowed};
use crate::moderation::detail::{self, CandidateView, EmailView, FeedbackView, ProposalView};
use crate::moderation::refusal::RefusalReason;
use crate::moderation::timeline::{self, Source};
use crate::moderation::{desk, facts, notes, queue, transfer, volunteers};
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
        .route("/moderation/demandes/{id}/rappelee", post(called_back))
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
    /// Within the staff member's reach: the name links to the volunteer's page.
    linked: bool,
}

/// An e-mail about the request, ready to show.
struct EmailLine {
    view: EmailView,
    when: String,
}

/// The next request waiting for a moderator.
struct Next {
    id: i64,
    reference: String,
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
    next: Option<Next>,
    /// Why nobody can help, when the list of candidates is empty.
    nobody_why: Option<String>,
    /// The e-mails about the request, latest first.
    emails: Vec<EmailLine>,
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
        let ids: Vec<i64> = found.iter().map(|c| c.account_id).collect();
        let reachable = volunteers::within_reach(db, &staff.scope, &ids).await?;
        detail::candidate_views(db, &request, &found)
            .await?
            .into_iter()
            .map(|view| CandidateLine {
                commune: state.communes.name_of(&view.commune_insee),
                distance: facts::distance_label(view.distance_km),
                linked: reachable.contains(&view.account_id),
                view,
            })
            .collect()
    } else {
        Vec::new()
    };
    let nobody_why = if allowed.propose && candidates.is_empty() {
        detail::why_nobody(db, &request, now).await?
    } else {
        None
    };
    let next = desk::next_request(db, &staff.scope, request.id)
        .await?
        .map(|r| Next {
            id: r.id,
            reference: r.reference,
        });
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
        next,
        nobody_why,
        emails: detail::emails_about(db, &request, staff.role == Role::Admin)
            .await?
            .into_iter()
            .map(|view| EmailLine {
                when: date_time_fr(view.at, &request.departement),
                view,
            })
            .collect(),
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

/// « J'ai rappelé la personne ».
async fn called_back(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match desk::called_back(&state.db, &staff, id).await {
        Ok(()) => {
            push_flash(
                &session,
                FlashKind::Success,
                "C'est noté : la personne a été rappelée.",
            )
            .await?
        }
        Err(ActionError::Refused(message)) => {
            push_flash(&session, FlashKind::Error, message).await?
        }
        Err(ActionError::Rule(err)) => return Err(err.into()),
    }
    Ok(Redirect::to(&format!("/moderation/demandes/{id}")).into_response())
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
