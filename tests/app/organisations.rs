//! Organisations: which one a new request belongs to, auto-approval, the audit log's append-only
//! guarantee, and where staff land after logging in.

use entity::states::RequestStatus;
use entity::{audit_log, help_request};
use entraide::audit::{self, AuditActor, Target};
use entraide::contact::EmailAddress;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::accounts::{PASSWORD, location, log_in};
use crate::helpers::{TestApp, spawn_app};
use crate::staff::{add_organisation, add_staff};

/// A request from `departement` (the commune does not matter to routing).
async fn request_in(app: &TestApp, departement: &str) -> help_request::Model {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["email"]).unwrap(),
        description: None,
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "51454".into(),
        departement: departement.into(),
        latitude: 49.25,
        longitude: 4.03,
        prenom: "Lucien".into(),
        email: Some(EmailAddress::parse("lucien@example.org").unwrap()),
        telephone: None,
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
        .request
}

#[tokio::test]
async fn a_request_goes_to_the_most_specific_then_oldest_organisation_of_its_departement() {
    let app = spawn_app().await;
    assert_eq!(
        request_in(&app, "51").await.organisation_id,
        None,
        "no organisation at all: the admins triage it"
    );
    let national = add_organisation(&app, "France Entraide", "", false).await;
    let region = add_organisation(&app, "Grand Est Numérique", "51 08 10", false).await;
    assert_eq!(
        request_in(&app, "13").await.organisation_id,
        Some(national.id),
        "nobody covers 13: the national one"
    );
    assert_eq!(
        request_in(&app, "51").await.organisation_id,
        Some(region.id)
    );
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let _younger = add_organisation(&app, "Reims Connecté", "51", false).await;
    assert_eq!(
        request_in(&app, "51").await.organisation_id,
        Some(marne.id),
        "the most specific, then the oldest"
    );
    let mut closed = marne.into_active_model();
    closed.active = Set(false);
    closed.update(&app.db).await.unwrap();
    let next = request_in(&app, "51").await.organisation_id;
    assert_eq!(
        next,
        Some(_younger.id),
        "a deactivated organisation gets nothing"
    );
}

#[tokio::test]
async fn an_auto_approving_organisation_opens_its_requests_at_once() {
    let app = spawn_app().await;
    add_organisation(&app, "Marne Solidaire", "51", true).await;
    let request = request_in(&app, "51").await;
    assert_ne!(request.status, entity::states::RequestStatus::Nouvelle);
    let stored = help_request::Entity::find_by_id(request.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    // No volunteer exists: matching ran and found nobody.
    assert_eq!(stored.status, RequestStatus::SansBenevole);
    let events = entraide::requests::follow::timeline(&app.db, request.id)
        .await
        .unwrap();
    let kinds: Vec<&str> = events.iter().map(|e| e.kind.slug()).collect();
    assert_eq!(kinds, ["creee", "validee", "sans_benevole"]);
    assert!(
        events[1]
            .details
            .as_deref()
            .unwrap()
            .contains("automatique")
    );

    add_organisation(&app, "Aube Numérique", "10", false).await;
    assert_eq!(request_in(&app, "10").await.status, RequestStatus::Nouvelle);
}

#[tokio::test]
async fn the_audit_log_refuses_changes_and_deletions() {
    let app = spawn_app().await;
    let entry = audit::record(
        &app.db,
        AuditActor::CommandLine,
        entity::states::AuditAction::AdminCreated,
        Target::Account(1),
        None,
        Some("test".into()),
    )
    .await
    .unwrap();
    let updated = audit_log::Entity::update_many()
        .col_expr(audit_log::Column::Action, Expr::value("autre"))
        .exec(&app.db)
        .await;
    assert!(updated.is_err(), "an update is refused");
    let deleted = audit_log::Entity::delete_by_id(entry.id)
        .exec(&app.db)
        .await;
    assert!(deleted.is_err(), "a deletion is refused");
    let kept = audit_log::Entity::find_by_id(entry.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept, entry);
}

#[tokio::test]
async fn staff_land_on_their_own_pages_after_logging_in_and_see_their_links() {
    let app = spawn_app().await;
    let moderator = add_staff(&app, "moderateur", "Paul").await;
    let response = log_in(&app, &moderator.email, PASSWORD).await;
    assert_eq!(location(&response), "/moderation");
    let page = app.server.get("/moderation/benevoles").await.text();
    assert!(page.contains(r#"<a href="/moderation">Demandes</a>"#));
    assert!(
        !page.contains(r#"href="/admin""#),
        "no admin link for a moderator"
    );
    assert!(!page.contains(r#"href="/benevole/profil""#));
    app.server.post("/deconnexion").await;
    let admin = add_staff(&app, "admin", "Alice").await;
    let response = log_in(&app, &admin.email, PASSWORD).await;
    assert_eq!(location(&response), "/admin");
    let page = app.server.get("/moderation/benevoles").await.text();
    assert!(page.contains(r#"<a href="/admin">Administration</a>"#));
}
