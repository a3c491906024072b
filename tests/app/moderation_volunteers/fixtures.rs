//! Fixtures of the moderation tests: volunteers and requests written as matching sees them, in
//! a few real communes (readers of what was stored are in `crate::kit`).

use entity::help_request;
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};

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
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
        .request
}
