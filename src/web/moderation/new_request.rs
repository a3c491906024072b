//! `/moderation/demandes/nouvelle`: a moderator enters a request for someone who phoned — the
//! public form's fields and checks (no robot checks: a person is on the line), the request marked
//! as entered by them and kept in their organisation.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::Form;
use tower_sessions::Session;

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::moderation::actions::{self, ActionError};
use crate::organisations::Scope;
use crate::requests::intake::{self, RequestInput};
use crate::web::auth::CurrentStaff;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::moderation::request_form::{RequestFields, about_the_person, read_commune};

/// `/moderation/demandes/nouvelle`.
pub fn router() -> Router<AppState> {
    Router::new().route("/moderation/demandes/nouvelle", get(show).post(submit))
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/nouvelle_demande.html")]
struct NewRequestPage {
    layout: Layout,
    form: RequestFields,
    errors: FieldErrors,
}

/// A moderator of no organisation has nowhere to put a request.
fn check_member(staff: &CurrentStaff) -> AppResult<()> {
    match &staff.scope {
        Scope::Organisations(ids) if ids.is_empty() => Err(AppError::Forbidden),
        _ => Ok(()),
    }
}

async fn show(layout: Layout, staff: CurrentStaff) -> AppResult<NewRequestPage> {
    check_member(&staff)?;
    Ok(NewRequestPage {
        layout,
        form: RequestFields::empty(),
        errors: FieldErrors::new(),
    })
}

/// Which button sent the form: « Enregistrer et valider » posts to `?ensuite=valider`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Then {
    ensuite: String,
}

async fn submit(
    State(state): State<AppState>,
    layout: Layout,
    session: Session,
    staff: CurrentStaff,
    Query(then): Query<Then>,
    Form(input): Form<RequestInput>,
) -> AppResult<Response> {
    check_member(&staff)?;
    let mut errors = FieldErrors::new();
    let (field, commune) = read_commune(&state.communes, &input, &mut errors);
    let new = match intake::validate(&input, commune, errors) {
        Ok(new) => new,
        Err(errors) => {
            let errors = about_the_person(errors);
            let page = NewRequestPage {
                layout,
                form: RequestFields::new(input, errors.clone(), field, true),
                errors,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    let created = intake::create_entered(
        &state.db,
        &state.config,
        &new,
        staff.account.id,
        staff.role,
        staff.scope.clone(),
    )
    .await?;
    tracing::info!(
        help_request = created.request.id,
        "help request entered by staff"
    );
    push_flash(
        &session,
        FlashKind::Success,
        format!(
            "La demande {} est enregistrée. Donnez ce numéro à la personne : il lui suffit de le citer si elle rappelle.",
            created.request.reference
        ),
    )
    .await?;
    if then.ensuite.trim() == "valider" {
        match actions::validate(&state.db, &state.config, &staff, created.request.id).await {
            Ok(_) => {
                push_flash(
                    &session,
                    FlashKind::Success,
                    "Elle est validée : la recherche d'un bénévole commence.",
                )
                .await?
            }
            // Auto-approving organisations open it at once: nothing left to validate.
            Err(ActionError::Refused(_)) => {}
            Err(ActionError::Rule(err)) => return Err(err.into()),
        }
    }
    Ok(Redirect::to(&format!("/moderation/demandes/{}", created.request.id)).into_response())
}
