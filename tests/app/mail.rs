use std::collections::HashSet;
use std::time::Duration;

use chrono::Utc;
use entity::outbox_email;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::mail::{self, TestEmail, outbox};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};

use crate::helpers::{
    TestApp, TestDatabase, spawn_app, spawn_app_with, spawn_app_with_workers, test_config,
};
use crate::mailbox::SmtpSink;

fn test_email() -> TestEmail {
    TestEmail {
        requested_at: "lundi 23 novembre à 9 h".into(),
    }
}

async fn queue(app: &TestApp, to: &str, key: &str) {
    mail::send_later(&app.db, &app.config, to, &test_email(), key)
        .await
        .unwrap();
}

async fn rows(app: &TestApp) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find().all(&app.db).await.unwrap()
}

/// Delivers what is due, then checks that every e-mail was sent, and returns the rows.
async fn send_all(app: &TestApp) -> Vec<outbox_email::Model> {
    app.drain_outbox().await;
    let rows = rows(app).await;
    assert!(
        rows.iter().all(|r| r.status == outbox::SENT),
        "not all e-mails were sent: {:?}",
        rows.iter()
            .map(|r| (&r.status, &r.last_error))
            .collect::<Vec<_>>()
    );
    rows
}

#[tokio::test]
async fn an_email_crosses_a_real_smtp_server_intact() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| c.mail.smtp_url = Some(sink.url())).await;
    queue(&app, "marie.dupont@example.org", "round-trip").await;

    assert_eq!(app.drain_outbox().await, 1);
    let received = sink.received();
    assert_eq!(received.len(), 1);
    let email = &received[0];
    assert_eq!(email.to, "marie.dupont@example.org");
    assert_eq!(email.from, "ne-pas-repondre@localhost");
    assert_eq!(email.subject, "Essai d'envoi d'e-mail — Entraide");
    assert!(
        email.text.contains("accents (é, è, à, ç, œ) compris"),
        "{}",
        email.text
    );
    assert!(email.text.contains("Vous recevez cet e-mail parce qu"));
    assert!(email.html.contains(r#"<html lang="fr">"#));
    assert!(email.html.contains("accents (é, è, à, ç, œ) compris"));
    assert!(
        email
            .header("content-type")
            .unwrap()
            .starts_with("multipart/alternative")
    );
    assert!(email.header("date").is_some());

    let rows = send_all(&app).await;
    assert_eq!(
        format!("<{}>", email.message_id),
        rows[0].message_id,
        "the stored Message-ID is the one sent"
    );
    assert!(rows[0].sent_at.is_some());
}

#[tokio::test]
async fn without_smtp_emails_are_written_to_the_mail_folder() {
    let app = spawn_app().await;
    queue(&app, "jean@example.org", "folder").await;
    let email = app
        .mailbox
        .delivered("jean@example.org", |e| e.subject.starts_with("Essai"))
        .await;
    assert!(email.text.contains("lundi 23 novembre à 9 h"));
    assert!(email.html.contains("lundi 23 novembre à 9 h"));
    send_all(&app).await;
}

#[tokio::test]
async fn nothing_is_lost_while_the_smtp_server_is_down_and_nothing_is_sent_twice() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse().unwrap());
        // Retried at once when due again: the test drains the outbox itself.
        c.mail.retry_base = Duration::ZERO;
    })
    .await;
    for n in 0..3 {
        queue(
            &app,
            &format!("personne{n}@example.org"),
            &format!("down-{n}"),
        )
        .await;
    }

    // The server is down: every e-mail fails once and waits for its next attempt.
    assert_eq!(app.drain_outbox().await, 0);
    let waiting = rows(&app).await;
    assert!(
        waiting
            .iter()
            .all(|r| r.status == outbox::PENDING && r.last_error.is_some()),
        "{waiting:?}"
    );

    let sink = SmtpSink::start_on_port(port);
    send_all(&app).await;
    assert_eq!(app.drain_outbox().await, 0, "nothing left to send");
    let received = sink.received();
    assert_eq!(received.len(), 3, "each e-mail arrives once");
    let ids: HashSet<_> = received.iter().map(|e| e.message_id.clone()).collect();
    assert_eq!(ids.len(), 3);
}

#[tokio::test]
async fn an_email_exists_only_if_its_transaction_commits() {
    let app = spawn_app().await;
    let txn = app.db.begin().await.unwrap();
    mail::send_later(
        &txn,
        &app.config,
        "a@example.org",
        &test_email(),
        "rolled-back",
    )
    .await
    .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(
        outbox_email::Entity::find().count(&app.db).await.unwrap(),
        0
    );

    let txn = app.db.begin().await.unwrap();
    mail::send_later(
        &txn,
        &app.config,
        "a@example.org",
        &test_email(),
        "committed",
    )
    .await
    .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(
        outbox_email::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn one_event_yields_one_email() {
    let app = spawn_app().await;
    assert!(
        mail::send_later(
            &app.db,
            &app.config,
            "a@example.org",
            &test_email(),
            "event-1"
        )
        .await
        .unwrap()
    );
    assert!(
        !mail::send_later(
            &app.db,
            &app.config,
            "a@example.org",
            &test_email(),
            "event-1"
        )
        .await
        .unwrap()
    );
    assert_eq!(
        outbox_email::Entity::find().count(&app.db).await.unwrap(),
        1
    );
}

#[tokio::test]
async fn with_workers_off_the_web_instance_sends_nothing() {
    let app = spawn_app_with(|c| c.workers = false).await;
    queue(&app, "a@example.org", "no-worker").await;
    // The subject is the real worker loop (or its absence): let several of its periods pass.
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(app.mailbox.all().is_empty());
    assert_eq!(rows(&app).await[0].status, outbox::PENDING);
}

#[tokio::test]
async fn with_workers_on_the_app_sends_by_itself() {
    let app = spawn_app_with_workers(|_| {}).await;
    queue(&app, "a@example.org", "worker-loop").await;
    // The subject is the real worker loop: poll the outbox (50 ms period) with a deadline.
    for _ in 0..200 {
        if rows(&app).await[0].status == outbox::SENT {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(rows(&app).await[0].status, outbox::SENT);
    assert_eq!(app.mailbox.all().len(), 1);
}

#[tokio::test]
async fn two_workers_never_send_the_same_email() {
    let sink = SmtpSink::start();
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(sink.url());
        c.mail.batch_size = 7;
    })
    .await;
    for n in 0..120 {
        queue(&app, &format!("p{n}@example.org"), &format!("many-{n}")).await;
    }
    let worker = || {
        OutboxWorker::new(
            app.db.clone(),
            Transport::from_config(&app.config.mail).unwrap(),
            app.config.mail.clone(),
        )
    };
    let (a, b) = (worker(), worker());
    let (ra, rb) = tokio::join!(a.drain(), b.drain());
    let (ra, rb) = (ra.unwrap(), rb.unwrap());
    assert_eq!(ra.sent + rb.sent, 120);
    assert_eq!(ra.failed + rb.failed, 0);

    let received = sink.received();
    let received_ids: Vec<_> = received.iter().map(|e| e.message_id.clone()).collect();
    let unique: HashSet<_> = received_ids.iter().collect();
    assert_eq!(received_ids.len(), 120, "no e-mail sent twice");
    assert_eq!(unique.len(), 120);
    assert!(
        rows(&app)
            .await
            .iter()
            .all(|r| r.status == outbox::SENT && r.attempts == 1)
    );
}

#[tokio::test]
async fn an_email_held_by_a_dead_worker_is_taken_again_after_its_lease() {
    let app = spawn_app().await;
    queue(&app, "a@example.org", "lease").await;
    let now = Utc::now();
    let claimed = outbox::claim(&app.db, "dead-worker", 10, Duration::from_secs(60), 5, now)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let still_leased = now + chrono::Duration::seconds(59);
    assert!(
        outbox::claim(
            &app.db,
            "other",
            10,
            Duration::from_secs(60),
            5,
            still_leased
        )
        .await
        .unwrap()
        .is_empty(),
        "leased"
    );

    // The dead worker never confirmed: once its lease has run out, another worker takes it.
    let after_lease = now + chrono::Duration::seconds(61);
    let taken = outbox::claim(
        &app.db,
        "other",
        10,
        Duration::from_secs(60),
        5,
        after_lease,
    )
    .await
    .unwrap();
    assert_eq!(taken.len(), 1);
    assert_eq!(taken[0].id, claimed[0].id);
    assert_eq!(taken[0].attempts, 2, "the dead worker's attempt counts");
    assert_eq!(taken[0].status, outbox::SENDING);
}

#[tokio::test]
async fn an_email_fails_after_its_last_attempt_and_can_be_requeued() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| {
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{port}").parse().unwrap());
        c.mail.max_attempts = 2;
        c.mail.retry_base = Duration::ZERO;
    })
    .await;
    queue(&app, "a@example.org", "fails").await;
    let worker = OutboxWorker::new(
        app.db.clone(),
        Transport::from_config(&app.config.mail).unwrap(),
        app.config.mail.clone(),
    );
    for _ in 0..3 {
        worker.drain().await.unwrap();
    }
    let row = &rows(&app).await[0];
    assert_eq!(row.status, outbox::FAILED);
    assert_eq!(row.attempts, 2);
    assert!(
        row.last_error
            .as_deref()
            .unwrap_or_default()
            .contains("SMTP")
    );
    assert_eq!(
        outbox::counts(&app.db).await.unwrap(),
        vec![("failed".to_owned(), 1)]
    );

    assert_eq!(outbox::retry_failed(&app.db).await.unwrap().queued, 1);
    let row = &rows(&app).await[0];
    assert_eq!((row.status, row.attempts), (outbox::PENDING, 0));
}

#[tokio::test]
async fn operators_queue_a_test_email_and_read_the_outbox_from_the_command_line() {
    let database = TestDatabase::create().await;
    let mail_dir = tempfile::tempdir().unwrap();
    let config = test_config(&database, mail_dir.path());
    let run = |args: &[&str]| {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_entraide"))
            .args(args)
            .env("DATABASE_URL", &config.database_url)
            .env("MAIL_DIR", mail_dir.path())
            .env("RUST_LOG", "warn")
            .output()
            .expect("the command runs");
        assert!(
            output.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(
        run(&["mail", "test", "--to", "ops@example.org"]).contains("queued for ops@example.org")
    );
    assert!(run(&["mail", "status"]).contains("pending: 1"));

    let db = entraide::db::connect(&config.database_url, 1)
        .await
        .unwrap();
    outbox_email::Entity::update_many()
        .col_expr(
            outbox_email::Column::Status,
            sea_orm::sea_query::Expr::value("failed"),
        )
        .col_expr(
            outbox_email::Column::LastError,
            sea_orm::sea_query::Expr::value("550 Mailbox unavailable"),
        )
        .filter(outbox_email::Column::Recipient.eq("ops@example.org"))
        .exec(&db)
        .await
        .unwrap();
    let status = run(&["mail", "status"]);
    assert!(status.contains("failed: 1"), "{status}");
    assert!(status.contains("550 Mailbox unavailable"), "{status}");
    assert!(run(&["mail", "retry"]).contains("1 failed e-mail(s) queued again"));
    assert!(run(&["mail", "status"]).contains("pending: 1"));
    db.close().await.unwrap();
}
