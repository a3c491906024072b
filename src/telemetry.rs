//! Logs: human-readable lines on standard error, filtered by RUST_LOG.

use tracing_subscriber::EnvFilter;

/// The filter used when RUST_LOG is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tower_sessions=warn";

/// Installs the global subscriber; an invalid RUST_LOG stops the start, naming the variable.
pub fn init() -> anyhow::Result<()> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(&value)
            .map_err(|err| anyhow::anyhow!("invalid value for RUST_LOG: {err}"))?,
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
    Ok(())
}
