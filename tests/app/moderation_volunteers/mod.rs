//! Moderators and the volunteers of their territory: the list (search, filters, pages), the
//! territory scoping of every route, and the actions (vetting, suspension, reinstatement).

mod actions;
pub mod fixtures;
mod reach;

use axum::http::StatusCode;

use self::fixtures::{EPERNAY, LYON, Volunteer, add_volunteer};
use crate::helpers::spawn_app;
use crate::kit;
use crate::staff::{add_organisation, logged_in_admin, logged_in_moderator};

/// How many volunteers a list page shows (links to their pages).
fn listed(page: &str) -> usize {
    page.matches("href=\"/moderation/benevoles/").count()
}

#[tokio::test]
async fn a_moderator_sees_only_the_confirmed_volunteers_of_their_territory() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51 08", false).await;
    let amelie = add_volunteer(
        &app,
        Volunteer {
            prenom: "Amélie",
            nom: Some("Durand"),
            ..Default::default()
        },
    )
    .await;
    let _lyon = add_volunteer(
        &app,
        Volunteer {
            prenom: "Lucas",
            place: LYON,
            ..Default::default()
        },
    )
    .await;
    let _unconfirmed = add_volunteer(
        &app,
        Volunteer {
            prenom: "Oscar",
            verified: false,
            ..Default::default()
        },
    )
    .await;
    let deleted = add_volunteer(
        &app,
        Volunteer {
            prenom: "Gaston",
            deleted: true,
            ..Default::default()
        },
    )
    .await;
    logged_in_moderator(&app, marne.id).await;

    let page = app.server.get("/moderation/benevoles").await;
    page.assert_status_ok();
    let page = page.text();
    assert!(page.contains("Amélie Durand") && page.contains("Reims"));
    assert!(page.contains("0 / 2"), "requests held / maximum");
    assert!(!page.contains("Lucas"), "another département is not listed");
    assert!(
        !page.contains("Oscar"),
        "an unconfirmed address is not listed"
    );
    assert!(!page.contains("Gaston"), "a deleted account is not listed");
    assert_eq!(listed(&page), 1);
    app.server
        .get(&format!("/moderation/benevoles/{}", deleted.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);

    let detail = app
        .server
        .get(&format!("/moderation/benevoles/{}", amelie.id))
        .await;
    detail.assert_status_ok();
    let detail = detail.text();
    assert!(detail.contains(&amelie.email) && detail.contains("Le mardi après-midi"));
}

#[tokio::test]
async fn search_looks_in_names_addresses_and_communes_and_filters_by_status() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let amelie = add_volunteer(
        &app,
        Volunteer {
            prenom: "Amélie",
            nom: Some("Durand"),
            ..Default::default()
        },
    )
    .await;
    add_volunteer(
        &app,
        Volunteer {
            prenom: "Bruno",
            nom: Some("Martin"),
            vetted: true,
            ..Default::default()
        },
    )
    .await;
    add_volunteer(
        &app,
        Volunteer {
            prenom: "Chloé",
            suspended: true,
            ..Default::default()
        },
    )
    .await;
    add_volunteer(
        &app,
        Volunteer {
            prenom: "Denis",
            paused: true,
            ..Default::default()
        },
    )
    .await;
    add_volunteer(
        &app,
        Volunteer {
            prenom: "Ève",
            place: EPERNAY,
            ..Default::default()
        },
    )
    .await;
    logged_in_moderator(&app, marne.id).await;

    let search = |query: &'static str| {
        let server = &app.server;
        async move {
            let page = server
                .get("/moderation/benevoles")
                .add_raw_query_param(query)
                .await;
            page.assert_status_ok();
            page.text()
        }
    };
    let page = search("q=durand").await;
    assert!(
        page.contains("Amélie Durand") && listed(&page) == 1,
        "by name"
    );
    let page = search("q=BRUNO").await;
    assert!(
        page.contains("Bruno Martin") && listed(&page) == 1,
        "any case"
    );
    let address = amelie.email.split('@').next().unwrap().to_owned();
    let page = app
        .server
        .get("/moderation/benevoles")
        .add_query_param("q", &address)
        .await
        .text();
    assert!(
        page.contains("Amélie Durand") && listed(&page) == 1,
        "by address"
    );
    let page = search("q=epernay").await;
    assert!(page.contains("Ève") && listed(&page) == 1, "by commune");
    assert!(
        page.contains("value=\"epernay\""),
        "the search stays in the field"
    );
    let page = search("q=personne").await;
    assert!(page.contains("Aucun bénévole ne correspond") && listed(&page) == 0);

    let page = search("statut=verifies").await;
    assert!(page.contains("Bruno") && listed(&page) == 1, "vetted");
    let page = search("statut=non_verifies").await;
    assert_eq!(listed(&page), 4, "not vetted");
    assert!(!page.contains("Bruno"));
    let page = search("statut=suspendus").await;
    assert!(page.contains("Chloé") && listed(&page) == 1, "suspended");
    let page = search("statut=en_pause").await;
    assert!(page.contains("Denis") && listed(&page) == 1, "pausing");
    assert!(page.contains("value=\"en_pause\" selected"));
    let page = search("q=bruno&statut=suspendus").await;
    assert_eq!(listed(&page), 0, "both at once");
}

#[tokio::test]
async fn the_list_shows_25_volunteers_a_page() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    for n in 0..27 {
        let prenom = format!("Bénévole{n:02}");
        add_volunteer(
            &app,
            Volunteer {
                prenom: &prenom,
                ..Default::default()
            },
        )
        .await;
    }
    logged_in_moderator(&app, marne.id).await;
    let first = app.server.get("/moderation/benevoles").await.text();
    assert_eq!(listed(&first), 25);
    assert!(first.contains("27 bénévoles") && first.contains("Page 1 sur 2"));
    assert!(first.contains("href=\"/moderation/benevoles?page=2\""));
    let second = app.server.get("/moderation/benevoles?page=2").await.text();
    assert_eq!(listed(&second), 2);
    assert!(second.contains("Bénévole26") && !second.contains("Bénévole00"));
    assert!(second.contains("href=\"/moderation/benevoles?page=1\""));
}

#[tokio::test]
async fn a_volunteer_of_another_departement_answers_404_on_every_route() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51 08", false).await;
    let lucas = add_volunteer(
        &app,
        Volunteer {
            prenom: "Lucas",
            place: LYON,
            ..Default::default()
        },
    )
    .await;
    let unconfirmed = add_volunteer(
        &app,
        Volunteer {
            prenom: "Oscar",
            verified: false,
            ..Default::default()
        },
    )
    .await;
    logged_in_moderator(&app, marne.id).await;
    for id in [lucas.id, unconfirmed.id, 999_999] {
        let page = format!("/moderation/benevoles/{id}");
        app.server
            .get(&page)
            .await
            .assert_status(StatusCode::NOT_FOUND);
        for action in ["verifier", "retirer-verification", "retablir"] {
            app.server
                .post(&format!("{page}/{action}"))
                .await
                .assert_status(StatusCode::NOT_FOUND);
        }
        app.server
            .post(&format!("{page}/suspendre"))
            .form(&[("motif", "Essai")])
            .await
            .assert_status(StatusCode::NOT_FOUND);
        app.server
            .post(&format!("{page}/suspendre"))
            .form(&[("motif", "")])
            .await
            .assert_status(StatusCode::NOT_FOUND);
    }
    let untouched = kit::volunteer_profile(&app, lucas.id).await;
    assert!(untouched.vetted_at.is_none() && untouched.suspended_at.is_none());
    assert!(
        kit::audit_entries_for_action(&app, "benevole.verifier")
            .await
            .is_empty()
    );
    assert!(
        kit::audit_entries_for_action(&app, "benevole.suspendre")
            .await
            .is_empty()
    );

    // An admin sees every territory.
    app.server.post("/deconnexion").await;
    logged_in_admin(&app).await;
    let page = app.server.get("/moderation/benevoles").await.text();
    assert!(page.contains("Lucas"));
    app.server
        .get(&format!("/moderation/benevoles/{}", lucas.id))
        .await
        .assert_status_ok();
}

#[tokio::test]
async fn volunteers_and_visitors_cannot_open_the_volunteer_pages() {
    let app = spawn_app().await;
    let response = app.server.get("/moderation/benevoles").await;
    response.assert_status(StatusCode::SEE_OTHER);
    crate::accounts::logged_in_volunteer(&app, "vera@example.org").await;
    app.server
        .get("/moderation/benevoles")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}
