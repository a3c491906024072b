//! The webhook worker: claims due deliveries, signs and POSTs them (no redirect followed, private
//! and local addresses refused at every attempt, a time limit on each), records the outcome.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use entity::{webhook_delivery, webhook_endpoint};
use futures_util::StreamExt;
use sea_orm::{DatabaseConnection, EntityTrait};

use super::address::{self, GuardedResolver, RefusedAddress};
use super::{endpoints, outbox, signature};
use crate::config::WebhookConfig;
use crate::tokens::SecretKey;

/// How many deliveries one worker sends at the same time.
const CONCURRENCY: usize = 4;

/// One worker process's webhook delivery loop.
pub struct WebhookWorker {
    db: DatabaseConnection,
    client: reqwest::Client,
    config: WebhookConfig,
    key: SecretKey,
    name: String,
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassReport {
    /// Deliveries answered with a 2xx.
    pub delivered: usize,
    /// Deliveries whose attempt failed (retried later, or now failed).
    pub failed: usize,
}

/// Why an attempt did not deliver, in French for the deliveries page.
struct Failure {
    error: String,
    status_code: Option<u16>,
    /// No later attempt can succeed (the endpoint is disabled, its secret unreadable).
    give_up: bool,
}

impl Failure {
    fn retry(error: impl Into<String>) -> Self {
        Self {
            error: error.into(),
            status_code: None,
            give_up: false,
        }
    }

    fn final_(error: impl Into<String>) -> Self {
        Self {
            give_up: true,
            ..Self::retry(error)
        }
    }
}

impl WebhookWorker {
    /// A worker signing with the secrets sealed under `key`.
    pub fn new(
        db: DatabaseConnection,
        config: WebhookConfig,
        key: SecretKey,
    ) -> anyhow::Result<Self> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .dns_resolver(Arc::new(GuardedResolver {
                allow_private: config.allow_private,
            }))
            .user_agent(concat!("Entraide-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        let name = format!(
            "{}-{}",
            std::process::id(),
            &uuid::Uuid::new_v4().simple().to_string()[..8]
        );
        Ok(Self {
            db,
            client,
            config,
            key,
            name,
        })
    }

    /// Claims one batch of deliveries due at `now` and attempts each of them.
    pub async fn run_once(&self, now: DateTime<Utc>) -> anyhow::Result<PassReport> {
        let batch = outbox::claim(
            &self.db,
            &self.name,
            self.config.batch_size,
            self.config.lease(),
            now,
        )
        .await?;
        let outcomes: Vec<bool> = futures_util::stream::iter(batch)
            .map(|row| async move {
                let result = self.deliver(&row, now).await;
                let recorded = match &result {
                    Ok(code) => {
                        outbox::mark_delivered(&self.db, &row, &self.name, *code, now).await
                    }
                    Err(failure) => {
                        tracing::warn!(delivery_id = row.id, event = %row.event_type, attempt = row.attempts, error = %failure.error, "webhook not delivered");
                        outbox::mark_failed(
                            &self.db,
                            &row,
                            &self.name,
                            &failure.error,
                            failure.status_code,
                            failure.give_up,
                            now,
                        )
                        .await
                    }
                };
                if let Err(err) = recorded {
                    tracing::error!(delivery_id = row.id, error = %err, "cannot record the webhook's outcome");
                }
                result.is_ok()
            })
            .buffer_unordered(CONCURRENCY)
            .collect()
            .await;
        let delivered = outcomes.iter().filter(|ok| **ok).count();
        Ok(PassReport {
            delivered,
            failed: outcomes.len() - delivered,
        })
    }

    /// Attempts until nothing is due at `now`.
    pub async fn drain(&self, now: DateTime<Utc>) -> anyhow::Result<PassReport> {
        let mut total = PassReport::default();
        loop {
            let pass = self.run_once(now).await?;
            total.delivered += pass.delivered;
            total.failed += pass.failed;
            if (pass.delivered + pass.failed) < self.config.batch_size as usize {
                return Ok(total);
            }
        }
    }

    /// One attempt: the endpoint still active, its address still allowed, the body signed with
    /// its current secret; a 2xx answer (its code) delivers.
    async fn deliver(
        &self,
        row: &webhook_delivery::Model,
        now: DateTime<Utc>,
    ) -> Result<u16, Failure> {
        let endpoint = webhook_endpoint::Entity::find_by_id(row.endpoint_id)
            .one(&self.db)
            .await
            .map_err(|_| Failure::retry("base de données indisponible"))?
            .ok_or_else(|| Failure::final_("adresse supprimée"))?;
        if endpoint.disabled_at.is_some() {
            return Err(Failure::final_("adresse désactivée : envoi abandonné"));
        }
        let secret = endpoints::secret_of(&self.key, &endpoint).ok_or_else(|| {
            Failure::final_("secret illisible (SECRET_KEY a changé) : renouvelez le secret")
        })?;
        let allow_private = self.config.allow_private;
        // An address written as an IP is never resolved: it is checked here, before its scheme.
        if let Ok(url) = url::Url::parse(&endpoint.url)
            && let Some(ip) = address::literal_ip(&url)
            && !allow_private
            && address::is_forbidden(ip)
        {
            return Err(Failure::retry(address::PRIVATE_REFUSED));
        }
        let url = address::parse_url(&endpoint.url, allow_private).map_err(Failure::retry)?;
        let timestamp = now.timestamp();
        let sent = self
            .client
            .post(url)
            .header("Content-Type", "application/json")
            .header("Entraide-Webhook-Id", &row.event_id)
            .header(
                "Entraide-Signature",
                signature::header(&secret, timestamp, &row.body),
            )
            .body(row.body.clone())
            .send()
            .await;
        let response = sent.map_err(|err| Failure::retry(describe(&err, &self.config)))?;
        let status = response.status();
        if status.is_success() {
            return Ok(status.as_u16());
        }
        let mut error = format!("le serveur a répondu {}", status.as_u16());
        if status.is_redirection() {
            error.push_str(" (les redirections ne sont pas suivies : indiquez l'adresse finale)");
        }
        Err(Failure {
            error,
            status_code: Some(status.as_u16()),
            give_up: false,
        })
    }
}

/// A transport error in French, without the body or the secret.
fn describe(err: &reqwest::Error, config: &WebhookConfig) -> String {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(cause) = source {
        if cause.downcast_ref::<RefusedAddress>().is_some()
            || cause.to_string() == RefusedAddress.to_string()
        {
            return address::PRIVATE_REFUSED.to_owned();
        }
        source = cause.source();
    }
    if err.is_timeout() {
        format!("pas de réponse en {} secondes", config.timeout.as_secs())
    } else if err.is_connect() {
        "connexion impossible au serveur".to_owned()
    } else {
        "la connexion a été coupée avant la réponse".to_owned()
    }
}
