//! Reading, listing and cancelling: the organisation's requests only (another's answers 404 like
//! an unknown one), newest changes first with a cursor that inserts do not shift, and the same
//! cancellation as the person's own.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use entity::help_request;
use entity::states::RequestStatus;
use sea_orm::EntityTrait;
use serde_json::Value;

use super::{
    assert_conforms, assert_problem, field_message, filed_reference, get, openapi, partner,
};
use crate::fixtures::REIMS;
use crate::helpers::spawn_app;
use crate::kit;

#[tokio::test]
async fn a_partner_reads_its_request_with_its_timeline() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let reference = filed_reference(&app, &helpline).await;

    let response = get(&app, &helpline, &format!("/api/v1/demandes/{reference}")).await;
    response.assert_status_ok();
    let body: Value = response.json();
    assert_conforms(&openapi(&app).await, "Demande", &body);
    assert_eq!(body["reference"], reference.as_str());
    assert_eq!(body["statut"], "nouvelle");
    assert_eq!(body["categories"], serde_json::json!(["demarches"]));
    assert_eq!(body["saisie_par_api"], true);
    assert_eq!(body["prenom_benevole"], Value::Null);
    assert_eq!(body["historique"][0]["libelle"], "Demande envoyée");
    // Nothing of the person's contact details, nor of any volunteer's.
    let text = response.text();
    assert!(
        !text.contains("jeanne@example.org") && !text.contains("+33"),
        "{text}"
    );

    // The reference is read whatever its case.
    get(
        &app,
        &helpline,
        &format!("/api/v1/demandes/{}", reference.to_lowercase()),
    )
    .await
    .assert_status_ok();
}

#[tokio::test]
async fn another_organisations_request_answers_like_an_unknown_one() {
    let app = spawn_app().await;
    let marne = partner(&app, "Ligne de la Marne", "51").await;
    let lyon = partner(&app, "CCAS de Lyon", "69").await;
    let theirs = filed_reference(&app, &marne).await;
    // A request filed on the public form belongs to no partner either.
    let public = kit::file(&app, &kit::new_request(REIMS))
        .await
        .request
        .reference;

    let unknown = get(&app, &lyon, "/api/v1/demandes/ENT-ZZZZZZ").await;
    let unknown_body = assert_problem(&unknown, StatusCode::NOT_FOUND);
    for reference in [&theirs, &public] {
        let other = get(&app, &lyon, &format!("/api/v1/demandes/{reference}")).await;
        assert_eq!(assert_problem(&other, StatusCode::NOT_FOUND), unknown_body);
        assert_eq!(other.text(), unknown.text());
        let cancel = app
            .server
            .post(&format!("/api/v1/demandes/{reference}/annulation"))
            .authorization_bearer(&lyon.secret)
            .await;
        assert_eq!(cancel.text(), unknown.text());
    }
    let listed: Value = get(&app, &lyon, "/api/v1/demandes").await.json();
    assert_eq!(listed["demandes"], serde_json::json!([]));
}

/// The references of a page, and its next cursor.
fn page_of(body: &Value) -> (Vec<String>, Option<String>) {
    let references = body["demandes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["reference"].as_str().unwrap().to_owned())
        .collect();
    (
        references,
        body["curseur_suivant"].as_str().map(str::to_owned),
    )
}

#[tokio::test]
async fn pages_follow_newest_changes_first_and_inserts_do_not_shift_them() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let mut filed = Vec::new();
    for _ in 0..5 {
        filed.push(filed_reference(&app, &helpline).await);
    }
    let document = openapi(&app).await;

    let first = get(&app, &helpline, "/api/v1/demandes?limite=2").await;
    first.assert_status_ok();
    let first_body: Value = first.json();
    assert_conforms(&document, "PageDemandes", &first_body);
    let (page_one, cursor) = page_of(&first_body);
    assert_eq!(page_one, vec![filed[4].clone(), filed[3].clone()]);

    // Two new calls arrive while the partner pages through.
    let newer = [
        filed_reference(&app, &helpline).await,
        filed_reference(&app, &helpline).await,
    ];
    let mut seen: Vec<String> = page_one.clone();
    let mut cursor = cursor;
    while let Some(next) = cursor {
        let response = get(
            &app,
            &helpline,
            &format!("/api/v1/demandes?limite=2&curseur={next}"),
        )
        .await;
        response.assert_status_ok();
        let (references, following) = page_of(&response.json());
        seen.extend(references);
        cursor = following;
    }
    let expected: Vec<String> = filed.iter().rev().cloned().collect();
    assert_eq!(
        seen, expected,
        "every request once, in order, none of the newer"
    );

    let all: Value = get(&app, &helpline, "/api/v1/demandes").await.json();
    let (everything, last) = page_of(&all);
    assert_eq!(everything.len(), 7);
    assert_eq!(&everything[..2], &[newer[1].clone(), newer[0].clone()]);
    assert_eq!(last, None);
    let distinct: BTreeSet<&String> = everything.iter().collect();
    assert_eq!(distinct.len(), 7);
}

#[tokio::test]
async fn the_list_filters_by_status_and_date_and_explains_bad_parameters() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let kept = filed_reference(&app, &helpline).await;
    let cancelled = filed_reference(&app, &helpline).await;
    app.server
        .post(&format!("/api/v1/demandes/{cancelled}/annulation"))
        .authorization_bearer(&helpline.secret)
        .await
        .assert_status_ok();

    let (only_cancelled, _) = page_of(
        &get(&app, &helpline, "/api/v1/demandes?statut=annulee")
            .await
            .json(),
    );
    assert_eq!(only_cancelled, vec![cancelled.clone()]);
    let (new_ones, _) = page_of(
        &get(
            &app,
            &helpline,
            "/api/v1/demandes?statut=nouvelle&depuis=2020-01-01",
        )
        .await
        .json(),
    );
    assert_eq!(new_ones, vec![kept]);
    let (none, _) = page_of(
        &get(
            &app,
            &helpline,
            "/api/v1/demandes?depuis=2999-01-01T00:00:00Z",
        )
        .await
        .json(),
    );
    assert!(none.is_empty());

    let response = get(
        &app,
        &helpline,
        "/api/v1/demandes?statut=perdue&depuis=hier&curseur=abc&limite=500",
    )
    .await;
    let problem = assert_problem(&response, StatusCode::UNPROCESSABLE_ENTITY);
    for champ in ["statut", "depuis", "curseur", "limite"] {
        assert!(
            field_message(&problem, champ).is_some(),
            "{champ}: {problem:#}"
        );
    }
    let twice = get(
        &app,
        &helpline,
        "/api/v1/demandes?statut=nouvelle&statut=annulee",
    )
    .await;
    assert_problem(&twice, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_partner_cancels_a_request_as_the_person_would() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let reference = filed_reference(&app, &helpline).await;
    let path = format!("/api/v1/demandes/{reference}/annulation");

    let response = app
        .server
        .post(&path)
        .authorization_bearer(&helpline.secret)
        .await;
    response.assert_status_ok();
    let body: Value = response.json();
    assert_conforms(&openapi(&app).await, "Demande", &body);
    assert_eq!(body["statut"], "annulee");
    assert!(body["terminee_le"].is_string());
    assert_eq!(
        body["historique"].as_array().unwrap().last().unwrap()["libelle"],
        "Demande annulée"
    );
    let stored = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, RequestStatus::Annulee);

    // Again: the same answer, nothing more happens.
    let again = app
        .server
        .post(&path)
        .authorization_bearer(&helpline.secret)
        .await;
    again.assert_status_ok();
    assert_eq!(again.json::<Value>()["statut"], "annulee");

    // A request already ended otherwise cannot be cancelled.
    let solved = filed_reference(&app, &helpline).await;
    let mut request: help_request::ActiveModel = help_request::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.reference == solved)
        .unwrap()
        .into();
    request.status = sea_orm::Set(RequestStatus::Refusee);
    sea_orm::ActiveModelTrait::update(request, &app.db)
        .await
        .unwrap();
    let refused = app
        .server
        .post(&format!("/api/v1/demandes/{solved}/annulation"))
        .authorization_bearer(&helpline.secret)
        .await;
    let problem = assert_problem(&refused, StatusCode::CONFLICT);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("déjà terminée")
    );
}
