//! Several instances on one database, as in production: two `entraide serve` processes with
//! `WORKERS=false` behind a proxy, and `entraide worker` processes doing the background work.
//! Sessions, limits, e-mails and periodic jobs must behave as if there were one. The first test
//! runs real processes (their delivery is awaited with a deadline); the periodic jobs' share is
//! checked with a clock the test moves.

use std::process::Command;
use std::time::{Duration, Instant};

use chrono::{TimeZone, Utc};
use entity::job_lease;
use entraide::jobs::{self, Job};
use regex::Regex;
use reqwest::StatusCode;
use reqwest::redirect::Policy;
use sea_orm::{Database, DatabaseConnection, EntityTrait};

use crate::accounts::PASSWORD;
use crate::helpers::{MailFolder, TestDatabase, spawn_app};
use crate::logs::service::Service;
use crate::requests::valid_form;

/// Shared by every instance, as it must be in production.
const SECRET_KEY: &str = "a-secret-key-shared-by-every-instance-0123456789";
const ADMIN: &str = "admin.instances@example.org";

/// Starts `command` on the shared database and mail folder.
fn spawn(command: &str, database: &TestDatabase, mail: &std::path::Path) -> Service {
    Service::spawn(
        command,
        &database.url(),
        tempfile::tempdir().unwrap(),
        &[
            ("SECRET_KEY", SECRET_KEY),
            ("MAIL_DIR", mail.to_str().unwrap()),
            ("WORKERS", "false"),
            ("PUBLIC_FORMS_PER_IP_PER_HOUR", "3"),
            ("REQUESTS_PER_IP_PER_HOUR", "100"),
            ("SESSION_CLEANUP_SECONDS", "1"),
        ],
    )
}

/// The session cookie (`name=value`) a response sets.
fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .next()
        .expect("a session cookie")
}

/// Creates an admin with the command line and chooses their password on `web`.
async fn admin_with_password(client: &reqwest::Client, database: &TestDatabase, web: &Service) {
    let output = Command::new(env!("CARGO_BIN_EXE_entraide"))
        .args(["admin", "create", "--email", ADMIN])
        .env_clear()
        .env("DATABASE_URL", database.url())
        .env("SECRET_KEY", SECRET_KEY)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "admin create failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let printed = String::from_utf8(output.stdout).unwrap();
    let path = Regex::new(r"/invitation/[0-9a-f]+")
        .unwrap()
        .find(&printed)
        .unwrap()
        .as_str()
        .to_owned();
    let chosen = client
        .post(format!("{}{path}", web.base))
        .form(&[("password", PASSWORD), ("password_confirm", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(chosen.status(), StatusCode::SEE_OTHER, "{}", web.logs());
}

/// Files a help request through `web`'s form, as a citizen whose address is `email`.
async fn file_request(client: &reqwest::Client, web: &Service, email: &str) {
    let page = client
        .get(format!("{}/demande", web.base))
        .send()
        .await
        .unwrap();
    let page = page.text().await.unwrap();
    let stamp = Regex::new(r#"name="debut" value="([^"]+)""#)
        .unwrap()
        .captures(&page)
        .unwrap()[1]
        .to_owned();
    let mut form = valid_form(&stamp);
    for field in form.iter_mut().filter(|(name, _)| *name == "email") {
        field.1 = email.to_owned();
    }
    let filed = client
        .post(format!("{}/demande", web.base))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER, "{}", web.logs());
}

/// Waits until no e-mail is left to send.
async fn outbox_empties(db: &DatabaseConnection) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let counts = entraide::mail::outbox::counts(db).await.unwrap();
        let sent = entraide::mail::outbox::SENT.slug();
        if counts.iter().all(|(status, _)| status == sent) {
            return;
        }
        assert!(Instant::now() < deadline, "e-mails left unsent: {counts:?}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn two_web_instances_and_two_workers_behave_as_one_service() {
    let database = TestDatabase::create().await;
    let mail_dir = tempfile::tempdir().unwrap();
    // Both web instances start at once: they take turns applying the migrations.
    let mut a = spawn("serve", &database, mail_dir.path());
    let mut b = spawn("serve", &database, mail_dir.path());
    a.wait_until_listening();
    b.wait_until_listening();
    let client = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()
        .unwrap();

    // A session opened on one instance is valid on the other.
    admin_with_password(&client, &database, &a).await;
    let login = client
        .post(format!("{}/connexion", b.base))
        .form(&[("email", ADMIN), ("password", PASSWORD), ("suivant", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::SEE_OTHER, "{}", b.logs());
    let cookie = session_cookie(&login);
    for web in [&a, &b] {
        let page = client
            .get(format!("{}/admin", web.base))
            .header("cookie", &cookie)
            .send()
            .await
            .unwrap();
        assert_eq!(
            page.status(),
            StatusCode::OK,
            "the session works on {}",
            web.base
        );
    }

    // The public forms' limit (3 an hour here) is one count for both instances.
    for (n, web) in [&a, &b, &a, &b].into_iter().enumerate() {
        let asked = client
            .post(format!("{}/mot-de-passe-oublie", web.base))
            .form(&[("email", "quelqu.un@example.org")])
            .send()
            .await
            .unwrap();
        let expected = if n < 3 {
            StatusCode::OK
        } else {
            StatusCode::TOO_MANY_REQUESTS
        };
        assert_eq!(
            asked.status(),
            expected,
            "submission {} on {}",
            n + 1,
            web.base
        );
    }

    // Requests filed on either instance are confirmed once each, whichever worker sends.
    let citizens: Vec<String> = (0..6).map(|n| format!("citoyen{n}@example.org")).collect();
    for (n, email) in citizens.iter().enumerate() {
        file_request(&client, if n % 2 == 0 { &a } else { &b }, email).await;
    }
    // Two workers start on the backlog (and the periodic jobs) together.
    let workers = [
        spawn("worker", &database, mail_dir.path()),
        spawn("worker", &database, mail_dir.path()),
    ];
    let db = Database::connect(database.url()).await.unwrap();
    outbox_empties(&db).await;
    let mail = MailFolder::of_process(mail_dir.path().to_path_buf());
    for email in &citizens {
        let received: Vec<_> = mail
            .all()
            .into_iter()
            .filter(|e| e.to.contains(email.as_str()) && e.subject.contains("bien enregistrée"))
            .collect();
        assert_eq!(received.len(), 1, "{email} is confirmed exactly once");
    }

    db.close().await.ok();
    for worker in workers {
        worker.stop();
    }
    a.stop();
    b.stop();
}

#[tokio::test]
async fn each_periodic_job_runs_once_per_period_among_all_workers() {
    let app = spawn_app().await;
    let hour = Duration::from_secs(3600);
    let job = Job::SessionCleanup;
    let start = Utc.with_ymd_and_hms(2026, 11, 30, 10, 0, 5).unwrap();
    let claim = |owner: &'static str, at: chrono::DateTime<Utc>| {
        let db = app.db.clone();
        async move { jobs::claim(&db, job, hour, owner, at).await.unwrap() }
    };
    // Two workers wake up in the same hour: the first runs the job, the second does not.
    assert!(claim("worker-a", start).await);
    assert!(!claim("worker-b", start + chrono::Duration::minutes(20)).await);
    assert!(!claim("worker-a", start + chrono::Duration::minutes(59)).await);
    // The next hour (counted from the epoch, so both agree), whoever asks first runs it.
    assert!(claim("worker-b", start + chrono::Duration::minutes(60)).await);
    assert!(!claim("worker-a", start + chrono::Duration::minutes(61)).await);
    let lease = job_lease::Entity::find_by_id(job.name().to_owned())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((lease.runs, lease.owner.as_str()), (2, "worker-b"));
}
