//! The volunteer's pause, data export and account deletion.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::Form;
use chrono::{NaiveDate, Utc};
use serde::Deserialize;
use tower_sessions::Session;

use super::profile::{Typed, done, page, password_error};
use crate::AppState;
use crate::accounts::{data, profile};
use crate::error::{AppError, AppResult};
use crate::web::auth::{CurrentVolunteer, end_session};
use crate::web::client_ip::ClientIp;
use crate::web::forms::FieldErrors;
use crate::web::layout::{FlashKind, Layout, push_flash};

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct PauseForm {
    jusqu_au: String,
    reprendre: Option<String>,
}

/// A date as a browser's date field sends it (2026-12-31) or as people write it (31/12/2026).
fn parse_date(input: &str) -> Option<NaiveDate> {
    let input = input.trim();
    NaiveDate::parse_from_str(input, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(input, "%d/%m/%Y"))
        .ok()
}

pub(super) async fn pause(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    Form(form): Form<PauseForm>,
) -> AppResult<Response> {
    if form.reprendre.is_some() {
        profile::set_pause(&state.db, &state.config, account.id, None).await?;
        return done(
            &session,
            "Votre pause est finie : vous recevrez de nouveau des propositions.",
        )
        .await;
    }
    let today = Utc::now().date_naive();
    let checked = parse_date(&form.jusqu_au)
        .ok_or("Indiquez une date, par exemple 31/12/2026.")
        .and_then(|date| profile::check_pause_date(date, today).map(|()| date));
    match checked {
        Ok(date) => {
            profile::set_pause(
                &state.db,
                &state.config,
                account.id,
                Some(profile::pause_end(date)),
            )
            .await?;
            let text = format!(
                "Vous êtes en pause jusqu'au {}. Aucune demande ne vous sera proposée d'ici là.",
                date.format("%d/%m/%Y")
            );
            done(&session, text).await
        }
        Err(message) => {
            let mut errors = FieldErrors::new();
            errors.add("jusqu_au", message);
            let typed = Typed {
                pause_value: form.jusqu_au,
                ..Typed::default()
            };
            page(&state, layout, &account, errors, typed).await
        }
    }
}

pub(super) async fn export(
    State(state): State<AppState>,
    CurrentVolunteer(account): CurrentVolunteer,
) -> AppResult<Response> {
    let data = data::export(
        &state.db,
        &state.communes,
        &state.config.secret_key,
        account.id,
    )
    .await?
    .ok_or(AppError::NotFound)?;
    let body = serde_json::to_string_pretty(&data).map_err(anyhow::Error::from)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"entraide-mes-donnees.json\"",
            ),
        ],
        body,
    )
        .into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub(super) struct DeleteForm {
    mot_de_passe_suppression: String,
}

pub(super) async fn delete(
    State(state): State<AppState>,
    session: Session,
    layout: Layout,
    CurrentVolunteer(account): CurrentVolunteer,
    ClientIp(ip): ClientIp,
    Form(form): Form<DeleteForm>,
) -> AppResult<Response> {
    let wrong = "Ce n'est pas votre mot de passe : votre compte n'est pas supprimé.";
    let typed = &form.mot_de_passe_suppression;
    if let Some(message) = password_error(&state, &account, typed, ip, wrong).await? {
        let mut errors = FieldErrors::new();
        errors.add("mot_de_passe_suppression", message);
        return page(&state, layout, &account, errors, Typed::default()).await;
    }
    data::delete_account(&state.db, &state.config, account.id).await?;
    end_session(&session).await?;
    push_flash(
        &session,
        FlashKind::Success,
        "Votre compte est supprimé et vos informations personnelles sont effacées. Merci pour votre aide !",
    )
    .await?;
    Ok(Redirect::to("/").into_response())
}
