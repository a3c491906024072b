//! The `entraide` command: serve (default), worker, migrate, backup, restore, request, mail, sms, admin,
//! statistics.

use clap::{Parser, Subcommand};
use entraide::messages::{self, Message};
use entraide::{Application, Config, Workers, backup, db, mail, telemetry};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

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
    /// Run the background workers alone (e-mail delivery, clean-ups), for deployments where web
    /// instances run with WORKERS=false.
    Worker,
    /// Apply pending database migrations, then exit.
    Migrate,
    /// Copy the live SQLite database into a file, without stopping the service (for PostgreSQL,
    /// print the pg_dump command to use instead, and fail: nothing was written).
    Backup {
        /// The backup file to write; it must not exist, unless --force is given.
        #[arg(long)]
        to: std::path::PathBuf,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Replace the SQLite database with a backup, service stopped: the file must be an Entraide
    /// database at a known migration; the replaced one is kept as <db>.before-restore-<time>.
    Restore {
        /// The backup file to restore.
        #[arg(long)]
        from: std::path::PathBuf,
    },
    /// Act on help requests.
    Request {
        #[command(subcommand)]
        command: RequestCommand,
    },
    /// Inspect and manage the e-mail outbox.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Inspect and manage the SMS outbox.
    Sms {
        #[command(subcommand)]
        command: SmsCommand,
    },
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
    /// Rebuild the public statistics' roll-up now (the workers do it every night).
    Statistics,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create an admin account (or give an existing admin a fresh link) and print the single-use
    /// link where they choose their password; no password ever goes through the command line.
    Create {
        /// The admin's e-mail address (their login).
        #[arg(long)]
        email: String,
        /// The admin's first name, shown in the pages and the audit log.
        #[arg(long, value_parser = entraide::contact::FirstName::parse)]
        prenom: Option<entraide::contact::FirstName>,
    },
}

#[derive(Subcommand)]
enum RequestCommand {
    /// Open a new request for matching (as a moderator's approval would) and propose it to the
    /// best volunteers.
    Open {
        /// The request's public reference, e.g. ENT-7K3F9Q.
        reference: String,
    },
}

#[derive(Subcommand)]
enum MailCommand {
    /// Print how many e-mails are in each state, and the failed ones with their last error.
    Status,
    /// Put failed e-mails back in the queue.
    Retry,
    /// Queue a test e-mail to ADDRESS, to check delivery.
    Test {
        /// The recipient.
        #[arg(long)]
        to: String,
    },
}

#[derive(Subcommand)]
enum SmsCommand {
    /// Print how many SMS are in each state, and the failed ones with their last error.
    Status,
    /// Put failed SMS back in the queue.
    Retry,
    /// Queue a test SMS to NUMBER (a French mobile number), to check delivery.
    Test {
        /// The recipient, e.g. 06 12 34 56 78.
        #[arg(long)]
        to: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    let mut config = entraide::config::from_env()?;
    config.keep_drawn_secret_key()?;
    telemetry::init(config.log_format)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(config.clone()).await?;
            tracing::info!(url = %config.base_url, "Entraide is ready");
            app.run_until_stopped().await
        }
        Command::Worker => {
            let db = connect(&config).await?;
            let workers = Workers::new();
            entraide::spawn_workers(&workers, &db, &config)?;
            tracing::info!("workers running; Ctrl-C or SIGTERM stops them");
            entraide::shutdown_signal().await;
            workers.stop().await;
            Ok(())
        }
        Command::Migrate => {
            connect(&config).await?;
            tracing::info!("migrations applied");
            Ok(())
        }
        Command::Backup { to, force } => match backup::locate(&config.database_url)? {
            backup::Database::Sqlite(database) => {
                print!("{}", backup::backup_sqlite(&database, &to, force).await?);
                Ok(())
            }
            backup::Database::Postgres(url) => {
                print!("{}", backup::PostgresAdvice::new(&url, &to));
                anyhow::bail!("no backup was written: run pg_dump as shown above")
            }
        },
        Command::Restore { from } => match backup::locate(&config.database_url)? {
            backup::Database::Sqlite(database) => {
                let restored = backup::restore_sqlite(&from, &database, chrono::Utc::now()).await?;
                print!("{restored}");
                Ok(())
            }
            backup::Database::Postgres(url) => {
                print!("{}", backup::PostgresAdvice::new(&url, &from));
                anyhow::bail!("nothing was restored: run pg_restore as shown above")
            }
        },
        Command::Request {
            command: RequestCommand::Open { reference },
        } => {
            let db = connect(&config).await?;
            let reference = reference.trim().to_uppercase();
            let request = entity::help_request::Entity::find()
                .filter(entity::help_request::Column::Reference.eq(reference.as_str()))
                .one(&db)
                .await?
                .ok_or_else(|| anyhow::anyhow!("no request with reference {reference}"))?;
            let outcome = entraide::matching::rounds::open_request(
                &db,
                &config,
                &request,
                entraide::requests::Actor::Admin,
                None,
            )
            .await
            .map_err(|e| anyhow::anyhow!("cannot open {reference}: {e}"))?;
            println!("{reference} is open for matching: {outcome:?}");
            Ok(())
        }
        Command::Mail { command } => {
            let db = connect(&config).await?;
            mail_command(&db, &config, command).await
        }
        Command::Sms { command } => {
            let db = connect(&config).await?;
            sms_command(&db, &config, command).await
        }
        Command::Statistics => {
            let db = connect(&config).await?;
            let written = entraide::statistics::rollup::run(&db, chrono::Utc::now()).await?;
            println!(
                "statistics rebuilt: {} requests, {} cells, {} volunteers",
                written.requests, written.cells, written.volunteers
            );
            Ok(())
        }
        Command::Admin {
            command: AdminCommand::Create { email, prenom },
        } => {
            let email = entraide::contact::EmailAddress::parse(&email)
                .map_err(|reason| anyhow::anyhow!("invalid address {email:?}: {reason}"))?;
            let db = connect(&config).await?;
            let invitation = entraide::accounts::staff::create_admin(&db, &email, prenom.as_ref())
                .await
                .map_err(|e| match e {
                    entraide::accounts::staff::StaffError::OtherRole(role) => anyhow::anyhow!(
                        "{email} already belongs to a {} account: use another address",
                        role.slug()
                    ),
                    other => anyhow::Error::new(other),
                })?;
            let link = config.link(&format!("/invitation/{}", invitation.secret));
            if invitation.created {
                println!("Admin account created for {email}.");
            } else {
                println!(
                    "{email} is already an admin: here is a fresh link (older ones no longer work)."
                );
            }
            println!(
                "Send them this link (valid 7 days, single use) to choose their password:\n{link}"
            );
            Ok(())
        }
    }
}

async fn connect(config: &Config) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = db::connect(&config.database_url, config.db_max_connections).await?;
    db::migrate(&db).await?;
    Ok(db)
}

async fn mail_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    command: MailCommand,
) -> anyhow::Result<()> {
    match command {
        MailCommand::Status => {
            let counts = mail::outbox::counts(db).await?;
            if counts.is_empty() {
                println!("The outbox is empty.");
            }
            for (status, n) in counts {
                println!("{status:>8}: {n}");
            }
            let failed = mail::outbox::failed(db, 100).await?;
            if !failed.is_empty() {
                println!("\nFailed e-mails (most recent first):");
                for email in failed {
                    println!(
                        "#{} {} to {} after {} attempts, created {}: {}",
                        email.id,
                        email.kind,
                        email.recipient,
                        email.attempts,
                        email.created_at.format("%Y-%m-%d %H:%M"),
                        email.last_error.unwrap_or_default()
                    );
                }
            }
        }
        MailCommand::Retry => {
            let done = mail::outbox::retry_failed(db).await?;
            println!(
                "{} failed e-mail(s) queued again; {} deleted as no longer relevant (request \
                 cancelled, taken by someone else or erased, proposal closed).",
                done.queued, done.dropped
            );
        }
        MailCommand::Test { to } => {
            to.parse::<lettre::message::Mailbox>()
                .map_err(|e| anyhow::anyhow!("invalid address {to:?}: {e}"))?;
            let email = mail::TestEmail {
                requested_at: chrono::Local::now()
                    .format("%d/%m/%Y à %H:%M:%S")
                    .to_string(),
            };
            let key = Message::TestEmail {
                id: uuid::Uuid::new_v4().to_string(),
            };
            messages::queue(db, config, &to, &email, &key).await?;
            println!(
                "Test e-mail queued for {to}; a running `entraide serve` or `entraide worker` sends it."
            );
        }
    }
    Ok(())
}

async fn sms_command(
    db: &sea_orm::DatabaseConnection,
    config: &Config,
    command: SmsCommand,
) -> anyhow::Result<()> {
    match command {
        SmsCommand::Status => {
            let counts = entraide::sms::outbox::counts(db).await?;
            if counts.is_empty() {
                println!("The SMS outbox is empty.");
            }
            for (status, n) in counts {
                println!("{status:>8}: {n}");
            }
            let failed = entraide::sms::outbox::failed(db, 100).await?;
            if !failed.is_empty() {
                println!("\nFailed SMS (most recent first):");
                for sms in failed {
                    println!(
                        "#{} {} to {} after {} attempts, created {}: {}",
                        sms.id,
                        sms.kind,
                        entraide::contact::display_fr(&sms.recipient),
                        sms.attempts,
                        sms.created_at.format("%Y-%m-%d %H:%M"),
                        sms.last_error.unwrap_or_default()
                    );
                }
            }
        }
        SmsCommand::Retry => {
            let queued = entraide::sms::outbox::retry_failed(db, chrono::Utc::now()).await?;
            println!("{queued} failed SMS queued again (quiet hours still apply).");
        }
        SmsCommand::Test { to } => {
            let number = entraide::sms::numbers::stored_mobile(&to)
                .ok_or_else(|| anyhow::anyhow!("{to:?} is not a French mobile number"))?;
            let id = uuid::Uuid::new_v4().to_string();
            let text = messages::texts::TestText {
                id: id[..8].to_owned(),
            };
            messages::texts::queue(
                db,
                config,
                &number,
                entraide::sms::About::default(),
                &text,
                &Message::TestSms { id },
            )
            .await?;
            println!(
                "Test SMS queued for {}; a running `entraide serve` or `entraide worker` sends it \
                 (outside quiet hours, Paris time).",
                entraide::contact::display_fr(&number)
            );
        }
    }
    Ok(())
}
