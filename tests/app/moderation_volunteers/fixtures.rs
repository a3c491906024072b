//! Fixtures of the moderation tests: volunteers and requests written as matching sees them, in
//! a few real communes, and small look-ups (audit entries, outbox rows).

use entity::{audit_log, help_request, outbox_email, proposal, volunteer_profile};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::helpers::TestApp;

pub use crate::fixtures::{EPERNAY, LYON, Place, REIMS, Volunteer, add_volunteer};

/// A request for help with `demarches` in `place`, by telephone or in person; without `email`
/// the person must be called back ("à rappeler").
pub async fn add_request(app: &TestApp, place: Place, email: bool) -> help_request::Model {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone", "presentiel"]).unwrap(),
        commune_insee: place.insee.into(),
        departement: place.departement.into(),
        latitude: place.lat,
        longitude: place.lon,
        prenom: "Josette".into(),
        email: email.then(|| EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        langue: None,
        prenom_proche: None,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
        .request
}

/// The request as stored now.
pub async fn reload_request(app: &TestApp, id: i64) -> help_request::Model {
    help_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// The volunteer's profile as stored now.
pub async fn profile(app: &TestApp, id: i64) -> volunteer_profile::Model {
    volunteer_profile::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// A request's proposals, oldest first.
pub async fn proposals(app: &TestApp, request_id: i64) -> Vec<proposal::Model> {
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .order_by_asc(proposal::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The audit entries of `action`, oldest first.
pub async fn audit_entries(app: &TestApp, action: &str) -> Vec<audit_log::Model> {
    audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_asc(audit_log::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The outbox rows of `kind` addressed to `to`.
pub async fn outbox(app: &TestApp, to: &str, kind: &str) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq(to))
        .filter(outbox_email::Column::Kind.eq(kind))
        .order_by_asc(outbox_email::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}
