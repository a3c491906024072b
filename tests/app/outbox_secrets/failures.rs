//! Failed deliveries: sealed links survive for a retry, a changed SECRET_KEY fails clearly, and
//! refused recipients stay out of stored errors and logs.

use std::sync::{Arc, Mutex};

use entraide::config::SecretKey;
use entraide::mail::secrets::LinkKey;
use tracing::instrument::WithSubscriber;

use super::*;

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
    assert_eq!(outbox::retry_failed(&app.db).await.unwrap().queued, 1);
    let mut working = app.config.mail.clone();
    working.smtp_url = None;
    assert_eq!(worker(&app, working).drain().await.unwrap().sent, 1);
    let email = app
        .mailbox
        .delivered("josette@exemple.fr", |e| e.text.contains("/suivi/"))
        .await;
    let links = token_links(&email);
    assert!(links.contains(&follow), "{links:?}");
    app.server.get(&follow).await.assert_status_ok();
    let sent = josettes_email(&app).await;
    assert_eq!((sent.status, sent.link_secrets), (outbox::SENT, None));
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
    assert_eq!(outbox::retry_failed(&app.db).await.unwrap().queued, 1);
    assert_eq!(
        worker(&app, app.config.mail.clone())
            .drain()
            .await
            .unwrap()
            .sent,
        1
    );
    let email = &app.mailbox.all()[0];
    assert!(token_links(email).contains(&follow));
    app.server.get(&follow).await.assert_status_ok();
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
    mail::send_later(
        &app.db,
        &app.config,
        "Marie.Dupont@example.org",
        &email,
        "refused",
    )
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
