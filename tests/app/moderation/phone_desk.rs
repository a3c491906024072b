//! The phone desk: the form speaks about the person, « Enregistrer et valider », corrections of
//! the description with a message for the volunteer, the follow-up link sent when an address is
//! added, and no e-mail to a moderator about a request they entered or relaunched themselves,
//! nor before their account is activated.

use axum::http::StatusCode;
use chrono::Utc;
use entity::account;
use entity::states::RequestStatus;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::desk::detailed_request;
use super::fixtures::{act, add_phone_volunteer_in_reims, readable, request_page, setup};
use crate::kit;
use crate::staff::{add_membership, add_staff};

fn phoned() -> Vec<(&'static str, String)> {
    [
        ("categories", "sante"),
        ("description", "Prendre rendez-vous sur Doctolib"),
        ("modes", "telephone"),
        ("commune", "Reims"),
        ("commune_insee", "51454"),
        ("prenom", "Raymonde"),
        ("telephone", "03 26 11 22 33"),
        ("consentement", "oui"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect()
}

async fn latest(app: &crate::helpers::TestApp) -> entity::help_request::Model {
    use sea_orm::QueryOrder;
    entity::help_request::Entity::find()
        .order_by_desc(entity::help_request::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_form_speaks_about_the_person_and_can_save_and_validate_at_once() {
    let s = setup().await;
    let app = &s.app;
    let page = readable(&app.server.get("/moderation/demandes/nouvelle").await.text());
    assert!(page.contains("Le prénom de la personne (obligatoire)"));
    assert!(page.contains("Enregistrer et valider"));

    let mut nameless = phoned();
    nameless.retain(|(k, _)| *k != "prenom");
    let response = app
        .server
        .post("/moderation/demandes/nouvelle")
        .form(&nameless)
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(readable(&response.text()).contains("Indiquez le prénom de la personne."));

    app.server
        .post("/moderation/demandes/nouvelle?ensuite=valider")
        .form(&phoned())
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let validated = latest(app).await;
    assert_ne!(
        validated.status,
        RequestStatus::Nouvelle,
        "saved and validated"
    );
    let page = request_page(app, validated.id).await;
    assert!(page.contains("la recherche d'un bénévole commence"));
    assert_eq!(
        kit::audit_entries_for_action(app, "demande.valider")
            .await
            .len(),
        1,
        "the validation is audited as any other"
    );

    app.server
        .post("/moderation/demandes/nouvelle")
        .form(&phoned())
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(latest(app).await.status, RequestStatus::Nouvelle);
}

#[tokio::test]
async fn a_correction_changes_the_description_and_leaves_a_message_for_the_volunteer() {
    let s = setup().await;
    let app = &s.app;
    let volunteer = add_phone_volunteer_in_reims(app, "Alain", 1.0).await;
    let request = super::fixtures::marne_request(app).await;
    let form = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}/modifier", request.id))
            .await
            .text(),
    );
    assert!(form.contains(">Déclarer mes revenus en ligne</textarea>"));
    assert!(form.contains("Message pour le bénévole"));

    let fields: Vec<(&str, &str)> = vec![
        ("categories", "demarches"),
        ("modes", "telephone"),
        ("commune", "Reims"),
        ("commune_insee", "51454"),
        ("prenom", "Josette"),
        ("email", "josette@example.org"),
        ("telephone", "03 26 00 00 00"),
        (
            "description",
            "Déclarer mes revenus, elle a reçu un courrier des impôts",
        ),
        (
            "message_benevole",
            "Elle entend mal : parlez fort et lentement.",
        ),
        ("textes", "oui"),
    ];
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&fields)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = kit::request(app, request.id).await;
    assert_eq!(
        stored.description.as_deref(),
        Some("Déclarer mes revenus, elle a reçu un courrier des impôts")
    );
    assert_eq!(
        stored.message_benevole.as_deref(),
        Some("Elle entend mal : parlez fort et lentement.")
    );
    let page = request_page(app, request.id).await;
    assert!(page.contains("champs modifiés : description, message pour le bénévole"));

    // The volunteer reads it in the proposal.
    act(app, request.id, "valider", &[]).await;
    let email = app
        .mailbox
        .delivered(&volunteer.email, |e| {
            e.text.contains("Message de l'association")
        })
        .await;
    assert!(
        email
            .text
            .contains("Elle entend mal : parlez fort et lentement.")
    );
    assert!(
        email
            .html
            .contains("Elle entend mal : parlez fort et lentement.")
    );
    // The request's page lists the e-mails about it, a volunteer's address masked.
    let page = request_page(app, request.id).await;
    assert!(page.contains("E-mails envoyés"));
    assert!(page.contains("a•••@example.org"));
    assert!(!page.contains(&volunteer.email));

    let mut too_long = fields.clone();
    let long = "a".repeat(501);
    too_long.retain(|(k, _)| *k != "message_benevole");
    too_long.push(("message_benevole", &long));
    let response = app
        .server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&too_long)
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        readable(&response.text()).contains("Ce message est trop long : 500 caractères au plus.")
    );
}

#[tokio::test]
async fn adding_an_address_sends_the_person_the_follow_up_link() {
    let s = setup().await;
    let app = &s.app;
    let request = detailed_request(app, "Josette", "Tablette", None, None, None).await;
    assert!(app.outbox_rows("request_received", None).await.is_empty());
    let fields: Vec<(&str, &str)> = vec![
        ("categories", "proches"),
        ("modes", "telephone"),
        ("commune", "Reims"),
        ("commune_insee", "51454"),
        ("prenom", "Josette"),
        ("email", "josette@example.org"),
        ("telephone", "03 26 00 00 00"),
    ];
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&fields)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let email = app
        .mailbox
        .delivered("josette@example.org", |e| {
            e.subject.contains("bien enregistrée")
        })
        .await;
    let link = email
        .text
        .split_whitespace()
        .find(|w| w.contains("/suivi/"))
        .expect("the follow-up link")
        .to_owned();
    let path = &link[link.find("/suivi/").unwrap()..];
    let page = app.server.get(path).await;
    page.assert_status_ok();
    assert!(page.text().contains(&request.reference));

    // Saved again with the same address: nothing more is sent.
    app.server
        .post(&format!("/moderation/demandes/{}/modifier", request.id))
        .form(&fields)
        .await;
    assert_eq!(app.outbox_rows("request_received", None).await.len(), 1);
}

#[tokio::test]
async fn a_moderator_hears_nothing_of_what_they_did_themselves_nor_before_activation() {
    let s = setup().await;
    let app = &s.app;
    let colleague = add_staff(app, "moderateur", "Inès").await;
    add_membership(app, s.marne.id, colleague.id).await;
    let invited = add_staff(app, "moderateur", "Hugo").await;
    add_membership(app, s.marne.id, invited.id).await;
    account::Entity::update_many()
        .col_expr(
            account::Column::EmailVerifiedAt,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .filter(account::Column::Id.eq(invited.id))
        .exec(&app.db)
        .await
        .unwrap();

    let mut form = phoned();
    form.push(("email", "raymonde@example.org".into()));
    app.server
        .post("/moderation/demandes/nouvelle")
        .form(&form)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let entered = latest(app).await;
    assert_eq!(
        app.outbox_rows("moderation_new_request", Some(&colleague.email))
            .await
            .len(),
        1,
        "a colleague hears of it"
    );
    assert!(
        app.outbox_rows("moderation_new_request", Some(&s.moderator.email))
            .await
            .is_empty(),
        "not the moderator who entered it"
    );
    assert!(
        app.outbox_rows("moderation_new_request", Some(&invited.email))
            .await
            .is_empty(),
        "not a moderator who has not chosen a password yet"
    );

    // Relaunched by the moderator with nobody to ask: the colleague is alerted, not them.
    act(app, entered.id, "valider", &[]).await;
    assert_eq!(
        kit::request(app, entered.id).await.status,
        RequestStatus::SansBenevole
    );
    let before = app
        .outbox_rows("moderation_no_volunteer", Some(&colleague.email))
        .await
        .len();
    let mine = app
        .outbox_rows("moderation_no_volunteer", Some(&s.moderator.email))
        .await
        .len();
    act(app, entered.id, "relancer", &[]).await;
    assert_eq!(
        kit::request(app, entered.id).await.status,
        RequestStatus::SansBenevole
    );
    assert_eq!(
        app.outbox_rows("moderation_no_volunteer", Some(&colleague.email))
            .await
            .len(),
        before + 1
    );
    assert_eq!(
        app.outbox_rows("moderation_no_volunteer", Some(&s.moderator.email))
            .await
            .len(),
        mine,
        "the moderator who relaunched it is not alerted"
    );
    assert!(
        app.outbox_rows("moderation_no_volunteer", Some(&invited.email))
            .await
            .is_empty()
    );
}
