//! The retention period: personal data of finished requests is erased after `RETENTION_DAYS`,
//! statistics stay; unfinished or recent requests are untouched.

use chrono::{Duration, Utc};
use entity::states::{EventKind, RequestStatus};
use entity::{moderation_note, outbox_email};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::CategorySet;
use entraide::requests::intake::{self, NewRequest};
use entraide::requests::{follow, retention};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};

use crate::fixtures::REIMS;
use crate::helpers::{TestApp, spawn_app};
use crate::kit;

async fn request_of(app: &TestApp, email: &str) -> intake::Created {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["sante"]).unwrap(),
        description: Some("Prendre rendez-vous sur Doctolib pour ma mère".into()),
        latitude: 49.25,
        longitude: 4.03,
        prenom: "Odette".into(),
        email: Some(EmailAddress::parse(email).unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        prenom_proche: Some("Jeanne".into()),
        ..kit::new_request(REIMS)
    };
    intake::create(&app.db, &app.config, &new, Some("cle-ip".into()))
        .await
        .unwrap()
}

/// Cancels the request as its citizen would, then moves its end `days` into the past.
async fn cancelled_days_ago(app: &TestApp, created: &intake::Created, days: i64) {
    follow::cancel(&app.db, &app.config, &created.request)
        .await
        .unwrap();
    let stored = kit::request(app, created.request.id).await;
    let mut row = stored.into_active_model();
    row.closed_at = Set(Some(Utc::now() - Duration::days(days)));
    row.update(&app.db).await.unwrap();
}

#[tokio::test]
async fn finished_requests_lose_their_personal_data_after_the_retention_period() {
    let app = spawn_app().await;
    let old = request_of(&app, "odette@example.org").await;
    let recent = request_of(&app, "recente@example.org").await;
    let open = request_of(&app, "ouverte@example.org").await;
    moderation_note::ActiveModel {
        request_id: Set(old.request.id),
        author_id: Set(crate::staff::add_staff(&app, "admin", "Alice").await.id),
        at: Set(Utc::now()),
        body: Set("Rappelée au 03 26 00 00 00".into()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let days = i64::from(app.config.retention_days);
    cancelled_days_ago(&app, &old, days + 1).await;
    cancelled_days_ago(&app, &recent, days - 1).await;
    // A moderator's message for the volunteer is personal data too.
    let mut row = kit::request(&app, old.request.id).await.into_active_model();
    row.message_benevole = Set(Some("Elle entend mal, parlez fort".into()));
    row.mot_de_confiance = Set(Some("tournesol".into()));
    row.update(&app.db).await.unwrap();
    // Sent e-mails are as old as the request in real life (once the worker has sent them).
    send_all_to(&app, "odette@example.org").await;
    outbox_email::Entity::update_many()
        .col_expr(
            outbox_email::Column::CreatedAt,
            sea_orm::sea_query::Expr::value(Utc::now() - Duration::days(days + 2)),
        )
        .filter(outbox_email::Column::Recipient.eq("odette@example.org"))
        .exec(&app.db)
        .await
        .unwrap();

    let erased = retention::erase_expired(&app.db, Utc::now(), app.config.retention_days)
        .await
        .unwrap();
    assert_eq!(erased, 1, "only the request finished long enough ago");

    let gone = kit::request(&app, old.request.id).await;
    assert_eq!(gone.prenom, retention::ERASED_NAME);
    assert_eq!(gone.email, None);
    assert_eq!(gone.telephone, None);
    assert_eq!(gone.description, None);
    assert_eq!(gone.prenom_proche, None);
    assert_eq!(gone.message_benevole, None);
    assert_eq!(gone.submitter_key, None);
    assert_eq!(gone.mot_de_confiance, None);
    assert!(gone.erased_at.is_some());
    // What statistics need stays.
    assert_eq!(gone.status, RequestStatus::Annulee);
    assert_eq!(gone.commune_insee, "51454");
    assert_eq!(gone.categories, old.request.categories);
    // The follow-up link no longer opens anything.
    app.server
        .get(&format!("/suivi/{}", old.follow_secret))
        .await
        .assert_status_not_found();
    let notes = moderation_note::Entity::find()
        .filter(moderation_note::Column::RequestId.eq(old.request.id))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(notes, 0, "moderators' notes may hold personal data");
    let emails = outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq("odette@example.org"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(emails, 0, "the e-mails sent to the person are gone too");
    let timeline = follow::timeline(&app.db, old.request.id).await.unwrap();
    assert_eq!(timeline.last().unwrap().kind, EventKind::DataErased);

    for untouched in [&recent, &open] {
        let kept = kit::request(&app, untouched.request.id).await;
        assert_eq!(kept.prenom, "Odette");
        assert!(kept.email.is_some() && kept.erased_at.is_none());
    }
    // Running again erases nothing more.
    assert_eq!(
        retention::erase_expired(&app.db, Utc::now(), app.config.retention_days)
            .await
            .unwrap(),
        0
    );
}

/// Delivers the e-mails due, then checks none to `to` is still waiting in the outbox.
async fn send_all_to(app: &TestApp, to: &str) {
    app.drain_outbox().await;
    let waiting = outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq(to))
        .filter(outbox_email::Column::Status.ne("sent"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(waiting, 0, "the e-mails to {to} were not sent");
}
