//! The moderator's desk: deciding from the queue (each row's excerpt, language, "pour un proche"
//! and "à rappeler"; ticked rows validated together, each audited), « Demande suivante → »,
//! the state and actions at the top with the refusal folded, and « J'ai rappelé la personne ».

use entity::help_request;
use entity::states::RequestStatus;
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::NewRequest;

use super::fixtures::{
    REIMS, add_phone_volunteer_in_reims, aube_request, marne_request, readable, request_page, setup,
};
use crate::fixtures::LYON;
use crate::helpers::TestApp;
use crate::kit;

/// A request from Reims by `prenom`, with every detail a queue row shows.
pub async fn detailed_request(
    app: &TestApp,
    prenom: &str,
    description: &str,
    langue: Option<&str>,
    proche: Option<&str>,
    email: Option<&str>,
) -> help_request::Model {
    let (insee, departement, lat, lon) = REIMS;
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["proches"]).unwrap(),
        description: Some(description.into()),
        modes: ModeSet::from_slugs(&["telephone", "visio"]).unwrap(),
        commune_insee: insee.into(),
        departement: departement.into(),
        latitude: lat,
        longitude: lon,
        prenom: prenom.into(),
        email: email.map(|e| EmailAddress::parse(e).unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        langue: langue.map(str::to_owned),
        prenom_proche: proche.map(str::to_owned),
        ..kit::new_request(LYON)
    };
    kit::file(app, &new).await.request
}

async fn queue(app: &TestApp, query: &str) -> String {
    let response = app.server.get(&format!("/moderation{query}")).await;
    response.assert_status_ok();
    readable(&response.text())
}

#[tokio::test]
async fn each_row_of_the_queue_says_enough_to_decide() {
    let s = setup().await;
    let app = &s.app;
    let long = "Je voudrais appeler mes petits-enfants en vidéo sur la tablette que ma fille m'a \
                offerte à Noël, mais je ne sais pas où appuyer ni comment répondre quand ils \
                appellent le dimanche";
    detailed_request(app, "Josette", long, Some("ar"), Some("Mohamed"), None).await;
    let page = queue(app, "").await;
    assert!(
        page.contains("« Je voudrais appeler mes petits-enfants en vidéo"),
        "an excerpt of the description"
    );
    assert!(
        page.contains("…»") || page.contains("… »"),
        "cut and marked"
    );
    assert!(!page.contains("appellent le dimanche"), "only an excerpt");
    assert!(page.contains("en arabe"), "the language");
    assert!(page.contains("Pour un proche"));
    assert!(page.contains("À rappeler"));
    assert!(page.contains("data-label=\"Commune\""), "cards on a phone");
    assert!(
        page.contains("<details class=\"filtres-plies\">"),
        "filters folded"
    );
    let filtered = queue(app, "?rappel=oui").await;
    assert!(filtered.contains("<details class=\"filtres-plies\" open>"));
    assert!(filtered.contains("(1 filtre actif)"));
}

#[tokio::test]
async fn ticked_requests_are_validated_together_and_each_is_audited() {
    let s = setup().await;
    let app = &s.app;
    let first = marne_request(app).await;
    let second = marne_request(app).await;
    let untouched = marne_request(app).await;
    let elsewhere = aube_request(app).await;
    let page = queue(app, "").await;
    assert!(page.contains(&format!("Choisir {}", first.reference)));
    assert!(page.contains("Valider les demandes cochées"));

    let response = app
        .server
        .post("/moderation/valider")
        .form(&[
            ("demande", first.id.to_string()),
            ("demande", second.id.to_string()),
            ("demande", elsewhere.id.to_string()),
        ])
        .await;
    response.assert_status(axum::http::StatusCode::SEE_OTHER);
    // Validated: out of "nouvelle" (nobody to propose them to: without volunteer).
    for request in [&first, &second] {
        assert_ne!(
            kit::request(app, request.id).await.status,
            RequestStatus::Nouvelle
        );
    }
    for request in [&untouched, &elsewhere] {
        assert_eq!(
            kit::request(app, request.id).await.status,
            RequestStatus::Nouvelle
        );
    }
    let validated = kit::audit_entries_for_action(app, "demande.valider").await;
    let mut targets: Vec<Option<i64>> = validated.iter().map(|e| e.target_id).collect();
    targets.sort();
    assert_eq!(
        targets,
        vec![Some(first.id), Some(second.id)],
        "one entry each"
    );
    let page = queue(app, "").await;
    assert!(page.contains(&format!(
        "2 demandes sont validées ({}, {})",
        first.reference, second.reference
    )));

    // Again: already validated, said so, nothing more written.
    app.server
        .post("/moderation/valider")
        .form(&[("demande", first.id.to_string())])
        .await;
    let page = queue(app, "").await;
    assert!(page.contains(&format!("{} : Impossible de la valider", first.reference)));
    assert_eq!(
        kit::audit_entries_for_action(app, "demande.valider")
            .await
            .len(),
        2
    );
    app.server
        .post("/moderation/valider")
        .form(&Vec::<(&str, &str)>::new())
        .await;
    assert!(queue(app, "").await.contains("Cochez au moins une demande"));
}

#[tokio::test]
async fn a_requests_page_puts_state_and_actions_first_and_leads_to_the_next_one() {
    let s = setup().await;
    let app = &s.app;
    add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    let first = marne_request(app).await;
    let second = marne_request(app).await;
    let page = request_page(app, first.id).await;
    let state = page.find("id=\"titre-etat\"").unwrap();
    let actions = page.find("Valider la demande").unwrap();
    let details = page.find("<h2>La demande</h2>").unwrap();
    assert!(
        state < details && actions < details,
        "state and actions first"
    );
    assert!(page.contains("<summary>Refuser la demande…</summary>"));
    assert!(
        !page.contains("<details class=\"replie\" open>"),
        "folded until asked for"
    );
    let next = format!(
        "<a class=\"suivante\" href=\"/moderation/demandes/{}\">Demande suivante : {} →</a>",
        second.id, second.reference
    );
    assert!(page.contains(&next));

    // A refusal sent without its reason opens the folded form again, with the error.
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/refuser", first.id))
        .form(&[("message", "Bonjour")])
        .await;
    let shown = readable(&response.text());
    assert!(shown.contains("<details class=\"replie\" open>"));
    assert!(shown.contains("Choisissez le motif du refus."));

    // After validating, the page still offers the next request.
    app.server
        .post(&format!("/moderation/demandes/{}/valider", first.id))
        .await;
    let page = request_page(app, first.id).await;
    assert!(page.contains("La demande est validée."));
    assert!(page.contains(&next));
    let last = request_page(app, second.id).await;
    assert!(last.contains("Aucune autre demande n'attend de modérateur."));
}

#[tokio::test]
async fn calling_the_person_back_is_recorded_and_the_filter_keeps_the_others() {
    let s = setup().await;
    let app = &s.app;
    let phone_only = detailed_request(app, "Josette", "Tablette", None, None, None).await;
    let with_email = detailed_request(
        app,
        "Paul",
        "Doctolib",
        None,
        None,
        Some("paul@example.org"),
    )
    .await;
    assert!(phone_only.a_rappeler && !with_email.a_rappeler);
    let to_call = queue(app, "?rappel=oui").await;
    assert!(to_call.contains(&phone_only.reference));
    assert!(!to_call.contains(&with_email.reference));

    let page = request_page(app, phone_only.id).await;
    assert!(page.contains("J'ai rappelé la personne"));
    app.server
        .post(&format!("/moderation/demandes/{}/rappelee", phone_only.id))
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    assert!(!kit::request(app, phone_only.id).await.a_rappeler);
    let page = request_page(app, phone_only.id).await;
    assert!(
        page.contains("la personne a été rappelée"),
        "in the timeline"
    );
    assert!(!page.contains("J'ai rappelé la personne"));
    assert!(
        !queue(app, "?rappel=oui")
            .await
            .contains(&phone_only.reference)
    );
    assert_eq!(
        kit::audit_entries_for_action(app, "demande.rappeler")
            .await
            .len(),
        1
    );

    // Twice: said so, nothing written.
    app.server
        .post(&format!("/moderation/demandes/{}/rappelee", phone_only.id))
        .await;
    assert!(
        request_page(app, phone_only.id)
            .await
            .contains("n'était pas à rappeler")
    );
    assert_eq!(
        kit::audit_entries_for_action(app, "demande.rappeler")
            .await
            .len(),
        1
    );

    // Another organisation's request: as if it did not exist.
    let theirs = aube_request(app).await;
    app.server
        .post(&format!("/moderation/demandes/{}/rappelee", theirs.id))
        .await
        .assert_status(axum::http::StatusCode::NOT_FOUND);
}
