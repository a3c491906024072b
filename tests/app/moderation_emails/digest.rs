//! The daily digest: one e-mail listing the new requests since the last one, none when nothing
//! arrived, never twice, and nothing for moderators who chose immediate e-mails.

use std::time::Duration;

use chrono::Utc;
use entity::help_request;
use entraide::moderation::digest;
use sea_orm::EntityTrait;
use sea_orm::sea_query::Expr;

use super::set_notification;
use crate::helpers::spawn_app_with;
use crate::moderation_volunteers::fixtures::{REIMS, add_request};
use crate::staff::{add_membership, add_organisation, add_staff};

#[tokio::test]
async fn the_digest_lists_the_new_requests_once() {
    // A 1 ms interval: the digest compares the requests' real creation times with its `now`,
    // so the clock is moved by milliseconds only.
    let interval = chrono::Duration::milliseconds(1);
    let app = spawn_app_with(|c| c.moderation_digest_interval = Duration::from_millis(1)).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let first = add_request(&app, REIMS, true).await;
    let second = add_request(&app, REIMS, false).await;

    let quentin = add_staff(&app, "moderateur", "Quentin").await;
    add_membership(&app, marne.id, quentin.id).await;
    set_notification(&app, marne.id, quentin.id, "quotidien").await;
    let ines = add_staff(&app, "moderateur", "Inès").await;
    add_membership(&app, marne.id, ines.id).await;

    let first_run = Utc::now() + interval;
    assert_eq!(app.run_due_jobs(first_run).await.of("moderation-digest"), 1);
    let email = app
        .mailbox
        .delivered(&quentin.email, |e| e.subject.contains("nouvelles demandes"))
        .await;
    assert!(email.subject.contains("2 nouvelles demandes à traiter"));
    assert!(email.subject.contains("Marne Solidaire"));
    for request in [&first, &second] {
        assert!(email.text.contains(&request.reference));
        assert!(email.html.contains(&request.reference));
        assert!(
            email
                .text
                .contains(&format!("/moderation/demandes/{}", request.id))
        );
    }
    assert!(
        email.text.contains("À RAPPELER"),
        "the second must be called back"
    );
    assert!(!email.text.contains("Josette") && !email.text.contains("03 26"));
    assert!(
        email.text.contains("/moderation?statut=nouvelle"),
        "the link opens the queue on the requests to triage"
    );

    // Several intervals later: nothing new, no second digest; none at all for Inès.
    let later = first_run + interval * 3;
    assert_eq!(app.run_due_jobs(later).await.of("moderation-digest"), 0);
    app.drain_outbox().await;
    assert_eq!(
        app.outbox_rows("moderation_digest", Some(&quentin.email))
            .await
            .len(),
        1
    );
    assert!(
        app.outbox_rows("moderation_digest", Some(&ines.email))
            .await
            .is_empty()
    );

    // A new request comes in the next digest, alone. It must be created after `later` on the real
    // clock (a few milliseconds at most from here).
    while Utc::now() <= later {
        tokio::task::yield_now().await;
    }
    let third = add_request(&app, REIMS, true).await;
    let next = Utc::now() + interval;
    assert_eq!(app.run_due_jobs(next).await.of("moderation-digest"), 1);
    let email = app
        .mailbox
        .delivered(&quentin.email, |e| e.subject.contains("1 nouvelle demande"))
        .await;
    assert!(email.text.contains(&third.reference));
    assert!(!email.text.contains(&first.reference) && !email.text.contains(&second.reference));
}

#[tokio::test]
async fn two_workers_at_once_send_one_digest() {
    let app = spawn_app_with(|c| c.moderation_digest_interval = Duration::from_secs(3_600)).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    add_request(&app, REIMS, true).await;
    add_request(&app, REIMS, true).await;
    // They arrived a minute ago (a digest leaves the last seconds to the next one).
    help_request::Entity::update_many()
        .col_expr(
            help_request::Column::CreatedAt,
            Expr::value(Utc::now() - chrono::Duration::minutes(1)),
        )
        .exec(&app.db)
        .await
        .unwrap();
    let quentin = add_staff(&app, "moderateur", "Quentin").await;
    add_membership(&app, marne.id, quentin.id).await;
    set_notification(&app, marne.id, quentin.id, "quotidien").await;

    let (a, b) = tokio::join!(
        digest::send_due(&app.db, &app.config, Utc::now()),
        digest::send_due(&app.db, &app.config, Utc::now())
    );
    assert!(a.unwrap() + b.unwrap() <= 1);
    assert_eq!(
        app.outbox_rows("moderation_digest", Some(&quentin.email))
            .await
            .len(),
        1
    );
    assert_eq!(
        digest::send_due(&app.db, &app.config, Utc::now())
            .await
            .unwrap(),
        0,
        "not due again before the interval"
    );
}
