//! Copies of e-mails: erasing a request erases every e-mail about it (the volunteers' too),
//! deleting an account erases the e-mails it received at any of its addresses, and "retry failed
//! e-mails" leaves out those whose reason is gone.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use entity::{help_request, outbox_email, proposal};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::mail::outbox::{self, Requeued};
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use entraide::requests::{Actor, follow, retention};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use crate::accounts::{PASSWORD, account_of, link_in, logged_in_volunteer};
use crate::fixtures::{self, Volunteer};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::kit;
use crate::staff::logged_in_admin;

/// A request from Reims for help with health websites, by phone, from `email`.
pub async fn request_from(app: &TestApp, email: &str) -> intake::Created {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["sante"]).unwrap(),
        description: Some("Prendre rendez-vous sur Doctolib pour ma mère".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "51454".into(),
        departement: "51".into(),
        latitude: 49.25,
        longitude: 4.03,
        prenom: "Odette".into(),
        email: Some(EmailAddress::parse(email).unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
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

/// Opens `request` to matching and returns its proposals.
pub async fn open(app: &TestApp, request: &help_request::Model) -> Vec<proposal::Model> {
    rounds::open_request(&app.db, &app.config, request, Actor::Admin, None)
        .await
        .unwrap();
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

async fn rows_where(app: &TestApp, condition: impl ColumnTrait + Copy, value: &str) -> u64 {
    outbox_email::Entity::find()
        .filter(condition.eq(value))
        .count(&app.db)
        .await
        .unwrap()
}

async fn rows_about(app: &TestApp, request_id: i64) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find()
        .filter(outbox_email::Column::RequestId.eq(request_id))
        .all(&app.db)
        .await
        .unwrap()
}

/// Waits until the test app's worker has sent every e-mail of the outbox.
async fn send_all(app: &TestApp) {
    app.drain_outbox().await;
    let waiting = outbox_email::Entity::find()
        .filter(outbox_email::Column::Status.ne(outbox::SENT))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(waiting, 0, "the e-mails were not sent");
}

#[tokio::test]
async fn erasing_a_request_erases_the_volunteers_emails_about_it_too() {
    let app = spawn_app().await;
    let volunteer = fixtures::add_volunteer(&app, Volunteer::default()).await;
    let created = request_from(&app, "odette@example.org").await;
    let other = request_from(&app, "autre@example.org").await;
    let proposed = open(&app, &created.request).await;
    assert_eq!(proposed.len(), 1);
    let won = answers::accept(&app.db, &app.config, proposed[0].id, volunteer.id)
        .await
        .unwrap();
    assert_eq!(won, Acceptance::Won);
    follow::mark_solved(
        &app.db,
        &app.config,
        &kit::request(&app, created.request.id).await,
    )
    .await
    .unwrap();
    send_all(&app).await;
    let to_volunteer = rows_where(&app, outbox_email::Column::Recipient, &volunteer.email).await;
    assert!(
        to_volunteer >= 2,
        "the proposal (description) and the confirmation (contact details)"
    );

    let days = i64::from(app.config.retention_days);
    let not_yet = Utc::now() + Duration::days(days - 1);
    let erased = retention::erase_expired(&app.db, not_yet, app.config.retention_days)
        .await
        .unwrap();
    assert_eq!(erased, 0);
    assert_eq!(
        rows_where(&app, outbox_email::Column::Recipient, &volunteer.email).await,
        to_volunteer
    );

    let later = Utc::now() + Duration::days(days + 1);
    let erased = retention::erase_expired(&app.db, later, app.config.retention_days)
        .await
        .unwrap();
    assert_eq!(erased, 1, "only the finished request");
    assert_eq!(
        rows_where(&app, outbox_email::Column::Recipient, &volunteer.email).await,
        0,
        "the volunteer's copies held the description and the contact details"
    );
    assert!(rows_about(&app, created.request.id).await.is_empty());
    assert_eq!(
        rows_about(&app, other.request.id).await.len(),
        1,
        "an unfinished request keeps its e-mails"
    );
}

#[tokio::test]
async fn deleting_an_account_erases_the_emails_sent_to_its_previous_address() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let id = account_of(&app, "marie@exemple.fr").await.unwrap().id;
    app.server
        .post("/benevole/profil/email")
        .form(&[
            ("nouvel_email", "marie@nouveau.fr"),
            ("mot_de_passe_email", PASSWORD),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let message = app
        .mailbox
        .delivered("marie@nouveau.fr", |e| {
            e.subject.contains("nouvelle adresse")
        })
        .await;
    app.server
        .get(&link_in(&message, "/verifier-email/"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(account_of(&app, "marie@nouveau.fr").await.unwrap().id, id);
    send_all(&app).await;
    assert!(rows_where(&app, outbox_email::Column::Recipient, "marie@exemple.fr").await > 0);

    app.server
        .post("/benevole/supprimer")
        .form(&[("mot_de_passe_suppression", PASSWORD)])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    for address in ["marie@exemple.fr", "marie@nouveau.fr"] {
        assert_eq!(
            rows_where(&app, outbox_email::Column::Recipient, address).await,
            0,
            "{address}"
        );
    }
}

/// The outbox, as (dedupe key, status) pairs.
async fn statuses(app: &TestApp) -> Vec<(String, String)> {
    outbox_email::Entity::find()
        .order_by_asc(outbox_email::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|row| (row.dedupe_key, row.status.slug().to_owned()))
        .collect()
}

fn status_of<'a>(rows: &'a [(String, String)], key: &str) -> Option<&'a str> {
    rows.iter()
        .find(|(k, _)| k == key)
        .map(|(_, status)| status.as_str())
}

#[tokio::test]
async fn retrying_failed_emails_leaves_out_those_whose_reason_is_gone() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| {
        c.workers = false;
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{closed_port}").parse().unwrap());
        c.mail.max_attempts = 1;
    })
    .await;
    let worker = OutboxWorker::new(
        app.db.clone(),
        Transport::from_config(&app.config.mail).unwrap(),
        app.config.mail.clone(),
    );
    let anne = fixtures::add_volunteer(
        &app,
        Volunteer {
            prenom: "Anne",
            ..Default::default()
        },
    )
    .await;
    let bruno = fixtures::add_volunteer(
        &app,
        Volunteer {
            prenom: "Bruno",
            ..Default::default()
        },
    )
    .await;
    let of = |proposals: &[proposal::Model], volunteer: i64| {
        proposals
            .iter()
            .find(|p| p.volunteer_id == volunteer)
            .unwrap()
            .id
    };

    // Taken by someone else: Anne accepts, Bruno's proposal is withdrawn.
    let taken = request_from(&app, "prise@example.org").await.request;
    let proposed = open(&app, &taken).await;
    let (anne_taken, bruno_taken) = (of(&proposed, anne.id), of(&proposed, bruno.id));
    answers::accept(&app.db, &app.config, anne_taken, anne.id)
        .await
        .unwrap();
    // Cancelled after Bruno accepted.
    let cancelled = request_from(&app, "annulee@example.org").await.request;
    let proposed = open(&app, &cancelled).await;
    let bruno_cancelled = of(&proposed, bruno.id);
    answers::accept(&app.db, &app.config, bruno_cancelled, bruno.id)
        .await
        .unwrap();
    // Still waiting for an answer.
    let waiting = request_from(&app, "attente@example.org").await.request;
    let proposed = open(&app, &waiting).await;
    let anne_waiting = of(&proposed, anne.id);
    // Erased: cancelled at once, then past the retention period.
    let erased = request_from(&app, "effacee@example.org").await.request;
    worker.drain().await.unwrap();

    follow::cancel(&app.db, &app.config, &kit::request(&app, erased.id).await)
        .await
        .unwrap();
    worker.drain().await.unwrap();
    let later = Utc::now() + Duration::days(i64::from(app.config.retention_days) + 1);
    retention::erase_expired(&app.db, later, app.config.retention_days)
        .await
        .unwrap();
    follow::cancel(
        &app.db,
        &app.config,
        &kit::request(&app, cancelled.id).await,
    )
    .await
    .unwrap();
    worker.drain().await.unwrap();
    let before = statuses(&app).await;
    assert!(
        before
            .iter()
            .all(|(_, status)| status == outbox::FAILED.slug()),
        "{before:?}"
    );
    assert_eq!(
        status_of(&before, &format!("proposal:{bruno_taken}")),
        Some("failed")
    );
    assert!(rows_about(&app, erased.id).await.is_empty());

    logged_in_admin(&app).await;
    app.server
        .post("/admin/emails/relancer")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = app.server.get("/admin/emails").await.text();
    let after = statuses(&app).await;
    let gone = [
        format!("proposal:{anne_taken}"),
        format!("proposal:{bruno_taken}"),
        format!("proposal:{bruno_cancelled}"),
        format!("proposal_confirmed:{bruno_cancelled}"),
        format!("volunteer_found:{}:{bruno_cancelled}", cancelled.id),
    ];
    for key in &gone {
        assert_eq!(status_of(&before, key), Some("failed"), "{key}");
        assert_eq!(status_of(&after, key), None, "{key} is not sent again");
    }
    let still_due = [
        format!("proposal_confirmed:{anne_taken}"),
        format!("volunteer_found:{}:{anne_taken}", taken.id),
        format!("proposal:{anne_waiting}"),
        format!("request_cancelled_volunteer:{}", cancelled.id),
        format!("request_cancelled:{}", cancelled.id),
        format!("request_received:{}", waiting.id),
    ];
    for key in &still_due {
        assert_eq!(status_of(&after, key), Some("pending"), "{key}");
    }
    assert!(
        after
            .iter()
            .all(|(_, status)| status == outbox::PENDING.slug()),
        "{after:?}"
    );
    let dropped = before.len() - after.len();
    assert!(dropped >= gone.len(), "{dropped}");
    assert!(
        page.contains(&format!(
            "Les {} e-mails en échec sont remis dans la file d&#39;envoi. {dropped} e-mails n&#39;avaient plus lieu d&#39;être",
            after.len()
        )),
        "{page}"
    );
    // Nothing left to retry: nothing more is dropped.
    assert_eq!(
        outbox::retry_failed(&app.db).await.unwrap(),
        Requeued::default()
    );
}
