//! Entraide: matches volunteers with people struggling with digital tools.
//!
//! [`Application::build`] turns a [`Config`] into a bound listener, a router and the background
//! workers; `main` and the integration tests both start the service through it.

pub mod accounts;
pub mod admin;
pub mod audit;
pub mod backup;
pub mod config;
pub mod contact;
pub mod dates;
pub mod db;
pub mod error;
pub mod forms;
pub mod geo;
pub mod jobs;
pub mod mail;
pub mod matching;
pub mod messages;
pub mod moderation;
pub mod ops;
pub mod organisations;
pub mod reference;
pub mod requests;
pub mod session_store;
pub mod staff;
pub mod statistics;
pub mod telemetry;
pub mod tokens;
pub mod web;
pub mod workers;

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

/// Starts the background jobs of one process: e-mail delivery, then every job of
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

    let config = Arc::new(config.clone());
    for job in jobs::Job::ALL {
        let (db, config) = (db.clone(), config.clone());
        workers.spawn_periodic(job.name(), job.period(&config), move || {
            let (db, config) = (db.clone(), config.clone());
            async move { job.run(&db, &config, chrono::Utc::now()).await.map(|_| ()) }
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

/// The service's own source files, for the tests that read them (layers, single sources).
#[cfg(test)]
pub(crate) mod source_files {
    use std::path::{Path, PathBuf};

    /// Every `.rs` file under `src/`, as (path relative to `src/`, text).
    pub fn all() -> Vec<(PathBuf, String)> {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        walk(&src, &src, &mut found);
        found
    }

    fn walk(root: &Path, dir: &Path, found: &mut Vec<(PathBuf, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(root, &path, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                found.push((path.strip_prefix(root).unwrap().to_path_buf(), text));
            }
        }
    }
}

#[cfg(test)]
mod architecture {
    #[test]
    fn the_rules_never_reach_up_into_the_web_layer() {
        let mut reaching_up = Vec::new();
        for (relative, text) in super::source_files::all() {
            // The web layer itself, and the application that assembles it.
            if relative.starts_with("web") || relative == std::path::Path::new("lib.rs") {
                continue;
            }
            for (n, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or_default();
                if code.contains("crate::web") || code.contains("super::web") {
                    reaching_up.push(format!("{}:{}", relative.display(), n + 1));
                }
            }
        }
        assert!(
            reaching_up.is_empty(),
            "domain code imports the web layer: {reaching_up:?}"
        );
    }
}
