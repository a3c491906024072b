//! One error type for every handler: a status code, a plain French message for people, JSON under
//! `/api/`, and the cause logged (never shown).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
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
                tracing::error!(error = %err, source = ?std::error::Error::source(err), "database error")
            }
            Self::Internal(err) => tracing::error!(error = ?err, "internal error"),
            _ => {}
        }
        let mut response = self.status_code().into_response();
        if let Self::BadRequest(message) | Self::Unprocessable(message) = self {
            response.extensions_mut().insert(ErrorDetail(message));
        }
        response
    }
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;
