//! `/invitation/{token}`: an invited moderator, or an admin created from the command line,
//! chooses their password through the single-use link they received, which confirms their
//! address and logs them in.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use entity::account;
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::Role;
use crate::accounts::password::check_new_password;
use crate::accounts::staff::{self, InvitationLink};
use crate::error::AppResult;
use crate::web::auth::{home_of, start_session};
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::login::MessagePage;
use crate::web::security::no_store;

/// The invitation page and form.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/invitation/{token}", get(form).post(accept))
        .layer(no_store())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/invitation.html")]
struct InvitationPage {
    layout: Layout,
    errors: FieldErrors,
    token: String,
    prenom: String,
    email: String,
    role_label: &'static str,
}

impl InvitationPage {
    fn new(layout: Layout, token: String, account: &account::Model) -> Self {
        let role_label = match account.role {
            Role::Admin => "administrateur ou administratrice",
            _ => "modérateur ou modératrice",
        };
        Self {
            layout,
            errors: FieldErrors::new(),
            token,
            prenom: account.prenom.clone(),
            email: account.email.clone(),
            role_label,
        }
    }
}

/// Whom to ask for a new link: admins come from the command line, moderators from an admin.
fn who_to_ask(role: Role) -> &'static str {
    match role {
        Role::Admin => {
            "Demandez un nouveau lien à la personne qui gère le serveur d'Entraide \
             (commande « entraide admin create »)."
        }
        _ => {
            "Demandez à un administrateur ou une administratrice d'Entraide de vous inviter à \
             nouveau : vous recevrez un nouveau lien par e-mail."
        }
    }
}

/// The page for a link that cannot be used (any more).
fn unusable(layout: Layout, link: &InvitationLink) -> Response {
    let (status, mut page) = match link {
        InvitationLink::Expired(role) => (
            StatusCode::GONE,
            MessagePage::new(
                layout,
                "Ce lien d'invitation a expiré",
                &[
                    "Un lien d'invitation n'est valable que 7 jours.",
                    who_to_ask(*role),
                ],
            ),
        ),
        InvitationLink::Spent(role) => (
            StatusCode::GONE,
            MessagePage::new(
                layout,
                "Ce lien d'invitation a déjà servi",
                &[
                    "Chaque lien ne sert qu'une fois. Si vous avez déjà choisi votre mot de passe, \
                     connectez-vous avec votre adresse e-mail et ce mot de passe.",
                    who_to_ask(*role),
                ],
            ),
        ),
        InvitationLink::Valid(_) | InvitationLink::Unknown => (
            StatusCode::NOT_FOUND,
            MessagePage::new(
                layout,
                "Ce lien ne fonctionne pas",
                &[
                    "Il n'est peut-être pas complet : copiez-le en entier depuis l'e-mail.",
                    who_to_ask(Role::Moderateur),
                ],
            ),
        ),
    };
    page.links = vec![("/connexion", "Se connecter")];
    (status, page).into_response()
}

async fn form(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    Ok(match staff::check_invitation(&state.db, &token).await? {
        InvitationLink::Valid(account) => {
            InvitationPage::new(layout, token, &account).into_response()
        }
        other => unusable(layout, &other),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct PasswordForm {
    password: String,
    password_confirm: String,
}

async fn accept(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let account = match staff::check_invitation(&state.db, &token).await? {
        InvitationLink::Valid(account) => account,
        other => return Ok(unusable(layout, &other)),
    };
    let mut errors = FieldErrors::new();
    if let Err(message) = check_new_password(&form.password, &account.email) {
        errors.add("password", message);
    } else if form.password != form.password_confirm {
        errors.add(
            "password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    if !errors.is_empty() {
        let mut page = InvitationPage::new(layout, token, &account);
        page.errors = errors;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = state.passwords.hash(&form.password).await?;
    let account = match staff::accept_invitation(&state.db, &token, hash).await? {
        InvitationLink::Valid(account) => account,
        other => return Ok(unusable(layout, &other)),
    };
    start_session(&session, &account).await?;
    push_flash(
        &session,
        FlashKind::Success,
        format!(
            "Bienvenue {} : votre mot de passe est enregistré et vous êtes connecté.",
            account.prenom
        ),
    )
    .await?;
    let role = account.role;
    Ok(Redirect::to(home_of(role)).into_response())
}
