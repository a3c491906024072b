//! Where e-mails go: an SMTP server (pooled connections; plain, STARTTLS or implicit TLS, with or
//! without credentials, all from SMTP_URL), or, by default, .eml files in MAIL_DIR. Plain and
//! STARTTLS connections are opened by [`super::smtp_pool`] (with Nagle's algorithm off).

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use entity::outbox_email;
use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::PoolConfig;
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::smtp_pool::SmtpPool;
use crate::config::MailConfig;

/// The configured way out for e-mails.
#[derive(Clone)]
pub enum Transport {
    /// An SMTP server reached by `smtp://` (plain or STARTTLS), with our pool of connections.
    Smtp(SmtpPool),
    /// An SMTP server reached by `smtps://` (implicit TLS), with lettre's pool of connections.
    Smtps(AsyncSmtpTransport<Tokio1Executor>),
    /// A folder receiving one .eml file per e-mail.
    Folder(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

impl Transport {
    /// Builds the transport SMTP_URL asks for, or the folder transport; the folder is created.
    pub fn from_config(config: &MailConfig) -> anyhow::Result<Self> {
        match &config.smtp_url {
            Some(url) => {
                if let Some(pool) = SmtpPool::for_url(url, config.concurrency)? {
                    return Ok(Self::Smtp(pool));
                }
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url.as_str())
                    .context("invalid SMTP_URL")?
                    .timeout(Some(Duration::from_secs(30)))
                    .pool_config(PoolConfig::new().max_size(config.concurrency.max(1) as u32))
                    .build();
                Ok(Self::Smtps(transport))
            }
            None => {
                std::fs::create_dir_all(&config.dir)
                    .with_context(|| format!("cannot create MAIL_DIR {}", config.dir.display()))?;
                Ok(Self::Folder(
                    AsyncFileTransport::new(&config.dir),
                    config.dir.clone(),
                ))
            }
        }
    }

    /// Says, for the start-up log, where e-mails go (never the credentials).
    pub fn describe(&self, config: &MailConfig) -> String {
        match (self, &config.smtp_url) {
            (Self::Smtp(_) | Self::Smtps(_), Some(url)) => format!(
                "sent through SMTP server {}:{}",
                url.host_str().unwrap_or("?"),
                url.port()
                    .map_or_else(|| "default port".to_owned(), |p| p.to_string())
            ),
            (Self::Folder(_, dir), _) => format!(
                "written as .eml files into {} (SMTP_URL is not set)",
                dir.display()
            ),
            (Self::Smtp(_) | Self::Smtps(_), None) => "sent through SMTP".to_owned(),
        }
    }

    /// Hands one e-mail to the server or the folder.
    pub async fn send(&self, message: Message) -> anyhow::Result<()> {
        match self {
            Self::Smtp(pool) => pool.send(&message).await?,
            Self::Smtps(smtp) => {
                smtp.send(message).await.context("SMTP delivery failed")?;
            }
            Self::Folder(folder, _) => {
                folder
                    .send(message)
                    .await
                    .context("cannot write the e-mail file")?;
            }
        }
        Ok(())
    }
}

/// Builds the MIME message of an outbox row: both parts, the stable Message-ID, extra headers.
pub fn build_message(row: &outbox_email::Model, from: &Mailbox) -> anyhow::Result<Message> {
    let to: Mailbox = row.recipient.parse().context("invalid recipient address")?;
    let mut message = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .message_id(Some(row.message_id.clone()))
        .multipart(MultiPart::alternative_plain_html(
            row.body_text.clone(),
            row.body_html.clone(),
        ))
        .context("cannot build the e-mail")?;
    let headers: Vec<(String, String)> =
        serde_json::from_str(&row.headers).context("invalid stored headers")?;
    for (name, value) in headers {
        let name =
            HeaderName::new_from_ascii(name).map_err(|_| anyhow::anyhow!("invalid header name"))?;
        message
            .headers_mut()
            .insert_raw(HeaderValue::new(name, value));
    }
    Ok(message)
}
