//! Ways back into the site (`suivant` after login, `retour` after the display form) never lead
//! elsewhere, and the list of pages they may lead to matches the routers.

use axum::http::{Method, StatusCode};
use entraide::web::redirects::RETURN_PAGES;

use crate::accounts::{PASSWORD, location, verified_volunteer};
use crate::helpers::spawn_app;

/// What attackers put in a way back, as a form field carries it (the client encodes it).
const BYPASSES: &[&str] = &[
    "/\t/evil.example",
    "/%09/evil.example",
    "/\n/evil.example",
    "/%0A/evil.example",
    "/\r\n/evil.example",
    "/\\evil.example",
    "/%5Cevil.example",
    "//evil.example",
    "///evil.example",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%252F%252Fevil.example",
    "/%25252F%25252Fevil.example",
    "https:evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "/benevole/../..//evil.example",
    "/benevole/%2e%2e/%2e%2e//evil.example",
    " //evil.example",
    "/d\u{e9}mande",
    "/nulle-part",
];

/// Where a response sends the browser, checked not to leave the site.
fn landing(response: &axum_test::TestResponse, sent: &str) -> String {
    assert_eq!(response.status_code(), StatusCode::SEE_OTHER, "{sent:?}");
    let target = location(response);
    assert!(
        target.starts_with('/') && !target.starts_with("//") && !target.contains("evil"),
        "{sent:?} led to {target:?}"
    );
    target
}

#[tokio::test]
async fn login_with_a_way_back_out_of_the_site_lands_on_the_role_home() {
    let app = spawn_app().await;
    verified_volunteer(&app, "marie@exemple.fr").await;
    for bypass in BYPASSES {
        let response = app
            .server
            .post("/connexion")
            .form(&[
                ("email", "marie@exemple.fr"),
                ("password", PASSWORD),
                ("suivant", bypass),
            ])
            .await;
        assert_eq!(landing(&response, bypass), "/benevole/profil", "{bypass:?}");
    }

    let response = app
        .server
        .post("/connexion")
        .form(&[
            ("email", "marie@exemple.fr"),
            ("password", PASSWORD),
            ("suivant", "/benevole/demandes?vue=liste"),
        ])
        .await;
    assert_eq!(location(&response), "/benevole/demandes?vue=liste");
}

#[tokio::test]
async fn display_form_with_a_way_back_out_of_the_site_lands_on_the_home_page() {
    let app = spawn_app().await;
    for bypass in BYPASSES {
        let response = app
            .server
            .post("/affichage")
            .form(&[("taille", "grande"), ("retour", bypass)])
            .await;
        assert_eq!(landing(&response, bypass), "/", "{bypass:?}");
    }
    let response = app
        .server
        .post("/affichage")
        .form(&[("taille", "normale"), ("retour", "/demande")])
        .await;
    assert_eq!(location(&response), "/demande");
}

#[tokio::test]
async fn every_page_one_may_return_to_is_routed() {
    let app = spawn_app().await;
    // A routed path answers 405 to a method it does not take; an unknown one answers 404.
    let unknown = app
        .server
        .method(Method::PATCH, "/nulle-part")
        .expect_failure()
        .await;
    unknown.assert_status(StatusCode::NOT_FOUND);
    for page in RETURN_PAGES {
        let path = page.replace("{token}", "abc").replace("{id}", "1");
        assert!(!path.contains('{'), "{page}: unknown parameter");
        let response = app
            .server
            .method(Method::PATCH, &path)
            .expect_failure()
            .await;
        assert_eq!(
            response.status_code(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{page} is not routed"
        );
    }
}
