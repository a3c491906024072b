//! Logging in and out, confirming an address from its e-mail, and choosing a new password after
//! forgetting it. Answers never tell whether an address has an account.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::login::{LoginOutcome, WINDOW_MINUTES, log_in};
use crate::accounts::password::check_new_password;
use crate::accounts::reset::{self, ResetLink};
use crate::accounts::verification::{self, Confirmation};
use crate::contact::EmailAddress;
use crate::error::AppResult;
use crate::web::auth::{end_session, start_session};
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::pages::local_path;

/// Login, logout, address confirmation and password reset.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/connexion", get(login_form).post(login))
        .route("/deconnexion", post(logout))
        .route("/verifier-email/renvoyer", post(resend))
        .route("/verifier-email/{token}", get(confirm))
        .route("/mot-de-passe-oublie", get(forgot_form).post(forgot))
        .route("/mot-de-passe/{token}", get(reset_form).post(reset))
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
    let outcome = log_in(&state.db, &state.passwords, &form.email, &form.password, ip).await?;
    match outcome {
        LoginOutcome::LoggedIn(account) => {
            start_session(&session, &account).await?;
            push_flash(
                &session,
                FlashKind::Success,
                format!("Bonjour {}, vous êtes connecté.", account.prenom),
            )
            .await?;
            let target = match form.suivant.as_str() {
                "" => "/benevole/profil",
                other => local_path(other),
            };
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

async fn confirm(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let outcome = verification::confirm(&state.db, &token).await?;
    let (status, mut page) = match outcome {
        Confirmation::Verified => {
            let text = "Votre adresse e-mail est confirmée. Vous pouvez maintenant vous connecter.";
            push_flash(&session, FlashKind::Success, text).await?;
            return Ok(Redirect::to("/connexion").into_response());
        }
        Confirmation::EmailChanged => {
            let text = "Votre nouvelle adresse e-mail est confirmée : c'est maintenant celle de votre compte.";
            push_flash(&session, FlashKind::Success, text).await?;
            return Ok(Redirect::to("/benevole/profil").into_response());
        }
        Confirmation::AlreadyUsed => (
            StatusCode::GONE,
            MessagePage::new(
                layout,
                "Ce lien a déjà servi",
                &[
                    "Chaque lien ne sert qu'une fois. Si votre adresse est déjà confirmée, connectez-vous.",
                    "Sinon, demandez un nouveau lien :",
                ],
            ),
        ),
        Confirmation::Expired => (
            StatusCode::GONE,
            MessagePage::new(
                layout,
                "Ce lien a expiré",
                &[
                    "Ce lien n'est valable que 48 heures. Demandez un nouveau lien : nous vous l'envoyons par e-mail.",
                ],
            ),
        ),
        Confirmation::AddressTaken => (
            StatusCode::CONFLICT,
            MessagePage::new(
                layout,
                "Cette adresse est déjà utilisée",
                &[
                    "Un autre compte utilise maintenant cette adresse e-mail : votre adresse n'a pas changé.",
                ],
            ),
        ),
        Confirmation::Unknown => (
            StatusCode::NOT_FOUND,
            MessagePage::new(
                layout,
                "Ce lien ne fonctionne pas",
                &[
                    "Vérifiez que vous avez copié le lien en entier. Vous pouvez aussi demander un nouveau lien :",
                ],
            ),
        ),
    };
    page.resend = status != StatusCode::CONFLICT;
    page.links = vec![("/connexion", "Se connecter")];
    Ok((status, page).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

async fn resend(
    State(state): State<AppState>,
    layout: Layout,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    if let Ok(email) = EmailAddress::parse(&form.email) {
        verification::resend(&state.db, &state.config, &email).await?;
    }
    let mut page = MessagePage::new(
        layout,
        "Vérifiez votre boîte e-mail",
        &[
            "Si un compte attend une confirmation à cette adresse, nous venons d'y envoyer un nouveau lien, valable 48 heures.",
            "Vous ne le voyez pas ? Regardez dans les courriers indésirables.",
        ],
    );
    page.links = vec![("/connexion", "Se connecter")];
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/oubli.html")]
struct ForgotPage {
    layout: Layout,
    errors: FieldErrors,
    email: String,
}

async fn forgot_form(layout: Layout) -> ForgotPage {
    ForgotPage {
        layout,
        errors: FieldErrors::new(),
        email: String::new(),
    }
}

async fn forgot(
    State(state): State<AppState>,
    layout: Layout,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    let email = match EmailAddress::parse(&form.email) {
        Ok(email) => email,
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("email", message);
            let page = ForgotPage {
                layout,
                errors,
                email: form.email,
            };
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
        }
    };
    reset::request_reset(&state.db, &state.config, &email).await?;
    let page = MessagePage::new(
        layout,
        "Vérifiez votre boîte e-mail",
        &[
            "Si un compte existe pour cette adresse, nous venons d'y envoyer un lien pour choisir un nouveau mot de passe. Il est valable 1 heure.",
            "Vous ne le voyez pas ? Regardez dans les courriers indésirables.",
        ],
    );
    Ok(page.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "accounts/nouveau_mot_de_passe.html")]
struct ResetPage {
    layout: Layout,
    errors: FieldErrors,
    token: String,
}

fn unusable_reset_link(layout: Layout, expired: bool) -> Response {
    let (status, title, text) = if expired {
        (
            StatusCode::GONE,
            "Ce lien a expiré",
            "Ce lien n'est valable qu'une heure. Demandez-en un nouveau.",
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            "Ce lien ne fonctionne pas",
            "Ce lien a déjà servi ou n'est pas complet. Demandez-en un nouveau.",
        )
    };
    let mut page = MessagePage::new(layout, title, &[text]);
    page.links = vec![("/mot-de-passe-oublie", "Recevoir un nouveau lien")];
    (status, page).into_response()
}

async fn reset_form(
    State(state): State<AppState>,
    layout: Layout,
    Path(token): Path<String>,
) -> AppResult<Response> {
    Ok(match reset::check_link(&state.db, &token).await? {
        ResetLink::Valid(_) => ResetPage {
            layout,
            errors: FieldErrors::new(),
            token,
        }
        .into_response(),
        ResetLink::Expired => unusable_reset_link(layout, true),
        ResetLink::Invalid => unusable_reset_link(layout, false),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct NewPasswordForm {
    password: String,
    password_confirm: String,
}

async fn reset(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    Path(token): Path<String>,
    Form(form): Form<NewPasswordForm>,
) -> AppResult<Response> {
    let account = match reset::check_link(&state.db, &token).await? {
        ResetLink::Valid(account) => account,
        ResetLink::Expired => return Ok(unusable_reset_link(layout, true)),
        ResetLink::Invalid => return Ok(unusable_reset_link(layout, false)),
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
        let page = ResetPage {
            layout,
            errors,
            token,
        };
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    }
    let hash = state.passwords.hash(&form.password).await?;
    Ok(
        match reset::reset_password(&state.db, &token, hash).await? {
            ResetLink::Valid(_) => {
                end_session(&session).await?;
                let text = "Votre mot de passe est changé. Connectez-vous avec le nouveau.";
                push_flash(&session, FlashKind::Success, text).await?;
                Redirect::to("/connexion").into_response()
            }
            ResetLink::Expired => unusable_reset_link(layout, true),
            ResetLink::Invalid => unusable_reset_link(layout, false),
        },
    )
}
