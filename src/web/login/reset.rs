//! Forgotten passwords: asking for a link, and choosing a new password through it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use tower_sessions::Session;

use super::{EmailForm, MessagePage};
use crate::AppState;
use crate::accounts::password::check_new_password;
use crate::accounts::reset::{self, ResetLink};
use crate::contact::EmailAddress;
use crate::error::AppResult;
use crate::web::auth::end_session;
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::rate_limit;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/oubli.html")]
pub(super) struct ForgotPage {
    layout: Layout,
    errors: FieldErrors,
    email: String,
}

pub(super) async fn forgot_form(layout: Layout) -> ForgotPage {
    ForgotPage {
        layout,
        errors: FieldErrors::new(),
        email: String::new(),
    }
}

pub(super) async fn forgot(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    layout: Layout,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    rate_limit::public_form(&state, ip).await?;
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
pub(super) struct ResetPage {
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

pub(super) async fn reset_form(
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
pub(super) struct NewPasswordForm {
    password: String,
    password_confirm: String,
}

pub(super) async fn reset(
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
