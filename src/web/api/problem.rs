//! Errors of the partner API as `application/problem+json` (RFC 9457): a `type` pointing at the
//! documentation, a French `title` and `detail`, the `status`, and for invalid fields the list of
//! fields with their messages (`errors: [{champ, message}]`). The error-page layer
//! ([`crate::web::error_pages`]) writes the same shape for the answers of layers (413, 405…) on
//! the partner routes.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::AppError;
use crate::forms::FieldErrors;

/// The media type of problem details.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Whether `path` is one of the partner API's (the communes API keeps its older error shape).
pub fn is_partner_path(path: &str) -> bool {
    path == "/api/v1/demandes" || path.starts_with("/api/v1/demandes/")
}

/// A problem detail (RFC 9457).
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct Probleme {
    /// Where the documentation describes this kind of problem.
    #[serde(rename = "type")]
    #[schema(example = "/api/docs#erreur-422")]
    pub kind: String,
    /// A short French title for the kind of problem.
    #[schema(example = "Informations incorrectes")]
    pub title: String,
    /// The HTTP status.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong this time, in French.
    pub detail: String,
    /// For invalid fields: each field and its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ErreurChamp>,
}

/// One invalid field.
#[derive(Clone, Debug, Serialize, ToSchema)]
pub struct ErreurChamp {
    /// The field's name, as in the request (`prenom`, `commune`, `categories`…).
    #[schema(example = "prenom")]
    pub champ: String,
    /// What is wrong with it, in French.
    #[schema(example = "Indiquez votre prénom.")]
    pub message: String,
}

impl Probleme {
    /// A problem of `status` with its usual title and `detail`.
    pub fn new(status: StatusCode, detail: impl Into<String>) -> Self {
        let (title, _) = crate::web::error_pages::describe(status);
        Self {
            kind: format!("/api/docs#erreur-{}", status.as_u16()),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: detail.into(),
            errors: Vec::new(),
        }
    }

    /// A problem of `status` with its usual title and explanation.
    pub fn from_status(status: StatusCode) -> Self {
        let (_, explanation) = crate::web::error_pages::describe(status);
        Self::new(status, api_explanation(status).unwrap_or(explanation))
    }

    /// 422 with each invalid field and its message.
    pub fn invalid_fields(errors: &FieldErrors) -> Self {
        let mut problem = Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Certaines informations ne conviennent pas : voyez la liste des champs.",
        );
        problem.errors = errors
            .all()
            .iter()
            .map(|(champ, message)| ErreurChamp {
                champ: (*champ).to_owned(),
                message: message.clone(),
            })
            .collect();
        problem
    }

    /// 404, the same body whether the request does not exist or is another organisation's.
    pub fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "Aucune demande de votre organisation ne porte cette référence.",
        )
    }

    /// The status.
    pub fn status_code(&self) -> StatusCode {
        StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
    }

    /// The body, as sent.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// What the partner API says for statuses whose page wording speaks of pages and forms.
fn api_explanation(status: StatusCode) -> Option<&'static str> {
    Some(match status.as_u16() {
        400 => "La requête est mal formée.",
        401 => {
            "Une clé d'API valide est nécessaire : en-tête « Authorization: Bearer ent_… ». \
             La clé est peut-être inconnue ou révoquée."
        }
        404 => "Cette adresse de l'API n'existe pas.",
        405 => "Cette adresse de l'API n'accepte pas cette méthode.",
        413 => "Le corps de la requête est trop volumineux : 64 Kio au plus.",
        415 => "Le corps de la requête doit être du JSON (Content-Type: application/json).",
        _ => return None,
    })
}

impl IntoResponse for Probleme {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let mut response = (status, self.to_json()).into_response();
        response
            .headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON));
        response
    }
}

impl From<AppError> for Probleme {
    fn from(err: AppError) -> Self {
        let status = err.status_code();
        let detail = match &err {
            AppError::BadRequest(message)
            | AppError::Unprocessable(message)
            | AppError::Conflict(message) => Some(message.clone()),
            _ => None,
        };
        if status.is_server_error() {
            // Logged with its cause by AppError's own answer.
            let _ = err.into_response();
        }
        match detail {
            Some(detail) => Self::new(status, detail),
            None => Self::from_status(status),
        }
    }
}

impl From<domain::DomainError> for Probleme {
    fn from(err: domain::DomainError) -> Self {
        match err {
            domain::DomainError::Invalid(errors) => Self::invalid_fields(&errors),
            domain::DomainError::NotFound => Self::not_found(),
            other => AppError::from(other).into(),
        }
    }
}

impl From<sea_orm::DbErr> for Probleme {
    fn from(err: sea_orm::DbErr) -> Self {
        AppError::from(err).into()
    }
}
