//! Who is logged in: the session keeps the account id and its session epoch (raised to end every
//! session of an account), and the extractors [`CurrentAccount`] and [`CurrentVolunteer`] check
//! them on every request. Without a valid session, pages send the person to `/connexion`, and
//! back where they were going once logged in.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use entity::account;
use tower_sessions::Session;

use crate::AppState;
use crate::accounts::{Role, find_by_id};
use crate::error::AppError;
use crate::organisations::Scope;
use crate::staff::Staff;

/// Session key: the logged-in account's id.
pub const ACCOUNT_ID_KEY: &str = "account_id";
/// Session key: the account's session epoch at login.
pub const SESSION_EPOCH_KEY: &str = "session_epoch";
/// Session key: the first name shown in the header.
pub const ACCOUNT_NAME_KEY: &str = "account_name";
/// Session key: the role, for the header's links (never trusted for access: extractors reload it).
pub const ACCOUNT_ROLE_KEY: &str = "account_role";

fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::Error::new(err).context("session"))
}

/// Opens a session for `account`, under a new session id (against session fixation).
pub async fn start_session(session: &Session, account: &account::Model) -> Result<(), AppError> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(ACCOUNT_ID_KEY, account.id)
        .await
        .map_err(session_error)?;
    set_epoch(session, account.session_epoch).await?;
    session
        .insert(ACCOUNT_ROLE_KEY, account.role.slug())
        .await
        .map_err(session_error)?;
    session
        .insert(ACCOUNT_NAME_KEY, account.prenom.clone())
        .await
        .map_err(session_error)
}

/// Keeps the current session valid after the account's epoch changed (own password change).
pub async fn set_epoch(session: &Session, epoch: i32) -> Result<(), AppError> {
    session
        .insert(SESSION_EPOCH_KEY, epoch)
        .await
        .map_err(session_error)
}

/// Ends the session (logout, deleted account).
pub async fn end_session(session: &Session) -> Result<(), AppError> {
    session.flush().await.map_err(session_error)
}

/// The login page, coming back to `target` afterwards.
pub fn login_url(target: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(target.as_bytes()).collect();
    format!("/connexion?suivant={encoded}")
}

/// A logged-in account whose address is confirmed and whose session is still valid.
#[derive(Clone, Debug)]
pub struct CurrentAccount {
    /// The account, as stored now.
    pub account: account::Model,
    /// Its role.
    pub role: Role,
}

impl FromRequestParts<AppState> for CurrentAccount {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let session = Session::from_request_parts(parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let id = session
            .get::<i64>(ACCOUNT_ID_KEY)
            .await
            .map_err(|e| session_error(e).into_response())?;
        let epoch = session
            .get::<i32>(SESSION_EPOCH_KEY)
            .await
            .map_err(|e| session_error(e).into_response())?;
        let account = match id {
            Some(id) => find_by_id(&state.db, id)
                .await
                .map_err(|e| AppError::from(e).into_response())?,
            None => None,
        };
        match account {
            Some(account)
                if Some(account.session_epoch) == epoch && account.email_verified_at.is_some() =>
            {
                let role = account.role;
                Ok(Self { account, role })
            }
            _ => {
                if id.is_some() {
                    end_session(&session)
                        .await
                        .map_err(IntoResponse::into_response)?;
                }
                Err(to_login(parts))
            }
        }
    }
}

/// Sends a visitor without a valid session to the login page: pages they asked for (GET) are
/// remembered; forms posted without a session go to the login page alone.
fn to_login(parts: &Parts) -> Response {
    if parts.method == Method::GET || parts.method == Method::HEAD {
        let target = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        Redirect::to(&login_url(&target)).into_response()
    } else {
        (StatusCode::SEE_OTHER, [("location", "/connexion")]).into_response()
    }
}

/// The logged-in account if it has `role` (403 otherwise; no session: the login page).
async fn account_in_role(
    parts: &mut Parts,
    state: &AppState,
    role: Role,
) -> Result<account::Model, Response> {
    let current = CurrentAccount::from_request_parts(parts, state).await?;
    if current.role != role {
        return Err(AppError::Forbidden.into_response());
    }
    Ok(current.account)
}

/// A logged-in volunteer (see [`CurrentAccount`]); other roles are refused.
#[derive(Clone, Debug)]
pub struct CurrentVolunteer(pub account::Model);

impl FromRequestParts<AppState> for CurrentVolunteer {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(account_in_role(parts, state, Role::Benevole).await?))
    }
}

/// A logged-in moderator or admin, with what they may see: the domain's [`Staff`], read from the
/// session (other roles are refused).
pub type CurrentStaff = Staff;

impl FromRequestParts<AppState> for CurrentStaff {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let current = CurrentAccount::from_request_parts(parts, state).await?;
        let scope = Scope::of(&state.db, &current.account, current.role)
            .await
            .map_err(|e| AppError::from(e).into_response())?;
        match scope {
            Some(scope) => Ok(Self {
                account: current.account,
                role: current.role,
                scope,
            }),
            None => Err(AppError::Forbidden.into_response()),
        }
    }
}

/// A logged-in admin (see [`CurrentAccount`]); other roles are refused.
#[derive(Clone, Debug)]
pub struct CurrentAdmin(pub account::Model);

impl CurrentAdmin {
    /// Who acts, for the audit log.
    pub fn audit_actor(&self) -> crate::audit::AuditActor {
        crate::audit::AuditActor::Staff {
            account_id: self.0.id,
            role: Role::Admin,
        }
    }
}

impl FromRequestParts<AppState> for CurrentAdmin {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(account_in_role(parts, state, Role::Admin).await?))
    }
}

/// Where an account lands after logging in when it was not going anywhere in particular.
pub fn home_of(role: Role) -> &'static str {
    match role {
        Role::Benevole => "/benevole/profil",
        Role::Moderateur => "/moderation",
        Role::Admin => "/admin",
    }
}

#[cfg(test)]
mod tests {
    use super::login_url;

    #[test]
    fn the_way_back_is_encoded() {
        assert_eq!(
            login_url("/benevole/profil?onglet=a&b"),
            "/connexion?suivant=%2Fbenevole%2Fprofil%3Fonglet%3Da%26b"
        );
    }
}
