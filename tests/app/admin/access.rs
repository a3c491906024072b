//! Only admins reach `/admin`: a visitor without session is sent to the login page, moderators
//! and volunteers get 403, and their posts change nothing.

use axum::http::StatusCode;
use entity::organisation;
use sea_orm::EntityTrait;

use super::{audit_count, log_out};
use crate::accounts::{location, logged_in_volunteer};
use crate::helpers::{TestApp, spawn_app};
use crate::staff::{add_organisation, add_staff, logged_in_admin, logged_in_moderator};

fn pages(organisation: i64) -> Vec<String> {
    [
        "/admin",
        "/admin/organisations",
        "/admin/organisations/nouvelle",
        "/admin/moderateurs",
        "/admin/emails",
        "/admin/journal",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain([format!("/admin/organisations/{organisation}")])
    .collect()
}

fn actions(organisation: i64, moderator: i64) -> Vec<String> {
    vec![
        "/admin/organisations/nouvelle".to_owned(),
        format!("/admin/organisations/{organisation}"),
        format!("/admin/organisations/{organisation}/desactiver"),
        format!("/admin/organisations/{organisation}/reactiver"),
        "/admin/moderateurs/inviter".to_owned(),
        format!("/admin/moderateurs/{moderator}/organisations/{organisation}/retirer"),
        "/admin/emails/relancer".to_owned(),
        "/admin/emails/1/relancer".to_owned(),
    ]
}

async fn expect_everywhere(app: &TestApp, organisation: i64, moderator: i64, status: StatusCode) {
    for path in pages(organisation) {
        let response = app.server.get(&path).await;
        assert_eq!(response.status_code(), status, "GET {path}");
    }
    for path in actions(organisation, moderator) {
        let response = app
            .server
            .post(&path)
            .form(&[
                ("nom", "Piratage"),
                ("email_contact", "x@exemple.fr"),
                ("national", "oui"),
            ])
            .await;
        assert_eq!(response.status_code(), status, "POST {path}");
    }
}

#[tokio::test]
async fn visitors_are_sent_to_log_in_and_other_roles_are_refused() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;

    expect_everywhere(&app, marne.id, paul.id, StatusCode::SEE_OTHER).await;
    let response = app.server.get("/admin/journal?page=2").await;
    assert_eq!(
        location(&response),
        "/connexion?suivant=%2Fadmin%2Fjournal%3Fpage%3D2"
    );
    let response = app.server.post("/admin/emails/relancer").await;
    assert_eq!(location(&response), "/connexion");

    let moderator = logged_in_moderator(&app, marne.id).await;
    expect_everywhere(&app, marne.id, moderator.id, StatusCode::FORBIDDEN).await;
    log_out(&app).await;

    logged_in_volunteer(&app, "benevole@exemple.fr").await;
    expect_everywhere(&app, marne.id, paul.id, StatusCode::FORBIDDEN).await;
    log_out(&app).await;

    let organisations = organisation::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(organisations.len(), 1, "nothing was created");
    assert!(organisations[0].active, "nor deactivated");
    assert_eq!(audit_count(&app).await, 0);

    logged_in_admin(&app).await;
    for path in pages(marne.id) {
        app.server.get(&path).await.assert_status_ok();
    }
}
