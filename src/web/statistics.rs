//! `/statistiques` (public, no login, no JavaScript): the dashboard of a period and a territory
//! with its charts, tables and map; the open data (`donnees.csv`, `donnees.json`, `schema.json`);
//! and `/moderation/statistiques`, the same dashboard for staff, counting only their
//! organisations' requests and without the statistical-secrecy blanks.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::organisations::Scope;
use crate::statistics::cube::{Audience, Cube};
use crate::statistics::dashboard::{self, Dashboard, Zone};
use crate::statistics::map::{self, Indicator, LegendEntry, format_fr};
use crate::statistics::regions::REGIONS;
use crate::statistics::secrecy::THRESHOLD;
use crate::statistics::{Measure, Month, charts, open_data};
use crate::web::auth::CurrentStaff;
use crate::web::layout::Layout;
use crate::web::security::no_store;

/// The longest period one may ask for, in months.
const MAX_MONTHS: u32 = 120;

/// The public routes and the moderators' dashboard.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistiques", get(public))
        .route("/statistiques/donnees.csv", get(data_csv))
        .route("/statistiques/donnees.json", get(data_json))
        .route("/statistiques/schema.json", get(schema))
        .merge(
            Router::new()
                .route("/moderation/statistiques", get(staff))
                .layer(no_store()),
        )
}

/// The query parameters, as typed (values that mean nothing give the defaults).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct StatsQuery {
    zone: String,
    du: String,
    au: String,
    carte: String,
}

/// One choice of a select.
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

/// A group of choices.
struct OptGroup {
    label: &'static str,
    options: Vec<Opt>,
}

/// A key figure.
struct Figure {
    label: &'static str,
    value: String,
}

/// A line of a table: a label and its figures as written.
struct Line {
    label: String,
    values: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "statistiques/tableau.html")]
struct StatsPage {
    layout: Layout,
    /// Staff's view: their organisations' requests, nothing withheld.
    staff: bool,
    action: &'static str,
    zones: Vec<OptGroup>,
    zone_label: String,
    du: String,
    au: String,
    period_label: String,
    indicators: Vec<Opt>,
    computed_at: Option<String>,
    threshold: u64,
    empty: bool,
    figures: Vec<Figure>,
    people: Vec<Figure>,
    delays: Vec<Line>,
    modes: Vec<Line>,
    satisfaction: Vec<Line>,
    month_chart: String,
    month_lines: Vec<Line>,
    category_chart: String,
    category_lines: Vec<Line>,
    map_title: &'static str,
    map_svg: String,
    legend: Vec<LegendEntry>,
    map_lines: Vec<Line>,
    licence: &'static str,
    licence_url: &'static str,
}

/// The period and zone asked for, with the defaults: the last 12 months, France.
struct Choice {
    zone: Zone,
    from: Month,
    to: Month,
    indicator: Indicator,
}

impl Choice {
    fn read(query: &StatsQuery) -> Self {
        let current = Month::of(Utc::now());
        let to = Month::parse(&query.au)
            .filter(|m| *m <= current)
            .unwrap_or(current);
        let from = Month::parse(&query.du).unwrap_or(to.minus(11));
        let (from, to) = if from > to { (to, from) } else { (from, to) };
        let from = if from.count_to(to) > MAX_MONTHS {
            to.minus(MAX_MONTHS - 1)
        } else {
            from
        };
        let zone = Zone::parse(&query.zone).unwrap_or(Zone::France);
        Self {
            zone,
            from,
            to,
            indicator: Indicator::parse(&query.carte),
        }
    }
}

async fn public(
    State(state): State<AppState>,
    layout: Layout,
    Query(query): Query<StatsQuery>,
) -> AppResult<StatsPage> {
    let choice = Choice::read(&query);
    let cube = state.statistics.public(&state.db).await?;
    let organisations = dashboard::organisations(&state.db, choice.zone, None).await?;
    Ok(page(layout, &cube, &choice, organisations, false))
}

async fn staff(
    State(state): State<AppState>,
    layout: Layout,
    staff: CurrentStaff,
    Query(query): Query<StatsQuery>,
) -> AppResult<StatsPage> {
    let choice = Choice::read(&query);
    let only = match &staff.scope {
        Scope::All => None,
        Scope::Organisations(ids) => Some(ids.clone()),
    };
    let cube = Cube::load(&state.db, &Audience::Staff(only.clone())).await?;
    let organisations = dashboard::organisations(&state.db, choice.zone, only.as_deref()).await?;
    Ok(page(layout, &cube, &choice, organisations, true))
}

/// Hours as read: `36 h`, `3 j 5 h`.
fn hours_fr(hours: u32) -> String {
    if hours < 48 {
        format!("{hours} h")
    } else {
        format!("{} j {} h", hours / 24, hours % 24)
    }
}

fn percent(part: u64, whole: u64) -> String {
    (part * 100 + whole / 2)
        .checked_div(whole)
        .map_or_else(|| "—".to_owned(), |p| format!("{p} %"))
}

fn page(
    layout: Layout,
    cube: &Cube,
    choice: &Choice,
    organisations: u64,
    staff: bool,
) -> StatsPage {
    let d = Dashboard::compute(cube, choice.zone, choice.from, choice.to, organisations);
    let received = d.total(Measure::Recues);
    let count_figure = |m: Measure| Figure {
        label: m.label(),
        value: d.total(m).to_string(),
    };
    let figures = [
        Measure::Recues,
        Measure::Ouvertes,
        Measure::Prises,
        Measure::Resolues,
        Measure::SansBenevole,
        Measure::Refusees,
        Measure::Annulees,
    ]
    .into_iter()
    .map(count_figure)
    .collect();
    let people = vec![
        Figure {
            label: "Bénévoles inscrits sur la période",
            value: d.volunteers_registered.to_string(),
        },
        Figure {
            label: "Bénévoles actifs (ont répondu à une proposition sur la période)",
            value: d.volunteers_active.to_string(),
        },
        Figure {
            label: "Associations et organismes actifs sur ce territoire",
            value: d.organisations.to_string(),
        },
    ];
    let delay_line = |label: &str, resolution: bool| Line {
        label: label.to_owned(),
        values: match d.delay(resolution) {
            Some((median, p90)) => vec![hours_fr(median), hours_fr(p90)],
            None => vec!["non publié".into(), "non publié".into()],
        },
    };
    let delays = vec![
        delay_line(
            "De la validation de la demande à l'accord d'un bénévole",
            false,
        ),
        delay_line("De l'accord du bénévole à la résolution", true),
    ];
    let mut modes = vec![Line {
        label: Measure::TelephoneSeulement.label().to_owned(),
        values: vec![
            d.total(Measure::TelephoneSeulement).to_string(),
            percent(d.total(Measure::TelephoneSeulement), received),
        ],
    }];
    for m in [
        Measure::ModeTelephone,
        Measure::ModeVisio,
        Measure::ModePresentiel,
    ] {
        modes.push(Line {
            label: format!("Aide acceptée {}", m.label()),
            values: vec![d.total(m).to_string(), percent(d.total(m), received)],
        });
    }
    let opinions = d.total(Measure::Avis);
    let satisfaction = vec![
        Line {
            label: "Avis reçus".into(),
            values: vec![opinions.to_string(), String::new()],
        },
        Line {
            label: "Personnes satisfaites (très ou plutôt)".into(),
            values: vec![
                d.total(Measure::AvisSatisfaits).to_string(),
                percent(d.total(Measure::AvisSatisfaits), opinions),
            ],
        },
        Line {
            label: "« Le problème est réglé »".into(),
            values: vec![
                d.total(Measure::AvisRegles).to_string(),
                percent(d.total(Measure::AvisRegles), opinions),
            ],
        },
    ];
    let month_lines = d
        .months
        .iter()
        .map(|m| Line {
            label: m.month.long_fr(),
            values: vec![m.recues.to_string(), m.resolues.to_string()],
        })
        .collect();
    let category_lines = d
        .categories
        .iter()
        .map(|(c, n)| Line {
            label: c.label().to_owned(),
            values: vec![n.to_string()],
        })
        .collect();
    let values: Vec<f64> = d
        .places
        .iter()
        .filter_map(|p| choice.indicator.value(p))
        .collect();
    let breaks = map::breaks(choice.indicator, &values);
    let map_lines = d
        .places
        .iter()
        .map(|p| Line {
            label: format!("{} ({})", p.departement.nom(), p.departement.as_str()),
            values: vec![
                p.recues.to_string(),
                p.per_10k()
                    .filter(|_| p.recues > 0)
                    .map_or("—".into(), |v| format_fr(v, 2)),
                p.share_without_volunteer()
                    .map_or("—".into(), |v| format!("{} %", format_fr(v, 0))),
            ],
        })
        .collect();
    let zones = {
        let opt = |z: Zone| Opt {
            value: z.slug(),
            label: z.label(),
            selected: z == choice.zone,
        };
        vec![
            OptGroup {
                label: "Pays",
                options: vec![opt(Zone::France)],
            },
            OptGroup {
                label: "Régions",
                options: REGIONS.iter().map(|r| opt(Zone::Region(r))).collect(),
            },
            OptGroup {
                label: "Départements",
                options: Zone::all()
                    .into_iter()
                    .filter(|z| matches!(z, Zone::Departement(_)))
                    .map(opt)
                    .collect(),
            },
        ]
    };
    let indicators = [Indicator::WithoutVolunteer, Indicator::Rate]
        .into_iter()
        .map(|i| Opt {
            value: i.slug().into(),
            label: i.label().into(),
            selected: i == choice.indicator,
        })
        .collect();
    let period_label = if choice.from == choice.to {
        choice.from.long_fr()
    } else {
        format!("de {} à {}", choice.from.long_fr(), choice.to.long_fr())
    };
    StatsPage {
        layout,
        staff,
        action: if staff {
            "/moderation/statistiques"
        } else {
            "/statistiques"
        },
        zones,
        zone_label: choice.zone.label(),
        du: choice.from.to_string(),
        au: choice.to.to_string(),
        period_label: period_label.clone(),
        indicators,
        computed_at: cube.computed_at.map(|at| {
            at.with_timezone(&chrono_tz::Europe::Paris)
                .format("%d/%m/%Y à %H h %M")
                .to_string()
        }),
        threshold: THRESHOLD,
        empty: received == 0,
        figures,
        people,
        delays,
        modes,
        satisfaction,
        month_chart: charts::months(
            &d.months,
            &format!("Demandes reçues et résolues par mois, {period_label}"),
        ),
        month_lines,
        category_chart: charts::categories(
            &d.categories,
            &format!("Demandes par catégorie d'aide, {period_label}"),
        ),
        category_lines,
        map_title: choice.indicator.label(),
        map_svg: map::render(&d.places, choice.indicator, &breaks),
        legend: map::legend(choice.indicator, &breaks),
        map_lines,
        licence: open_data::LICENCE,
        licence_url: open_data::LICENCE_URL,
    }
}

/// The last month of the open-data file: the roll-up's.
fn last_month(cube: &Cube) -> Month {
    Month::of(cube.computed_at.unwrap_or_else(Utc::now))
}

async fn data_csv(State(state): State<AppState>) -> AppResult<Response> {
    let cube = state.statistics.public(&state.db).await?;
    let rows = open_data::rows(&cube, last_month(&cube));
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"entraide-statistiques.csv\"",
            ),
        ],
        open_data::csv(&rows),
    )
        .into_response())
}

async fn data_json(State(state): State<AppState>) -> AppResult<Response> {
    let cube = state.statistics.public(&state.db).await?;
    let rows = open_data::rows(&cube, last_month(&cube));
    let body = open_data::json(
        &rows,
        &state.config.operator_name,
        cube.computed_at.map(|at| at.to_rfc3339()),
    );
    Ok((
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body,
    )
        .into_response())
}

async fn schema() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        open_data::schema().to_string(),
    )
        .into_response()
}
