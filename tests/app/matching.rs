use entity::states::{ProposalStatus, RequestStatus};
use entraide::matching::candidates::best_candidates_with;
use entraide::matching::score::Weights;

use chrono::Utc;
use entity::{account, help_request, request_event};
use entraide::contact::PhoneNumber;
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds::RoundOutcome;
use entraide::reference::ModeSet;
use entraide::requests::intake::NewRequest;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::fixtures::LYON;
use crate::fixtures::{self, Place, Volunteer};
use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;

/// Lyon's centre; volunteers are placed `km` north of it.
const LAT: f64 = 45.7640;
const LON: f64 = 4.8357;

/// Where the test volunteers live: Lyon's centre, `km` north of it.
const CENTRE: Place = Place {
    insee: "69123",
    departement: "69",
    lat: LAT,
    lon: LON,
};

/// A volunteer with the default profile, `km` north of the centre.
async fn volunteer_at(app: &TestApp, km: f64) -> i64 {
    add_volunteer_in_lyon(
        app,
        Volunteer {
            km,
            ..Default::default()
        },
    )
    .await
}

/// Writes `v` `km` north of Lyon's centre (wherever `v.place` said) and returns its account id.
async fn add_volunteer_in_lyon(app: &TestApp, v: Volunteer<'_>) -> i64 {
    fixtures::add_volunteer(app, Volunteer { place: CENTRE, ..v })
        .await
        .id
}

async fn new_request(app: &TestApp, modes: &[&str], langue: Option<&str>) -> help_request::Model {
    let new = NewRequest {
        modes: ModeSet::from_slugs(modes).unwrap(),
        commune_insee: "69381".into(),
        latitude: LAT,
        longitude: LON,
        telephone: Some(PhoneNumber::parse("04 78 00 00 00").unwrap()),
        langue: langue.map(str::to_owned),
        ..kit::new_request(LYON)
    };
    kit::file(app, &new).await.request
}

async fn open(app: &TestApp, request: &help_request::Model) -> RoundOutcome {
    kit::open(app, request).await
}

async fn app_with_k(k: u64) -> TestApp {
    spawn_app_with(|c| c.matching.proposals_per_round = k).await
}

#[tokio::test]
async fn a_volunteer_5_km_away_is_proposed_before_one_40_km_away() {
    let app = app_with_k(1).await;
    let _far = add_volunteer_in_lyon(
        &app,
        Volunteer {
            prenom: "Loin",
            km: 40.0,
            ..Default::default()
        },
    )
    .await;
    let near = add_volunteer_in_lyon(
        &app,
        Volunteer {
            prenom: "Proche",
            km: 5.0,
            ..Default::default()
        },
    )
    .await;
    let request = new_request(&app, &["telephone", "presentiel"], None).await;
    assert_eq!(open(&app, &request).await, RoundOutcome::Proposed(1));
    let proposed = kit::proposals_of(&app, request.id).await;
    assert_eq!(proposed[0].volunteer_id, near);
    assert!((proposed[0].distance_km - 5.0).abs() < 0.5);
    let breakdown: serde_json::Value = serde_json::from_str(&proposed[0].breakdown).unwrap();
    for part in ["coverage", "proximity", "fairness", "responsiveness"] {
        assert!(breakdown[part].is_number(), "{part} explained");
    }
    let email = app
        .mailbox
        .delivered(&account_email(&app, near).await, |e| {
            e.subject.contains("pouvez-vous aider")
        })
        .await;
    assert!(email.text.contains("Josette"));
    assert!(
        email
            .text
            .contains(&format!("/benevole/propositions/{}", proposed[0].id))
    );
    assert!(
        !email.text.contains("04 78") && !email.text.contains("josette@example.org"),
        "no contact details"
    );
}

async fn account_email(app: &TestApp, id: i64) -> String {
    account::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .email
}

#[tokio::test]
async fn phone_and_video_requests_reach_volunteers_beyond_their_radius() {
    let app = app_with_k(3).await;
    let far = volunteer_at(&app, 40.0).await;
    let in_person = new_request(&app, &["presentiel"], None).await;
    assert_eq!(
        open(&app, &in_person).await,
        RoundOutcome::NoVolunteer,
        "40 km is beyond a 10 km radius"
    );
    let by_phone = new_request(&app, &["telephone"], None).await;
    assert_eq!(open(&app, &by_phone).await, RoundOutcome::Proposed(1));
    assert_eq!(
        kit::proposals_of(&app, by_phone.id).await[0].volunteer_id,
        far
    );
}

#[tokio::test]
async fn paused_unverified_full_or_suspended_volunteers_never_receive_proposals() {
    let app = app_with_k(10).await;
    add_volunteer_in_lyon(
        &app,
        Volunteer {
            paused: true,
            ..Default::default()
        },
    )
    .await;
    add_volunteer_in_lyon(
        &app,
        Volunteer {
            verified: false,
            ..Default::default()
        },
    )
    .await;
    add_volunteer_in_lyon(
        &app,
        Volunteer {
            suspended: true,
            ..Default::default()
        },
    )
    .await;
    let full = add_volunteer_in_lyon(
        &app,
        Volunteer {
            max: 1,
            ..Default::default()
        },
    )
    .await;
    let ok = add_volunteer_in_lyon(&app, Volunteer::default()).await;
    // `full` already holds a request.
    let held = new_request(&app, &["telephone"], None).await;
    let mut held = held.into_active_model();
    held.status = Set(entity::states::RequestStatus::PriseEnCharge);
    held.volunteer_id = Set(Some(full));
    held.update(&app.db).await.unwrap();

    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let asked: Vec<i64> = kit::proposals_of(&app, request.id)
        .await
        .iter()
        .map(|p| p.volunteer_id)
        .collect();
    assert_eq!(asked, vec![ok]);
}

#[tokio::test]
async fn a_requested_language_is_required() {
    let app = app_with_k(10).await;
    add_volunteer_in_lyon(
        &app,
        Volunteer {
            langues: "en",
            ..Default::default()
        },
    )
    .await;
    let speaker = add_volunteer_in_lyon(
        &app,
        Volunteer {
            langues: "ar pt",
            ..Default::default()
        },
    )
    .await;
    let request = new_request(&app, &["telephone"], Some("pt")).await;
    open(&app, &request).await;
    let asked: Vec<i64> = kit::proposals_of(&app, request.id)
        .await
        .iter()
        .map(|p| p.volunteer_id)
        .collect();
    assert_eq!(asked, vec![speaker]);
}

#[tokio::test]
async fn a_refusal_brings_in_the_next_candidate() {
    let app = app_with_k(1).await;
    let first = volunteer_at(&app, 1.0).await;
    let second = volunteer_at(&app, 20.0).await;
    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let p = &kit::proposals_of(&app, request.id).await[0];
    assert_eq!(p.volunteer_id, first);
    assert!(
        answers::decline(&app.db, &app.config, p.id, first)
            .await
            .unwrap()
    );
    let all = kit::proposals_of(&app, request.id).await;
    assert_eq!(all.len(), 2);
    assert_eq!(
        (all[0].status.slug(), all[1].volunteer_id, all[1].round),
        ("refusee", second, 2)
    );
}

#[tokio::test]
async fn expiry_starts_the_next_round() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    volunteer_at(&app, 1.0).await;
    let second = volunteer_at(&app, 20.0).await;
    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let ttl = chrono::Duration::from_std(app.config.matching.proposal_ttl).unwrap();
    let before = chrono::Utc::now() + ttl - chrono::Duration::minutes(1);
    assert_eq!(app.run_due_jobs(before).await.of("proposal-expiry"), 0);
    assert_eq!(
        kit::proposals_of(&app, request.id).await.len(),
        1,
        "not expired yet"
    );
    let after = chrono::Utc::now() + ttl + chrono::Duration::minutes(1);
    assert_eq!(app.run_due_jobs(after).await.of("proposal-expiry"), 1);
    let all = kit::proposals_of(&app, request.id).await;
    assert_eq!(
        all.len(),
        2,
        "the job expired the first proposal and asked the next volunteer"
    );
    assert_eq!(all[0].status, ProposalStatus::Expired);
    assert_eq!(all[1].volunteer_id, second);
}

#[tokio::test]
async fn after_the_last_round_the_request_is_without_volunteer_and_the_citizen_is_told() {
    let app = spawn_app_with(|c| {
        c.matching.proposals_per_round = 1;
        c.matching.max_rounds = 1;
    })
    .await;
    let only = add_volunteer_in_lyon(&app, Volunteer::default()).await;
    volunteer_at(&app, 3.0).await;
    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let p = &kit::proposals_of(&app, request.id).await[0];
    answers::decline(&app.db, &app.config, p.id, only)
        .await
        .unwrap();
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    assert_eq!(
        kit::proposals_of(&app, request.id).await.len(),
        1,
        "no second round"
    );
    let email = app
        .mailbox
        .delivered("josette@example.org", |e| {
            e.subject.contains("Nous cherchons encore")
        })
        .await;
    assert!(email.text.contains(&request.reference));
    let events: Vec<String> = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request.id))
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.kind.slug().to_owned())
        .collect();
    assert_eq!(
        events,
        vec!["creee", "validee", "propositions", "sans_benevole"]
    );
}

#[tokio::test]
async fn twenty_volunteers_accepting_at_once_make_exactly_one_winner() {
    let app = spawn_app_with(|c| {
        c.matching.proposals_per_round = 20;
        c.db_max_connections = if c.database_url.starts_with("postgres") {
            20
        } else {
            1
        };
    })
    .await;
    let mut volunteers = Vec::new();
    for n in 0..20 {
        volunteers.push(
            add_volunteer_in_lyon(
                &app,
                Volunteer {
                    km: n as f64 + 0.5,
                    ..Default::default()
                },
            )
            .await,
        );
    }
    let request = new_request(&app, &["telephone"], None).await;
    assert_eq!(open(&app, &request).await, RoundOutcome::Proposed(20));
    let all = kit::proposals_of(&app, request.id).await;
    let mut tasks = tokio::task::JoinSet::new();
    for p in all {
        let (db, config) = (app.db.clone(), app.config.clone());
        tasks.spawn(async move { answers::accept(&db, &config, p.id, p.volunteer_id).await });
    }
    let outcomes: Vec<Acceptance> = tasks
        .join_all()
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect();
    assert_eq!(
        outcomes.iter().filter(|o| **o == Acceptance::Won).count(),
        1,
        "{outcomes:?}"
    );
    assert_eq!(
        outcomes
            .iter()
            .filter(|o| **o == Acceptance::AlreadyTaken || **o == Acceptance::Closed)
            .count(),
        19
    );

    let request = kit::request(&app, request.id).await;
    assert_eq!(request.status, RequestStatus::PriseEnCharge);
    let statuses: Vec<String> = kit::proposals_of(&app, request.id)
        .await
        .into_iter()
        .map(|p| p.status.slug().to_owned())
        .collect();
    assert_eq!(statuses.iter().filter(|s| *s == "acceptee").count(), 1);
    assert_eq!(statuses.iter().filter(|s| *s == "retiree").count(), 19);
    let winner = request.volunteer_id.unwrap();
    assert!(volunteers.contains(&winner));

    let confirmed = app
        .mailbox
        .delivered(&account_email(&app, winner).await, |e| {
            e.subject.starts_with("Merci !")
        })
        .await;
    assert!(
        confirmed.text.contains("04 78 00 00 00"),
        "the winner gets the contact details"
    );
    assert!(confirmed.text.contains("josette@example.org"));
    let told = app
        .mailbox
        .delivered("josette@example.org", |e| {
            e.subject.starts_with("Bonne nouvelle")
        })
        .await;
    assert!(told.text.contains("Bénévole"));
}

#[tokio::test]
async fn giving_a_request_back_reopens_matching_without_that_volunteer() {
    let app = app_with_k(1).await;
    let first = volunteer_at(&app, 1.0).await;
    let second = volunteer_at(&app, 5.0).await;
    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let p = kit::proposals_of(&app, request.id).await[0].clone();
    assert_eq!(
        answers::accept(&app.db, &app.config, p.id, first)
            .await
            .unwrap(),
        Acceptance::Won
    );
    assert!(
        answers::give_back(&app.db, &app.config, request.id, first)
            .await
            .unwrap()
    );
    let request = kit::request(&app, request.id).await;
    assert_eq!(request.status, RequestStatus::Ouverte);
    assert_eq!(request.volunteer_id, None);
    let all = kit::proposals_of(&app, request.id).await;
    assert_eq!(
        all.last().unwrap().volunteer_id,
        second,
        "asked next, not the one who gave it back"
    );
    assert!(
        all.iter()
            .filter(|p| p.volunteer_id == first)
            .all(|p| p.status == ProposalStatus::Declined)
    );
}

#[tokio::test]
async fn the_citizen_sees_the_first_name_of_the_volunteer_who_took_the_request() {
    let app = app_with_k(1).await;
    let v = add_volunteer_in_lyon(
        &app,
        Volunteer {
            prenom: "Mathilde",
            ..Default::default()
        },
    )
    .await;
    let request = new_request(&app, &["telephone"], None).await;
    open(&app, &request).await;
    let p = kit::proposals_of(&app, request.id).await[0].clone();
    answers::accept(&app.db, &app.config, p.id, v)
        .await
        .unwrap();
    let again = answers::accept(&app.db, &app.config, p.id, v)
        .await
        .unwrap();
    assert_eq!(again, Acceptance::Closed);

    // The follow-up link's secret is only in the confirmation e-mail.
    let email = app
        .mailbox
        .delivered("josette@example.org", |e| {
            e.subject.contains("bien enregistrée")
        })
        .await;
    let start = email.text.find("/suivi/").unwrap();
    let path: String = email.text[start..].chars().take(7 + 64).collect();
    let page = app.server.get(&path).await.text();
    assert!(page.contains("Mathilde"));
    assert!(
        page.contains("Un bénévole s&#39;en occupe") || page.contains("Un bénévole s'en occupe")
    );
    assert!(
        // Issue 20: the citizen reads the search, not its internal rounds.
        page.contains("Nous cherchons un bénévole")
            && !page.contains("Proposée à des bénévoles")
            && !page.contains("— propositions<"),
        "every step of the timeline reads in French"
    );
}

#[tokio::test]
async fn the_widening_search_finds_exactly_the_best_of_a_full_ranking() {
    let app = app_with_k(3).await;
    let mut ids = Vec::new();
    for (n, km) in [
        0.5, 3.0, 7.0, 12.0, 18.0, 30.0, 45.0, 80.0, 120.0, 250.0, 600.0,
    ]
    .iter()
    .enumerate()
    {
        let prenom = format!("V{n}");
        let langues = if n % 3 == 0 { "en" } else { "" };
        ids.push(
            add_volunteer_in_lyon(
                &app,
                Volunteer {
                    prenom: &prenom,
                    km: *km,
                    langues,
                    ..Default::default()
                },
            )
            .await,
        );
    }
    // The nearest already holds a request: their history, read last, must send them down.
    let taken = new_request(&app, &["telephone"], None).await;
    let mut taken = taken.into_active_model();
    taken.status = Set(entity::states::RequestStatus::PriseEnCharge);
    taken.volunteer_id = Set(Some(ids[0]));
    taken.update(&app.db).await.unwrap();

    let request = new_request(&app, &["telephone"], None).await;
    let now = Utc::now();
    let all = entraide::matching::candidates::ranked_candidates(&app.db, &request, now)
        .await
        .unwrap();
    assert_eq!(all.len(), 11, "remote help: everyone is a candidate");
    assert_eq!(
        all[0].account_id, ids[1],
        "the nearest is busy: the next comes first"
    );
    for k in [1, 3, 5, 11, 20] {
        let best = entraide::matching::candidates::best_candidates(&app.db, &request, now, k)
            .await
            .unwrap();
        let expected: Vec<i64> = all.iter().take(k).map(|c| c.account_id).collect();
        assert_eq!(
            best.iter().map(|c| c.account_id).collect::<Vec<_>>(),
            expected,
            "k = {k}"
        );
    }
    // Other weights: the search's bound follows them, and the top stays exact.
    for weights in [
        Weights {
            proximity: 70.0,
            coverage: 10.0,
            horizon_km: 50.0,
            ..Weights::DEFAULT
        },
        Weights {
            proximity: 5.0,
            fairness: 60.0,
            horizon_km: 300.0,
            ..Weights::DEFAULT
        },
    ] {
        let all = best_candidates_with(&app.db, &weights, &request, now, usize::MAX)
            .await
            .unwrap();
        assert_eq!(all.len(), 11);
        let mut by_score = all.clone();
        by_score.sort_by(|a, b| b.score().total_cmp(&a.score()));
        assert_eq!(
            by_score.iter().map(|c| c.account_id).collect::<Vec<_>>(),
            all.iter().map(|c| c.account_id).collect::<Vec<_>>(),
            "a full ranking under {weights:?}"
        );
        for k in [1, 3, 5] {
            let best = best_candidates_with(&app.db, &weights, &request, now, k)
                .await
                .unwrap();
            let expected: Vec<i64> = all.iter().take(k).map(|c| c.account_id).collect();
            assert_eq!(
                best.iter().map(|c| c.account_id).collect::<Vec<_>>(),
                expected,
                "k = {k} under {weights:?}"
            );
        }
    }
}

#[tokio::test]
async fn deleting_an_account_gives_its_requests_back_and_withdraws_its_proposals() {
    let app = app_with_k(1).await;
    let leaving = add_volunteer_in_lyon(
        &app,
        Volunteer {
            prenom: "Partant",
            km: 1.0,
            ..Default::default()
        },
    )
    .await;
    let staying = add_volunteer_in_lyon(
        &app,
        Volunteer {
            prenom: "Restant",
            km: 80.0,
            ..Default::default()
        },
    )
    .await;
    let held = new_request(&app, &["telephone"], None).await;
    open(&app, &held).await;
    let p = kit::proposals_of(&app, held.id).await[0].clone();
    assert_eq!(p.volunteer_id, leaving);
    answers::accept(&app.db, &app.config, p.id, leaving)
        .await
        .unwrap();
    // The other volunteer is much farther: proximity outweighs the request taken.
    let waiting = new_request(&app, &["telephone"], None).await;
    open(&app, &waiting).await;
    assert_eq!(
        kit::proposals_of(&app, waiting.id).await[0].volunteer_id,
        leaving
    );

    entraide::accounts::data::delete_account(&app.db, &app.config, leaving)
        .await
        .unwrap();

    let held = kit::request(&app, held.id).await;
    assert_eq!(held.status, RequestStatus::Ouverte, "back to matching");
    assert_eq!(held.volunteer_id, None);
    for request_id in [held.id, waiting.id] {
        let all = kit::proposals_of(&app, request_id).await;
        assert_eq!(all.last().unwrap().volunteer_id, staying, "asked next");
        assert_eq!(all.last().unwrap().status, ProposalStatus::Waiting);
        assert!(
            all.iter()
                .filter(|p| p.volunteer_id == leaving)
                .all(|p| p.status == ProposalStatus::Declined
                    || p.status == ProposalStatus::Withdrawn),
            "nothing left waiting for or held by the deleted account"
        );
    }
    let events = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(held.id))
        .filter(request_event::Column::Kind.eq("rendue"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(events.len(), 1);
    assert!(
        events[0]
            .details
            .as_deref()
            .unwrap()
            .contains("supprimé son compte")
    );
}
