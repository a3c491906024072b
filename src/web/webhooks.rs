//! An organisation's webhooks, for its moderators (`/moderation/organisations/{id}/webhooks`,
//! `/moderation/organisation/webhooks` leading to their own) and for admins
//! (`/admin/organisations/{id}/webhooks`): the endpoints (register, new secret, disable), the
//! latest deliveries with their last status, last error and next attempt, and « Renvoyer ».
//! Another organisation's page answers 404, as an unknown one.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use entity::organisation;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::organisations::Scope;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::webhooks::outbox::{Redelivered, SHOWN};
use crate::webhooks::{Event, endpoints, outbox};
use domain::DomainError;
use entity::states::{OutboxStatus, Role};

/// The webhook routes.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation/organisation/webhooks", get(own))
        .route(
            "/moderation/organisations/{id}/webhooks",
            get(show).post(register),
        )
        .route("/admin/organisations/{id}/webhooks", get(show))
        .route(
            "/moderation/organisations/{id}/webhooks/{endpoint}/secret",
            post(rotate),
        )
        .route(
            "/moderation/organisations/{id}/webhooks/{endpoint}/desactiver",
            post(disable),
        )
        .route(
            "/moderation/organisations/{id}/webhooks/envois/{delivery}/renvoyer",
            post(redeliver),
        )
        .layer(crate::web::security::no_store())
}

/// An endpoint as the page shows it.
struct EndpointRow {
    id: i64,
    url: String,
    created: String,
    active: bool,
}

/// A delivery as the page shows it.
struct DeliveryRow {
    id: i64,
    event: &'static str,
    event_id: String,
    url: String,
    state: &'static str,
    attempts: i32,
    status_code: Option<i32>,
    error: Option<String>,
    next: Option<String>,
    created: String,
    can_retry: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/webhooks.html")]
struct WebhooksPage {
    layout: Layout,
    organisation: organisation::Model,
    /// Where the page sits: the admin's organisation page or the moderation pages.
    back: String,
    endpoints: Vec<EndpointRow>,
    deliveries: Vec<DeliveryRow>,
    shown: u64,
    errors: FieldErrors,
    url: String,
    /// A secret just drawn: shown this once.
    new_secret: Option<NewSecret>,
}

/// A secret just drawn, with the address it signs for.
struct NewSecret {
    url: String,
    secret: String,
}

/// A moderator's own organisation's page (the first of theirs); admins choose among all.
async fn own(staff: CurrentStaff) -> AppResult<Redirect> {
    match &staff.scope {
        Scope::All => Ok(Redirect::to("/admin/organisations")),
        Scope::Organisations(ids) => match ids.first() {
            Some(id) => Ok(Redirect::to(&format!(
                "/moderation/organisations/{id}/webhooks"
            ))),
            None => Err(AppError::NotFound),
        },
    }
}

async fn page(
    state: &AppState,
    layout: Layout,
    staff: &CurrentStaff,
    id: i64,
) -> AppResult<WebhooksPage> {
    let organisation = endpoints::organisation_of(&state.db, staff, id).await?;
    let departement = organisation
        .departements
        .split_whitespace()
        .next()
        .unwrap_or("75")
        .to_owned();
    let endpoints = endpoints::list(&state.db, organisation.id)
        .await?
        .into_iter()
        .map(|e| EndpointRow {
            id: e.id,
            url: e.url,
            created: date_time_fr(e.created_at, &departement),
            active: e.disabled_at.is_none(),
        })
        .collect();
    let deliveries = outbox::latest(&state.db, staff, organisation.id)
        .await?
        .into_iter()
        .map(|d| DeliveryRow {
            id: d.id,
            event: Event::from_slug(&d.event_type).map_or("Événement", Event::label),
            event_id: d.event_id,
            url: d.url,
            state: state_word(d.status),
            attempts: d.attempts,
            status_code: d.last_status_code,
            error: d.last_error,
            next: (d.status == OutboxStatus::Pending)
                .then(|| date_time_fr(d.next_attempt_at, &departement)),
            created: date_time_fr(d.created_at, &departement),
            can_retry: matches!(d.status, OutboxStatus::Failed | OutboxStatus::Pending),
        })
        .collect();
    let back = match staff.role {
        Role::Admin => format!("/admin/organisations/{}", organisation.id),
        _ => "/moderation".to_owned(),
    };
    Ok(WebhooksPage {
        layout,
        organisation,
        back,
        endpoints,
        deliveries,
        shown: SHOWN,
        errors: FieldErrors::new(),
        url: String::new(),
        new_secret: None,
    })
}

/// What a delivery's state is called on the page.
fn state_word(status: OutboxStatus) -> &'static str {
    match status {
        OutboxStatus::Pending => "En attente d'un nouvel essai",
        OutboxStatus::Sending => "En cours d'envoi",
        OutboxStatus::Sent => "Reçu",
        OutboxStatus::Failed => "Abandonné",
    }
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<WebhooksPage> {
    page(&state, layout, &staff, id).await
}

/// The address typed in the form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NewEndpoint {
    url: String,
}

async fn register(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(input): Form<NewEndpoint>,
) -> AppResult<Response> {
    match endpoints::register(&state.db, &state.config, &staff, id, &input.url).await {
        Ok(created) => {
            let mut page = page(&state, layout, &staff, id).await?;
            page.new_secret = Some(NewSecret {
                url: created.endpoint.url,
                secret: created.secret,
            });
            Ok(page.into_response())
        }
        Err(DomainError::Invalid(errors)) => {
            let mut page = page(&state, layout, &staff, id).await?;
            page.errors = errors;
            page.url = input.url.trim().to_owned();
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

async fn rotate(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path((id, endpoint)): Path<(i64, i64)>,
) -> AppResult<WebhooksPage> {
    let rotated = endpoints::rotate(&state.db, &state.config, &staff, id, endpoint).await?;
    let mut page = page(&state, layout, &staff, id).await?;
    page.new_secret = Some(NewSecret {
        url: rotated.endpoint.url,
        secret: rotated.secret,
    });
    Ok(page)
}

async fn disable(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path((id, endpoint)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    let disabled = endpoints::disable(&state.db, &staff, id, endpoint).await?;
    push_flash(
        &session,
        FlashKind::Success,
        format!(
            "L'adresse {} est désactivée : elle ne recevra plus rien.",
            disabled.url
        ),
    )
    .await?;
    Ok(Redirect::to(&format!(
        "/moderation/organisations/{id}/webhooks"
    )))
}

async fn redeliver(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path((id, delivery)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    let (kind, text) = match outbox::redeliver(&state.db, &staff, id, delivery).await? {
        Redelivered::Queued => (
            FlashKind::Success,
            "L'envoi repart : il sera tenté dans la minute.",
        ),
        Redelivered::NotWaiting => (
            FlashKind::Info,
            "Cet envoi a déjà été reçu ou est en cours : rien n'a changé.",
        ),
    };
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to(&format!(
        "/moderation/organisations/{id}/webhooks"
    )))
}
