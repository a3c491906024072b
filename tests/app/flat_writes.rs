//! The write paths that must cost the same with 1,000 or 1,000,000 rows (issue 19): filing a
//! request, signing up, accepting a proposal and a moderator's validation. Each runs on a
//! connection that records every statement it sends; the database then explains each statement,
//! and no plan may read a whole large table — SQLite's `SCAN t` (even through an index), or
//! PostgreSQL's `Seq Scan on t` with sequential scans discouraged (a small test table would
//! otherwise always be read whole). Reading through indexes is what keeps these paths flat; the
//! intake benchmark (`cargo bench --bench intake`) measures it at a million rows.

use std::sync::{Arc, Mutex};

use entity::proposal;
use entity::states::Role;
use entraide::accounts::details::VolunteerDetails;
use entraide::accounts::password::Passwords;
use entraide::accounts::signup::{NewVolunteer, sign_up};
use entraide::contact::{EmailAddress, FirstName};
use entraide::matching::answers;
use entraide::moderation::actions;
use entraide::organisations::Scope;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake;
use entraide::staff::Staff;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};

use crate::fixtures::{REIMS, Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::staff::{add_membership, add_organisation, add_staff};

/// Tables that grow with the service's use: none may be read whole on a write path. (The
/// organisations and the communes reference stay small.)
const LARGE: &[&str] = &[
    "account",
    "account_token",
    "audit_log",
    "feedback",
    "follow_lookup",
    "help_request",
    "limit_hit",
    "outbox_email",
    "proposal",
    "request_event",
    "session",
    "volunteer_profile",
];

/// A second connection to the application's database that keeps every statement it sends.
struct Recorder {
    db: DatabaseConnection,
    seen: Arc<Mutex<Vec<Statement>>>,
}

impl Recorder {
    async fn open(app: &TestApp) -> Self {
        let mut db = entraide::db::connect(&app.config.database_url, 1)
            .await
            .unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let keep = seen.clone();
        db.set_metric_callback(move |info| keep.lock().unwrap().push(info.statement.clone()));
        Self { db, seen }
    }

    /// Forgets what was recorded so far (the set-up's statements).
    fn clear(&self) {
        self.seen.lock().unwrap().clear();
    }

    /// The plans that read a large table whole, with their statement.
    async fn whole_table_reads(&self) -> Vec<String> {
        let statements = std::mem::take(&mut *self.seen.lock().unwrap());
        assert!(!statements.is_empty(), "the path sent no statement");
        let backend = self.db.get_database_backend();
        let mut found = Vec::new();
        for statement in statements {
            let sql = statement.sql.trim();
            let explainable = ["SELECT", "INSERT", "UPDATE", "DELETE", "WITH"]
                .iter()
                .any(|verb| sql.to_ascii_uppercase().starts_with(verb));
            if !explainable {
                continue;
            }
            for line in plan(&self.db, backend, &statement).await {
                if let Some(table) = LARGE.iter().find(|t| reads_whole(backend, &line, t)) {
                    found.push(format!("{table}: {line}\n    in {sql}"));
                }
            }
        }
        found
    }
}

/// The plan of `statement`, one line per step.
async fn plan(db: &DatabaseConnection, backend: DbBackend, statement: &Statement) -> Vec<String> {
    let (prefix, column) = match backend {
        DbBackend::Postgres => ("EXPLAIN ", "QUERY PLAN"),
        _ => ("EXPLAIN QUERY PLAN ", "detail"),
    };
    let explain = Statement {
        sql: format!("{prefix}{}", statement.sql),
        ..statement.clone()
    };
    // EXPLAIN of a write does not run it; on PostgreSQL a transaction keeps the setting local.
    let txn = sea_orm::TransactionTrait::begin(db).await.unwrap();
    if backend == DbBackend::Postgres {
        txn.execute_unprepared("SET LOCAL enable_seqscan = off")
            .await
            .unwrap();
    }
    let rows = txn.query_all_raw(explain).await.unwrap();
    txn.rollback().await.unwrap();
    rows.iter()
        .map(|row| row.try_get::<String>("", column).unwrap())
        .collect()
}

fn reads_whole(backend: DbBackend, line: &str, table: &str) -> bool {
    let line = line.trim();
    match backend {
        DbBackend::Postgres => {
            line.contains(&format!("Seq Scan on {table} "))
                || line.ends_with(&format!("Seq Scan on {table}"))
        }
        _ => line == format!("SCAN {table}") || line.starts_with(&format!("SCAN {table} ")),
    }
}

fn assert_flat(path: &str, found: Vec<String>) {
    assert!(
        found.is_empty(),
        "{path} reads whole tables, so it slows down as they grow:\n{}",
        found.join("\n")
    );
}

async fn moderator_of(app: &TestApp, organisation_id: i64) -> Staff {
    let account = add_staff(app, "moderateur", "Mona").await;
    add_membership(app, organisation_id, account.id).await;
    Staff {
        account,
        role: Role::Moderateur,
        scope: Scope::Organisations(vec![organisation_id]),
    }
}

#[tokio::test]
async fn filing_a_request_reads_no_whole_table() {
    let app = spawn_app().await;
    add_organisation(&app, "Marne Solidaire", "51", false).await;
    let recorder = Recorder::open(&app).await;
    // Earlier citizens and requests, so that the per-address count has rows to skip.
    for n in 0..3 {
        intake::create_limited(
            &recorder.db,
            &app.config,
            &kit::new_request(REIMS),
            format!("203.0.113.{n}"),
            5,
        )
        .await
        .unwrap();
    }
    recorder.clear();

    let created = intake::create_limited(
        &recorder.db,
        &app.config,
        &kit::new_request(REIMS),
        "203.0.113.9".into(),
        5,
    )
    .await
    .unwrap();

    assert!(created.is_some(), "the request is filed");
    assert_flat("filing a request", recorder.whole_table_reads().await);
}

#[tokio::test]
async fn signing_up_reads_no_whole_table() {
    let app = spawn_app().await;
    let recorder = Recorder::open(&app).await;
    let passwords = Passwords::new(1);
    let volunteer = |email: &str| NewVolunteer {
        email: EmailAddress::parse(email).unwrap(),
        password: "une phrase de passe solide".into(),
        details: VolunteerDetails {
            prenom: FirstName::parse("Karim").unwrap(),
            nom: None,
            commune_insee: REIMS.insee.into(),
            departement: REIMS.departement.into(),
            latitude: REIMS.lat,
            longitude: REIMS.lon,
            rayon_km: 10,
            modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
            categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
            langues: Vec::new(),
            max_demandes: 2,
            disponibilites: "Le soir".into(),
        },
    };
    sign_up(
        &recorder.db,
        &app.config,
        &passwords,
        volunteer("avant@example.org"),
    )
    .await
    .unwrap();
    recorder.clear();

    sign_up(
        &recorder.db,
        &app.config,
        &passwords,
        volunteer("karim@example.org"),
    )
    .await
    .unwrap();
    assert_flat("signing up", recorder.whole_table_reads().await);

    // The same address again (its owner is told by e-mail instead).
    sign_up(
        &recorder.db,
        &app.config,
        &passwords,
        volunteer("karim@example.org"),
    )
    .await
    .unwrap();
    assert_flat(
        "signing up with a known address",
        recorder.whole_table_reads().await,
    );
}

#[tokio::test]
async fn accepting_a_proposal_reads_no_whole_table() {
    let app = spawn_app().await;
    let volunteer = add_volunteer(&app, Volunteer::default()).await;
    let (request, _) = kit::file_and_open(&app, &kit::new_request(REIMS)).await;
    let offer = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::VolunteerId.eq(volunteer.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the volunteer was asked");
    let recorder = Recorder::open(&app).await;

    let won = answers::accept(&recorder.db, &app.config, offer.id, volunteer.id)
        .await
        .unwrap();

    assert_eq!(won, answers::Acceptance::Won);
    assert_flat("accepting a proposal", recorder.whole_table_reads().await);
}

#[tokio::test]
async fn a_moderators_validation_reads_no_whole_table() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let staff = moderator_of(&app, marne.id).await;
    // Enough volunteers near the person for a full round: the search then stops at the rings
    // around them. (With fewer in the whole country within reach, a telephone request's last ring
    // reads every available volunteer: the matching benchmark measures that search.)
    let round = app.config.matching.proposals_per_round as usize;
    for _ in 0..round {
        add_volunteer(&app, Volunteer::default()).await;
    }
    let filed = kit::file(&app, &kit::new_request(REIMS)).await;
    let recorder = Recorder::open(&app).await;

    let outcome = actions::validate(&recorder.db, &app.config, &staff, filed.request.id).await;

    assert!(outcome.is_ok(), "the request is validated: {outcome:?}");
    assert_flat("validating a request", recorder.whole_table_reads().await);
    // It went on to matching, which asked the volunteers.
    let asked = kit::proposals_of(&app, filed.request.id).await;
    assert_eq!(asked.len(), round);
}
