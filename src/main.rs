//! The `entraide` command: serve (default), migrate.

use clap::{Parser, Subcommand};
use entraide::{Application, Config, db, telemetry};

/// Entraide: matches volunteers with people struggling with digital tools.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web server and background workers (the default).
    Serve,
    /// Apply pending database migrations, then exit.
    Migrate,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let config = Config::from_env()?;
    telemetry::init()?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config.clone()).await?;
            tracing::info!(url = %config.base_url, "Entraide is ready");
            app.run_until_stopped().await
        }
        Command::Migrate => {
            let db = db::connect(&config.database_url, config.db_max_connections).await?;
            db::migrate(&db).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
    }
}
