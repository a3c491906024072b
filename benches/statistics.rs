//! The public statistics at national scale: 1,000,000 requests (default) over the last three years,
//! placed in proportion to population, each with its timeline (validation, acceptance, resolution,
//! refusals, cancellations, requests left without volunteer), feedback and the volunteers' answers;
//! then the nightly roll-up, and the pages over real HTTP: `/statistiques` for France, one région
//! and one département, and the whole open-data file (CSV and JSON). Says where the time goes.
//!
//! `cargo bench --bench statistics` — STATS_BENCH_REQUESTS (default 1000000), STATS_BENCH_RUNS
//! (default 50), BENCH_DATABASE_URL (unset: SQLite in a temporary file).

use std::time::{Duration, Instant};

use chrono::Utc;
use entity::states::ProposalStatus;
use entity::{
    account, feedback, help_request, organisation, proposal, request_event, volunteer_profile,
};
use entraide::geo::{CommuneKind, Communes};
use entraide::reference::{Category, CategorySet, HelpMode, ModeSet};
use entraide::requests::feedback::{Satisfaction, Solved};
use entraide::requests::{Actor, EventKind, RequestStatus};
use entraide::statistics::cube::{Audience, Cube};
use entraide::statistics::{Dashboard, Month, Zone, open_data};
use entraide::{Application, Config};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Database, DatabaseConnection, EntityTrait, Set, TransactionTrait};

const BATCH: usize = 1000;
const VOLUNTEERS: i64 = 60_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let requests: usize = env_number("STATS_BENCH_REQUESTS", 1_000_000);
    let runs: usize = env_number("STATS_BENCH_RUNS", 50);
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("entraide_stats_bench_{}", std::process::id());
            let server = Database::connect(&admin).await?;
            server
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await?;
            server.close().await?;
            let mut url = url::Url::parse(&admin)?;
            url.set_path(&name);
            (url.to_string(), Some((admin, name)))
        }
        _ => (
            format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("bench.db").display()
            ),
            None,
        ),
    };
    let backend = if cleanup.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    let db = entraide::db::connect(&url, 2).await?;
    entraide::db::migrate(&db).await?;
    println!("statistics benchmark ({backend}): {requests} requests over 3 years");

    let started = Instant::now();
    generate(&db, requests).await?;
    db.execute_unprepared("ANALYZE").await?;
    println!("  generation: {:.1} s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let written = entraide::statistics::rollup::run(&db, Utc::now()).await?;
    println!(
        "  nightly roll-up: {:.1} s ({} requests → {} cells, {} volunteers)",
        started.elapsed().as_secs_f64(),
        written.requests,
        written.cells,
        written.volunteers
    );

    // Where the time goes, without HTTP.
    let started = Instant::now();
    let cube = Cube::load(&db, &Audience::Public).await?;
    let load = started.elapsed();
    let to = Month::of(Utc::now());
    let from = to.minus(11);
    let mut computes = Vec::new();
    let mut dashboard = None;
    for _ in 0..21 {
        let started = Instant::now();
        dashboard = Some(Dashboard::compute(&cube, Zone::France, from, to, 101));
        computes.push(started.elapsed());
    }
    computes.sort();
    let compute = computes[computes.len() / 2];
    let dashboard = dashboard.expect("computed");
    let started = Instant::now();
    let rows = open_data::rows(&cube, to);
    let csv = open_data::csv(&rows);
    let file = started.elapsed();
    println!(
        "  in memory: public cube read and secrecy applied {:.0} ms (once per roll-up and process); \
         France, 12 months added up {:.2} ms (median of 21); open-data file built {:.0} ms ({} rows, {:.1} MB)",
        ms(load),
        ms(compute),
        ms(file),
        rows.len(),
        csv.len() as f64 / 1e6
    );
    println!(
        "  France, last 12 months: {} requests published of the roll-up",
        dashboard.totals.requests()
    );

    // Over HTTP, as a visitor.
    let mut config = Config::from_lookup(|_| None)?;
    config.database_url = url.clone();
    config.bind_addr = "127.0.0.1:0".parse()?;
    config.workers = false;
    let app = Application::build(config).await?;
    let base = format!("http://127.0.0.1:{}", app.port());
    let server = app.into_server(Box::pin(std::future::pending()));
    tokio::spawn(async move { server.await });
    let client = reqwest::Client::new();
    let started = Instant::now();
    fetch(&client, &format!("{base}/statistiques")).await?;
    println!(
        "  first /statistiques after the roll-up (reads the roll-up into memory): {:.0} ms",
        ms(started.elapsed())
    );
    for (name, path, n) in [
        ("/statistiques (France, 12 months)", "/statistiques", runs),
        (
            "/statistiques?zone=51 (Marne, 12 months)",
            "/statistiques?zone=51",
            runs,
        ),
        (
            "/statistiques?zone=r84 (Auvergne-Rhône-Alpes, 36 months)",
            &format!("/statistiques?zone=r84&du={}&au={to}", to.minus(35)),
            runs,
        ),
        (
            "/statistiques/donnees.csv (whole file)",
            "/statistiques/donnees.csv",
            5,
        ),
        (
            "/statistiques/donnees.json (whole file)",
            "/statistiques/donnees.json",
            5,
        ),
    ] {
        let mut times = Vec::with_capacity(n);
        let mut size = 0;
        for _ in 0..n {
            let started = Instant::now();
            size = fetch(&client, &format!("{base}{path}")).await?;
            times.push(started.elapsed());
        }
        times.sort();
        println!(
            "  {name}: p50 {:.1} ms, p90 {:.1} ms, max {:.1} ms ({:.0} kB)",
            ms(times[n / 2]),
            ms(times[(n * 9 / 10).min(n - 1)]),
            ms(times[n - 1]),
            size as f64 / 1e3
        );
    }

    db.close().await?;
    if let Some((admin, name)) = cleanup {
        let server = Database::connect(&admin).await?;
        server
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            .await?;
    }
    Ok(())
}

async fn fetch(client: &reqwest::Client, url: &str) -> anyhow::Result<usize> {
    let response = client.get(url).send().await?;
    anyhow::ensure!(
        response.status().is_success(),
        "{url}: {}",
        response.status()
    );
    Ok(response.bytes().await?.len())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// One organisation per département, volunteers, and `requests` requests with their timelines.
async fn generate(db: &DatabaseConnection, requests: usize) -> anyhow::Result<()> {
    let communes = Communes::shared()?;
    let places: Vec<_> = communes
        .iter()
        .filter(|c| {
            matches!(c.kind, CommuneKind::Commune | CommuneKind::Arrondissement) && c.population > 0
        })
        .collect();
    let mut cumulative = Vec::with_capacity(places.len());
    let mut total = 0u64;
    for place in &places {
        total += u64::from(place.population);
        cumulative.push(total);
    }
    let mut rng = StdRng::seed_from_u64(2026);
    let pick_place = |rng: &mut StdRng| {
        let target = rng.random_range(0..total);
        places[cumulative.partition_point(|&c| c <= target)]
    };
    let now = Utc::now();
    let three_years = 3 * 365 * 24 * 3600;
    let departements: Vec<_> = entraide::geo::DepartementCode::all().collect();
    let organisation_of = |code: &str| {
        departements
            .iter()
            .position(|d| d.as_str() == code)
            .map_or(1, |i| i as i64 + 1)
    };
    let organisations: Vec<_> = departements
        .iter()
        .enumerate()
        .map(|(i, d)| organisation::ActiveModel {
            id: Set(i as i64 + 1),
            name: Set(format!("Association {}", d.nom())),
            contact_email: Set(format!("contact{i}@bench.invalid")),
            national: Set(false),
            departements: Set(d.as_str().to_owned()),
            auto_approve: Set(false),
            vetting_required: Set(false),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    organisation::Entity::insert_many(organisations)
        .exec_without_returning(db)
        .await?;

    let mut id = 1i64;
    while id <= VOLUNTEERS {
        let count = (BATCH as i64).min(VOLUNTEERS + 1 - id);
        let mut accounts = Vec::new();
        let mut profiles = Vec::new();
        for v in id..id + count {
            let place = pick_place(&mut rng);
            let created = now - chrono::Duration::seconds(rng.random_range(0..three_years));
            accounts.push(account::ActiveModel {
                id: Set(v),
                email: Set(format!("v{v}@bench.invalid")),
                password_hash: Set(String::new()),
                prenom: Set(format!("V{v}")),
                nom: Set(None),
                role: Set(entraide::accounts::Role::Benevole),
                email_verified_at: Set(Some(created)),
                session_epoch: Set(0),
                deleted_at: Set(None),
                created_at: Set(created),
                updated_at: Set(created),
            });
            profiles.push(volunteer_profile::ActiveModel {
                account_id: Set(v),
                commune_insee: Set(place.insee.as_str().to_owned()),
                departement: Set(place.departement.as_str().to_owned()),
                latitude: Set(place.point.lat),
                longitude: Set(place.point.lon),
                rayon_km: Set(10),
                modes: Set(ModeSet::from_slugs(&["telephone"])
                    .unwrap_or_default()
                    .bits()),
                categories: Set(CategorySet::from_slugs(&["appareil"])
                    .unwrap_or_default()
                    .bits()),
                langues: Set(String::new()),
                max_demandes: Set(2),
                disponibilites: Set(String::new()),
                paused_until: Set(None),
                vetted_at: Set(None),
                suspended_at: Set(None),
                suspension_reason: Set(None),
            });
        }
        let txn = db.begin().await?;
        account::Entity::insert_many(accounts)
            .exec_without_returning(&txn)
            .await?;
        volunteer_profile::Entity::insert_many(profiles)
            .exec_without_returning(&txn)
            .await?;
        txn.commit().await?;
        id += count;
    }

    let bar = ProgressBar::new(requests as u64);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} requests ({per_sec}, {eta} left)",
    )?);
    let mut next = 1i64;
    let mut proposal_id = 1i64;
    while (next as usize) <= requests {
        let count = BATCH.min(requests + 1 - next as usize);
        let mut rows = Vec::with_capacity(count);
        let mut events = Vec::with_capacity(count * 4);
        let mut opinions = Vec::new();
        let mut proposals = Vec::new();
        for n in next..next + count as i64 {
            let place = pick_place(&mut rng);
            let created = now - chrono::Duration::seconds(rng.random_range(0..three_years));
            let steps = timeline(&mut rng);
            let status = steps.last().map_or(RequestStatus::Nouvelle, |s| s.1);
            let at = |hours: i64| created + chrono::Duration::hours(hours);
            let closed = steps.last().filter(|s| s.1.is_final()).map(|s| at(s.0));
            let categories: CategorySet = (0..rng.random_range(1..=3))
                .map(|_| Category::ALL[rng.random_range(0..Category::ALL.len())])
                .collect();
            let modes: ModeSet = HelpMode::ALL
                .into_iter()
                .filter(|_| rng.random_bool(0.5))
                .chain([HelpMode::Telephone])
                .collect();
            rows.push(help_request::ActiveModel {
                id: Set(n),
                reference: Set(format!("ENT-{n:08}")),
                follow_token_hash: Set(format!("{n:064}")),
                status: Set(status),
                categories: Set(categories.bits()),
                modes: Set(modes.bits()),
                description: Set(None),
                commune_insee: Set(place.insee.as_str().to_owned()),
                departement: Set(place.departement.as_str().to_owned()),
                latitude: Set(place.point.lat),
                longitude: Set(place.point.lon),
                prenom: Set("—".into()),
                email: Set(None),
                telephone: Set(None),
                langue: Set(None),
                pour_un_proche: Set(false),
                prenom_proche: Set(None),
                a_rappeler: Set(rng.random_bool(0.25)),
                submitter_key: Set(None),
                consent_at: Set(created),
                created_at: Set(created),
                updated_at: Set(closed.unwrap_or(created)),
                volunteer_id: Set(None),
                closed_at: Set(closed),
                organisation_id: Set(Some(organisation_of(place.departement.as_str()))),
                entered_by: Set(None),
                erased_at: Set(None),
                message_benevole: Set(None),
                follow_token_sealed: Set(None),
                telephone_proche: Set(None),
                lien_proche: Set(None),
                contacter_proche: Set(false),
                mot_de_confiance: Set(None),
                api_key_id: Set(None),
            });
            let mut from = None;
            for (hours, to) in
                std::iter::once((0, RequestStatus::Nouvelle)).chain(steps.iter().copied())
            {
                events.push(request_event::ActiveModel {
                    id: sea_orm::NotSet,
                    request_id: Set(n),
                    at: Set(at(hours)),
                    actor: Set(Actor::Systeme),
                    actor_id: Set(None),
                    kind: Set(EventKind::Edited),
                    from_status: Set(from),
                    to_status: Set(Some(to)),
                    details: Set(None),
                });
                if to == RequestStatus::PriseEnCharge {
                    proposals.push(proposal::ActiveModel {
                        id: Set(proposal_id),
                        request_id: Set(n),
                        volunteer_id: Set(rng.random_range(1..=VOLUNTEERS)),
                        round: Set(1),
                        rank: Set(1),
                        score: Set(80.0),
                        breakdown: Set(String::new()),
                        distance_km: Set(1.0),
                        status: Set(ProposalStatus::Accepted),
                        token_hash: Set(format!("p{proposal_id:063}")),
                        created_at: Set(at(hours)),
                        expires_at: Set(at(hours + 48)),
                        answered_at: Set(Some(at(hours))),
                        reminded_at: Set(None),
                    });
                    proposal_id += 1;
                }
                from = Some(to);
            }
            if status == RequestStatus::Resolue && rng.random_bool(0.4) {
                opinions.push(feedback::ActiveModel {
                    id: sea_orm::NotSet,
                    request_id: Set(n),
                    satisfaction: Set(Satisfaction::ALL[rng.random_range(0..4)].slug().to_owned()),
                    solved: Set(Solved::ALL[rng.random_range(0..3)].slug().to_owned()),
                    comment: Set(None),
                    created_at: Set(closed.unwrap_or(created)),
                });
            }
        }
        let txn = db.begin().await?;
        help_request::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
        for chunk in events.chunks(3000) {
            request_event::Entity::insert_many(chunk.to_vec())
                .exec_without_returning(&txn)
                .await?;
        }
        if !proposals.is_empty() {
            proposal::Entity::insert_many(proposals)
                .exec_without_returning(&txn)
                .await?;
        }
        if !opinions.is_empty() {
            feedback::Entity::insert_many(opinions)
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        next += count as i64;
        bar.inc(count as u64);
    }
    bar.finish_and_clear();
    Ok(())
}

/// A plausible life for one request: (hours after it was made, state reached).
fn timeline(rng: &mut StdRng) -> Vec<(i64, RequestStatus)> {
    use RequestStatus::*;
    let open = rng.random_range(1..24);
    let take = open + rng.random_range(1..72);
    let solve = take + rng.random_range(2..240);
    match rng.random_range(0..100) {
        0..5 => vec![(2, Refusee)],
        5..10 => vec![(open, Ouverte), (open + 20, Annulee)],
        10..18 => vec![
            (open, Ouverte),
            (open + 150, SansBenevole),
            (open + 170, Ouverte),
            (open + 175, PriseEnCharge),
            (open + 220, Resolue),
        ],
        18..20 => Vec::new(),
        20..30 => vec![(open, Ouverte), (take, PriseEnCharge)],
        _ => vec![(open, Ouverte), (take, PriseEnCharge), (solve, Resolue)],
    }
}
