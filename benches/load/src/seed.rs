//! `entraide-load seed`: what the journeys need in the server's database, written straight to it
//! (as the test fixtures do; the sign-up pages have their own tests): an organisation of the
//! Marne that validates its requests by hand, its moderators, and volunteers around Reims who
//! help with everything, every way. Every account has the password [`PASSWORD`]. Running it again
//! adds only what is missing.

use chrono::Utc;
use clap::Parser;
use domain::accounts::password::Passwords;
use domain::accounts::staff;
use domain::contact::EmailAddress;
use domain::organisations::{NOTIFY_DIGEST, NOTIFY_IMMEDIATE};
use domain::reference::{Category, CategorySet, HelpMode, ModeSet};
use entity::states::Role;
use entity::{account, membership, organisation, volunteer_profile};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// The password of every seeded account.
pub const PASSWORD: &str = "charge-entraide-2026";

/// The seeded organisation.
const ORGANISATION: &str = "Marne Entraide (test de charge)";

/// Seeded volunteers when `LOAD_VOLUNTEERS` is not set: about one per simulated volunteer of a
/// 200-user run.
const DEFAULT_VOLUNTEERS: u32 = 20;
/// Seeded moderators when `LOAD_MODERATORS` is not set.
const DEFAULT_MODERATORS: u32 = 10;
/// Moderators who get an e-mail for each new request; the others chose the daily digest.
const IMMEDIATE_MODERATORS: u32 = 2;

/// Reims, where the volunteers live (around its centre).
const REIMS: (&str, &str, f64, f64) = ("51454", "51", 49.2653, 4.0285);

const FIRST_NAMES: [&str; 6] = ["Camille", "Dominique", "Claude", "Sacha", "Alix", "Yannick"];

/// `entraide-load seed`: writes the accounts the journeys log in with.
#[derive(Parser)]
#[command(name = "entraide-load seed")]
pub struct Options {
    /// The server's database (the same value as the server's).
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://entraide.db?mode=rwc"
    )]
    database_url: String,
    /// Volunteers to write (the load test logs in as them, in turn).
    #[arg(long, env = "LOAD_VOLUNTEERS", default_value_t = DEFAULT_VOLUNTEERS)]
    volunteers: u32,
    /// Moderators to write.
    #[arg(long, env = "LOAD_MODERATORS", default_value_t = DEFAULT_MODERATORS)]
    moderators: u32,
}

/// How many volunteers were seeded (`LOAD_VOLUNTEERS`, as for the seed).
pub fn volunteers() -> u32 {
    count("LOAD_VOLUNTEERS", DEFAULT_VOLUNTEERS)
}

/// How many moderators were seeded (`LOAD_MODERATORS`, as for the seed).
pub fn moderators() -> u32 {
    count("LOAD_MODERATORS", DEFAULT_MODERATORS)
}

fn count(variable: &str, default: u32) -> u32 {
    std::env::var(variable)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
        .max(1)
}

/// The login of seeded volunteer `n`.
pub fn volunteer_email(n: u32) -> String {
    format!("benevole-{n}@charge.example.org")
}

/// The login of seeded moderator `n`.
pub fn moderator_email(n: u32) -> String {
    format!("moderateur-{n}@charge.example.org")
}

/// Writes what is missing.
pub async fn run(options: &Options) -> anyhow::Result<()> {
    let db = domain::db::connect(&options.database_url, 1).await?;
    domain::db::migrate(&db).await?;
    let hash = Passwords::new(1).hash(PASSWORD).await?;
    let organisation = organisation(&db).await?;
    let mut added = 0;
    for n in 0..options.moderators {
        let email = moderator_email(n);
        if let Some(moderator) = new_account(&db, &email, Role::Moderateur, &hash, n).await? {
            let notification = if n < IMMEDIATE_MODERATORS {
                NOTIFY_IMMEDIATE
            } else {
                NOTIFY_DIGEST
            };
            membership::ActiveModel {
                organisation_id: Set(organisation),
                account_id: Set(moderator.id),
                notification: Set(notification.to_owned()),
                last_digest_at: Set(None),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&db)
            .await?;
            added += 1;
        }
    }
    for n in 0..options.volunteers {
        let email = volunteer_email(n);
        if let Some(volunteer) = new_account(&db, &email, Role::Benevole, &hash, n).await? {
            profile(&db, volunteer.id, n).await?;
            added += 1;
        }
    }
    println!(
        "{added} account(s) added: {} moderator(s) of « {ORGANISATION} » ({}), {} volunteer(s) \
         around Reims ({}), password {PASSWORD}",
        options.moderators,
        moderator_email(0),
        options.volunteers,
        volunteer_email(0),
    );
    Ok(())
}

/// The organisation's id, created the first time.
async fn organisation(db: &DatabaseConnection) -> anyhow::Result<i64> {
    if let Some(found) = organisation::Entity::find()
        .filter(organisation::Column::Name.eq(ORGANISATION))
        .one(db)
        .await?
    {
        return Ok(found.id);
    }
    let now = Utc::now();
    let created = organisation::ActiveModel {
        name: Set(ORGANISATION.to_owned()),
        contact_email: Set("contact@charge.example.org".to_owned()),
        national: Set(false),
        departements: Set(REIMS.1.to_owned()),
        auto_approve: Set(false),
        vetting_required: Set(false),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(created.id)
}

/// A verified account for `email` whose password is `hash`, unless it exists.
async fn new_account(
    db: &DatabaseConnection,
    email: &str,
    role: Role,
    hash: &str,
    n: u32,
) -> anyhow::Result<Option<account::Model>> {
    let exists = account::Entity::find()
        .filter(account::Column::Email.eq(email))
        .one(db)
        .await?
        .is_some();
    if exists {
        return Ok(None);
    }
    let email = EmailAddress::parse(email).map_err(anyhow::Error::msg)?;
    let prenom = FIRST_NAMES[n as usize % FIRST_NAMES.len()];
    let created = staff::new_account(db, &email, prenom, role).await?;
    let mut verified: account::ActiveModel = created.into();
    verified.password_hash = Set(hash.to_owned());
    verified.email_verified_at = Set(Some(Utc::now()));
    Ok(Some(verified.update(db).await?))
}

/// Volunteer `n`'s profile: within a few kilometres of Reims' centre, every kind of help, every
/// way, up to three requests at once.
async fn profile(db: &DatabaseConnection, account_id: i64, n: u32) -> anyhow::Result<()> {
    let (insee, departement, lat, lon) = REIMS;
    let categories: Vec<&str> = Category::ALL.iter().map(|c| c.slug()).collect();
    let modes: Vec<&str> = HelpMode::ALL.iter().map(|m| m.slug()).collect();
    let (north, east) = (f64::from(n % 7) - 3.0, f64::from(n / 7 % 7) - 3.0);
    volunteer_profile::ActiveModel {
        account_id: Set(account_id),
        commune_insee: Set(insee.to_owned()),
        departement: Set(departement.to_owned()),
        latitude: Set(lat + north * 0.01),
        longitude: Set(lon + east * 0.015),
        rayon_km: Set(30),
        modes: Set(ModeSet::from_slugs(&modes)
            .map_err(anyhow::Error::msg)?
            .bits()),
        categories: Set(CategorySet::from_slugs(&categories)
            .map_err(anyhow::Error::msg)?
            .bits()),
        langues: Set(String::new()),
        max_demandes: Set(3),
        disponibilites: Set("En semaine, l'après-midi".to_owned()),
        paused_until: Set(None),
        vetted_at: Set(None),
        suspended_at: Set(None),
        suspension_reason: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
