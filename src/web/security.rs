//! Security layers: refusal of cross-site form posts, the response headers every page carries, and
//! the one pages with personal data add.

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::csrf::CsrfLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::config::Config;

/// No inline script or style, nothing from elsewhere, never framed.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// Browser features the service never uses.
const PERMISSIONS_POLICY: &str = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), \
     microphone=(), payment=(), usb=(), interest-cohort=()";

/// Refuses state-changing requests coming from another site (by `Sec-Fetch-Site` and `Origin`);
/// the public origin of BASE_URL is trusted even behind a proxy that rewrites `Host`.
pub fn cross_site_protection(config: &Config) -> anyhow::Result<CsrfLayer> {
    Ok(CsrfLayer::new().add_trusted_origin(config.public_origin())?)
}

/// `Cache-Control: no-store`, layered on the routers whose pages show personal data (follow-up,
/// volunteer's space, moderation, admin, exports): no browser or proxy keeps a copy that the back
/// button of a shared computer, or another user of the proxy, could show.
pub fn no_store() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::overriding(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))
}

/// Adds the security headers to every response of `router` (handlers may set stricter ones).
pub fn with_headers(router: Router, config: &Config) -> Router {
    let header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(header(
            header::CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY,
        ))
        .layer(header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(header(header::REFERRER_POLICY, "same-origin"))
        .layer(header(
            HeaderName::from_static("permissions-policy"),
            PERMISSIONS_POLICY,
        ));
    if config.secure_cookies() {
        router.layer(header(
            header::STRICT_TRANSPORT_SECURITY,
            "max-age=63072000; includeSubDomains",
        ))
    } else {
        router
    }
}
