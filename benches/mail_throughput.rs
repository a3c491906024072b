//! E-mails per second delivered from the outbox to a local SMTP sink (mailin-embedded on
//! 127.0.0.1), on a fresh SQLite database or on PostgreSQL when BENCH_DATABASE_URL is set.
//!
//! `cargo bench --bench mail_throughput` (MAIL_BENCH_COUNT e-mails a pass, default 2000): one pass
//! through lettre's own pool (Nagle's algorithm on, as every `smtp://` URL was sent before), one
//! through ours (`mail::smtp_pool`, TCP_NODELAY).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use entraide::Config;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::mail::{self, TestEmail};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sea_orm::{DatabaseConnection, TransactionTrait};

#[derive(Clone)]
struct Counter(Arc<AtomicUsize>);

impl mailin_embedded::Handler for Counter {
    fn data_end(&mut self) -> mailin_embedded::Response {
        self.0.fetch_add(1, Ordering::Relaxed);
        mailin_embedded::response::OK
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let count: usize = std::env::var("MAIL_BENCH_COUNT")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2000);
    let received = Arc::new(AtomicUsize::new(0));
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let port = listener.local_addr()?.port();
    let mut server = mailin_embedded::Server::new(Counter(received.clone()));
    server.with_num_threads(64).with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });

    let dir = tempfile::tempdir()?;
    let mut config = Config::from_lookup(|name| std::env::var(name).ok())?;
    config.database_url = match std::env::var("BENCH_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        ),
    };
    config.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse()?);
    let db = entraide::db::connect(&config.database_url, 4).await?;
    entraide::db::migrate(&db).await?;

    let backend = if config.database_url.starts_with("sqlite") {
        "SQLite"
    } else {
        "PostgreSQL"
    };
    println!(
        "mail_throughput ({backend}, {count} e-mails a pass, batch {}, concurrency {})",
        config.mail.batch_size, config.mail.concurrency
    );
    // lettre's own pool over plain SMTP, as every `smtp://` URL used before: Nagle's algorithm on.
    let lettre_pool = Transport::Smtps(
        AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous("127.0.0.1")
            .port(port)
            .pool_config(PoolConfig::new().max_size(config.mail.concurrency as u32))
            .build(),
    );
    let passes = [
        ("lettre's pool (Nagle on)", lettre_pool),
        (
            "our pool (TCP_NODELAY)",
            Transport::from_config(&config.mail)?,
        ),
    ];
    for (pass, (name, transport)) in passes.into_iter().enumerate() {
        let (enqueue, deliver) = one_pass(&db, &config, transport, count, pass).await?;
        println!("  {name}:");
        println!(
            "    enqueue (rendered, one transaction): {:>8.0} e-mails/s",
            count as f64 / enqueue.as_secs_f64()
        );
        println!(
            "    delivery to the local SMTP sink:     {:>8.0} e-mails/s",
            count as f64 / deliver.as_secs_f64()
        );
    }
    assert_eq!(received.load(Ordering::Relaxed), 2 * count);
    Ok(())
}

/// Queues `count` e-mails, then drains them through `transport`: how long each took.
async fn one_pass(
    db: &DatabaseConnection,
    config: &Config,
    transport: Transport,
    count: usize,
    pass: usize,
) -> anyhow::Result<(Duration, Duration)> {
    let email = TestEmail {
        requested_at: "banc d'essai".into(),
    };
    let run = uuid::Uuid::new_v4();
    let started = Instant::now();
    let txn = db.begin().await?;
    for n in 0..count {
        mail::send_later(
            &txn,
            config,
            &format!("p{n}@example.org"),
            &email,
            &format!("bench-{run}-{pass}-{n}"),
        )
        .await?;
    }
    txn.commit().await?;
    let enqueue = started.elapsed();

    let worker = OutboxWorker::new(db.clone(), transport, config.mail.clone());
    let started = Instant::now();
    let report = worker.drain().await?;
    let deliver = started.elapsed();
    assert_eq!(report.sent, count, "every e-mail delivered");
    Ok((enqueue, deliver))
}
