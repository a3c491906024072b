//! The preferences page: immediate e-mails or a daily digest, per organisation.

use axum::http::StatusCode;
use entity::membership;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::{PASSWORD, log_in};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::moderation_volunteers::fixtures::{REIMS, add_request};
use crate::staff::{add_membership, add_organisation, add_staff, logged_in_admin};

async fn notification(app: &TestApp, organisation_id: i64, account_id: i64) -> String {
    membership::Entity::find()
        .filter(membership::Column::OrganisationId.eq(organisation_id))
        .filter(membership::Column::AccountId.eq(account_id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .notification
}

#[tokio::test]
async fn a_moderator_chooses_the_digest_for_one_organisation() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let ardennes = add_organisation(&app, "Ardennes Connectées", "08", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    add_membership(&app, marne.id, paul.id).await;
    add_membership(&app, ardennes.id, paul.id).await;
    log_in(&app, &paul.email, PASSWORD).await;

    let page = app.server.get("/moderation/preferences").await;
    page.assert_status_ok();
    let page = page.text();
    assert!(page.contains("<legend>Marne Solidaire</legend>"));
    assert!(page.contains("<legend>Ardennes Connectées</legend>"));
    let marne_field = format!("notification_{}", marne.id);
    let ardennes_field = format!("notification_{}", ardennes.id);
    assert!(page.contains(&format!(
        "name=\"{marne_field}\" value=\"immediat\" checked"
    )));

    // A value that is not a choice is refused, and nothing changes.
    let response = app
        .server
        .post("/moderation/preferences")
        .form(&[
            (marne_field.as_str(), "hebdomadaire"),
            (ardennes_field.as_str(), "immediat"),
        ])
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .contains("Pour Marne Solidaire, choisissez comment recevoir les nouvelles demandes")
    );
    assert_eq!(notification(&app, marne.id, paul.id).await, "immediat");

    let response = app
        .server
        .post("/moderation/preferences")
        .form(&[
            (marne_field.as_str(), "quotidien"),
            (ardennes_field.as_str(), "immediat"),
        ])
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(notification(&app, marne.id, paul.id).await, "quotidien");
    assert_eq!(notification(&app, ardennes.id, paul.id).await, "immediat");
    let entries = kit::audit_entries_for_action(&app, "moderateur.preferences").await;
    assert_eq!(entries.len(), 1, "one change, one entry");
    assert_eq!(entries[0].actor_id, Some(paul.id));
    assert_eq!(entries[0].organisation_id, Some(marne.id));
    assert_eq!(entries[0].target_id, Some(paul.id));
    let page = app.server.get("/moderation/preferences").await.text();
    assert!(page.contains("Vos préférences sont enregistrées"));
    assert!(page.contains(&format!(
        "name=\"{marne_field}\" value=\"quotidien\" checked"
    )));

    // From now on, Marne's new requests wait for the digest.
    add_request(&app, REIMS, true).await;
    assert!(
        app.outbox_rows("moderation_new_request", Some(&paul.email))
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn an_admin_without_organisation_reads_what_they_receive() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let page = app.server.get("/moderation/preferences").await;
    page.assert_status_ok();
    let page = page.text();
    assert!(page.contains("En tant qu'administrateur"));
    assert!(!page.contains("<form method=\"post\" action=\"/moderation/preferences\""));
}
