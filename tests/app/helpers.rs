//! `spawn_app()`: the real application on 127.0.0.1:0 with its own database (a temporary SQLite
//! file, or a fresh PostgreSQL database when TEST_DATABASE_URL is set) and a cookie-keeping client.
//!
//! The background workers are off: a test runs them on demand, deterministically —
//! [`TestApp::drain_outbox`] delivers the e-mails due, [`TestApp::run_due_jobs`] runs every
//! periodic job once at a chosen `now`. Only a test of the worker loop itself starts them
//! ([`spawn_app_with_workers`]).

use std::sync::Arc;
use std::time::Duration;

use axum_test::TestServer;
use chrono::{DateTime, Utc};
use entity::{outbox_email, outbox_sms};
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::sms::worker::{PassReport as SmsPass, SmsWorker};
use entraide::webhooks::worker::WebhookWorker;
use entraide::{Application, Config, JobsReport, Workers};
use sea_orm::{
    ColumnTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

pub use crate::mailbox::MailFolder;

/// A running application and what a test needs to look inside it.
pub struct TestApp {
    /// A client that keeps cookies, talking to the server over TCP.
    pub server: TestServer,
    /// The application's database.
    pub db: DatabaseConnection,
    /// The settings it runs with.
    pub config: Config,
    /// The folder e-mails are written into (when no SMTP server is set).
    pub mailbox: MailFolder,
    /// Where the metrics are served, when the test set `metrics_addr`.
    pub metrics_addr: Option<std::net::SocketAddr>,
    workers: Workers,
    outbox: Arc<OutboxWorker>,
    webhooks: WebhookWorker,
    sms: SmsWorker,
    _database: TestDatabase,
    _mail_dir: tempfile::TempDir,
    _sms_dir: tempfile::TempDir,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.workers.cancellation().cancel();
    }
}

impl TestApp {
    /// Delivers every e-mail due now, as the outbox worker's next pass would; returns how many
    /// were sent.
    pub async fn drain_outbox(&self) -> usize {
        self.outbox
            .drain()
            .await
            .expect("the outbox can be drained")
            .sent
    }

    /// Attempts every webhook delivery due now, as the webhook worker's next pass would; returns
    /// how many were delivered (answered 2xx).
    pub async fn drain_webhooks(&self) -> usize {
        self.drain_webhooks_at(Utc::now()).await
    }

    /// Attempts every webhook delivery due at `now` (a moved clock, for the retries' waits).
    pub async fn drain_webhooks_at(&self, now: DateTime<Utc>) -> usize {
        self.webhooks
            .drain(now)
            .await
            .expect("the webhook outbox can be drained")
            .delivered
    }

    /// Attempts the webhook deliveries due at `now` with a worker whose settings `customise`
    /// changed (say, `WEBHOOK_ALLOW_PRIVATE` turned off since the endpoint was registered).
    pub async fn drain_webhooks_with(
        &self,
        now: DateTime<Utc>,
        customise: impl FnOnce(&mut entraide::config::WebhookConfig),
    ) -> usize {
        let mut config = self.config.webhooks.clone();
        customise(&mut config);
        WebhookWorker::new(self.db.clone(), config, self.config.secret_key.clone())
            .expect("the webhook worker starts")
            .drain(now)
            .await
            .expect("the webhook outbox can be drained")
            .delivered
    }

    /// Every webhook delivery, oldest first, whatever its state.
    pub async fn webhook_rows(&self) -> Vec<entity::webhook_delivery::Model> {
        entity::webhook_delivery::Entity::find()
            .order_by_asc(entity::webhook_delivery::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    /// Delivers every SMS due at `now` (an instant the test chooses: quiet hours are read from it),
    /// as the SMS worker's next pass would.
    pub async fn drain_sms(&self, now: DateTime<Utc>) -> SmsPass {
        self.sms
            .drain_at(now)
            .await
            .expect("the SMS outbox can be drained")
    }

    /// The SMS outbox rows of `kind` (every kind when `None`), oldest first, whatever their state.
    pub async fn sms_rows(&self, kind: Option<&str>) -> Vec<outbox_sms::Model> {
        let mut rows = outbox_sms::Entity::find();
        if let Some(kind) = kind {
            rows = rows.filter(outbox_sms::Column::Kind.eq(kind));
        }
        rows.order_by_asc(outbox_sms::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }

    /// Runs every periodic job once (expiries, reminders, digest, clean-ups) as if the time were
    /// `now`; the e-mails they enqueue wait for [`TestApp::drain_outbox`].
    pub async fn run_due_jobs(&self, now: DateTime<Utc>) -> JobsReport {
        entraide::run_due_jobs(&self.db, &self.config, now)
            .await
            .expect("the periodic jobs run")
    }

    /// The outbox rows of `kind` (e.g. `volunteer_reminder`), to `recipient` when given, oldest
    /// first, whatever their state: "nothing was sent" is an empty list, not a wait.
    pub async fn outbox_rows(
        &self,
        kind: &str,
        recipient: Option<&str>,
    ) -> Vec<outbox_email::Model> {
        let mut rows = outbox_email::Entity::find().filter(outbox_email::Column::Kind.eq(kind));
        if let Some(recipient) = recipient {
            rows = rows.filter(outbox_email::Column::Recipient.eq(recipient));
        }
        rows.order_by_asc(outbox_email::Column::Id)
            .all(&self.db)
            .await
            .unwrap()
    }
}

/// Starts the application with the test defaults (background workers off).
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Starts the application, background workers off, after `customise` has adjusted its settings.
pub async fn spawn_app_with(customise: impl FnOnce(&mut Config)) -> TestApp {
    start(|config| {
        config.workers = false;
        customise(config);
    })
    .await
}

/// Starts the application with its real background workers on their real periods: only for a
/// test whose subject is the worker loop itself.
pub async fn spawn_app_with_workers(customise: impl FnOnce(&mut Config)) -> TestApp {
    start(|config| {
        config.workers = true;
        customise(config);
    })
    .await
}

async fn start(customise: impl FnOnce(&mut Config)) -> TestApp {
    let database = TestDatabase::create().await;
    let mail_dir = tempfile::tempdir().expect("a temporary folder");
    let sms_dir = tempfile::tempdir().expect("a temporary folder");
    let mut config = test_config(&database, mail_dir.path());
    config.sms.dir = sms_dir.path().to_path_buf();
    customise(&mut config);

    let app = Application::build(config.clone())
        .await
        .expect("the application starts");
    let db = app.state().db.clone();
    let workers = app.workers();
    let metrics_addr = app.metrics_addr();
    let server = TestServer::builder()
        .save_cookies()
        .build(app.into_server(Box::pin(std::future::pending())));
    let outbox = Arc::new(OutboxWorker::new(
        db.clone(),
        Transport::from_config(&config.mail).expect("the mail transport is valid"),
        config.mail.clone(),
    ));
    let mailbox = MailFolder::of_app(config.mail.dir.clone(), outbox.clone());
    let webhooks = WebhookWorker::new(
        db.clone(),
        config.webhooks.clone(),
        config.secret_key.clone(),
    )
    .expect("the webhook worker starts");
    let sms = SmsWorker::new(
        db.clone(),
        entraide::sms::transport::Transport::from_config(&config.sms)
            .expect("the SMS transport is valid"),
        config.sms.clone(),
        config.mail.clone(),
    );
    TestApp {
        server,
        db,
        config,
        mailbox,
        metrics_addr,
        workers,
        outbox,
        webhooks,
        sms,
        _database: database,
        _mail_dir: mail_dir,
        _sms_dir: sms_dir,
    }
}

/// Settings for a test: its own database and mail folder, port 0, quick background workers (when
/// a test starts them).
pub fn test_config(database: &TestDatabase, mail_dir: &std::path::Path) -> Config {
    let mut config = Config::from_lookup(|_| None).expect("default settings are valid");
    config.database_url = database.url();
    config.bind_addr = "127.0.0.1:0".parse().unwrap();
    config.mail.dir = mail_dir.to_path_buf();
    config.mail.poll_interval = Duration::from_millis(50);
    config.form_min_fill = Duration::ZERO;
    config
}

/// The database behind one test, removed when the test ends.
pub enum TestDatabase {
    /// A SQLite file in its own temporary folder.
    Sqlite(tempfile::TempDir),
    /// A PostgreSQL database created for this test on the TEST_DATABASE_URL server.
    Postgres {
        admin_url: String,
        url: String,
        name: String,
    },
}

impl TestDatabase {
    /// A new, empty database.
    pub async fn create() -> Self {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.trim().is_empty() => {
                let name = format!("entraide_test_{}", uuid::Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url)
                    .await
                    .expect("TEST_DATABASE_URL answers");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("a test database can be created");
                admin.close().await.ok();
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&name);
                Self::Postgres {
                    admin_url,
                    url: url.to_string(),
                    name,
                }
            }
            _ => Self::Sqlite(tempfile::tempdir().expect("a temporary folder")),
        }
    }

    /// The URL to connect to it.
    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(dir) => format!(
                "sqlite://{}?mode=rwc",
                dir.path().join("entraide.db").display()
            ),
            Self::Postgres { url, .. } => url.clone(),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Self::Postgres {
            admin_url, name, ..
        } = self
        {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Dropping happens outside any runtime: use a small one of its own.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                runtime.block_on(async {
                    let admin = Database::connect(&admin_url)
                        .await
                        .map_err(std::io::Error::other)?;
                    admin
                        .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                        .await
                        .map_err(std::io::Error::other)?;
                    admin.close().await.map_err(std::io::Error::other)
                })
            })
            .join();
        }
    }
}
