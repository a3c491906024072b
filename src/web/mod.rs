//! HTTP: one module per audience or resource, assembled here with the layers every route gets
//! (sessions, cross-site protection, security headers, limits, request ids and logs).

pub mod admin;
pub mod api;
pub mod auth;
pub mod client_ip;
pub mod commune_field;
pub mod communes;
pub mod desk;
pub mod error_pages;
pub mod feedback;
pub mod forms;
pub mod health;
pub mod invitation;
pub mod layout;
pub mod login;
pub mod moderation;
pub mod pages;
pub mod privacy;
pub mod proposals;
pub mod rate_limit;
pub mod redirects;
pub mod requests;
mod security;
pub mod short_links;
pub mod statistics;
pub mod volunteers;
pub mod webhooks;

use axum::extract::{DefaultBodyLimit, MatchedPath, Request};
use axum::http::{HeaderName, StatusCode};
use axum::{Router, middleware};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::AppState;
use crate::config::Config;
use crate::session_store::DbSessionStore;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "entraide_session";

/// The whole web application: every route with every layer.
pub fn router(state: AppState, config: &Config) -> anyhow::Result<Router> {
    let idle = time::Duration::try_from(config.session_idle_timeout)?;
    let sessions = SessionManagerLayer::new(DbSessionStore::new(state.db.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(config.secure_cookies())
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(idle));

    let public_forms = rate_limit::public_forms(config)?;
    let metrics = state.metrics.clone();
    let static_files = ServeDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/static"));

    // Layers added later wrap the ones added before: read from the bottom up for the order a
    // request goes through them.
    let router = Router::new()
        .merge(pages::router())
        .merge(requests::router())
        .merge(feedback::router())
        .merge(proposals::router())
        .merge(desk::router())
        .merge(privacy::router())
        .merge(communes::router())
        .merge(api::router())
        .merge(health::router())
        .merge(login::router(&public_forms))
        .merge(volunteers::router(&public_forms))
        .merge(moderation::router())
        .merge(admin::router())
        .merge(invitation::router())
        .merge(statistics::router())
        .merge(webhooks::router())
        .merge(short_links::router())
        .nest_service("/static", static_files)
        .fallback(error_pages::not_found)
        .with_state(state)
        .layer(sessions)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(RequestBodyLimitLayer::new(config.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::SERVICE_UNAVAILABLE,
            config.request_timeout,
        ))
        .layer(security::cross_site_protection(config)?)
        .layer(CatchPanicLayer::new())
        .layer(middleware::from_fn(error_pages::render_errors));
    let router = security::with_headers(router, config)
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(middleware::from_fn_with_state(
            metrics,
            crate::ops::http::track,
        ))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    // The matched route, never the raw path: paths may carry private tokens.
                    let route = request
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("(unmatched)", |p| p.as_str())
                        .to_owned();
                    let request_id = request
                        .extensions()
                        .get::<RequestId>()
                        .and_then(|id| id.header_value().to_str().ok())
                        .unwrap_or("-")
                        .to_owned();
                    tracing::info_span!("request", method = %request.method(), route, request_id)
                })
                .on_response(
                    |response: &axum::response::Response,
                     latency: std::time::Duration,
                     _span: &tracing::Span| {
                        // A number, so that a log collector can sort and average it.
                        let latency_ms = latency.as_micros() as f64 / 1000.0;
                        let status = response.status().as_u16();
                        tracing::info!(status, latency_ms, "finished processing request");
                    },
                ),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .layer(middleware::from_fn_with_state(
            client_ip::ProxyPolicy::from_config(config),
            client_ip::resolve,
        ));
    Ok(router)
}
