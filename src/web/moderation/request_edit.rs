//! `/moderation/demandes/{id}/modifier`: correcting a request that is not finished (categories,
//! description, modes, commune, first name, contact details, language) and leaving a message for
//! the volunteer, with the public form's checks worded about the person.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use tower_sessions::Session;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::moderation::actions::{self, ActionError, Allowed};
use crate::moderation::edit;
use crate::requests::intake::RequestInput;
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::moderation::request_form::{RequestFields, about_the_person, read_commune};

/// `/moderation/demandes/{id}/modifier`.
pub fn router() -> Router<AppState> {
    Router::new().route("/moderation/demandes/{id}/modifier", get(show).post(submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/modifier.html")]
struct EditPage {
    layout: Layout,
    id: i64,
    reference: String,
    form: RequestFields,
    errors: FieldErrors,
}

fn request_url(id: i64) -> String {
    format!("/moderation/demandes/{id}")
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let request = actions::find_in_scope(&state.db, &staff.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let status = request.status;
    if !Allowed::of(status, staff.request_actor()).edit {
        if let ActionError::Refused(message) = actions::not_now("la modifier", status) {
            push_flash(&session, FlashKind::Error, message).await?;
        }
        return Ok(Redirect::to(&request_url(id)).into_response());
    }
    Ok(EditPage {
        layout,
        id,
        reference: request.reference.clone(),
        form: RequestFields::from_request(&state.communes, &request),
        errors: FieldErrors::new(),
    }
    .into_response())
}

async fn submit(
    State(state): State<AppState>,
    layout: Layout,
    session: Session,
    staff: CurrentStaff,
    Path(id): Path<i64>,
    Form(input): Form<RequestInput>,
) -> AppResult<Response> {
    let request = actions::find_in_scope(&state.db, &staff.scope, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    let (field, commune) = read_commune(&state.communes, &input, &mut errors);
    let changes = match edit::validate(&input, commune, errors) {
        Ok(changes) => changes,
        Err(errors) => {
            let errors = about_the_person(errors);
            let page = EditPage {
                layout,
                id,
                reference: request.reference,
                form: RequestFields::new(input, errors.clone(), field, false),
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    match edit::edit(&state.db, &state.config, &staff, id, &changes).await {
        Ok(fields) if fields.is_empty() => {
            push_flash(
                &session,
                FlashKind::Info,
                "Rien n'a changé : la demande est restée telle quelle.",
            )
            .await?;
        }
        Ok(fields) => {
            push_flash(
                &session,
                FlashKind::Success,
                format!("La demande est modifiée ({}).", fields.join(", ")),
            )
            .await?;
        }
        Err(ActionError::Refused(message)) => {
            push_flash(&session, FlashKind::Error, message).await?;
        }
        Err(ActionError::Rule(err)) => return Err(err.into()),
    }
    Ok(Redirect::to(&request_url(id)).into_response())
}
