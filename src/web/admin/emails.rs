//! `/admin/emails`: the outbox's counts, the latest e-mails (searchable by address or request
//! reference: "je n'ai rien reçu"), its failed e-mails, and sending them again.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use tower_sessions::Session;

use crate::AppState;
use crate::admin::outbox::{self, FAILED_SHOWN, LATEST_SHOWN, Retried};
use crate::dates::date_time_fr;
use crate::error::AppResult;
use crate::mail::outbox::OutboxStatus;
use crate::web::auth::CurrentAdmin;
use crate::web::layout::{FlashKind, Layout, push_flash};

/// The outbox routes.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/admin/emails", get(show))
        .route("/admin/emails/relancer", post(retry_all))
        .route("/admin/emails/sms/relancer", post(retry_sms))
        .route("/admin/emails/{id}/relancer", post(retry_one))
}

/// A failed e-mail as the page shows it.
struct FailedRow {
    id: i64,
    recipient: String,
    kind: String,
    attempts: i32,
    last_error: String,
    created: String,
}

/// One of the latest e-mails as the page shows it.
struct LatestRow {
    id: i64,
    recipient: String,
    subject: String,
    state: &'static str,
    failed: bool,
    error: Option<String>,
    created: String,
}

/// One of the latest SMS as the page shows it (never its text: it may hold personal data).
struct SmsRow {
    recipient: String,
    kind: String,
    state: &'static str,
    /// When it leaves, for a text waiting (quiet hours, a retry).
    due: Option<String>,
    error: Option<String>,
    created: String,
}

/// The search of the latest e-mails, as typed.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
struct SearchQuery {
    q: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/emails.html")]
struct OutboxPage {
    layout: Layout,
    section: &'static str,
    counts: Vec<(&'static str, i64)>,
    q: String,
    latest: Vec<LatestRow>,
    latest_shown: u64,
    failed: Vec<FailedRow>,
    failed_total: u64,
    failed_shown: u64,
    sms_counts: Vec<(&'static str, i64)>,
    sms_latest: Vec<SmsRow>,
    sms_failed: bool,
}

/// The longest part of an error message shown in the table.
const ERROR_SHOWN: usize = 300;

/// An error cut to what the table shows.
fn shortened(error: &str) -> String {
    let mut shown: String = error.chars().take(ERROR_SHOWN).collect();
    if error.chars().count() > ERROR_SHOWN {
        shown.push('…');
    }
    shown
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Query(search): Query<SearchQuery>,
) -> AppResult<OutboxPage> {
    let overview = outbox::overview(&state.db).await?;
    let latest = outbox::latest(&state.db, &search.q)
        .await?
        .into_iter()
        .map(|e| LatestRow {
            id: e.id,
            // Admins read addresses in full (moderators would see them masked).
            recipient: e.recipient,
            subject: e.subject,
            state: outbox::state_word(e.status),
            failed: e.status == OutboxStatus::Failed,
            error: e.last_error.as_deref().map(shortened),
            created: date_time_fr(e.created_at, "75"),
        })
        .collect();
    let failed = overview
        .failed
        .into_iter()
        .map(|e| {
            let last_error = shortened(&e.last_error.unwrap_or_default());
            FailedRow {
                id: e.id,
                recipient: e.recipient,
                kind: e.kind,
                attempts: e.attempts,
                last_error,
                created: date_time_fr(e.created_at, "75"),
            }
        })
        .collect();
    let texts = outbox::sms_overview(&state.db).await?;
    let sms_failed = texts
        .latest
        .iter()
        .any(|s| s.status == OutboxStatus::Failed)
        || texts
            .counts
            .iter()
            .any(|(label, n)| *label == OutboxStatus::Failed.label() && *n > 0);
    let sms_latest = texts
        .latest
        .into_iter()
        .map(|s| {
            let zone = s.departement.clone().unwrap_or_else(|| "75".to_owned());
            SmsRow {
                recipient: crate::contact::display_fr(&s.recipient),
                kind: s.kind,
                state: outbox::state_word(s.status),
                due: (s.status == OutboxStatus::Pending)
                    .then(|| date_time_fr(s.next_attempt_at, &zone)),
                error: s.last_error.as_deref().map(shortened),
                created: date_time_fr(s.created_at, &zone),
            }
        })
        .collect();
    Ok(OutboxPage {
        sms_counts: texts.counts,
        sms_latest,
        sms_failed,
        layout,
        section: "emails",
        counts: overview.counts,
        q: search.q.trim().to_owned(),
        latest,
        latest_shown: LATEST_SHOWN,
        failed,
        failed_total: overview.failed_total,
        failed_shown: FAILED_SHOWN,
    })
}

async fn retry_all(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
) -> AppResult<Redirect> {
    let done = outbox::retry_all(&state.db, admin.audit_actor()).await?;
    let (kind, mut text) = match done.queued {
        0 if done.dropped == 0 => (
            FlashKind::Info,
            "Aucun e-mail n'est en échec : il n'y a rien à renvoyer.".to_owned(),
        ),
        0 => (FlashKind::Info, "Aucun e-mail n'est renvoyé.".to_owned()),
        1 => (
            FlashKind::Success,
            "L'e-mail en échec est remis dans la file d'envoi.".to_owned(),
        ),
        n => (
            FlashKind::Success,
            format!("Les {n} e-mails en échec sont remis dans la file d'envoi."),
        ),
    };
    match done.dropped {
        0 => {}
        1 => text.push_str(
            " 1 e-mail n'avait plus lieu d'être (demande annulée, prise par un autre bénévole, \
             proposition close ou données effacées) : il a été supprimé sans être renvoyé.",
        ),
        n => text.push_str(&format!(
            " {n} e-mails n'avaient plus lieu d'être (demande annulée, prise par un autre \
             bénévole, proposition close ou données effacées) : ils ont été supprimés sans être \
             renvoyés."
        )),
    }
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to("/admin/emails"))
}

async fn retry_one(
    State(state): State<AppState>,
    session: Session,
    admin: CurrentAdmin,
    Path(id): Path<i64>,
) -> AppResult<Redirect> {
    let (kind, text) = match outbox::retry_one(&state.db, admin.audit_actor(), id).await? {
        Retried::Queued => (
            FlashKind::Success,
            "L'e-mail est remis dans la file d'envoi.",
        ),
        Retried::Dropped => (
            FlashKind::Info,
            "Cet e-mail n'a plus lieu d'être (demande annulée, prise par un autre bénévole, \
             proposition close ou données effacées) : il a été supprimé sans être renvoyé.",
        ),
        Retried::NotFailed => (
            FlashKind::Error,
            "Cet e-mail n'est plus en échec (il a peut-être déjà été renvoyé) : rien n'a changé.",
        ),
    };
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to("/admin/emails"))
}

async fn retry_sms(
    State(state): State<AppState>,
    session: Session,
    _admin: CurrentAdmin,
) -> AppResult<Redirect> {
    let queued = crate::sms::outbox::retry_failed(&state.db, chrono::Utc::now())
        .await
        .map_err(domain::DomainError::from)?;
    let (kind, text) = match queued {
        0 => (
            FlashKind::Info,
            "Aucun SMS n'est en échec : il n'y a rien à renvoyer.".to_owned(),
        ),
        1 => (
            FlashKind::Success,
            "Le SMS en échec est remis dans la file d'envoi.".to_owned(),
        ),
        n => (
            FlashKind::Success,
            format!("Les {n} SMS en échec sont remis dans la file d'envoi."),
        ),
    };
    push_flash(&session, kind, text).await?;
    Ok(Redirect::to("/admin/emails"))
}
