//! `/admin/emails`: the outbox's counts and failed e-mails, and sending them again (one or all),
//! each with its audit entry.

use axum::http::StatusCode;
use entity::outbox_email;
use entraide::mail::{self, TestEmail, outbox};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;
use crate::staff::logged_in_admin;

/// Queues a test e-mail to `to`; `failed` marks it given up with an SMTP error.
async fn queue(app: &TestApp, to: &str, failed: bool) -> outbox_email::Model {
    let email = TestEmail {
        requested_at: "maintenant".into(),
    };
    mail::send_later(&app.db, &app.config, to, &email, &format!("test:{to}"))
        .await
        .unwrap();
    if failed {
        outbox_email::Entity::update_many()
            .col_expr(outbox_email::Column::Status, Expr::value(outbox::FAILED))
            .col_expr(outbox_email::Column::Attempts, Expr::value(12))
            .col_expr(
                outbox_email::Column::LastError,
                Expr::value("550 Mailbox unavailable"),
            )
            .filter(outbox_email::Column::Recipient.eq(to))
            .exec(&app.db)
            .await
            .unwrap();
    }
    outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq(to))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

async fn statuses(app: &TestApp) -> Vec<(String, String, i32)> {
    outbox_email::Entity::find()
        .order_by_asc(outbox_email::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.recipient, e.status.slug().to_owned(), e.attempts))
        .collect()
}

#[tokio::test]
async fn an_admin_sees_the_failed_emails_and_sends_them_again() {
    // Without workers, e-mails put back in the queue stay there for the test to see.
    let app = spawn_app_with(|c| c.workers = false).await;
    let admin = logged_in_admin(&app).await;
    let first = queue(&app, "anne@exemple.fr", true).await;
    queue(&app, "bruno@exemple.fr", true).await;
    queue(&app, "chloe@exemple.fr", false).await;

    let page = app.server.get("/admin/emails").await;
    page.assert_status_ok();
    let html = page.text();
    assert!(
        html.contains("<th scope=\"row\">En échec</th><td>2</td>"),
        "{html}"
    );
    assert!(html.contains("envoi</th><td>1</td>"), "{html}");
    assert!(html.contains("anne@exemple.fr") && html.contains("bruno@exemple.fr"));
    // The latest e-mails (every state) come first; the failed ones have their own list.
    let failed_list = &html[html.find("Les e-mails en échec").unwrap()..];
    assert!(failed_list.contains("anne@exemple.fr") && failed_list.contains("bruno@exemple.fr"));
    assert!(
        !failed_list.contains("chloe@exemple.fr"),
        "only the failed ones are listed"
    );
    assert!(html.contains("550 Mailbox unavailable") && html.contains("test_email"));

    let one = format!("/admin/emails/{}/relancer", first.id);
    app.server
        .post(&one)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        statuses(&app).await,
        vec![
            ("anne@exemple.fr".into(), "pending".into(), 0),
            ("bruno@exemple.fr".into(), "failed".into(), 12),
            ("chloe@exemple.fr".into(), "pending".into(), 0),
        ]
    );
    let entries = kit::audit_entries_for_action(&app, "email.relancer").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].actor_id,
            entries[0].target_type.as_str(),
            entries[0].target_id
        ),
        (Some(admin.id), "email", Some(first.id))
    );
    app.server
        .post(&one)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        app.server
            .get("/admin/emails")
            .await
            .text()
            .contains("plus en échec")
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, "email.relancer")
            .await
            .len(),
        1
    );

    app.server
        .post("/admin/emails/relancer")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        statuses(&app)
            .await
            .iter()
            .all(|(_, status, attempts)| status == "pending" && *attempts == 0)
    );
    let entries = kit::audit_entries_for_action(&app, "email.relancer").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1].target_id, None);
    assert!(
        entries[1]
            .details
            .as_deref()
            .unwrap()
            .starts_with("1 e-mail")
    );
    let after = app.server.get("/admin/emails").await.text();
    assert!(after.contains("remis dans la file"));
    assert!(after.contains("Aucun e-mail n"));

    app.server
        .post("/admin/emails/relancer")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::audit_entries_for_action(&app, "email.relancer")
            .await
            .len(),
        2,
        "nothing to send again: nothing written"
    );
}
