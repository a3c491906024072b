//! Issue 15, points 5 and 7f: the outbox keeps no working link once an e-mail is sent (or failed),
//! retrying a failed e-mail still delivers working links, sent e-mails are deleted after
//! OUTBOX_KEEP_DAYS, and delivery errors are stored and logged without the recipient's address.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::StatusCode;
use chrono::Utc;
use entity::{help_request, outbox_email, proposal};
use entraide::config::{MailConfig, SecretKey};
use entraide::mail::secrets::LinkKey;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::mail::{self, TestEmail, outbox, outcome};
use entraide::matching::rounds;
use entraide::requests::Actor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use tracing::instrument::WithSubscriber;

use crate::accounts::{PASSWORD, account_of, log_in, sign_up, signup_form, verified_volunteer};
use crate::admin::log_out;
use crate::helpers::{TestApp, spawn_app_with};
use crate::mailbox::ReceivedEmail;
use crate::staff::{add_organisation, logged_in_admin};

/// The pages a link token opens.
const TOKEN_ROUTES: [&str; 5] = [
    "/verifier-email/",
    "/mot-de-passe/",
    "/invitation/",
    "/suivi/",
    "/avis/",
];

fn worker(app: &TestApp, mail: MailConfig) -> OutboxWorker {
    OutboxWorker::new(app.db.clone(), Transport::from_config(&mail).unwrap(), mail)
}

/// Sends every due e-mail, and waits until the app's own workers (if any) are done too.
async fn send_all(app: &TestApp) -> Vec<outbox_email::Model> {
    worker(app, app.config.mail.clone()).drain().await.unwrap();
    for _ in 0..200 {
        let rows = rows(app).await;
        if rows.iter().all(|r| r.status == outbox::SENT) {
            return rows;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("not all e-mails were sent: {:?}", rows(app).await);
}

async fn rows(app: &TestApp) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find().all(&app.db).await.unwrap()
}

/// The one e-mail to Josette, the citizen.
async fn josettes_email(app: &TestApp) -> outbox_email::Model {
    let mut rows = outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq("josette@exemple.fr"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

/// The runs of 32 or more hexadecimal characters in `text`.
fn hex_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= 32)
        .map(str::to_owned)
        .collect()
}

/// The paths of the links to the site holding a token in an e-mail's text.
fn token_links(email: &ReceivedEmail) -> Vec<String> {
    email
        .text
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("http://localhost:3000"))
        .filter(|path| !hex_runs(path).is_empty())
        .map(str::to_owned)
        .collect()
}

/// Asserts that none of the values a stored row holds opens a page when used as a link token.
async fn assert_no_token_opens_a_page(app: &TestApp, row: &outbox_email::Model) {
    let stored = format!("{row:?}");
    let candidates = stored
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|word| word.len() >= 20);
    for candidate in candidates {
        for route in TOKEN_ROUTES {
            let response = app.server.get(&format!("{route}{candidate}")).await;
            assert!(
                response.status_code().is_client_error(),
                "{route}{candidate}, stored in e-mail {} ({}), opens a page: {}",
                row.id,
                row.kind,
                response.status_code()
            );
        }
    }
}

/// A citizen's request in Paris 16e by telephone about e-mail, which the sign-up form's volunteers
/// fit; returns its follow-up path.
async fn citizen_request(app: &TestApp) -> String {
    let page = app.server.get("/demande").await.text();
    let marker = r#"name="debut" value=""#;
    let start = page.find(marker).expect("a time stamp") + marker.len();
    let stamp = page[start..].split('"').next().unwrap().to_owned();
    let form = [
        ("categories", "email"),
        ("description", "Ouvrir les photos que ma fille m'envoie"),
        ("modes", "telephone"),
        ("commune", "75016"),
        ("prenom", "Josette"),
        ("email", "josette@exemple.fr"),
        ("telephone", "01 45 00 00 00"),
        ("langue", ""),
        ("consentement", "oui"),
        ("site_web", ""),
        ("debut", &stamp),
    ];
    let response = app.server.post("/demande").form(&form).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let location = response.header("location").to_str().unwrap().to_owned();
    location.trim_end_matches("?bienvenue=1").to_owned()
}

#[tokio::test]
async fn once_sent_the_outbox_holds_no_link_that_opens_a_page() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    // A verified volunteer who forgets their password, and one who has not confirmed yet.
    verified_volunteer(&app, "paul@exemple.fr").await;
    sign_up(&app, &signup_form("marie@exemple.fr"))
        .await
        .assert_status_ok();
    app.server
        .post("/mot-de-passe-oublie")
        .form(&[("email", "paul@exemple.fr")])
        .await
        .assert_status_ok();
    // An admin invites a moderator.
    let organisation = add_organisation(&app, "Marne Solidaire", "51", false).await;
    logged_in_admin(&app).await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &organisation.id.to_string()),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_out(&app).await;
    // A citizen asks for help; the request is proposed to Paul, who takes it; the citizen says
    // it is solved and is asked for an opinion.
    let follow = citizen_request(&app).await;
    let request = help_request::Entity::find().one(&app.db).await.unwrap().unwrap();
    rounds::open_request(&app.db, &app.config, &request, Actor::Admin, None)
        .await
        .unwrap();
    let paul = account_of(&app, "paul@exemple.fr").await.unwrap();
    let offer = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(paul.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal to Paul");
    log_in(&app, "paul@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", offer.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_out(&app).await;
    app.server
        .post(&format!("{follow}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let stored = send_all(&app).await;
    let delivered = app.mailbox.all();
    let link = |to: &str, route: &str| {
        delivered
            .iter()
            .filter(|e| e.to == to)
            .flat_map(token_links)
            .find(|path| path.starts_with(route))
            .unwrap_or_else(|| panic!("a {route} link delivered to {to}"))
    };
    let links = [
        link("marie@exemple.fr", "/verifier-email/"),
        link("paul@exemple.fr", "/mot-de-passe/"),
        link("julie@exemple.fr", "/invitation/"),
        link("josette@exemple.fr", "/suivi/"),
        link("josette@exemple.fr", "/avis/"),
    ];
    assert!(
        delivered.iter().any(|e| e.to == "paul@exemple.fr"
            && e.text.contains(&format!("/benevole/propositions/{}", offer.id))),
        "the proposal reached Paul"
    );

    // Every delivered token is missing from every column of every row, and nothing stored opens
    // a page; sent rows keep no sealed secrets, only placeholders.
    let tokens: Vec<String> = delivered
        .iter()
        .flat_map(|e| hex_runs(&format!("{} {}", e.text, e.html)))
        .collect();
    assert!(tokens.len() >= links.len());
    for row in &stored {
        let all = format!("{row:?}");
        for token in &tokens {
            assert!(!all.contains(token.as_str()), "a token stays in {all}");
        }
        assert_eq!(row.link_secrets, None, "{}", row.kind);
        assert_no_token_opens_a_page(&app, row).await;
    }
    let reset = stored.iter().find(|r| r.kind == "reset_password").unwrap();
    assert!(reset.body_text.contains("/mot-de-passe/[lien retiré "));
    assert!(reset.body_html.contains("/mot-de-passe/[lien retiré "));
    assert_eq!(reset.recipient, "paul@exemple.fr");

    // The delivered links work (the confirmation, used up on opening, last).
    for path in &links[1..] {
        app.server.get(path).await.assert_status_ok();
    }
    let confirmed = app.server.get(&links[0]).await;
    confirmed.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(confirmed.header("location"), "/connexion");
}

/// A closed local port: SMTP connections to it fail.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_failed_email_keeps_its_link_sealed_and_a_retry_delivers_a_working_link() {
    let port = closed_port();
    let app = spawn_app_with(|c| {
        c.workers = false;
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse().unwrap());
        c.mail.max_attempts = 1;
    })
    .await;
    let follow = citizen_request(&app).await;
    let token = follow.trim_start_matches("/suivi/").to_owned();
    let report = worker(&app, app.config.mail.clone()).drain().await.unwrap();
    assert_eq!(report.failed, 1);

    let failed = josettes_email(&app).await;
    assert_eq!(failed.status, outbox::FAILED);
    assert!(failed.link_secrets.is_some(), "kept sealed for a retry");
    assert!(!format!("{failed:?}").contains(&token));
    assert!(hex_runs(&format!("{failed:?}")).is_empty(), "{failed:?}");
    assert_no_token_opens_a_page(&app, &failed).await;

    // The mail server is back (here: the folder); an operator retries.
    assert_eq!(outbox::retry_failed(&app.db).await.unwrap(), 1);
    let mut working = app.config.mail.clone();
    working.smtp_url = None;
    assert_eq!(worker(&app, working).drain().await.unwrap().sent, 1);
    let email = app
        .mailbox
        .wait_for("josette@exemple.fr", |e| e.text.contains("/suivi/"))
        .await;
    let links = token_links(&email);
    assert!(links.contains(&follow), "{links:?}");
    app.server.get(&follow).await.assert_status_ok();
    let sent = josettes_email(&app).await;
    assert_eq!((sent.status.as_str(), sent.link_secrets), (outbox::SENT, None));
}

#[tokio::test]
async fn an_email_queued_under_another_secret_key_fails_instead_of_sending_dead_links() {
    let app = spawn_app_with(|c| c.workers = false).await;
    let follow = citizen_request(&app).await;

    let mut restarted = app.config.mail.clone();
    restarted.link_key = LinkKey::derive(&SecretKey::from_bytes(vec![7; 32]));
    let report = worker(&app, restarted).drain().await.unwrap();
    assert_eq!((report.sent, report.failed), (0, 1));
    assert!(app.mailbox.all().is_empty(), "no e-mail with dead links");
    let row = josettes_email(&app).await;
    assert_eq!(row.status, outbox::FAILED, "no use trying again");
    let error = row.last_error.unwrap();
    assert!(error.contains("SECRET_KEY"), "{error}");
    assert!(!error.contains('@'), "{error}");

    // With the right key again, a retry delivers the working link.
    outbox::retry_failed(&app.db).await.unwrap();
    assert_eq!(worker(&app, app.config.mail.clone()).drain().await.unwrap().sent, 1);
    let email = &app.mailbox.all()[0];
    assert!(token_links(email).contains(&follow));
    app.server.get(&follow).await.assert_status_ok();
}

async fn queue_test_email(app: &TestApp, key: &str) {
    let email = TestEmail {
        requested_at: "lundi".into(),
    };
    mail::send_later(&app.db, &app.config, "ops@example.org", &email, key)
        .await
        .unwrap();
}

#[tokio::test]
async fn sent_emails_are_deleted_after_outbox_keep_days() {
    let app = spawn_app_with(|c| c.workers = false).await;
    queue_test_email(&app, "first").await;
    queue_test_email(&app, "second").await;
    send_all(&app).await;
    queue_test_email(&app, "still-waiting").await;
    let keep = app.config.mail.keep_days;
    assert_eq!(keep, 30);

    let almost = Utc::now() + chrono::Duration::days(i64::from(keep) - 1);
    assert_eq!(outcome::delete_sent(&app.db, almost, keep).await.unwrap(), 0);
    let later = Utc::now() + chrono::Duration::days(i64::from(keep) + 1);
    assert_eq!(outcome::delete_sent(&app.db, later, keep).await.unwrap(), 2);
    let left = rows(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].dedupe_key.as_str(), left[0].status.as_str()),
        ("still-waiting", outbox::PENDING)
    );
}

/// An SMTP server refusing every recipient, naming them in its answer as real servers do.
#[derive(Clone)]
struct RefusesRecipients;

impl mailin_embedded::Handler for RefusesRecipients {
    fn rcpt(&mut self, to: &str) -> mailin_embedded::Response {
        mailin_embedded::Response::custom(
            550,
            format!("5.1.1 <{to}>: Recipient address rejected: user {to} unknown"),
        )
    }
}

/// Log lines written by a test's own subscriber.
#[derive(Clone, Default)]
struct Logs(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Logs {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Logs {
    type Writer = Logs;

    fn make_writer(&'a self) -> Logs {
        self.clone()
    }
}

#[tokio::test]
async fn a_refused_recipient_is_neither_stored_nor_logged_in_the_delivery_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut server = mailin_embedded::Server::new(RefusesRecipients);
    server
        .with_name("refuse.test")
        .with_num_threads(8)
        .with_tcp_listener(listener);
    std::thread::spawn(move || {
        let _ = server.serve();
    });
    let app = spawn_app_with(|c| {
        c.workers = false;
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse().unwrap());
    })
    .await;
    let email = TestEmail {
        requested_at: "lundi".into(),
    };
    mail::send_later(&app.db, &app.config, "Marie.Dupont@example.org", &email, "refused")
        .await
        .unwrap();

    let logs = Logs::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .with_max_level(tracing::Level::INFO)
        .finish();
    let report = worker(&app, app.config.mail.clone())
        .drain()
        .with_subscriber(subscriber)
        .await
        .unwrap();
    assert_eq!(report.failed, 1);

    let row = rows(&app).await.remove(0);
    let error = row.last_error.unwrap();
    assert!(error.contains("550"), "the server's answer stays: {error}");
    assert!(error.contains("[adresse masquée]"), "{error}");
    assert!(!error.contains('@'), "{error}");
    assert!(!error.to_lowercase().contains("marie.dupont"), "{error}");
    let logged = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(logged.contains("e-mail not delivered"), "{logged}");
    assert!(logged.contains("550"), "{logged}");
    assert!(!logged.contains('@'), "{logged}");
}
