//! Where a link back into the site may send people: the login form's `suivant` and the display
//! form's `retour`. Only a page of ours is followed, read the way browsers and proxies might read
//! it (percent-decoded until stable, tabs and newlines, backslashes, dot segments); anything else
//! falls back to the caller's default.

use std::borrow::Cow;
use std::sync::LazyLock;

use percent_encoding::percent_decode_str;
use url::Url;

/// The pages a person may be sent back to: GET routes, in the routers' syntax. Keep in step with
/// the routers (`tests/app/redirects.rs` checks that each one is routed); a page missing here only
/// means people land on their home page instead.
pub const RETURN_PAGES: &[&str] = &[
    "/",
    "/demande",
    "/suivi/{token}",
    "/suivi/{token}/annuler",
    "/suivi/{token}/avis",
    "/avis/{token}",
    "/commune",
    "/confidentialite",
    "/charte-benevole",
    "/connexion",
    "/mot-de-passe-oublie",
    "/mot-de-passe/{token}",
    "/invitation/{token}",
    "/benevole/inscription",
    "/benevole/espace",
    "/benevole/profil",
    "/benevole/propositions",
    "/benevole/propositions/{id}",
    "/benevole/demandes",
    "/benevole/demandes/{id}/resolue",
    "/benevole/demandes/{id}/rendre",
    "/benevole/mes-donnees",
    "/moderation",
    "/moderation/preferences",
    "/moderation/demandes/nouvelle",
    "/moderation/demandes/{id}",
    "/moderation/demandes/{id}/modifier",
    "/moderation/benevoles",
    "/moderation/benevoles/{id}",
    "/admin",
    "/admin/organisations",
    "/admin/organisations/nouvelle",
    "/admin/organisations/{id}",
    "/admin/moderateurs",
    "/admin/emails",
    "/admin/journal",
];

/// [`RETURN_PAGES`], matched the way axum matches routes.
static PAGES: LazyLock<matchit::Router<()>> = LazyLock::new(|| {
    let mut pages = matchit::Router::new();
    for page in RETURN_PAGES {
        pages
            .insert(*page, ())
            .unwrap_or_else(|err| panic!("RETURN_PAGES: {page}: {err}"));
    }
    pages
});

/// A stand-in origin: a target must resolve against it without leaving it.
static ORIGIN: LazyLock<Url> = LazyLock::new(|| {
    Url::parse("http://entraide.invalid/connexion").expect("a valid stand-in origin")
});

/// Percent-decoding rounds before a target that keeps changing is given up on.
const MAX_DECODING_ROUNDS: usize = 4;

/// `target` if it leads to one of [`RETURN_PAGES`] however often it is percent-decoded, else
/// `None`. It must be printable ASCII (a header value), and each decoded form must start with a
/// single `/`, hold no control character nor backslash, and resolve (as a browser would, dot
/// segments included) to a page of ours on our own host.
pub fn local_path(target: &str) -> Option<&str> {
    if target.is_empty() || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return None;
    }
    let mut form = Cow::Borrowed(target);
    for _ in 0..MAX_DECODING_ROUNDS {
        if !leads_to_our_page(&form) {
            return None;
        }
        let decoded = percent_decode_str(&form).decode_utf8().ok()?.into_owned();
        if decoded == *form {
            return Some(target);
        }
        form = Cow::Owned(decoded);
    }
    None
}

/// Whether one form of a target is a path of ours that answers a page.
fn leads_to_our_page(form: &str) -> bool {
    let plain = form.starts_with('/')
        && !form.starts_with("//")
        && !form.chars().any(|c| c == '\\' || c.is_control());
    plain
        && ORIGIN.join(form).is_ok_and(|url| {
            url.origin() == ORIGIN.origin()
                && !url.path().starts_with("//")
                && PAGES.at(url.path()).is_ok()
        })
}

#[cfg(test)]
mod tests {
    use super::local_path;

    #[test]
    fn pages_of_ours_are_followed_with_their_query() {
        for target in [
            "/",
            "/demande",
            "/benevole/profil?onglet=a&b",
            "/moderation/benevoles?q=Jean%20Dupont",
            "/moderation/demandes/42",
            "/suivi/Abc-123_x/avis",
            "/admin/journal#page",
        ] {
            assert_eq!(local_path(target), Some(target), "{target}");
        }
    }

    #[test]
    fn anything_that_could_leave_the_site_is_refused() {
        for target in [
            "",
            "//evil.example",
            "///evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/%09/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/%0a/evil.example",
            "/%0d%0a/evil.example",
            "/%2F%2Fevil.example",
            "/%2f/evil.example",
            "%2F%2Fevil.example",
            "/%5Cevil.example",
            "/%252F%252Fevil.example",
            "/%25252F%25252Fevil.example",
            "/%255Cevil.example",
            "/%2509/evil.example",
            "https:evil.example",
            "https://evil.example",
            "http:/evil.example",
            "evil.example",
            "javascript:alert(1)",
            "/benevole/../..//evil.example",
            "/benevole/%2e%2e/%2e%2e//evil.example",
            "/demande/..%2F..%2F%2Fevil.example",
            " /demande",
            "/demande\u{0}",
            "/d\u{e9}mande",
            "/%ff",
        ] {
            assert_eq!(local_path(target), None, "{target:?}");
        }
    }

    #[test]
    fn paths_that_answer_no_page_of_ours_are_refused() {
        for target in [
            "/nulle-part",
            "/benevole",
            "/api/v1/communes",
            "/healthz",
            "/static/css/site.css",
            "/verifier-email/abc",
            "/%62enevole/profil",
        ] {
            assert_eq!(local_path(target), None, "{target}");
        }
    }
}
