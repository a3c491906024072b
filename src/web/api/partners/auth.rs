//! Who calls: the `Authorization: Bearer ent_…` key, checked against the database at each call
//! (a revoked key stops at once), held to `API_REQUESTS_PER_MINUTE` calls a minute across every
//! instance, and written to the audit log.

use std::time::Duration;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;

use crate::AppState;
use crate::limits::{self, Limit};
use crate::partners::PartnerKey;
use crate::partners::keys::{self, ApiKeyUse};
use crate::web::api::problem::Probleme;

/// How many seconds a caller over the limit is told to wait (the window's length).
const RETRY_AFTER_SECONDS: u64 = 60;

/// A call made with a valid key, within its limit (already in the audit log).
pub struct PartnerCall(pub PartnerKey);

impl PartnerCall {
    /// The organisation the key acts for.
    pub fn organisation_id(&self) -> i64 {
        self.0.organisation_id()
    }
}

/// The per-key limit of the partner API.
fn limit(state: &AppState) -> Limit {
    Limit {
        name: "api_partenaires",
        max: state.config.api_requests_per_minute.max(1),
        window: Duration::from_secs(RETRY_AFTER_SECONDS),
    }
}

fn unauthorized() -> Response {
    let mut response = Probleme::from_status(StatusCode::UNAUTHORIZED).into_response();
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"entraide\""),
    );
    response
}

fn too_many() -> Response {
    let mut response = Probleme::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("Trop d'appels avec cette clé : réessayez dans {RETRY_AFTER_SECONDS} secondes."),
    )
    .into_response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(RETRY_AFTER_SECONDS));
    response
}

impl FromRequestParts<AppState> for PartnerCall {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let presented = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| {
                let (scheme, token) = value.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then_some(token)
            });
        let Some(presented) = presented else {
            return Err(unauthorized());
        };
        let key = keys::authenticate(&state.db, &state.config.secret_key, presented)
            .await
            .map_err(|err| Probleme::from(err).into_response())?
            .ok_or_else(unauthorized)?;
        let now = Utc::now();
        let allowed = limits::try_use(
            &state.db,
            &state.config.secret_key,
            limit(state),
            &key.id().to_string(),
            now,
        )
        .await
        .map_err(|err| Probleme::from(err).into_response())?;
        if !allowed {
            return Err(too_many());
        }
        let call = ApiKeyUse {
            method: parts.method.to_string(),
            path: parts.uri.path().to_owned(),
        };
        keys::record_use(&state.db, &key, &call, now)
            .await
            .map_err(|err| Probleme::from(err).into_response())?;
        Ok(Self(key))
    }
}
