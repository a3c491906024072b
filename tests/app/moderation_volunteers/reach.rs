//! A moderator's reach over volunteers: those who live in the territory, and those proposed one
//! of its requests (a volunteer of the Rhône who helps the Marne by telephone), whom they may then
//! see, vet, suspend and reinstate; every other volunteer stays out of sight, both ways.

use axum::http::StatusCode;

use super::fixtures::{LYON, REIMS, Volunteer, add_request, add_volunteer};
use crate::helpers::spawn_app_with;
use crate::kit;
use crate::moderation::fixtures::readable;
use crate::staff::{add_organisation, logged_in_moderator};

#[tokio::test]
async fn a_volunteer_proposed_a_request_of_the_territory_is_within_its_moderators_reach() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let rhone = add_organisation(&app, "Rhône Numérique", "69", false).await;
    // Two volunteers of Lyon helping by telephone; Lucas is closer to the Marne's request.
    let lucas = add_volunteer(
        &app,
        Volunteer {
            prenom: "Lucas",
            place: LYON,
            km: 0.0,
            modes: &["telephone"],
            ..Default::default()
        },
    )
    .await;
    let zoe = add_volunteer(
        &app,
        Volunteer {
            prenom: "Zoé",
            place: LYON,
            // South of Lyon: farther from Reims.
            km: -30.0,
            modes: &["telephone"],
            ..Default::default()
        },
    )
    .await;
    let request = add_request(&app, REIMS, true).await;
    logged_in_moderator(&app, marne.id).await;
    let lucas_page = format!("/moderation/benevoles/{}", lucas.id);
    let zoe_page = format!("/moderation/benevoles/{}", zoe.id);

    // Before any proposal, Lyon is out of the Marne's sight.
    app.server
        .get(&lucas_page)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert!(
        !app.server
            .get("/moderation/benevoles")
            .await
            .text()
            .contains("Lucas")
    );

    app.server
        .post(&format!("/moderation/demandes/{}/valider", request.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let asked = kit::proposals_of(&app, request.id).await;
    assert_eq!(asked.len(), 1);
    assert_eq!(asked[0].volunteer_id, lucas.id);

    // Lucas was proposed a Marne request: listed, his page opens, his name links to it.
    let list = app.server.get("/moderation/benevoles").await.text();
    assert!(list.contains(&format!("href=\"{lucas_page}\"")));
    assert!(
        !list.contains("Zoé"),
        "Zoé was never proposed a Marne request"
    );
    let shown = readable(&app.server.get(&lucas_page).await.text());
    assert!(shown.contains("habite hors de votre territoire"));
    let page = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}", request.id))
            .await
            .text(),
    );
    assert!(
        page.contains(&format!("<a href=\"{lucas_page}\">Lucas</a>")),
        "the proposal names him with a link to his page"
    );
    assert!(
        page.contains("Proposer à Zoé") && !page.contains(&format!("href=\"{zoe_page}\"")),
        "a candidate out of reach is named without a link"
    );
    app.server
        .get(&zoe_page)
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // The Marne's moderator may vet, suspend and reinstate him.
    app.server
        .post(&format!("{lucas_page}/verifier"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        kit::volunteer_profile(&app, lucas.id)
            .await
            .vetted_at
            .is_some()
    );
    app.server
        .post(&format!("{lucas_page}/suspendre"))
        .form(&[("motif", "Ne rappelle pas les personnes")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        kit::volunteer_profile(&app, lucas.id)
            .await
            .suspended_at
            .is_some()
    );
    let suspended = kit::audit_entries_for_action(&app, "benevole.suspendre").await;
    assert_eq!(suspended.len(), 1);
    assert_eq!(
        suspended[0].organisation_id,
        Some(marne.id),
        "audited under the moderator's organisation"
    );
    app.server
        .post(&format!("{lucas_page}/retablir"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        kit::volunteer_profile(&app, lucas.id)
            .await
            .suspended_at
            .is_none()
    );

    // The other way: the Rhône's moderator sees Lucas (he lives there), not the Marne's request.
    app.server.post("/deconnexion").await;
    logged_in_moderator(&app, rhone.id).await;
    app.server.get(&lucas_page).await.assert_status_ok();
    app.server
        .get(&format!("/moderation/demandes/{}", request.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    let shown = readable(&app.server.get(&lucas_page).await.text());
    assert!(
        !shown.contains(&format!("href=\"/moderation/demandes/{}\"", request.id)),
        "his page does not link to another organisation's request"
    );
}

#[tokio::test]
async fn a_volunteer_proposed_only_another_organisations_requests_stays_out_of_reach() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let lucas = add_volunteer(
        &app,
        Volunteer {
            prenom: "Lucas",
            place: LYON,
            modes: &["telephone"],
            ..Default::default()
        },
    )
    .await;
    let request = add_request(&app, REIMS, true).await;
    logged_in_moderator(&app, marne.id).await;
    app.server
        .post(&format!("/moderation/demandes/{}/valider", request.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::proposals_of(&app, request.id).await[0].volunteer_id,
        lucas.id
    );

    // The Aube's moderator: neither territory nor proposal of theirs.
    app.server.post("/deconnexion").await;
    logged_in_moderator(&app, aube.id).await;
    let page = format!("/moderation/benevoles/{}", lucas.id);
    app.server
        .get(&page)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .post(&format!("{page}/suspendre"))
        .form(&[("motif", "Essai")])
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .post(&format!("{page}/verifier"))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert!(
        kit::volunteer_profile(&app, lucas.id)
            .await
            .suspended_at
            .is_none()
    );
    assert!(
        kit::volunteer_profile(&app, lucas.id)
            .await
            .vetted_at
            .is_none()
    );
    assert!(
        !app.server
            .get("/moderation/benevoles")
            .await
            .text()
            .contains("Lucas")
    );
}
