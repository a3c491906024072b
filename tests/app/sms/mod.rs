//! SMS (issue 16): who receives which text, in order, never at night in their own time zone, the
//! files of the default transport, the short links, a volunteer's choice; Brevo's API over TCP
//! ([`provider`]).

mod provider;

use axum::http::StatusCode;
use chrono::{DateTime, Days, NaiveTime, TimeZone, Utc};
use entity::help_request;
use entity::states::{OutboxStatus, RequestStatus};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::requests::intake::{Created, NewRequest};

use crate::fixtures::{Place, REIMS, Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;

/// Saint-Denis (La Réunion).
const SAINT_DENIS: Place = Place {
    insee: "97411",
    departement: "974",
    lat: -20.8821,
    lon: 55.4507,
};

/// A mobile number.
const MOBILE: &str = "06 12 34 56 78";

/// `hh:mm` local time `days` after today in `zone`, as UTC: later than the real present, so that
/// texts queued now are due then.
fn local(zone: chrono_tz::Tz, days: u64, hh: u32, mm: u32) -> DateTime<Utc> {
    let day = Utc::now().with_timezone(&zone).date_naive() + Days::new(days);
    zone.from_local_datetime(&day.and_time(NaiveTime::from_hms_opt(hh, mm, 0).unwrap()))
        .earliest()
        .unwrap()
        .with_timezone(&Utc)
}

fn paris(days: u64, hh: u32, mm: u32) -> DateTime<Utc> {
    local(chrono_tz::Europe::Paris, days, hh, mm)
}

/// Josette asks for help from `place` with only the telephone `number`.
fn phone_only(place: Place, number: &str) -> NewRequest {
    NewRequest {
        email: None,
        telephone: Some(PhoneNumber::parse(number).unwrap()),
        ..kit::new_request(place)
    }
}

/// The text files the default transport wrote, oldest first (by outbox id).
fn sms_files(app: &TestApp) -> Vec<String> {
    let mut files: Vec<(i64, String)> = std::fs::read_dir(&app.config.sms.dir)
        .map(|dir| {
            dir.map(|e| e.unwrap().path())
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    let id = name.split('-').nth(1).unwrap().parse().unwrap();
                    (id, std::fs::read_to_string(p).unwrap())
                })
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files.into_iter().map(|(_, text)| text).collect()
}

/// The path of the short link in `text`.
fn short_link(text: &str) -> String {
    let at = text.find("/s/").expect("a short link");
    text[at..at + 11].to_owned()
}

/// The kinds of the SMS queued so far, in order.
async fn kinds(app: &TestApp) -> Vec<String> {
    app.sms_rows(None)
        .await
        .into_iter()
        .map(|r| r.kind)
        .collect()
}

/// Bernard, near Reims, takes `request`.
async fn bernard_takes(app: &TestApp, request: &help_request::Model) {
    let bernard = add_volunteer(
        app,
        Volunteer {
            prenom: "Bernard",
            ..Default::default()
        },
    )
    .await;
    kit::open(app, request).await;
    let offer = kit::proposals_of(app, request.id)
        .await
        .into_iter()
        .find(|p| p.volunteer_id == bernard.id)
        .expect("a proposal to Bernard");
    let won = entraide::matching::answers::accept(&app.db, &app.config, offer.id, bernard.id)
        .await
        .unwrap();
    assert_eq!(won, entraide::matching::answers::Acceptance::Won);
}

#[tokio::test]
async fn a_phone_only_citizen_is_told_each_step_by_sms_in_order() {
    let app = spawn_app().await;
    let Created {
        request,
        follow_secret,
        ..
    } = kit::file(&app, &phone_only(REIMS, MOBILE)).await;
    assert!(!request.a_rappeler, "a mobile number is reached by SMS");
    bernard_takes(&app, &request).await;
    app.server
        .post(&format!("/suivi/{follow_secret}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let pass = app.drain_sms(paris(1, 12, 0)).await;
    assert_eq!((pass.sent, pass.failed, pass.deferred), (3, 0, 0));
    assert_eq!(
        kinds(&app).await,
        [
            "sms_request_received",
            "sms_volunteer_found",
            "sms_request_resolved"
        ]
    );
    let rows = app.sms_rows(None).await;
    assert!(rows.iter().all(|r| r.status == OutboxStatus::Sent));
    assert!(rows.iter().all(|r| r.recipient == "+33612345678"));
    assert!(
        rows.iter()
            .all(|r| !r.body.contains("/s/") || r.body.contains("/s/********")),
        "the sent copies keep no working link"
    );
    // No e-mail address: no e-mail.
    assert!(app.outbox_rows("request_received", None).await.is_empty());

    let files = sms_files(&app);
    assert_eq!(files.len(), 3, "one file per text");
    assert!(files[0].starts_with("To: +33612345678\n"), "{}", files[0]);
    assert!(files[0].contains(&request.reference));
    assert!(files[1].contains("Bernard"), "{}", files[1]);
    // The trust word drawn when Bernard took the request is in the text that announces him.
    let word = kit::request(&app, request.id)
        .await
        .mot_de_confiance
        .expect("a trust word once a volunteer takes the request");
    assert!(files[1].contains(&word), "{} lacks {word}", files[1]);
    assert!(files[2].contains("résolue"), "{}", files[2]);
    for file in &files {
        assert!(file.contains("(Gsm7)"), "{file}");
    }

    // The short link of the first text leads to the follow-up page.
    let opened = app.server.get(&short_link(&files[0])).await;
    opened.assert_status(StatusCode::SEE_OTHER);
    let to = opened.header("location").to_str().unwrap().to_owned();
    assert!(to.ends_with(&format!("/suivi/{follow_secret}")), "{to}");
    app.server
        .get("/s/ZZZZZZZZ")
        .await
        .assert_status(StatusCode::NOT_FOUND);

    // Nothing more is due: each event is told once.
    assert_eq!(app.drain_sms(paris(2, 12, 0)).await.sent, 0);
}

#[tokio::test]
async fn nobody_found_then_cancelled_is_told_by_sms_too() {
    let app = spawn_app().await;
    let created = kit::file(&app, &phone_only(REIMS, "07 98 76 54 32")).await;
    // No volunteer anywhere: the first round finds nobody.
    kit::open(&app, &created.request).await;
    assert_eq!(
        kit::request(&app, created.request.id).await.status,
        RequestStatus::SansBenevole
    );
    app.server
        .post(&format!("/suivi/{}/annuler", created.follow_secret))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(app.drain_sms(paris(1, 10, 0)).await.sent, 3);
    assert_eq!(
        kinds(&app).await,
        [
            "sms_request_received",
            "sms_no_volunteer",
            "sms_request_cancelled"
        ]
    );
    let files = sms_files(&app);
    assert!(files[1].contains("pas encore"), "{}", files[1]);
    assert!(files[2].contains("annulée"), "{}", files[2]);
}

#[tokio::test]
async fn a_landline_gets_no_sms_and_is_to_be_called_back() {
    let app = spawn_app().await;
    let created = kit::file(&app, &phone_only(REIMS, "03 26 00 00 00")).await;
    assert!(created.request.a_rappeler);
    bernard_takes(&app, &created.request).await;
    assert!(app.sms_rows(None).await.is_empty(), "nothing queued");
    assert_eq!(app.drain_sms(paris(1, 12, 0)).await.sent, 0);
    assert!(sms_files(&app).is_empty());
}

#[tokio::test]
async fn an_e_mail_address_gets_sms_only_when_asked_for() {
    let app = spawn_app().await;
    let both = NewRequest {
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse(MOBILE).unwrap()),
        ..kit::new_request(REIMS)
    };
    kit::file(&app, &both).await;
    assert!(app.sms_rows(None).await.is_empty());
    kit::file(
        &app,
        &NewRequest {
            sms_aussi: true,
            ..both
        },
    )
    .await;
    assert_eq!(kinds(&app).await, ["sms_request_received"]);
    assert_eq!(app.outbox_rows("request_received", None).await.len(), 2);
}

#[tokio::test]
async fn the_public_form_offers_sms_too() {
    let app = spawn_app().await;
    let page = app.server.get("/demande").await.text();
    assert!(page.contains("Prévenez-moi aussi par SMS"));
    let stamp = crate::requests::form_stamp(&app).await;
    let mut form = crate::requests::valid_form(&stamp);
    form.push(("sms_aussi", "oui".into()));
    app.server
        .post("/demande")
        .form(&form)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let rows = app.sms_rows(None).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipient, "+33612345678");
}

#[tokio::test]
async fn nothing_leaves_at_night_in_paris_until_the_morning_and_e_mails_are_not_delayed() {
    let app = spawn_app().await;
    let new = NewRequest {
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: Some(PhoneNumber::parse(MOBILE).unwrap()),
        sms_aussi: true,
        ..kit::new_request(REIMS)
    };
    kit::file(&app, &new).await;
    // The e-mail leaves at once, whatever the hour.
    assert!(app.drain_outbox().await >= 1);

    let night = app.drain_sms(paris(1, 23, 0)).await;
    assert_eq!(night.sent, 0, "not at 23:00 in Paris");
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Pending);
    assert_eq!(row.next_attempt_at, paris(2, 9, 0), "waits until 9:00");
    assert_eq!(row.attempts, 0, "waiting is not a failed attempt");
    assert_eq!(app.drain_sms(paris(2, 8, 59)).await.sent, 0);
    assert_eq!(app.drain_sms(paris(2, 9, 5)).await.sent, 1);
}

#[tokio::test]
async fn a_request_in_la_reunion_follows_la_reunion_s_clock() {
    let app = spawn_app().await;
    kit::file(&app, &phone_only(SAINT_DENIS, "06 92 12 34 56")).await;
    let reunion = chrono_tz::Indian::Reunion;
    assert_eq!(app.drain_sms(local(reunion, 1, 23, 0)).await.sent, 0);
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.next_attempt_at, local(reunion, 2, 9, 0));
    assert_eq!(row.departement.as_deref(), Some("974"));
    // 9:30 in La Réunion is 6:30 in Paris: the text leaves.
    assert_eq!(app.drain_sms(local(reunion, 2, 9, 30)).await.sent, 1);
}

#[tokio::test]
async fn a_volunteer_may_receive_new_proposals_by_sms() {
    let app = spawn_app().await;
    crate::accounts::logged_in_volunteer(&app, "marie@example.org").await;
    let landline = app
        .server
        .post("/benevole/profil/sms")
        .form(&[("sms", "oui"), ("telephone_sms", "03 26 00 00 00")])
        .await;
    landline.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(landline.text().contains("pas un numéro de portable"));
    app.server
        .post("/benevole/profil/sms")
        .form(&[("sms", "oui"), ("telephone_sms", "06 98 76 54 32")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let marie = crate::accounts::account_of(&app, "marie@example.org")
        .await
        .unwrap();
    let profile = kit::volunteer_profile(&app, marie.id).await;
    assert_eq!(profile.telephone_sms.as_deref(), Some("+33698765432"));
    let page = app.server.get("/benevole/profil").await.text();
    assert!(page.contains("06 98 76 54 32"));

    // A proposal: an SMS with a short link to its page, besides the e-mail.
    let (request, _) = kit::file_and_open(
        &app,
        &NewRequest {
            commune_insee: profile.commune_insee.clone(),
            departement: profile.departement.clone(),
            latitude: profile.latitude,
            longitude: profile.longitude,
            categories: entraide::reference::CategorySet::from_slugs(&["appareil"]).unwrap(),
            ..kit::new_request(REIMS)
        },
    )
    .await;
    let offer = kit::proposals_of(&app, request.id)
        .await
        .into_iter()
        .find(|p| p.volunteer_id == marie.id)
        .expect("a proposal to Marie");
    let rows = app.sms_rows(Some("sms_proposal")).await;
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].recipient, "+33698765432");
    assert_eq!(app.drain_sms(paris(1, 12, 0)).await.sent, 1);
    let file = sms_files(&app).pop().unwrap();
    let opened = app.server.get(&short_link(&file)).await;
    opened.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        opened.header("location").to_str().unwrap(),
        format!("/benevole/propositions/{}", offer.id)
    );

    // Unticked: no more SMS.
    app.server
        .post("/benevole/profil/sms")
        .form(&[("telephone_sms", "06 98 76 54 32")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::volunteer_profile(&app, marie.id).await.telephone_sms,
        None
    );
}
