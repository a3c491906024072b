use axum::http::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in ["/", "/healthz", "/nulle-part", "/static/css/site.css"] {
        let response = app.server.get(path).await;
        let csp = response.header("content-security-policy");
        let csp = csp.to_str().unwrap();
        assert!(csp.contains("default-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(response.header("referrer-policy"), "same-origin", "{path}");
        assert!(
            response
                .header("permissions-policy")
                .to_str()
                .unwrap()
                .contains("camera=()"),
            "{path}"
        );
        assert!(!response.header("x-request-id").is_empty(), "{path}");
    }
}

#[tokio::test]
async fn cross_site_posts_are_refused_with_a_french_page() {
    let app = spawn_app().await;
    let response = app
        .server
        .post("/affichage")
        .add_header("sec-fetch-site", "cross-site")
        .form(&[("taille", "grande")])
        .await;
    response.assert_status(StatusCode::FORBIDDEN);
    assert!(response.text().contains("Accès refusé"));

    let from_other_origin = app
        .server
        .post("/affichage")
        .add_header("origin", "https://evil.example")
        .form(&[("taille", "grande")])
        .await;
    from_other_origin.assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn same_origin_posts_are_accepted() {
    let app = spawn_app().await;
    let response = app
        .server
        .post("/affichage")
        .add_header("sec-fetch-site", "same-origin")
        .add_header("origin", app.config.public_origin())
        .form(&[("taille", "grande")])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
}
