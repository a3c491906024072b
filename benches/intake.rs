//! Sustained `POST /demande` over HTTP on a database that already holds many requests.
//!
//! `cargo bench --bench intake [-- --prefill N --seconds S --connections C]`
//!
//! 1. Pre-fills N requests (default 1,000,000), each with its `created` event and its sent
//!    confirmation e-mail, by bulk inserts in transactions of a few thousand rows.
//! 2. Starts the real application (router, session store, outbox worker) on 127.0.0.1 with
//!    `TRUST_PROXY=true`, e-mails going to a local SMTP sink.
//! 3. C connections (default 16) post the request form as fast as the service answers, each
//!    submission from its own citizen (its own `X-Forwarded-For` address and e-mail).
//! 4. Reports requests/s, p50 and p99 for the first and the last minute (or third of the run when
//!    it is shorter than three minutes), then how long the outbox takes to send what is left.
//!    `--keep` keeps the SQLite file, to look at its query plans afterwards.
//!
//! SQLite in a temporary directory by default; PostgreSQL when `DATABASE_URL=postgres://…` is set
//! (its tables are emptied first: give it a database of its own).

use std::net::Ipv4Addr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chrono::Utc;
use entity::states::{Actor, EventKind, OutboxStatus, RequestStatus};
use entity::{help_request, outbox_email, request_event};
use entraide::{Application, Config};
use indicatif::{ProgressBar, ProgressStyle};
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, PaginatorTrait, QueryFilter, Set,
    TransactionTrait,
};

/// Rows written per transaction while pre-filling.
const PREFILL_TRANSACTION: usize = 4000;
/// Rows per INSERT statement (kept under every backend's bound-parameter limit).
const PREFILL_STATEMENT: usize = 400;

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl mailin_embedded::Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        mailin_embedded::response::OK
    }
}

struct Options {
    prefill: usize,
    seconds: u64,
    connections: usize,
    keep: bool,
}

fn options() -> anyhow::Result<Options> {
    let mut options = Options {
        prefill: 1_000_000,
        seconds: 180,
        connections: 16,
        keep: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || -> anyhow::Result<u64> {
            let value = args
                .next()
                .ok_or_else(|| anyhow::anyhow!("{arg} needs a value"))?;
            Ok(value.replace('_', "").parse()?)
        };
        match arg.as_str() {
            "--prefill" => options.prefill = value()? as usize,
            "--seconds" => options.seconds = value()?.max(3),
            "--connections" => options.connections = value()?.max(1) as usize,
            "--keep" => options.keep = true,
            // `cargo bench` passes `--bench`; ignore it and anything we do not know.
            _ => {}
        }
    }
    Ok(options)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let options = options()?;
    let received = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let smtp_port = listener.local_addr()?.port();
    let mut server = mailin_embedded::Server::new(Counter(received.clone()));
    server.with_num_threads(16).with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    let dir = tempfile::tempdir()?;
    let mut config = Config::from_lookup(|name| std::env::var(name).ok())?;
    config.database_url = match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres") => url,
        _ => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("intake.db").display()
        ),
    };
    let backend_name = if config.database_url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    config.bind_addr = "127.0.0.1:0".parse()?;
    config.trust_proxy = true;
    config.workers = true;
    config.form_min_fill = Duration::ZERO;
    config.metrics_addr = None;
    config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{smtp_port}").parse()?);

    let db = entraide::db::connect(&config.database_url, 4).await?;
    entraide::db::migrate(&db).await?;
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "TRUNCATE help_request, request_event, outbox_email, session, limit_hit RESTART IDENTITY CASCADE",
        )
        .await?;
    }
    let started = Instant::now();
    prefill(&db, options.prefill).await?;
    println!(
        "pre-filled {} requests with their events and e-mails in {:.1} s ({backend_name})",
        options.prefill,
        started.elapsed().as_secs_f64()
    );
    drop(db);

    let app = Application::build(config.clone()).await?;
    let port = app.port();
    let db = app.state().db.clone();
    let workers = app.workers();
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = app.into_server(Box::pin(async move {
        let _ = stopped.await;
    }));
    let server = tokio::spawn(std::future::IntoFuture::into_future(server));

    let run = measure(port, &config, &options).await?;
    let ended = Instant::now();
    report(&run, &options, backend_name);

    // The backlog: e-mails queued but not yet handed to the SMTP sink.
    let mut backlog_at_end = None;
    loop {
        let waiting = outbox_email::Entity::find()
            .filter(sea_orm::ColumnTrait::ne(
                &outbox_email::Column::Status,
                OutboxStatus::Sent,
            ))
            .count(&db)
            .await?;
        backlog_at_end.get_or_insert(waiting);
        if waiting == 0 {
            break;
        }
        if ended.elapsed() > Duration::from_secs(300) {
            println!("outbox: {waiting} e-mails still waiting 300 s after the end; giving up");
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    println!(
        "outbox: {} e-mails waiting when the load stopped, drained {:.1} s after the end; {} e-mails received by the SMTP sink",
        backlog_at_end.unwrap_or(0),
        ended.elapsed().as_secs_f64(),
        received.load(Ordering::Relaxed)
    );

    let _ = stop_server.send(());
    server.await??;
    workers.stop().await;
    if options.keep {
        println!("SQLite database kept in {}", dir.keep().display());
    }
    Ok(())
}

/// One answered submission: when it was sent (since the start), how long it took, whether it
/// was the expected redirection to the follow-up page.
struct Sample {
    at: Duration,
    latency: Duration,
    ok: bool,
}

struct Run {
    samples: Vec<Sample>,
    errors: Vec<String>,
    duration: Duration,
}

async fn measure(port: u16, config: &Config, options: &Options) -> anyhow::Result<Run> {
    let citizen = Arc::new(AtomicU32::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let start = Instant::now();
    let url = format!("http://127.0.0.1:{port}/demande");
    let mut tasks = Vec::new();
    for _ in 0..options.connections {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(1)
            .no_proxy()
            .build()?;
        let (citizen, done, url) = (citizen.clone(), done.clone(), url.clone());
        let secret = config.secret_key.clone();
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            let mut errors = Vec::new();
            while !done.load(Ordering::Relaxed) {
                let n = citizen.fetch_add(1, Ordering::Relaxed);
                // 10.0.0.1, 10.0.0.2…: every submission comes from a new citizen.
                let ip = Ipv4Addr::from(0x0a00_0001 + n);
                let stamp = entraide::requests::anti_abuse::form_stamp(&secret);
                let form = [
                    ("categories", "demarches".to_owned()),
                    ("categories", "email".to_owned()),
                    ("modes", "telephone".to_owned()),
                    ("commune", "20000".to_owned()),
                    ("prenom", "Josette".to_owned()),
                    ("email", format!("citoyen{n}@example.org")),
                    ("telephone", String::new()),
                    (
                        "description",
                        "Je n'arrive pas à déclarer mes impôts en ligne.".to_owned(),
                    ),
                    ("langue", String::new()),
                    ("consentement", "oui".to_owned()),
                    ("site_web", String::new()),
                    ("debut", stamp),
                ];
                let sent = Instant::now();
                let answer = client
                    .post(&url)
                    .header("x-forwarded-for", ip.to_string())
                    .header("sec-fetch-site", "same-origin")
                    .form(&form)
                    .send()
                    .await;
                let latency = sent.elapsed();
                let ok = match answer {
                    Ok(response) if response.status() == reqwest::StatusCode::SEE_OTHER => true,
                    Ok(response) => {
                        let status = response.status();
                        let body = response.text().await.unwrap_or_default();
                        if errors.len() < 3 {
                            errors.push(format!("{status}: {}", &body[..body.len().min(300)]));
                        }
                        false
                    }
                    Err(err) => {
                        if errors.len() < 3 {
                            errors.push(err.to_string());
                        }
                        false
                    }
                };
                samples.push(Sample {
                    at: sent - start,
                    latency,
                    ok,
                });
            }
            (samples, errors)
        }));
    }

    // A line every ten seconds, to see a slope while it runs.
    let total = Duration::from_secs(options.seconds);
    let ticker = {
        let citizen = citizen.clone();
        tokio::spawn(async move {
            let mut last = 0;
            let mut ticks = tokio::time::interval(Duration::from_secs(10));
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let now = citizen.load(Ordering::Relaxed);
                println!(
                    "  {:>4} s: {:>6} submissions, {:>6.0}/s over the last 10 s",
                    start.elapsed().as_secs(),
                    now,
                    f64::from(now - last) / 10.0
                );
                last = now;
            }
        })
    };
    tokio::time::sleep(total).await;
    done.store(true, Ordering::Relaxed);
    ticker.abort();
    let mut run = Run {
        samples: Vec::new(),
        errors: Vec::new(),
        duration: start.elapsed(),
    };
    for task in tasks {
        let (samples, errors) = task.await?;
        run.samples.extend(samples);
        run.errors.extend(errors);
    }
    run.duration = total;
    Ok(run)
}

fn report(run: &Run, options: &Options, backend: &str) {
    let seconds = run.duration.as_secs_f64();
    let window = if seconds >= 180.0 {
        60.0
    } else {
        seconds / 3.0
    };
    let ok = run.samples.iter().filter(|s| s.ok).count();
    println!(
        "{backend}, {} connections, {:.0} s, {} requests pre-filled: {} submissions ({} refused or failed), {:.0}/s overall",
        options.connections,
        seconds,
        options.prefill,
        run.samples.len(),
        run.samples.len() - ok,
        ok as f64 / seconds
    );
    for (name, from, to) in [("first", 0.0, window), ("last", seconds - window, seconds)] {
        let mut latencies: Vec<Duration> = run
            .samples
            .iter()
            .filter(|s| s.ok)
            .filter(|s| (from..to).contains(&s.at.as_secs_f64()))
            .map(|s| s.latency)
            .collect();
        latencies.sort_unstable();
        let pick = |q: f64| {
            latencies
                .get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)))
                .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
        };
        println!(
            "  {name} {window:.0} s: {:>6.0} requests/s, p50 {:>6.1} ms, p99 {:>6.1} ms",
            latencies.len() as f64 / window,
            pick(0.50),
            pick(0.99)
        );
    }
    for error in &run.errors {
        println!("  error: {error}");
    }
}

/// Writes `count` past requests, each with its `created` event and its sent confirmation.
async fn prefill(db: &DatabaseConnection, count: usize) -> anyhow::Result<()> {
    if count == 0 {
        return Ok(());
    }
    let bar = ProgressBar::new(count as u64);
    bar.set_style(ProgressStyle::with_template(
        "pre-filling {bar:40} {pos}/{len} requests ({per_sec}, {eta} left)",
    )?);
    // Spread over the last 170 days: older requests would have been erased by the retention job
    // (RETENTION_DAYS, 180 by default), which would otherwise spend the run erasing them.
    let long_ago = Utc::now() - chrono::Duration::days(170);
    let step_ms = (170 * 24 * 3600 * 1000 / count as i64).max(1);
    // The e-mails' copies are spread over the last 29 days: sent copies are kept OUTBOX_KEEP_DAYS
    // (30 by default), so older ones would have been deleted already, and the outbox clean-up
    // would otherwise spend the first seconds of the run deleting them.
    let recently = Utc::now() - chrono::Duration::days(29);
    let mail_step_ms = (29 * 24 * 3600 * 1000 / count as i64).max(1);
    let mut id = 0i64;
    while (id as usize) < count {
        let txn = db.begin().await?;
        let end = (id as usize + PREFILL_TRANSACTION).min(count) as i64;
        while id < end {
            let upto = (id + PREFILL_STATEMENT as i64).min(end);
            let ids = (id + 1)..=upto;
            let at = |n: i64| long_ago + chrono::Duration::milliseconds(n * step_ms);
            let sent = |n: i64| recently + chrono::Duration::milliseconds(n * mail_step_ms);
            help_request::Entity::insert_many(ids.clone().map(|n| help_request::ActiveModel {
                id: Set(n),
                reference: Set(reference(n)),
                follow_token_hash: Set(format!("{n:064x}")),
                status: Set(RequestStatus::Resolue),
                categories: Set(1),
                modes: Set(1),
                description: Set(Some("Une demande d'il y a longtemps.".into())),
                commune_insee: Set("2A004".into()),
                departement: Set("2A".into()),
                latitude: Set(41.93),
                longitude: Set(8.74),
                prenom: Set("Josette".into()),
                email: Set(Some(format!("ancien{n}@example.org"))),
                telephone: Set(None),
                langue: Set(None),
                pour_un_proche: Set(false),
                prenom_proche: Set(None),
                a_rappeler: Set(false),
                submitter_key: Set(Some(format!("{:064x}", n * 7919))),
                consent_at: Set(at(n)),
                created_at: Set(at(n)),
                updated_at: Set(at(n)),
                volunteer_id: Set(None),
                closed_at: Set(Some(at(n))),
                organisation_id: Set(None),
                entered_by: Set(None),
                erased_at: Set(None),
                message_benevole: Set(None),
                follow_token_sealed: Set(None),
                telephone_proche: Set(None),
                lien_proche: Set(None),
                contacter_proche: Set(false),
                // Columns added later keep their defaults.
                ..Default::default()
            }))
            .exec_without_returning(&txn)
            .await?;
            request_event::Entity::insert_many(ids.clone().map(|n| request_event::ActiveModel {
                request_id: Set(n),
                at: Set(at(n)),
                actor: Set(Actor::Citoyen),
                actor_id: Set(None),
                kind: Set(EventKind::Created),
                from_status: Set(None),
                to_status: Set(Some(RequestStatus::Nouvelle)),
                details: Set(None),
                ..Default::default()
            }))
            .exec_without_returning(&txn)
            .await?;
            outbox_email::Entity::insert_many(ids.clone().map(|n| outbox_email::ActiveModel {
                kind: Set("request_received".into()),
                recipient: Set(format!("ancien{n}@example.org")),
                subject: Set("Votre demande est bien reçue".into()),
                body_text: Set("(corps envoyé il y a longtemps)".into()),
                body_html: Set("<p>(corps envoyé il y a longtemps)</p>".into()),
                headers: Set("{}".into()),
                message_id: Set(format!("<prefill-{n}@entraide.test>")),
                dedupe_key: Set(format!("request_received:{n}")),
                status: Set(OutboxStatus::Sent),
                attempts: Set(1),
                next_attempt_at: Set(sent(n)),
                locked_by: Set(None),
                locked_until: Set(None),
                last_error: Set(None),
                created_at: Set(sent(n)),
                sent_at: Set(Some(sent(n))),
                request_id: Set(Some(n)),
                account_id: Set(None),
                link_secrets: Set(None),
                ..Default::default()
            }))
            .exec_without_returning(&txn)
            .await?;
            bar.inc((upto - id) as u64);
            id = upto;
        }
        txn.commit().await?;
    }
    bar.finish_and_clear();
    if db.get_database_backend() == DbBackend::Postgres {
        db.execute_unprepared(
            "SELECT setval(pg_get_serial_sequence('help_request', 'id'), (SELECT max(id) FROM help_request))",
        )
        .await?;
        // What autovacuum would have done by now on a table this size.
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}

/// A reference in the service's own shape (`ENT-` and six characters), distinct for each `n`.
fn reference(mut n: i64) -> String {
    const ALPHABET: &[u8] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    let mut code = [b'2'; 6];
    for slot in code.iter_mut().rev() {
        *slot = ALPHABET[(n % 32) as usize];
        n /= 32;
    }
    format!("ENT-{}", String::from_utf8_lossy(&code))
}
