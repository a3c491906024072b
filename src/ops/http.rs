//! The HTTP metrics middleware: every answered request counted by method, route template and
//! status, and timed. The route is the template (`/suivi/{token}`), never the raw path, which may
//! carry a private token; a request no route matched counts as `(unmatched)`.

use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::Method;
use axum::middleware::Next;
use axum::response::Response;
use metrics::{counter, histogram};

use super::metrics::Metrics;

/// Counts and times the request (use with `axum::middleware::from_fn_with_state`).
pub async fn track(State(metrics): State<Metrics>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("(unmatched)", MatchedPath::as_str)
        .to_owned();
    let method = method_label(request.method());
    let started = Instant::now();
    let response = next.run(request).await;
    let elapsed = started.elapsed().as_secs_f64();
    let status = response.status().as_u16().to_string();
    metrics.record(|| {
        counter!(
            "entraide_http_requests_total",
            "method" => method,
            "route" => route.clone(),
            "status" => status
        )
        .increment(1);
        histogram!(
            "entraide_http_request_duration_seconds",
            "method" => method,
            "route" => route
        )
        .record(elapsed);
    });
    response
}

/// The method as a label: the standard ones by name, anything a client invented as `other`.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
