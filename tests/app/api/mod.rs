//! The partner API (issue 17), driven over HTTP like a partner's software: keys, filing, reading,
//! listing and cancelling requests, and the contract (OpenAPI document, problem+json, limits).

mod contract;
mod filing;
mod keys;
mod malformed;
mod reading;

use axum::http::StatusCode;
use axum_test::TestResponse;
use entity::organisation;
use entity::states::Role;
use entraide::organisations::Scope;
use entraide::partners::keys as api_keys;
use entraide::staff::Staff;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::staff::{add_organisation, add_staff};

/// An organisation with one API key.
pub struct Partner {
    pub organisation: organisation::Model,
    pub secret: String,
    pub key_id: i64,
}

/// An organisation named `name` covering `departements`, and a key of it created by an admin.
pub async fn partner(app: &TestApp, name: &str, departements: &str) -> Partner {
    let organisation = add_organisation(app, name, departements, false).await;
    let admin = add_staff(app, "admin", "Alice").await;
    let staff = Staff {
        account: admin,
        role: Role::Admin,
        scope: Scope::All,
    };
    let created = api_keys::create(
        &app.db,
        &app.config.secret_key,
        &staff,
        organisation.id,
        "Standard téléphonique",
    )
    .await
    .unwrap();
    Partner {
        organisation,
        secret: created.secret,
        key_id: created.key.id,
    }
}

/// What a helpline types for someone who called from Reims.
pub fn caller() -> Value {
    json!({
        "categories": ["demarches"],
        "modes": ["telephone"],
        "commune": "51100 Reims",
        "prenom": "Jeanne",
        "telephone": "03 26 00 00 00",
        "email": "jeanne@example.org",
        "description": "Renouveler sa carte vitale en ligne",
        "consentement": true
    })
}

/// Files `body` with `partner`'s key; returns the answer.
pub async fn file(app: &TestApp, partner: &Partner, body: &Value) -> TestResponse {
    app.server
        .post("/api/v1/demandes")
        .authorization_bearer(&partner.secret)
        .json(body)
        .await
}

/// Files the caller's request and returns its reference.
pub async fn filed_reference(app: &TestApp, partner: &Partner) -> String {
    let response = file(app, partner, &caller()).await;
    response.assert_status(StatusCode::CREATED);
    response.json::<Value>()["reference"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// GET `path` with `partner`'s key.
pub async fn get(app: &TestApp, partner: &Partner, path: &str) -> TestResponse {
    app.server
        .get(path)
        .authorization_bearer(&partner.secret)
        .await
}

/// Asserts `response` is a problem (RFC 9457) of `status` with a French detail; returns its body.
pub fn assert_problem(response: &TestResponse, status: StatusCode) -> Value {
    response.assert_status(status);
    assert_eq!(
        response.content_type(),
        "application/problem+json",
        "{}",
        response.text()
    );
    let body: Value = serde_json::from_str(&response.text()).expect("a JSON problem");
    assert_eq!(body["status"], status.as_u16());
    assert!(body["type"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(body["detail"].as_str().is_some_and(|t| !t.is_empty()));
    body
}

/// The message of field `champ` in a problem's `errors`.
pub fn field_message(problem: &Value, champ: &str) -> Option<String> {
    problem["errors"]
        .as_array()?
        .iter()
        .find(|e| e["champ"] == champ)
        .and_then(|e| e["message"].as_str())
        .map(str::to_owned)
}

/// The OpenAPI document the server serves.
pub async fn openapi(app: &TestApp) -> Value {
    let response = app.server.get("/api/v1/openapi.json").await;
    response.assert_status_ok();
    response.json()
}

/// Asserts `instance` conforms to the document's component schema `name`.
pub fn assert_conforms(document: &Value, name: &str, instance: &Value) {
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": document["components"],
    });
    let validator = jsonschema::draft202012::new(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} does not conform: {errors:?}\n{instance:#}"
    );
}
