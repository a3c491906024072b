//! A volunteer's page for moderators: the safety reports about them, the profile, the requests
//! they hold, their latest proposals, what moderators did about them, and the actions their state
//! allows.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use entity::help_request;

use super::{category_labels, full_name, mode_labels};
use crate::AppState;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::moderation::volunteer_actions::MAX_REASON_CHARS;
use crate::moderation::volunteers::{self, find_in_scope};
use crate::reference::language_label;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::Layout;

/// A request the volunteer holds or was proposed; linked when the staff member may open it.
struct RequestLine {
    reference: String,
    link: Option<String>,
    commune: String,
    date: String,
    status: &'static str,
}

/// One audit entry about the volunteer.
struct AuditLine {
    date: String,
    actor: String,
    action: &'static str,
    details: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/benevole.html")]
struct DetailPage {
    layout: Layout,
    errors: FieldErrors,
    motif: String,
    max_reason: usize,
    id: i64,
    name: String,
    email: String,
    commune: String,
    departement: String,
    rayon_km: i32,
    modes: Vec<&'static str>,
    categories: Vec<&'static str>,
    langues: Vec<&'static str>,
    max: i32,
    disponibilites: String,
    since: String,
    paused_until: Option<String>,
    vetted_at: Option<String>,
    suspended_at: Option<String>,
    suspension_reason: Option<String>,
    held: Vec<RequestLine>,
    proposals: Vec<RequestLine>,
    /// Requests whose person said this volunteer asked for money, a password or a code.
    safety_reports: Vec<RequestLine>,
    audit: Vec<AuditLine>,
    /// Lives outside the staff member's territory: seen because one of their requests was
    /// proposed to them.
    from_elsewhere: bool,
}

/// The page of volunteer `id`, with the suspension form's `errors` and what was typed in it.
pub(super) async fn page(
    state: &AppState,
    layout: Layout,
    staff: &CurrentStaff,
    id: i64,
    errors: FieldErrors,
    motif: String,
) -> AppResult<Response> {
    let (account, profile) = find_in_scope(&state.db, &staff.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let record = volunteers::record(&state.db, id).await?;
    let from_elsewhere = !staff
        .scope
        .territory(&state.db)
        .await?
        .covers(&profile.departement);
    let dept = profile.departement.clone();
    let date = |at| date_time_fr(at, &dept);
    let line = |r: &help_request::Model, at, status| RequestLine {
        reference: r.reference.clone(),
        link: staff
            .scope
            .covers_request(r)
            .then(|| format!("/moderation/demandes/{}", r.id)),
        commune: state.communes.name_of(&r.commune_insee),
        date: date(at),
        status,
    };
    let held = record
        .held
        .iter()
        .map(|r| line(r, r.updated_at, "Prise en charge"))
        .collect();
    let proposals = record
        .proposals
        .iter()
        .map(|(p, r)| line(r, p.created_at, p.status.volunteer_page_label()))
        .collect();
    let safety_reports = record
        .safety_reports
        .iter()
        .map(|(f, r)| line(r, f.created_at, r.status.label()))
        .collect();
    let audit = record
        .audit
        .into_iter()
        .map(|(entry, actor)| AuditLine {
            date: date(entry.at),
            actor: actor.unwrap_or_else(|| "Système".to_owned()),
            action: entry.action.volunteer_page_label(),
            details: entry.details,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = DetailPage {
        layout,
        errors,
        motif,
        max_reason: MAX_REASON_CHARS,
        id,
        name: full_name(&account),
        email: account.email.clone(),
        commune: state.communes.name_of(&profile.commune_insee),
        departement: profile.departement.clone(),
        rayon_km: profile.rayon_km,
        modes: mode_labels(&profile),
        categories: category_labels(&profile),
        langues: profile
            .langues
            .split_whitespace()
            .filter_map(language_label)
            .collect(),
        max: profile.max_demandes,
        disponibilites: profile.disponibilites.clone(),
        since: date(account.created_at),
        paused_until: profile
            .paused_until
            .filter(|until| *until > Utc::now())
            .map(date),
        vetted_at: profile.vetted_at.map(date),
        suspended_at: profile.suspended_at.map(date),
        suspension_reason: profile.suspension_reason.clone(),
        held,
        proposals,
        safety_reports,
        audit,
        from_elsewhere,
    };
    Ok((status, page).into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    page(
        &state,
        layout,
        &staff,
        id,
        FieldErrors::new(),
        String::new(),
    )
    .await
}
