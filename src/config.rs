//! Settings, read from environment variables (and an optional `.env` file), each with a default
//! that lets `cargo run` work on a fresh machine. The settings themselves (names, defaults,
//! checks) are the domain's [`domain::config`]; reading the environment happens only here.

pub use domain::config::*;

/// Reads the settings from the process environment, after loading `.env` if there is one.
pub fn from_env() -> Result<Config, ConfigError> {
    // A missing .env file is normal; a malformed one is reported by the values it leaves out.
    let _ = dotenvy::dotenv();
    Config::from_lookup(|name| std::env::var(name).ok())
}
