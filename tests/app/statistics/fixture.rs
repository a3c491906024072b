//! A hand-computed fixture: requests written with their whole timeline (events at chosen hours),
//! feedback, two organisations, volunteers; the expected figures are worked out in
//! `tests/app/statistics/figures.rs`.
//!
//! - `2025-03`, Marne (51), organisation A: seven finished requests (R1–R7), erased by retention
//!   by the time the roll-up runs: they must still count.
//! - `2026-10`, Marne, organisation A: five requests (S1–S5), two still held by a volunteer.
//! - `2026-09`, Marne, organisation A: one resolved request (U1): a secret cell.
//! - `2025-03`, Ardennes (08), organisation B: two requests (T1, T2): a secret cell.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::states::ProposalStatus;
use entity::{feedback, help_request, proposal, request_event};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::feedback::{Satisfaction, Solved};
use entraide::requests::{Actor, EventKind, RequestStatus};
use sea_orm::{ActiveModelTrait, IntoActiveModel, Set};

use crate::fixtures::{self, Place, REIMS, Volunteer};
use crate::helpers::TestApp;
use crate::staff::add_organisation;

pub const CHARLEVILLE: Place = Place {
    insee: "08105",
    departement: "08",
    lat: 49.7734,
    lon: 4.7207,
};

/// One request to write: when, where, for what, and its moves (hours after creation, new state).
pub struct Spec {
    pub name: &'static str,
    pub created: DateTime<Utc>,
    pub place: Place,
    pub organisation: i64,
    pub categories: &'static [&'static str],
    pub modes: &'static [&'static str],
    pub email: bool,
    pub steps: &'static [(i64, RequestStatus)],
    pub feedback: Option<(Satisfaction, Solved)>,
}

/// What the fixture wrote.
pub struct Fixture {
    pub organisation_a: i64,
    pub organisation_b: i64,
    /// Request ids by name (`R1`, `S3`, `T2`…).
    pub ids: Vec<(&'static str, i64)>,
}

impl Fixture {
    /// The id of the request named `name`.
    pub fn id(&self, name: &str) -> i64 {
        self.ids.iter().find(|(n, _)| *n == name).unwrap().1
    }
}

pub fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 10, 0, 0).unwrap()
}

fn kind(from: RequestStatus, to: RequestStatus) -> EventKind {
    use RequestStatus::*;
    match (from, to) {
        (_, Ouverte) if from == SansBenevole => EventKind::Relaunched,
        (_, Ouverte) => EventKind::Validated,
        (_, PriseEnCharge) => EventKind::Accepted,
        (_, SansBenevole) => EventKind::NoVolunteer,
        (_, Resolue) => EventKind::Resolved,
        (_, Refusee) => EventKind::Refused,
        (_, Annulee) => EventKind::Cancelled,
        _ => EventKind::Edited,
    }
}

/// Writes one request, its timeline and its feedback; returns its id.
pub async fn write(app: &TestApp, spec: &Spec) -> i64 {
    let status = spec
        .steps
        .last()
        .map_or(RequestStatus::Nouvelle, |(_, s)| *s);
    let closed = spec
        .steps
        .last()
        .filter(|(_, s)| s.is_final())
        .map(|(h, _)| spec.created + Duration::hours(*h));
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let request = help_request::ActiveModel {
        reference: Set(format!("ENT-{}", &unique[..8].to_uppercase())),
        follow_token_hash: Set(format!("{unique}{unique}")),
        status: Set(status),
        categories: Set(CategorySet::from_slugs(spec.categories).unwrap().bits()),
        modes: Set(ModeSet::from_slugs(spec.modes).unwrap().bits()),
        description: Set(Some(format!("Demande {}", spec.name))),
        commune_insee: Set(spec.place.insee.to_owned()),
        departement: Set(spec.place.departement.to_owned()),
        latitude: Set(spec.place.lat),
        longitude: Set(spec.place.lon),
        prenom: Set(format!("Personne{}", spec.name)),
        email: Set(spec
            .email
            .then(|| format!("{}@example.org", spec.name.to_lowercase()))),
        telephone: Set(Some("+33326000000".to_owned())),
        langue: Set(None),
        pour_un_proche: Set(false),
        prenom_proche: Set(None),
        a_rappeler: Set(!spec.email),
        submitter_key: Set(None),
        consent_at: Set(spec.created),
        created_at: Set(spec.created),
        updated_at: Set(closed.unwrap_or(spec.created)),
        volunteer_id: Set(None),
        closed_at: Set(closed),
        organisation_id: Set(Some(spec.organisation)),
        entered_by: Set(None),
        erased_at: Set(None),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
    let mut events = vec![(
        spec.created,
        None,
        RequestStatus::Nouvelle,
        EventKind::Created,
    )];
    let mut from = RequestStatus::Nouvelle;
    for (hours, to) in spec.steps {
        events.push((
            spec.created + Duration::hours(*hours),
            Some(from),
            *to,
            kind(from, *to),
        ));
        from = *to;
    }
    for (at, from, to, kind) in events {
        request_event::ActiveModel {
            request_id: Set(request.id),
            at: Set(at),
            actor: Set(Actor::Systeme),
            actor_id: Set(None),
            kind: Set(kind),
            from_status: Set(from),
            to_status: Set(Some(to)),
            details: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    if let Some((satisfaction, solved)) = spec.feedback {
        feedback::ActiveModel {
            request_id: Set(request.id),
            satisfaction: Set(satisfaction.slug().to_owned()),
            solved: Set(solved.slug().to_owned()),
            comment: Set(Some("Merci beaucoup".into())),
            created_at: Set(closed.unwrap_or(spec.created)),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    request.id
}

/// Writes the whole fixture (see the module's documentation), and two volunteers of the Marne
/// who signed up in October 2026, one of whom answered a proposal that month.
pub async fn write_all(app: &TestApp) -> Fixture {
    use RequestStatus::*;
    use Satisfaction::*;
    let a = add_organisation(app, "Marne Solidaire", "51", false)
        .await
        .id;
    let b = add_organisation(app, "Ardennes Numérique", "08", false)
        .await
        .id;
    let march = at(2025, 3, 10);
    let october = at(2026, 10, 6);
    let september = at(2026, 9, 15);
    let specs = [
        Spec {
            name: "R1",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(2, Ouverte), (12, PriseEnCharge), (36, Resolue)],
            feedback: Some((Tres, Solved::Oui)),
        },
        Spec {
            name: "R2",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["sante", "demarches"],
            modes: &["telephone", "visio"],
            email: true,
            steps: &[(1, Ouverte), (5, PriseEnCharge), (29, Resolue)],
            feedback: Some((PlutotPas, Solved::EnPartie)),
        },
        Spec {
            name: "R3",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["presentiel"],
            email: true,
            steps: &[
                (1, Ouverte),
                (100, SansBenevole),
                (120, Ouverte),
                (121, PriseEnCharge),
                (145, Resolue),
            ],
            feedback: Some((Plutot, Solved::Oui)),
        },
        Spec {
            name: "R4",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["demarches"],
            modes: &["telephone"],
            email: false,
            steps: &[(3, Ouverte), (13, PriseEnCharge), (61, Resolue)],
            feedback: None,
        },
        Spec {
            name: "R5",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Refusee)],
            feedback: None,
        },
        Spec {
            name: "R6",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["argent"],
            modes: &["visio"],
            email: true,
            steps: &[(1, Ouverte), (2, Annulee)],
            feedback: None,
        },
        Spec {
            name: "R7",
            created: march,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (3, PriseEnCharge), (8, Resolue)],
            feedback: Some((PasDuTout, Solved::Non)),
        },
        Spec {
            name: "S1",
            created: october,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (7, PriseEnCharge)],
            feedback: None,
        },
        Spec {
            name: "S2",
            created: october,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (3, PriseEnCharge), (27, Resolue)],
            feedback: Some((Tres, Solved::Oui)),
        },
        Spec {
            name: "S3",
            created: october,
            place: REIMS,
            organisation: a,
            categories: &["appareil"],
            modes: &["visio"],
            email: true,
            steps: &[(1, Ouverte), (9, PriseEnCharge), (21, Resolue)],
            feedback: None,
        },
        Spec {
            name: "S4",
            created: october,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(2, Refusee)],
            feedback: None,
        },
        Spec {
            name: "S5",
            created: october,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (5, PriseEnCharge)],
            feedback: None,
        },
        Spec {
            name: "U1",
            created: september,
            place: REIMS,
            organisation: a,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (2, PriseEnCharge), (5, Resolue)],
            feedback: None,
        },
        Spec {
            name: "T1",
            created: march,
            place: CHARLEVILLE,
            organisation: b,
            categories: &["sante"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Ouverte), (2, PriseEnCharge), (5, Resolue)],
            feedback: Some((Tres, Solved::Oui)),
        },
        Spec {
            name: "T2",
            created: march,
            place: CHARLEVILLE,
            organisation: b,
            categories: &["emploi"],
            modes: &["telephone"],
            email: true,
            steps: &[(1, Refusee)],
            feedback: None,
        },
    ];
    let mut ids = Vec::new();
    for spec in &specs {
        ids.push((spec.name, write(app, spec).await));
    }
    let fixture = Fixture {
        organisation_a: a,
        organisation_b: b,
        ids,
    };
    let signed_up = at(2026, 10, 2);
    for (prenom, answered) in [("Active", true), ("Inscrite", false)] {
        let volunteer = fixtures::add_volunteer(
            app,
            Volunteer {
                prenom,
                ..Default::default()
            },
        )
        .await;
        let mut row = volunteer.clone().into_active_model();
        row.created_at = Set(signed_up);
        row.update(&app.db).await.unwrap();
        if answered {
            proposal::ActiveModel {
                request_id: Set(fixture.id("S1")),
                volunteer_id: Set(volunteer.id),
                round: Set(1),
                rank: Set(1),
                score: Set(80.0),
                breakdown: Set("{}".into()),
                distance_km: Set(1.0),
                status: Set(ProposalStatus::Accepted),
                token_hash: Set(uuid::Uuid::new_v4().simple().to_string()),
                created_at: Set(october + Duration::hours(1)),
                expires_at: Set(october + Duration::hours(49)),
                answered_at: Set(Some(october + Duration::hours(7))),
                reminded_at: Set(Some(october + Duration::days(8))),
                ..Default::default()
            }
            .insert(&app.db)
            .await
            .unwrap();
        }
    }
    fixture
}
