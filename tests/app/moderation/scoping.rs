//! Territory: a request of another organisation answers 404 on every moderation route, GET and
//! POST alike, exactly like one that does not exist, and nothing changes; a moderator of no
//! organisation sees an empty queue; admins see everything.

use axum::http::StatusCode;
use entity::states::RequestStatus;

use super::fixtures::{
    add_phone_volunteer_in_reims, aube_request, marne_request, readable, setup, snapshot,
    switch_to_new_moderator,
};
use crate::helpers::spawn_app;
use crate::kit;
use crate::staff::{add_organisation, logged_in_admin};

/// A valid form for every POST route of a request.
fn posts(volunteer: i64, organisation: i64) -> Vec<(&'static str, Vec<(&'static str, String)>)> {
    vec![
        ("notes", vec![("note", "Rappelée ce matin".into())]),
        ("valider", vec![]),
        (
            "refuser",
            vec![("motif", "spam".into()), ("message", String::new())],
        ),
        (
            "modifier",
            vec![
                ("categories", "email".into()),
                ("modes", "telephone".into()),
                ("commune", "Troyes".into()),
                ("prenom", "Gaston".into()),
                ("telephone", "03 25 00 00 00".into()),
            ],
        ),
        ("proposer", vec![("benevole", volunteer.to_string())]),
        ("relancer", vec![]),
        (
            "transferer",
            vec![("organisation", organisation.to_string())],
        ),
        ("resolue", vec![]),
    ]
}

#[tokio::test]
async fn another_organisations_request_is_not_found_on_every_route_and_stays_untouched() {
    let s = setup().await;
    let app = &s.app;
    let volunteer = add_phone_volunteer_in_reims(app, "Bernard", 1.0).await;
    let theirs = aube_request(app).await;
    let before = snapshot(app, theirs.id).await;
    let missing = theirs.id + 1000;

    for id in [theirs.id, missing] {
        for path in ["", "/modifier"] {
            app.server
                .get(&format!("/moderation/demandes/{id}{path}"))
                .await
                .assert_status(StatusCode::NOT_FOUND);
        }
        for (action, form) in posts(volunteer.id, s.marne.id) {
            let response = app
                .server
                .post(&format!("/moderation/demandes/{id}/{action}"))
                .form(&form)
                .await;
            assert_eq!(
                response.status_code(),
                StatusCode::NOT_FOUND,
                "POST {action} on request {id}"
            );
        }
    }
    assert_eq!(snapshot(app, theirs.id).await, before, "nothing changed");

    let queue = readable(&app.server.get("/moderation?statut=toutes").await.text());
    assert!(!queue.contains(&theirs.reference));
    let ours = marne_request(app).await;
    let queue = readable(&app.server.get("/moderation").await.text());
    assert!(queue.contains(&ours.reference));

    // Their own moderator sees it.
    switch_to_new_moderator(app, Some(s.aube.id)).await;
    app.server
        .get(&format!("/moderation/demandes/{}", theirs.id))
        .await
        .assert_status_ok();
    app.server
        .get(&format!("/moderation/demandes/{}", ours.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_moderator_of_no_organisation_sees_an_empty_queue_and_cannot_enter_requests() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    switch_to_new_moderator(app, None).await;
    let response = app.server.get("/moderation?statut=toutes").await;
    response.assert_status_ok();
    let page = readable(&response.text());
    assert!(page.contains("Aucune demande"));
    assert!(!page.contains(&request.reference));
    app.server
        .get(&format!("/moderation/demandes/{}", request.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .get("/moderation/demandes/nouvelle")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_see_every_request_even_those_no_organisation_covers() {
    let app = spawn_app().await;
    let orphan = marne_request(&app).await;
    assert_eq!(orphan.organisation_id, None);
    add_organisation(&app, "Aube Numérique", "10", false).await;
    let aube = aube_request(&app).await;
    logged_in_admin(&app).await;
    let queue = readable(&app.server.get("/moderation").await.text());
    assert!(queue.contains(&orphan.reference) && queue.contains(&aube.reference));
    let page = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}", orphan.id))
            .await
            .text(),
    );
    assert!(page.contains("Aucune : les administrateurs la traitent"));
}

#[tokio::test]
async fn visitors_and_volunteers_are_kept_out() {
    let s = setup().await;
    let app = &s.app;
    let request = marne_request(app).await;
    app.server.post("/deconnexion").await;
    let response = app
        .server
        .get(&format!("/moderation/demandes/{}", request.id))
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert!(
        response
            .header("location")
            .to_str()
            .unwrap()
            .starts_with("/connexion?suivant=")
    );
    app.server
        .post(&format!("/moderation/demandes/{}/valider", request.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    crate::accounts::logged_in_volunteer(app, "benevole@example.org").await;
    app.server
        .get("/moderation")
        .await
        .assert_status(StatusCode::FORBIDDEN);
    app.server
        .post(&format!("/moderation/demandes/{}/valider", request.id))
        .await
        .assert_status(StatusCode::FORBIDDEN);
    assert_eq!(
        kit::request(app, request.id).await.status,
        RequestStatus::Nouvelle
    );
}
