//! `/admin/journal`: the audit log, newest first, with its filters and pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use entity::organisation;

use crate::AppState;
use crate::admin::journal::{self, EntryView, JournalPage, JournalQuery, ROLES, TARGETS};
use crate::error::AppResult;
use crate::web::auth::CurrentAdmin;
use crate::web::forms::FieldErrors;
use crate::web::layout::Layout;

/// The audit log route.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/journal", get(show))
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/journal.html")]
struct LogPage {
    layout: Layout,
    section: &'static str,
    errors: FieldErrors,
    query: JournalQuery,
    du: String,
    au: String,
    actions: Vec<(String, String)>,
    roles: &'static [(&'static str, &'static str)],
    targets: &'static [(&'static str, &'static str)],
    organisations: Vec<organisation::Model>,
    entries: Vec<EntryView>,
    total: u64,
    page: u64,
    pages: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// The address of page `page` with the same filters.
fn page_href(query: &JournalQuery, page: u64) -> String {
    let mut pairs = url::form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("action", &query.action),
        ("role", &query.role),
        ("cible", &query.cible),
        ("organisation", &query.organisation),
        ("du", &query.du),
        ("au", &query.au),
    ] {
        if !value.trim().is_empty() {
            pairs.append_pair(name, value.trim());
        }
    }
    pairs.append_pair("page", &page.to_string());
    format!("/admin/journal?{}", pairs.finish())
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
    Query(query): Query<JournalQuery>,
) -> AppResult<Response> {
    let (filter, errors) = query.check();
    let JournalPage {
        entries,
        total,
        page,
        pages,
    } = journal::page(&state.db, &filter).await?;
    let organisations = crate::admin::organisations::all(&state.db).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let log_page = LogPage {
        layout,
        section: "journal",
        errors,
        actions: journal::actions(&state.db).await?,
        roles: &ROLES,
        targets: &TARGETS,
        organisations,
        entries,
        total,
        page,
        pages,
        du: JournalQuery::date_value(&query.du),
        au: JournalQuery::date_value(&query.au),
        previous: (page > 1).then(|| page_href(&query, page - 1)),
        next: (page < pages).then(|| page_href(&query, page + 1)),
        query,
    };
    Ok((status, log_page).into_response())
}
