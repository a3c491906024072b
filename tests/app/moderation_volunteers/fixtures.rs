//! Fixtures of the moderation tests: volunteers and requests written as matching sees them, in
//! a few real communes (readers of what was stored are in `crate::kit`).

use entity::help_request;
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::ModeSet;
use entraide::requests::intake::NewRequest;

use crate::helpers::TestApp;
use crate::kit;

pub use crate::fixtures::{EPERNAY, LYON, Place, REIMS, Volunteer, add_volunteer};

/// A request for help with `demarches` in `place`, by telephone or in person; without `email`
/// the person must be called back ("à rappeler").
pub async fn add_request(app: &TestApp, place: Place, email: bool) -> help_request::Model {
    let new = NewRequest {
        modes: ModeSet::from_slugs(&["telephone", "presentiel"]).unwrap(),
        commune_insee: place.insee.into(),
        departement: place.departement.into(),
        latitude: place.lat,
        longitude: place.lon,
        email: email.then(|| EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        ..kit::new_request(LYON)
    };
    kit::file(app, &new).await.request
}
