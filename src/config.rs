//! Settings, read from environment variables (and an optional `.env` file), each with a default
//! that lets `cargo run` work on a fresh machine.

use std::net::SocketAddr;
use std::time::Duration;

use url::Url;

/// Everything the service can be told from outside.
#[derive(Clone, Debug)]
pub struct Config {
    /// Where the database lives: `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// The size of the database connection pool (default 1 for SQLite, whose writes are serial anyway, 10 for PostgreSQL).
    pub db_max_connections: u32,
    /// The address and port the web server listens on.
    pub bind_addr: SocketAddr,
    /// The public address of the service, used for links in e-mails and to decide on Secure cookies.
    pub base_url: Url,
    /// A session ends after this much inactivity.
    pub session_idle_timeout: Duration,
    /// How often expired sessions are deleted.
    pub session_cleanup_interval: Duration,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// A request taking longer than this is answered with an error.
    pub request_timeout: Duration,
}

/// A setting that could not be understood, naming the variable.
#[derive(Debug, thiserror::Error)]
#[error("invalid value for {name}: {reason}")]
pub struct ConfigError {
    /// The environment variable at fault.
    pub name: &'static str,
    /// Why its value was refused.
    pub reason: String,
}

impl Config {
    /// Reads the settings from the process environment, after loading `.env` if there is one.
    pub fn from_env() -> Result<Self, ConfigError> {
        // A missing .env file is normal; a malformed one is reported by the values it leaves out.
        let _ = dotenvy::dotenv();
        Self::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup`, so tests can give their own values.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let get = |name: &str| lookup(name).filter(|value| !value.trim().is_empty());

        let database_url =
            get("DATABASE_URL").unwrap_or_else(|| "sqlite://entraide.db?mode=rwc".into());
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://"))
        {
            return Err(ConfigError {
                name: "DATABASE_URL",
                reason: "expected a sqlite:// or postgres:// URL".into(),
            });
        }

        let default_pool = if database_url.starts_with("sqlite:") {
            "1"
        } else {
            "10"
        };
        let db_max_connections = parse(&get, "DB_MAX_CONNECTIONS", default_pool, positive)? as u32;

        let bind_addr = parse(&get, "BIND_ADDR", "127.0.0.1:3000", |v| {
            v.parse::<SocketAddr>().map_err(|e| e.to_string())
        })?;
        let base_url = parse(&get, "BASE_URL", "http://localhost:3000", |v| {
            let url = Url::parse(v).map_err(|e| e.to_string())?;
            match url.scheme() {
                "http" | "https" if url.host().is_some() => Ok(url),
                _ => Err("expected an http:// or https:// URL with a host".into()),
            }
        })?;
        let session_idle_timeout =
            Duration::from_secs(60 * parse(&get, "SESSION_IDLE_MINUTES", "120", positive)?);
        let session_cleanup_interval =
            Duration::from_secs(parse(&get, "SESSION_CLEANUP_SECONDS", "3600", positive)?);
        let max_body_bytes = 1024 * parse(&get, "MAX_BODY_KB", "256", positive)? as usize;
        let request_timeout =
            Duration::from_secs(parse(&get, "REQUEST_TIMEOUT_SECONDS", "30", positive)?);

        Ok(Self {
            database_url,
            db_max_connections,
            bind_addr,
            base_url,
            session_idle_timeout,
            session_cleanup_interval,
            max_body_bytes,
            request_timeout,
        })
    }

    /// Whether cookies must carry the Secure flag: the service is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// The public origin (scheme, host, port) of the service, as browsers send it in `Origin`.
    pub fn public_origin(&self) -> String {
        self.base_url.origin().ascii_serialization()
    }
}

fn parse<T>(
    get: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    default: &str,
    convert: impl Fn(&str) -> Result<T, String>,
) -> Result<T, ConfigError> {
    let value = get(name).unwrap_or_else(|| default.to_owned());
    convert(value.trim()).map_err(|reason| ConfigError { name, reason })
}

fn positive(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("expected a whole number above zero, got {value:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config_with(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn defaults_need_no_setup() {
        let config = config_with(&[]).unwrap();
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:3000");
        assert_eq!(config.public_origin(), "http://localhost:3000");
        assert!(config.database_url.starts_with("sqlite://entraide.db"));
        assert!(!config.secure_cookies());
    }

    #[test]
    fn invalid_values_name_their_variable() {
        assert_eq!(
            config_with(&[("BIND_ADDR", "nowhere")]).unwrap_err().name,
            "BIND_ADDR"
        );
        assert_eq!(
            config_with(&[("BASE_URL", "ftp://x")]).unwrap_err().name,
            "BASE_URL"
        );
        assert_eq!(
            config_with(&[("DATABASE_URL", "mysql://x")])
                .unwrap_err()
                .name,
            "DATABASE_URL"
        );
        assert_eq!(
            config_with(&[("SESSION_IDLE_MINUTES", "0")])
                .unwrap_err()
                .name,
            "SESSION_IDLE_MINUTES"
        );
    }

    #[test]
    fn https_base_url_means_secure_cookies() {
        assert!(
            config_with(&[("BASE_URL", "https://entraide.example")])
                .unwrap()
                .secure_cookies()
        );
    }
}
