//! `POST /api/v1/demandes`: the form's rules and French messages, the partner's organisation, and
//! the `Idempotency-Key` that makes a retry safe.

use axum::http::StatusCode;
use entity::help_request;
use entity::states::{AuditAction, RequestStatus};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use super::{
    Partner, assert_conforms, assert_problem, caller, field_message, file, openapi, partner,
};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;

async fn stored(app: &TestApp, reference: &str) -> help_request::Model {
    use sea_orm::{ColumnTrait, QueryFilter};
    help_request::Entity::find()
        .filter(help_request::Column::Reference.eq(reference))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the request is stored")
}

async fn count(app: &TestApp) -> u64 {
    help_request::Entity::find().count(&app.db).await.unwrap()
}

#[tokio::test]
async fn a_helpline_files_a_request_for_someone_who_called() {
    let app = spawn_app().await;
    // A national helpline: Reims is not its territory, the request stays its own all the same.
    let helpline = partner(&app, "Solidarité numérique", "75").await;

    let response = file(&app, &helpline, &caller()).await;
    response.assert_status(StatusCode::CREATED);
    let body: Value = response.json();
    assert_conforms(&openapi(&app).await, "DemandeCreee", &body);
    let reference = body["reference"].as_str().unwrap();
    assert_eq!(
        response.header("location"),
        format!("/api/v1/demandes/{reference}").as_str()
    );
    assert_eq!(body["statut"], "nouvelle");
    assert_eq!(body["libelle_statut"], "En attente de validation");
    let follow = body["lien_suivi"].as_str().unwrap();
    assert!(follow.contains("/suivi/"), "{follow}");
    let follow_path = url::Url::parse(follow).unwrap().path().to_owned();
    app.server.get(&follow_path).await.assert_status_ok();

    let request = stored(&app, reference).await;
    assert_eq!(request.status, RequestStatus::Nouvelle);
    assert_eq!(request.organisation_id, Some(helpline.organisation.id));
    assert_eq!(request.api_key_id, Some(helpline.key_id));
    assert_eq!(request.entered_by, None);
    assert_eq!(request.commune_insee, "51454");
    assert_eq!(request.prenom, "Jeanne");
    assert_eq!(request.telephone.as_deref(), Some("+33326000000"));
    let entered = kit::audit_entries_about_request(&app, request.id).await;
    assert_eq!(entered.len(), 1);
    assert_eq!(entered[0].action, AuditAction::RequestEntered);
    assert_eq!(entered[0].actor_role, "cle_api");
    // The same confirmation e-mail as the form's.
    assert_eq!(
        app.outbox_rows("request_received", Some("jeanne@example.org"))
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn an_organisation_that_validates_automatically_opens_the_request_at_once() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let mut organisation: entity::organisation::ActiveModel = helpline.organisation.clone().into();
    organisation.auto_approve = sea_orm::Set(true);
    sea_orm::ActiveModelTrait::update(organisation, &app.db)
        .await
        .unwrap();
    let response = file(&app, &helpline, &caller()).await;
    response.assert_status(StatusCode::CREATED);
    assert_ne!(response.json::<Value>()["statut"], "nouvelle");
}

#[tokio::test]
async fn the_commune_is_given_by_insee_code_or_by_postcode_and_name() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let mut by_code = caller();
    by_code["commune"] = Value::Null;
    by_code["commune_insee"] = json!("51230");
    let response = file(&app, &helpline, &by_code).await;
    response.assert_status(StatusCode::CREATED);
    let reference = response.json::<Value>()["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(stored(&app, &reference).await.commune_insee, "51230");

    let mut by_name = caller();
    by_name["commune"] = json!("51200 Épernay");
    file(&app, &helpline, &by_name)
        .await
        .assert_status(StatusCode::CREATED);

    let cases = [
        (json!({"commune": "Lyon"}), "commune", "arrondissements"),
        (
            json!({"commune": null, "commune_insee": "69123"}),
            "commune_insee",
            "arrondissements",
        ),
        (
            json!({"commune": null, "commune_insee": "99999"}),
            "commune_insee",
            "code INSEE",
        ),
        (json!({"commune": "00000"}), "commune", "code postal"),
        (json!({"commune": null}), "commune", "commune_insee"),
    ];
    for (change, champ, words) in cases {
        let mut body = caller();
        for (name, value) in change.as_object().unwrap() {
            body[name] = value.clone();
        }
        let response = file(&app, &helpline, &body).await;
        let problem = assert_problem(&response, StatusCode::UNPROCESSABLE_ENTITY);
        let message = field_message(&problem, champ).unwrap_or_else(|| panic!("{problem:#}"));
        assert!(message.contains(words), "{change}: {message}");
    }
    assert_eq!(count(&app).await, 2);
}

#[tokio::test]
async fn invalid_fields_get_the_forms_french_messages_in_a_problem() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;

    let response = file(&app, &helpline, &json!({})).await;
    let problem = assert_problem(&response, StatusCode::UNPROCESSABLE_ENTITY);
    assert_conforms(&openapi(&app).await, "Probleme", &problem);
    for (champ, message) in [
        ("categories", "Choisissez au moins un sujet."),
        ("modes", "Choisissez au moins une façon d'être aidé."),
        ("prenom", "Indiquez votre prénom."),
        (
            "consentement",
            "Pour que nous puissions traiter votre demande, cochez la case d'accord.",
        ),
    ] {
        assert_eq!(
            field_message(&problem, champ).as_deref(),
            Some(message),
            "{problem:#}"
        );
    }
    assert!(
        field_message(&problem, "email")
            .unwrap()
            .contains("au moins un moyen")
    );
    assert!(field_message(&problem, "commune").is_some());

    let mut wrong = caller();
    wrong["categories"] = json!(["demarches", "astrologie"]);
    wrong["telephone"] = json!("12");
    wrong["langue"] = json!("klingon");
    wrong["description"] = json!("x".repeat(2001));
    let response = file(&app, &helpline, &wrong).await;
    let problem = assert_problem(&response, StatusCode::UNPROCESSABLE_ENTITY);
    for champ in ["categories", "telephone", "langue", "description"] {
        assert!(
            field_message(&problem, champ).is_some(),
            "{champ}: {problem:#}"
        );
    }
    assert_eq!(count(&app).await, 0);
}

#[tokio::test]
async fn a_retried_post_returns_the_first_answer_and_files_one_request() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let send = |body: Value, key: &'static str| {
        let request = app
            .server
            .post("/api/v1/demandes")
            .authorization_bearer(&helpline.secret)
            .add_header("idempotency-key", key)
            .json(&body);
        async move { request.await }
    };

    let first = send(caller(), "appel-0042").await;
    first.assert_status(StatusCode::CREATED);
    let retry = send(caller(), "appel-0042").await;
    retry.assert_status(StatusCode::CREATED);
    assert_eq!(retry.json::<Value>(), first.json::<Value>());
    assert_eq!(retry.header("location"), first.header("location"));
    assert_eq!(count(&app).await, 1);

    let mut other = caller();
    other["prenom"] = json!("Marcel");
    let reused = send(other.clone(), "appel-0042").await;
    let problem = assert_problem(&reused, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Idempotency-Key")
    );
    assert_eq!(count(&app).await, 1);

    // An invalid first answer is the answer to its retries too; a new key files anew.
    let invalid = send(json!({"prenom": "Marcel"}), "appel-0043").await;
    assert_problem(&invalid, StatusCode::UNPROCESSABLE_ENTITY);
    let again = send(json!({"prenom": "Marcel"}), "appel-0043").await;
    assert_eq!(again.text(), invalid.text());
    send(other, "appel-0044")
        .await
        .assert_status(StatusCode::CREATED);
    assert_eq!(count(&app).await, 2);

    // Keys are per API key: another organisation's same header is its own.
    let other_helpline: Partner = partner(&app, "Autre ligne", "51").await;
    app.server
        .post("/api/v1/demandes")
        .authorization_bearer(&other_helpline.secret)
        .add_header("idempotency-key", "appel-0042")
        .json(&caller())
        .await
        .assert_status(StatusCode::CREATED);
    assert_eq!(count(&app).await, 3);
}
