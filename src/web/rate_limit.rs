//! A per-address limit on the public account forms that send e-mails or create accounts (sign-up,
//! forgotten password, new confirmation link): `PUBLIC_FORMS_PER_IP_PER_HOUR` submissions an hour,
//! counted in the database so that every instance shares the count ([`public_form`], called first
//! by each of those handlers). In front of it, each instance keeps a flood guard in memory
//! (tower_governor, ten times as generous) so that a flood is turned away before it reaches the
//! database. Logins have their own throttle in the database; the help request form its own limit.

use std::net::IpAddr;
use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request};
use axum::response::IntoResponse;
use tower_governor::GovernorError;
use tower_governor::GovernorLayer;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;

use crate::AppState;
use crate::config::Config;
use crate::error::AppError;
use crate::limits;
use crate::web::client_ip::ClientIp;

/// Counts requests by the client's address, as [`crate::web::client_ip::resolve`] computed it.
#[derive(Clone, Copy, Debug)]
pub struct ClientIpKey;

impl KeyExtractor for ClientIpKey {
    type Key = IpAddr;

    fn extract<T>(&self, req: &Request<T>) -> Result<Self::Key, GovernorError> {
        Ok(ClientIp::of(req.extensions()))
    }
}

/// How much more the per-instance flood guard lets through than the shared limit.
const FLOOD_FACTOR: u64 = 10;

/// Counts one submission of a public account form from `ip`, in the database shared by every
/// instance: beyond `PUBLIC_FORMS_PER_IP_PER_HOUR` within the hour, the French "too many" page.
pub async fn public_form(state: &AppState, ip: IpAddr) -> Result<(), AppError> {
    let limit = limits::public_forms(&state.config);
    let allowed = limits::try_use(
        &state.db,
        &state.config.secret_key,
        limit,
        &ip.to_string(),
        chrono::Utc::now(),
    )
    .await?;
    if allowed {
        Ok(())
    } else {
        Err(AppError::TooManyRequests)
    }
}

/// The layer to put on the POST routes of the public account forms (one shared count).
pub type FormLimit = GovernorLayer<
    ClientIpKey,
    governor::middleware::NoOpMiddleware<governor::clock::QuantaInstant>,
    Body,
>;

/// The per-instance flood guard of the public forms (ten times their limit); refused requests get
/// the French "too many" page.
pub fn public_forms(config: &Config) -> anyhow::Result<FormLimit> {
    let per_hour = config
        .public_forms_per_ip_per_hour
        .max(1)
        .saturating_mul(FLOOD_FACTOR);
    let limit = GovernorConfigBuilder::default()
        .period(Duration::from_secs(3600) / u32::try_from(per_hour).unwrap_or(u32::MAX))
        .burst_size(u32::try_from(per_hour).unwrap_or(u32::MAX))
        .methods(vec![Method::POST])
        .key_extractor(ClientIpKey)
        .finish()
        .ok_or_else(|| anyhow::anyhow!("invalid PUBLIC_FORMS_PER_IP_PER_HOUR"))?;
    Ok(GovernorLayer::new(limit).error_handler(|_| AppError::TooManyRequests.into_response()))
}
