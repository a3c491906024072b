//! Secrets at rest in the outbox: the tokens of an e-mail's links never stay in its stored copy.
//!
//! When an e-mail is queued, every run of [`MIN_SECRET_LEN`] or more hexadecimal characters in its
//! subject, bodies and headers (the 64-character link tokens, and any other key-like string) is
//! replaced by a placeholder, and the originals are kept in `outbox_email.link_secrets`, encrypted
//! with XChaCha20-Poly1305 under a key derived from SECRET_KEY — a key that is in neither the
//! database nor its backups. The worker decrypts them just before sending; once the e-mail is
//! sent, the column is emptied and the stored copy holds only placeholders.
//!
//! Every hexadecimal run is sealed, not only those inside links to BASE_URL: the substitution is
//! exact, so sealing more costs nothing, and a token cannot slip through because a link was
//! written differently (escaped in HTML, another host, shown as a code).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use entity::outbox_email;
use serde::{Deserialize, Serialize};

pub use crate::tokens::LinkKey;

/// The shortest run of hexadecimal characters taken for a secret (a 128-bit value).
pub const MIN_SECRET_LEN: usize = 32;

/// What a secret becomes in e-mails queued before secrets were sealed, once they are sent.
pub const REMOVED: &str = "[lien retiré]";

/// The format of `link_secrets`, so that a later one can be told apart.
const VERSION: &str = "v1.";

/// Why an e-mail's secrets cannot be restored; the message is stored and shown to admins.
#[derive(Debug, thiserror::Error)]
#[error(
    "liens illisibles : ils ont été chiffrés avec une autre SECRET_KEY (absente ou changée depuis \
     la mise en file) ; donnez la même SECRET_KEY à chaque instance et commande, puis relancez l'envoi"
)]
pub struct Unreadable;

/// The sealed content: the placeholders' marker and the secrets, in the placeholders' order.
#[derive(Serialize, Deserialize)]
struct Sealed {
    marker: String,
    secrets: Vec<String>,
}

/// The text standing for secret number `index` of an e-mail; `marker` is drawn for each e-mail,
/// so that no text written by a user can pass for a placeholder.
fn placeholder(marker: &str, index: usize) -> String {
    format!("[lien retiré {marker}-{index}]")
}

/// What ties sealed secrets to their e-mail: moved to another row or recipient, they do not open.
fn binding(message_id: &str, recipient: &str) -> Vec<u8> {
    format!("{message_id}\0{recipient}").into_bytes()
}

/// The byte ranges of the secrets in `text`.
fn secret_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let bytes = text.as_bytes();
    let mut ranges = Vec::new();
    let mut start = None;
    for (i, b) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
        match (b.is_ascii_hexdigit(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s >= MIN_SECRET_LEN {
                    ranges.push(s..i);
                }
                start = None;
            }
            _ => {}
        }
    }
    ranges
}

/// `text` with each secret replaced by `replace(secret)`.
fn replace_secrets(text: &str, mut replace: impl FnMut(&str) -> String) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for range in secret_ranges(text) {
        out.push_str(&text[last..range.start]);
        out.push_str(&replace(&text[range.clone()]));
        last = range.end;
    }
    out.push_str(&text[last..]);
    out
}

/// Replaces the secrets of `parts` (subject, bodies, headers) by placeholders and returns them
/// sealed for the e-mail `message_id` to `recipient`, or `None` when there were none.
pub fn seal(
    key: &LinkKey,
    message_id: &str,
    recipient: &str,
    parts: [&mut String; 4],
) -> Result<Option<String>, chacha20poly1305::Error> {
    if parts.iter().all(|part| secret_ranges(part).is_empty()) {
        return Ok(None);
    }
    let marker = crate::tokens::new_token().secret[..8].to_owned();
    let mut secrets: Vec<String> = Vec::new();
    for part in parts {
        *part = replace_secrets(part, |secret| {
            let index = match secrets.iter().position(|s| s == secret) {
                Some(index) => index,
                None => {
                    secrets.push(secret.to_owned());
                    secrets.len() - 1
                }
            };
            placeholder(&marker, index)
        });
    }
    let plaintext =
        serde_json::to_vec(&Sealed { marker, secrets }).map_err(|_| chacha20poly1305::Error)?;
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let aad = binding(message_id, recipient);
    let ciphertext = key.cipher().encrypt(
        &nonce,
        Payload {
            msg: &plaintext,
            aad: &aad,
        },
    )?;
    let mut sealed = nonce.to_vec();
    sealed.extend_from_slice(&ciphertext);
    Ok(Some(format!("{VERSION}{}", BASE64.encode(sealed))))
}

/// The e-mail as it must be sent: `row` with its secrets back in place of the placeholders.
pub fn unseal(key: &LinkKey, row: &outbox_email::Model) -> Result<outbox_email::Model, Unreadable> {
    let mut open = row.clone();
    let Some(stored) = &row.link_secrets else {
        return Ok(open);
    };
    let bytes = stored
        .strip_prefix(VERSION)
        .and_then(|b64| BASE64.decode(b64).ok())
        .filter(|bytes| bytes.len() > 24)
        .ok_or(Unreadable)?;
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce = XNonce::from(<[u8; 24]>::try_from(nonce).map_err(|_| Unreadable)?);
    let aad = binding(&row.message_id, &row.recipient);
    let plaintext = key
        .cipher()
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .map_err(|_| Unreadable)?;
    let sealed: Sealed = serde_json::from_slice(&plaintext).map_err(|_| Unreadable)?;
    for part in [
        &mut open.subject,
        &mut open.body_text,
        &mut open.body_html,
        &mut open.headers,
    ] {
        for (index, secret) in sealed.secrets.iter().enumerate() {
            *part = part.replace(&placeholder(&sealed.marker, index), secret);
        }
        if part.contains(&format!("[lien retiré {}-", sealed.marker)) {
            return Err(Unreadable);
        }
    }
    open.link_secrets = None;
    Ok(open)
}

/// `text` with every secret removed, for e-mails queued before secrets were sealed (their stored
/// copy holds live links); `None` when there is none.
pub fn scrub(text: &str) -> Option<String> {
    (!secret_ranges(text).is_empty()).then(|| replace_secrets(text, |_| REMOVED.to_owned()))
}

#[cfg(test)]
mod tests;
