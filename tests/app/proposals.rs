use axum::http::StatusCode;
use entity::states::RequestStatus;
use entity::{help_request, proposal};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds::{self, RoundOutcome};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::Actor;
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::{PASSWORD, account_of, logged_in_volunteer, verified_volunteer};
use crate::helpers::{TestApp, spawn_app_with};

/// A request in Paris 16e, by telephone, about e-mail: the sign-up form's volunteers fit it.
async fn paris_request(app: &TestApp) -> help_request::Model {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["email"]).unwrap(),
        description: Some("Ouvrir les photos que ma fille m'envoie".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "75116".into(),
        departement: "75".into(),
        latitude: 48.8637,
        longitude: 2.2769,
        prenom: "Josette".into(),
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse("01 45 00 00 00").unwrap()),
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    let request = intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
        .request;
    let outcome = rounds::open_request(&app.db, &app.config, &request, Actor::Admin, None)
        .await
        .unwrap();
    assert!(matches!(outcome, RoundOutcome::Proposed(_)), "{outcome:?}");
    request
}

async fn proposal_for(app: &TestApp, request_id: i64, email: &str) -> proposal::Model {
    let volunteer = account_of(app, email).await.unwrap();
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .filter(proposal::Column::VolunteerId.eq(volunteer.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal for this volunteer")
}

#[tokio::test]
async fn a_volunteer_follows_the_email_link_logs_in_and_accepts() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    verified_volunteer(&app, "marie@example.org").await;
    let request = paris_request(&app).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let email = app
        .mailbox
        .delivered("marie@example.org", |e| {
            e.subject.contains("près de chez vous")
        })
        .await;
    let path = format!("/benevole/propositions/{}", p.id);
    assert!(email.text.contains(&path));

    // Not logged in: the login page, then back to the proposal.
    let response = app.server.get(&path).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let login = response.header("location").to_str().unwrap().to_owned();
    assert!(login.starts_with("/connexion?suivant="), "{login}");
    let logged = app
        .server
        .post("/connexion")
        .form(&[
            ("email", "marie@example.org"),
            ("password", PASSWORD),
            ("suivant", path.as_str()),
        ])
        .await;
    assert_eq!(logged.header("location"), path.as_str());

    let page = app.server.get(&path).await;
    page.assert_status_ok();
    let page = page.text();
    assert!(page.contains("J&#39;accepte") || page.contains("J'accepte"));
    assert!(page.contains("Je ne peux pas"));
    assert!(page.contains("Ouvrir les photos"));
    assert!(
        !page.contains("01 45 00 00 00") && !page.contains("josette@example.org"),
        "no contact details yet"
    );

    let listed = app.server.get("/benevole/propositions").await.text();
    assert!(listed.contains(&path));

    let accepted = app.server.post(&format!("{path}/accepter")).await;
    assert_eq!(accepted.header("location"), "/benevole/demandes");
    let held = app.server.get("/benevole/demandes").await.text();
    assert!(held.contains("01 45 00 00 00"), "the contact details, now");
    assert!(held.contains("josette@example.org"));
    assert!(held.contains("Je ne peux plus aider"));
    let request = help_request::Entity::find_by_id(request.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, RequestStatus::PriseEnCharge);
}

#[tokio::test]
async fn the_second_volunteer_to_accept_is_thanked_and_gets_nothing() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 2).await;
    verified_volunteer(&app, "premiere@example.org").await;
    logged_in_volunteer(&app, "second@example.org").await;
    let request = paris_request(&app).await;
    let first = proposal_for(&app, request.id, "premiere@example.org").await;
    let second = proposal_for(&app, request.id, "second@example.org").await;
    let first_account = account_of(&app, "premiere@example.org").await.unwrap();
    assert_eq!(
        answers::accept(&app.db, &app.config, first.id, first_account.id)
            .await
            .unwrap(),
        Acceptance::Won
    );

    let path = format!("/benevole/propositions/{}", second.id);
    app.server
        .post(&format!("{path}/accepter"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = app.server.get(&path).await.text();
    assert!(page.contains("Cette demande a déjà été prise en charge, merci !"));
    assert!(!page.contains("01 45 00 00 00"));
    assert!(
        !app.server
            .get("/benevole/demandes")
            .await
            .text()
            .contains("01 45 00 00 00")
    );
}

#[tokio::test]
async fn a_volunteer_cannot_see_someone_elses_proposal() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    verified_volunteer(&app, "marie@example.org").await;
    let request = paris_request(&app).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    logged_in_volunteer(&app, "curieux@example.org").await;
    app.server
        .get(&format!("/benevole/propositions/{}", p.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn declining_solving_and_giving_back_from_the_pages() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let first = paris_request(&app).await;
    let p = proposal_for(&app, first.id, "marie@example.org").await;
    let declined = app
        .server
        .post(&format!("/benevole/propositions/{}/refuser", p.id))
        .await;
    assert_eq!(declined.header("location"), "/benevole/propositions");
    let first = help_request::Entity::find_by_id(first.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        first.status,
        RequestStatus::SansBenevole,
        "nobody else to ask"
    );

    let second = paris_request(&app).await;
    let p = proposal_for(&app, second.id, "marie@example.org").await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await;
    app.server
        .post(&format!("/benevole/demandes/{}/resolue", second.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let second = help_request::Entity::find_by_id(second.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.status, RequestStatus::Resolue);

    let third = paris_request(&app).await;
    let p = proposal_for(&app, third.id, "marie@example.org").await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await;
    app.server
        .post(&format!("/benevole/demandes/{}/rendre", third.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let third = help_request::Entity::find_by_id(third.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(third.volunteer_id, None);
    assert_eq!(
        third.status,
        RequestStatus::SansBenevole,
        "matching resumed without her, and nobody else is left"
    );
}
