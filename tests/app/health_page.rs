//! `/admin/sante`, the operator's page: for admins only, the figures of the metrics in words, and
//! what to do when one is "à traiter".

use axum::http::StatusCode;
use chrono::Utc;
use entraide::contact::EmailAddress;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::mail::{self, TestEmail};
use entraide::ops::figures::{self, OrganisationWait};
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::{self, NewRequest};

use crate::accounts::logged_in_volunteer;
use crate::helpers::{TestApp, spawn_app, spawn_app_with, spawn_app_with_workers};
use crate::staff::{add_organisation, logged_in_admin};

/// A request from Reims (département 51), through intake.
async fn request_in_reims(app: &TestApp) {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["demarches"]).unwrap(),
        description: Some("Déclarer mes revenus en ligne".into()),
        modes: ModeSet::from_slugs(&["telephone"]).unwrap(),
        commune_insee: "51454".into(),
        departement: "51".into(),
        latitude: 49.2628,
        longitude: 4.0347,
        prenom: "Josette".into(),
        email: Some(EmailAddress::parse("josette@example.org").unwrap()),
        telephone: None,
        langue: None,
        prenom_proche: None,
        telephone_proche: None,
        lien_proche: None,
        contacter_proche: false,
    };
    intake::create(&app.db, &app.config, &new, None)
        .await
        .unwrap();
}

#[tokio::test]
async fn the_operator_page_is_for_admins_only() {
    let app = spawn_app().await;
    let response = app.server.get("/admin/sante").await;
    response.assert_status(StatusCode::SEE_OTHER);
    assert!(
        response
            .header("location")
            .to_str()
            .unwrap()
            .starts_with("/connexion")
    );

    logged_in_volunteer(&app, "claire@example.org").await;
    app.server
        .get("/admin/sante")
        .await
        .assert_status(StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn admins_read_every_figure_with_its_state_in_words() {
    // The page lists the jobs this process runs: this one runs them.
    let app = spawn_app_with_workers(|_| {}).await;
    logged_in_admin(&app).await;
    let response = app.server.get("/admin/sante").await;
    response.assert_status_ok();
    assert_eq!(response.header("cache-control"), "no-store");
    let page = response.text();
    for expected in [
        "<h1>Santé du service</h1>",
        "E-mails en attente d'envoi",
        "Échecs d'envoi des dernières 24 heures",
        "Tâches de fond",
        "Envoi des e-mails",
        "(mail-outbox)",
        "Demandes en attente d'un modérateur depuis plus de 48 heures",
        "Aucune demande n'attend depuis plus de 48 heures.",
        "En attente de validation",
        "Base de données",
        "<p>Taille : ",
        "Vérification des mots de passe",
        "État : <strong class=\"badge\">ok</strong>",
        "aria-current=\"page\">Santé du service</a>",
    ] {
        assert!(page.contains(expected), "{expected} missing:\n{page}");
    }
    assert!(!page.contains("badge-priorite"), "{page}");
    assert!(
        !page.contains("Taille : inconnue"),
        "the size is read on both databases"
    );
    assert!(
        !page.contains("Que faire ?"),
        "nothing to do when all is fine"
    );
}

#[tokio::test]
async fn a_failed_email_turns_the_failures_red_with_what_to_do() {
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let app = spawn_app_with(|c| {
        c.workers = false;
        c.mail.smtp_url = Some(format!("smtp://127.0.0.1:{closed_port}").parse().unwrap());
        c.mail.max_attempts = 1;
    })
    .await;
    logged_in_admin(&app).await;
    let page = app.server.get("/admin/sante").await.text();
    assert!(!page.contains("entraide mail retry"), "no advice yet");

    let email = TestEmail {
        requested_at: "lundi 23 novembre à 9 h".into(),
    };
    mail::send_later(&app.db, &app.config, "a@example.org", &email, "sante-echec")
        .await
        .unwrap();
    OutboxWorker::new(
        app.db.clone(),
        Transport::from_config(&app.config.mail).unwrap(),
        app.config.mail.clone(),
    )
    .drain()
    .await
    .unwrap();

    let page = app.server.get("/admin/sante").await.text();
    let failures = page
        .split("Échecs d'envoi des dernières 24 heures")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap();
    assert!(
        failures.contains("État : <strong class=\"badge badge-priorite\">à traiter</strong>"),
        "{failures}"
    );
    assert!(failures.contains("E-mails : 1 message écrit ces dernières 24 heures et abandonné"));
    assert!(failures.contains("Que faire ?"));
    assert!(failures.contains("<code>SMTP_URL</code>"));
    assert!(failures.contains("<code>entraide mail status</code>"));
    assert!(failures.contains("<code>entraide mail retry</code>"));
    assert!(failures.contains("href=\"/admin/emails\""));
    assert!(!page.contains("a@example.org"), "no address on the page");
}

#[tokio::test]
async fn requests_waiting_for_a_moderator_over_48_hours_are_counted_per_organisation() {
    let app = spawn_app_with(|c| c.workers = false).await;
    add_organisation(&app, "Entraide Marne", "51", false).await;
    request_in_reims(&app).await;

    let now = Utc::now();
    let today = figures::read(&app.db, now).await.unwrap();
    assert!(today.awaiting_moderation.is_empty());
    assert_eq!(
        today.requests_in(entraide::requests::RequestStatus::Nouvelle),
        1
    );

    let later = figures::read(&app.db, now + chrono::Duration::hours(47))
        .await
        .unwrap();
    assert!(later.awaiting_moderation.is_empty(), "47 hours is not late");

    let late = figures::read(&app.db, now + chrono::Duration::hours(49))
        .await
        .unwrap();
    assert_eq!(
        late.awaiting_moderation,
        vec![OrganisationWait {
            organisation: Some("Entraide Marne".to_owned()),
            count: 1,
        }]
    );
    assert_eq!(late.overdue_moderation(), 1);
}

#[tokio::test]
async fn the_oldest_waiting_email_and_the_failures_are_read_as_of_the_clock() {
    let app = spawn_app_with(|c| c.workers = false).await;
    request_in_reims(&app).await;
    let now = Utc::now();
    let figures = figures::read(&app.db, now + chrono::Duration::minutes(90))
        .await
        .unwrap();
    let email = &figures.outbox[0];
    assert_eq!(email.channel, "email");
    assert_eq!(email.count(entity::states::OutboxStatus::Pending), 1);
    let age = email.oldest_pending_age_seconds(figures.at);
    assert!((5390..=5410).contains(&age), "{age}");
    assert_eq!(
        entraide::ops::health::outbox_backlog(email, figures.at),
        entraide::ops::health::Level::Act
    );
}
