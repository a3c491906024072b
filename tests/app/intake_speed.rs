//! The intake's write path under concurrency (see `cargo bench --bench intake` for its speed).

use axum::http::StatusCode;
use entity::outbox_email;
use entity::states::OutboxStatus;
use std::future::IntoFuture;

use futures_util::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::helpers::spawn_app_with;
use crate::requests::{form_stamp, valid_form};

/// Citizens filing at the same moment on a pool of several connections: on SQLite each intake
/// transaction takes the writer's lock from its start (`BEGIN IMMEDIATE`), so none is refused
/// for having read a snapshot another writer moved on from.
#[tokio::test]
async fn requests_filed_at_once_on_several_connections_are_all_saved() {
    let app = spawn_app_with(|config| {
        config.db_max_connections = 4;
        config.trust_proxy = true;
    })
    .await;
    let stamp = form_stamp(&app).await;
    let posts = (0..24).map(|n| {
        let mut form = valid_form(&stamp);
        form.retain(|(field, _)| *field != "email");
        form.push(("email", format!("citoyen{n}@example.org")));
        app.server
            .post("/demande")
            .add_header("x-forwarded-for", format!("203.0.113.{}", n + 1))
            .form(&form)
            .into_future()
    });
    for response in join_all(posts).await {
        assert_eq!(
            response.status_code(),
            StatusCode::SEE_OTHER,
            "{}",
            response.text()
        );
    }
    assert_eq!(
        entity::help_request::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        24
    );
    assert_eq!(app.outbox_rows("request_received", None).await.len(), 24);
}

/// The worker marks a batch's delivered e-mails sent together: every one ends sent, released,
/// and without its link secrets.
#[tokio::test]
async fn a_drained_batch_is_marked_sent_whole() {
    let app = spawn_app_with(|config| config.trust_proxy = true).await;
    let stamp = form_stamp(&app).await;
    for n in 0..5 {
        let mut form = valid_form(&stamp);
        form.retain(|(field, _)| *field != "email");
        form.push(("email", format!("citoyen{n}@example.org")));
        let response = app
            .server
            .post("/demande")
            .add_header("x-forwarded-for", format!("198.51.100.{}", n + 1))
            .form(&form)
            .await;
        assert_eq!(response.status_code(), StatusCode::SEE_OTHER);
    }
    assert_eq!(app.drain_outbox().await, 5);
    let rows = outbox_email::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 5);
    for row in rows {
        assert_eq!(row.status, OutboxStatus::Sent);
        assert!(row.sent_at.is_some());
        assert_eq!(row.locked_by, None);
        assert_eq!(row.locked_until, None);
        assert_eq!(row.link_secrets, None);
    }
}
