//! Prometheus metrics on `METRICS_ADDR`: off unless asked for, on a listener of their own, every
//! family present, and each moving when what it counts happens. Figures read from the database
//! are the app's own; HTTP counters are per app too (each app has its own recorder).

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::Utc;
use entraide::Config;
use entraide::contact::PhoneNumber;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::requests::intake::NewRequest;
use sea_orm::TransactionTrait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::fixtures::{REIMS, Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app, spawn_app_with, spawn_app_with_workers};
use crate::kit;
use crate::requests::{form_stamp, valid_form};

/// Every metric family the service exports.
const FAMILIES: [&str; 17] = [
    "entraide_http_requests_total",
    "entraide_http_request_duration_seconds",
    "entraide_outbox_messages",
    "entraide_outbox_oldest_pending_age_seconds",
    "entraide_outbox_failed_last_day",
    "entraide_outbox_retrying",
    "entraide_requests",
    "entraide_requests_awaiting_moderation_overdue",
    "entraide_proposals_waiting",
    "entraide_proposals_expiring_next_hour",
    "entraide_job_last_success_timestamp_seconds",
    "entraide_job_last_duration_seconds",
    "entraide_job_failures_total",
    "entraide_db_pool_connections",
    "entraide_db_pool_max_connections",
    "entraide_database_size_bytes",
    "entraide_password_hashes",
];

pub fn with_metrics(config: &mut Config) {
    config.metrics_addr = Some("127.0.0.1:0".parse().unwrap());
}

/// One scrape's text.
pub struct Scrape {
    pub content_type: String,
    pub text: String,
}

impl Scrape {
    /// Whether the family is declared (`# TYPE name …`).
    pub fn has_family(&self, name: &str) -> bool {
        self.text.lines().any(|l| {
            l.strip_prefix("# TYPE ")
                .is_some_and(|rest| rest.split(' ').next() == Some(name))
        })
    }

    /// The value of the sample `name` whose labels are exactly `labels`.
    pub fn value(&self, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
        let wanted: BTreeMap<&str, &str> = labels.iter().copied().collect();
        self.text
            .lines()
            .filter(|l| !l.starts_with('#'))
            .find_map(|line| {
                let (key, value) = line.rsplit_once(' ')?;
                let (sample, found) = match key.split_once('{') {
                    Some((sample, rest)) => (sample, parse_labels(rest.strip_suffix('}')?)),
                    None => (key, BTreeMap::new()),
                };
                (sample == name && found == wanted).then(|| value.parse().ok())?
            })
    }

    /// [`Scrape::value`], 0 when the sample is absent (a counter not yet incremented).
    pub fn count(&self, name: &str, labels: &[(&str, &str)]) -> f64 {
        self.value(name, labels).unwrap_or(0.0)
    }
}

fn parse_labels(text: &str) -> BTreeMap<&str, &str> {
    text.split("\",")
        .filter_map(|pair| {
            let (k, v) = pair.split_once("=\"")?;
            Some((k, v.trim_end_matches('"')))
        })
        .collect()
}

/// `GET /metrics` on the app's metrics listener, with a plain HTTP/1.1 request over TCP.
pub async fn scrape(app: &TestApp) -> Scrape {
    let addr = app.metrics_addr.expect("the app serves metrics");
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .await
        .unwrap();
    let mut raw = String::new();
    stream.read_to_string(&mut raw).await.unwrap();
    let (head, body) = raw.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let content_type = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-type")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_default();
    Scrape {
        content_type,
        text: body.to_owned(),
    }
}

#[tokio::test]
async fn metrics_are_off_unless_an_address_is_set_and_never_on_the_public_listener() {
    let app = spawn_app().await;
    assert!(app.metrics_addr.is_none());
    app.server.get("/metrics").await.assert_status_not_found();

    let app = spawn_app_with(with_metrics).await;
    assert!(app.metrics_addr.is_some());
    app.server.get("/metrics").await.assert_status_not_found();
}

#[tokio::test]
async fn every_family_is_served_in_the_prometheus_text_format() {
    // The job families belong to the process that runs the jobs: this one does.
    let app = spawn_app_with_workers(with_metrics).await;
    app.server.get("/demande").await.assert_status_ok();
    let metrics = scrape(&app).await;
    assert!(
        metrics
            .content_type
            .starts_with("text/plain; version=0.0.4"),
        "{}",
        metrics.content_type
    );
    for family in FAMILIES {
        assert!(
            metrics.has_family(family),
            "{family} missing:\n{}",
            metrics.text
        );
    }
    assert!(
        metrics.has_family("entraide_http_request_duration_seconds")
            && metrics
                .text
                .contains("# TYPE entraide_http_request_duration_seconds histogram"),
        "latencies are a histogram"
    );
    assert!(
        metrics
            .value(
                "entraide_http_request_duration_seconds_count",
                &[("method", "GET"), ("route", "/demande")]
            )
            .is_some_and(|n| n >= 1.0)
    );
    assert!(
        metrics
            .value("entraide_database_size_bytes", &[])
            .is_some_and(|b| b > 0.0)
    );
    assert_eq!(
        metrics.value("entraide_password_hashes", &[("state", "waiting")]),
        Some(0.0)
    );
}

#[tokio::test]
async fn a_filed_request_moves_the_request_outbox_and_http_figures_and_sending_moves_sent() {
    let app = spawn_app_with(|c| {
        with_metrics(c);
        c.workers = false;
    })
    .await;
    let stamp = form_stamp(&app).await;
    let before = scrape(&app).await;
    let pending = [("channel", "email"), ("state", "pending")];
    let sent = [("channel", "email"), ("state", "sent")];
    let posted = [("method", "POST"), ("route", "/demande"), ("status", "303")];
    assert_eq!(
        before.value("entraide_requests", &[("status", "nouvelle")]),
        Some(0.0)
    );
    assert_eq!(
        before.value("entraide_outbox_messages", &pending),
        Some(0.0)
    );
    assert_eq!(
        before.value(
            "entraide_outbox_oldest_pending_age_seconds",
            &[("channel", "email")]
        ),
        Some(0.0)
    );

    app.server
        .post("/demande")
        .form(&valid_form(&stamp))
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);

    let after = scrape(&app).await;
    assert_eq!(
        after.value("entraide_requests", &[("status", "nouvelle")]),
        Some(1.0)
    );
    let queued = after.count("entraide_outbox_messages", &pending);
    assert!(queued >= 1.0, "the confirmation e-mail waits: {queued}");
    assert!(
        after.count("entraide_http_requests_total", &posted)
            >= before.count("entraide_http_requests_total", &posted) + 1.0
    );

    let worker = OutboxWorker::new(
        app.db.clone(),
        Transport::from_config(&app.config.mail).unwrap(),
        app.config.mail.clone(),
    );
    worker.drain().await.unwrap();
    let drained = scrape(&app).await;
    assert_eq!(
        drained.value("entraide_outbox_messages", &pending),
        Some(0.0)
    );
    assert_eq!(
        drained.value("entraide_outbox_messages", &sent),
        Some(queued)
    );
}

#[tokio::test]
async fn routes_are_labelled_by_their_template_never_by_the_raw_path() {
    let app = spawn_app_with(with_metrics).await;
    app.server.get("/suivi/jeton-tres-secret-123").await;
    app.server.get("/nulle-part/jeton-tres-secret-456").await;
    let metrics = scrape(&app).await;
    assert!(
        !metrics.text.contains("jeton-tres-secret"),
        "{}",
        metrics.text
    );
    assert!(
        metrics.text.contains("route=\"/suivi/{token}\""),
        "{}",
        metrics.text
    );
    assert!(metrics.text.contains("route=\"(unmatched)\""));
}

#[tokio::test]
async fn opening_a_request_moves_the_proposals_waiting_and_expiring_within_the_hour() {
    let app = spawn_app_with(|c| {
        with_metrics(c);
        c.workers = false;
        c.matching.proposal_ttl = Duration::from_secs(30 * 60);
    })
    .await;
    add_volunteer(&app, Volunteer::default()).await;
    let before = scrape(&app).await;
    assert_eq!(before.value("entraide_proposals_waiting", &[]), Some(0.0));
    assert_eq!(
        before.value("entraide_proposals_expiring_next_hour", &[]),
        Some(0.0)
    );

    let new = NewRequest {
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        ..kit::new_request(REIMS)
    };
    let request = kit::file(&app, &new).await.request;
    kit::open(&app, &request).await;

    let after = scrape(&app).await;
    assert_eq!(after.value("entraide_proposals_waiting", &[]), Some(1.0));
    assert_eq!(
        after.value("entraide_proposals_expiring_next_hour", &[]),
        Some(1.0)
    );
    assert_eq!(
        after.value("entraide_requests", &[("status", "ouverte")]),
        Some(1.0)
    );
}

#[tokio::test]
async fn each_periodic_job_reports_its_last_success_and_duration() {
    let started = Utc::now().timestamp() as f64;
    // The real worker loop is the subject: its first runs are waited for on the real clock.
    let app = spawn_app_with_workers(with_metrics).await;
    let job = [("job", "mail-outbox")];
    let mut metrics = scrape(&app).await;
    for _ in 0..200 {
        if metrics
            .value("entraide_job_last_success_timestamp_seconds", &job)
            .is_some_and(|at| at > 0.0)
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
        metrics = scrape(&app).await;
    }
    let last = metrics
        .value("entraide_job_last_success_timestamp_seconds", &job)
        .unwrap();
    assert!(last >= started - 1.0, "{last} < {started}");
    assert!(
        metrics
            .value("entraide_job_last_duration_seconds", &job)
            .is_some()
    );
    assert_eq!(
        metrics.value("entraide_job_failures_total", &job),
        Some(0.0)
    );
    for name in ["proposal-expiry", "request-retention", "session-cleanup"] {
        assert!(
            metrics
                .value("entraide_job_last_duration_seconds", &[("job", name)])
                .is_some(),
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_pool_gauges_count_connections_lent_out() {
    let app = spawn_app_with(|c| {
        with_metrics(c);
        c.workers = false;
        c.db_max_connections = 3;
    })
    .await;
    // sqlx gives a connection back to the pool in a task of its own, just after its last use (the
    // migrations at start): let those tasks run before reading "nothing lent out".
    for _ in 0..10_000 {
        if entraide::ops::pool_usage(&app.db, 3).in_use == 0 {
            break;
        }
        tokio::task::yield_now().await;
    }
    let before = scrape(&app).await;
    let in_use = [("state", "in_use")];
    assert_eq!(
        before.value("entraide_db_pool_connections", &in_use),
        Some(0.0)
    );
    assert_eq!(
        before.value("entraide_db_pool_max_connections", &[]),
        Some(3.0)
    );

    let held = app.db.begin().await.unwrap();
    let during = scrape(&app).await;
    let lent = during.count("entraide_db_pool_connections", &in_use);
    let idle = during.count("entraide_db_pool_connections", &[("state", "idle")]);
    assert!(lent >= 1.0, "the open transaction holds one: {lent}");
    assert!(lent + idle <= 3.0);
    held.rollback().await.unwrap();
}
