//! `/moderation`: the queue of the staff member's requests, oldest first, with its filters (folded
//! until asked for), the counts per status, each row's excerpt, language, "pour un proche",
//! priority, call-back and safety-report badges, pagination keeping the filters, and the
//! validation of the rows a moderator ticks (`POST /moderation/valider`, each request validated
//! and audited on its own).

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Redirect;
use axum::routing::{get, post};
use axum_extra::extract::Form;
use chrono::{DateTime, Utc};
use serde::Deserialize;
use tower_sessions::Session;

use crate::AppState;
use crate::error::AppResult;
use crate::moderation::desk;
use crate::moderation::queue::{self, AgeFilter, Filter, StatusFilter};
use crate::reference::{Category, CategorySet, ModeSet, language_label};
use crate::requests::RequestStatus;
use crate::web::auth::CurrentStaff;
use crate::web::layout::{FlashKind, Layout, push_flash};

/// `/moderation` and the validation of ticked rows.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/moderation", get(show))
        .route("/moderation/valider", post(validate_ticked))
}

/// The longest excerpt of a description a row shows, in characters.
const EXCERPT_CHARS: usize = 120;

/// The start of `text`, cut at a word and marked when cut.
pub fn excerpt(text: &str, max: usize) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= max {
        return text;
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > max / 2 => &cut[..at],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', ';', ':', '.']))
}

/// The query parameters, as typed (values that mean nothing are ignored).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct QueueQuery {
    statut: String,
    categorie: String,
    departement: String,
    age: String,
    rappel: String,
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
    /// The person reported being asked for money, a password or a code.
    safety_report: bool,
    excerpt: Option<String>,
    langue: Option<&'static str>,
    pour_un_proche: bool,
    /// Still new: the row can be ticked and validated with others.
    can_validate: bool,
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
    to_call: bool,
    /// How many filters are on (the folded filters say so).
    active_filters: usize,
    any_to_validate: bool,
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
        ("rappel", if filter.to_call { "oui" } else { "" }),
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
    let mut filter = Filter::parse(
        &query.statut,
        &query.categorie,
        &query.departement,
        &query.age,
    );
    filter.to_call = query.rappel.trim() == "oui";
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
                safety_report: entry.safety_report,
                excerpt: r
                    .description
                    .as_deref()
                    .map(|d| excerpt(d, EXCERPT_CHARS))
                    .filter(|d| !d.is_empty()),
                langue: r.langue.as_deref().and_then(language_label),
                pour_un_proche: r.pour_un_proche,
                can_validate: r.status == RequestStatus::Nouvelle,
            }
        })
        .collect::<Vec<Line>>();
    let active_filters = [
        filter.status != StatusFilter::Active,
        filter.category.is_some(),
        filter.departement.is_some(),
        filter.age.is_some(),
        filter.to_call,
    ]
    .into_iter()
    .filter(|on| *on)
    .count();
    Ok(QueuePage {
        layout,
        statuses,
        categories,
        departements,
        ages,
        to_call: filter.to_call,
        active_filters,
        any_to_validate: lines.iter().any(|l| l.can_validate),
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

/// The rows ticked in the queue.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct TickedForm {
    demande: Vec<String>,
}

async fn validate_ticked(
    State(state): State<AppState>,
    session: Session,
    staff: CurrentStaff,
    Form(form): Form<TickedForm>,
) -> AppResult<Redirect> {
    let ids: Vec<i64> = form
        .demande
        .iter()
        .filter_map(|id| id.trim().parse().ok())
        .collect();
    if ids.is_empty() {
        push_flash(
            &session,
            FlashKind::Error,
            "Cochez au moins une demande à valider : rien n'a été modifié.",
        )
        .await?;
        return Ok(Redirect::to("/moderation"));
    }
    let outcome = desk::validate_together(&state.db, &state.config, &staff, &ids).await?;
    match outcome.done.len() {
        0 => {}
        1 => {
            push_flash(
                &session,
                FlashKind::Success,
                format!(
                    "La demande {} est validée : la recherche d'un bénévole commence.",
                    outcome.done[0]
                ),
            )
            .await?
        }
        n => {
            push_flash(
                &session,
                FlashKind::Success,
                format!(
                    "{n} demandes sont validées ({}) : la recherche d'un bénévole commence.",
                    outcome.done.join(", ")
                ),
            )
            .await?
        }
    }
    for (reference, why) in &outcome.refused {
        push_flash(&session, FlashKind::Error, format!("{reference} : {why}")).await?;
    }
    Ok(Redirect::to("/moderation"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpts_stop_at_a_word() {
        assert_eq!(excerpt("  Court   texte ", 120), "Court texte");
        let long = "Je voudrais appeler mes petits-enfants en vidéo, ils habitent loin et je ne sais pas faire";
        let cut = excerpt(long, 40);
        assert_eq!(cut, "Je voudrais appeler mes petits-enfants…");
    }

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
