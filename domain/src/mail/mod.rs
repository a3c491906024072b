//! E-mail: French templates (subject, text and HTML), a durable outbox written in the same
//! transaction as the change that causes an e-mail, and the worker that delivers it over SMTP or
//! into a folder.
//!
//! Domain code composes an [`Email`] with [`compose`] and hands it to [`outbox::enqueue`] inside its
//! own transaction; nothing is sent unless that transaction commits. The stored copy never holds
//! a working link: the tokens are sealed apart ([`secrets`]) until the e-mail is sent.

pub mod about;
pub mod follow_up;
pub mod outbox;
pub mod outcome;
pub mod redact;
pub mod secrets;
pub mod smtp_pool;
pub mod templates;
pub mod transport;
pub mod worker;

pub use templates::{Email, TestEmail, compose};

/// A rendered e-mail, ready for the outbox.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    /// The template's name.
    pub kind: &'static str,
    /// The recipient's address.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part.
    pub html: String,
    /// Extra headers (for instance List-Unsubscribe).
    pub headers: Vec<(String, String)>,
}

/// Renders `email` for `to` and writes it to the outbox through `db` (the caller's transaction):
/// it is sent after the transaction commits, once per `dedupe_key`.
pub async fn send_later<C, E>(
    db: &C,
    config: &crate::Config,
    to: &str,
    email: &E,
    dedupe_key: &str,
) -> Result<bool, crate::error::DomainError>
where
    C: sea_orm::ConnectionTrait,
    E: Email,
{
    let composed = compose(&config.base_url, to, email)
        .map_err(|e| anyhow::Error::new(e).context("e-mail template"))?;
    Ok(outbox::enqueue(
        db,
        &config.message_domain(),
        &config.mail.link_key,
        &composed,
        dedupe_key,
    )
    .await?)
}
