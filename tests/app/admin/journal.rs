//! `/admin/journal`: the audit log, newest first, told in French, filtered and paginated.

use axum::http::StatusCode;
use chrono::{TimeZone, Utc};
use entity::audit_log;
use entraide::audit::{self, AuditActor, Target};
use entraide::contact::EmailAddress;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ActiveModelTrait, Set};

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{add_organisation, add_staff, logged_in_admin};

/// An entry written at a chosen time (the log only ever grows: inserting is allowed).
async fn entry_at(
    app: &TestApp,
    at: chrono::DateTime<Utc>,
    action: &str,
    organisation: Option<i64>,
) {
    audit_log::ActiveModel {
        at: Set(at),
        actor_id: Set(None),
        actor_role: Set("systeme".into()),
        action: Set(entity::states::AuditAction::from_slug(action).expect("a known action")),
        target_type: Set("organisation".into()),
        target_id: Set(organisation),
        organisation_id: Set(organisation),
        details: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// How many entries the page's table shows.
fn rows(html: &str) -> usize {
    html.matches("<tr>").count().saturating_sub(1)
}

#[tokio::test]
async fn the_journal_tells_each_entry_in_french_newest_first_and_filters_it() {
    let app = spawn_app().await;
    let admin = logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let paul = add_staff(&app, "moderateur", "Paul").await;
    let request = intake::create(
        &app.db,
        &app.config,
        &NewRequest {
            categories: CategorySet::from_slugs(&["email"]).unwrap(),
            description: None,
            modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
            commune_insee: "51454".into(),
            departement: "51".into(),
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
            sms_aussi: false,
        },
        None,
    )
    .await
    .unwrap()
    .request;

    entry_at(
        &app,
        Utc.with_ymd_and_hms(2026, 1, 10, 12, 0, 0).unwrap(),
        "organisation.creer",
        Some(aube.id),
    )
    .await;
    let moderator = AuditActor::Staff {
        account_id: paul.id,
        role: entraide::accounts::Role::Moderateur,
    };
    audit::record(
        &app.db,
        moderator,
        entity::states::AuditAction::RequestValidated,
        Target::Request(request.id),
        Some(marne.id),
        Some("vérifiée par téléphone".into()),
    )
    .await
    .unwrap();
    audit::record(
        &app.db,
        AuditActor::Staff {
            account_id: admin.id,
            role: entraide::accounts::Role::Admin,
        },
        entity::states::AuditAction::OrganisationDeactivated,
        Target::Organisation(marne.id),
        Some(marne.id),
        None,
    )
    .await
    .unwrap();

    let page = app.server.get("/admin/journal").await;
    page.assert_status_ok();
    let html = page.text();
    assert_eq!(rows(&html), 3);
    let table = &html[html.find("<tbody>").unwrap()..];
    let newest = table.find("Organisation désactivée").unwrap();
    let middle = table.find("Demande validée").unwrap();
    let oldest = table.find("Organisation créée").unwrap();
    assert!(newest < middle && middle < oldest, "newest first");
    assert!(html.contains(&format!(
        r#"<a href="/moderation/demandes/{}">Demande {}</a>"#,
        request.id, request.reference
    )));
    assert!(html.contains("Paul (modération)"));
    assert!(html.contains("Admin (administration)"));
    assert!(html.contains("Ligne de commande"));
    assert!(html.contains("vérifiée par téléphone"));
    assert!(html.contains("10 janvier 2026 à 13 h 00"), "Paris time");

    let by_action = app
        .server
        .get("/admin/journal?action=demande.valider")
        .await
        .text();
    assert_eq!(rows(&by_action), 1);
    assert!(by_action.contains(r#"<option value="demande.valider" selected>"#));
    let by_role = app.server.get("/admin/journal?role=systeme").await.text();
    assert_eq!(rows(&by_role), 1);
    assert!(by_role.contains("Organisation créée"));
    let by_target = app.server.get("/admin/journal?cible=demande").await.text();
    assert_eq!(rows(&by_target), 1);
    let by_organisation = app
        .server
        .get(&format!("/admin/journal?organisation={}", marne.id))
        .await
        .text();
    assert_eq!(rows(&by_organisation), 2);
    let in_january = app
        .server
        .get("/admin/journal?du=2026-01-10&au=2026-01-10")
        .await
        .text();
    assert_eq!(rows(&in_january), 1);
    assert!(in_january.contains("Organisation créée"));
    let after_january = app.server.get("/admin/journal?du=2026-01-11").await.text();
    assert_eq!(rows(&after_january), 2);
}

#[tokio::test]
async fn bad_dates_are_explained_and_kept() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let bad = app.server.get("/admin/journal?du=31-02-2026").await;
    bad.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().contains("est pas valide"));
    assert!(
        bad.text().contains(r#"id="du" name="du" value="""#),
        "a date field only shows a valid date"
    );
    let reversed = app
        .server
        .get("/admin/journal?du=2026-02-10&au=2026-02-01")
        .await;
    reversed.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reversed.text().contains("avant la date de début"));
    assert!(reversed.text().contains(r#"value="2026-02-10""#), "kept");
    assert!(reversed.text().contains(r#"value="2026-02-01""#), "kept");
}

#[tokio::test]
async fn the_journal_shows_fifty_entries_a_page_keeping_its_filters() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    for minute in 0..60 {
        let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, minute, 0).unwrap();
        entry_at(&app, at, "organisation.modifier", Some(marne.id)).await;
    }
    entry_at(&app, Utc::now(), "organisation.creer", Some(marne.id)).await;

    let first = app
        .server
        .get("/admin/journal?action=organisation.modifier")
        .await
        .text();
    assert_eq!(rows(&first), 50);
    assert!(first.contains("60 actions ; page 1 sur 2"));
    assert!(first.contains("1 mars 2026 à 10 h 59"), "newest first");
    let next = r#"href="/admin/journal?action=organisation.modifier&#38;page=2""#;
    assert!(first.contains(next), "{first}");
    assert!(!first.contains("Page précédente"));

    let second = app
        .server
        .get("/admin/journal?action=organisation.modifier&page=2")
        .await
        .text();
    assert_eq!(rows(&second), 10);
    assert!(second.contains("1 mars 2026 à 10 h 00"));
    assert!(second.contains("Page précédente") && !second.contains("Page suivante"));
}
