//! `/admin/moderateurs`: the moderators with their organisations, the invitation form, and the
//! removal from an organisation.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::Form;
use entity::organisation;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::admin::moderators::{self, InviteInput, Invited, Listed};
use crate::contact::EmailAddress;
use crate::error::{AppError, AppResult};
use crate::web::admin::ConfirmationPage;
use crate::web::auth::CurrentAdmin;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};

/// The moderator routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/moderateurs", get(list))
        .route("/admin/moderateurs/inviter", post(invite))
        .route(
            "/admin/moderateurs/{account}/organisations/{organisation}/retirer",
            get(confirm_removal).post(remove),
        )
        .route(
            "/admin/moderateurs/{account}/renvoyer-invitation",
            post(resend_invitation),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/moderateurs.html")]
struct ListPage {
    layout: Layout,
    section: &'static str,
    moderators: Vec<Listed>,
    organisations: Vec<organisation::Model>,
    errors: FieldErrors,
    input: InviteInput,
}

async fn page(state: &AppState, layout: Layout, input: InviteInput) -> AppResult<ListPage> {
    Ok(ListPage {
        layout,
        section: "moderateurs",
        moderators: moderators::list(&state.db).await?,
        organisations: crate::organisations::active(&state.db).await?,
        errors: FieldErrors::new(),
        input,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Preselect {
    organisation: String,
}

async fn list(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Query(preselect): Query<Preselect>,
) -> AppResult<ListPage> {
    let input = InviteInput {
        organisation: preselect.organisation,
        ..InviteInput::default()
    };
    page(&state, layout, input).await
}

async fn invite(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    admin: CurrentAdmin,
    Form(input): Form<InviteInput>,
) -> AppResult<Response> {
    let outcome = moderators::invite(&state.db, &state.config, admin.audit_actor(), &input).await?;
    let email = EmailAddress::parse(&input.email).map_or_else(|_| String::new(), |e| e.to_string());
    let text = match outcome {
        Ok(Invited::NewAccount) => format!(
            "L'invitation est envoyée à {email}. La personne choisira son mot de passe grâce au \
             lien reçu, valable 7 jours."
        ),
        Ok(Invited::Added) => {
            format!("{email} modère maintenant aussi cette organisation : un e-mail l'en informe.")
        }
        Ok(Invited::Reinvited) => format!(
            "Une nouvelle invitation est envoyée à {email} : le lien précédent ne fonctionne plus."
        ),
        Err(errors) => {
            let mut page = page(&state, layout, input).await?;
            page.errors = errors;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    push_flash(&session, FlashKind::Success, text).await?;
    Ok(Redirect::to("/admin/moderateurs").into_response())
}

/// "Retirer" asks first: whom from what, and what it changes for them.
async fn confirm_removal(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Path((account, organisation)): Path<(i64, i64)>,
) -> AppResult<ConfirmationPage> {
    let listed = moderators::list(&state.db).await?;
    let (moderator, from) = listed
        .iter()
        .find(|m| m.account.id == account)
        .and_then(|m| {
            m.organisations
                .iter()
                .find(|o| o.id == organisation)
                .map(|o| (m.account.prenom.clone(), o.name.clone()))
        })
        .ok_or(AppError::NotFound)?;
    Ok(ConfirmationPage {
        layout,
        section: "moderateurs",
        question: format!("Retirer {moderator} de « {from} » ?"),
        explanation: format!(
            "{moderator} ne verra plus les demandes ni les bénévoles de « {from} ». Pour lui \
             rendre l'accès, il faudra l'inviter de nouveau."
        ),
        action: format!("/admin/moderateurs/{account}/organisations/{organisation}/retirer"),
        confirm: format!("Oui, retirer {moderator}"),
        back: "/admin/moderateurs".into(),
    })
}

async fn remove(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
    Path((account, organisation)): Path<(i64, i64)>,
) -> AppResult<Redirect> {
    if !moderators::remove(&state.db, admin.audit_actor(), account, organisation).await? {
        return Err(AppError::NotFound);
    }
    push_flash(
        &session,
        FlashKind::Success,
        "Le modérateur est retiré de l'organisation : il ne voit plus ses demandes.",
    )
    .await?;
    Ok(Redirect::to("/admin/moderateurs"))
}

async fn resend_invitation(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
    Path(account): Path<i64>,
) -> AppResult<Redirect> {
    let sent =
        moderators::resend_invitation(&state.db, &state.config, admin.audit_actor(), account)
            .await?;
    let (kind, text) = if sent {
        (
            FlashKind::Success,
            "L'invitation est renvoyée : la personne reçoit un nouveau lien pour choisir son mot \
             de passe (l'ancien ne marche plus).",
        )
    } else {
        (
            FlashKind::Error,
            "Ce modérateur a déjà choisi son mot de passe : il peut se connecter, ou utiliser « Mot \
             de passe oublié ».",
        )
    };
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to("/admin/moderateurs"))
}
