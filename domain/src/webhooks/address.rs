//! Server-side request forgery: which addresses a webhook may reach. A URL is checked when it is
//! registered (with a French reason for the form) and again at every delivery, where the HTTP
//! client resolves names through [`GuardedResolver`] (DNS may have changed since) and addresses
//! written as IPs are checked before connecting.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// Why an address is refused, in French (shown on the form and the deliveries page).
pub const PRIVATE_REFUSED: &str = "Adresse refusée : elle mène à un réseau privé ou local \
     (127.0.0.1, 10.x, 192.168.x, 169.254.x…). Indiquez l'adresse publique de votre serveur.";

/// Whether `ip` is one a webhook must never reach: loopback, private, link-local (the cloud
/// metadata service 169.254.169.254 included), unspecified, multicast, broadcast, shared (CGNAT
/// 100.64/10), documentation or reserved ranges, unique-local IPv6, and the IPv4 addresses
/// mapped or translated into IPv6.
pub fn is_forbidden(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_multicast()
        || ip.is_broadcast()
        || ip.is_documentation()
        || a == 0
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && ip.octets()[2] == 0)
        || (a == 198 && (18..20).contains(&b))
        || a >= 240
}

fn forbidden_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    let segments = ip.segments();
    // NAT64 (64:ff9b::/96) carries an IPv4 address in its last 32 bits.
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        let [.., hi, lo] = segments;
        return forbidden_v4(Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo)));
    }
    ip.is_loopback()
        || ip.is_unspecified()
        || ip.is_multicast()
        || (segments[0] & 0xfe00) == 0xfc00
        || (segments[0] & 0xffc0) == 0xfe80
        || (segments[0] & 0xffc0) == 0xfec0
        || (segments[0] == 0x2001 && segments[1] == 0x0db8)
        // IPv4-compatible (::a.b.c.d, deprecated): never a real destination.
        || segments[..6] == [0, 0, 0, 0, 0, 0]
}

/// The URL typed for a webhook, checked for its form: `https://` (or `http://` when private
/// addresses are allowed), a host, no user name or password; or the French reason.
pub fn parse_url(typed: &str, allow_private: bool) -> Result<Url, String> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Err(
            "Indiquez l'adresse de votre serveur, par exemple https://exemple.fr/entraide.".into(),
        );
    }
    if typed.len() > 2000 {
        return Err("Cette adresse est trop longue (2 000 caractères au plus).".into());
    }
    let url = Url::parse(typed).map_err(|_| {
        "Cette adresse n'est pas valide. Elle commence par https:// (par exemple https://exemple.fr/entraide).".to_owned()
    })?;
    match url.scheme() {
        "https" => {}
        "http" if allow_private => {}
        _ => {
            return Err(
                "L'adresse doit commencer par https:// : les événements sont envoyés chiffrés."
                    .into(),
            );
        }
    }
    if url.host().is_none() {
        return Err("Cette adresse n'a pas de nom de serveur.".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("L'adresse ne doit pas contenir d'identifiant ni de mot de passe : la signature suffit.".into());
    }
    Ok(url)
}

/// Whether `url` may be called now: its host written as an IP, or every address its name
/// resolves to, is public (with `allow_private`, anything goes). The French reason otherwise.
pub async fn check_reachable(url: &Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    if let Some(ip) = literal_ip(url) {
        return if is_forbidden(ip) {
            Err(PRIVATE_REFUSED.into())
        } else {
            Ok(())
        };
    }
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let found: Vec<SocketAddr> = match tokio::net::lookup_host((host.as_str(), port)).await {
        Ok(found) => found.collect(),
        Err(_) => {
            return Err(format!(
                "Le nom « {host} » est introuvable. Vérifiez l'adresse de votre serveur."
            ));
        }
    };
    if found.is_empty() || found.iter().any(|a| is_forbidden(a.ip())) {
        return Err(PRIVATE_REFUSED.into());
    }
    Ok(())
}

/// The host of `url` when it is written as an IP address (the HTTP client then resolves nothing).
pub fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        Host::Ipv4(ip) => Some(IpAddr::V4(ip)),
        Host::Ipv6(ip) => Some(IpAddr::V6(ip)),
        Host::Domain(_) => None,
    }
}

/// The error a refused resolution carries, recognised in the HTTP client's error chain.
#[derive(Debug, thiserror::Error)]
#[error("address refused: the name resolves to private or local addresses only")]
pub struct RefusedAddress;

/// The HTTP client's resolver for webhooks: the system's resolution, without the forbidden
/// addresses (none left: [`RefusedAddress`]). Private addresses pass when `allow_private`.
#[derive(Clone, Copy, Debug)]
pub struct GuardedResolver {
    /// Keep every address (tests, local development).
    pub allow_private: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_private = self.allow_private;
        Box::pin(async move {
            type Failed = Box<dyn std::error::Error + Send + Sync>;
            let found = tokio::net::lookup_host((name.as_str(), 0))
                .await
                .map_err(|err| Box::new(err) as Failed)?;
            let kept: Vec<SocketAddr> = found
                .filter(|addr| allow_private || !is_forbidden(addr.ip()))
                .collect();
            if kept.is_empty() {
                return Err(Box::new(RefusedAddress) as Failed);
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forbidden(ip: &str) -> bool {
        is_forbidden(ip.parse().unwrap())
    }

    #[test]
    fn local_private_and_metadata_addresses_are_forbidden() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
        ] {
            assert!(forbidden(ip), "{ip} must be refused");
        }
    }

    #[test]
    fn public_addresses_are_allowed() {
        for ip in [
            "93.184.216.34",
            "172.32.0.1",
            "100.128.0.1",
            "2a00:1450:4007::1",
            "::ffff:93.184.216.34",
        ] {
            assert!(!forbidden(ip), "{ip} must be allowed");
        }
    }

    #[test]
    fn urls_must_be_https_without_credentials_unless_private_is_allowed() {
        assert!(parse_url("https://exemple.fr/hook", false).is_ok());
        assert!(parse_url("http://exemple.fr/hook", false).is_err());
        assert!(parse_url("http://exemple.fr/hook", true).is_ok());
        assert!(parse_url("ftp://exemple.fr/hook", true).is_err());
        assert!(parse_url("https://moi:secret@exemple.fr/hook", false).is_err());
        assert!(parse_url("pas une adresse", false).is_err());
    }

    #[tokio::test]
    async fn an_ip_written_in_the_url_is_checked_without_resolving() {
        let url = Url::parse("https://169.254.169.254/latest").unwrap();
        assert_eq!(
            check_reachable(&url, false).await.unwrap_err(),
            PRIVATE_REFUSED
        );
        assert!(check_reachable(&url, true).await.is_ok());
        let local = Url::parse("https://localhost:8443/").unwrap();
        assert!(check_reachable(&local, false).await.is_err());
    }
}
