//! Issue 16, points 5 and 6: le mot de confiance — drawn when a volunteer takes a request, shown
//! to both sides (follow-up page and « … va vous aider » e-mail; the volunteer's desk and the
//! confirmation e-mail), new with each volunteer, erased with the request's personal data — and
//! the feedback's safety question, whose « oui » alerts the organisation's moderators at once.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use entity::{feedback, help_request, organisation, proposal};
use entraide::requests::intake::NewRequest;
use entraide::trust_words;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::accounts::{
    PASSWORD, account_of, log_in, logged_in_volunteer, sign_up, signup_form, verification_link,
    with,
};
use crate::fixtures::PARIS_16;
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::staff::{add_membership, add_organisation, add_staff, logged_in_moderator};

const CITIZEN: &str = "josette@example.org";
const NEVER_ASKS: &str =
    "Un bénévole ne vous demandera jamais d'argent, de mot de passe ni de code bancaire.";
const SAFETY_SUBJECT: &str = "Signalement";

/// What a page says, with the entities askama writes turned back into characters.
fn readable(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&nbsp;", " ")
        .replace('\u{a0}', " ")
}

/// Josette's request in Paris 16e, where the sign-up form's volunteers live, opened for matching;
/// with the secret of its follow-up link.
async fn josette_asks(app: &TestApp) -> (help_request::Model, String) {
    let new = NewRequest {
        modes: entraide::reference::ModeSet::from_slugs(&["telephone"]).unwrap(),
        categories: entraide::reference::CategorySet::from_slugs(&["email"]).unwrap(),
        ..kit::new_request(PARIS_16)
    };
    let created = kit::file(app, &new).await;
    kit::open(app, &created.request).await;
    (created.request, created.follow_secret)
}

/// The latest proposal of `request_id` to the volunteer signed up as `email`.
async fn proposal_for(app: &TestApp, request_id: i64, email: &str) -> proposal::Model {
    let volunteer = account_of(app, email).await.unwrap();
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .filter(proposal::Column::VolunteerId.eq(volunteer.id))
        .order_by_desc(proposal::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("a proposal for {email}"))
}

/// The volunteer logged in on the app's client accepts their proposal for `request_id`; returns
/// the trust word drawn.
async fn accepts(app: &TestApp, request_id: i64, email: &str) -> String {
    let offer = proposal_for(app, request_id, email).await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", offer.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let word = kit::request(app, request_id)
        .await
        .mot_de_confiance
        .expect("a trust word once a volunteer took the request");
    assert!(trust_words::words().contains(&word.as_str()), "{word}");
    word
}

/// The follow-up page, readable.
async fn follow_page(app: &TestApp, secret: &str) -> String {
    let page = app.server.get(&format!("/suivi/{secret}")).await;
    page.assert_status_ok();
    readable(&page.text())
}

/// Checks that the citizen reads `word`, said by `volunteer`, on the follow-up page and in the
/// « … va vous aider » e-mail.
async fn citizen_sees(app: &TestApp, secret: &str, volunteer: &str, word: &str) {
    let page = follow_page(app, secret).await;
    assert!(
        page.contains(&format!(
            "Au début de son appel, {volunteer} vous dira le mot <span class=\"sans-coupure\">« <strong class=\"mot-de-confiance-mot\">{word}</strong> »</span>. Si la personne ne connaît pas ce mot, raccrochez."
        )),
        "{page}"
    );
    assert!(page.contains(NEVER_ASKS));
    let email = app
        .mailbox
        .delivered(CITIZEN, |e| {
            e.subject.contains(&format!("{volunteer} va vous aider"))
        })
        .await;
    assert!(
        email.text.contains(&format!(
            "Au début de son appel, {volunteer} vous dira le mot « {word} ». Si la personne ne connaît pas ce mot, raccrochez. {NEVER_ASKS}"
        )),
        "{}",
        email.text
    );
    assert!(readable(&email.html).contains(&format!(">{word}</strong>")));
}

/// Checks that the volunteer signed up as `email` (logged in) reads `word` on their desk and in
/// the confirmation e-mail.
async fn volunteer_sees(app: &TestApp, email: &str, word: &str) {
    let told = format!("Dites ce mot au début de votre premier appel : « {word} ».");
    let confirmation = app
        .mailbox
        .delivered(email, |e| e.subject.contains("coordonnées"))
        .await;
    assert!(confirmation.text.contains(&told), "{}", confirmation.text);
    for path in ["/benevole/demandes", "/benevole/espace"] {
        let page = readable(&app.server.get(path).await.text());
        assert!(
            page.contains(&format!(
                "Dites ce mot au début de votre premier appel : <span class=\"sans-coupure\">« <strong class=\"mot-de-confiance-mot\">{word}</strong> »</span>."
            )),
            "{path}: {page}"
        );
    }
}

#[tokio::test]
async fn both_sides_see_the_trust_word_and_a_new_volunteer_brings_a_new_one() {
    let app = spawn_app().await;
    // Paul signs up first (not logged in), then Marie, who stays logged in.
    sign_up(
        &app,
        &with(signup_form("paul@example.org"), "prenom", Some("Paul")),
    )
    .await
    .assert_status_ok();
    let link = verification_link(&app, "paul@example.org").await;
    app.server.get(&link).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let (request, secret) = josette_asks(&app).await;
    let before = follow_page(&app, &secret).await;
    assert!(
        !before.contains("mot-de-confiance"),
        "no word before a volunteer"
    );

    let first = accepts(&app, request.id, "marie@example.org").await;
    citizen_sees(&app, &secret, "Marie", &first).await;
    volunteer_sees(&app, "marie@example.org", &first).await;

    // Marie can no longer help: Paul is asked, and takes it.
    app.server
        .post(&format!("/benevole/demandes/{}/rendre", request.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let between = follow_page(&app, &secret).await;
    assert!(!between.contains(&first), "no word while nobody holds it");
    log_in(&app, "paul@example.org", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let second = accepts(&app, request.id, "paul@example.org").await;
    assert_ne!(second, first, "a new volunteer, a new word");
    citizen_sees(&app, &secret, "Paul", &second).await;
    volunteer_sees(&app, "paul@example.org", &second).await;
    let page = follow_page(&app, &secret).await;
    assert!(!page.contains(&first), "the old word is gone from the page");
    let desk = readable(&app.server.get("/benevole/demandes").await.text());
    assert!(!desk.contains(&first), "and from the volunteer's desk");
}

#[tokio::test]
async fn the_trust_word_is_erased_with_the_personal_data() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let (request, secret) = josette_asks(&app).await;
    let word = accepts(&app, request.id, "marie@example.org").await;
    app.server
        .post(&format!("/suivi/{secret}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::request(&app, request.id).await.mot_de_confiance,
        Some(word),
        "kept while the request's data is"
    );

    let later = Utc::now() + Duration::days(i64::from(app.config.retention_days) + 1);
    app.run_due_jobs(later).await;
    let erased = kit::request(&app, request.id).await;
    assert!(erased.erased_at.is_some());
    assert_eq!(erased.mot_de_confiance, None);
}

/// The Paris organisation with two moderators (not logged in); returns it and their addresses.
async fn paris_with_moderators(app: &TestApp) -> (organisation::Model, [String; 2]) {
    let paris = add_organisation(app, "Entraide Numérique Paris", "75", false).await;
    let mut emails = Vec::new();
    for name in ["Nadia", "Yves"] {
        let moderator = add_staff(app, "moderateur", name).await;
        add_membership(app, paris.id, moderator.id).await;
        emails.push(moderator.email);
    }
    (paris, [emails[0].clone(), emails[1].clone()])
}

/// Marie took Josette's request, Josette said it is solved and answers the feedback form on her
/// follow-up page with `asked` to the safety question; returns the request.
async fn feedback_answered(app: &TestApp, asked: &str) -> help_request::Model {
    logged_in_volunteer(app, "marie@example.org").await;
    let (request, secret) = josette_asks(app).await;
    accepts(app, request.id, "marie@example.org").await;
    app.server
        .post(&format!("/suivi/{secret}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let form = readable(
        &app.server
            .get(&format!("/suivi/{secret}/avis"))
            .await
            .text(),
    );
    assert!(form.contains(
        "La personne qui vous a aidé vous a-t-elle demandé de l'argent, un mot de passe ou un code ?"
    ));
    assert!(form.contains(
        r#"<input type="radio" id="demande_argent-oui" name="demande_argent" value="oui">"#
    ));
    assert!(form.contains(
        r#"<input type="radio" id="demande_argent-non" name="demande_argent" value="non">"#
    ));
    app.server
        .post(&format!("/suivi/{secret}/avis"))
        .form(&[
            ("satisfaction", "pas_du_tout_satisfait"),
            ("regle", "non"),
            ("demande_argent", asked),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    request
}

#[tokio::test]
async fn a_oui_to_the_safety_question_alerts_the_moderators_at_once_and_marks_the_volunteer() {
    let app = spawn_app().await;
    let (paris, moderators) = paris_with_moderators(&app).await;
    let request = feedback_answered(&app, "oui").await;
    let marie = account_of(&app, "marie@example.org").await.unwrap();

    let stored = feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(request.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.asked_money_or_code, Some(true));
    assert_eq!(stored.volunteer_id, Some(marie.id));
    assert_eq!(
        app.outbox_rows("moderation_safety_report", None)
            .await
            .len(),
        2,
        "one alert to each moderator of the organisation"
    );
    for moderator in &moderators {
        let alert = app
            .mailbox
            .delivered(moderator, |e| e.subject.contains(SAFETY_SUBJECT))
            .await;
        assert!(
            alert.subject.contains(&request.reference),
            "{}",
            alert.subject
        );
        assert!(alert.text.contains("Marie Dupont"), "{}", alert.text);
        assert!(
            alert
                .text
                .contains(&format!("/moderation/benevoles/{}", marie.id))
        );
        assert!(
            alert
                .text
                .contains(&format!("/moderation/demandes/{}", request.id))
        );
        assert!(
            !alert.text.contains(CITIZEN),
            "no contact details by e-mail"
        );
    }

    // The resolved request stays in the queue under way, with its badge.
    logged_in_moderator(&app, paris.id).await;
    let queue = readable(&app.server.get("/moderation").await.text());
    assert!(queue.contains(&request.reference), "{queue}");
    assert!(
        queue.contains(
            r#"<span class="badge badge-signalement">Signalement : argent ou code demandé</span>"#
        ),
        "{queue}"
    );
    let volunteer = readable(
        &app.server
            .get(&format!("/moderation/benevoles/{}", marie.id))
            .await
            .text(),
    );
    assert!(
        volunteer.contains(r#"<span class="badge badge-signalement">Signalement</span>"#),
        "{volunteer}"
    );
    assert!(volunteer.contains(&request.reference));
    let detail = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}", request.id))
            .await
            .text(),
    );
    assert!(detail.contains("Argent, mot de passe ou code demandé"));
}

#[tokio::test]
async fn a_non_alerts_nobody() {
    let app = spawn_app().await;
    let (paris, _) = paris_with_moderators(&app).await;
    let request = feedback_answered(&app, "non").await;
    let marie = account_of(&app, "marie@example.org").await.unwrap();

    let stored = feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(request.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.asked_money_or_code, Some(false));
    assert!(
        app.outbox_rows("moderation_safety_report", None)
            .await
            .is_empty(),
        "nothing queued"
    );
    logged_in_moderator(&app, paris.id).await;
    let queue = readable(&app.server.get("/moderation?statut=toutes").await.text());
    assert!(queue.contains(&request.reference));
    assert!(!queue.contains("badge-signalement"));
    let volunteer = readable(
        &app.server
            .get(&format!("/moderation/benevoles/{}", marie.id))
            .await
            .text(),
    );
    assert!(!volunteer.contains("badge-signalement"));
}

#[tokio::test]
async fn the_safety_question_may_be_left_unanswered_but_not_answered_wrongly() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let (request, secret) = josette_asks(&app).await;
    accepts(&app, request.id, "marie@example.org").await;
    app.server
        .post(&format!("/suivi/{secret}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let path = format!("/suivi/{secret}/avis");
    let refused = app
        .server
        .post(&path)
        .form(&[
            ("satisfaction", "tres_satisfait"),
            ("regle", "oui"),
            ("demande_argent", "peut-etre"),
        ])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(readable(&refused.text()).contains("Choisissez « Oui » ou « Non »."));
    app.server
        .post(&path)
        .form(&[("satisfaction", "tres_satisfait"), ("regle", "oui")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(request.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.asked_money_or_code, None);
    assert!(
        app.outbox_rows("moderation_safety_report", None)
            .await
            .is_empty()
    );
}
