//! What the moderation tests share: two organisations (the Marne's and the Aube's), requests
//! put in through intake, volunteers written straight to the database (as `tests/app/matching.rs`
//! does), the request's timeline and a snapshot of all an action may change.

use entity::{account, help_request, organisation, request_event};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::{PASSWORD, log_in};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::kit;
use crate::staff::{add_membership, add_organisation, add_staff, logged_in_moderator};

/// Reims (Marne, 51): where the Marne's requests and volunteers are.
pub const REIMS: (&str, &str, f64, f64) = ("51454", "51", 49.2628, 4.0347);
/// Troyes (Aube, 10): another organisation's territory.
pub const TROYES: (&str, &str, f64, f64) = ("10387", "10", 48.2973, 4.0744);

/// An application with the Marne's organisation (whose moderator is logged in) and the Aube's.
pub struct Setup {
    pub app: TestApp,
    pub marne: organisation::Model,
    pub aube: organisation::Model,
    pub moderator: account::Model,
}

/// [`Setup`] with the default settings.
pub async fn setup() -> Setup {
    setup_with(spawn_app().await).await
}

/// [`Setup`] with `k` proposals a round and `rounds` rounds.
pub async fn setup_matching(k: u64, rounds: i32) -> Setup {
    let app = spawn_app_with(|c| {
        c.matching.proposals_per_round = k;
        c.matching.max_rounds = rounds;
    })
    .await;
    setup_with(app).await
}

async fn setup_with(app: TestApp) -> Setup {
    let marne = add_organisation(&app, "Marne Solidaire", "51 08", false).await;
    let aube = add_organisation(&app, "Aube Numérique", "10", false).await;
    let moderator = logged_in_moderator(&app, marne.id).await;
    Setup {
        app,
        marne,
        aube,
        moderator,
    }
}

/// What a test request looks like.
pub struct Ask<'a> {
    pub place: (&'a str, &'a str, f64, f64),
    pub prenom: &'a str,
    pub email: Option<&'a str>,
    pub telephone: Option<&'a str>,
    pub categories: &'a [&'a str],
}

impl Default for Ask<'_> {
    fn default() -> Self {
        Self {
            place: REIMS,
            prenom: "Josette",
            email: Some("josette@example.org"),
            telephone: Some("03 26 00 00 00"),
            categories: &["demarches"],
        }
    }
}

/// A request put in through intake (as the public form does).
pub async fn ask(app: &TestApp, ask: Ask<'_>) -> help_request::Model {
    let (insee, departement, lat, lon) = ask.place;
    let new = NewRequest {
        categories: CategorySet::from_slugs(ask.categories).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: insee.into(),
        departement: departement.into(),
        latitude: lat,
        longitude: lon,
        prenom: ask.prenom.into(),
        email: ask.email.map(|e| EmailAddress::parse(e).unwrap()),
        telephone: ask.telephone.map(|t| PhoneNumber::parse(t).unwrap()),
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

/// A request from Reims, for the Marne's moderators.
pub async fn marne_request(app: &TestApp) -> help_request::Model {
    ask(app, Ask::default()).await
}

/// A request from Troyes, for the Aube's moderators.
pub async fn aube_request(app: &TestApp) -> help_request::Model {
    ask(
        app,
        Ask {
            place: TROYES,
            prenom: "Gaston",
            ..Ask::default()
        },
    )
    .await
}

/// A verified volunteer `km` north of Reims, helping by phone with administrative procedures.
pub async fn add_phone_volunteer_in_reims(app: &TestApp, prenom: &str, km: f64) -> account::Model {
    crate::fixtures::add_volunteer(
        app,
        crate::fixtures::Volunteer {
            prenom,
            place: crate::fixtures::Place {
                insee: REIMS.0,
                departement: REIMS.1,
                lat: REIMS.2,
                lon: REIMS.3,
            },
            km,
            modes: &["telephone"],
            categories: &["demarches", "email"],
            ..Default::default()
        },
    )
    .await
}

/// A second moderator of `organisation_id`, now logged in instead of whoever was.
pub async fn switch_to_new_moderator(
    app: &TestApp,
    organisation_id: Option<i64>,
) -> account::Model {
    app.server.post("/deconnexion").await;
    let moderator = add_staff(app, "moderateur", "Camille").await;
    if let Some(id) = organisation_id {
        add_membership(app, id, moderator.id).await;
    }
    log_in(app, &moderator.email, PASSWORD)
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    moderator
}

/// The request's events, oldest first.
pub async fn events(app: &TestApp, id: i64) -> Vec<request_event::Model> {
    request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(id))
        .order_by_asc(request_event::Column::Id)
        .all(&app.db)
        .await
        .unwrap()
}

/// The kinds of the request's events, oldest first.
pub async fn event_kinds(app: &TestApp, id: i64) -> Vec<String> {
    events(app, id)
        .await
        .into_iter()
        .map(|e| e.kind.slug().to_owned())
        .collect()
}

/// The actions of the audit entries about the request, oldest first.
pub async fn audit_actions(app: &TestApp, id: i64) -> Vec<String> {
    kit::audit_entries_about_request(app, id)
        .await
        .into_iter()
        .map(|e| e.action.slug().to_owned())
        .collect()
}

/// Everything an action may change, to check that a refused one changed nothing.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
    request: help_request::Model,
    events: usize,
    audit: usize,
    proposals: usize,
    notes: usize,
}

/// The request's [`Snapshot`].
pub async fn snapshot(app: &TestApp, id: i64) -> Snapshot {
    Snapshot {
        request: kit::request(app, id).await,
        events: events(app, id).await.len(),
        audit: kit::audit_entries_about_request(app, id).await.len(),
        proposals: kit::proposals_of(app, id).await.len(),
        notes: entity::moderation_note::Entity::find()
            .filter(entity::moderation_note::Column::RequestId.eq(id))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
    }
}

/// A page's text with the HTML escapes of quotes and ampersands undone.
pub fn readable(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&#38;", "&")
        .replace("&amp;", "&")
}

/// The request's moderation page, read after an action's redirect.
pub async fn request_page(app: &TestApp, id: i64) -> String {
    let response = app.server.get(&format!("/moderation/demandes/{id}")).await;
    response.assert_status_ok();
    readable(&response.text())
}

/// Posts `form` to the request's action `action` and expects the redirect back to its page.
pub async fn act(app: &TestApp, id: i64, action: &str, form: &[(&str, &str)]) {
    let response = app
        .server
        .post(&format!("/moderation/demandes/{id}/{action}"))
        .form(form)
        .await;
    response.assert_status(axum::http::StatusCode::SEE_OTHER);
}
