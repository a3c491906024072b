//! Issue 15, points 5 and 7f: the outbox keeps no working link once an e-mail is sent (or failed),
//! retrying a failed e-mail still delivers working links, sent e-mails are deleted after
//! OUTBOX_KEEP_DAYS, and delivery errors are stored and logged without the recipient's address.

mod failures;
mod upkeep;

use axum::http::StatusCode;
use entity::{help_request, outbox_email, proposal};
use entraide::config::MailConfig;
use entraide::mail::transport::Transport;
use entraide::mail::worker::OutboxWorker;
use entraide::mail::{self, TestEmail, outbox, outcome};
use entraide::matching::rounds;
use entraide::requests::Actor;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::accounts::{PASSWORD, account_of, log_in, sign_up, signup_form, verified_volunteer};
use crate::admin::log_out;
use crate::helpers::{TestApp, spawn_app_with};
use crate::mailbox::ReceivedEmail;
use crate::staff::{add_organisation, logged_in_admin};

/// The pages a link token opens.
const TOKEN_ROUTES: [&str; 5] = [
    "/verifier-email/",
    "/mot-de-passe/",
    "/invitation/",
    "/suivi/",
    "/avis/",
];

fn worker(app: &TestApp, mail: MailConfig) -> OutboxWorker {
    OutboxWorker::new(app.db.clone(), Transport::from_config(&mail).unwrap(), mail)
}

/// Sends every due e-mail, and checks they all went.
async fn send_all(app: &TestApp) -> Vec<outbox_email::Model> {
    app.drain_outbox().await;
    let rows = rows(app).await;
    assert!(
        rows.iter().all(|r| r.status == outbox::SENT),
        "not all e-mails were sent: {rows:?}"
    );
    rows
}

async fn rows(app: &TestApp) -> Vec<outbox_email::Model> {
    outbox_email::Entity::find().all(&app.db).await.unwrap()
}

/// The one e-mail to Josette, the citizen.
async fn josettes_email(app: &TestApp) -> outbox_email::Model {
    let mut rows = outbox_email::Entity::find()
        .filter(outbox_email::Column::Recipient.eq("josette@exemple.fr"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    rows.remove(0)
}

/// The runs of 32 or more hexadecimal characters in `text`.
fn hex_runs(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_hexdigit())
        .filter(|run| run.len() >= 32)
        .map(str::to_owned)
        .collect()
}

/// The paths of the links to the site holding a token in an e-mail's text.
fn token_links(email: &ReceivedEmail) -> Vec<String> {
    email
        .text
        .split_whitespace()
        .filter_map(|word| word.strip_prefix("http://localhost:3000"))
        .filter(|path| !hex_runs(path).is_empty())
        .map(str::to_owned)
        .collect()
}

/// Asserts that none of the values a stored row holds opens a page when used as a link token.
async fn assert_no_token_opens_a_page(app: &TestApp, row: &outbox_email::Model) {
    let stored = format!("{row:?}");
    let candidates = stored
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|word| word.len() >= 20);
    for candidate in candidates {
        for route in TOKEN_ROUTES {
            let response = app.server.get(&format!("{route}{candidate}")).await;
            assert!(
                response.status_code().is_client_error(),
                "{route}{candidate}, stored in e-mail {} ({}), opens a page: {}",
                row.id,
                row.kind,
                response.status_code()
            );
        }
    }
}

/// A citizen's request in Paris 16e by telephone about e-mail, which the sign-up form's volunteers
/// fit; returns its follow-up path.
async fn citizen_request(app: &TestApp) -> String {
    let page = app.server.get("/demande").await.text();
    let marker = r#"name="debut" value=""#;
    let start = page.find(marker).expect("a time stamp") + marker.len();
    let stamp = page[start..].split('"').next().unwrap().to_owned();
    let form = [
        ("categories", "email"),
        ("description", "Ouvrir les photos que ma fille m'envoie"),
        ("modes", "telephone"),
        ("commune", "75016"),
        ("prenom", "Josette"),
        ("email", "josette@exemple.fr"),
        ("telephone", "01 45 00 00 00"),
        ("langue", ""),
        ("consentement", "oui"),
        ("site_web", ""),
        ("debut", &stamp),
    ];
    let response = app.server.post("/demande").form(&form).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let location = response.header("location").to_str().unwrap().to_owned();
    location.trim_end_matches("?bienvenue=1").to_owned()
}

#[tokio::test]
async fn once_sent_the_outbox_holds_no_link_that_opens_a_page() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    // A verified volunteer who forgets their password, and one who has not confirmed yet.
    verified_volunteer(&app, "paul@exemple.fr").await;
    sign_up(&app, &signup_form("marie@exemple.fr"))
        .await
        .assert_status_ok();
    app.server
        .post("/mot-de-passe-oublie")
        .form(&[("email", "paul@exemple.fr")])
        .await
        .assert_status_ok();
    // An admin invites a moderator.
    let organisation = add_organisation(&app, "Marne Solidaire", "51", false).await;
    logged_in_admin(&app).await;
    app.server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie"),
            ("email", "julie@exemple.fr"),
            ("organisation", &organisation.id.to_string()),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_out(&app).await;
    // A citizen asks for help; the request is proposed to Paul, who takes it; the citizen says
    // it is solved and is asked for an opinion.
    let follow = citizen_request(&app).await;
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    rounds::open_request(&app.db, &app.config, &request, Actor::Admin, None)
        .await
        .unwrap();
    let paul = account_of(&app, "paul@exemple.fr").await.unwrap();
    let offer = proposal::Entity::find()
        .filter(proposal::Column::VolunteerId.eq(paul.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal to Paul");
    log_in(&app, "paul@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", offer.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    log_out(&app).await;
    app.server
        .post(&format!("{follow}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);

    let stored = send_all(&app).await;
    let delivered = app.mailbox.all();
    let link = |to: &str, route: &str| {
        delivered
            .iter()
            .filter(|e| e.to == to)
            .flat_map(token_links)
            // The page the token opens itself (not an action under it, such as "pas-regle").
            .find(|path| {
                path.strip_prefix(route)
                    .is_some_and(|token| token.chars().all(|c| c.is_ascii_hexdigit()))
            })
            .unwrap_or_else(|| panic!("a {route} link delivered to {to}"))
    };
    let links = [
        link("marie@exemple.fr", "/verifier-email/"),
        link("paul@exemple.fr", "/mot-de-passe/"),
        link("julie@exemple.fr", "/invitation/"),
        link("josette@exemple.fr", "/suivi/"),
        link("josette@exemple.fr", "/avis/"),
    ];
    assert!(
        delivered.iter().any(|e| e.to == "paul@exemple.fr"
            && e.text
                .contains(&format!("/benevole/propositions/{}", offer.id))),
        "the proposal reached Paul"
    );

    // Every delivered token is missing from every column of every row, and nothing stored opens
    // a page; sent rows keep no sealed secrets, only placeholders.
    let tokens: Vec<String> = delivered
        .iter()
        .flat_map(|e| hex_runs(&format!("{} {}", e.text, e.html)))
        .collect();
    assert!(tokens.len() >= links.len());
    for row in &stored {
        let all = format!("{row:?}");
        for token in &tokens {
            assert!(!all.contains(token.as_str()), "a token stays in {all}");
        }
        assert_eq!(row.link_secrets, None, "{}", row.kind);
        assert_no_token_opens_a_page(&app, row).await;
    }
    let reset = stored.iter().find(|r| r.kind == "reset_password").unwrap();
    assert!(reset.body_text.contains("/mot-de-passe/[lien retiré "));
    assert!(reset.body_html.contains("/mot-de-passe/[lien retiré "));
    assert_eq!(reset.recipient, "paul@exemple.fr");

    // The delivered links work (the confirmation, used up on opening, last).
    for path in &links[1..] {
        app.server.get(path).await.assert_status_ok();
    }
    let confirmed = app.server.get(&links[0]).await;
    confirmed.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(confirmed.header("location"), "/connexion");
}
