//! `/moderation`: the queue of the staff member's requests, oldest first, with its filters, the
//! counts per status, the priority and call-back badges, and pagination keeping the filters.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::moderation::queue::{self, AgeFilter, Filter, StatusFilter};
use crate::reference::{Category, CategorySet, ModeSet};
use crate::requests::RequestStatus;
use crate::web::auth::CurrentStaff;
use crate::web::layout::Layout;

/// `/moderation`.
pub fn router() -> Router<AppState> {
    Router::new().route("/moderation", get(show))
}

/// The query parameters, as typed (values that mean nothing are ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueQuery {
    statut: String,
    categorie: String,
    departement: String,
    age: String,
    page: String,
}

/// One option of a filter.
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

/// One line of the queue.
struct Line {
    id: i64,
    reference: String,
    prenom: String,
    commune: String,
    categories: Vec<&'static str>,
    modes: Vec<&'static str>,
    age: String,
    status: &'static str,
    priority: bool,
    a_rappeler: bool,
}

/// A status and how many requests are in it, with the link that filters on it.
struct Count {
    label: &'static str,
    n: u64,
    href: String,
    current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "moderation/file.html")]
struct QueuePage {
    layout: Layout,
    statuses: Vec<Opt>,
    categories: Vec<Opt>,
    departements: Vec<Opt>,
    ages: Vec<Opt>,
    counts: Vec<Count>,
    lines: Vec<Line>,
    total: u64,
    page: u64,
    pages: u64,
    previous: Option<String>,
    next: Option<String>,
}

/// The queue's address with these filters, on `page` (the first page has no number).
fn queue_url(filter: &Filter, page: u64) -> String {
    let mut query = url::form_urlencoded::Serializer::new(String::new());
    let pairs = [
        ("statut", filter.status.slug()),
        ("categorie", filter.category.map_or("", Category::slug)),
        ("departement", filter.departement.as_deref().unwrap_or("")),
        ("age", filter.age.map_or("", AgeFilter::slug)),
    ];
    for (name, value) in pairs.into_iter().filter(|(_, v)| !v.is_empty()) {
        query.append_pair(name, value);
    }
    if page > 1 {
        query.append_pair("page", &page.to_string());
    }
    let query = query.finish();
    if query.is_empty() {
        "/moderation".to_owned()
    } else {
        format!("/moderation?{query}")
    }
}

/// How long ago, in a few words: "moins d'une heure", "5 h", "3 jours".
pub fn age_fr(since: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let hours = (now - since).num_hours();
    match hours {
        ..=0 => "moins d'une heure".to_owned(),
        1..=47 => format!("{hours} h"),
        _ => format!("{} jours", hours / 24),
    }
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Query(query): Query<QueueQuery>,
) -> AppResult<QueuePage> {
    let filter = Filter::parse(
        &query.statut,
        &query.categorie,
        &query.departement,
        &query.age,
    );
    let number = query.page.trim().parse::<u64>().unwrap_or(1);
    let now = Utc::now();
    let page = queue::page(&state.db, &staff.scope, &filter, number, now).await?;
    let counts = queue::counts(&state.db, &staff.scope, &filter, now).await?;
    let departements = queue::departements(&state.db, &staff.scope).await?;

    let mut statuses = vec![Opt {
        value: String::new(),
        label: "En cours (toutes sauf les terminées)".into(),
        selected: filter.status == StatusFilter::Active,
    }];
    statuses.extend(RequestStatus::ALL.into_iter().map(|s| Opt {
        value: s.slug().into(),
        label: s.label().into(),
        selected: filter.status == StatusFilter::Only(s),
    }));
    statuses.push(Opt {
        value: "toutes".into(),
        label: "Toutes, terminées comprises".into(),
        selected: filter.status == StatusFilter::All,
    });
    let categories = Category::ALL
        .into_iter()
        .map(|c| Opt {
            value: c.slug().into(),
            label: c.label().into(),
            selected: filter.category == Some(c),
        })
        .collect();
    let departements = departements
        .into_iter()
        .map(|d| Opt {
            value: d.as_str().into(),
            label: format!("{} ({})", d.nom(), d.as_str()),
            selected: filter.departement.as_deref() == Some(d.as_str()),
        })
        .collect();
    let ages = AgeFilter::ALL
        .into_iter()
        .map(|a| Opt {
            value: a.slug().into(),
            label: a.label().into(),
            selected: filter.age == Some(a),
        })
        .collect();
    let counts = counts
        .into_iter()
        .map(|(status, n)| Count {
            label: status.label(),
            n,
            href: queue_url(
                &Filter {
                    status: StatusFilter::Only(status),
                    ..filter.clone()
                },
                1,
            ),
            current: filter.status == StatusFilter::Only(status),
        })
        .collect();
    let lines = page
        .entries
        .iter()
        .map(|entry| {
            let r = &entry.request;
            Line {
                id: r.id,
                reference: r.reference.clone(),
                prenom: r.prenom.clone(),
                commune: state.communes.name_of(&r.commune_insee),
                categories: CategorySet::from_bits(r.categories).labels(),
                modes: ModeSet::from_bits(r.modes).labels(),
                age: age_fr(r.created_at, now),
                status: r.status.label(),
                priority: entry.priority,
                a_rappeler: r.a_rappeler,
            }
        })
        .collect();
    Ok(QueuePage {
        layout,
        statuses,
        categories,
        departements,
        ages,
        counts,
        lines,
        total: page.total,
        page: page.number,
        pages: page.pages,
        previous: (page.number > 1)
            .then(|| queue_url(&filter, page.number.min(page.pages + 1) - 1)),
        next: (page.number < page.pages).then(|| queue_url(&filter, page.number + 1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pagination_links_keep_the_filters() {
        let filter = Filter::parse("nouvelle", "sante", "51", "48h");
        assert_eq!(
            queue_url(&filter, 2),
            "/moderation?statut=nouvelle&categorie=sante&departement=51&age=48h&page=2"
        );
        assert_eq!(queue_url(&Filter::default(), 1), "/moderation");
    }

    #[test]
    fn ages_read_naturally() {
        let now = Utc::now();
        assert_eq!(age_fr(now, now), "moins d'une heure");
        assert_eq!(age_fr(now - chrono::Duration::hours(5), now), "5 h");
        assert_eq!(age_fr(now - chrono::Duration::hours(73), now), "3 jours");
    }
}
