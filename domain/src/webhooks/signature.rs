//! The signature of a webhook: `Entraide-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret,
//! "<t>.<body>")>`, the scheme partners already verify for other services. The key is the whole
//! secret as shown (`whsec_…`), as bytes.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The prefix of every signing secret, so that one found in a leak is recognised.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new signing secret: the prefix and 256 random bits in hexadecimal.
pub fn new_secret() -> String {
    format!("{SECRET_PREFIX}{}", crate::tokens::new_token().secret)
}

/// The value of the `Entraide-Signature` header for `body` sent at `timestamp` (unix seconds).
pub fn header(secret: &str, timestamp: i64, body: &str) -> String {
    format!("t={timestamp},v1={}", sign(secret, timestamp, body))
}

/// The hexadecimal HMAC-SHA256 of `"<timestamp>.<body>"` under `secret`.
pub fn sign(secret: &str, timestamp: i64, body: &str) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes keys of any size");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    crate::tokens::hex(&mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_covers_the_timestamp_and_the_body() {
        let secret = new_secret();
        assert!(secret.starts_with("whsec_") && secret.len() == 6 + 64);
        let signed = header(&secret, 1_700_000_000, "{\"a\":1}");
        assert!(signed.starts_with("t=1700000000,v1="));
        assert_eq!(signed.len(), "t=1700000000,v1=".len() + 64);
        assert_ne!(
            sign(&secret, 1_700_000_001, "{\"a\":1}"),
            sign(&secret, 1_700_000_000, "{\"a\":1}")
        );
        assert_ne!(
            sign(&secret, 1_700_000_000, "{\"a\":2}"),
            sign(&secret, 1_700_000_000, "{\"a\":1}")
        );
    }
}
