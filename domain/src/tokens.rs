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

/// Lower-case hexadecimal (tokens, signatures).
pub fn hex(bytes: &[u8]) -> String {
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

/// The cipher for `purpose`, under a key derived from SECRET_KEY for that use only.
fn sealing_cipher(secret: &SecretKey, purpose: &str) -> XChaCha20Poly1305 {
    let key = derive_key(secret, purpose);
    <XChaCha20Poly1305 as chacha20poly1305::KeyInit>::new(&key.into())
}

/// `value` sealed for `purpose` and bound to `owner` (the row it belongs to): without SECRET_KEY
/// it cannot be opened, and it opens for that owner only ([`open_sealed`]).
pub fn seal(key: &SecretKey, purpose: &str, owner: &str, value: &str) -> String {
    use chacha20poly1305::aead::{Aead, AeadCore, OsRng, Payload};
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    let sealed = sealing_cipher(key, purpose)
        .encrypt(
            &nonce,
            Payload {
                msg: value.as_bytes(),
                aad: owner.as_bytes(),
            },
        )
        .expect("XChaCha20-Poly1305 seals any short message");
    let mut bytes = nonce.to_vec();
    bytes.extend_from_slice(&sealed);
    format!("v1.{}", hex(&bytes))
}

/// The value sealed by [`seal`] for `purpose` and `owner`; `None` when it was sealed under another
/// SECRET_KEY, for another owner or purpose, or is not a sealed value.
pub fn open_sealed(key: &SecretKey, purpose: &str, owner: &str, sealed: &str) -> Option<String> {
    use chacha20poly1305::aead::{Aead, Payload};
    let text = sealed.strip_prefix("v1.")?;
    if text.len() % 2 != 0 || text.len() < 48 {
        return None;
    }
    let bytes: Vec<u8> = (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect::<Option<_>>()?;
    let (nonce, ciphertext) = bytes.split_at(24);
    let nonce = chacha20poly1305::XNonce::from(<[u8; 24]>::try_from(nonce).ok()?);
    let open = sealing_cipher(key, purpose)
        .decrypt(
            &nonce,
            Payload {
                msg: ciphertext,
                aad: owner.as_bytes(),
            },
        )
        .ok()?;
    String::from_utf8(open).ok()
}

/// What the follow-up links' secrets in `help_request.follow_token_sealed` are sealed for.
const FOLLOW_LINK: &str = "entraide/requests/follow-link/v1";

/// `follow_secret` sealed for the request `reference` (what `help_request.follow_token_sealed`
/// keeps): without SECRET_KEY it cannot be opened, and it opens for that request only.
pub fn seal_follow_secret(key: &SecretKey, reference: &str, follow_secret: &str) -> String {
    seal(key, FOLLOW_LINK, reference, follow_secret)
}

/// The follow-up secret sealed by [`seal_follow_secret`] for `reference`; `None` when it was
/// sealed under another SECRET_KEY, for another request, or is not a sealed secret.
pub fn open_follow_secret(key: &SecretKey, reference: &str, sealed: &str) -> Option<String> {
    open_sealed(key, FOLLOW_LINK, reference, sealed)
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

    #[test]
    fn a_sealed_follow_secret_opens_with_its_key_and_for_its_request_only() {
        let key = SecretKey::from_bytes(vec![7; 32]);
        let token = new_token();
        let sealed = seal_follow_secret(&key, "ENT-ABCDEF", &token.secret);
        assert!(!sealed.contains(&token.secret));
        assert_eq!(
            open_follow_secret(&key, "ENT-ABCDEF", &sealed).as_deref(),
            Some(token.secret.as_str())
        );
        assert_eq!(open_follow_secret(&key, "ENT-GHJKLM", &sealed), None);
        let other = SecretKey::from_bytes(vec![8; 32]);
        assert_eq!(open_follow_secret(&other, "ENT-ABCDEF", &sealed), None);
        assert_eq!(open_follow_secret(&key, "ENT-ABCDEF", "efface"), None);
    }
}
