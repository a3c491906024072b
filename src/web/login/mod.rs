//! Logging in and out, confirming an address from its e-mail, and choosing a new password after
//! forgetting it. Answers never tell whether an address has an account.

mod confirmation;
mod reset;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::login::{LoginOutcome, WINDOW_MINUTES, log_in};
use crate::error::AppResult;
use crate::web::auth::{end_session, start_session};
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::rate_limit::FormLimit;
use crate::web::redirects::local_path;

/// Login, logout, address confirmation and password reset; `limit` guards the forms that send
/// e-mails to any address typed.
pub fn router(limit: &FormLimit) -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_form).post(login))
        .route("/deconnexion", post(logout))
        .route(
            "/verifier-email/renvoyer",
            post(confirmation::resend).layer(limit.clone()),
        )
        .route("/verifier-email/{token}", get(confirmation::confirm))
        .route(
            "/mot-de-passe-oublie",
            get(reset::forgot_form)
                .post(reset::forgot)
                .layer(limit.clone()),
        )
        .route(
            "/mot-de-passe/{token}",
            get(reset::reset_form).post(reset::reset),
        )
}

/// A page that only says something: after a form, or for a link that no longer works.
#[derive(Template, WebTemplate)]
#[template(path = "accounts/message.html")]
pub struct MessagePage {
    /// The layout.
    pub layout: Layout,
    /// The title (h1).
    pub title: &'static str,
    /// The text.
    pub paragraphs: Vec<String>,
    /// Whether to offer a new confirmation e-mail.
    pub resend: bool,
    /// The address to prefill in that form.
    pub email: String,
    /// Buttons leading on: (address, text).
    pub links: Vec<(&'static str, &'static str)>,
}

impl MessagePage {
    /// A page with a title and some text.
    pub fn new(layout: Layout, title: &'static str, paragraphs: &[&str]) -> Self {
        Self {
            layout,
            title,
            paragraphs: paragraphs.iter().map(|p| (*p).to_owned()).collect(),
            resend: false,
            email: String::new(),
            links: Vec::new(),
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct EmailForm {
    /// The address typed.
    pub(super) email: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/connexion.html")]
struct LoginPage {
    layout: Layout,
    errors: FieldErrors,
    email: String,
    suivant: String,
    unverified: bool,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NextQuery {
    suivant: String,
}

async fn login_form(layout: Layout, Query(query): Query<NextQuery>) -> LoginPage {
    LoginPage {
        layout,
        errors: FieldErrors::new(),
        email: String::new(),
        suivant: query.suivant,
        unverified: false,
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LoginForm {
    email: String,
    password: String,
    suivant: String,
}

async fn login(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    ClientIp(ip): ClientIp,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let mut page = LoginPage {
        layout,
        errors: FieldErrors::new(),
        email: form.email.trim().to_owned(),
        suivant: form.suivant.clone(),
        unverified: false,
    };
    if form.email.trim().is_empty() {
        page.errors.add("email", "Indiquez votre adresse e-mail.");
    }
    if form.password.is_empty() {
        page.errors.add("password", "Indiquez votre mot de passe.");
    }
    if !page.errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let outcome = log_in(
        &state.db,
        &state.passwords,
        &state.config.secret_key,
        &form.email,
        &form.password,
        ip,
    )
    .await?;
    match outcome {
        LoginOutcome::LoggedIn(account) => {
            start_session(&session, &account).await?;
            push_flash(
                &session,
                FlashKind::Success,
                format!("Bonjour {}, vous êtes connecté.", account.prenom),
            )
            .await?;
            let target = local_path(&form.suivant)
                .unwrap_or_else(|| crate::web::auth::home_of(account.role));
            Ok(Redirect::to(target).into_response())
        }
        LoginOutcome::Unverified(_) => {
            page.unverified = true;
            Ok((StatusCode::FORBIDDEN, page).into_response())
        }
        LoginOutcome::WrongCredentials => {
            page.errors.add(
                "email",
                "Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.",
            );
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        LoginOutcome::Throttled => {
            page.errors.add(
                "email",
                format!(
                    "Trop de tentatives de connexion. Par sécurité, attendez {WINDOW_MINUTES} minutes \
                     avant de réessayer, ou choisissez un nouveau mot de passe (lien « Mot de passe oublié ? »)."
                ),
            );
            Ok((StatusCode::TOO_MANY_REQUESTS, page).into_response())
        }
    }
}

async fn logout(session: Session) -> AppResult<Redirect> {
    end_session(&session).await?;
    push_flash(
        &session,
        FlashKind::Success,
        "Vous êtes déconnecté. À bientôt !",
    )
    .await?;
    Ok(Redirect::to("/"))
}
