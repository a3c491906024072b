use axum::http::StatusCode;

use crate::helpers::spawn_app;

#[tokio::test]
async fn home_page_offers_both_ways_in_in_french() {
    let app = spawn_app().await;
    let response = app.server.get("/").await;
    response.assert_status_ok();
    let page = response.text();
    assert!(page.contains(r#"<html lang="fr""#));
    assert!(
        page.contains(r#"href="/demande""#) && page.contains("J&#39;ai besoin d&#39;aide")
            || page.contains("J'ai besoin d'aide")
    );
    assert!(page.contains(r#"href="/benevole/inscription">Je veux aider</a>"#));
    assert!(page.contains(r##"href="#contenu""##), "skip link");
    assert!(page.contains(r#"<main id="contenu""#));
    assert!(page.contains(r#"href="/static/css/site.css""#));
}

#[tokio::test]
async fn unknown_pages_get_a_french_404_page() {
    let app = spawn_app().await;
    let response = app.server.get("/nulle-part").await;
    response.assert_status(StatusCode::NOT_FOUND);
    assert!(
        response
            .header("content-type")
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    let page = response.text();
    assert!(page.contains("Page introuvable"));
    assert!(page.contains(r#"<html lang="fr""#));
}

#[tokio::test]
async fn unknown_api_routes_get_a_json_error() {
    let app = spawn_app().await;
    let response = app.server.get("/api/v1/nulle-part").await;
    response.assert_status(StatusCode::NOT_FOUND);
    let body: serde_json::Value = response.json();
    assert_eq!(body["error"]["status"], 404);
    assert_eq!(body["error"]["title"], "Page introuvable");
}

#[tokio::test]
async fn wrong_method_gets_a_french_page_not_internals() {
    let app = spawn_app().await;
    let response = app.server.post("/healthz").await;
    response.assert_status(StatusCode::METHOD_NOT_ALLOWED);
    assert!(response.text().contains("Action impossible"));
}

#[tokio::test]
async fn stylesheet_is_served_locally() {
    let app = spawn_app().await;
    let response = app.server.get("/static/css/site.css").await;
    response.assert_status_ok();
    assert!(response.text().contains(":focus-visible"));
}

#[tokio::test]
async fn larger_text_is_remembered_and_confirmed_once() {
    let app = spawn_app().await;
    let response = app
        .server
        .post("/affichage")
        .form(&[("taille", "grande"), ("retour", "/")])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(response.header("location"), "/");

    let page = app.server.get("/").await.text();
    assert!(page.contains(r#"class="texte-grand""#));
    assert!(page.contains("Le texte est maintenant plus grand."));

    let again = app.server.get("/").await.text();
    assert!(again.contains(r#"class="texte-grand""#));
    assert!(
        !again.contains("Le texte est maintenant plus grand."),
        "a flash message shows once"
    );
}

#[tokio::test]
async fn preference_form_never_redirects_elsewhere() {
    let app = spawn_app().await;
    let response = app
        .server
        .post("/affichage")
        .form(&[("taille", "grande"), ("retour", "//evil.example/")])
        .await;
    assert_eq!(response.header("location"), "/");
}

#[tokio::test]
async fn oversized_bodies_are_refused_in_french() {
    let app = spawn_app().await;
    let big = "x".repeat(app.config.max_body_bytes + 1);
    let response = app
        .server
        .post("/affichage")
        .form(&[("taille", big.as_str())])
        .await;
    response.assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.text().contains("Envoi trop volumineux"));
}
