//! Logs on standard error, filtered by RUST_LOG: human-readable lines by default, or one JSON object
//! per line (`LOG_FORMAT=json`) for a log collector.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

/// The filter used when RUST_LOG is not set.
pub const DEFAULT_FILTER: &str = "info,sqlx=warn,sea_orm=warn,tower_sessions=warn";

pub use crate::config::LogFormat;

/// Installs the global subscriber; an invalid RUST_LOG stops the start, naming the variable.
pub fn init(format: LogFormat) -> anyhow::Result<()> {
    let filter = match std::env::var("RUST_LOG") {
        Ok(value) if !value.trim().is_empty() => EnvFilter::try_new(&value)
            .map_err(|err| anyhow::anyhow!("invalid value for RUST_LOG: {err}"))?,
        _ => EnvFilter::new(DEFAULT_FILTER),
    };
    match format {
        LogFormat::Text => tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .init(),
        LogFormat::Json => {
            // The spans' fields go to the top level, beside the event's, so that a collector
            // indexes `request_id` or `route` without digging into nested objects. Field names
            // must therefore differ between the request span and the events logged inside it.
            let json = json_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .flatten_event(true)
                .with_current_span(false)
                .with_span_list(false)
                .flatten_span_list_on_top_level(true);
            tracing_subscriber::registry()
                .with(filter)
                .with(json)
                .init();
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_format_reads_text_or_json_only() {
        assert_eq!("text".parse(), Ok(LogFormat::Text));
        assert_eq!(" JSON ".parse(), Ok(LogFormat::Json));
        assert!("logfmt".parse::<LogFormat>().is_err());
    }
}
