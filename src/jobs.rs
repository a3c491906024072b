//! The periodic jobs, listed once: the background workers run each of them on its own period
//! with the real clock ([`crate::spawn_workers`]), and [`run_due_jobs`] runs them all once with
//! a given `now` (the `worker` command's tests, and the integration tests that move the clock).
//! E-mail delivery is not among them: it does not depend on a date, see
//! [`crate::mail::worker::OutboxWorker::drain`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use entity::job_lease;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, Set};

use crate::Config;
use crate::session_store::DbSessionStore;
use crate::{accounts, mail, matching, moderation, requests, statistics, webhooks};

/// One periodic job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Proposals not answered in time expire; the next round of their requests starts.
    ProposalExpiry,
    /// Volunteers still holding a request some days after taking it get one reminder.
    VolunteerReminders,
    /// Moderators who chose the digest get their summary of new requests.
    ModerationDigest,
    /// Requests left waiting too long are closed as abandoned.
    StaleRequests,
    /// Personal data of requests finished longer ago than the retention period is erased.
    RequestRetention,
    /// Sent e-mails older than `OUTBOX_KEEP_DAYS` are deleted.
    OutboxCleanup,
    /// Expired sessions are deleted.
    SessionCleanup,
    /// Login attempts and uses of per-address limits older than a day are deleted.
    LoginAttemptCleanup,
    /// The public statistics' daily roll-up is rebuilt.
    StatisticsRollup,
}

impl Job {
    /// Every job, in the order [`run_due_jobs`] runs them: what may enqueue e-mails first, the
    /// clean-ups last.
    pub const ALL: [Self; 9] = [
        Self::ProposalExpiry,
        Self::VolunteerReminders,
        Self::ModerationDigest,
        Self::StaleRequests,
        Self::RequestRetention,
        Self::OutboxCleanup,
        Self::SessionCleanup,
        Self::LoginAttemptCleanup,
        Self::StatisticsRollup,
    ];

    /// The job's name, in logs.
    pub fn name(self) -> &'static str {
        match self {
            Self::ProposalExpiry => "proposal-expiry",
            Self::VolunteerReminders => "volunteer-reminders",
            Self::ModerationDigest => "moderation-digest",
            Self::StaleRequests => "stale-requests",
            Self::RequestRetention => "request-retention",
            Self::OutboxCleanup => "outbox-cleanup",
            Self::SessionCleanup => "session-cleanup",
            Self::LoginAttemptCleanup => "login-attempt-cleanup",
            Self::StatisticsRollup => "statistics-rollup",
        }
    }

    /// How often the background workers run it.
    pub fn period(self, config: &Config) -> Duration {
        match self {
            // Reminders are checked as often as expiries.
            Self::ProposalExpiry | Self::VolunteerReminders => config.matching.expiry_interval,
            Self::ModerationDigest => {
                moderation::digest::poll_period(config.moderation_digest_interval)
            }
            Self::StaleRequests
            | Self::RequestRetention
            | Self::OutboxCleanup
            | Self::SessionCleanup
            | Self::LoginAttemptCleanup => config.session_cleanup_interval,
            Self::StatisticsRollup => Duration::from_secs(24 * 3600),
        }
    }

    /// Runs the job once as if the time were `now`; returns how many things it did (proposals
    /// expired, e-mails enqueued, rows deleted…).
    pub async fn run(
        self,
        db: &DatabaseConnection,
        config: &Config,
        now: DateTime<Utc>,
    ) -> anyhow::Result<u64> {
        let done = match self {
            Self::ProposalExpiry => count(matching::rounds::expire_due(db, config, now).await?),
            Self::VolunteerReminders => {
                count(matching::reminders::send_due(db, config, now).await?)
            }
            Self::ModerationDigest => count(moderation::digest::send_due(db, config, now).await?),
            Self::StaleRequests => requests::stale::abandon_stale(db, config, now).await?,
            Self::RequestRetention => {
                requests::retention::erase_expired(db, now, config.retention_days).await?
            }
            Self::OutboxCleanup => {
                mail::outcome::delete_sent(db, now, config.mail.keep_days).await?
                    + webhooks::outbox::delete_finished(db, now, config.mail.keep_days).await?
                    + crate::sms::outbox::delete_sent(db, now, config.mail.keep_days).await?
            }
            Self::SessionCleanup => {
                DbSessionStore::new(db.clone())
                    .delete_expired_at(now.timestamp())
                    .await?
            }
            Self::LoginAttemptCleanup => {
                accounts::login::clean_up_attempts(db, now).await?
                    + crate::limits::clean_up(db, now).await?
                    + requests::lookup::clean_up(db, now).await?
                    + crate::partners::idempotency::clean_up(db, now - chrono::Duration::days(1))
                        .await?
            }
            Self::StatisticsRollup => statistics::rollup::run(db, now).await?.requests,
        };
        Ok(done)
    }
}

fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Whether `owner` (one worker) may run `job` now: among every worker sharing the database, the
/// first to ask in each period of `period` (periods counted from the Unix epoch, so that workers
/// started at different times agree on them) gets it, and its run is counted in `job_lease`.
/// Another worker asking in the same period is told no.
pub async fn claim(
    db: &DatabaseConnection,
    job: Job,
    period: Duration,
    owner: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let period_ms = i64::try_from(period.as_millis()).unwrap_or(i64::MAX).max(1);
    let start_ms = now.timestamp_millis().div_euclid(period_ms) * period_ms;
    let period_start = DateTime::<Utc>::from_timestamp_millis(start_ms).unwrap_or(now);
    job_lease::Entity::insert(job_lease::ActiveModel {
        job: Set(job.name().to_owned()),
        last_run_at: Set(DateTime::<Utc>::UNIX_EPOCH),
        owner: Set(String::new()),
        runs: Set(0),
    })
    .on_conflict_do_nothing_on([job_lease::Column::Job])
    .exec(db)
    .await?;
    let claimed = job_lease::Entity::update_many()
        .col_expr(job_lease::Column::LastRunAt, Expr::value(now))
        .col_expr(job_lease::Column::Owner, Expr::value(owner))
        .col_expr(
            job_lease::Column::Runs,
            sea_orm::sea_query::ExprTrait::add(Expr::col(job_lease::Column::Runs), 1),
        )
        .filter(job_lease::Column::Job.eq(job.name()))
        .filter(job_lease::Column::LastRunAt.lt(period_start))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// What [`run_due_jobs`] did: each job's name and how many things it did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct JobsReport(pub Vec<(&'static str, u64)>);

impl JobsReport {
    /// How many things the job named `name` did (0 if it did not run).
    pub fn of(&self, name: &str) -> u64 {
        self.0
            .iter()
            .find(|(job, _)| *job == name)
            .map_or(0, |(_, done)| *done)
    }
}

/// Runs every periodic job once, in [`Job::ALL`]'s order, as if the time were `now`. E-mails they
/// enqueue stay in the outbox for the delivery worker.
pub async fn run_due_jobs(
    db: &DatabaseConnection,
    config: &Config,
    now: DateTime<Utc>,
) -> anyhow::Result<JobsReport> {
    let mut report = JobsReport::default();
    for job in Job::ALL {
        let done = job.run(db, config, now).await?;
        report.0.push((job.name(), done));
    }
    Ok(report)
}
