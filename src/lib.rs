//! Entraide: matches volunteers with people struggling with digital tools.
//!
//! [`Application::build`] turns a [`Config`] into a bound listener, a router and the background
//! workers; `main` and the integration tests both start the service through it.

pub mod backup;
pub mod config;
pub mod error;
pub mod jobs;
pub mod ops;
pub mod session_store;
pub mod statistics;
pub mod telemetry;
pub mod web;
pub mod workers;

// The rules live in the `domain` crate; their modules are reachable from here under the same
// names (`entraide::requests`, `crate::matching`), so pages and tests read the same paths.
pub use domain::{
    accounts, admin, audit, contact, dates, db, forms, geo, lifecycle, limits, mail, matching,
    messages, moderation, organisations, outbox_claim, partners, reference, requests, sms, staff,
    tokens, trust_words, webhooks,
};

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::Router;
use axum::extract::connect_info::IntoMakeServiceWithConnectInfo;
use axum::serve::WithGracefulShutdown;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

pub use config::Config;
pub use jobs::{JobsReport, run_due_jobs};
pub use workers::Workers;

/// What every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database connection pool.
    pub db: DatabaseConnection,
    /// The settings the service started with.
    pub config: Arc<Config>,
    /// The reference of French communes, loaded once per process.
    pub communes: Arc<geo::Communes>,
    /// Password hashing, bounded to a few at a time.
    pub passwords: accounts::Passwords,
    /// This application's metrics (HTTP counters; gauges are read at each scrape).
    pub metrics: ops::metrics::Metrics,
    /// When this process's periodic jobs last ran.
    pub jobs: ops::jobs::JobRuns,
    /// The public statistics of the latest roll-up, kept in memory until the next one.
    pub statistics: statistics::Cache,
}

/// A future that resolves when the server must stop accepting connections.
pub type ShutdownSignal = Pin<Box<dyn Future<Output = ()> + Send>>;

/// The HTTP server, ready to be awaited (or handed to a test client).
pub type Server = WithGracefulShutdown<
    TcpListener,
    IntoMakeServiceWithConnectInfo<Router, SocketAddr>,
    axum::middleware::AddExtension<Router, axum::extract::ConnectInfo<SocketAddr>>,
    ShutdownSignal,
>;

/// The service, built and bound but not yet serving.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    workers: Workers,
    metrics_addr: Option<SocketAddr>,
}

impl Application {
    /// Connects to the database, applies the migrations, loads the communes reference, binds the
    /// listener and starts the background workers.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let db = db::connect(&config.database_url, config.db_max_connections)
            .await
            .context("cannot open the database (DATABASE_URL)")?;
        db::migrate(&db)
            .await
            .context("cannot apply the database migrations")?;

        let started = Instant::now();
        let communes = tokio::task::spawn_blocking(geo::Communes::shared)
            .await
            .map_err(anyhow::Error::from)
            .and_then(|loaded| loaded)
            .context("the communes reference could not be loaded")?;
        tracing::info!(
            communes = communes.len(),
            former_names = communes.alias_count(),
            elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
            "communes loaded"
        );

        let listener = TcpListener::bind(config.bind_addr)
            .await
            .with_context(|| format!("cannot listen on {} (BIND_ADDR)", config.bind_addr))?;

        let workers = Workers::new();
        let state = AppState {
            db: db.clone(),
            config: Arc::new(config.clone()),
            communes,
            passwords: accounts::Passwords::new(config.password_hash_concurrency),
            metrics: ops::metrics::Metrics::new(),
            jobs: workers.runs(),
            statistics: statistics::Cache::default(),
        };
        let router = web::router(state.clone(), &config)?;
        let metrics_addr = match config.metrics_addr {
            Some(addr) => Some(serve_metrics(addr, &state, &workers).await?),
            None => None,
        };

        if config.workers {
            spawn_workers(&workers, &db, &config)?;
        } else {
            tracing::info!(
                "background workers are off (WORKERS=false): run `entraide worker` elsewhere"
            );
        }

        Ok(Self {
            listener,
            router,
            state,
            workers,
            metrics_addr,
        })
    }

    /// Where the metrics are served (`METRICS_ADDR`, with the port bound when it asked for 0),
    /// if they are.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics_addr
    }

    /// The port the service listens on (useful when BIND_ADDR asked for port 0).
    pub fn port(&self) -> u16 {
        self.listener
            .local_addr()
            .map(|a| a.port())
            .unwrap_or_default()
    }

    /// The shared state (database, settings, communes).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// The background workers, to stop them once the server is done.
    pub fn workers(&self) -> Workers {
        self.workers.clone()
    }

    /// The HTTP server, which stops accepting connections when `shutdown` resolves and then lets
    /// the requests in flight finish.
    pub fn into_server(self, shutdown: ShutdownSignal) -> Server {
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(self.listener, service).with_graceful_shutdown(shutdown)
    }

    /// Serves until SIGINT or SIGTERM, then finishes the requests in flight and stops the workers.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        let workers = self.workers();
        tracing::info!(port = self.port(), "Entraide is listening");
        self.into_server(Box::pin(shutdown_signal())).await?;
        tracing::info!("server stopped; stopping background workers");
        workers.stop().await;
        Ok(())
    }
}

/// Binds `addr` and serves the metrics there until the workers stop; returns the bound address.
async fn serve_metrics(
    addr: SocketAddr,
    state: &AppState,
    workers: &Workers,
) -> anyhow::Result<SocketAddr> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (METRICS_ADDR)"))?;
    let bound = listener.local_addr()?;
    let stop = workers.cancellation();
    let router = ops::metrics::router(state.clone());
    tokio::spawn(async move {
        let served = axum::serve(listener, router)
            .with_graceful_shutdown(stop.cancelled_owned())
            .await;
        if let Err(err) = served {
            tracing::error!(error = %err, "the metrics listener stopped");
        }
    });
    tracing::info!(addr = %bound, "metrics served at /metrics");
    Ok(bound)
}

/// Starts the background jobs of one process: e-mail and SMS delivery, then every job of
/// [`jobs::Job::ALL`] (proposal expiry, the moderators' daily digest, the clean-ups…) on its period.
/// Several processes may run them at once: they coordinate
/// through the database.
pub fn spawn_workers(
    workers: &Workers,
    db: &DatabaseConnection,
    config: &Config,
) -> anyhow::Result<()> {
    let transport = mail::transport::Transport::from_config(&config.mail)?;
    tracing::info!("e-mails are {}", transport.describe(&config.mail));
    let outbox = std::sync::Arc::new(mail::worker::OutboxWorker::new(
        db.clone(),
        transport,
        config.mail.clone(),
    ));
    workers.spawn_periodic("mail-outbox", config.mail.poll_interval, move || {
        let outbox = outbox.clone();
        async move { outbox.drain().await.map(|_| ()) }
    });
    let webhooks = Arc::new(webhooks::worker::WebhookWorker::new(
        db.clone(),
        config.webhooks.clone(),
        config.secret_key.clone(),
    )?);
    workers.spawn_periodic("webhooks", config.webhooks.poll_interval, move || {
        let webhooks = webhooks.clone();
        async move { webhooks.drain(chrono::Utc::now()).await.map(|_| ()) }
    });
    let texts = sms::transport::Transport::from_config(&config.sms)?;
    tracing::info!(
        "SMS are {}",
        match &texts {
            sms::transport::Transport::Folder(dir) => format!("written into {}", dir.display()),
            sms::transport::Transport::Brevo(_) => "sent through Brevo".to_owned(),
        }
    );
    let sms_outbox = std::sync::Arc::new(sms::worker::SmsWorker::new(
        db.clone(),
        texts,
        config.sms.clone(),
        config.mail.clone(),
    ));
    workers.spawn_periodic("sms-outbox", config.mail.poll_interval, move || {
        let sms_outbox = sms_outbox.clone();
        async move { sms_outbox.drain_at(chrono::Utc::now()).await.map(|_| ()) }
    });

    let config = Arc::new(config.clone());
    // Several workers may share the database: each job runs once per period among them all.
    let owner: Arc<str> =
        format!("{}:{}", std::process::id(), uuid::Uuid::new_v4().simple()).into();
    for job in jobs::Job::ALL {
        let (db, config, owner) = (db.clone(), config.clone(), owner.clone());
        let period = job.period(&config);
        workers.spawn_periodic(job.name(), period, move || {
            let (db, config, owner) = (db.clone(), config.clone(), owner.clone());
            async move {
                let now = chrono::Utc::now();
                if jobs::claim(&db, job, period, &owner, now).await? {
                    job.run(&db, &config, now).await?;
                }
                Ok(())
            }
        });
    }
    Ok(())
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutdown requested");
}
