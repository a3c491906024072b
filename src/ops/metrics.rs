//! Prometheus metrics, in the text format, on a listener of their own (`METRICS_ADDR`) so they are
//! never public by accident. Each application holds its own recorder (no process-wide one): HTTP
//! counters are recorded into it as requests end, and the figures of [`super::snapshot`] are set
//! as gauges at each scrape, so several applications in one process (tests) never mix figures.
//! Labels are bounded: route templates, methods, statuses, states, channels and job names — never
//! an id, an address or a raw path.

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::Utc;
use metrics::{Unit, counter, describe_counter, describe_gauge, describe_histogram, gauge};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use super::Snapshot;
use crate::AppState;

/// The bounds of the HTTP latency histogram's buckets, in seconds.
const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// One application's metrics; clones share them.
#[derive(Clone)]
pub struct Metrics {
    recorder: Arc<PrometheusRecorder>,
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh recorder with every metric described.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets(&LATENCY_BUCKETS)
            .expect("the latency buckets are not empty")
            .build_recorder();
        let metrics = Self {
            handle: recorder.handle(),
            recorder: Arc::new(recorder),
        };
        metrics.record(describe);
        metrics
    }

    /// Runs `f` with this application's recorder as the target of the `metrics` macros.
    pub fn record<T>(&self, f: impl FnOnce() -> T) -> T {
        metrics::with_local_recorder(self.recorder.as_ref(), f)
    }

    /// The metrics in the Prometheus text format, with the gauges of `snapshot`.
    pub fn render(&self, snapshot: &Snapshot) -> String {
        self.record(|| set_gauges(snapshot));
        self.handle.run_upkeep();
        self.handle.render()
    }
}

fn describe() {
    describe_counter!(
        "entraide_http_requests_total",
        "HTTP requests answered, by method, route template and status"
    );
    describe_histogram!(
        "entraide_http_request_duration_seconds",
        Unit::Seconds,
        "Time to answer an HTTP request, by method and route template"
    );
    describe_gauge!(
        "entraide_outbox_messages",
        "Outbox messages by channel and state"
    );
    describe_gauge!(
        "entraide_outbox_oldest_pending_age_seconds",
        Unit::Seconds,
        "Age of the oldest message waiting to be sent (0: none waits)"
    );
    describe_gauge!(
        "entraide_outbox_failed_last_day",
        "Messages written within the last 24 hours and given up on"
    );
    describe_gauge!(
        "entraide_outbox_retrying",
        "Messages waiting for a new attempt after a failed one"
    );
    describe_gauge!("entraide_requests", "Help requests by status");
    describe_gauge!(
        "entraide_requests_awaiting_moderation_overdue",
        "New requests waiting for a moderator for more than 48 hours"
    );
    describe_gauge!(
        "entraide_proposals_waiting",
        "Proposals waiting for the volunteer's answer"
    );
    describe_gauge!(
        "entraide_proposals_expiring_next_hour",
        "Waiting proposals that end within the hour"
    );
    describe_gauge!(
        "entraide_job_last_success_timestamp_seconds",
        Unit::Seconds,
        "When each periodic job last succeeded (Unix time; 0: not yet)"
    );
    describe_gauge!(
        "entraide_job_last_duration_seconds",
        Unit::Seconds,
        "How long each periodic job's last run took"
    );
    describe_counter!(
        "entraide_job_failures_total",
        "Failed runs of each periodic job since the process started"
    );
    describe_gauge!(
        "entraide_db_pool_connections",
        "Database pool connections, in use or idle"
    );
    describe_gauge!(
        "entraide_db_pool_max_connections",
        "The most connections the database pool opens"
    );
    describe_gauge!(
        "entraide_database_size_bytes",
        Unit::Bytes,
        "Size of the database"
    );
    describe_gauge!(
        "entraide_password_hashes",
        "Password hashes running, or waiting for a free slot"
    );
}

#[expect(
    clippy::cast_precision_loss,
    reason = "gauges are f64; counts and sizes stay far below 2^52"
)]
fn set_gauges(snapshot: &Snapshot) {
    let figures = &snapshot.figures;
    for backlog in &figures.outbox {
        for (state, n) in &backlog.states {
            gauge!("entraide_outbox_messages", "channel" => backlog.channel, "state" => *state)
                .set(*n as f64);
        }
        let channel = backlog.channel;
        gauge!("entraide_outbox_oldest_pending_age_seconds", "channel" => channel)
            .set(backlog.oldest_pending_age_seconds(figures.at) as f64);
        gauge!("entraide_outbox_failed_last_day", "channel" => channel)
            .set(backlog.failed_last_day as f64);
        gauge!("entraide_outbox_retrying", "channel" => channel).set(backlog.retrying as f64);
    }
    for (status, n) in &figures.requests {
        gauge!("entraide_requests", "status" => status.slug()).set(*n as f64);
    }
    gauge!("entraide_requests_awaiting_moderation_overdue")
        .set(figures.overdue_moderation() as f64);
    gauge!("entraide_proposals_waiting").set(figures.proposals_waiting as f64);
    gauge!("entraide_proposals_expiring_next_hour").set(figures.proposals_expiring_soon as f64);
    if let Some(bytes) = figures.database_bytes {
        gauge!("entraide_database_size_bytes").set(bytes as f64);
    }
    for job in &snapshot.jobs {
        let success = job
            .last_success
            .map_or(0.0, |at| at.timestamp_millis() as f64 / 1000.0);
        gauge!("entraide_job_last_success_timestamp_seconds", "job" => job.name).set(success);
        gauge!("entraide_job_last_duration_seconds", "job" => job.name)
            .set(job.last_duration.map_or(0.0, |d| d.as_secs_f64()));
        counter!("entraide_job_failures_total", "job" => job.name).absolute(job.failures);
    }
    let pool = snapshot.pool;
    gauge!("entraide_db_pool_connections", "state" => "in_use").set(f64::from(pool.in_use));
    gauge!("entraide_db_pool_connections", "state" => "idle").set(f64::from(pool.idle));
    gauge!("entraide_db_pool_max_connections").set(f64::from(pool.max));
    let hashes = snapshot.passwords;
    gauge!("entraide_password_hashes", "state" => "running").set(hashes.running as f64);
    gauge!("entraide_password_hashes", "state" => "waiting").set(hashes.waiting as f64);
}

/// The router of the metrics listener: `GET /metrics`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(state)
}

async fn scrape(State(state): State<AppState>) -> Response {
    match super::snapshot(&state, Utc::now()).await {
        Ok(snapshot) => (
            [(
                header::CONTENT_TYPE,
                "text/plain; version=0.0.4; charset=utf-8",
            )],
            state.metrics.render(&snapshot),
        )
            .into_response(),
        Err(err) => {
            tracing::error!(error = ?err, "metrics: the database figures cannot be read");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                "the database figures cannot be read\n",
            )
                .into_response()
        }
    }
}
