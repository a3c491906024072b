//! `/admin/organisations`: the list, the create and edit forms, deactivation and reactivation.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use entity::organisation;
use tower_sessions::Session;

use crate::AppState;
use crate::admin::organisation_form::{OrganisationInput, validate};
use crate::admin::organisations::{self, Edit, Listed, Switch};
use crate::error::{AppError, AppResult};
use crate::web::admin::ConfirmationPage;
use crate::web::auth::CurrentAdmin;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};

/// The organisation routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/organisations", get(list))
        .route("/admin/organisations/nouvelle", get(new_form).post(create))
        .route("/admin/organisations/{id}", get(edit_form).post(update))
        .route(
            "/admin/organisations/{id}/desactiver",
            get(confirm_deactivation).post(deactivate),
        )
        .route("/admin/organisations/{id}/reactiver", post(reactivate))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/organisations.html")]
struct ListPage {
    layout: Layout,
    section: &'static str,
    organisations: Vec<Listed>,
}

async fn list(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
) -> AppResult<ListPage> {
    Ok(ListPage {
        layout,
        section: "organisations",
        organisations: organisations::list(&state.db).await?,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/organisation.html")]
struct FormPage {
    layout: Layout,
    section: &'static str,
    errors: FieldErrors,
    input: OrganisationInput,
    /// The organisation edited (none: a new one).
    editing: Option<organisation::Model>,
}

impl FormPage {
    fn new(layout: Layout, input: OrganisationInput, editing: Option<organisation::Model>) -> Self {
        Self {
            layout,
            section: "organisations",
            errors: FieldErrors::new(),
            input,
            editing,
        }
    }

    fn refused(mut self, errors: FieldErrors) -> Response {
        self.errors = errors;
        (StatusCode::UNPROCESSABLE_ENTITY, self).into_response()
    }
}

async fn new_form(layout: Layout, _admin: CurrentAdmin) -> FormPage {
    FormPage::new(layout, OrganisationInput::default(), None)
}

async fn create(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    admin: CurrentAdmin,
    Form(input): Form<OrganisationInput>,
) -> AppResult<Response> {
    let page = FormPage::new(layout, input, None);
    let draft = match validate(&page.input) {
        Ok(draft) => draft,
        Err(errors) => return Ok(page.refused(errors)),
    };
    match organisations::create(&state.db, admin.audit_actor(), &draft).await? {
        Ok(created) => {
            let text = format!("L'organisation « {} » est créée.", created.name);
            push_flash(&session, FlashKind::Success, text).await?;
            Ok(Redirect::to("/admin/organisations").into_response())
        }
        Err(errors) => Ok(page.refused(errors)),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let organisation = organisations::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let input = OrganisationInput::from_model(&organisation);
    Ok(FormPage::new(layout, input, Some(organisation)))
}

async fn update(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
    Form(input): Form<OrganisationInput>,
) -> AppResult<Response> {
    let organisation = organisations::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let page = FormPage::new(layout, input, Some(organisation));
    let draft = match validate(&page.input) {
        Ok(draft) => draft,
        Err(errors) => return Ok(page.refused(errors)),
    };
    let (kind, text) =
        match organisations::update(&state.db, admin.audit_actor(), id, &draft).await? {
            Edit::Saved(changes) if changes.is_empty() => (
                FlashKind::Info,
                "Vous n'avez rien changé : l'organisation reste telle quelle.".to_owned(),
            ),
            Edit::Saved(_) => (
                FlashKind::Success,
                format!("Les modifications de « {} » sont enregistrées.", draft.name),
            ),
            Edit::Invalid(errors) => return Ok(page.refused(errors)),
            Edit::NotFound => return Err(AppError::NotFound),
        };
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to("/admin/organisations").into_response())
}

async fn switch(
    state: &AppState,
    session: &Session,
    admin: &CurrentAdmin,
    id: i64,
    active: bool,
) -> AppResult<Redirect> {
    let (kind, text) = match organisations::set_active(&state.db, admin.audit_actor(), id, active)
        .await?
    {
        Switch::Done if active => (
            FlashKind::Success,
            "L'organisation est réactivée : elle reçoit de nouveau les demandes de son territoire.",
        ),
        Switch::Done => (
            FlashKind::Success,
            "L'organisation est désactivée : elle ne reçoit plus de nouvelles demandes, et ses \
             modérateurs ne voient plus ses demandes.",
        ),
        Switch::Unchanged if active => (
            FlashKind::Error,
            "Cette organisation était déjà active : rien n'a changé.",
        ),
        Switch::Unchanged => (
            FlashKind::Error,
            "Cette organisation était déjà désactivée : rien n'a changé.",
        ),
        Switch::NotFound => return Err(AppError::NotFound),
    };
    push_flash(session, kind, text).await?;
    Ok(Redirect::to("/admin/organisations"))
}

/// "Désactiver" asks first: what deactivation does, then the button that does it.
async fn confirm_deactivation(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> AppResult<ConfirmationPage> {
    let organisation = organisations::find(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ConfirmationPage {
        layout,
        section: "organisations",
        question: format!("Désactiver « {} » ?", organisation.name),
        explanation: "Elle ne recevra plus de nouvelles demandes, et ses modérateurs ne verront \
                      plus ses demandes. Vous pourrez la réactiver plus tard."
            .into(),
        action: format!("/admin/organisations/{id}/desactiver"),
        confirm: format!("Oui, désactiver « {} »", organisation.name),
        back: "/admin/organisations".into(),
    })
}

async fn deactivate(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    switch(&state, &session, &admin, id, false).await
}

async fn reactivate(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    switch(&state, &session, &admin, id, true).await
}
