//! Signed webhooks (issue 17, point 3), against a real HTTP endpoint started by each test
//! ([`receiver`]): every event of an organisation's requests reaches its endpoint signed, a 500
//! and a dropped connection are retried on a moved clock, a delivered event is never sent again,
//! local addresses are refused at registration and at delivery, and an organisation sees and
//! retries only its own deliveries.

mod receiver;

use axum::http::StatusCode;
use chrono::{TimeDelta, Timelike, Utc};
use entity::states::OutboxStatus;
use entity::{organisation, webhook_endpoint};
use entraide::matching::answers;
use entraide::matching::rounds::RoundOutcome;
use entraide::reference::CategorySet;
use entraide::requests::follow;
use entraide::requests::intake::NewRequest;
use entraide::webhooks::address::PRIVATE_REFUSED;
use sea_orm::EntityTrait;

use crate::fixtures::{LYON, REIMS, Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;
use crate::moderation::fixtures::switch_to_new_moderator;
use crate::staff::{add_organisation, logged_in_moderator};
use receiver::{Answer, Receiver};

/// An app whose webhooks may reach 127.0.0.1 (or not), an organisation of the Marne and one of
/// its moderators, logged in.
async fn setup(allow_private: bool) -> (TestApp, organisation::Model) {
    let app = spawn_app_with(|config| config.webhooks.allow_private = allow_private).await;
    let marne = add_organisation(&app, "Entraide Marne", "51", false).await;
    logged_in_moderator(&app, marne.id).await;
    (app, marne)
}

/// Registers `url` for `organisation` through the page; returns the secret it shows once.
async fn register(app: &TestApp, organisation: i64, url: &str) -> String {
    let page = app
        .server
        .post(&format!(
            "/moderation/organisations/{organisation}/webhooks"
        ))
        .form(&[("url", url)])
        .await;
    page.assert_status_ok();
    let html = page.text();
    let secret = regex::Regex::new(r"whsec_[0-9a-f]{64}")
        .unwrap()
        .find(&html)
        .expect("the page shows the new secret")
        .as_str()
        .to_owned();
    assert!(html.contains("il ne sera plus jamais affiché"));
    secret
}

fn types(received: &[receiver::Received]) -> Vec<String> {
    received
        .iter()
        .map(|r| r.json()["type"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn every_event_of_the_organisations_requests_reaches_its_endpoint_signed() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    let secret = register(&app, marne.id, &partner.url()).await;
    let volunteer = add_volunteer(
        &app,
        Volunteer {
            prenom: "Bernard",
            ..Volunteer::default()
        },
    )
    .await;

    // Filed, taken by Bernard, then solved.
    let (solved, outcome) = kit::file_and_open(&app, &kit::new_request(REIMS)).await;
    assert_eq!(outcome, RoundOutcome::Proposed(1));
    let proposal = kit::proposals_of(&app, solved.id).await[0].id;
    answers::accept(&app.db, &app.config, proposal, volunteer.id)
        .await
        .unwrap();
    app.server
        .post(&format!("/moderation/demandes/{}/resolue", solved.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // Filed, then cancelled by the person.
    let cancelled = kit::file(&app, &kit::new_request(REIMS)).await.request;
    follow::cancel(&app.db, &app.config, &cancelled)
        .await
        .unwrap();
    // Nobody offers help with e-mail: without volunteer.
    let (alone, outcome) = kit::file_and_open(
        &app,
        &NewRequest {
            categories: CategorySet::from_slugs(&["email"]).unwrap(),
            ..kit::new_request(REIMS)
        },
    )
    .await;
    assert_eq!(outcome, RoundOutcome::NoVolunteer);

    assert_eq!(app.drain_webhooks().await, 7);
    let received = partner.received();
    let mut kinds = types(&received);
    kinds.sort();
    assert_eq!(
        kinds,
        [
            "demande.annulee",
            "demande.creee",
            "demande.creee",
            "demande.creee",
            "demande.prise_en_charge",
            "demande.resolue",
            "demande.sans_benevole",
        ]
    );
    for request in &received {
        assert_eq!(request.path, "/entraide/evenements");
        assert!(request.signed_with(&secret), "{request:?}");
        assert!(!request.signed_with("whsec_autre"));
        assert_eq!(request.headers["content-type"], "application/json");
        let body = request.json();
        assert_eq!(
            request.headers["entraide-webhook-id"],
            body["id"].as_str().unwrap()
        );
        let t: i64 = request.headers["entraide-signature"]
            .trim_start_matches("t=")
            .split(',')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!((Utc::now().timestamp() - t).abs() < 60);
        assert!(chrono::DateTime::parse_from_rfc3339(body["cree_le"].as_str().unwrap()).is_ok());
        let data = &body["donnees"];
        assert!(data["reference"].as_str().unwrap().starts_with("ENT-"));
        assert!(
            chrono::DateTime::parse_from_rfc3339(data["mis_a_jour_le"].as_str().unwrap()).is_ok()
        );
        // No contact details, no description, no notes.
        for secret_part in [
            "josette@example.org",
            "01 45",
            "+331",
            "Josette",
            "Déclarer",
        ] {
            assert!(!request.body.contains(secret_part), "{}", request.body);
        }
    }
    let of = |kind: &str| {
        received
            .iter()
            .map(receiver::Received::json)
            .find(|b| b["type"] == kind)
            .unwrap()
    };
    let taken = of("demande.prise_en_charge");
    assert_eq!(taken["donnees"]["reference"], solved.reference.as_str());
    assert_eq!(taken["donnees"]["statut"], "prise_en_charge");
    assert_eq!(
        taken["donnees"]["statut_libelle"],
        "Un bénévole s'en occupe"
    );
    assert_eq!(taken["donnees"]["prenom_benevole"], "Bernard");
    assert_eq!(
        of("demande.resolue")["donnees"]["prenom_benevole"],
        "Bernard"
    );
    assert_eq!(
        of("demande.annulee")["donnees"]["reference"],
        cancelled.reference.as_str()
    );
    let without = of("demande.sans_benevole");
    assert_eq!(without["donnees"]["reference"], alone.reference.as_str());
    assert!(without["donnees"].get("prenom_benevole").is_none());

    // The deliveries page shows them received.
    let page = app
        .server
        .get(&format!("/moderation/organisations/{}/webhooks", marne.id))
        .await;
    page.assert_status_ok();
    assert_eq!(page.text().matches(">Reçu<").count(), 7);
}

#[tokio::test]
async fn a_500_and_a_dropped_connection_are_retried_and_a_delivered_event_is_never_sent_again() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    let secret = register(&app, marne.id, &partner.url()).await;
    partner.answer_next([Answer::Status(500), Answer::Drop]);
    kit::file(&app, &kit::new_request(REIMS)).await;
    // Whole seconds: the database keeps microseconds.
    let t0 = Utc::now().with_nanosecond(0).unwrap() + TimeDelta::seconds(1);

    assert_eq!(app.drain_webhooks_at(t0).await, 0);
    let row = &app.webhook_rows().await[0];
    assert_eq!(row.status, OutboxStatus::Pending);
    assert_eq!((row.attempts, row.last_status_code), (1, Some(500)));
    assert_eq!(row.last_error.as_deref(), Some("le serveur a répondu 500"));
    assert_eq!(row.next_attempt_at, t0 + TimeDelta::minutes(1));
    // Not due yet: nothing is sent.
    assert_eq!(app.drain_webhooks_at(t0 + TimeDelta::seconds(30)).await, 0);
    assert_eq!(partner.received().len(), 1);

    // Second attempt: the endpoint closes the connection without answering.
    let t1 = t0 + TimeDelta::minutes(2);
    assert_eq!(app.drain_webhooks_at(t1).await, 0);
    let row = &app.webhook_rows().await[0];
    assert_eq!(row.status, OutboxStatus::Pending);
    assert_eq!((row.attempts, row.last_status_code), (2, None));
    assert_eq!(
        row.last_error.as_deref(),
        Some("la connexion a été coupée avant la réponse")
    );
    assert_eq!(row.next_attempt_at, t1 + TimeDelta::minutes(5));

    // Third attempt: 200.
    assert_eq!(app.drain_webhooks_at(t1 + TimeDelta::minutes(5)).await, 1);
    let delivered = app.webhook_rows().await;
    assert_eq!(delivered.len(), 1);
    assert_eq!(delivered[0].status, OutboxStatus::Sent);
    assert_eq!(delivered[0].last_status_code, Some(200));
    assert!(delivered[0].delivered_at.is_some());

    // Draining again, even a day later, sends nothing more.
    assert_eq!(app.drain_webhooks().await, 0);
    assert_eq!(app.drain_webhooks_at(t0 + TimeDelta::days(2)).await, 0);
    assert_eq!(app.webhook_rows().await, delivered);
    let received = partner.received();
    assert_eq!(received.len(), 3);
    assert!(received.iter().all(|r| r.signed_with(&secret)));
    let ids: Vec<&String> = received
        .iter()
        .map(|r| &r.headers["entraide-webhook-id"])
        .collect();
    assert!(
        ids.iter().all(|id| *id == ids[0]),
        "one event, one id: {ids:?}"
    );
}

#[tokio::test]
async fn a_delivery_failing_for_a_day_is_given_up() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    register(&app, marne.id, &partner.url()).await;
    partner.answer_next([Answer::Status(503); 20]);
    kit::file(&app, &kit::new_request(REIMS)).await;
    let mut now = Utc::now();
    for _ in 0..12 {
        app.drain_webhooks_at(now).await;
        now += TimeDelta::hours(12);
    }
    let row = &app.webhook_rows().await[0];
    assert_eq!(row.status, OutboxStatus::Failed);
    assert!(
        partner.received().len() <= 10,
        "{}",
        partner.received().len()
    );
    let page = app
        .server
        .get(&format!("/moderation/organisations/{}/webhooks", marne.id))
        .await
        .text();
    assert!(page.contains("Abandonné") && page.contains("code 503"));
}

#[tokio::test]
async fn a_local_address_is_refused_at_registration_without_the_override() {
    let (app, marne) = setup(false).await;
    let partner = Receiver::start().await;
    let port = partner.addr.port();
    for (url, reason) in [
        (
            format!("https://127.0.0.1:{port}/x"),
            "réseau privé ou local",
        ),
        (
            "https://169.254.169.254/latest/meta-data".to_owned(),
            "réseau privé ou local",
        ),
        (
            "https://[::ffff:10.0.0.1]/x".to_owned(),
            "réseau privé ou local",
        ),
        (
            format!("https://localhost:{port}/x"),
            "réseau privé ou local",
        ),
        (partner.url(), "doit commencer par https://"),
    ] {
        let page = app
            .server
            .post(&format!("/moderation/organisations/{}/webhooks", marne.id))
            .form(&[("url", url.as_str())])
            .await;
        page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let html = page.text();
        assert!(html.contains(reason), "{url}: {html}");
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(!html.contains("whsec_"));
    }
    assert!(
        webhook_endpoint::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(partner.received().is_empty());
}

#[tokio::test]
async fn deliveries_are_refused_once_the_override_is_turned_off() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    register(&app, marne.id, &partner.url()).await;
    // A name that resolves to loopback: the resolver drops it at delivery.
    register(
        &app,
        marne.id,
        &format!("https://localhost:{}/x", partner.addr.port()),
    )
    .await;
    kit::file(&app, &kit::new_request(REIMS)).await;

    let delivered = app
        .drain_webhooks_with(Utc::now(), |config| config.allow_private = false)
        .await;
    assert_eq!(delivered, 0);
    assert!(partner.received().is_empty());
    let rows = app.webhook_rows().await;
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row.status, OutboxStatus::Pending);
        assert_eq!(row.last_error.as_deref(), Some(PRIVATE_REFUSED));
    }
}

#[tokio::test]
async fn another_organisations_events_do_not_reach_this_endpoint() {
    let (app, marne) = setup(true).await;
    let rhone = add_organisation(&app, "Entraide Rhône", "69", false).await;
    let marne_partner = Receiver::start().await;
    let rhone_partner = Receiver::start().await;
    register(&app, marne.id, &marne_partner.url()).await;
    switch_to_new_moderator(&app, Some(rhone.id)).await;
    register(&app, rhone.id, &rhone_partner.url()).await;

    let lyon = kit::file(&app, &kit::new_request(LYON)).await.request;
    assert_eq!(lyon.organisation_id, Some(rhone.id));
    assert_eq!(app.drain_webhooks().await, 1);
    assert!(marne_partner.received().is_empty());
    let received = rhone_partner.received();
    assert_eq!(received.len(), 1);
    assert_eq!(
        received[0].json()["donnees"]["reference"],
        lyon.reference.as_str()
    );
}

#[tokio::test]
async fn only_the_organisations_moderators_see_and_retry_its_deliveries() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    register(&app, marne.id, &partner.url()).await;
    partner.answer_next([Answer::Status(500)]);
    kit::file(&app, &kit::new_request(REIMS)).await;
    let t0 = Utc::now();
    app.drain_webhooks_at(t0).await;
    let delivery = app.webhook_rows().await[0].clone();
    let endpoint = delivery.endpoint_id;

    let rhone = add_organisation(&app, "Entraide Rhône", "69", false).await;
    switch_to_new_moderator(&app, Some(rhone.id)).await;
    let base = format!("/moderation/organisations/{}/webhooks", marne.id);
    for path in [
        base.clone(),
        format!("/admin/organisations/{}/webhooks", marne.id),
    ] {
        let page = app.server.get(&path).await;
        assert!(
            [StatusCode::NOT_FOUND, StatusCode::FORBIDDEN].contains(&page.status_code()),
            "{path}"
        );
    }
    app.server
        .get(&base)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    for path in [
        format!("{base}/envois/{}/renvoyer", delivery.id),
        format!("{base}/{endpoint}/secret"),
        format!("{base}/{endpoint}/desactiver"),
    ] {
        app.server
            .post(&path)
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    app.server
        .post(&base)
        .form(&[("url", partner.url())])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Their own organisation's page works, and shows nothing of the Marne's.
    let own = app.server.get("/moderation/organisation/webhooks").await;
    own.assert_status(StatusCode::SEE_OTHER);
    let page = app
        .server
        .get(&format!("/moderation/organisations/{}/webhooks", rhone.id))
        .await;
    page.assert_status_ok();
    assert!(page.text().contains("Aucun envoi pour le moment."));
    assert_eq!(app.webhook_rows().await[0], delivery, "nothing changed");
    assert_eq!(
        webhook_endpoint::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        1
    );

    // The Marne's moderator sends it again at once: audited, then delivered.
    switch_to_new_moderator(&app, Some(marne.id)).await;
    let page = app.server.get(&base).await.text();
    assert!(page.contains("code 500") && page.contains("Renvoyer"));
    app.server
        .post(&format!("{base}/envois/{}/renvoyer", delivery.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::audit_entries_for_action(&app, "webhook.renvoyer")
            .await
            .len(),
        1
    );
    assert_eq!(app.drain_webhooks().await, 1);
    assert_eq!(app.webhook_rows().await[0].status, OutboxStatus::Sent);
    assert_eq!(partner.received().len(), 2);
}

#[tokio::test]
async fn a_new_secret_signs_from_then_on_and_a_disabled_endpoint_receives_nothing() {
    let (app, marne) = setup(true).await;
    let partner = Receiver::start().await;
    let first = register(&app, marne.id, &partner.url()).await;
    let endpoint = webhook_endpoint::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        !endpoint.secret_sealed.contains(&first),
        "the secret is stored sealed"
    );
    let base = format!("/moderation/organisations/{}/webhooks", marne.id);

    let rotated = app
        .server
        .post(&format!("{base}/{}/secret", endpoint.id))
        .await;
    rotated.assert_status_ok();
    let second = regex::Regex::new(r"whsec_[0-9a-f]{64}")
        .unwrap()
        .find(&rotated.text())
        .unwrap()
        .as_str()
        .to_owned();
    assert_ne!(first, second);
    // Shown once: the page read again does not show it.
    assert!(!app.server.get(&base).await.text().contains("whsec_"));

    kit::file(&app, &kit::new_request(REIMS)).await;
    assert_eq!(app.drain_webhooks().await, 1);
    let received = partner.received();
    assert!(received[0].signed_with(&second) && !received[0].signed_with(&first));

    app.server
        .post(&format!("{base}/{}/desactiver", endpoint.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    kit::file(&app, &kit::new_request(REIMS)).await;
    assert_eq!(app.drain_webhooks().await, 0);
    assert_eq!(
        app.webhook_rows().await.len(),
        1,
        "no delivery for a disabled endpoint"
    );
    for action in [
        "webhook.enregistrer",
        "webhook.renouveler_secret",
        "webhook.desactiver",
    ] {
        assert_eq!(
            kit::audit_entries_for_action(&app, action).await.len(),
            1,
            "{action}"
        );
    }
}
