use axum::http::StatusCode;
use entity::states::Role;
use entity::{account, account_token, login_attempt, outbox_email, volunteer_profile};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::*;
use crate::helpers::spawn_app;

#[tokio::test]
async fn the_export_holds_everything_about_the_volunteer() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let response = app.server.get("/benevole/mes-donnees").await;
    response.assert_status_ok();
    assert!(
        response
            .header("content-type")
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(
        response
            .header("content-disposition")
            .to_str()
            .unwrap()
            .starts_with("attachment"),
        "a download"
    );
    let data: serde_json::Value = response.json();
    assert_eq!(data["compte"]["email"], "marie@exemple.fr");
    assert_eq!(data["compte"]["prenom"], "Marie");
    assert_eq!(data["compte"]["nom"], "Dupont");
    assert!(data["compte"]["email_verifie_le"].is_string());
    let profile = &data["profil_benevole"];
    assert_eq!(profile["commune"]["insee"], "75116");
    assert_eq!(profile["commune"]["departement"], "75");
    assert_eq!(profile["rayon_km"], 15);
    assert_eq!(
        profile["modes"],
        serde_json::json!(["telephone", "presentiel"])
    );
    assert_eq!(
        profile["categories"],
        serde_json::json!(["appareil", "email"])
    );
    assert_eq!(profile["langues"], serde_json::json!(["en"]));
    assert_eq!(profile["max_demandes"], 3);
    assert_eq!(profile["disponibilites"], "Le mercredi après-midi");
    assert!(profile["en_pause_jusqu_au"].is_null());
    assert_eq!(data["liens_envoyes"][0]["objet"], "verify_email");
    assert_eq!(data["tentatives_de_connexion"][0]["reussie"], true);
    assert!(data["emails"].as_array().is_some_and(|e| !e.is_empty()));
    let text = response.text();
    assert!(!text.contains("argon2"), "never the password hash");
    assert!(!text.contains("token_hash"));

    app.server.post("/deconnexion").await;
    let anonymous = app.server.get("/benevole/mes-donnees").await;
    anonymous.assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn deleting_the_account_erases_personal_data_and_keeps_an_anonymous_row() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let id = account_of(&app, "marie@exemple.fr").await.unwrap().id;

    let refused = app
        .server
        .post("/benevole/supprimer")
        .form(&[("mot_de_passe_suppression", "pas le bon du tout")])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .contains("votre compte n&#39;est pas supprimé")
            || refused.text().contains("votre compte n'est pas supprimé")
    );
    assert!(account_of(&app, "marie@exemple.fr").await.is_some());

    let deleted = app
        .server
        .post("/benevole/supprimer")
        .form(&[("mot_de_passe_suppression", PASSWORD)])
        .await;
    deleted.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&deleted), "/");
    assert!(
        app.server
            .get("/")
            .await
            .text()
            .contains("Votre compte est supprimé")
    );

    let row = account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the row stays");
    assert!(row.deleted_at.is_some());
    assert!(!row.email.contains("marie"), "{}", row.email);
    assert!(row.password_hash.is_empty());
    assert_eq!(row.prenom, "Compte supprimé");
    assert_eq!(row.nom, None);
    assert_eq!(row.role, Role::Benevole, "kept for statistics");
    assert_eq!(
        volunteer_profile::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        account_token::Entity::find()
            .filter(account_token::Column::AccountId.eq(id))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
    assert_eq!(
        login_attempt::Entity::find().count(&app.db).await.unwrap(),
        0
    );
    assert_eq!(
        outbox_email::Entity::find()
            .filter(outbox_email::Column::Recipient.eq("marie@exemple.fr"))
            .count(&app.db)
            .await
            .unwrap(),
        0
    );

    app.server
        .get("/benevole/profil")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_in(&app, "marie@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    sign_up(&app, &signup_form("marie@exemple.fr"))
        .await
        .assert_status_ok();
    assert!(
        account_of(&app, "marie@exemple.fr").await.unwrap().id != id,
        "the address is free again"
    );
}

#[tokio::test]
async fn guessing_the_password_of_a_logged_in_account_is_throttled_too() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    for _ in 0..5 {
        app.server
            .post("/benevole/supprimer")
            .form(&[("mot_de_passe_suppression", "une devinette")])
            .await
            .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let refused = app
        .server
        .post("/benevole/supprimer")
        .form(&[("mot_de_passe_suppression", PASSWORD)])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("Trop d"));
    assert!(
        account_of(&app, "marie@exemple.fr").await.is_some(),
        "not deleted"
    );
}
