//! The SMS worker: claims due texts, leaves those whose recipient is in the quiet period for the
//! morning, sends the others, records the outcome.

use chrono::{DateTime, Utc};
use entity::outbox_sms;
use sea_orm::DatabaseConnection;

use super::outbox;
use super::transport::{Failure, Transport};
use crate::config::{MailConfig, SmsConfig};
use crate::outbox_claim;

/// One worker process's SMS delivery state. Attempts, backoff, lease and batch size are the
/// e-mail outbox's settings.
pub struct SmsWorker {
    db: DatabaseConnection,
    transport: Transport,
    config: SmsConfig,
    limits: MailConfig,
    name: String,
}

/// What one pass over the SMS outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Texts handed to the provider or the folder.
    pub sent: usize,
    /// Texts whose attempt failed (retried later, or now failed).
    pub failed: usize,
    /// Texts claimed in the quiet period, given back until its end.
    pub deferred: usize,
}

impl SmsWorker {
    /// A worker delivering through `transport`.
    pub fn new(
        db: DatabaseConnection,
        transport: Transport,
        config: SmsConfig,
        limits: MailConfig,
    ) -> Self {
        let name = format!(
            "sms-{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            db,
            transport,
            config,
            limits,
            name,
        }
    }

    /// Claims one batch of texts due at `now` and tries to send each of them.
    pub async fn run_once_at(&self, now: DateTime<Utc>) -> anyhow::Result<PassReport> {
        let batch: Vec<outbox_sms::Model> = outbox_claim::claim(
            &self.db,
            &self.name,
            self.limits.batch_size,
            self.limits.lease,
            self.limits.max_attempts,
            now,
        )
        .await?;
        let mut report = PassReport::default();
        for row in batch {
            let allowed = self
                .config
                .quiet
                .next_allowed(now, row.departement.as_deref());
            if allowed > now {
                outbox::defer(&self.db, &row, &self.name, allowed).await?;
                report.deferred += 1;
                continue;
            }
            match self.transport.send(&row).await {
                Ok(provider_id) => {
                    outbox::mark_sent(&self.db, &row, &self.name, provider_id, now).await?;
                    report.sent += 1;
                }
                Err(failure) => {
                    self.record_failure(&row, &failure, now).await?;
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    async fn record_failure(
        &self,
        row: &outbox_sms::Model,
        failure: &Failure,
        now: DateTime<Utc>,
    ) -> Result<(), sea_orm::DbErr> {
        let error = failure.to_string();
        tracing::warn!(sms_id = row.id, kind = %row.kind, attempt = row.attempts, error = %error, "SMS not delivered");
        let (give_up, next) = match failure {
            Failure::Final(_) => (true, row.next_attempt_at),
            Failure::Attempt(_) => outbox_claim::after_failure(
                row.attempts,
                self.limits.max_attempts,
                self.limits.retry_base,
                self.limits.retry_max,
                now,
            ),
        };
        // A retry never lands in the quiet period.
        let next = self
            .config
            .quiet
            .next_allowed(next, row.departement.as_deref());
        outbox_claim::record_failure(&self.db, row, &self.name, &error, give_up, next).await
    }

    /// Claims and sends until nothing is due at `now`.
    pub async fn drain_at(&self, now: DateTime<Utc>) -> anyhow::Result<PassReport> {
        let mut total = PassReport::default();
        loop {
            let pass = self.run_once_at(now).await?;
            total.sent += pass.sent;
            total.failed += pass.failed;
            total.deferred += pass.deferred;
            if (pass.sent + pass.failed + pass.deferred) < self.limits.batch_size as usize {
                return Ok(total);
            }
        }
    }

    /// One pass at the present time (the background loop).
    pub async fn run_once(&self) -> anyhow::Result<PassReport> {
        self.run_once_at(Utc::now()).await
    }
}
