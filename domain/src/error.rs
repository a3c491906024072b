//! What can go wrong in the rules, said without HTTP: the web layer (`entraide::error::DomainError`)
//! turns each case into a page, a status code or problem+json.

use crate::forms::FieldErrors;

/// Why a rule did not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    /// The thing does not exist, or the one asking may not know that it does (another
    /// organisation's request answers the same).
    #[error("not found")]
    NotFound,
    /// The rules refuse; the reason is in French, for the person.
    #[error("refused: {0}")]
    Refused(String),
    /// Someone else changed the thing first (a request already taken, a state that moved on);
    /// the message says so in French.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Fields of the input cannot be used, each with its French message.
    #[error("invalid fields")]
    Invalid(FieldErrors),
    /// The database failed; the source is kept for the log.
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// Anything else unexpected (a template, a transport); the cause chain is kept for the log.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

/// The result of a rule.
pub type DomainResult<T> = Result<T, DomainError>;

impl From<sea_orm::TransactionError<DomainError>> for DomainError {
    fn from(err: sea_orm::TransactionError<DomainError>) -> Self {
        match err {
            sea_orm::TransactionError::Connection(db) => Self::Database(db),
            sea_orm::TransactionError::Transaction(inner) => inner,
        }
    }
}
