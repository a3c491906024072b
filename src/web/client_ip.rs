//! The client's IP address, for throttling: the connection's peer, or — with `TRUST_PROXY` — the
//! left-most `X-Forwarded-For` address set by the reverse proxy.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;

use crate::AppState;

/// The address the request came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// The left-most address of an `X-Forwarded-For` value, if it is one.
pub fn forwarded_for(value: &str) -> Option<IpAddr> {
    value.split(',').next()?.trim().parse().ok()
}

/// The client's address from a request's headers and extensions: the left-most `X-Forwarded-For`
/// address when `trust_proxy`, else the connection's peer.
pub fn client_ip(
    headers: &axum::http::HeaderMap,
    extensions: &axum::http::Extensions,
    trust_proxy: bool,
) -> IpAddr {
    if trust_proxy
        && let Some(ip) = headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(forwarded_for)
    {
        return ip;
    }
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(client_ip(
            &parts.headers,
            &parts.extensions,
            state.config.trust_proxy,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::forwarded_for;

    #[test]
    fn the_left_most_forwarded_address_is_the_client() {
        assert_eq!(
            forwarded_for("203.0.113.9, 10.0.0.1").unwrap().to_string(),
            "203.0.113.9"
        );
        assert_eq!(
            forwarded_for(" 2001:db8::1 ").unwrap().to_string(),
            "2001:db8::1"
        );
        assert!(forwarded_for("n'importe quoi").is_none());
    }
}
