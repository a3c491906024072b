//! The volunteer's own space, `/benevole/profil`: the page, and its profile, password and
//! address forms.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::Utc;
use entity::account;
use serde::Deserialize;
use tower_sessions::Session;

use super::form::{FormView, VolunteerForm, check_details};
use crate::AppState;
use crate::accounts::login::{PasswordCheck, WINDOW_MINUTES, confirm_password};
use crate::accounts::password::check_new_password;
use crate::accounts::profile;
use crate::contact::EmailAddress;
use crate::error::{AppError, AppResult};
use crate::web::auth::{ACCOUNT_NAME_KEY, CurrentVolunteer, set_epoch};
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};

#[derive(Template, WebTemplate)]
#[template(path = "accounts/profil.html")]
struct ProfilePage {
    layout: Layout,
    form: FormView,
    errors: FieldErrors,
    email: String,
    nouvel_email: String,
    paused_until: Option<String>,
    pause_value: String,
    /// « Recevoir aussi les nouvelles propositions par SMS » is ticked.
    sms_wanted: bool,
    /// The mobile number, as stored or typed.
    telephone_sms: String,
}

/// What a form of the page sent back, to show it again with its errors.
#[derive(Default)]
pub(super) struct Typed {
    /// The profile form as sent.
    pub(super) form: Option<FormView>,
    /// The new address as typed.
    pub(super) nouvel_email: String,
    /// The pause date as typed.
    pub(super) pause_value: String,
    /// The SMS form as sent: ticked, and the number typed.
    pub(super) sms: Option<(bool, String)>,
}

/// The page, with the errors of the form that was sent and what it held.
pub(super) async fn page(
    state: &AppState,
    layout: Layout,
    account: &account::Model,
    errors: FieldErrors,
    typed: Typed,
) -> AppResult<Response> {
    let (account, stored) = profile::load(&state.db, account.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let paused_until = stored
        .paused_until
        .filter(|until| *until > Utc::now())
        .map(|until| until.format("%d/%m/%Y").to_string());
    let form = typed
        .form
        .unwrap_or_else(|| FormView::from_profile(&state.communes, &account, &stored));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let (sms_wanted, telephone_sms) = typed.sms.unwrap_or_else(|| {
        (
            stored.telephone_sms.is_some(),
            stored
                .telephone_sms
                .as_deref()
                .map(crate::contact::display_fr)
                .unwrap_or_default(),
        )
    });
    let page = ProfilePage {
        layout,
        form,
        errors,
        email: account.email,
        nouvel_email: typed.nouvel_email,
        paused_until,
        pause_value: typed.pause_value,
        sms_wanted,
        telephone_sms,
    };
    Ok((status, page).into_response())
}

/// Checks the password typed in a form of the page (throttled like logins): the message to show
/// next to its field when it is not right.
pub(super) async fn password_error(
    state: &AppState,
    account: &account::Model,
    password: &str,
    ip: std::net::IpAddr,
    wrong: &'static str,
) -> AppResult<Option<String>> {
    let check = confirm_password(
        &state.db,
        &state.passwords,
        &state.config.secret_key,
        account,
        password,
        ip,
    )
    .await?;
    Ok(match check {
        PasswordCheck::Right => None,
        PasswordCheck::Wrong => Some(wrong.to_owned()),
        PasswordCheck::Throttled => Some(format!(
            "Trop d'essais de mot de passe. Par sécurité, attendez {WINDOW_MINUTES} minutes avant de réessayer."
        )),
    })
}

/// Back to the page, with a success message.
pub(super) async fn done(session: &Session, text: impl Into<String>) -> AppResult<Response> {
    push_flash(session, FlashKind::Success, text).await?;
    Ok(Redirect::to("/benevole/profil").into_response())
}

pub(super) async fn show(
    State(state): State<AppState>,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
) -> AppResult<Response> {
    page(
        &state,
        layout,
        &account,
        FieldErrors::new(),
        Typed::default(),
    )
    .await
}

pub(super) async fn update(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    Form(form): Form<VolunteerForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let (details, commune) = check_details(&state.communes, &form, &mut errors);
    let Some(details) = details.filter(|_| errors.is_empty()) else {
        let typed = Typed {
            form: Some(FormView::from_values(form, commune)),
            ..Typed::default()
        };
        return page(&state, layout, &account, errors, typed).await;
    };
    profile::update(&state.db, &state.config, account.id, &details).await?;
    session
        .insert(ACCOUNT_NAME_KEY, details.prenom.as_str())
        .await
        .map_err(|e| anyhow::Error::new(e).context("session"))?;
    done(&session, "Votre profil est enregistré.").await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PasswordForm {
    mot_de_passe_actuel: String,
    nouveau_mot_de_passe: String,
    nouveau_mot_de_passe_confirm: String,
}

pub(super) async fn change_password(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    ClientIp(ip): ClientIp,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let wrong = "Ce n'est pas votre mot de passe actuel.";
    let current = &form.mot_de_passe_actuel;
    if let Some(message) = password_error(&state, &account, current, ip, wrong).await? {
        errors.add("mot_de_passe_actuel", message);
    }
    if let Err(message) = check_new_password(&form.nouveau_mot_de_passe, &account.email) {
        errors.add("nouveau_mot_de_passe", message);
    } else if form.nouveau_mot_de_passe != form.nouveau_mot_de_passe_confirm {
        errors.add(
            "nouveau_mot_de_passe_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    if !errors.is_empty() {
        return page(&state, layout, &account, errors, Typed::default()).await;
    }
    let hash = state.passwords.hash(&form.nouveau_mot_de_passe).await?;
    let epoch = profile::change_password(&state.db, &account, hash).await?;
    set_epoch(&session, epoch).await?;
    done(
        &session,
        "Votre mot de passe est changé. Vos autres connexions (sur d'autres appareils) sont fermées.",
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct EmailChangeForm {
    nouvel_email: String,
    mot_de_passe_email: String,
}

pub(super) async fn change_email(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    ClientIp(ip): ClientIp,
    Form(form): Form<EmailChangeForm>,
) -> AppResult<Response> {
    let mut errors = FieldErrors::new();
    let new_email = EmailAddress::parse(&form.nouvel_email);
    match &new_email {
        Err(message) => errors.add("nouvel_email", *message),
        Ok(email) if email.as_str().eq_ignore_ascii_case(&account.email) => {
            errors.add("nouvel_email", "C'est déjà l'adresse de votre compte.")
        }
        Ok(_) => {}
    }
    let wrong = "Ce n'est pas votre mot de passe actuel.";
    let typed = &form.mot_de_passe_email;
    if let Some(message) = password_error(&state, &account, typed, ip, wrong).await? {
        errors.add("mot_de_passe_email", message);
    }
    let (Ok(new_email), true) = (new_email, errors.is_empty()) else {
        let typed = Typed {
            nouvel_email: form.nouvel_email,
            ..Typed::default()
        };
        return page(&state, layout, &account, errors, typed).await;
    };
    profile::request_email_change(&state.db, &state.config, &account, &new_email).await?;
    done(
        &session,
        format!(
            "Nous avons envoyé un lien à {new_email}. Votre adresse changera quand vous l'aurez ouvert."
        ),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct SmsForm {
    /// `oui` when « Recevoir aussi les nouvelles propositions par SMS » is ticked.
    sms: Option<String>,
    telephone_sms: String,
}

/// « Recevoir aussi les nouvelles propositions par SMS », with the mobile number.
pub(super) async fn change_sms(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    Form(form): Form<SmsForm>,
) -> AppResult<Response> {
    let wanted = form.sms.as_deref() == Some("oui");
    match profile::check_sms_number(wanted, &form.telephone_sms) {
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("telephone_sms", message);
            let typed = Typed {
                sms: Some((wanted, form.telephone_sms)),
                ..Typed::default()
            };
            page(&state, layout, &account, errors, typed).await
        }
        Ok(number) => {
            profile::set_sms_number(&state.db, account.id, number.as_ref()).await?;
            let said = match &number {
                Some(number) => format!(
                    "Vous recevrez aussi les nouvelles propositions par SMS au {}.",
                    number.display_fr()
                ),
                None => "Vous ne recevrez plus de SMS pour les nouvelles propositions.".to_owned(),
            };
            done(&session, said).await
        }
    }
}
