//! What every page's layout needs: flash messages carried across a redirect in the session, and
//! the display preferences of the person.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use crate::accounts::Role;
use crate::error::AppError;

const FLASH_KEY: &str = "flash";
const LARGE_TEXT_KEY: &str = "large_text";

/// The tone of a flash message, which sets its colour and its role for screen readers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlashKind {
    /// Something worked.
    Success,
    /// Something to know.
    Info,
    /// Something went wrong.
    Error,
}

impl FlashKind {
    /// The CSS class suffix of this kind.
    pub fn css(&self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Info => "info",
            Self::Error => "error",
        }
    }

    /// Errors are announced at once (`alert`), the others politely (`status`).
    pub fn role(&self) -> &'static str {
        match self {
            Self::Error => "alert",
            _ => "status",
        }
    }
}

/// A message shown once, on the next page the person sees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Its tone.
    pub kind: FlashKind,
    /// Its French text.
    pub text: String,
}

/// Queues a message for the next page shown to this session.
pub async fn push_flash(
    session: &Session,
    kind: FlashKind,
    text: impl Into<String>,
) -> Result<(), AppError> {
    let mut queued: Vec<Flash> = session
        .get(FLASH_KEY)
        .await
        .map_err(session_error)?
        .unwrap_or_default();
    queued.push(Flash {
        kind,
        text: text.into(),
    });
    session
        .insert(FLASH_KEY, queued)
        .await
        .map_err(session_error)
}

/// Remembers whether this session wants larger text.
pub async fn set_large_text(session: &Session, large: bool) -> Result<(), AppError> {
    session
        .insert(LARGE_TEXT_KEY, large)
        .await
        .map_err(session_error)
}

fn session_error(err: tower_sessions::session::Error) -> AppError {
    AppError::Internal(anyhow::Error::new(err).context("session"))
}

/// The part of every page that comes from the session: pending flash messages (taken, so they show
/// once) and display preferences. Handlers take it as an extractor and hand it to their template.
#[derive(Clone, Debug, Default)]
pub struct Layout {
    /// Messages to show at the top of the page.
    pub flashes: Vec<Flash>,
    /// Whether the person asked for larger text.
    pub large_text: bool,
    /// The path of the current page, to come back to it after changing a preference.
    pub path: String,
    /// The first name of the person logged in, if any (the header then offers their space).
    pub account_name: Option<String>,
    /// The role of the person logged in (`benevole`, `moderateur`, `admin`), for the header's links.
    pub account_role: Option<String>,
}

impl Layout {
    /// Whether the person logged in is a moderator or an admin.
    pub fn is_staff(&self) -> bool {
        matches!(self.role(), Some(Role::Moderateur | Role::Admin))
    }

    /// Whether the person logged in is an admin.
    pub fn is_admin(&self) -> bool {
        self.role() == Some(Role::Admin)
    }

    fn role(&self) -> Option<Role> {
        self.account_role.as_deref().and_then(Role::from_slug)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Layout {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path().to_owned();
        let Ok(session) = Session::from_request_parts(parts, state).await else {
            return Ok(Self {
                path,
                ..Self::default()
            });
        };
        let large_text = session
            .get(LARGE_TEXT_KEY)
            .await
            .map_err(session_error)?
            .unwrap_or(false);
        // Reading first avoids touching (and so creating) a session for visitors who have no message.
        let flashes = match session
            .get::<Vec<Flash>>(FLASH_KEY)
            .await
            .map_err(session_error)?
        {
            Some(_) => session
                .remove(FLASH_KEY)
                .await
                .map_err(session_error)?
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let account_name = session
            .get::<String>(crate::web::auth::ACCOUNT_NAME_KEY)
            .await
            .map_err(session_error)?;
        let account_role = match account_name {
            Some(_) => session
                .get::<String>(crate::web::auth::ACCOUNT_ROLE_KEY)
                .await
                .map_err(session_error)?,
            None => None,
        };
        Ok(Self {
            flashes,
            large_text,
            path,
            account_name,
            account_role,
        })
    }
}
