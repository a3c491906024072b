//! The citizen cancels: the volunteer holding the request is told and freed; the proposals still
//! waiting are withdrawn, and their volunteers hear nothing but see it on the proposal page.

use axum::http::StatusCode;
use entity::states::RequestStatus;
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds::{self, RoundOutcome};
use sea_orm::EntityTrait;

use super::{log_in_as, new_request, open, opened_request, take, volunteer};
use crate::helpers::{spawn_app, spawn_app_with};
use crate::kit;

#[tokio::test]
async fn cancelling_a_held_request_emails_its_volunteer_and_frees_their_capacity() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let marie = volunteer(&app, "Marie", 1).await;
    log_in_as(&app, &marie).await;
    let held = opened_request(&app, "Josette").await;
    let taken = take(&app, held.request.id).await;
    assert_eq!(taken.volunteer_id, marie.id);
    let reference = held.request.reference.clone();
    assert!(
        app.server
            .get("/benevole/demandes")
            .await
            .text()
            .contains(&reference)
    );
    let while_full = new_request(&app, "Paul").await;
    assert_eq!(
        open(&app, &while_full.request).await,
        RoundOutcome::NoVolunteer,
        "Marie holds as many requests as she offered"
    );

    app.server
        .post(&format!("/suivi/{}/annuler", held.follow_secret))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::request(&app, held.request.id).await.status,
        RequestStatus::Annulee
    );

    let email = app
        .mailbox
        .delivered(&marie.email, |e| {
            e.subject == format!("La demande {reference} a été annulée")
        })
        .await;
    for part in [&email.text, &email.html] {
        assert!(part.contains("Bonjour Marie"), "{part}");
        assert!(part.contains("Josette"));
        assert!(part.contains(&entraide::geo::commune_name("69381")));
        assert!(part.contains(&reference));
        assert!(part.contains("plus rien à faire"));
        assert!(part.contains("/benevole/demandes"));
        assert!(!part.contains("04 78"), "no contact details");
    }
    assert_eq!(
        app.outbox_rows("request_cancelled_volunteer", None)
            .await
            .len(),
        1
    );

    assert!(
        !app.server
            .get("/benevole/demandes")
            .await
            .text()
            .contains(&reference),
        "no longer listed among her requests"
    );
    let page = app
        .server
        .get(&format!("/benevole/propositions/{}", taken.id))
        .await
        .text();
    assert!(page.contains("Josette a annulé sa demande"), "{page}");
    assert!(!page.contains("Voir les coordonnées"));

    let next = new_request(&app, "Lucien").await;
    assert_eq!(
        open(&app, &next.request).await,
        RoundOutcome::Proposed(1),
        "a cancelled request no longer counts as active"
    );
    assert_eq!(
        kit::proposals_of(&app, next.request.id).await[0].volunteer_id,
        marie.id
    );
}

#[tokio::test]
async fn cancelling_an_open_request_withdraws_the_waiting_proposals_and_tells_only_the_citizen() {
    let app = spawn_app().await;
    let anne = volunteer(&app, "Anne", 2).await;
    let bruno = volunteer(&app, "Bruno", 2).await;
    log_in_as(&app, &bruno).await;
    let request = opened_request(&app, "Josette").await;
    let waiting = kit::proposals_of(&app, request.request.id).await;
    assert_eq!(waiting.len(), 2);
    let of_bruno = waiting.iter().find(|p| p.volunteer_id == bruno.id).unwrap();
    let of_anne = waiting.iter().find(|p| p.volunteer_id == anne.id).unwrap();
    let path = format!("/benevole/propositions/{}", of_bruno.id);
    assert!(
        app.server
            .get("/benevole/propositions")
            .await
            .text()
            .contains(&path)
    );

    app.server
        .post(&format!("/suivi/{}/annuler", request.follow_secret))
        .await
        .assert_status(StatusCode::SEE_OTHER);

    for p in kit::proposals_of(&app, request.request.id).await {
        assert_eq!(p.status, rounds::WITHDRAWN, "proposal #{}", p.id);
        assert!(p.answered_at.is_some());
    }
    assert!(
        !app.server
            .get("/benevole/propositions")
            .await
            .text()
            .contains(&path),
        "listed nowhere"
    );
    let page = app.server.get(&path).await.text();
    assert!(page.contains("Josette a annulé sa demande"), "{page}");
    assert!(!page.contains("déjà été prise en charge"));
    assert!(!page.contains("/accepter"), "nothing to accept");

    app.server
        .post(&format!("{path}/accepter"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        app.server
            .get(&path)
            .await
            .text()
            .contains("La personne a annulé sa demande")
    );
    assert_eq!(
        answers::accept(&app.db, &app.config, of_anne.id, anne.id)
            .await
            .unwrap(),
        Acceptance::Cancelled
    );
    let after = kit::request(&app, request.request.id).await;
    assert_eq!(after.status, RequestStatus::Annulee);
    assert_eq!(after.volunteer_id, None, "nobody took it");
    assert!(
        !app.server
            .get("/benevole/demandes")
            .await
            .text()
            .contains(&request.request.reference)
    );

    app.mailbox
        .delivered("josette@example.org", |e| e.subject.contains("annulée"))
        .await;
    assert!(
        app.outbox_rows("request_cancelled_volunteer", None)
            .await
            .is_empty()
    );
    for volunteer in [&anne, &bruno] {
        let kinds: Vec<String> = entity::outbox_email::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .into_iter()
            .filter(|e| e.recipient == volunteer.email)
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["proposal"],
            "only the proposal, for {}",
            volunteer.prenom
        );
    }
}
