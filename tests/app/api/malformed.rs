//! No input gets a 500: a table of malformed bodies, headers and parameters, each answered with a
//! 4xx problem in French.

use axum::body::Bytes;
use axum::http::StatusCode;

use super::{assert_problem, filed_reference, partner};
use crate::helpers::spawn_app;

#[tokio::test]
async fn malformed_inputs_get_a_4xx_problem_never_a_500() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let reference = filed_reference(&app, &helpline).await;

    // (content type, body, expected status)
    let bodies: Vec<(Option<&str>, Vec<u8>, StatusCode)> = vec![
        (
            Some("application/json"),
            b"".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"{".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"{\"prenom\": }".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"{} trailing".to_vec(),
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            vec![0xff, 0xfe, 0x00],
            StatusCode::BAD_REQUEST,
        ),
        (
            Some("application/json"),
            b"null".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            b"[]".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            b"42".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            b"\"texte\"".to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"inconnu": 1}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"categories": "demarches"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"categories": [1, 2]}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"prenom": ["Jeanne"]}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"prenom": {"a": 1}}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"consentement": "oui"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"pour_un_proche": 1}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"prenom": "\u0000\u0001"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            format!(r#"{{"prenom": "{}"}}"#, "é".repeat(5000)).into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            format!("{}1{}", "[".repeat(10_000), "]".repeat(10_000)).into_bytes(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("application/json"),
            br#"{"commune_insee": "'; DROP TABLE help_request; --"}"#.to_vec(),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            Some("text/plain"),
            b"{}".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (
            Some("application/x-www-form-urlencoded"),
            b"prenom=Jeanne".to_vec(),
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
        (None, b"{}".to_vec(), StatusCode::UNSUPPORTED_MEDIA_TYPE),
    ];
    for (content_type, body, expected) in bodies {
        let mut request = app
            .server
            .post("/api/v1/demandes")
            .authorization_bearer(&helpline.secret)
            .bytes(Bytes::from(body.clone()));
        if let Some(content_type) = content_type {
            request = request.content_type(content_type);
        }
        let response = request.await;
        let shown = String::from_utf8_lossy(&body[..body.len().min(40)]).into_owned();
        assert_eq!(
            response.status_code(),
            expected,
            "{content_type:?} {shown}: {}",
            response.text()
        );
        assert_problem(&response, expected);
    }

    // Headers and parameters.
    let bad_idempotency = [" ", "é", &"x".repeat(256)];
    for key in bad_idempotency {
        let response = app
            .server
            .post("/api/v1/demandes")
            .authorization_bearer(&helpline.secret)
            .add_header("idempotency-key", key)
            .json(&super::caller())
            .await;
        assert_problem(&response, StatusCode::BAD_REQUEST);
    }
    let paths = [
        "/api/v1/demandes/%FF%FE".to_owned(),
        format!("/api/v1/demandes/{}", "A".repeat(5000)),
        "/api/v1/demandes/..%2F..%2Fetc".to_owned(),
        "/api/v1/demandes?limite=-1".to_owned(),
        "/api/v1/demandes?limite=abc".to_owned(),
        "/api/v1/demandes?curseur=%00".to_owned(),
        "/api/v1/demandes?depuis=2026-02-30".to_owned(),
        "/api/v1/demandes?statut=%FF".to_owned(),
    ];
    for path in &paths {
        let response = app
            .server
            .get(path)
            .authorization_bearer(&helpline.secret)
            .await;
        assert!(
            response.status_code().is_client_error(),
            "{path}: {}",
            response.status_code()
        );
        assert_problem(&response, response.status_code());
    }
    // Methods the routes do not take.
    for (method, path) in [
        (
            axum::http::Method::DELETE,
            format!("/api/v1/demandes/{reference}"),
        ),
        (axum::http::Method::PUT, "/api/v1/demandes".to_owned()),
        (
            axum::http::Method::GET,
            format!("/api/v1/demandes/{reference}/annulation"),
        ),
    ] {
        let response = app
            .server
            .method(method.clone(), &path)
            .authorization_bearer(&helpline.secret)
            .await;
        assert_problem(&response, StatusCode::METHOD_NOT_ALLOWED);
    }
    // The request filed first is untouched by all of this.
    let response = app
        .server
        .get(&format!("/api/v1/demandes/{reference}"))
        .authorization_bearer(&helpline.secret)
        .await;
    response.assert_status_ok();
    assert_eq!(
        sea_orm::PaginatorTrait::count(
            <entity::help_request::Entity as sea_orm::EntityTrait>::find(),
            &app.db
        )
        .await
        .unwrap(),
        1
    );
}
