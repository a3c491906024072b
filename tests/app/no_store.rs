//! Pages showing personal data are kept by no cache (`Cache-Control: no-store`); public pages
//! may be.

use entraide::contact::EmailAddress;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};

use crate::accounts::logged_in_volunteer;
use crate::helpers::TestApp;
use crate::helpers::spawn_app;
use crate::staff::{add_organisation, logged_in_admin, logged_in_moderator};

/// A request from Reims, through intake; returns its id and follow-up secret.
async fn request(app: &TestApp) -> (i64, String) {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "51454".into(),
        departement: "51".into(),
        latitude: 49.2628,
        longitude: 4.0347,
        prenom: "Josette".into(),
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: None,
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    let created = intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap();
    (created.request.id, created.follow_secret)
}

async fn assert_no_store(app: &TestApp, path: &str) {
    let response = app.server.get(path).expect_success().await;
    assert_eq!(
        response
            .maybe_header("cache-control")
            .as_ref()
            .map(|v| v.to_str().unwrap()),
        Some("no-store"),
        "{path}"
    );
}

#[tokio::test]
async fn pages_with_personal_data_are_never_cached() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let (id, secret) = request(&app).await;

    for path in [
        format!("/suivi/{secret}"),
        format!("/suivi/{secret}/annuler"),
    ] {
        assert_no_store(&app, &path).await;
    }

    logged_in_volunteer(&app, "marie@exemple.fr").await;
    for path in [
        "/benevole/profil",
        "/benevole/demandes",
        "/benevole/propositions",
        "/benevole/mes-donnees",
    ] {
        assert_no_store(&app, path).await;
    }

    logged_in_moderator(&app, marne.id).await;
    for path in [
        "/moderation".to_owned(),
        format!("/moderation/demandes/{id}"),
        "/moderation/benevoles".to_owned(),
    ] {
        assert_no_store(&app, &path).await;
    }

    logged_in_admin(&app).await;
    for path in ["/admin", "/admin/journal", "/admin/organisations"] {
        assert_no_store(&app, path).await;
    }
}

#[tokio::test]
async fn error_answers_under_private_routes_are_not_cached_either() {
    let app = spawn_app().await;
    let response = app.server.get("/moderation").await;
    assert_eq!(
        response.header("cache-control"),
        "no-store",
        "login redirect"
    );
    let response = app
        .server
        .get(&format!("/suivi/{}", "ab".repeat(32)))
        .expect_failure()
        .await;
    assert_eq!(response.header("cache-control"), "no-store", "unknown link");
}

#[tokio::test]
async fn public_pages_may_be_cached() {
    let app = spawn_app().await;
    for path in ["/", "/demande", "/charte-benevole", "/benevole/inscription"] {
        let response = app.server.get(path).expect_success().await;
        let cache = response.maybe_header("cache-control");
        assert!(
            cache.is_none_or(|v| !v.to_str().unwrap().contains("no-store")),
            "{path}"
        );
    }
}
