//! Turns every error answer into something a person can read: a French HTML page, or a JSON body
//! under `/api/`. Handlers ([`crate::error::AppError`]) and layers (cross-site protection, body
//! limit, timeout, unknown routes) only set a status; this layer writes the words.

use askama::Template;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Json, Response};
use serde_json::json;

use crate::error::ErrorDetail;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    title: &'a str,
    message: &'a str,
}

/// The French title and explanation for an error status.
pub fn describe(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => (
            "Demande incorrecte",
            "Nous n'avons pas compris ce qui a été envoyé. Revenez en arrière et réessayez.",
        ),
        401 => (
            "Identification nécessaire",
            "Vous devez vous identifier pour faire cela.",
        ),
        403 => (
            "Accès refusé",
            "Vous n'avez pas le droit de faire cela. Si vous avez envoyé un formulaire depuis un autre site, \
             revenez sur Entraide et réessayez depuis la page d'accueil.",
        ),
        404 => (
            "Page introuvable",
            "Cette page n'existe pas ou n'existe plus. Vérifiez l'adresse, ou repartez de la page d'accueil.",
        ),
        405 => (
            "Action impossible",
            "Cette page ne permet pas cette action. Repartez de la page d'accueil.",
        ),
        408 | 504 => (
            "Délai dépassé",
            "Le serveur a mis trop de temps à répondre. Réessayez dans un instant.",
        ),
        413 => (
            "Envoi trop volumineux",
            "Ce que vous avez envoyé est trop long. Raccourcissez votre texte et réessayez.",
        ),
        415 | 422 => (
            "Informations incorrectes",
            "Certaines informations envoyées ne conviennent pas. Revenez en arrière et vérifiez-les.",
        ),
        429 => (
            "Trop de tentatives",
            "Vous avez fait trop d'essais en peu de temps. Attendez quelques minutes avant de réessayer.",
        ),
        503 => (
            "Service momentanément indisponible",
            "Entraide est momentanément indisponible. Réessayez dans quelques minutes.",
        ),
        _ if status.is_server_error() => (
            "Une erreur est survenue",
            "Un problème technique nous empêche de répondre. Il ne vient pas de vous. Réessayez dans quelques minutes.",
        ),
        _ => (
            "Action impossible",
            "Cette action n'a pas pu être faite. Repartez de la page d'accueil.",
        ),
    }
}

/// Middleware: replaces the body of error responses that carry no page of their own.
pub async fn render_errors(request: Request, next: Next) -> Response {
    let is_api = request.uri().path().starts_with("/api/");
    let is_partner_api = crate::web::api::problem::is_partner_path(request.uri().path());
    let response = next.run(request).await;
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) || has_own_body(&response) {
        return response;
    }
    let detail = response.extensions().get::<ErrorDetail>().cloned();
    let (title, default_message) = describe(status);
    let message = detail.as_ref().map_or(default_message, |d| d.0.as_str());
    let mut rendered = if is_partner_api {
        use crate::web::api::problem::Probleme;
        match &detail {
            Some(detail) => Probleme::new(status, detail.0.clone()),
            None => Probleme::from_status(status),
        }
        .into_response()
    } else if is_api {
        Json(json!({ "error": { "status": status.as_u16(), "title": title, "message": message } }))
            .into_response()
    } else {
        let page = ErrorPage {
            layout: Layout::default(),
            status: status.as_u16(),
            title,
            message,
        };
        match page.render() {
            Ok(html) => Html(html).into_response(),
            Err(err) => {
                tracing::error!(error = %err, "error page could not be rendered");
                message.to_owned().into_response()
            }
        }
    };
    *rendered.status_mut() = status;
    // Keep headers the inner layers set for a reason (Retry-After, Allow…), but not their body's type.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}

/// Pages and JSON bodies written on purpose (a form shown again with its errors) are kept; empty
/// and plain-text bodies (from extractors and layers, in English) are replaced.
fn has_own_body(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| {
            ct.starts_with("text/html")
                || ct.starts_with("application/json")
                || ct.starts_with(crate::web::api::problem::PROBLEM_JSON)
        })
}

/// The answer for routes that do not exist.
pub async fn not_found() -> StatusCode {
    StatusCode::NOT_FOUND
}
