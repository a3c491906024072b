//! The API's contract: the OpenAPI 3.1 document generated from the handlers
//! (`/api/v1/openapi.json`), and `/api/docs`, a page of ours listing each operation from that
//! document with a curl example (no outside script or style).

use std::sync::OnceLock;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde_json::Value;
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::AppState;
use crate::web::layout::Layout;

/// The document's fixed parts; the paths come from the routes.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Entraide — API partenaires",
        version = "1",
        description = "Déposer et suivre des demandes d'aide au numérique pour les personnes qui appellent votre organisation. \
                       Chaque appel porte une clé de votre organisation (en-tête Authorization: Bearer ent_…). \
                       Les erreurs sont au format application/problem+json (RFC 9457), en français."
    ),
    tags(
        (name = "demandes", description = "Les demandes de votre organisation"),
        (name = "communes", description = "Trouver une commune par code postal ou par nom"),
        (name = "contrat", description = "Ce document"),
    ),
    modifiers(&BearerKey),
)]
pub struct ApiDoc;

/// Declares the `cle_api` security scheme (HTTP bearer).
struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let mut scheme = Http::new(HttpAuthScheme::Bearer);
        scheme.description = Some(
            "Une clé d'API de votre organisation (ent_…), créée par un administrateur ou un modérateur."
                .to_owned(),
        );
        components.add_security_scheme("cle_api", SecurityScheme::Http(scheme));
    }
}

/// The document, built once per process.
pub fn document() -> &'static utoipa::openapi::OpenApi {
    static DOCUMENT: OnceLock<utoipa::openapi::OpenApi> = OnceLock::new();
    DOCUMENT.get_or_init(|| super::openapi_router().into_openapi())
}

/// The OpenAPI 3.1 document of this API.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    tag = "contrat",
    operation_id = "contrat_openapi",
    responses((status = 200, description = "Le document OpenAPI 3.1", content_type = "application/json", body = Object)),
)]
pub async fn openapi_json() -> Response {
    let json = document().to_json().unwrap_or_default();
    ([(header::CONTENT_TYPE, "application/json")], json).into_response()
}

/// One operation, as the page shows it.
struct OperationView {
    anchor: String,
    method: String,
    path: String,
    summary: String,
    description: String,
    parameters: Vec<(String, String)>,
    responses: Vec<(String, String)>,
    curl: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "api/docs.html")]
pub struct DocsPage {
    layout: Layout,
    operations: Vec<OperationView>,
    max_body_kib: usize,
}

/// `/api/docs`: every operation of the document, with a curl example each.
pub async fn page(State(state): State<AppState>, layout: Layout) -> DocsPage {
    let base = state
        .config
        .base_url
        .as_str()
        .trim_end_matches('/')
        .to_owned();
    let document = serde_json::to_value(document()).unwrap_or_default();
    DocsPage {
        layout,
        operations: operations(&document, &base),
        max_body_kib: super::partners::MAX_BODY_BYTES / 1024,
    }
}

/// The operations of `document`, in its order, with curl examples against `base`.
fn operations(document: &Value, base: &str) -> Vec<OperationView> {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let mut found = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return found;
    };
    for (path, item) in paths {
        for method in ["get", "post", "put", "patch", "delete"] {
            let operation = &item[method];
            if operation.is_null() {
                continue;
            }
            let parameters = operation["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|p| {
                    let required = if p["required"].as_bool() == Some(true) {
                        ", obligatoire"
                    } else {
                        ""
                    };
                    (
                        format!("{} ({}{required})", text(&p["name"]), text(&p["in"])),
                        text(&p["description"]),
                    )
                })
                .collect();
            let responses = operation["responses"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(status, r)| (status.clone(), text(&r["description"])))
                .collect();
            found.push(OperationView {
                anchor: text(&operation["operationId"]),
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&operation["summary"]),
                description: text(&operation["description"]),
                parameters,
                responses,
                curl: curl(base, method, path, operation),
            });
        }
    }
    found
}

/// A curl command calling `operation`.
fn curl(base: &str, method: &str, path: &str, operation: &Value) -> String {
    let path = path.replace("{reference}", "ENT-7K3F9Q");
    let mut lines = vec![if method == "get" {
        format!("curl '{base}{path}'")
    } else {
        format!("curl -X {} '{base}{path}'", method.to_uppercase())
    }];
    if operation["security"].is_array() {
        lines.push("-H 'Authorization: Bearer ent_votre_cle'".to_owned());
    }
    if !operation["requestBody"].is_null() {
        lines.push("-H 'Content-Type: application/json'".to_owned());
        lines.push("-H 'Idempotency-Key: appel-2026-11-30-0042'".to_owned());
        lines.push(format!("-d '{}'", super::partners::EXAMPLE_BODY));
    }
    lines.join(" \\\n  ")
}
