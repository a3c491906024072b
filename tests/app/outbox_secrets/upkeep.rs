//! The outbox over time: sent e-mails deleted after OUTBOX_KEEP_DAYS, and e-mails queued before
//! sealing existed losing their links.

use chrono::Utc;
use migration::{Migrator, MigratorTrait};
use sea_orm::Set;

use super::*;

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
    assert_eq!(
        outcome::delete_sent(&app.db, almost, keep).await.unwrap(),
        0
    );
    let later = Utc::now() + chrono::Duration::days(i64::from(keep) + 1);
    assert_eq!(outcome::delete_sent(&app.db, later, keep).await.unwrap(), 2);
    let left = rows(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!(
        (left[0].dedupe_key.as_str(), left[0].status),
        ("still-waiting", outbox::PENDING)
    );
}

#[tokio::test]
async fn a_backlog_of_old_sent_emails_is_deleted_in_batches_to_the_last() {
    let app = spawn_app_with(|c| c.workers = false).await;
    let count = 2 * entraide::outbox_claim::DELETE_BATCH as usize + 3;
    let keys: Vec<String> = (0..count).map(|n| format!("old-{n}")).collect();
    for chunk in keys.chunks(500) {
        outbox_email::Entity::insert_many(
            chunk
                .iter()
                .map(|key| legacy_row(key, outbox::SENT, "sent long ago")),
        )
        .exec_without_returning(&app.db)
        .await
        .unwrap();
    }
    queue_test_email(&app, "still-waiting").await;

    let keep = app.config.mail.keep_days;
    let later = Utc::now() + chrono::Duration::days(i64::from(keep) + 1);
    assert_eq!(
        outcome::delete_sent(&app.db, later, keep).await.unwrap(),
        count as u64
    );
    let left = rows(&app).await;
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].dedupe_key, "still-waiting");
}

/// A row as the outbox held it before link secrets were sealed: `body` in both parts.
fn legacy_row(key: &str, status: outbox::OutboxStatus, body: &str) -> outbox_email::ActiveModel {
    let now = Utc::now();
    outbox_email::ActiveModel {
        kind: Set("reset_password".into()),
        recipient: Set(format!("{key}@exemple.fr")),
        subject: Set("Choisissez un nouveau mot de passe".into()),
        body_text: Set(body.into()),
        body_html: Set(format!("<a href=\"{body}\">{body}</a>")),
        headers: Set("[]".into()),
        message_id: Set(format!("<{key}@localhost>")),
        dedupe_key: Set(key.into()),
        status: Set(status),
        attempts: Set(0),
        next_attempt_at: Set(now),
        created_at: Set(now),
        sent_at: Set((status == outbox::SENT).then_some(now)),
        ..Default::default()
    }
}

#[tokio::test]
async fn emails_queued_before_the_upgrade_lose_their_links_once_sent() {
    let app = spawn_app_with(|c| c.workers = false).await;
    // Back to the schema before link secrets, with one e-mail sent and one waiting.
    let all = Migrator::migrations();
    let position = all
        .iter()
        .position(|m| m.name() == "m20261130_000080_outbox_link_secrets")
        .unwrap();
    Migrator::down(&app.db, Some((all.len() - position) as u32))
        .await
        .unwrap();
    let (old, waiting) = ("ab".repeat(32), "cd".repeat(32));
    for (key, status, token) in [
        ("old", outbox::SENT, &old),
        ("waiting", outbox::PENDING, &waiting),
    ] {
        let body = format!("http://localhost:3000/mot-de-passe/{token}");
        outbox_email::Entity::insert(legacy_row(key, status, &body))
            .exec_without_returning(&app.db)
            .await
            .unwrap();
    }
    Migrator::up(&app.db, None).await.unwrap();

    let sent_before = rows(&app)
        .await
        .into_iter()
        .find(|r| r.dedupe_key == "old")
        .unwrap();
    assert!(
        !format!("{sent_before:?}").contains(&old),
        "{sent_before:?}"
    );
    assert_eq!(sent_before.subject, "Choisissez un nouveau mot de passe");

    assert_eq!(
        worker(&app, app.config.mail.clone())
            .drain()
            .await
            .unwrap()
            .sent,
        1
    );
    let delivered = app.mailbox.delivered("waiting@exemple.fr", |_| true).await;
    assert!(delivered.text.contains(&waiting), "sent as it was queued");
    let sent_after = rows(&app)
        .await
        .into_iter()
        .find(|r| r.dedupe_key == "waiting")
        .unwrap();
    assert_eq!(sent_after.status, outbox::SENT);
    assert!(
        !format!("{sent_after:?}").contains(&waiting),
        "{sent_after:?}"
    );
    assert!(
        sent_after
            .body_text
            .ends_with("/mot-de-passe/[lien retiré]")
    );
}
