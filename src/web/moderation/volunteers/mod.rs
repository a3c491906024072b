//! `/moderation/benevoles`: the volunteers of the staff member's territory — the searchable
//! list (here), a volunteer's page ([`detail`]) and the actions on them ([`actions`]). A
//! volunteer outside the territory answers 404 on every route, like one that does not exist.

mod actions;
mod detail;

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::{get, post};
use chrono::Utc;
use entity::{account, volunteer_profile};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::moderation::volunteers::{self, Search, StatusFilter};
use crate::reference::{CategorySet, ModeSet};
use crate::web::auth::CurrentStaff;
use crate::web::layout::Layout;

/// The volunteer pages and their actions.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation/benevoles", get(list))
        .route("/moderation/benevoles/{id}", get(detail::show))
        .route("/moderation/benevoles/{id}/verifier", post(actions::vet))
        .route(
            "/moderation/benevoles/{id}/retirer-verification",
            post(actions::unvet),
        )
        .route(
            "/moderation/benevoles/{id}/suspendre",
            post(actions::suspend),
        )
        .route(
            "/moderation/benevoles/{id}/retablir",
            post(actions::reinstate),
        )
}

/// "Prénom Nom".
fn full_name(account: &account::Model) -> String {
    match account
        .nom
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        Some(nom) => format!("{} {nom}", account.prenom),
        None => account.prenom.clone(),
    }
}

fn mode_labels(profile: &volunteer_profile::Model) -> Vec<&'static str> {
    ModeSet::from_bits(profile.modes).labels()
}

fn category_labels(profile: &volunteer_profile::Model) -> Vec<&'static str> {
    CategorySet::from_bits(profile.categories).labels()
}

/// The list's address parameters, all optional (`page` is read leniently).
#[derive(Debug, Default, Deserialize)]
struct ListParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    statut: String,
    #[serde(default)]
    page: String,
}

/// One line of the list.
struct Row {
    id: i64,
    name: String,
    commune: String,
    modes: Vec<&'static str>,
    categories: Vec<&'static str>,
    held: u64,
    max: i32,
    vetted: bool,
    suspended: bool,
    paused: bool,
}

/// One choice of the status filter.
struct StatusChoice {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/benevoles.html")]
struct ListPage {
    layout: Layout,
    territory: String,
    q: String,
    statuses: Vec<StatusChoice>,
    filtered: bool,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// The list's address for `page`, keeping the search.
fn page_link(q: &str, status: Option<StatusFilter>, page: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    if !q.is_empty() {
        query.append_pair("q", q);
    }
    if let Some(status) = status {
        query.append_pair("statut", status.slug());
    }
    query.append_pair("page", &page.to_string());
    format!("/moderation/benevoles?{}", query.finish())
}

async fn list(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Query(params): Query<ListParams>,
) -> AppResult<ListPage> {
    let now = Utc::now();
    let search = Search {
        q: params.q.trim().to_owned(),
        status: StatusFilter::from_slug(params.statut.trim()),
        page: params.page.trim().parse().unwrap_or(1),
    };
    let listing = volunteers::list(&state.db, &state.communes, &staff.scope, &search, now).await?;
    let territory = staff.scope.territory(&state.db).await?;
    let rows = listing
        .rows
        .iter()
        .map(|(account, profile, held)| Row {
            id: account.id,
            name: full_name(account),
            commune: state.communes.name_of(&profile.commune_insee),
            modes: mode_labels(profile),
            categories: category_labels(profile),
            held: *held,
            max: profile.max_demandes,
            vetted: profile.vetted_at.is_some(),
            suspended: profile.suspended_at.is_some(),
            paused: profile.paused_until.is_some_and(|until| until > now),
        })
        .collect();
    let statuses = StatusFilter::ALL
        .into_iter()
        .map(|f| StatusChoice {
            value: f.slug(),
            label: f.label(),
            selected: search.status == Some(f),
        })
        .collect();
    Ok(ListPage {
        layout,
        territory: territory.label(),
        filtered: !search.q.is_empty() || search.status.is_some(),
        statuses,
        rows,
        total: listing.total,
        page: listing.page,
        pages: listing.pages,
        previous: (listing.page > 1).then(|| page_link(&search.q, search.status, listing.page - 1)),
        next: (listing.page < listing.pages)
            .then(|| page_link(&search.q, search.status, listing.page + 1)),
        q: search.q,
    })
}
