//! A volunteer who pauses, or changes their profile so that a request no longer fits them, lets
//! go of the proposals waiting for their answer: those requests go to the next volunteers at once
//! instead of waiting for the proposal to expire.

use axum::http::StatusCode;
use entity::{help_request, proposal};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::matching::rounds;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::Actor;
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::{account_of, logged_in_volunteer};
use crate::fixtures::{Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app_with};

const MARIE: &str = "marie@exemple.fr";

/// An open request in Paris 16e, by telephone, about e-mail (Marie, who signed up in Paris 16e,
/// is the best candidate), and a second volunteer in Reims who fits it too.
async fn marie_is_asked(app: &TestApp) -> (help_request::Model, i64, i64) {
    logged_in_volunteer(app, MARIE).await;
    let marie = account_of(app, MARIE).await.unwrap().id;
    let reims = add_volunteer(
        app,
        Volunteer {
            prenom: "Rémi",
            modes: &["telephone"],
            categories: &["email"],
            ..Default::default()
        },
    )
    .await
    .id;
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["email"]).unwrap(),
        description: None,
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
    rounds::open_request(&app.db, &app.config, &request, Actor::Admin, None)
        .await
        .unwrap();
    assert_eq!(asked(app, request.id).await, [(marie, "en_attente".into())]);
    (request, marie, reims)
}

/// The proposals of request `id` as (volunteer, status), oldest first.
async fn asked(app: &TestApp, id: i64) -> Vec<(i64, String)> {
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(id))
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|p| (p.volunteer_id, p.status.slug().to_owned()))
        .collect()
}

#[tokio::test]
async fn pausing_hands_the_waiting_proposals_to_the_next_volunteers() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let (request, marie, reims) = marie_is_asked(&app).await;
    let date = (chrono::Utc::now() + chrono::Duration::days(10)).date_naive();
    app.server
        .post("/benevole/pause")
        .form(&[("jusqu_au", date.format("%Y-%m-%d").to_string())])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        asked(&app, request.id).await,
        [(marie, "retiree".into()), (reims, "en_attente".into())]
    );
    let list = app.server.get("/benevole/propositions").await.text();
    assert!(!list.contains("Josette"), "no longer listed");
}

#[tokio::test]
async fn a_profile_change_withdraws_only_the_proposals_it_no_longer_fits() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let (request, marie, reims) = marie_is_asked(&app).await;
    let profile = |categories: &'static [&'static str]| {
        let mut form = vec![
            ("prenom", "Marie"),
            ("nom", "Dupont"),
            ("commune", "75016"),
            ("rayon_km", "15"),
            ("modes", "telephone"),
            ("max_demandes", "3"),
            ("disponibilites", "Le jeudi"),
        ];
        form.extend(categories.iter().map(|c| ("categories", *c)));
        form
    };

    // Still offering help with e-mail: the proposal stays.
    app.server
        .post("/benevole/profil")
        .form(&profile(&["email", "sante"]))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        asked(&app, request.id).await,
        [(marie, "en_attente".into())]
    );

    // No longer: it goes to the next volunteer.
    app.server
        .post("/benevole/profil")
        .form(&profile(&["sante"]))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        asked(&app, request.id).await,
        [(marie, "retiree".into()), (reims, "en_attente".into())]
    );
}
