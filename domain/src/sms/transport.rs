//! How texts leave: into a folder (`SMS_DIR`, one `.txt` file per text) when no provider is set,
//! or through Brevo's transactional SMS API (`SMS_URL`, `SMS_API_KEY`, `SMS_SENDER`):
//! `POST {SMS_URL}/v3/transactionalSMS/sms` with the `api-key` header and a JSON body; 201 is
//! sent, a 4xx is final (the same text would be refused again: bad number, key, credit), a 5xx, a
//! connection error or a timeout is retried.

use std::path::PathBuf;

use entity::outbox_sms;
use serde::{Deserialize, Serialize};

use super::numbers::international_digits;
use super::segments::{Encoding, segments};
use crate::config::SmsConfig;
use crate::tokens::SecretKey;

/// Why a text was not delivered.
#[derive(Debug)]
pub enum Failure {
    /// This attempt failed; another may succeed.
    Attempt(String),
    /// No attempt can succeed until an operator acts.
    Final(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Attempt(why) | Self::Final(why) => f.write_str(why),
        }
    }
}

/// Where texts go.
#[derive(Clone, Debug)]
pub enum Transport {
    /// One `.txt` file per text in this folder.
    Folder(PathBuf),
    /// Brevo's API.
    Brevo(Brevo),
}

/// A client of Brevo's transactional SMS API.
#[derive(Clone, Debug)]
pub struct Brevo {
    client: reqwest::Client,
    endpoint: String,
    api_key: SecretKey,
    sender: String,
}

/// The body Brevo expects.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct BrevoSms<'a> {
    sender: &'a str,
    recipient: String,
    content: &'a str,
    r#type: &'static str,
    tag: &'a str,
    unicode_enabled: bool,
}

/// Brevo's answer to a sent text.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct BrevoSent {
    message_id: Option<serde_json::Value>,
    reference: Option<String>,
}

/// Brevo's answer to a refused one.
#[derive(Deserialize)]
struct BrevoError {
    code: Option<String>,
    message: Option<String>,
}

impl Transport {
    /// The transport the settings ask for.
    pub fn from_config(config: &SmsConfig) -> anyhow::Result<Self> {
        let Some(url) = &config.url else {
            return Ok(Self::Folder(config.dir.clone()));
        };
        let api_key = config
            .api_key
            .clone()
            .ok_or_else(|| anyhow::anyhow!("SMS_API_KEY is required with SMS_URL"))?;
        let client = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            .build()?;
        Ok(Self::Brevo(Brevo {
            client,
            endpoint: format!(
                "{}/v3/transactionalSMS/sms",
                url.as_str().trim_end_matches('/')
            ),
            api_key,
            sender: config.sender.clone(),
        }))
    }

    /// Hands `row` over; returns the provider's id for it, if any.
    pub async fn send(&self, row: &outbox_sms::Model) -> Result<Option<String>, Failure> {
        match self {
            Self::Folder(dir) => write_file(dir, row).await.map(|()| None),
            Self::Brevo(brevo) => brevo.send(row).await,
        }
    }
}

async fn write_file(dir: &std::path::Path, row: &outbox_sms::Model) -> Result<(), Failure> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(|e| Failure::Attempt(format!("cannot create the SMS folder: {e}")))?;
    let (encoding, parts) = segments(&row.body);
    let name = format!(
        "{}-{}-{}.txt",
        row.created_at.format("%Y%m%dT%H%M%S"),
        row.id,
        row.kind
    );
    let text = format!(
        "To: {}\nKind: {}\nSegments: {parts} ({encoding:?})\n\n{}\n",
        row.recipient, row.kind, row.body
    );
    tokio::fs::write(dir.join(name), text)
        .await
        .map_err(|e| Failure::Attempt(format!("cannot write the SMS file: {e}")))
}

impl Brevo {
    async fn send(&self, row: &outbox_sms::Model) -> Result<Option<String>, Failure> {
        let recipient = international_digits(&row.recipient)
            .ok_or_else(|| Failure::Final("not a French mobile number".into()))?;
        let body = BrevoSms {
            sender: &self.sender,
            recipient,
            content: &row.body,
            r#type: "transactional",
            tag: &row.kind,
            unicode_enabled: segments(&row.body).0 == Encoding::Ucs2,
        };
        let api_key = String::from_utf8_lossy(self.api_key.bytes()).into_owned();
        let answer = self
            .client
            .post(&self.endpoint)
            .header("api-key", api_key)
            .header("accept", "application/json")
            .json(&body)
            .send()
            .await
            .map_err(|e| {
                Failure::Attempt(if e.is_timeout() {
                    "the SMS provider did not answer in time".to_owned()
                } else {
                    format!("cannot reach the SMS provider: {}", without_url(&e))
                })
            })?;
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        if status.is_success() {
            let sent: Option<BrevoSent> = serde_json::from_str(&text).ok();
            return Ok(sent.and_then(|s| {
                s.message_id
                    .map(|id| id.to_string().trim_matches('"').to_owned())
                    .or(s.reference)
            }));
        }
        let said = serde_json::from_str::<BrevoError>(&text)
            .ok()
            .map(|e| {
                format!(
                    "{}: {}",
                    e.code.unwrap_or_default(),
                    e.message.unwrap_or_default()
                )
            })
            .unwrap_or_default();
        let why = hide_numbers(&format!("SMS provider answered {status} {said}"));
        if status.is_client_error() {
            Err(Failure::Final(why))
        } else {
            Err(Failure::Attempt(why))
        }
    }
}

/// A client error without the URL it was about (it holds nothing secret, but stays short).
fn without_url(error: &reqwest::Error) -> String {
    let mut shown = error.to_string();
    if let Some(url) = error.url() {
        shown = shown.replace(url.as_str(), "the provider");
    }
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    shown
}

/// `text` with every run of 6 digits or more hidden: an error message must not keep a telephone
/// number.
pub fn hide_numbers(text: &str) -> String {
    let mut hidden = String::with_capacity(text.len());
    let mut digits = String::new();
    let flush = |digits: &mut String, hidden: &mut String| {
        if digits.len() >= 6 {
            hidden.push_str("[numéro]");
        } else {
            hidden.push_str(digits);
        }
        digits.clear();
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
        } else {
            flush(&mut digits, &mut hidden);
            hidden.push(c);
        }
    }
    flush(&mut digits, &mut hidden);
    hidden
}

#[cfg(test)]
mod tests {
    use super::hide_numbers;

    #[test]
    fn error_messages_lose_telephone_numbers() {
        assert_eq!(
            hide_numbers("Invalid recipient 33612345678 (code 400)"),
            "Invalid recipient [numéro] (code 400)"
        );
    }
}
