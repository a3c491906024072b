//! Address confirmation: the link from the e-mail, and a new link for those who lost theirs.

use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use super::{EmailForm, MessagePage};
use crate::AppState;
use crate::accounts::verification::{self, Confirmation};
use crate::contact::EmailAddress;
use crate::error::AppResult;
use crate::web::client_ip::ClientIp;
use crate::web::layout::{FlashKind, Layout, push_flash};
use crate::web::rate_limit;

pub(super) async fn confirm(
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

pub(super) async fn resend(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    layout: Layout,
    Form(form): Form<EmailForm>,
) -> AppResult<Response> {
    rate_limit::public_form(&state, ip).await?;
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
