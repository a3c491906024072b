//! `/moderation/preferences`: for each organisation the staff member belongs to, new-request
//! e-mails one by one or as a daily digest.
//!
//! The form sends one radio group per organisation, named `notification_{organisation_id}`, whose
//! value is `immediat` or `quotidien`. Admins with no membership read who writes to them instead.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use entity::{membership, organisation};
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::Role;
use crate::error::AppResult;
use crate::moderation::preferences::{self, parse_notification};
use crate::organisations::{NOTIFY_DIGEST, NOTIFY_IMMEDIATE};
use crate::web::auth::CurrentStaff;
use crate::web::layout::{FlashKind, Layout, push_flash};

/// The preferences page and its form.
pub fn router() -> Router<AppState> {
    Router::new().route("/moderation/preferences", get(show).post(save))
}

/// One organisation's radio group.
struct Group {
    /// The field's name, `notification_{organisation_id}`.
    field: String,
    organisation: String,
    immediate: bool,
    digest: bool,
    /// What is wrong with what was sent for it.
    error: Option<String>,
}

/// The errors of a sent form, by field name (field names depend on the organisations, so they
/// cannot be the `&'static str` of [`crate::web::forms::FieldErrors`]).
type Errors = Vec<(String, String)>;

#[derive(Template, WebTemplate)]
#[template(path = "moderation/preferences.html")]
struct PreferencesPage {
    layout: Layout,
    errors: Errors,
    groups: Vec<Group>,
    admin: bool,
    immediate_value: &'static str,
    digest_value: &'static str,
}

fn field_name(organisation_id: i64) -> String {
    format!("notification_{organisation_id}")
}

/// The memberships whose preference counts: a moderator's (admins are written to as admins,
/// whatever organisation they might belong to).
async fn memberships(
    state: &AppState,
    staff: &CurrentStaff,
) -> AppResult<Vec<(membership::Model, organisation::Model)>> {
    if staff.role == Role::Admin {
        return Ok(Vec::new());
    }
    Ok(preferences::memberships(&state.db, staff.account.id).await?)
}

/// The page; `typed` holds what the form sent, to show it again with its errors.
async fn page(
    state: &AppState,
    layout: Layout,
    staff: &CurrentStaff,
    errors: Errors,
    typed: Option<&HashMap<String, String>>,
) -> AppResult<Response> {
    let groups = memberships(state, staff)
        .await?
        .into_iter()
        .map(|(membership, organisation)| {
            let field = field_name(organisation.id);
            let value = typed
                .and_then(|t| t.get(&field).cloned())
                .unwrap_or(membership.notification);
            let error = errors
                .iter()
                .find(|(f, _)| *f == field)
                .map(|(_, message)| message.clone());
            Group {
                error,
                immediate: value == NOTIFY_IMMEDIATE,
                digest: value == NOTIFY_DIGEST,
                field,
                organisation: organisation.name,
            }
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = PreferencesPage {
        layout,
        errors,
        groups,
        admin: staff.role == Role::Admin,
        immediate_value: NOTIFY_IMMEDIATE,
        digest_value: NOTIFY_DIGEST,
    };
    Ok((status, page).into_response())
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
) -> AppResult<Response> {
    page(&state, layout, &staff, Errors::new(), None).await
}

async fn save(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    staff: CurrentStaff,
    Form(sent): Form<HashMap<String, String>>,
) -> AppResult<Response> {
    let mine = memberships(&state, &staff).await?;
    let mut errors = Errors::new();
    let mut choices = Vec::new();
    for (_, organisation) in &mine {
        let field = field_name(organisation.id);
        match sent.get(&field).and_then(|v| parse_notification(v)) {
            Some(choice) => choices.push((organisation.id, choice)),
            None => errors.push((
                field,
                format!(
                    "Pour {}, choisissez comment recevoir les nouvelles demandes.",
                    organisation.name
                ),
            )),
        }
    }
    if !errors.is_empty() {
        return page(&state, layout, &staff, errors, Some(&sent)).await;
    }
    let changed =
        preferences::save(&state.db, staff.audit_actor(), staff.account.id, &choices).await?;
    let message = if changed == 0 {
        "Vos préférences n'ont pas changé."
    } else {
        "Vos préférences sont enregistrées."
    };
    push_flash(&session, FlashKind::Success, message).await?;
    Ok(Redirect::to("/moderation/preferences").into_response())
}
