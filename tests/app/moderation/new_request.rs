//! Entering a request for someone who phoned: the public form's fields and checks, the request
//! marked as entered by the moderator, kept in their organisation, written to the audit log.

use axum::http::StatusCode;
use entity::help_request;
use entity::states::{Actor, EventKind, RequestStatus};
use sea_orm::{EntityTrait, QueryOrder};

use super::fixtures::{TROYES, events, readable, request_page, setup};
use crate::accounts::location;
use crate::helpers::TestApp;
use crate::kit;
use crate::staff::logged_in_admin;

fn phoned(commune: &str, insee: &str) -> Vec<(&'static str, String)> {
    [
        ("categories", "sante"),
        ("description", "Prendre rendez-vous sur Doctolib"),
        ("modes", "telephone"),
        ("commune", commune),
        ("commune_insee", insee),
        ("prenom", "Raymonde"),
        ("telephone", "03 26 11 22 33"),
        ("email", "raymonde@example.org"),
        ("consentement", "oui"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

async fn latest(app: &TestApp) -> help_request::Model {
    help_request::Entity::find()
        .order_by_desc(help_request::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn a_moderator_enters_a_request_for_someone_who_phoned() {
    let s = setup().await;
    let app = &s.app;
    let form = app.server.get("/moderation/demandes/nouvelle").await;
    form.assert_status_ok();
    let form = readable(&form.text());
    assert!(form.contains("La personne a donné son accord"));
    assert!(!form.contains("site_web") && !form.contains("name=\"debut\""));

    let response = app
        .server
        .post("/moderation/demandes/nouvelle")
        .form(&phoned("Reims", "51454"))
        .await;
    response.assert_status(StatusCode::SEE_OTHER);
    let request = latest(app).await;
    assert_eq!(
        location(&response),
        format!("/moderation/demandes/{}", request.id)
    );
    assert_eq!(request.entered_by, Some(s.moderator.id));
    assert_eq!(request.organisation_id, Some(s.marne.id));
    assert_eq!(request.status, RequestStatus::Nouvelle);
    assert_eq!(request.submitter_key, None);
    assert!(!request.a_rappeler);
    let first = &events(app, request.id).await[0];
    assert_eq!(first.kind, EventKind::Created);
    assert_eq!(first.actor, Actor::Moderateur);
    assert_eq!(first.actor_id, Some(s.moderator.id));
    assert!(
        first
            .details
            .as_deref()
            .unwrap()
            .contains("saisie par un modérateur")
    );
    let entries = kit::audit_entries_about_request(app, request.id).await;
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].action,
        entity::states::AuditAction::RequestEntered
    );
    assert_eq!(entries[0].actor_id, Some(s.moderator.id));

    let page = request_page(app, request.id).await;
    assert!(page.contains(&format!(
        "La demande {} est enregistrée.",
        request.reference
    )));
    assert!(page.contains("saisie par Modo (modération) pour une personne qui a appelé"));
    let email = app
        .mailbox
        .delivered("raymonde@example.org", |e| {
            e.subject.contains("bien enregistrée")
        })
        .await;
    assert!(
        email.text.contains("/suivi/"),
        "the person gets the follow-up link"
    );
}

#[tokio::test]
async fn a_request_from_outside_the_territory_stays_with_the_moderator_but_admins_follow_routing() {
    let s = setup().await;
    let app = &s.app;
    let (insee, ..) = TROYES;
    app.server
        .post("/moderation/demandes/nouvelle")
        .form(&phoned("Troyes", insee))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let request = latest(app).await;
    assert_eq!(request.departement, "10");
    assert_eq!(
        request.organisation_id,
        Some(s.marne.id),
        "routed to the Aube, kept in the moderator's organisation"
    );

    app.server.post("/deconnexion").await;
    let admin = logged_in_admin(app).await;
    app.server
        .post("/moderation/demandes/nouvelle")
        .form(&phoned("Troyes", insee))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let request = latest(app).await;
    assert_eq!(request.organisation_id, Some(s.aube.id));
    assert_eq!(request.entered_by, Some(admin.id));
    assert_eq!(events(app, request.id).await[0].actor, Actor::Admin);
}

#[tokio::test]
async fn an_entered_request_follows_the_public_forms_rules() {
    let s = setup().await;
    let app = &s.app;
    let mut without_consent = phoned("Reims", "51454");
    without_consent.retain(|(k, _)| *k != "consentement");
    let response = app
        .server
        .post("/moderation/demandes/nouvelle")
        .form(&without_consent)
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&response.text());
    assert!(
        page.contains("Cochez si la personne a donné son accord"),
        "the checks speak about the person, not to the moderator"
    );
    assert!(
        page.contains("value=\"Raymonde\""),
        "what was typed is kept"
    );
    assert!(page.contains(">Prendre rendez-vous sur Doctolib</textarea>"));

    let mut unreachable = phoned("Reims", "51454");
    unreachable.retain(|(k, _)| *k != "email" && *k != "telephone");
    let response = app
        .server
        .post("/moderation/demandes/nouvelle")
        .form(&unreachable)
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        readable(&response.text()).contains("Indiquez au moins un moyen de joindre la personne")
    );
    assert!(
        help_request::Entity::find()
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );

    // Telephone only: to call back.
    let mut by_phone = phoned("Reims", "51454");
    by_phone.retain(|(k, _)| *k != "email");
    app.server
        .post("/moderation/demandes/nouvelle")
        .form(&by_phone)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(latest(app).await.a_rappeler);
}
