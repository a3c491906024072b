//! Settings, each with a default that lets `cargo run` work on a fresh machine. The binary reads
//! them from environment variables (`entraide::config::from_env`); this crate never reads the
//! environment itself.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use lettre::message::Mailbox;

pub use crate::tokens::{LinkKey, SecretKey};

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
    /// Where the Prometheus metrics are served, on a listener of their own (none: no metrics).
    pub metrics_addr: Option<SocketAddr>,
    /// The public address of the service, used for links in e-mails and to decide on Secure cookies.
    pub base_url: Url,
    /// A session ends after this much inactivity.
    pub session_idle_timeout: Duration,
    /// How often expired sessions, old login attempts, expired request data and old sent e-mails
    /// are cleaned up.
    pub session_cleanup_interval: Duration,
    /// The largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// A request taking longer than this is answered with an error.
    pub request_timeout: Duration,
    /// Whether `serve` also runs the background workers (e-mail outbox, clean-ups).
    pub workers: bool,
    /// E-mail delivery settings.
    pub mail: MailConfig,
    /// SMS delivery settings (attempts, backoff and lease follow the e-mail's).
    pub sms: SmsConfig,
    /// The key signing form timestamps and hashing IP addresses; shared by every instance.
    pub secret_key: SecretKey,
    /// Whether SECRET_KEY was given (otherwise a random one is drawn at each start).
    pub secret_key_from_env: bool,
    /// Where the binary keeps the key it draws when `SECRET_KEY` is not set, so that a restart (or
    /// another command) keeps reading the links sealed in the outbox and the signed form stamps.
    pub secret_key_file: PathBuf,
    /// Personal data of finished requests is erased this many days after the end.
    pub retention_days: u32,
    /// Requests left waiting (new, open, without volunteer) this many days without any change are
    /// closed as abandoned (then erased `retention_days` later).
    pub stale_request_days: u32,
    /// Help requests accepted from one IP address per hour.
    pub requests_per_ip_per_hour: u64,
    /// Submissions of the public account forms (sign-up, forgotten password, new confirmation link)
    /// accepted from one address per hour.
    pub public_forms_per_ip_per_hour: u64,
    /// Calls to the partner API accepted per key and per minute, across every instance.
    pub api_requests_per_minute: u64,
    /// The shortest time a person can take to fill the request form (faster is a robot).
    pub form_min_fill: Duration,
    /// Who runs the service, as the privacy notice names them.
    pub operator_name: String,
    /// Where people exercise their rights over their data.
    pub privacy_contact: String,
    /// The number people whose request no organisation triages may call (`OPERATOR_PHONE`), in
    /// international form; none: no number is shown to them.
    pub operator_phone: Option<String>,
    /// When someone answers [`Config::operator_phone`], in words (`OPERATOR_HOURS`).
    pub operator_hours: Option<String>,
    /// How many passwords are hashed at the same time (each takes 19 MiB and a core for a moment).
    pub password_hash_concurrency: usize,
    /// Matching settings.
    pub matching: MatchingConfig,
    /// How often moderators who chose the daily digest receive it.
    pub moderation_digest_interval: Duration,
    /// Whether the service sits behind a proxy whose `X-Forwarded-For` tells the client's address.
    pub trust_proxy: bool,
    /// How many trusted proxies stand between the clients and the service (with `trust_proxy`):
    /// the client is the address the outermost of them saw.
    pub trusted_proxy_hops: u32,
    /// How log lines are written: human-readable text, or JSON for a log collector.
    pub log_format: LogFormat,
    /// How events reach the organisations' webhooks.
    pub webhooks: WebhookConfig,
}

/// How events reach the organisations' webhook endpoints (issue 17).
#[derive(Clone, Debug)]
pub struct WebhookConfig {
    /// Whether endpoints may be plain `http://` addresses on loopback, private or link-local
    /// networks (`WEBHOOK_ALLOW_PRIVATE`, for tests and local development only): otherwise they
    /// must be `https://` and resolve to public addresses, at registration and at every delivery.
    pub allow_private: bool,
    /// The longest one delivery may take, connection included (`WEBHOOK_TIMEOUT_SECONDS`).
    pub timeout: Duration,
    /// How often the webhook worker looks for deliveries due (`WEBHOOK_POLL_MS`).
    pub poll_interval: Duration,
    /// How many deliveries one worker claims at a time.
    pub batch_size: u64,
}

impl WebhookConfig {
    /// How long a claimed delivery stays its worker's: past it, its worker died and another takes it.
    pub fn lease(&self) -> Duration {
        self.timeout * 3 + Duration::from_secs(30)
    }
}

/// How requests are proposed to volunteers.
#[derive(Clone, Debug)]
pub struct MatchingConfig {
    /// Volunteers asked at once (K).
    pub proposals_per_round: u64,
    /// How long a proposal stays open.
    pub proposal_ttl: Duration,
    /// Rounds before the request is declared without volunteer.
    pub max_rounds: i32,
    /// How often expired proposals are looked for (and volunteers due a reminder).
    pub expiry_interval: Duration,
    /// A volunteer still holding a request this many days after taking it is reminded of it
    /// once; 0: never.
    pub reminder_days: u32,
}

/// How e-mails leave the service.
#[derive(Clone, Debug)]
pub struct MailConfig {
    /// The SMTP server (`smtp://host:port`, `smtp://user:pass@host:587?tls=required`, `smtps://…`);
    /// without it, e-mails are written as .eml files into `dir`.
    pub smtp_url: Option<Url>,
    /// Where e-mails are written when there is no SMTP server.
    pub dir: PathBuf,
    /// The sender of every e-mail.
    pub from: Mailbox,
    /// How often the outbox worker looks for e-mails to send.
    pub poll_interval: Duration,
    /// How many e-mails one worker claims at a time.
    pub batch_size: u64,
    /// How many e-mails one worker sends at the same time.
    pub concurrency: usize,
    /// After this many failed attempts an e-mail is marked failed.
    pub max_attempts: i32,
    /// The wait after the first failure; it doubles at each new failure…
    pub retry_base: Duration,
    /// …up to this.
    pub retry_max: Duration,
    /// A claimed e-mail not confirmed within this time (its worker died) is taken again.
    pub lease: Duration,
    /// Sent e-mails are deleted from the outbox this many days after they were sent.
    pub keep_days: u32,
    /// Seals the tokens of links in queued e-mails (derived from SECRET_KEY).
    pub link_key: LinkKey,
}

/// How text messages leave the service.
#[derive(Clone, Debug)]
pub struct SmsConfig {
    /// The base address of the Brevo API (`https://api.brevo.com`); without it, SMS are written
    /// as .txt files into `dir`.
    pub url: Option<Url>,
    /// The Brevo API key (`api-key` header).
    pub api_key: Option<SecretKey>,
    /// The sender name shown on phones (at most 11 letters or digits).
    pub sender: String,
    /// Where SMS are written when there is no provider.
    pub dir: PathBuf,
    /// The longest one call to the provider may take.
    pub timeout: Duration,
    /// No SMS in the recipient's local time from `SMS_QUIET_FROM` until `SMS_QUIET_UNTIL`.
    pub quiet: QuietHours,
}

/// The quiet period for SMS, as local times of day: from `from` until `until` (across midnight
/// when `from` is later than `until`, as 20:00–09:00). `sms::quiet` applies it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct QuietHours {
    /// When texts stop.
    pub from: chrono::NaiveTime,
    /// When they may leave again.
    pub until: chrono::NaiveTime,
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
    /// Without `SECRET_KEY`, reads the key kept in [`Config::secret_key_file`], or draws one and
    /// keeps it there (readable by its owner only): the binary calls this at start so that every
    /// command and every restart on this machine share one key. Tests keep their random key.
    pub fn keep_drawn_secret_key(&mut self) -> anyhow::Result<()> {
        use anyhow::Context as _;
        if self.secret_key_from_env {
            return Ok(());
        }
        let path = &self.secret_key_file;
        let key = match std::fs::read_to_string(path) {
            Ok(stored) if stored.trim().len() >= 32 => stored.trim().to_owned(),
            Ok(_) => anyhow::bail!(
                "{} does not hold a key of at least 32 characters (SECRET_KEY_FILE)",
                path.display()
            ),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                let drawn = crate::tokens::new_token().secret;
                let mut options = std::fs::OpenOptions::new();
                options.write(true).create_new(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
                let mut file = options
                    .open(path)
                    .with_context(|| format!("creating {} (SECRET_KEY_FILE)", path.display()))?;
                std::io::Write::write_all(&mut file, format!("{drawn}\n").as_bytes())
                    .with_context(|| format!("writing {} (SECRET_KEY_FILE)", path.display()))?;
                drawn
            }
            Err(err) => {
                return Err(err)
                    .with_context(|| format!("reading {} (SECRET_KEY_FILE)", path.display()));
            }
        };
        self.secret_key = SecretKey::from_bytes(key.into_bytes());
        self.mail.link_key = LinkKey::derive(&self.secret_key);
        Ok(())
    }

    /// The full address of a page of the site (`path` starts with `/`), for links in e-mails and
    /// on the command line.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url.as_str().trim_end_matches('/'))
    }
}

impl Config {
    /// Builds the settings from named values (the binary passes the process environment; tests
    /// give their own), each missing one taking its default.
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
        let metrics_addr = match get("METRICS_ADDR") {
            None => None,
            Some(_) => Some(parse(&get, "METRICS_ADDR", "", |v| {
                v.trim().parse::<SocketAddr>().map_err(|e| e.to_string())
            })?),
        };
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

        let (secret_key, secret_key_from_env) = match get("SECRET_KEY") {
            Some(key) if key.trim().len() >= 32 => {
                (SecretKey::from_bytes(key.trim().as_bytes().to_vec()), true)
            }
            Some(_) => {
                return Err(ConfigError {
                    name: "SECRET_KEY",
                    reason: "expected at least 32 characters (e.g. `openssl rand -hex 32`)".into(),
                });
            }
            None => (
                SecretKey::from_bytes(crate::tokens::new_token().secret.into_bytes()),
                false,
            ),
        };
        let workers = parse(&get, "WORKERS", "true", boolean)?;
        let mail = MailConfig {
            smtp_url: match get("SMTP_URL") {
                None => None,
                Some(value) => Some(parse(&get, "SMTP_URL", "", |_| smtp_url(value.trim()))?),
            },
            dir: PathBuf::from(get("MAIL_DIR").unwrap_or_else(|| "mail".into())),
            from: parse(
                &get,
                "MAIL_FROM",
                "Entraide <ne-pas-repondre@localhost>",
                |v| v.parse::<Mailbox>().map_err(|e| e.to_string()),
            )?,
            poll_interval: Duration::from_millis(parse(&get, "MAIL_POLL_MS", "1000", positive)?),
            batch_size: parse(&get, "MAIL_BATCH_SIZE", "50", positive)?,
            concurrency: parse(&get, "MAIL_CONCURRENCY", "8", positive)? as usize,
            max_attempts: parse(&get, "MAIL_MAX_ATTEMPTS", "12", positive)?.min(1000) as i32,
            retry_base: Duration::from_secs(parse(
                &get,
                "MAIL_RETRY_BASE_SECONDS",
                "60",
                positive,
            )?),
            retry_max: Duration::from_secs(parse(
                &get,
                "MAIL_RETRY_MAX_SECONDS",
                "21600",
                positive,
            )?),
            lease: Duration::from_secs(parse(&get, "MAIL_LEASE_SECONDS", "300", positive)?),
            keep_days: parse(&get, "OUTBOX_KEEP_DAYS", "30", positive)?.min(3650) as u32,
            link_key: LinkKey::derive(&secret_key),
        };

        let sms = SmsConfig {
            url: match get("SMS_URL") {
                None => None,
                Some(_) => Some(parse(&get, "SMS_URL", "", |v| {
                    let url = Url::parse(v).map_err(|e| e.to_string())?;
                    match url.scheme() {
                        "http" | "https" if url.host().is_some() => Ok(url),
                        _ => Err("expected an http:// or https:// URL with a host".into()),
                    }
                })?),
            },
            api_key: get("SMS_API_KEY")
                .map(|k| SecretKey::from_bytes(k.trim().as_bytes().to_vec())),
            sender: parse(&get, "SMS_SENDER", "Entraide", |v| {
                if (3..=11).contains(&v.len()) && v.chars().all(|c| c.is_ascii_alphanumeric()) {
                    Ok(v.to_owned())
                } else {
                    Err("expected 3 to 11 letters or digits".into())
                }
            })?,
            dir: PathBuf::from(get("SMS_DIR").unwrap_or_else(|| "sms".into())),
            timeout: Duration::from_secs(parse(&get, "SMS_TIMEOUT_SECONDS", "15", positive)?),
            quiet: QuietHours {
                from: parse(&get, "SMS_QUIET_FROM", "20:00", time_of_day)?,
                until: parse(&get, "SMS_QUIET_UNTIL", "09:00", time_of_day)?,
            },
        };
        if sms.url.is_some() && sms.api_key.is_none() {
            return Err(ConfigError {
                name: "SMS_API_KEY",
                reason: "required with SMS_URL".into(),
            });
        }

        let retention_days = parse(&get, "RETENTION_DAYS", "180", positive)?.min(3650) as u32;
        let stale_request_days =
            parse(&get, "STALE_REQUEST_DAYS", "90", positive)?.min(3650) as u32;
        let requests_per_ip_per_hour = parse(&get, "REQUESTS_PER_IP_PER_HOUR", "5", positive)?;
        let public_forms_per_ip_per_hour =
            parse(&get, "PUBLIC_FORMS_PER_IP_PER_HOUR", "20", positive)?;
        let api_requests_per_minute = parse(&get, "API_REQUESTS_PER_MINUTE", "120", positive)?;
        let form_min_fill =
            Duration::from_secs(parse(&get, "REQUEST_FORM_MIN_SECONDS", "3", |v| {
                v.parse::<u64>()
                    .map_err(|_| format!("expected a whole number of seconds, got {v:?}"))
            })?);
        let operator_name =
            get("OPERATOR_NAME").unwrap_or_else(|| "l'association qui gère Entraide".into());
        let privacy_contact = get("PRIVACY_CONTACT").unwrap_or_else(|| "dpo@localhost".into());
        let operator_phone = match get("OPERATOR_PHONE") {
            Some(typed) => Some(
                crate::contact::PhoneNumber::parse(&typed)
                    .map_err(|reason| ConfigError {
                        name: "OPERATOR_PHONE",
                        reason: reason.to_owned(),
                    })?
                    .as_str()
                    .to_owned(),
            ),
            None => None,
        };
        let operator_hours = get("OPERATOR_HOURS").map(|h| h.trim().to_owned());
        let password_hash_concurrency =
            parse(&get, "PASSWORD_HASH_CONCURRENCY", "2", positive)?.min(64) as usize;
        let trust_proxy = parse(&get, "TRUST_PROXY", "false", boolean)?;
        let trusted_proxy_hops = parse(&get, "TRUSTED_PROXY_HOPS", "1", positive)?.min(16) as u32;
        let moderation_digest_interval = Duration::from_secs(parse(
            &get,
            "MODERATION_DIGEST_INTERVAL_SECS",
            "86400",
            positive,
        )?);
        let log_format = parse(&get, "LOG_FORMAT", "text", str::parse::<LogFormat>)?;
        let matching = MatchingConfig {
            proposals_per_round: parse(&get, "MATCH_PROPOSALS_PER_ROUND", "3", positive)?.min(50),
            proposal_ttl: Duration::from_secs(
                3600 * parse(&get, "MATCH_PROPOSAL_TTL_HOURS", "48", positive)?,
            ),
            max_rounds: parse(&get, "MATCH_MAX_ROUNDS", "3", positive)?.min(100) as i32,
            expiry_interval: Duration::from_secs(parse(
                &get,
                "MATCH_EXPIRY_INTERVAL_SECONDS",
                "60",
                positive,
            )?),
            reminder_days: parse(&get, "VOLUNTEER_REMINDER_DAYS", "7", |v| {
                v.parse::<u32>()
                    .ok()
                    .filter(|days| *days <= 365)
                    .ok_or_else(|| format!("expected a number of days from 0 to 365, got {v:?}"))
            })?,
        };

        let webhooks = WebhookConfig {
            allow_private: parse(&get, "WEBHOOK_ALLOW_PRIVATE", "false", boolean)?,
            timeout: Duration::from_secs(
                parse(&get, "WEBHOOK_TIMEOUT_SECONDS", "10", positive)?.min(120),
            ),
            poll_interval: Duration::from_millis(parse(&get, "WEBHOOK_POLL_MS", "1000", positive)?),
            batch_size: 20,
        };

        Ok(Self {
            database_url,
            db_max_connections,
            bind_addr,
            metrics_addr,
            base_url,
            session_idle_timeout,
            session_cleanup_interval,
            max_body_bytes,
            request_timeout,
            workers,
            mail,
            sms,
            secret_key,
            secret_key_from_env,
            secret_key_file: PathBuf::from(
                get("SECRET_KEY_FILE").unwrap_or_else(|| "entraide.key".into()),
            ),
            retention_days,
            stale_request_days,
            requests_per_ip_per_hour,
            public_forms_per_ip_per_hour,
            api_requests_per_minute,
            form_min_fill,
            operator_name,
            privacy_contact,
            operator_phone,
            operator_hours,
            password_hash_concurrency,
            matching,
            moderation_digest_interval,
            trust_proxy,
            trusted_proxy_hops,
            log_format,
            webhooks,
        })
    }

    /// Whether cookies must carry the Secure flag: the service is reached over HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.scheme() == "https"
    }

    /// The domain part of Message-IDs: the public host name.
    pub fn message_domain(&self) -> String {
        self.base_url.host_str().unwrap_or("localhost").to_owned()
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

fn time_of_day(value: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(value, "%H:%M")
        .map_err(|_| format!("expected a time of day such as 20:00, got {value:?}"))
}

fn boolean(value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(format!("expected true or false, got {value:?}")),
    }
}

fn smtp_url(value: &str) -> Result<Url, String> {
    let url = Url::parse(value).map_err(|e| e.to_string())?;
    match url.scheme() {
        "smtp" | "smtps" if url.host().is_some() => Ok(url),
        _ => Err("expected smtp://host:port or smtps://user:password@host:port".into()),
    }
}

fn positive(value: &str) -> Result<u64, String> {
    match value.parse::<u64>() {
        Ok(n) if n > 0 => Ok(n),
        _ => Err(format!("expected a whole number above zero, got {value:?}")),
    }
}

/// How log lines are written (`LOG_FORMAT`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LogFormat {
    /// One human-readable line per event, the fields of its spans in front (the default).
    #[default]
    Text,
    /// One flat JSON object per line: `timestamp`, `level`, `target`, the event's fields
    /// (`message`, …) and those of every span it happens in (`request_id`, `route`, `method`).
    Json,
}

impl std::str::FromStr for LogFormat {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value.trim().to_ascii_lowercase().as_str() {
            "text" => Ok(Self::Text),
            "json" => Ok(Self::Json),
            _ => Err(format!("expected text or json, got {value:?}")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_drawn_secret_key_is_kept_for_the_next_start_and_only_its_owner_reads_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("entraide.key");
        let file = path.to_str().unwrap().to_owned();
        let mut first = config_with(&[("SECRET_KEY_FILE", &file)]).unwrap();
        first.keep_drawn_secret_key().unwrap();
        let mut second = config_with(&[("SECRET_KEY_FILE", &file)]).unwrap();
        assert_ne!(first.secret_key.bytes(), second.secret_key.bytes());
        second.keep_drawn_secret_key().unwrap();
        assert_eq!(first.secret_key.bytes(), second.secret_key.bytes());
        assert!(first.secret_key.bytes().len() >= 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "readable by its owner only");
        }
        // A key set in the environment wins, and nothing is read.
        let set = "k".repeat(40);
        let mut from_env =
            config_with(&[("SECRET_KEY", &set), ("SECRET_KEY_FILE", "/nonexistent/x")]).unwrap();
        from_env.keep_drawn_secret_key().unwrap();
        assert_eq!(from_env.secret_key.bytes(), set.as_bytes());
    }

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
        assert!(config.workers);
        assert!(
            config.metrics_addr.is_none(),
            "metrics are off unless asked for"
        );
        assert_eq!(config.password_hash_concurrency, 2);
        assert!(!config.trust_proxy);
        assert!(config.mail.smtp_url.is_none());
        assert_eq!(
            config.moderation_digest_interval,
            Duration::from_secs(86_400)
        );
        assert_eq!(config.mail.dir, PathBuf::from("mail"));
        assert_eq!(config.mail.keep_days, 30);
        assert_eq!(config.matching.reminder_days, 7);
        assert_eq!(config.log_format, LogFormat::Text);
        assert!(!config.webhooks.allow_private);
        assert_eq!(config.webhooks.timeout, Duration::from_secs(10));
        assert_eq!(
            config.mail.from.to_string(),
            "Entraide <ne-pas-repondre@localhost>"
        );
    }

    #[test]
    fn invalid_values_name_their_variable() {
        assert_eq!(
            config_with(&[("BIND_ADDR", "nowhere")]).unwrap_err().name,
            "BIND_ADDR"
        );
        assert_eq!(
            config_with(&[("METRICS_ADDR", "9100")]).unwrap_err().name,
            "METRICS_ADDR"
        );
        assert_eq!(
            config_with(&[("METRICS_ADDR", "127.0.0.1:9100")])
                .unwrap()
                .metrics_addr,
            Some("127.0.0.1:9100".parse().unwrap())
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
            config_with(&[("PASSWORD_HASH_CONCURRENCY", "0")])
                .unwrap_err()
                .name,
            "PASSWORD_HASH_CONCURRENCY"
        );
        assert_eq!(
            config_with(&[("TRUST_PROXY", "maybe")]).unwrap_err().name,
            "TRUST_PROXY"
        );
        assert_eq!(
            config_with(&[("SESSION_IDLE_MINUTES", "0")])
                .unwrap_err()
                .name,
            "SESSION_IDLE_MINUTES"
        );
        assert_eq!(
            config_with(&[("VOLUNTEER_REMINDER_DAYS", "-1")])
                .unwrap_err()
                .name,
            "VOLUNTEER_REMINDER_DAYS"
        );
        assert_eq!(
            config_with(&[("LOG_FORMAT", "xml")]).unwrap_err().name,
            "LOG_FORMAT"
        );
    }

    #[test]
    fn zero_reminder_days_means_no_reminder() {
        let config = config_with(&[("VOLUNTEER_REMINDER_DAYS", "0")]).unwrap();
        assert_eq!(config.matching.reminder_days, 0);
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
