//! The outbox worker: claims due e-mails, sends them, records the outcome.

use std::sync::Arc;
use std::time::Duration;

use entity::outbox_email;
use futures_util::StreamExt;
use sea_orm::DatabaseConnection;

use super::transport::{Transport, build_message};
use super::{outbox, outcome, redact, secrets};
use crate::config::MailConfig;

/// The longest one delivery may take, whatever the server does (lettre's own timeout covers
/// single reads, not a server that accepts the connection and never greets).
const SEND_TIMEOUT: Duration = Duration::from_secs(120);

/// One worker process's delivery loop state.
pub struct OutboxWorker {
    db: DatabaseConnection,
    transport: Transport,
    config: Arc<MailConfig>,
    name: String,
}

/// Why an e-mail was not delivered.
enum Failure {
    /// This attempt failed; another may succeed.
    Attempt(anyhow::Error),
    /// No attempt can succeed until an operator acts.
    Final(anyhow::Error),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Attempt(err) | Self::Final(err) => write!(f, "{err:#}"),
        }
    }
}

/// What one pass over the outbox did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// E-mails handed to the server or the folder.
    pub sent: usize,
    /// E-mails whose attempt failed (they will be retried, or are now failed).
    pub failed: usize,
}

impl OutboxWorker {
    /// A worker delivering through `transport`; `name` tells workers apart in the leases.
    pub fn new(db: DatabaseConnection, transport: Transport, config: MailConfig) -> Self {
        let name = format!(
            "{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Self {
            db,
            transport,
            config: Arc::new(config),
            name,
        }
    }

    /// Claims one batch of due e-mails and tries to send each of them.
    pub async fn run_once(&self) -> anyhow::Result<PassReport> {
        let config = &self.config;
        let batch = outbox::claim(
            &self.db,
            &self.name,
            config.batch_size,
            config.lease,
            config.max_attempts,
            chrono::Utc::now(),
        )
        .await?;
        // Sent e-mails that need no per-row scrubbing are marked together after the batch, in
        // one UPDATE: one short write instead of one per e-mail, which on SQLite would each wait
        // for the single writer's lock in turn with the requests being filed.
        let outcomes: Vec<(bool, Option<i64>)> = futures_util::stream::iter(batch)
            .map(|row| async move {
                let result = self.deliver(&row).await;
                if result.is_ok() && outcome::marks_uniformly(&row) {
                    return (true, Some(row.id));
                }
                if let Err(err) = self.record(&row, &result).await {
                    tracing::error!(email_id = row.id, error = %err, "cannot record the e-mail's outcome");
                }
                (result.is_ok(), None)
            })
            .buffer_unordered(config.concurrency.max(1))
            .collect()
            .await;
        let delivered: Vec<i64> = outcomes.iter().filter_map(|(_, id)| *id).collect();
        if let Err(err) = outcome::mark_sent_many(&self.db, &delivered, &self.name).await {
            tracing::error!(emails = delivered.len(), error = %err, "cannot record that the e-mails were sent");
        }
        let sent = outcomes.iter().filter(|(ok, _)| *ok).count();
        Ok(PassReport {
            sent,
            failed: outcomes.len() - sent,
        })
    }

    /// Restores the e-mail's link secrets and hands it to the transport.
    async fn deliver(&self, row: &outbox_email::Model) -> Result<(), Failure> {
        let row = secrets::unseal(&self.config.link_key, row)
            .map_err(|unreadable| Failure::Final(unreadable.into()))?;
        let message = build_message(&row, &self.config.from).map_err(Failure::Attempt)?;
        tokio::time::timeout(SEND_TIMEOUT, self.transport.send(message))
            .await
            .unwrap_or_else(|_| Err(anyhow::anyhow!("the mail server did not answer in time")))
            .map_err(Failure::Attempt)
    }

    /// Writes the outcome of one delivery. The error chain names the server's answer, never the
    /// message's content; the addresses the answer may quote are hidden, in the row and the log.
    async fn record(
        &self,
        row: &outbox_email::Model,
        result: &Result<(), Failure>,
    ) -> Result<(), sea_orm::DbErr> {
        let failure = match result {
            Ok(()) => return outcome::mark_sent(&self.db, row, &self.name).await,
            Err(failure) => failure,
        };
        let error = redact::addresses(&failure.to_string(), &row.recipient);
        tracing::warn!(email_id = row.id, kind = %row.kind, attempt = row.attempts, error = %error, "e-mail not delivered");
        match failure {
            Failure::Attempt(_) => {
                outcome::mark_attempt_failed(&self.db, row, &self.name, &error, &self.config).await
            }
            Failure::Final(_) => outcome::give_up(&self.db, row, &self.name, &error).await,
        }
    }

    /// Sends until nothing is due: repeats full batches at once instead of waiting for the next tick.
    pub async fn drain(&self) -> anyhow::Result<PassReport> {
        let mut total = PassReport::default();
        loop {
            let pass = self.run_once().await?;
            total.sent += pass.sent;
            total.failed += pass.failed;
            if (pass.sent + pass.failed) < self.config.batch_size as usize {
                return Ok(total);
            }
        }
    }
}
