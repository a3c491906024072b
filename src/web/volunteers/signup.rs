//! `/benevole/inscription`: the sign-up form and what follows it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::Form;

use super::form::{FormView, VolunteerForm, check_details};
use crate::AppState;
use crate::accounts::password::check_new_password;
use crate::accounts::signup::{NewVolunteer, sign_up};
use crate::contact::EmailAddress;
use crate::error::AppResult;
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::Layout;
use crate::web::login::MessagePage;
use crate::web::rate_limit;

#[derive(Template, WebTemplate)]
#[template(path = "accounts/inscription.html")]
pub(super) struct SignupPage {
    layout: Layout,
    form: FormView,
    errors: FieldErrors,
    /// A valid password typed before another field needed an answer (a commune to choose): put
    /// back so the person does not have to type it twice more. Never a refused one.
    password_kept: String,
}

pub(super) async fn form(layout: Layout) -> SignupPage {
    SignupPage {
        layout,
        form: FormView::blank(),
        errors: FieldErrors::new(),
        password_kept: String::new(),
    }
}

pub(super) async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    layout: Layout,
    Form(form): Form<VolunteerForm>,
) -> AppResult<Response> {
    rate_limit::public_form(&state, ip).await?;
    let mut errors = FieldErrors::new();
    let (details, commune) = check_details(&state.communes, &form, &mut errors);
    let email = EmailAddress::parse(&form.email);
    if let Err(message) = &email {
        errors.add("email", *message);
    }
    let typed_email = email.as_ref().map_or("", |e| e.as_str());
    if let Err(message) = check_new_password(&form.password, typed_email) {
        errors.add("password", message);
    } else if form.password != form.password_confirm {
        errors.add(
            "password_confirm",
            "Les deux mots de passe ne sont pas identiques.",
        );
    }
    if form.charte.is_none() {
        errors.add(
            "charte",
            "Pour devenir bénévole, acceptez la charte des bénévoles.",
        );
    }
    let (Some(details), Ok(email), true) = (details, email, errors.is_empty()) else {
        let password_kept = if errors.has("password") || errors.has("password_confirm") {
            String::new()
        } else {
            form.password.clone()
        };
        let page = SignupPage {
            layout,
            form: FormView::from_values(form, commune),
            errors,
            password_kept,
        };
        // The page may carry the password back: no copy of it is kept anywhere.
        let mut response = (StatusCode::UNPROCESSABLE_ENTITY, page).into_response();
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        return Ok(response);
    };
    let address = email.as_str().to_owned();
    let new = NewVolunteer {
        email,
        password: form.password,
        details,
    };
    sign_up(&state.db, &state.config, &state.passwords, new).await?;
    let mut page = MessagePage::new(
        layout,
        "Vérifiez votre boîte e-mail",
        &[
            "Merci ! Pour activer votre compte bénévole, ouvrez le lien que nous venons d'envoyer à cette adresse :",
            &address,
            "Le lien est valable 48 heures. Vous ne le voyez pas ? Regardez dans les courriers indésirables, ou demandez-en un nouveau :",
        ],
    );
    page.resend = true;
    page.email = address;
    Ok(page.into_response())
}
