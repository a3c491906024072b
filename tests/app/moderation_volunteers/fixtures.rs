//! Fixtures of the moderation tests: volunteers and requests written as matching sees them, in
//! a few real communes, and small look-ups (audit entries, outbox rows).

use chrono::Utc;
use entity::{account, audit_log, help_request, outbox_email, proposal, volunteer_profile};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::helpers::TestApp;

/// A commune of the reference, with its centre.
#[derive(Clone, Copy, Debug)]
pub struct Place {
    pub insee: &'static str,
    pub departement: &'static str,
    pub lat: f64,
    pub lon: f64,
}

pub const REIMS: Place = Place {
    insee: "51454",
    departement: "51",
    lat: 49.2653,
    lon: 4.0285,
};
pub const EPERNAY: Place = Place {
    insee: "51230",
    departement: "51",
    lat: 49.04,
    lon: 3.9592,
};
pub const LYON: Place = Place {
    insee: "69123",
    departement: "69",
    lat: 45.7485,
    lon: 4.8467,
};

/// A volunteer to write; `km` moves them north of the place's centre.
#[derive(Clone, Copy, Debug)]
pub struct Volunteer<'a> {
    pub prenom: &'a str,
    pub nom: Option<&'a str>,
    pub place: Place,
    pub km: f64,
    pub verified: bool,
    pub deleted: bool,
    pub vetted: bool,
    pub suspended: bool,
    pub paused: bool,
}

impl Default for Volunteer<'_> {
    fn default() -> Self {
        Self {
            prenom: "Bénévole",
            nom: None,
            place: REIMS,
            km: 1.0,
            verified: true,
            deleted: false,
            vetted: false,
            suspended: false,
            paused: false,
        }
    }
}

/// Writes a volunteer (account and profile, offering `demarches` and `sante` every way, up to two
/// requests at once, 10 km around them) and returns the account.
pub async fn add_volunteer(app: &TestApp, v: Volunteer<'_>) -> account::Model {
    let now = Utc::now();
    let account = account::ActiveModel {
        email: Set(format!(
            "{}-{}@example.org",
            v.prenom.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        )),
        password_hash: Set(String::new()),
        prenom: Set(v.prenom.to_owned()),
        nom: Set(v.nom.map(str::to_owned)),
        role: Set("benevole".into()),
        email_verified_at: Set(v.verified.then_some(now)),
        session_epoch: Set(0),
        deleted_at: Set(v.deleted.then_some(now)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    volunteer_profile::ActiveModel {
        account_id: Set(account.id),
        commune_insee: Set(v.place.insee.into()),
        departement: Set(v.place.departement.into()),
        latitude: Set(v.place.lat + v.km / 111.2),
        longitude: Set(v.place.lon),
        rayon_km: Set(10),
        modes: Set(ModeSet::from_slugs(&["telephone", "visio", "presentiel"])
            .unwrap()
            .bits()),
        categories: Set(CategorySet::from_slugs(&["demarches", "sante"])
            .unwrap()
            .bits()),
        langues: Set(String::new()),
        max_demandes: Set(2),
        disponibilites: Set("Le mardi après-midi".into()),
        paused_until: Set(v.paused.then(|| now + chrono::Duration::days(7))),
        vetted_at: Set(v.vetted.then_some(now)),
        suspended_at: Set(v.suspended.then_some(now)),
        suspension_reason: Set(v.suspended.then(|| "Absences répétées".to_owned())),
    }
    .insert(&app.db)
    .await
    .unwrap();
    account
}

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
