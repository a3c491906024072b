//! The contract: the OpenAPI 3.1 document lists every route the API serves (and only those), the
//! documentation page shows each with a curl example, bodies over 64 KiB get 413 and callers over
//! their limit 429 with Retry-After.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use super::{
    assert_conforms, assert_problem, caller, file, filed_reference, get, openapi, partner,
};
use crate::helpers::{spawn_app, spawn_app_with};

/// The routes of `/api/v1` the router serves, as (method, path template).
const ROUTES: [(&str, &str); 6] = [
    ("get", "/api/v1/communes"),
    ("get", "/api/v1/openapi.json"),
    ("get", "/api/v1/demandes"),
    ("post", "/api/v1/demandes"),
    ("get", "/api/v1/demandes/{reference}"),
    ("post", "/api/v1/demandes/{reference}/annulation"),
];

#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes_served() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let reference = filed_reference(&app, &helpline).await;
    let document = openapi(&app).await;
    assert!(document["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(
        document["components"]["securitySchemes"]["cle_api"]["scheme"],
        "bearer"
    );

    let mut documented = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            assert!(operation["responses"].is_object(), "{method} {path}");
            documented.push((method.clone(), path.clone()));
        }
    }
    let mut served: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    documented.sort();
    served.sort();
    assert_eq!(documented, served);

    // Every documented operation is served (neither 404 from the router nor 405).
    for (method, path) in &documented {
        let concrete = path.replace("{reference}", &reference);
        let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
        let mut request = app
            .server
            .method(method.clone(), &concrete)
            .authorization_bearer(&helpline.secret);
        if concrete.ends_with("/communes") {
            request = request.add_query_param("q", "51100");
        }
        if method == Method::POST && concrete.ends_with("/demandes") {
            request = request.json(&caller());
        }
        let response = request.await;
        assert!(
            response.status_code().is_success(),
            "{method} {concrete}: {}",
            response.status_code()
        );
    }
    // And the communes' answer conforms too.
    let communes: Value = app
        .server
        .get("/api/v1/communes")
        .add_query_param("q", "51100")
        .await
        .json();
    for commune in communes.as_array().unwrap() {
        assert_conforms(&document, "Commune", commune);
    }
    // An unknown route of the partner API is a problem too.
    let nowhere = get(&app, &helpline, "/api/v1/demandes/ENT-1/ailleurs").await;
    assert_problem(&nowhere, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_documentation_page_shows_each_operation_with_a_curl_example() {
    let app = spawn_app().await;
    let document = openapi(&app).await;
    let page = app.server.get("/api/docs").await;
    page.assert_status_ok();
    let html = page.text();
    for path in document["paths"].as_object().unwrap().keys() {
        assert!(html.contains(path.as_str()), "{path}");
    }
    assert!(
        html.matches("curl ").count() >= ROUTES.len(),
        "one example each"
    );
    assert!(html.contains("Authorization: Bearer"));
    assert!(!html.contains("https://cdn") && !html.contains("<script src=\"http"));
}

#[tokio::test]
async fn bodies_over_64_kib_are_refused_with_413() {
    let app = spawn_app().await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let mut body = caller();
    body["description"] = Value::String("a".repeat(65 * 1024));
    let response = file(&app, &helpline, &body).await;
    assert_problem(&response, StatusCode::PAYLOAD_TOO_LARGE);
    // Larger than the service-wide limit too: refused before it is read.
    body["description"] = Value::String("a".repeat(300 * 1024));
    let response = file(&app, &helpline, &body).await;
    assert_problem(&response, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn a_key_over_its_limit_gets_429_with_retry_after() {
    let app = spawn_app_with(|config| config.api_requests_per_minute = 3).await;
    let helpline = partner(&app, "Ligne d'aide", "51").await;
    let other = partner(&app, "Autre ligne", "51").await;
    for _ in 0..3 {
        get(&app, &helpline, "/api/v1/demandes")
            .await
            .assert_status_ok();
    }
    let refused = get(&app, &helpline, "/api/v1/demandes").await;
    let problem = assert_problem(&refused, StatusCode::TOO_MANY_REQUESTS);
    assert_conforms(&openapi(&app).await, "Probleme", &problem);
    let wait: u64 = refused
        .header("retry-after")
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait));
    // Each key has its own count.
    get(&app, &other, "/api/v1/demandes")
        .await
        .assert_status_ok();
}
