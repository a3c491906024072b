//! The client's IP address, computed once per request by [`resolve`] and read by every per-address
//! rule (the help request form, logins, the public account forms).
//!
//! Without `TRUST_PROXY` it is the connection's peer. Behind `TRUSTED_PROXY_HOPS` trusted reverse
//! proxies, each of which appends the address it saw to `X-Forwarded-For`, it is the entry the
//! outermost trusted proxy wrote: the `TRUSTED_PROXY_HOPS`-th counted from the right. Entries further
//! left were written by the client itself and are never believed.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::config::Config;

/// The address the request came from, as the per-address rules count it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientIp(pub IpAddr);

/// How the client's address is read: from the peer, or from the proxies' `X-Forwarded-For`.
#[derive(Clone, Copy, Debug)]
pub struct ProxyPolicy {
    /// Whether a reverse proxy stands in front of the service.
    pub trust_proxy: bool,
    /// How many trusted proxies append to `X-Forwarded-For` (at least 1).
    pub hops: u32,
}

impl ProxyPolicy {
    /// The policy `config` describes.
    pub fn from_config(config: &Config) -> Self {
        Self {
            trust_proxy: config.trust_proxy,
            hops: config.trusted_proxy_hops.max(1),
        }
    }

    /// The client's address for a request with these `headers` from `peer`.
    pub fn client_ip(&self, headers: &HeaderMap, peer: Option<IpAddr>) -> IpAddr {
        let peer = peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
        if !self.trust_proxy {
            return peer;
        }
        // Several header lines are one list, in order (RFC 9110 §5.3).
        let entries: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .collect();
        if entries.is_empty() {
            return peer;
        }
        // Fewer entries than trusted hops: the left-most one was still written by a proxy of ours.
        let position = entries.len().saturating_sub(self.hops as usize);
        parse_entry(entries[position]).unwrap_or(peer)
    }
}

/// An `X-Forwarded-For` entry: an address, possibly with a port (`203.0.113.9:4711`,
/// `[2001:db8::1]:4711`).
fn parse_entry(entry: &str) -> Option<IpAddr> {
    let ip = entry
        .parse::<IpAddr>()
        .or_else(|_| entry.parse::<SocketAddr>().map(|s| s.ip()))
        .ok()?;
    Some(match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    })
}

/// The connection's peer address, when the server recorded it.
fn peer(extensions: &axum::http::Extensions) -> Option<IpAddr> {
    extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip())
}

/// Middleware computing the request's [`ClientIp`] once, for every rule that reads it.
pub async fn resolve(
    State(policy): State<ProxyPolicy>,
    mut request: Request,
    next: Next,
) -> Response {
    let ip = policy.client_ip(request.headers(), peer(request.extensions()));
    request.extensions_mut().insert(ClientIp(ip));
    next.run(request).await
}

impl ClientIp {
    /// The address [`resolve`] recorded on a request (the peer if it did not run).
    pub fn of(extensions: &axum::http::Extensions) -> IpAddr {
        extensions.get::<ClientIp>().map_or_else(
            || peer(extensions).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            |client| client.0,
        )
    }
}

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(Self::of(&parts.extensions)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(values: &[&str]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for value in values {
            map.append("x-forwarded-for", value.parse().unwrap());
        }
        map
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    const PROXY: &str = "10.0.0.2";

    #[test]
    fn without_a_trusted_proxy_the_peer_is_the_client_whatever_the_headers_say() {
        let policy = ProxyPolicy {
            trust_proxy: false,
            hops: 1,
        };
        let got = policy.client_ip(&headers(&["203.0.113.9"]), Some(ip(PROXY)));
        assert_eq!(got, ip(PROXY));
    }

    #[test]
    fn behind_one_proxy_the_right_most_entry_is_the_client_and_forged_ones_are_ignored() {
        let policy = ProxyPolicy {
            trust_proxy: true,
            hops: 1,
        };
        let peer = Some(ip(PROXY));
        assert_eq!(
            policy.client_ip(&headers(&["198.51.100.7"]), peer),
            ip("198.51.100.7")
        );
        // The client wrote "1.2.3.4" itself; nginx appended what it saw.
        assert_eq!(
            policy.client_ip(&headers(&["1.2.3.4, 198.51.100.7"]), peer),
            ip("198.51.100.7")
        );
        // A forged header line before the proxy's own counts as the same list.
        assert_eq!(
            policy.client_ip(&headers(&["1.2.3.4", "198.51.100.7"]), peer),
            ip("198.51.100.7")
        );
        assert_eq!(policy.client_ip(&headers(&[]), peer), ip(PROXY));
        assert_eq!(
            policy.client_ip(&headers(&["n'importe quoi"]), peer),
            ip(PROXY)
        );
    }

    #[test]
    fn behind_two_proxies_the_outer_proxys_entry_is_the_client() {
        let policy = ProxyPolicy {
            trust_proxy: true,
            hops: 2,
        };
        let peer = Some(ip(PROXY));
        assert_eq!(
            policy.client_ip(&headers(&["1.2.3.4, 198.51.100.7, 10.0.0.1"]), peer),
            ip("198.51.100.7")
        );
        assert_eq!(
            policy.client_ip(&headers(&["198.51.100.7"]), peer),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn entries_with_ports_and_mapped_addresses_read_as_plain_addresses() {
        assert_eq!(parse_entry("203.0.113.9:4711"), Some(ip("203.0.113.9")));
        assert_eq!(parse_entry("[2001:db8::1]:4711"), Some(ip("2001:db8::1")));
        assert_eq!(parse_entry("::ffff:203.0.113.9"), Some(ip("203.0.113.9")));
        assert_eq!(parse_entry("unknown"), None);
    }
}
