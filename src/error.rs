//! One error type for every handler: a status code, a plain French message for people, JSON under
//! `/api/`, and the cause logged (never shown). The rules' [`DomainError`] converts into it.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use domain::DomainError;

/// What went wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The page or resource does not exist, or the person may not know that it does.
    #[error("not found")]
    NotFound,
    /// The person may not do this.
    #[error("forbidden")]
    Forbidden,
    /// The request itself is malformed (a missing or out-of-range parameter); the message says
    /// why, in French.
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The submitted data cannot be used; the message says why, in French.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// Someone else changed the thing first; the message says what, in French.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Too many attempts in a short time.
    #[error("too many requests")]
    TooManyRequests,
    /// A database failure: logged with its cause, shown as a plain message.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// Any other unexpected failure: logged with its cause, shown as a plain message.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// The HTTP status this error answers with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unprocessable(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<DomainError> for AppError {
    fn from(err: DomainError) -> Self {
        match err {
            DomainError::NotFound => Self::NotFound,
            DomainError::Refused(reason) => Self::Unprocessable(reason),
            DomainError::Conflict(reason) => Self::Conflict(reason),
            DomainError::Invalid(errors) => Self::Unprocessable(
                errors
                    .all()
                    .iter()
                    .map(|(_, message)| message.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            DomainError::Database(err) => Self::Database(err),
            DomainError::Internal(err) => Self::Internal(err),
        }
    }
}

/// The detail a handler gave for an error, carried in the response's extensions so the error-page
/// layer can show it (see [`crate::web::error_pages`]).
#[derive(Clone, Debug)]
pub struct ErrorDetail(pub String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match &self {
            Self::Database(err) => {
                let source = std::error::Error::source(err).map(|s| format!("{s:?}"));
                tracing::error!(
                    error = %without_values(&err.to_string()),
                    source = ?source.as_deref().map(without_values),
                    "database error"
                )
            }
            Self::Internal(err) => {
                tracing::error!(error = %without_values(&format!("{err:?}")), "internal error")
            }
            _ => {}
        }
        let mut response = self.status_code().into_response();
        if let Self::BadRequest(message) | Self::Unprocessable(message) | Self::Conflict(message) =
            self
        {
            response.extensions_mut().insert(ErrorDetail(message));
        }
        response
    }
}

/// An error's text without the personal values a database may quote in it: e-mail addresses, and
/// the values of a constraint violation (PostgreSQL's `Key (email)=(x@y.fr) already exists`).
pub fn without_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("=(") {
        out.push_str(&rest[..start + 2]);
        let after = &rest[start + 2..];
        match after.find(')') {
            Some(end) => {
                out.push_str("…)");
                rest = &after[end + 1..];
            }
            None => {
                out.push('…');
                rest = "";
            }
        }
    }
    out.push_str(rest);
    crate::mail::redact::addresses(&out, "")
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::without_values;

    #[test]
    fn database_errors_are_logged_without_the_values_they_quote() {
        let detail = "duplicate key value violates unique constraint \"account_email\" \
                      Key (lower(email))=(marie@exemple.fr) already exists; \
                      Key (telephone)=(06 12 34 56 78)";
        let logged = without_values(detail);
        assert!(!logged.contains("marie@exemple.fr"), "{logged}");
        assert!(!logged.contains("06 12"), "{logged}");
        assert!(
            logged.contains("Key (lower(email))=(…) already exists"),
            "{logged}"
        );
        assert_eq!(without_values("connection refused"), "connection refused");
    }
}
