//! Secret tokens for links (e-mail verification, password reset, follow-up pages, proposals):
//! 256 random bits given to the person, only their SHA-256 kept in the database; and the keys
//! derived from the service's secret key.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};

use chacha20poly1305::XChaCha20Poly1305;

/// A new token: what goes in the link, and what the database keeps.
#[derive(Clone, Debug)]
pub struct NewToken {
    /// The secret, 64 hexadecimal characters: shown once, never stored.
    pub secret: String,
    /// Its SHA-256, 64 hexadecimal characters: stored, looked up.
    pub hash: String,
}

/// Draws a fresh token from the operating system's generator.
pub fn new_token() -> NewToken {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let secret = hex(&bytes);
    let hash = hash_token(&secret);
    NewToken { secret, hash }
}

/// The stored form of a secret received in a link.
pub fn hash_token(secret: &str) -> String {
    hex(&Sha256::digest(secret.trim().as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A keyed hash (HMAC-SHA-256 under the service's secret key) standing for a personal value in
/// the database (an IP address, an e-mail address in login counters): without the key, it cannot be
/// reversed by trying every address. `purpose` separates the uses.
pub fn keyed_hash(key: &SecretKey, purpose: &str, message: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.bytes()).expect("HMAC takes keys of any size");
    mac.update(purpose.as_bytes());
    mac.update(b"\0");
    mac.update(message.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// A 256-bit key for `purpose` (HKDF-SHA-256 from the service's secret key): each use of the
/// secret key gets its own key, and none of them reveals it.
pub fn derive_key(key: &SecretKey, purpose: &str) -> [u8; 32] {
    let mut okm = [0u8; 32];
    hkdf::Hkdf::<Sha256>::new(None, key.bytes())
        .expand(purpose.as_bytes(), &mut okm)
        .expect("32 bytes is a valid HKDF-SHA-256 output length");
    okm
}

/// A secret that never shows in logs or debug output.
#[derive(Clone)]
pub struct SecretKey(Vec<u8>);

impl SecretKey {
    /// A key made of these bytes (tests, tools).
    pub fn from_bytes(bytes: Vec<u8>) -> Self {
        Self(bytes)
    }

    /// The key's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey([redacted])")
    }
}

/// The key sealing link secrets in the outbox, derived from SECRET_KEY for this use only.
#[derive(Clone)]
pub struct LinkKey(chacha20poly1305::Key);

impl LinkKey {
    /// The key for `secret`: the same on every instance sharing SECRET_KEY.
    pub fn derive(secret: &SecretKey) -> Self {
        let bytes = derive_key(secret, "entraide/outbox/link-secrets/v1");
        Self(bytes.into())
    }

    /// The cipher sealing and opening link secrets.
    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        <XChaCha20Poly1305 as chacha20poly1305::KeyInit>::new(&self.0)
    }
}

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey([redacted])")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bits_and_only_their_hash_is_kept() {
        let a = new_token();
        let b = new_token();
        assert_eq!(a.secret.len(), 64);
        assert_ne!(a.secret, b.secret);
        assert_eq!(hash_token(&a.secret), a.hash);
        assert_ne!(a.hash, a.secret);
    }
}
