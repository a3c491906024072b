//! Ranking candidates for one request among many volunteers (default 1,000,000) spread over France
//! in proportion to population, generated deterministically, on SQLite (a temporary file) or on
//! PostgreSQL (a database created on the BENCH_DATABASE_URL server, dropped afterwards).
//!
//! `cargo bench --bench matching` — MATCH_BENCH_VOLUNTEERS (default 1000000), MATCH_BENCH_REQUESTS
//! (default 300), BENCH_DATABASE_URL (unset: SQLite).

use std::time::{Duration, Instant};

use chrono::Utc;
use entity::{account, help_request, volunteer_profile};
use entraide::geo::{CommuneKind, Communes};
use entraide::matching::candidates::best_candidates;
use entraide::reference::{Category, CategorySet, HelpMode, ModeSet};
use indicatif::{ProgressBar, ProgressStyle};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{ConnectionTrait, Database, EntityTrait, Set, TransactionTrait};

const BATCH: usize = 2000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let volunteers: usize = env_number("MATCH_BENCH_VOLUNTEERS", 1_000_000);
    let requests: usize = env_number("MATCH_BENCH_REQUESTS", 300);
    let dir = tempfile::tempdir()?;
    let (url, cleanup) = match std::env::var("BENCH_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            let name = format!("entraide_bench_{}", std::process::id());
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
    // One connection: requests are ranked one after the other, and a larger pool opens a second
    // connection at some point of the run, whose first queries (a fresh PostgreSQL backend, cold
    // catalog caches) cost about 100 ms and measure the pool rather than the ranking.
    let db = entraide::db::connect(&url, 1).await?;
    entraide::db::migrate(&db).await?;

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

    println!("matching benchmark ({backend}): generating {volunteers} volunteers");
    let bar = ProgressBar::new(volunteers as u64);
    bar.set_style(ProgressStyle::with_template(
        "{bar:40} {pos}/{len} volunteers ({per_sec}, {eta} left)",
    )?);
    let started = Instant::now();
    let now = Utc::now();
    let mut next_id = 1i64;
    while (next_id as usize) <= volunteers {
        let count = BATCH.min(volunteers + 1 - next_id as usize);
        let mut accounts = Vec::with_capacity(count);
        let mut profiles = Vec::with_capacity(count);
        for id in next_id..next_id + count as i64 {
            let place = pick_place(&mut rng);
            let jitter = |rng: &mut StdRng| rng.random_range(-0.02..0.02);
            accounts.push(account::ActiveModel {
                id: Set(id),
                email: Set(format!("v{id}@bench.invalid")),
                password_hash: Set(String::new()),
                prenom: Set(format!("V{id}")),
                nom: Set(None),
                role: Set(entity::states::Role::Benevole),
                // A few unverified accounts, as in real life.
                email_verified_at: Set((id % 50 != 0).then_some(now)),
                session_epoch: Set(0),
                deleted_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
            });
            let categories: CategorySet = Category::ALL
                .into_iter()
                .filter(|_| rng.random_bool(0.35))
                .chain([Category::Appareil])
                .collect();
            let modes: ModeSet = HelpMode::ALL
                .into_iter()
                .filter(|_| rng.random_bool(0.6))
                .chain([HelpMode::Telephone])
                .collect();
            profiles.push(volunteer_profile::ActiveModel {
                account_id: Set(id),
                commune_insee: Set(place.insee.as_str().to_owned()),
                departement: Set(place.departement.as_str().to_owned()),
                latitude: Set(place.point.lat + jitter(&mut rng)),
                longitude: Set(place.point.lon + jitter(&mut rng)),
                rayon_km: Set(rng.random_range(2..=30)),
                modes: Set(modes.bits()),
                categories: Set(categories.bits()),
                langues: Set(if rng.random_bool(0.1) {
                    "en".into()
                } else {
                    String::new()
                }),
                max_demandes: Set(rng.random_range(1..=3)),
                disponibilites: Set(String::new()),
                paused_until: Set(None),
                vetted_at: Set(None),
                suspended_at: Set(None),
                suspension_reason: Set(None),
                telephone_sms: Set(None),
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
        next_id += count as i64;
        bar.inc(count as u64);
    }
    bar.finish_and_clear();
    db.execute_unprepared("ANALYZE").await?;
    let generation = started.elapsed();
    println!(
        "  generation: {:.1} s ({:.0} volunteers/s)",
        generation.as_secs_f64(),
        volunteers as f64 / generation.as_secs_f64()
    );

    let mut latencies: Vec<Duration> = Vec::with_capacity(requests);
    let mut slowest: Vec<(Duration, String)> = Vec::with_capacity(requests);
    let mut found = 0usize;
    for n in 0..requests {
        let place = pick_place(&mut rng);
        let categories: CategorySet = [Category::ALL[rng.random_range(0..Category::ALL.len())]]
            .into_iter()
            .collect();
        let modes = match n % 3 {
            0 => ModeSet::from_slugs(&["presentiel"]),
            1 => ModeSet::from_slugs(&["telephone"]),
            _ => ModeSet::from_slugs(&["visio", "presentiel"]),
        }
        .map_err(anyhow::Error::msg)?;
        let request = help_request::Model {
            id: n as i64 + 1,
            reference: format!("ENT-B{n:05}"),
            follow_token_hash: format!("{n:064}"),
            status: entity::states::RequestStatus::Ouverte,
            categories: categories.bits(),
            modes: modes.bits(),
            description: None,
            commune_insee: place.insee.as_str().to_owned(),
            departement: place.departement.as_str().to_owned(),
            latitude: place.point.lat,
            longitude: place.point.lon,
            prenom: "Bench".into(),
            email: None,
            telephone: None,
            langue: (n % 10 == 0).then(|| "en".to_owned()),
            pour_un_proche: false,
            prenom_proche: None,
            a_rappeler: false,
            submitter_key: None,
            consent_at: now,
            created_at: now,
            updated_at: now,
            closed_at: None,
            volunteer_id: None,
            organisation_id: None,
            entered_by: None,
            erased_at: None,
            message_benevole: None,
            follow_token_sealed: None,
            telephone_proche: None,
            lien_proche: None,
            contacter_proche: false,
            mot_de_confiance: None,
            sms_aussi: false,
            api_key_id: None,
        };
        let started = Instant::now();
        let best = best_candidates(&db, &request, now, 3).await?;
        let elapsed = started.elapsed();
        latencies.push(elapsed);
        slowest.push((
            elapsed,
            format!(
                "request {} of {requests}: {} ({}), modes {}, {} found",
                n + 1,
                place.nom,
                place.departement.as_str(),
                modes.slugs().join("+"),
                best.len()
            ),
        ));
        found += best.len();
    }
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "  ranking the 3 best candidates over {requests} varied requests: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({:.2} candidates found on average)",
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.last().copied().unwrap_or_default().as_secs_f64() * 1000.0,
        found as f64 / requests as f64
    );

    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    println!("  slowest requests:");
    for (elapsed, what) in slowest.iter().take(5) {
        println!("    {:.1} ms: {what}", elapsed.as_secs_f64() * 1000.0);
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

fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
