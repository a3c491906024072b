//! What volunteers are told after taking a request: the citizen cancelled, the reminder after some
//! days. Requests in Lyon, volunteers written straight into the database next to them.

mod cancelled;
mod reminders;

use chrono::Utc;
use entity::{account, help_request, proposal};
use entraide::accounts::Passwords;
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds::{self, RoundOutcome};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::Actor;
use entraide::requests::intake::{self, Created, NewRequest};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};

use crate::accounts::{PASSWORD, log_in};
use crate::fixtures::{self, LYON, Volunteer};
use crate::helpers::TestApp;
use crate::kit;

/// A volunteer in Lyon (by default: `demarches` and `sante`, every mode) holding at most `max`
/// requests.
async fn volunteer(app: &TestApp, prenom: &str, max: i32) -> account::Model {
    fixtures::add_volunteer(
        app,
        Volunteer {
            prenom,
            place: LYON,
            max,
            ..Default::default()
        },
    )
    .await
}

/// Gives `volunteer` a password and logs them in on the app's client.
async fn log_in_as(app: &TestApp, volunteer: &account::Model) {
    let mut row = volunteer.clone().into_active_model();
    row.password_hash = Set(Passwords::new(1).hash(PASSWORD).await.unwrap());
    row.update(&app.db).await.unwrap();
    log_in(app, &volunteer.email, PASSWORD)
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
}

/// A new request in Lyon 1er from `prenom` (telephone and e-mail), about an online procedure.
async fn new_request(app: &TestApp, prenom: &str) -> Created {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "69381".into(),
        departement: "69".into(),
        latitude: LYON.lat,
        longitude: LYON.lon,
        prenom: prenom.into(),
        email: Some(
            EmailAddress::parse(&format!("{}@example.org", prenom.to_lowercase())).unwrap(),
        ),
        telephone: Some(PhoneNumber::parse("04 78 00 00 00").unwrap()),
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap()
}

/// Opens `request` for matching, as a moderator's validation would.
async fn open(app: &TestApp, request: &help_request::Model) -> RoundOutcome {
    rounds::open_request(&app.db, &app.config, request, Actor::Admin, None)
        .await
        .unwrap()
}

/// A new request from `prenom`, opened: matching asked the first volunteers.
async fn opened_request(app: &TestApp, prenom: &str) -> Created {
    let created = new_request(app, prenom).await;
    let outcome = open(app, &created.request).await;
    assert!(matches!(outcome, RoundOutcome::Proposed(_)), "{outcome:?}");
    created
}

/// The volunteer asked first for `request_id` accepts: returns their accepted proposal.
async fn take(app: &TestApp, request_id: i64) -> proposal::Model {
    let waiting = kit::proposals_of(app, request_id)
        .await
        .into_iter()
        .find(|p| p.status == rounds::WAITING)
        .expect("a proposal waiting for an answer");
    let answer = answers::accept(&app.db, &app.config, waiting.id, waiting.volunteer_id)
        .await
        .unwrap();
    assert_eq!(answer, Acceptance::Won);
    proposal::Entity::find_by_id(waiting.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

/// Moves the acceptance of `proposal_id` `days` days (and a minute) into the past.
async fn accepted_days_ago(app: &TestApp, proposal_id: i64, days: i64) {
    let row = proposal::ActiveModel {
        id: Set(proposal_id),
        answered_at: Set(Some(
            Utc::now() - chrono::Duration::days(days) - chrono::Duration::minutes(1),
        )),
        ..Default::default()
    };
    row.update(&app.db).await.unwrap();
}
