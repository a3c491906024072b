//! The communes reference seen from outside: the JSON API, the "Trouver ma commune" page that
//! shows the "where" field at work, and the start-up log.

use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use serde_json::Value;

use crate::helpers::spawn_app;

async fn api(app: &crate::helpers::TestApp, query: &str) -> Value {
    let response = app.server.get(&format!("/api/v1/communes?{query}")).await;
    response.assert_status_ok();
    response.json()
}

#[tokio::test]
async fn api_gives_the_arrondissement_of_a_marseille_postcode() {
    let app = spawn_app().await;
    let body = api(&app, "q=13001").await;
    let first = &body[0];
    assert_eq!(first["insee"], "13201");
    assert_eq!(first["nom"], "Marseille 1er Arrondissement");
    assert_eq!(first["postcodes"], serde_json::json!(["13001"]));
    assert_eq!(first["departement"], "13");
    assert_eq!(first["type"], "arrondissement");
    assert_eq!(first["ancien_nom"], Value::Null);
    assert!((first["lat"].as_f64().unwrap() - 43.3).abs() < 0.1);
    assert!((first["lon"].as_f64().unwrap() - 5.38).abs() < 0.1);
}

#[tokio::test]
async fn api_lists_the_communes_of_a_shared_postcode_up_to_the_limit() {
    let app = spawn_app().await;
    let default = api(&app, "q=51300").await;
    assert_eq!(default.as_array().unwrap().len(), 10, "10 by default");
    assert_eq!(default[0]["nom"], "Vitry-le-François", "the biggest first");
    let all = api(&app, "q=51300&limit=50").await;
    assert!(all.as_array().unwrap().len() >= 40);
}

#[tokio::test]
async fn api_finds_corsican_and_overseas_communes_with_string_codes() {
    let app = spawn_app().await;
    let ajaccio = api(&app, "q=20000").await;
    assert_eq!(ajaccio[0]["insee"], "2A004");
    assert_eq!(ajaccio[0]["departement"], "2A");
    let saint_denis = api(&app, "q=97400").await;
    assert_eq!(saint_denis[0]["insee"], "97411");
    assert_eq!(saint_denis[0]["departement"], "974");
}

#[tokio::test]
async fn api_finds_names_however_they_are_typed_biggest_first() {
    let app = spawn_app().await;
    let body = api(&app, "q=st%20etienne&limit=20").await;
    assert_eq!(body[0]["insee"], "42218");
    assert_eq!(body[0]["nom"], "Saint-Étienne");
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .any(|c| c["nom"] == "Saint-Étienne-du-Rouvray")
    );

    let paris = api(&app, "q=paris").await;
    assert_eq!(paris[0]["insee"], "75056");
    assert_eq!(paris[0]["type"], "ville_arrondissements");

    let former = api(&app, "q=Bellegarde-sur-Valserine").await;
    assert_eq!(former[0]["insee"], "01033");
    assert_eq!(former[0]["nom"], "Valserhône");
    assert_eq!(former[0]["ancien_nom"], "Bellegarde-sur-Valserine");
}

#[tokio::test]
async fn api_refuses_a_missing_empty_or_overlong_q_with_a_json_error() {
    let app = spawn_app().await;
    let long = "a".repeat(101);
    for query in ["", "q=", "q=%20%20", &format!("q={long}")] {
        let response = app.server.get(&format!("/api/v1/communes?{query}")).await;
        response.assert_status(StatusCode::BAD_REQUEST);
        let body: Value = response.json();
        assert_eq!(body["error"]["status"], 400, "{query}");
        let message = body["error"]["message"].as_str().unwrap();
        assert!(message.starts_with("Le paramètre q"), "{query}: {message}");
    }
}

#[tokio::test]
async fn api_refuses_a_limit_out_of_range_with_a_json_error() {
    let app = spawn_app().await;
    for limit in ["0", "51", "beaucoup"] {
        let response = app
            .server
            .get(&format!("/api/v1/communes?q=51300&limit={limit}"))
            .await;
        response.assert_status(StatusCode::BAD_REQUEST);
        let body: Value = response.json();
        assert_eq!(body["error"]["status"], 400, "{limit}");
    }
    let response = app.server.get("/api/v1/communes?q=51300&limit=51").await;
    let body: Value = response.json();
    assert_eq!(
        body["error"]["message"],
        "Le paramètre limit doit être compris entre 1 et 50."
    );
}

#[tokio::test]
async fn commune_page_shows_an_empty_labelled_field() {
    let app = spawn_app().await;
    let response = app.server.get("/commune").await;
    response.assert_status_ok();
    let page = response.text();
    assert!(page.contains(r#"<label for="commune">"#));
    assert!(page.contains("Code postal ou nom de la commune"));
    assert!(page.contains(r#"name="commune" value="""#));
    assert!(page.contains(r#"aria-describedby="commune-aide""#));
    assert!(!page.contains("aria-invalid"));
    assert!(!page.contains(r#"type="radio""#));
    assert!(
        page.contains("GeoNames") && page.contains("CC BY 4.0"),
        "credits required by the licence"
    );
}

#[tokio::test]
async fn a_shared_postcode_asks_which_commune_without_javascript() {
    let app = spawn_app().await;
    let page = app.server.get("/commune?commune=51300").await.text();
    assert!(page.contains("Plusieurs communes ont le code postal 51300 : choisissez la vôtre."));
    let radios = page.matches(r#"type="radio" id="commune-"#).count();
    assert!(radios >= 40, "{radios}");
    assert!(page.contains(r#"name="commune_insee" value="51649""#));
    assert!(page.contains("Vitry-le-François"));
    assert!(page.contains("Marne (51)"));
    assert!(
        page.contains(r#"name="commune" value="51300""#),
        "what was typed stays"
    );
    assert!(!page.contains("Votre commune</h2>"));
}

#[tokio::test]
async fn choosing_among_the_candidates_resolves_the_commune() {
    let app = spawn_app().await;
    let page = app
        .server
        .get("/commune?commune=51300&commune_insee=51649")
        .await
        .text();
    assert!(page.contains("Votre commune</h2>"));
    assert!(page.contains("<dd>Vitry-le-François</dd>"));
    assert!(page.contains("<dd>Marne (51)</dd>"));
    assert!(page.contains("<dd>51300</dd>"));
    assert!(page.contains("<dd>51649</dd>"));
    assert!(
        page.contains(r#"value="51649" checked"#),
        "the choice stays checked"
    );
}

#[tokio::test]
async fn a_postcode_of_one_commune_resolves_at_once() {
    let app = spawn_app().await;
    let page = app.server.get("/commune?commune=75016").await.text();
    assert!(page.contains("<dd>Paris 16e Arrondissement</dd>"));
    assert!(page.contains("<dt>Codes postaux</dt>"));
    assert!(page.contains("<dd>75016, 75116</dd>"));
    assert!(!page.contains(r#"type="radio""#));
}

#[tokio::test]
async fn an_unknown_commune_is_explained_next_to_the_field() {
    let app = spawn_app().await;
    let response = app.server.get("/commune?commune=Xyzzyville").await;
    response.assert_status_ok();
    let page = response.text();
    assert!(page.contains(
        "Nous ne trouvons pas cette commune. Vérifiez le code postal ou l&#39;orthographe."
    ));
    assert!(page.contains(r#"id="commune-erreur""#));
    assert!(page.contains(r#"aria-describedby="commune-aide commune-erreur" aria-invalid="true""#));
    assert!(
        page.contains(r#"value="Xyzzyville""#),
        "what was typed stays"
    );
    assert!(page.contains("<title>Erreur : Trouver ma commune"));

    let empty = app.server.get("/commune?commune=").await.text();
    assert!(empty.contains("Indiquez votre code postal ou le nom de votre commune."));
}

#[tokio::test]
async fn what_was_typed_is_shown_back_escaped() {
    let app = spawn_app().await;
    let page = app
        .server
        .get("/commune?commune=%3Cscript%3Ealert(1)%3C%2Fscript%3E")
        .await
        .text();
    assert!(!page.contains("<script>alert(1)"));
    assert!(page.contains("&#60;script&#62;alert(1)"));
}

#[tokio::test]
async fn suggestions_come_from_a_local_script_never_inline() {
    let app = spawn_app().await;
    let page = app.server.get("/commune").await.text();
    assert!(page.contains(r#"<script src="/static/js/commune-suggestions.js" defer></script>"#));
    assert!(page.contains(r#"data-suggestions="/api/v1/communes""#));
    assert_eq!(
        page.matches("<script").count(),
        page.matches("<script src=").count()
    );
    let script = app.server.get("/static/js/commune-suggestions.js").await;
    script.assert_status_ok();
    assert!(
        script
            .header("content-type")
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert!(
        script.text().contains("/api/v1/communes") || script.text().contains("dataset.suggestions")
    );
}

/// Collects what the log subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

#[tokio::test]
async fn the_start_up_log_says_how_long_the_communes_took_to_load() {
    let logs = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(logs.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    // tracing-core caches each log line's interest; while a single scoped subscriber exists it asks
    // the default of whichever thread logs first, so a test running on another thread could cache
    // "nobody listens" for this line. A second live subscriber makes it ask every subscriber.
    let _second = tracing::Dispatch::new(tracing::subscriber::NoSubscriber::default());
    let _app = spawn_app().await;
    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    let line = text
        .lines()
        .find(|line| line.contains("communes loaded"))
        .unwrap_or_else(|| panic!("no start-up line about the communes in:\n{text}"));
    assert!(line.contains("communes=34920"), "{line}");
    assert!(line.contains("elapsed_ms="), "{line}");
}
