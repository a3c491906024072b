//! The test kit: a request as the form would give it and the ways to file it, and readers of what
//! the application stored (a request, its proposals, audit entries, a volunteer's profile), shared
//! by every test file instead of a copy in each.
//! Call them qualified (`kit::request(&app, id)`) so that a test reads as what it checks.

use entity::states::Actor;
use entity::{audit_log, help_request, proposal, volunteer_profile};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::matching::rounds::{self, RoundOutcome};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, Created, NewRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::fixtures::Place;
use crate::helpers::TestApp;

/// What Josette types in the form in `place`: an online procedure, by telephone, with her e-mail
/// and telephone. A test changes what it is about with struct update syntax:
/// `NewRequest { modes: …, ..kit::new_request(REIMS) }`.
pub fn new_request(place: Place) -> NewRequest {
    NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: place.insee.into(),
        departement: place.departement.into(),
        latitude: place.lat,
        longitude: place.lon,
        prenom: "Josette".into(),
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse("01 45 00 00 00").unwrap()),
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
        sms_aussi: false,
    }
}

/// Files `new` through intake, as the public form does (without a per-address limit).
pub async fn file(app: &TestApp, new: &NewRequest) -> Created {
    intake::create(&app.db, &app.config, new, None)
        .await
        .unwrap()
}

/// Opens `request` for matching, as a moderator's validation would.
pub async fn open(app: &TestApp, request: &help_request::Model) -> RoundOutcome {
    rounds::open_request(&app.db, &app.config, request, Actor::Admin, None)
        .await
        .unwrap()
}

/// Files `new` and opens it for matching; returns the request as filed.
pub async fn file_and_open(app: &TestApp, new: &NewRequest) -> (help_request::Model, RoundOutcome) {
    let request = file(app, new).await.request;
    let outcome = open(app, &request).await;
    (request, outcome)
}

/// The help request `id` as stored now.
pub async fn request(app: &TestApp, id: i64) -> help_request::Model {
    help_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the request exists")
}

/// The proposals made for request `request_id`, oldest first.
pub async fn proposals_of(app: &TestApp, request_id: i64) -> Vec<proposal::Model> {
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The audit entries of `action` (about anything), oldest first.
pub async fn audit_entries_for_action(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The audit entries about request `request_id` (whatever the action), oldest first.
pub async fn audit_entries_about_request(app: &TestApp, request_id: i64) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::TargetType.eq("demande"))
        .filter(audit_log::Column::TargetId.eq(request_id))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The volunteer profile of account `account_id` as stored now.
pub async fn volunteer_profile(app: &TestApp, account_id: i64) -> volunteer_profile::Model {
    volunteer_profile::Entity::find_by_id(account_id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the volunteer profile exists")
}
