//! The pages where staff manage an organisation's API keys: admins at
//! `/admin/organisations/{id}/cles-api`, an organisation's moderators at
//! `/moderation/organisations/{id}/cles-api` (`/moderation/organisation/cles-api` leads to their
//! first organisation's). A new key's secret is shown once, on the page answering its creation.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use entity::states::Role;
use entity::{account, api_key, organisation};
use sea_orm::EntityTrait;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::dates::date_time_fr;
use crate::error::{AppError, AppResult};
use crate::organisations::Scope;
use crate::partners::keys;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::security::no_store;

/// The key pages, for admins and for moderators.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/admin/organisations/{id}/cles-api",
            get(admin_page).post(admin_create),
        )
        .route(
            "/admin/organisations/{id}/cles-api/{key}/revoquer",
            post(admin_revoke),
        )
        .route("/moderation/organisation/cles-api", get(first_organisation))
        .route(
            "/moderation/organisations/{id}/cles-api",
            get(moderation_page).post(moderation_create),
        )
        .route(
            "/moderation/organisations/{id}/cles-api/{key}/revoquer",
            post(moderation_revoke),
        )
        .layer(no_store())
}

/// Which side of the service the page is on.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Admin,
    Moderation,
}

impl Side {
    fn base(self, organisation_id: i64) -> String {
        match self {
            Self::Admin => format!("/admin/organisations/{organisation_id}/cles-api"),
            Self::Moderation => format!("/moderation/organisations/{organisation_id}/cles-api"),
        }
    }

    /// Admin pages are for admins only; moderators use their own side.
    fn allows(self, staff: &CurrentStaff) -> bool {
        self == Self::Moderation || staff.role == Role::Admin
    }
}

/// One key in the list.
struct KeyRow {
    id: i64,
    name: String,
    prefix: String,
    created: String,
    created_by: String,
    last_used: String,
    revoked: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "api/cles.html")]
struct KeysPage {
    layout: Layout,
    /// For the admin navigation.
    section: &'static str,
    admin: bool,
    organisation: organisation::Model,
    base: String,
    keys: Vec<KeyRow>,
    errors: FieldErrors,
    nom: String,
    /// The secret of the key just created: shown on this page only.
    new_secret: Option<String>,
}

#[derive(Deserialize)]
struct NewKeyForm {
    #[serde(default)]
    nom: String,
}

async fn page_for(
    state: &AppState,
    layout: Layout,
    staff: &CurrentStaff,
    side: Side,
    organisation_id: i64,
) -> AppResult<KeysPage> {
    if !side.allows(staff) || !staff.scope.covers_organisation(organisation_id) {
        return Err(AppError::NotFound);
    }
    let organisation = organisation::Entity::find_by_id(organisation_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut rows = Vec::new();
    for key in keys::of_organisation(&state.db, organisation_id).await? {
        rows.push(row(state, key).await?);
    }
    Ok(KeysPage {
        layout,
        section: "organisations",
        admin: side == Side::Admin,
        organisation,
        base: side.base(organisation_id),
        keys: rows,
        errors: FieldErrors::new(),
        nom: String::new(),
        new_secret: None,
    })
}

async fn row(state: &AppState, key: api_key::Model) -> AppResult<KeyRow> {
    let when = |at| date_time_fr(at, "75");
    let created_by = match key.created_by {
        Some(id) => account::Entity::find_by_id(id)
            .one(&state.db)
            .await?
            .map_or_else(|| "compte supprimé".to_owned(), |a| a.prenom),
        None => "compte supprimé".to_owned(),
    };
    Ok(KeyRow {
        id: key.id,
        name: key.name,
        prefix: key.prefix,
        created: when(key.created_at),
        created_by,
        last_used: key.last_used_at.map_or_else(|| "jamais".to_owned(), when),
        revoked: key.revoked_at.map(when),
    })
}

async fn show(
    state: AppState,
    layout: Layout,
    staff: CurrentStaff,
    side: Side,
    id: i64,
) -> AppResult<KeysPage> {
    page_for(&state, layout, &staff, side, id).await
}

async fn create(
    state: AppState,
    layout: Layout,
    staff: CurrentStaff,
    side: Side,
    id: i64,
    form: NewKeyForm,
) -> AppResult<Response> {
    // Checks the side and the scope before anything is written.
    page_for(&state, layout.clone(), &staff, side, id).await?;
    match keys::create(&state.db, &state.config.secret_key, &staff, id, &form.nom).await {
        Ok(created) => {
            let mut page = page_for(&state, layout, &staff, side, id).await?;
            page.new_secret = Some(created.secret);
            Ok(page.into_response())
        }
        Err(domain::DomainError::Invalid(errors)) => {
            let mut page = page_for(&state, layout, &staff, side, id).await?;
            page.errors = errors;
            page.nom = form.nom;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(err) => Err(err.into()),
    }
}

async fn revoke(
    state: AppState,
    session: Session,
    staff: CurrentStaff,
    side: Side,
    id: i64,
    key: i64,
) -> AppResult<Redirect> {
    if !side.allows(&staff) {
        return Err(AppError::NotFound);
    }
    keys::revoke(&state.db, &staff, id, key).await?;
    push_flash(
        &session,
        FlashKind::Success,
        "La clé est révoquée : elle ne permet plus aucun appel.",
    )
    .await?;
    Ok(Redirect::to(&side.base(id)))
}

async fn admin_page(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<KeysPage> {
    show(state, layout, staff, Side::Admin, id).await
}

async fn moderation_page(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<KeysPage> {
    show(state, layout, staff, Side::Moderation, id).await
}

async fn admin_create(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<NewKeyForm>,
) -> AppResult<Response> {
    create(state, layout, staff, Side::Admin, id, form).await
}

async fn moderation_create(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(form): Form<NewKeyForm>,
) -> AppResult<Response> {
    create(state, layout, staff, Side::Moderation, id, form).await
}

async fn admin_revoke(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path((id, key)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    revoke(state, session, staff, Side::Admin, id, key).await
}

async fn moderation_revoke(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Path((id, key)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    revoke(state, session, staff, Side::Moderation, id, key).await
}

/// A moderator's way in: the key page of their first organisation.
async fn first_organisation(staff: CurrentStaff) -> AppResult<Redirect> {
    match &staff.scope {
        Scope::Organisations(ids) => match ids.first() {
            Some(id) => Ok(Redirect::to(&Side::Moderation.base(*id))),
            None => Err(AppError::NotFound),
        },
        Scope::All => Ok(Redirect::to("/admin/organisations")),
    }
}
