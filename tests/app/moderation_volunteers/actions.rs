//! Vetting, suspension and reinstatement: their effects, their audit entries, and the refusal of
//! an action the volunteer's state makes pointless.

use axum::http::StatusCode;
use entity::states::{ProposalStatus, RequestStatus};
use entraide::matching::answers::{self, Acceptance};

use super::fixtures::{REIMS, Volunteer, add_request, add_volunteer};
use crate::accounts::location;
use crate::helpers::{spawn_app, spawn_app_with};
use crate::kit;
use crate::staff::{add_organisation, logged_in_moderator};

#[tokio::test]
async fn vetting_and_withdrawing_it_are_audited_and_not_repeated() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let amelie = add_volunteer(&app, Volunteer::default()).await;
    let moderator = logged_in_moderator(&app, marne.id).await;
    let page = format!("/moderation/benevoles/{}", amelie.id);

    let response = app.server.post(&format!("{page}/verifier")).await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&response), page);
    assert!(
        kit::volunteer_profile(&app, amelie.id)
            .await
            .vetted_at
            .is_some()
    );
    let entries = kit::audit_entries_for_action(&app, "benevole.verifier").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_id, Some(moderator.id));
    assert_eq!(entries[0].actor_role, "moderateur");
    assert_eq!(entries[0].target_type, "benevole");
    assert_eq!(entries[0].target_id, Some(amelie.id));
    assert_eq!(entries[0].organisation_id, Some(marne.id));
    let shown = app.server.get(&page).await.text();
    assert!(shown.contains("maintenant vérifié pour l&#39;aide en personne"));
    assert!(shown.contains("Retirer la vérification"));
    assert!(
        shown.contains("Vérifié pour l&#39;aide en personne</strong> le"),
        "history"
    );

    app.server.post(&format!("{page}/verifier")).await;
    let shown = app.server.get(&page).await.text();
    assert!(shown.contains("déjà vérifié"), "refused with a message");
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.verifier")
            .await
            .len(),
        1
    );

    app.server
        .post(&format!("{page}/retirer-verification"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        kit::volunteer_profile(&app, amelie.id)
            .await
            .vetted_at
            .is_none()
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.retirer_verification")
            .await
            .len(),
        1
    );
    app.server
        .post(&format!("{page}/retirer-verification"))
        .await;
    let shown = app.server.get(&page).await.text();
    assert!(shown.contains("n&#39;était pas vérifié"));
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.retirer_verification")
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn a_suspension_needs_a_reason_of_at_most_500_characters() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let amelie = add_volunteer(&app, Volunteer::default()).await;
    logged_in_moderator(&app, marne.id).await;
    let action = format!("/moderation/benevoles/{}/suspendre", amelie.id);

    let response = app.server.post(&action).form(&[("motif", "   ")]).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .contains("Indiquez le motif de la suspension")
    );

    let long = "Trop long. ".repeat(50);
    let response = app.server.post(&action).form(&[("motif", &long)]).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = response.text();
    assert!(page.contains("ne doit pas dépasser 500 caractères"));
    assert!(page.contains(long.trim_end()), "what was typed is kept");
    assert!(page.contains("aria-invalid=\"true\""));

    assert!(
        kit::volunteer_profile(&app, amelie.id)
            .await
            .suspended_at
            .is_none()
    );
    assert!(
        kit::audit_entries_for_action(&app, "benevole.suspendre")
            .await
            .is_empty()
    );
    assert!(
        app.outbox_rows("volunteer_suspended", Some(&amelie.email))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn a_suspended_volunteer_loses_their_proposals_and_requests_until_reinstated() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 2).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", true).await;
    let amelie = add_volunteer(
        &app,
        Volunteer {
            prenom: "Amélie",
            km: 1.0,
            ..Default::default()
        },
    )
    .await;
    let bruno = add_volunteer(
        &app,
        Volunteer {
            prenom: "Bruno",
            km: 5.0,
            ..Default::default()
        },
    )
    .await;

    // Amélie holds one request and is asked about another.
    let held = add_request(&app, REIMS, true).await;
    let asked = kit::proposals_of(&app, held.id).await;
    assert_eq!(asked.len(), 2, "auto-approved: matching asked both");
    let hers = asked.iter().find(|p| p.volunteer_id == amelie.id).unwrap();
    assert_eq!(
        answers::accept(&app.db, &app.config, hers.id, amelie.id)
            .await
            .unwrap(),
        Acceptance::Won
    );
    let waiting = add_request(&app, REIMS, true).await;
    assert!(
        kit::proposals_of(&app, waiting.id)
            .await
            .iter()
            .any(|p| p.volunteer_id == amelie.id && p.status == ProposalStatus::Waiting)
    );

    logged_in_moderator(&app, marne.id).await;
    let list = app.server.get("/moderation/benevoles").await.text();
    assert!(list.contains("1 / 2"), "Amélie holds one request of two");
    let page = format!("/moderation/benevoles/{}", amelie.id);
    let motif = "Propos déplacés signalés par une personne aidée";
    let response = app
        .server
        .post(&format!("{page}/suspendre"))
        .form(&[("motif", motif)])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);

    let stored = kit::volunteer_profile(&app, amelie.id).await;
    assert!(stored.suspended_at.is_some());
    assert_eq!(stored.suspension_reason.as_deref(), Some(motif));
    let now_waiting = kit::proposals_of(&app, waiting.id).await;
    let withdrawn = now_waiting
        .iter()
        .find(|p| p.volunteer_id == amelie.id)
        .unwrap();
    assert_eq!(
        withdrawn.status,
        ProposalStatus::Withdrawn,
        "her waiting proposal is withdrawn"
    );
    let given_back = kit::request(&app, held.id).await;
    assert_eq!(given_back.status, RequestStatus::Ouverte);
    assert_eq!(given_back.volunteer_id, None);
    let next = kit::proposals_of(&app, held.id).await;
    let next_round: Vec<_> = next
        .iter()
        .filter(|p| p.status == ProposalStatus::Waiting)
        .collect();
    assert_eq!(next_round.len(), 1);
    assert_eq!(
        next_round[0].volunteer_id, bruno.id,
        "the next round goes to Bruno"
    );
    assert_eq!(next_round[0].round, 2);

    let entries = kit::audit_entries_for_action(&app, "benevole.suspendre").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].organisation_id, Some(marne.id));
    assert!(entries[0].details.as_deref().unwrap().contains(motif));
    let email = app
        .mailbox
        .delivered(&amelie.email, |e| e.subject.contains("suspendu"))
        .await;
    assert!(email.text.contains(motif));
    assert!(email.text.contains(&marne.contact_email), "whom to contact");
    assert!(!email.text.contains("Josette") && !email.text.contains("03 26"));
    let shown = app.server.get(&page).await.text();
    assert!(shown.contains("Le compte est suspendu"));
    assert!(shown.contains("Compte suspendu depuis le") && shown.contains(motif));

    // Suspending again changes nothing.
    app.server
        .post(&format!("{page}/suspendre"))
        .form(&[("motif", "Encore")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(app.server.get(&page).await.text().contains("déjà suspendu"));
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.suspendre")
            .await
            .len(),
        1
    );
    assert_eq!(
        app.outbox_rows("volunteer_suspended", Some(&amelie.email))
            .await
            .len(),
        1
    );

    // While suspended, new requests go to others only.
    let meanwhile = add_request(&app, REIMS, true).await;
    let asked: Vec<i64> = kit::proposals_of(&app, meanwhile.id)
        .await
        .iter()
        .map(|p| p.volunteer_id)
        .collect();
    assert_eq!(asked, vec![bruno.id]);

    // Reinstated, she can be proposed again.
    app.server
        .post(&format!("{page}/retablir"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = kit::volunteer_profile(&app, amelie.id).await;
    assert!(stored.suspended_at.is_none() && stored.suspension_reason.is_none());
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.retablir")
            .await
            .len(),
        1
    );
    assert!(
        app.server
            .get(&page)
            .await
            .text()
            .contains("Le compte est rétabli")
    );
    app.server.post(&format!("{page}/retablir")).await;
    assert!(
        app.server
            .get(&page)
            .await
            .text()
            .contains("n&#39;était pas suspendu")
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, "benevole.retablir")
            .await
            .len(),
        1
    );
    let told = app
        .outbox_rows("volunteer_reinstated", Some(&amelie.email))
        .await;
    assert_eq!(told.len(), 1, "told once, not again when nothing changed");
    assert_eq!(
        told[0].subject,
        "Votre compte de bénévole Entraide est rétabli"
    );
    assert!(told[0].body_text.contains("/benevole/propositions"));
    let later = add_request(&app, REIMS, true).await;
    assert!(
        kit::proposals_of(&app, later.id)
            .await
            .iter()
            .any(|p| p.volunteer_id == amelie.id),
        "proposed again"
    );
}
