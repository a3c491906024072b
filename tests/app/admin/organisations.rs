//! `/admin/organisations`: creating, editing, deactivating and reactivating, each with its audit
//! entry; refused forms keep what was typed and write nothing.

use axum::http::StatusCode;
use entity::organisation;
use entraide::organisations::route;
use sea_orm::{EntityTrait, QueryOrder};

use super::audit_count;
use crate::accounts::location;
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::staff::{add_organisation, logged_in_admin};

fn form(pairs: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    pairs.iter().map(|(k, v)| (*k, (*v).to_owned())).collect()
}

fn marne() -> Vec<(&'static str, String)> {
    form(&[
        ("nom", "Marne Solidaire"),
        ("email_contact", "contact@marne.example"),
        ("departements", "51, 08"),
        ("validation_automatique", "oui"),
    ])
}

async fn organisations(app: &TestApp) -> Vec<organisation::Model> {
    organisation::Entity::find()
        .order_by_asc(organisation::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_admin_creates_an_organisation_and_sees_it_listed() {
    let app = spawn_app().await;
    let admin = logged_in_admin(&app).await;
    app.server
        .get("/admin/organisations/nouvelle")
        .await
        .assert_status_ok();
    let created = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&marne())
        .await;
    created.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&created), "/admin/organisations");

    let stored = &organisations(&app).await[0];
    assert_eq!(
        (stored.name.as_str(), stored.departements.as_str()),
        ("Marne Solidaire", "08 51")
    );
    assert!(!stored.national && stored.auto_approve && !stored.vetting_required && stored.active);
    let entries = kit::audit_entries_for_action(&app, "organisation.creer").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_id, Some(admin.id));
    assert_eq!(entries[0].actor_role, "admin");
    assert_eq!(entries[0].organisation_id, Some(stored.id));

    let list = app.server.get("/admin/organisations").await;
    list.assert_status_ok();
    let html = list.text();
    assert!(html.contains("est créée"), "a flash message");
    assert!(html.contains("Marne Solidaire") && html.contains("08, 51"));

    let national = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&form(&[
            ("nom", "France Entraide"),
            ("email_contact", "contact@france.example"),
            ("national", "oui"),
            ("verification_presentiel", "oui"),
        ]))
        .await;
    national.assert_status(StatusCode::SEE_OTHER);
    let national = &organisations(&app).await[1];
    assert!(national.national && national.vetting_required && !national.auto_approve);
    assert!(
        app.server
            .get("/admin/organisations")
            .await
            .text()
            .contains("Tout le territoire national")
    );
}

#[tokio::test]
async fn a_refused_organisation_form_keeps_what_was_typed_and_writes_nothing() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    add_organisation(&app, "Marne Solidaire", "51", false).await;
    let before = audit_count(&app).await;

    let refused = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&form(&[
            ("nom", "Aube Numérique"),
            ("email_contact", "contact-sans-arobase"),
            ("departements", "10, 99"),
            ("verification_presentiel", "oui"),
        ]))
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = refused.text();
    assert!(html.contains("2 informations sont à corriger"), "{html}");
    assert!(html.contains("il manque le signe @"));
    assert!(html.contains("est pas un numéro de département"), "{html}");
    assert!(html.contains(r#"value="Aube Numérique""#));
    assert!(html.contains(r#"value="contact-sans-arobase""#));
    assert!(html.contains(r#"value="10, 99""#));
    assert!(html.contains(r#"name="verification_presentiel" value="oui" checked"#));

    let both = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&form(&[
            ("nom", "Aube Numérique"),
            ("email_contact", "contact@aube.example"),
            ("national", "oui"),
            ("departements", "10"),
        ]))
        .await;
    both.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(both.text().contains("mais pas les deux"));

    let taken = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&form(&[
            ("nom", "marne solidaire"),
            ("email_contact", "contact@marne.example"),
            ("departements", "51"),
        ]))
        .await;
    taken.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.text().contains("porte déjà ce nom"));

    assert_eq!(organisations(&app).await.len(), 1, "nothing was written");
    assert_eq!(audit_count(&app).await, before);
}

#[tokio::test]
async fn editing_an_organisation_records_what_changed() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let path = format!("/admin/organisations/{}", marne.id);
    let page = app.server.get(&path).await;
    page.assert_status_ok();
    assert!(page.text().contains(r#"value="Marne Solidaire""#));
    assert!(page.text().contains(r#"value="51""#));

    let mut edited = form(&[
        ("nom", "Marne Solidaire"),
        ("email_contact", &marne.contact_email),
        ("departements", "51 08"),
        ("validation_automatique", "oui"),
    ]);
    app.server
        .post(&path)
        .form(&edited)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = &organisations(&app).await[0];
    assert_eq!(stored.departements, "08 51");
    assert!(stored.auto_approve);
    let entries = kit::audit_entries_for_action(&app, "organisation.modifier").await;
    assert_eq!(entries.len(), 1);
    let details = entries[0].details.clone().unwrap();
    assert!(details.contains("territoire : 51 → 08, 51"), "{details}");
    assert!(
        details.contains("validation automatique : non → oui"),
        "{details}"
    );
    assert!(!details.contains("nom"), "only what changed: {details}");

    app.server
        .post(&path)
        .form(&edited)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::audit_entries_for_action(&app, "organisation.modifier")
            .await
            .len(),
        1,
        "saving without a change writes nothing"
    );

    edited[0].1 = String::new();
    let refused = app.server.post(&path).form(&edited).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.text().contains("Indiquez le nom de l"));
    assert_eq!(organisations(&app).await[0].name, "Marne Solidaire");

    app.server
        .get("/admin/organisations/999999")
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_deactivated_organisation_receives_no_new_request_until_reactivated() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    assert_eq!(
        route(&app.db, "51").await.unwrap().map(|o| o.id),
        Some(marne.id)
    );

    let off = format!("/admin/organisations/{}/desactiver", marne.id);
    app.server
        .post(&off)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(!organisations(&app).await[0].active);
    assert_eq!(route(&app.db, "51").await.unwrap(), None);
    let list = app.server.get("/admin/organisations").await.text();
    assert!(list.contains("Désactivée") && list.contains("est désactivée"));
    assert_eq!(
        kit::audit_entries_for_action(&app, "organisation.desactiver")
            .await
            .len(),
        1
    );

    app.server
        .post(&off)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        app.server
            .get("/admin/organisations")
            .await
            .text()
            .contains("déjà désactivée")
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, "organisation.desactiver")
            .await
            .len(),
        1,
        "a second click changes nothing"
    );

    app.server
        .post(&format!("/admin/organisations/{}/reactiver", marne.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(organisations(&app).await[0].active);
    assert_eq!(
        route(&app.db, "51").await.unwrap().map(|o| o.id),
        Some(marne.id)
    );
    assert_eq!(
        kit::audit_entries_for_action(&app, "organisation.reactiver")
            .await
            .len(),
        1
    );
}
