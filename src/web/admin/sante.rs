//! `/admin/sante`: the operator's page — the figures of the metrics, read by a person, each with
//! its verdict in words and what to do when it is not fine.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::Utc;

use crate::AppState;
use crate::accounts::password::HashQueue;
use crate::dates::date_time_fr;
use crate::error::AppResult;
use crate::ops::health::{self, Level};
use crate::ops::{self, PoolUsage};
use crate::web::auth::CurrentAdmin;
use crate::web::layout::Layout;

/// The health route.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/admin/sante", get(show))
}

/// One outbox channel's line.
struct OutboxRow {
    channel: &'static str,
    pending: u64,
    sending: u64,
    sent: u64,
    failed: u64,
    oldest: String,
    failed_last_day: u64,
    retrying: u64,
}

/// One periodic job's line.
struct JobRow {
    name: &'static str,
    what: &'static str,
    last_success: String,
    duration: String,
    failures: u64,
    level: Level,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/sante.html")]
struct HealthPage {
    layout: Layout,
    section: &'static str,
    read_at: String,
    outbox: Vec<OutboxRow>,
    outbox_level: Level,
    failures_level: Level,
    jobs: Vec<JobRow>,
    jobs_level: Level,
    moderation: Vec<(String, u64)>,
    moderation_level: Level,
    requests: Vec<(&'static str, u64)>,
    proposals_waiting: u64,
    proposals_expiring: u64,
    database_size: String,
    database_level: Level,
    pool: PoolUsage,
    pool_level: Level,
    passwords: HashQueue,
    passwords_level: Level,
}

async fn show(
    State(state): State<AppState>,
    layout: Layout,
    _admin: CurrentAdmin,
) -> AppResult<HealthPage> {
    let now = Utc::now();
    let snapshot = ops::snapshot(&state, now).await?;
    let figures = &snapshot.figures;
    let worst = |levels: &mut dyn Iterator<Item = Level>| levels.max().unwrap_or(Level::Ok);
    let outbox_level = worst(
        &mut figures
            .outbox
            .iter()
            .map(|b| health::outbox_backlog(b, now)),
    );
    let failures_level = worst(&mut figures.outbox.iter().map(health::outbox_failures));
    let outbox = figures
        .outbox
        .iter()
        .map(|b| OutboxRow {
            channel: channel_label(b.channel),
            pending: b.count(crate::mail::outbox::PENDING),
            sending: b.count(crate::mail::outbox::SENDING),
            sent: b.count(crate::mail::outbox::SENT),
            failed: b.count(crate::mail::outbox::FAILED),
            oldest: match b.oldest_pending {
                Some(_) => format!("depuis {}", duration_fr(b.oldest_pending_age_seconds(now))),
                None => "aucun".to_owned(),
            },
            failed_last_day: b.failed_last_day,
            retrying: b.retrying,
        })
        .collect();
    let jobs: Vec<JobRow> = snapshot
        .jobs
        .iter()
        .map(|run| JobRow {
            name: run.name,
            what: job_label(run.name),
            last_success: run
                .last_success
                .map_or_else(|| "pas encore".to_owned(), |at| date_time_fr(at, "75")),
            duration: run
                .last_duration
                .map_or_else(|| "—".to_owned(), |d| format!("{} ms", d.as_millis())),
            failures: run.failures,
            level: health::job(run, now),
        })
        .collect();
    let moderation_level = health::moderation(figures.overdue_moderation());
    Ok(HealthPage {
        layout,
        section: "sante",
        read_at: date_time_fr(now, "75"),
        outbox,
        outbox_level,
        failures_level,
        jobs_level: worst(&mut jobs.iter().map(|j| j.level)),
        jobs,
        moderation: figures
            .awaiting_moderation
            .iter()
            .map(|w| {
                let name = w
                    .organisation
                    .clone()
                    .unwrap_or_else(|| "Sans organisation (les administrateurs)".to_owned());
                (name, w.count)
            })
            .collect(),
        moderation_level,
        requests: figures
            .requests
            .iter()
            .map(|(status, n)| (status.label(), *n))
            .collect(),
        proposals_waiting: figures.proposals_waiting,
        proposals_expiring: figures.proposals_expiring_soon,
        database_size: figures
            .database_bytes
            .map_or_else(|| "inconnue".to_owned(), size_fr),
        database_level: health::database(figures.database_bytes),
        pool: snapshot.pool,
        pool_level: health::pool(snapshot.pool),
        passwords: snapshot.passwords,
        passwords_level: health::passwords(snapshot.passwords),
    })
}

fn channel_label(channel: &str) -> &'static str {
    match channel {
        ops::figures::EMAIL_CHANNEL => "E-mails",
        _ => "Autre canal",
    }
}

/// What each periodic job does, in plain words.
fn job_label(name: &str) -> &'static str {
    match name {
        "mail-outbox" => "Envoi des e-mails",
        "webhooks" => "Envoi des webhooks aux organisations",
        "proposal-expiry" => "Fin des propositions sans réponse",
        "volunteer-reminders" => "Rappels aux bénévoles",
        "moderation-digest" => "Résumé quotidien des modérateurs",
        "session-cleanup" => "Nettoyage des sessions",
        "request-retention" => "Demandes sans suite et effacement des données",
        "login-attempt-cleanup" => "Nettoyage des tentatives de connexion",
        _ => "Tâche de fond",
    }
}

/// `42 s`, `12 min`, `3 h 05`, `2 j 4 h`.
fn duration_fr(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h {:02}", s / 3600, (s % 3600) / 60),
        s => format!("{} j {} h", s / 86_400, (s % 86_400) / 3600),
    }
}

/// `812 Kio`, `12,4 Mio`, `1,2 Gio`.
#[expect(
    clippy::cast_precision_loss,
    reason = "one decimal shown; database sizes stay far below 2^52 bytes"
)]
fn size_fr(bytes: i64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes.max(0) as f64;
    let (value, unit) = if b < KIB * KIB {
        (b / KIB, "Kio")
    } else if b < KIB * KIB * KIB {
        (b / (KIB * KIB), "Mio")
    } else {
        (b / (KIB * KIB * KIB), "Gio")
    };
    format!("{value:.1} {unit}").replace('.', ",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes_read_in_french() {
        assert_eq!(duration_fr(42), "42 s");
        assert_eq!(duration_fr(12 * 60 + 5), "12 min");
        assert_eq!(duration_fr(3 * 3600 + 5 * 60), "3 h 05");
        assert_eq!(duration_fr(2 * 86_400 + 4 * 3600), "2 j 4 h");
        assert_eq!(size_fr(812 * 1024), "812,0 Kio");
        assert_eq!(size_fr(13_002_342), "12,4 Mio");
    }
}
