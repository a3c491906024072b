//! Keys: created on the organisation's page and shown once, revoked at once, scoped to the
//! organisation's staff, and every use in the audit log.

use axum::http::StatusCode;
use entity::states::AuditAction;
use sea_orm::EntityTrait;

use super::{assert_problem, get, partner};
use crate::helpers::spawn_app;
use crate::kit;
use crate::staff::{add_organisation, logged_in_admin, logged_in_moderator};

/// The secret on a page, if one is shown.
fn secret_on(page: &str) -> Option<String> {
    regex::Regex::new(r"ent_[a-z0-9_]{32}")
        .unwrap()
        .find(page)
        .map(|m| m.as_str().to_owned())
}

#[tokio::test]
async fn an_admin_creates_a_key_shown_once_and_its_revocation_takes_effect_at_once() {
    let app = spawn_app().await;
    let organisation = add_organisation(&app, "Ligne d'aide de la Marne", "51", false).await;
    logged_in_admin(&app).await;
    let base = format!("/admin/organisations/{}/cles-api", organisation.id);

    let organisation_page = app
        .server
        .get(&format!("/admin/organisations/{}", organisation.id))
        .await;
    assert!(organisation_page.text().contains(&base));

    let created = app
        .server
        .post(&base)
        .form(&[("nom", "Standard téléphonique")])
        .await;
    created.assert_status_ok();
    let secret = secret_on(&created.text()).expect("the new key is shown");
    assert!(created.text().contains("ne sera plus jamais affichée"));

    let later = app.server.get(&base).await;
    later.assert_status_ok();
    assert!(later.text().contains("Standard téléphonique"));
    assert!(later.text().contains(&secret[..8]), "the prefix is listed");
    assert_eq!(secret_on(&later.text()), None, "never shown again");

    let call = app
        .server
        .get("/api/v1/demandes")
        .authorization_bearer(&secret)
        .await;
    call.assert_status_ok();

    let key = entity::api_key::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(!key.secret_hash.contains(&secret[4..]), "stored hashed");
    assert!(key.last_used_at.is_some());
    app.server
        .post(&format!("{base}/{}/revoquer", key.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let refused = app
        .server
        .get("/api/v1/demandes")
        .authorization_bearer(&secret)
        .await;
    assert_problem(&refused, StatusCode::UNAUTHORIZED);
    assert_eq!(
        kit::audit_entries_for_action(&app, AuditAction::ApiKeyCreated.slug())
            .await
            .len(),
        1
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, AuditAction::ApiKeyRevoked.slug())
            .await
            .len(),
        1
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, AuditAction::ApiUsed.slug())
            .await
            .len(),
        1
    );
}

#[tokio::test]
async fn moderators_manage_the_keys_of_their_own_organisation_only() {
    let app = spawn_app().await;
    let own = add_organisation(&app, "France Services d'Épernay", "51", false).await;
    let other = add_organisation(&app, "CCAS de Lyon", "69", false).await;
    logged_in_moderator(&app, own.id).await;

    let entry = app.server.get("/moderation/organisation/cles-api").await;
    entry.assert_status(StatusCode::SEE_OTHER);
    let own_page = format!("/moderation/organisations/{}/cles-api", own.id);
    assert_eq!(entry.header("location"), own_page.as_str());
    let preferences = app.server.get("/moderation/preferences").await;
    assert!(
        preferences
            .text()
            .contains("/moderation/organisation/cles-api")
    );

    let created = app.server.post(&own_page).form(&[("nom", "Accueil")]).await;
    created.assert_status_ok();
    assert!(secret_on(&created.text()).is_some());

    let empty_name = app.server.post(&own_page).form(&[("nom", " ")]).await;
    empty_name.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty_name.text().contains("Donnez un nom à la clé"));

    for page in [
        format!("/moderation/organisations/{}/cles-api", other.id),
        format!("/admin/organisations/{}/cles-api", own.id),
    ] {
        app.server.get(&page).await.assert_status_not_found();
    }
    app.server
        .post(&format!("/moderation/organisations/{}/cles-api", other.id))
        .form(&[("nom", "Intrus")])
        .await
        .assert_status_not_found();
    let keys = entity::api_key::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].organisation_id, own.id);
}

#[tokio::test]
async fn calls_without_a_valid_key_are_refused_with_a_problem() {
    let app = spawn_app().await;
    let partner = partner(&app, "Ligne d'aide", "51").await;
    let mut bad = vec![
        None,
        Some("Basic dXNlcjpwYXNz".to_owned()),
        Some("Bearer".to_owned()),
        Some("Bearer ent_inconnue".to_owned()),
        Some(format!("Bearer {}x", partner.secret)),
        Some(format!("Bearer ent_{}", "a".repeat(32))),
    ];
    bad.push(Some(format!("Bearer {}", partner.secret.to_uppercase())));
    for header in bad {
        let mut request = app.server.get("/api/v1/demandes");
        if let Some(header) = &header {
            request = request.add_header("authorization", header.as_str());
        }
        let response = request.await;
        let problem = assert_problem(&response, StatusCode::UNAUTHORIZED);
        assert!(
            problem["detail"].as_str().unwrap().contains("clé"),
            "{header:?}"
        );
        assert!(response.contains_header("www-authenticate"));
    }
    get(&app, &partner, "/api/v1/demandes")
        .await
        .assert_status_ok();
    // Refused calls write nothing; the one accepted call is audited.
    let uses = crate::kit::audit_entries_for_action(&app, AuditAction::ApiUsed.slug()).await;
    assert_eq!(uses.len(), 1);
    assert_eq!(uses[0].organisation_id, Some(partner.organisation.id));
    assert_eq!(uses[0].details.as_deref(), Some("GET /api/v1/demandes"));
}
