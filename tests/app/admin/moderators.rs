//! `/admin/moderateurs`: inviting (new address, existing moderator, refused roles), the list, and
//! removing a moderator from an organisation.

use axum::http::StatusCode;
use entity::membership;
use entraide::accounts::Role;
use entraide::organisations::Scope;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::audit_count;
use crate::accounts::{account_of, link_in, verified_volunteer};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::staff::{add_membership, add_organisation, add_staff, logged_in_admin};

async fn invite(
    app: &TestApp,
    prenom: &str,
    email: &str,
    organisation: &str,
) -> axum_test::TestResponse {
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", prenom),
            ("email", email),
            ("organisation", organisation),
        ])
        .await
}

async fn memberships_of(app: &TestApp, account_id: i64) -> Vec<membership::Model> {
    membership::Entity::find()
        .filter(membership::Column::AccountId.eq(account_id))
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_address_gets_an_account_without_password_a_membership_and_an_invitation() {
    let app = spawn_app().await;
    let admin = logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    app.server
        .get("/admin/moderateurs")
        .await
        .assert_status_ok();

    invite(&app, "Julie", "Julie@Exemple.FR", &marne.id.to_string())
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let julie = account_of(&app, "Julie@exemple.fr").await.unwrap();
    assert_eq!(julie.role, Role::Moderateur);
    assert!(julie.email_verified_at.is_none() && julie.password_hash.is_empty());
    let memberships = memberships_of(&app, julie.id).await;
    assert_eq!(memberships.len(), 1);
    assert_eq!(memberships[0].organisation_id, marne.id);
    assert_eq!(memberships[0].notification, "immediat");
    let entries = kit::audit_entries_for_action(&app, "moderateur.inviter").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].actor_id,
            entries[0].target_id,
            entries[0].organisation_id
        ),
        (Some(admin.id), Some(julie.id), Some(marne.id))
    );
    app.mailbox
        .delivered("Julie@exemple.fr", |e| e.text.contains("/invitation/"))
        .await;

    let list = app.server.get("/admin/moderateurs").await.text();
    assert!(
        list.contains("est envoyée à Julie@exemple.fr"),
        "a flash message"
    );
    assert!(list.contains("Julie") && list.contains("Marne Solidaire"));
    assert!(list.contains("mot de passe pas encore choisi"));
}

#[tokio::test]
async fn an_existing_moderator_is_told_of_a_new_organisation_and_a_pending_one_gets_a_fresh_link() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    add_membership(&app, marne.id, paul.id).await;

    invite(&app, "Paulo", &paul.email, &aube.id.to_string())
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(memberships_of(&app, paul.id).await.len(), 2);
    let told = app
        .mailbox
        .delivered(&paul.email, |e| e.subject.contains("Aube Numérique"))
        .await;
    assert!(told.subject.contains("Vous modérez maintenant"));
    assert!(told.text.contains("Bonjour Paul,"), "the stored first name");
    assert!(
        !told.text.contains("/invitation/"),
        "no link: they have a password"
    );
    assert_eq!(account_of(&app, &paul.email).await.unwrap().prenom, "Paul");

    let again = invite(&app, "Paul", &paul.email, &aube.id.to_string()).await;
    again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().contains("modère déjà"));

    invite(&app, "Léa", "lea@exemple.fr", &marne.id.to_string()).await;
    let first = app
        .mailbox
        .delivered("lea@exemple.fr", |e| e.text.contains("/invitation/"))
        .await;
    let first = link_in(&first, "/invitation/");
    invite(&app, "Léa", "lea@exemple.fr", &marne.id.to_string())
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let lea = account_of(&app, "lea@exemple.fr").await.unwrap();
    assert_eq!(memberships_of(&app, lea.id).await.len(), 1);
    app.server.get(&first).await.assert_status(StatusCode::GONE);
    let second = app
        .mailbox
        .delivered("lea@exemple.fr", |e| {
            e.text.contains("/invitation/") && link_in(e, "/invitation/") != first
        })
        .await;
    app.server
        .get(&link_in(&second, "/invitation/"))
        .await
        .assert_status_ok();
    assert_eq!(
        kit::audit_entries_for_action(&app, "moderateur.inviter")
            .await
            .len(),
        3
    );
}

#[tokio::test]
async fn volunteer_and_admin_addresses_and_incomplete_forms_are_refused() {
    let app = spawn_app().await;
    verified_volunteer(&app, "benevole@exemple.fr").await;
    let admin = logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let before = audit_count(&app).await;
    let mails_before = app.mailbox.all().len();

    let volunteer = invite(&app, "Marie", "benevole@exemple.fr", &marne.id.to_string()).await;
    volunteer.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(volunteer.text().contains("compte bénévole"));
    assert!(
        volunteer.text().contains(r#"value="benevole@exemple.fr""#),
        "kept"
    );
    assert_eq!(
        account_of(&app, "benevole@exemple.fr").await.unwrap().role,
        Role::Benevole
    );

    let other_admin = invite(&app, "Admin", &admin.email, &marne.id.to_string()).await;
    other_admin.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        other_admin
            .text()
            .contains("voit déjà toutes les organisations")
    );

    let incomplete = invite(&app, " ", "julie@", "").await;
    incomplete.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = incomplete.text();
    assert!(html.contains("3 informations sont à corriger"), "{html}");
    assert!(html.contains("Indiquez le prénom"));
    assert!(html.contains(r#"value="julie@""#));

    let deactivated = add_organisation(&app, "Ancienne", "10", false).await;
    entraide::admin::organisations::set_active(
        &app.db,
        entraide::audit::AuditActor::CommandLine,
        deactivated.id,
        false,
    )
    .await
    .unwrap();
    let before = before + 1;
    let inactive = invite(
        &app,
        "Julie",
        "julie@exemple.fr",
        &deactivated.id.to_string(),
    )
    .await;
    inactive.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(inactive.text().contains("Choisissez l"));

    assert!(account_of(&app, "julie@exemple.fr").await.is_none());
    assert!(
        membership::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(audit_count(&app).await, before, "nothing was written");
    assert_eq!(app.mailbox.all().len(), mails_before);
}

#[tokio::test]
async fn a_moderator_removed_from_an_organisation_no_longer_sees_it() {
    let app = spawn_app().await;
    let admin = logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    add_membership(&app, marne.id, paul.id).await;
    add_membership(&app, aube.id, paul.id).await;

    let path = format!(
        "/admin/moderateurs/{}/organisations/{}/retirer",
        paul.id, marne.id
    );
    app.server
        .post(&path)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let left: Vec<i64> = memberships_of(&app, paul.id)
        .await
        .iter()
        .map(|m| m.organisation_id)
        .collect();
    assert_eq!(left, vec![aube.id]);
    assert_eq!(
        Scope::of(&app.db, &paul, Role::Moderateur).await.unwrap(),
        Some(Scope::Organisations(vec![aube.id]))
    );
    let entries = kit::audit_entries_for_action(&app, "moderateur.retirer").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (
            entries[0].actor_id,
            entries[0].target_id,
            entries[0].organisation_id
        ),
        (Some(admin.id), Some(paul.id), Some(marne.id))
    );
    assert!(
        app.server
            .get("/admin/moderateurs")
            .await
            .text()
            .contains("retiré de l")
    );

    app.server
        .post(&path)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    assert_eq!(
        kit::audit_entries_for_action(&app, "moderateur.retirer")
            .await
            .len(),
        1
    );
}
