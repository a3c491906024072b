//! Passwords: the rules a new one must follow, and argon2id hashing (OWASP parameters: 19 MiB,
//! 2 iterations, 1 lane) on the blocking pool, with a bound on how many run at once.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, LazyLock};

use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::DomainError;

/// The shortest password accepted, in characters.
pub const MIN_LENGTH: usize = 10;
/// The longest password accepted, in characters.
pub const MAX_LENGTH: usize = 128;

/// Checks a new password against the rules; `Err` is the French message to show.
pub fn check_new_password(password: &str, email: &str) -> Result<(), &'static str> {
    let length = password.chars().count();
    if length == 0 {
        return Err("Choisissez un mot de passe.");
    }
    if length < MIN_LENGTH {
        return Err("Le mot de passe est trop court : il faut au moins 10 caractères.");
    }
    if length > MAX_LENGTH {
        return Err("Le mot de passe est trop long : 128 caractères au plus.");
    }
    if password.trim().eq_ignore_ascii_case(email.trim()) {
        return Err("Le mot de passe ne doit pas être votre adresse e-mail.");
    }
    Ok(())
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("the OWASP parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash of nothing anyone types, verified when an address is unknown so that the answer takes
/// as long as for a known one.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    argon2()
        .hash_password(b"entraide: no account has this password")
        .expect("hashing works")
        .to_string()
});

/// Hashes and verifies passwords, at most N at a time (setting `PASSWORD_HASH_CONCURRENCY`).
#[derive(Clone, Debug)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    capacity: usize,
    waiting: Arc<AtomicUsize>,
}

/// How busy password hashing is at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HashQueue {
    /// Hashes being computed.
    pub running: usize,
    /// Hashes waiting for a free slot.
    pub waiting: usize,
    /// How many may run at once (`PASSWORD_HASH_CONCURRENCY`).
    pub capacity: usize,
}

impl Passwords {
    /// Allows `concurrency` hashes at the same time.
    pub fn new(concurrency: usize) -> Self {
        let capacity = concurrency.max(1);
        Self {
            permits: Arc::new(Semaphore::new(capacity)),
            capacity,
            waiting: Arc::new(AtomicUsize::new(0)),
        }
    }

    /// How many hashes run and wait right now.
    pub fn queue(&self) -> HashQueue {
        HashQueue {
            running: self
                .capacity
                .saturating_sub(self.permits.available_permits()),
            waiting: self.waiting.load(Ordering::Relaxed),
            capacity: self.capacity,
        }
    }

    /// The argon2id PHC string of `password`, with a fresh random salt.
    pub async fn hash(&self, password: &str) -> Result<String, DomainError> {
        let password = password.to_owned();
        self.run(move || {
            argon2()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
                .map_err(|e| anyhow::anyhow!("password hashing failed: {e}"))
        })
        .await?
        .map_err(DomainError::from)
    }

    /// Whether `password` matches `stored`. Without a stored hash (unknown address, deleted
    /// account), a dummy hash is verified all the same and the answer is `false`.
    pub async fn verify(&self, password: &str, stored: Option<&str>) -> Result<bool, DomainError> {
        let password = password.to_owned();
        let stored = stored.filter(|s| !s.is_empty()).map(str::to_owned);
        self.run(move || {
            let known = stored.is_some();
            let phc = stored.unwrap_or_else(|| DUMMY_HASH.clone());
            let matches = PasswordHash::new(&phc)
                .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok());
            known && matches
        })
        .await
    }

    /// Computes a hash only to spend the time a real one takes (sign-up with a known address).
    pub async fn waste_time(&self, password: &str) -> Result<(), DomainError> {
        self.verify(password, None).await.map(|_| ())
    }

    async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, DomainError> {
        let permit = {
            let _waiting = Waiting::enter(&self.waiting);
            self.permits.acquire().await
        };
        let _permit = permit.map_err(|e| anyhow::Error::new(e).context("password semaphore"))?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|e| DomainError::Internal(anyhow::Error::new(e).context("password task")))
    }
}

/// Counts a caller waiting for a hashing slot, until it gets one or gives up (dropped future).
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(counter: &'a AtomicUsize) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        Self(counter)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_follow_the_rules() {
        assert!(check_new_password("court", "a@b.fr").is_err());
        assert!(check_new_password(&"x".repeat(129), "a@b.fr").is_err());
        assert!(check_new_password("marie@exemple.fr", "Marie@exemple.fr").is_err());
        assert!(check_new_password("dix-caract", "a@b.fr").is_ok());
        assert!(check_new_password(&"é".repeat(128), "a@b.fr").is_ok());
    }

    #[tokio::test]
    async fn hashes_are_argon2id_with_owasp_parameters_and_verify() {
        let passwords = Passwords::new(2);
        let hash = passwords.hash("un mot de passe solide").await.unwrap();
        assert!(
            hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{hash}"
        );
        assert!(
            passwords
                .verify("un mot de passe solide", Some(&hash))
                .await
                .unwrap()
        );
        assert!(!passwords.verify("un autre", Some(&hash)).await.unwrap());
        assert!(
            !passwords
                .verify("entraide: no account has this password", None)
                .await
                .unwrap(),
            "the dummy hash never lets anyone in"
        );
    }

    #[tokio::test]
    async fn the_queue_counts_hashes_running_and_waiting() {
        let passwords = Passwords::new(1);
        assert_eq!(
            passwords.queue(),
            HashQueue {
                running: 0,
                waiting: 0,
                capacity: 1
            }
        );
        let held = passwords.permits.clone().acquire_owned().await.unwrap();
        let queued = tokio::spawn({
            let passwords = passwords.clone();
            async move { passwords.hash("un mot de passe solide").await }
        });
        while passwords.queue().waiting == 0 {
            tokio::task::yield_now().await;
        }
        assert_eq!(passwords.queue().running, 1);
        assert_eq!(passwords.queue().waiting, 1);
        drop(held);
        queued.await.unwrap().unwrap();
        assert_eq!(passwords.queue().waiting, 0);
        assert_eq!(passwords.queue().running, 0);
    }
}
