//! Volunteers written straight into the database as matching sees them (the sign-up pages have
//! their own tests), shared by the matching and moderation tests.

use chrono::Utc;
use entity::{account, volunteer_profile};
use entraide::reference::{CategorySet, ModeSet};
use sea_orm::{ActiveModelTrait, Set};

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
pub const PARIS_16: Place = Place {
    insee: "75116",
    departement: "75",
    lat: 48.8637,
    lon: 2.2769,
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
    pub modes: &'a [&'a str],
    pub categories: &'a [&'a str],
    /// Languages besides French, space-separated.
    pub langues: &'a str,
    pub max: i32,
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
            modes: &["telephone", "visio", "presentiel"],
            categories: &["demarches", "sante"],
            langues: "",
            max: 2,
        }
    }
}

/// Writes a volunteer (account and profile; by default offering `demarches` and `sante` every way,
/// up to two requests at once, 10 km around them) and returns the account.
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
        role: Set(entity::states::Role::Benevole),
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
        modes: Set(ModeSet::from_slugs(v.modes).unwrap().bits()),
        categories: Set(CategorySet::from_slugs(v.categories).unwrap().bits()),
        langues: Set(v.langues.to_owned()),
        max_demandes: Set(v.max),
        disponibilites: Set("Le mardi après-midi".into()),
        paused_until: Set(v.paused.then(|| now + chrono::Duration::days(7))),
        vetted_at: Set(v.vetted.then_some(now)),
        suspended_at: Set(v.suspended.then_some(now)),
        suspension_reason: Set(v.suspended.then(|| "Absences répétées".to_owned())),
        telephone_sms: Set(None),
    }
    .insert(&app.db)
    .await
    .unwrap();
    account
}
