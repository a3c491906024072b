//! Requests that never end: left `nouvelle`, `ouverte` or `sans_benevole` for
//! `STALE_REQUEST_DAYS` without change, they are closed as abandoned (the person told), their
//! waiting proposals withdrawn, and retention erases them `RETENTION_DAYS` later.

use chrono::{Duration, Utc};
use entity::states::{EventKind, ProposalStatus};
use entity::{outbox_email, proposal};
use entraide::contact::PhoneNumber;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::matching::answers::{self, Acceptance};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use entraide::requests::{RequestStatus, follow, retention, stale};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::fixtures::{self, Volunteer};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::kit;
use crate::retention_copies::{open, request_from};
use crate::staff::logged_in_admin;

/// A request from someone who gave only a phone number.
async fn request_by_phone(app: &TestApp) -> intake::Created {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["emploi"]).unwrap(),
        description: Some("Mettre mon CV sur France Travail".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "51454".into(),
        departement: "51".into(),
        latitude: 49.25,
        longitude: 4.03,
        prenom: "Marcel".into(),
        email: None,
        telephone: Some(PhoneNumber::parse("03 26 00 00 01").unwrap()),
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
}

async fn abandon_at(app: &TestApp, days_from_now: i64) -> u64 {
    let now = Utc::now() + Duration::days(days_from_now);
    stale::abandon_stale(&app.db, &app.config, now)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_request_left_waiting_is_closed_as_abandoned_and_the_person_told() {
    let app = spawn_app().await;
    let days = i64::from(app.config.stale_request_days);
    let by_email = request_from(&app, "odette@example.org").await;
    let by_phone = request_by_phone(&app).await;
    assert_eq!(by_email.request.status, RequestStatus::Nouvelle);

    assert_eq!(abandon_at(&app, days - 1).await, 0);
    assert_eq!(
        kit::request(&app, by_email.request.id).await.status,
        RequestStatus::Nouvelle
    );

    assert_eq!(abandon_at(&app, days + 1).await, 2);
    for id in [by_email.request.id, by_phone.request.id] {
        let closed = kit::request(&app, id).await;
        assert_eq!(closed.status, RequestStatus::Abandonnee);
        assert!(closed.closed_at.is_some());
        let timeline = follow::timeline(&app.db, id).await.unwrap();
        assert_eq!(timeline.last().unwrap().kind, EventKind::Abandoned);
    }
    let told = app
        .mailbox
        .delivered("odette@example.org", |e| {
            e.subject.contains("close faute de suite")
        })
        .await;
    assert!(told.text.contains("nouvelle demande"), "{}", told.text);
    let notices = outbox_email::Entity::find()
        .filter(outbox_email::Column::Kind.eq("request_abandoned"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(notices, 1, "the person without an e-mail address gets none");

    let page = app
        .server
        .get(&format!("/suivi/{}", by_email.follow_secret))
        .await
        .text();
    assert!(page.contains("Close faute de suite"), "{page}");
    assert!(!page.contains("/annuler"), "nothing left to cancel");
    assert_eq!(abandon_at(&app, days + 1).await, 0, "once only");
}

#[tokio::test]
async fn abandoning_withdraws_the_waiting_proposals_and_spares_taken_requests() {
    let app = spawn_app().await;
    let days = i64::from(app.config.stale_request_days);
    let volunteer = fixtures::add_volunteer(&app, Volunteer::default()).await;
    let open_one = request_from(&app, "ouverte@example.org").await.request;
    let waiting = open(&app, &open_one).await;
    assert_eq!(
        kit::request(&app, open_one.id).await.status,
        RequestStatus::Ouverte
    );
    let taken = request_from(&app, "prise@example.org").await.request;
    let proposed = open(&app, &taken).await;
    answers::accept(&app.db, &app.config, proposed[0].id, volunteer.id)
        .await
        .unwrap();
    let nobody = request_by_phone(&app).await.request;
    open(&app, &nobody).await;
    assert_eq!(
        kit::request(&app, nobody.id).await.status,
        RequestStatus::SansBenevole
    );

    assert_eq!(abandon_at(&app, days + 1).await, 2);
    assert_eq!(
        kit::request(&app, open_one.id).await.status,
        RequestStatus::Abandonnee
    );
    assert_eq!(
        kit::request(&app, nobody.id).await.status,
        RequestStatus::Abandonnee
    );
    assert_eq!(
        kit::request(&app, taken.id).await.status,
        RequestStatus::PriseEnCharge,
        "a volunteer holds it"
    );
    let withdrawn = proposal::Entity::find_by_id(waiting[0].id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(withdrawn.status, ProposalStatus::Withdrawn);
    assert_eq!(
        answers::accept(&app.db, &app.config, waiting[0].id, volunteer.id)
            .await
            .unwrap(),
        Acceptance::Closed
    );
}

#[tokio::test]
async fn an_abandoned_request_is_erased_after_the_retention_period() {
    // Without workers: the notice is still waiting when the request is erased.
    let app = spawn_app_with(|c| c.workers = false).await;
    let stale_days = i64::from(app.config.stale_request_days);
    let retention_days = i64::from(app.config.retention_days);
    let created = request_from(&app, "odette@example.org").await;
    assert_eq!(abandon_at(&app, stale_days + 1).await, 1);
    let erase_at = |days: i64| {
        retention::erase_expired(
            &app.db,
            Utc::now() + Duration::days(days),
            app.config.retention_days,
        )
    };

    assert_eq!(
        erase_at(stale_days + 1 + retention_days - 1).await.unwrap(),
        0
    );
    assert_eq!(
        erase_at(stale_days + 1 + retention_days + 1).await.unwrap(),
        1
    );
    let gone = kit::request(&app, created.request.id).await;
    assert_eq!(gone.prenom, retention::ERASED_NAME);
    assert_eq!(gone.email, None);
    let about = || {
        outbox_email::Entity::find()
            .filter(outbox_email::Column::RequestId.eq(created.request.id))
            .all(&app.db)
    };
    let left = about().await.unwrap();
    assert!(
        !left.is_empty()
            && left
                .iter()
                .all(|row| row.status == entity::states::OutboxStatus::Pending),
        "only the e-mails not sent yet stay, to be sent: {left:?}"
    );

    OutboxWorker::new(
        app.db.clone(),
        Transport::from_config(&app.config.mail).unwrap(),
        app.config.mail.clone(),
    )
    .drain()
    .await
    .unwrap();
    erase_at(stale_days + 1 + retention_days + 2).await.unwrap();
    assert!(
        about().await.unwrap().is_empty(),
        "sent late, erased at the next run"
    );
}

#[tokio::test]
async fn moderators_find_abandoned_requests_in_their_queue() {
    let app = spawn_app().await;
    let created = request_from(&app, "odette@example.org").await;
    assert_eq!(
        abandon_at(&app, i64::from(app.config.stale_request_days) + 1).await,
        1
    );
    logged_in_admin(&app).await;
    let active = app.server.get("/moderation").await.text();
    assert!(
        !active.contains(&created.request.reference),
        "no longer active"
    );
    let page = app.server.get("/moderation?statut=abandonnee").await;
    page.assert_status_ok();
    let html = page.text();
    assert!(html.contains(&created.request.reference), "{html}");
    assert!(html.contains("Abandonnée (sans suite)"));
    let detail = app
        .server
        .get(&format!("/moderation/demandes/{}", created.request.id))
        .await
        .text();
    assert!(detail.contains("restée sans suite"), "{detail}");
}
