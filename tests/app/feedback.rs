//! The citizen's feedback on a resolved request: "Votre demande est résolue" whoever resolves it
//! (once, and only to an e-mail address), the form behind its link and behind the follow-up page,
//! one answer per request, what moderators see, and what retention keeps.

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use entity::{feedback, feedback_token, help_request, outbox_email, proposal};
use entraide::contact::{EmailAddress, PhoneNumber};
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds;
use entraide::reference::CategorySet;
use entraide::requests::intake::NewRequest;
use entraide::requests::{Actor, follow, retention};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use crate::accounts::{link_in, location, logged_in_volunteer};
use crate::fixtures::LYON;
use crate::fixtures::{REIMS, Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::mailbox::ReceivedEmail;
use crate::staff::{add_organisation, logged_in_moderator};

const CITIZEN: &str = "josette@example.org";
const RESOLVED_SUBJECT: &str = "Votre demande est résolue";

/// A request and the secret of its follow-up link.
struct Asked {
    request: help_request::Model,
    follow: String,
}

/// A request from Reims about administrative procedures, by telephone; `email` optional.
async fn ask(app: &TestApp, email: Option<&str>, insee: &str, category: &str) -> Asked {
    let new = NewRequest {
        categories: CategorySet::from_slugs(&[category]).unwrap(),
        commune_insee: insee.into(),
        departement: insee[..2].into(),
        latitude: REIMS.lat,
        longitude: REIMS.lon,
        email: email.map(|e| EmailAddress::parse(e).unwrap()),
        telephone: Some(PhoneNumber::parse("03 26 00 00 00").unwrap()),
        ..kit::new_request(LYON)
    };
    let created = kit::file(app, &new).await;
    Asked {
        request: created.request,
        follow: created.follow_secret,
    }
}

/// A request from Reims that Bernard, a volunteer nearby, has taken.
async fn taken(app: &TestApp, email: Option<&str>) -> Asked {
    let bernard = add_volunteer(
        app,
        Volunteer {
            prenom: "Bernard",
            ..Default::default()
        },
    )
    .await;
    let asked = ask(app, email, REIMS.insee, "demarches").await;
    rounds::open_request(&app.db, &app.config, &asked.request, Actor::Admin, None)
        .await
        .unwrap();
    accept(app, asked.request.id, bernard.id).await;
    asked
}

async fn accept(app: &TestApp, request_id: i64, volunteer_id: i64) {
    let offer = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .filter(proposal::Column::VolunteerId.eq(volunteer_id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal for this volunteer");
    let won = answers::accept(&app.db, &app.config, offer.id, volunteer_id)
        .await
        .unwrap();
    assert_eq!(won, Acceptance::Won);
}

/// A request Bernard took, then the citizen said was solved on the follow-up page.
async fn resolved(app: &TestApp, email: Option<&str>) -> Asked {
    let asked = taken(app, email).await;
    solve_on_follow_page(app, &asked).await;
    asked
}

async fn solve_on_follow_page(app: &TestApp, asked: &Asked) {
    app.server
        .post(&format!("/suivi/{}/resolue", asked.follow))
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

async fn status_of(app: &TestApp, id: i64) -> String {
    help_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .status
        .slug()
        .to_owned()
}

async fn resolved_email(app: &TestApp, to: &str) -> ReceivedEmail {
    app.mailbox
        .delivered(to, |e| e.subject.contains(RESOLVED_SUBJECT))
        .await
}

/// The "résolue" e-mails in the outbox (sent or not), to anyone.
async fn resolved_emails_queued(app: &TestApp) -> u64 {
    outbox_email::Entity::find()
        .filter(outbox_email::Column::Kind.eq("request_resolved"))
        .count(&app.db)
        .await
        .unwrap()
}

async fn stored_answer(app: &TestApp, request_id: i64) -> Option<feedback::Model> {
    feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(request_id))
        .one(&app.db)
        .await
        .unwrap()
}

fn readable(html: &str) -> String {
    html.replace("&#39;", "'").replace("&#x27;", "'")
}

const ANSWER: [(&str, &str); 3] = [
    ("satisfaction", "plutot_satisfait"),
    ("regle", "en_partie"),
    ("commentaire", "Bernard a été très patient."),
];

#[tokio::test]
async fn the_citizen_is_emailed_once_when_the_volunteer_marks_the_request_solved() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@example.org").await;
    // Paris 16e, about e-mail: what the sign-up form's volunteer offers.
    let asked = ask(&app, Some(CITIZEN), "75116", "email").await;
    rounds::open_request(&app.db, &app.config, &asked.request, Actor::Admin, None)
        .await
        .unwrap();
    let offer = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(asked.request.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", offer.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let solved = app
        .server
        .post(&format!("/benevole/demandes/{}/resolue", asked.request.id))
        .await;
    solved.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, asked.request.id).await, "resolue");

    let email = resolved_email(&app, CITIZEN).await;
    assert!(email.subject.contains(&asked.request.reference));
    for text in [&email.text, &email.html] {
        assert!(text.contains(&asked.request.reference));
        assert!(text.contains("Marie"), "the volunteer's first name");
        assert!(text.contains("Merci"));
        assert!(text.contains("/avis/"));
        assert!(text.contains("Si le problème revient"));
        assert!(text.contains(&app.config.link("/demande")));
    }
    assert!(!email.text.contains("Dupont"), "the first name only");

    // Solving again (by anyone) sends nothing more.
    app.server
        .post(&format!("/benevole/demandes/{}/resolue", asked.request.id))
        .await
        .assert_status_not_found();
    solve_on_follow_page(&app, &asked).await;
    assert_eq!(resolved_emails_queued(&app).await, 1);
}

#[tokio::test]
async fn the_citizen_is_emailed_when_a_moderator_marks_the_request_solved() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    logged_in_moderator(&app, marne.id).await;
    let asked = taken(&app, Some(CITIZEN)).await;
    app.server
        .post(&format!(
            "/moderation/demandes/{}/resolue",
            asked.request.id
        ))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(status_of(&app, asked.request.id).await, "resolue");
    let email = resolved_email(&app, CITIZEN).await;
    assert!(email.text.contains("Bernard"));
    assert!(email.text.contains("/avis/"));
    assert_eq!(resolved_emails_queued(&app).await, 1);
}

#[tokio::test]
async fn the_citizen_is_emailed_when_they_say_the_problem_is_solved() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    assert_eq!(status_of(&app, asked.request.id).await, "resolue");
    let email = resolved_email(&app, CITIZEN).await;
    assert!(email.text.contains("Bernard"));
    // Once only, even when the button is pressed twice.
    solve_on_follow_page(&app, &asked).await;
    assert_eq!(resolved_emails_queued(&app).await, 1);
    let tokens = feedback_token::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(tokens, 1);
}

#[tokio::test]
async fn a_citizen_with_a_telephone_only_gets_no_email_and_answers_on_the_follow_up_page() {
    let app = spawn_app().await;
    let asked = resolved(&app, None).await;
    assert_eq!(status_of(&app, asked.request.id).await, "resolue");
    assert_eq!(resolved_emails_queued(&app).await, 0);

    let page = app.server.get(&format!("/suivi/{}", asked.follow)).await;
    page.assert_status_ok();
    let path = format!("/suivi/{}/avis", asked.follow);
    assert!(page.text().contains(&format!("href=\"{path}\"")));
    assert!(page.text().contains("Donner mon avis"));

    let form = app.server.get(&path).await;
    form.assert_status_ok();
    assert!(form.text().contains(&format!("action=\"{path}\"")));
    let sent = app.server.post(&path).form(&ANSWER).await;
    sent.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&sent), path);
    let thanks = app.server.get(&path).await.text();
    assert!(thanks.contains("Merci pour votre avis"));
    let stored = stored_answer(&app, asked.request.id).await.unwrap();
    assert_eq!(stored.satisfaction, "plutot_satisfait");

    let page = app
        .server
        .get(&format!("/suivi/{}", asked.follow))
        .await
        .text();
    assert!(page.contains("nous avons bien reçu votre avis"));
    assert!(
        !page.contains(&format!("href=\"{path}\"")),
        "no second form"
    );
}

#[tokio::test]
async fn the_email_link_opens_the_form_and_the_answer_is_stored() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let link = link_in(&resolved_email(&app, CITIZEN).await, "/avis/");

    let form = app.server.get(&link).await;
    form.assert_status_ok();
    let form = readable(&form.text());
    assert!(form.contains("Êtes-vous satisfait(e) de l'aide reçue&nbsp;?"));
    for label in [
        "Très satisfait(e)",
        "Plutôt satisfait(e)",
        "Plutôt pas satisfait(e)",
        "Pas du tout satisfait(e)",
    ] {
        assert!(form.contains(label), "{label}");
    }
    assert!(form.contains("Le problème est-il réglé&nbsp;?"));
    assert!(form.contains("En partie"));
    assert!(form.contains("1000 caractères au plus"));
    assert!(form.contains(&format!("action=\"{link}\"")));
    assert!(form.contains(&asked.request.reference));

    let sent = app.server.post(&link).form(&ANSWER).await;
    sent.assert_status(StatusCode::SEE_OTHER);
    let thanks = app.server.get(&location(&sent)).await;
    thanks.assert_status_ok();
    assert!(thanks.text().contains("Merci pour votre avis"));
    assert!(!thanks.text().contains("<textarea"));

    let stored = stored_answer(&app, asked.request.id).await.unwrap();
    assert_eq!(stored.satisfaction, "plutot_satisfait");
    assert_eq!(stored.solved, "en_partie");
    assert_eq!(
        stored.comment.as_deref(),
        Some("Bernard a été très patient.")
    );
    let token = feedback_token::Entity::find()
        .filter(feedback_token::Column::RequestId.eq(asked.request.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(token.used_at.is_some(), "the link is used up");
    assert!(!link.contains(&token.token_hash), "only the hash is stored");
}

#[tokio::test]
async fn a_second_answer_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let link = link_in(&resolved_email(&app, CITIZEN).await, "/avis/");
    app.server
        .post(&link)
        .form(&ANSWER)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let first = stored_answer(&app, asked.request.id).await.unwrap();

    let other = [
        ("satisfaction", "pas_du_tout_satisfait"),
        ("regle", "non"),
        ("commentaire", "Finalement non."),
    ];
    let again = app.server.post(&link).form(&other).await;
    again.assert_status(StatusCode::CONFLICT);
    assert!(readable(&again.text()).contains("Nous avons déjà reçu un avis"));
    // Nor through the follow-up page.
    let again = app
        .server
        .post(&format!("/suivi/{}/avis", asked.follow))
        .form(&other)
        .await;
    again.assert_status(StatusCode::CONFLICT);
    assert!(readable(&again.text()).contains("Rien n'a été modifié"));

    assert_eq!(stored_answer(&app, asked.request.id).await.unwrap(), first);
    assert_eq!(feedback::Entity::find().count(&app.db).await.unwrap(), 1);
}

#[tokio::test]
async fn too_long_a_comment_is_refused_in_french_and_the_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let link = link_in(&resolved_email(&app, CITIZEN).await, "/avis/");
    let long = format!("Très bien. {}", "é".repeat(1000));
    let sent = app
        .server
        .post(&link)
        .form(&[
            ("satisfaction", "tres_satisfait"),
            ("regle", "oui"),
            ("commentaire", long.as_str()),
        ])
        .await;
    sent.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&sent.text());
    assert!(page.contains("Votre commentaire est trop long : 1000 caractères au plus"));
    assert!(
        page.contains("id=\"commentaire-erreur\""),
        "next to the field"
    );
    assert!(page.contains(&long), "the comment as typed");
    assert!(page.contains("value=\"tres_satisfait\" checked"));
    assert!(page.contains("value=\"oui\" checked"));
    assert!(stored_answer(&app, asked.request.id).await.is_none());

    // Nothing chosen: both questions say so.
    let empty = app.server.post(&link).form(&[("commentaire", "")]).await;
    empty.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = readable(&empty.text());
    assert!(page.contains("Choisissez une réponse : êtes-vous satisfait(e)"));
    assert!(page.contains("Choisissez une réponse : le problème est-il réglé ?"));
    assert!(stored_answer(&app, asked.request.id).await.is_none());
}

#[tokio::test]
async fn a_request_not_resolved_has_no_form() {
    let app = spawn_app().await;
    let asked = taken(&app, Some(CITIZEN)).await;
    let path = format!("/suivi/{}/avis", asked.follow);
    let page = app
        .server
        .get(&format!("/suivi/{}", asked.follow))
        .await
        .text();
    assert!(!page.contains(&path));
    let page = app.server.get(&path).await;
    page.assert_status_ok();
    let page = readable(&page.text());
    assert!(page.contains("Cette demande n'est pas encore résolue"));
    assert!(!page.contains("<textarea") && !page.contains("type=\"radio\""));
    app.server
        .post(&path)
        .form(&ANSWER)
        .await
        .assert_status(StatusCode::CONFLICT);
    assert!(stored_answer(&app, asked.request.id).await.is_none());
    assert_eq!(resolved_emails_queued(&app).await, 0);

    // Cancelled is finished, but not resolved either.
    follow::cancel(&app.db, &app.config, &asked.request)
        .await
        .unwrap();
    app.server
        .post(&path)
        .form(&ANSWER)
        .await
        .assert_status(StatusCode::CONFLICT);
    assert!(stored_answer(&app, asked.request.id).await.is_none());
}

#[tokio::test]
async fn a_wrong_token_is_a_404() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let wrong = "0".repeat(64);
    for path in [
        format!("/avis/{wrong}"),
        "/avis/pas-un-jeton".to_owned(),
        format!("/suivi/{wrong}/avis"),
        // The follow-up secret is not a feedback link.
        format!("/avis/{}", asked.follow),
    ] {
        app.server.get(&path).await.assert_status_not_found();
        app.server
            .post(&path)
            .form(&ANSWER)
            .await
            .assert_status_not_found();
    }
    assert!(stored_answer(&app, asked.request.id).await.is_none());
}

#[tokio::test]
async fn moderators_see_the_answer_on_the_request_page() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    logged_in_moderator(&app, marne.id).await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let page_path = format!("/moderation/demandes/{}", asked.request.id);
    let page = readable(&app.server.get(&page_path).await.text());
    assert!(page.contains("La personne n'a pas encore donné son avis."));

    let link = link_in(&resolved_email(&app, CITIZEN).await, "/avis/");
    app.server
        .post(&link)
        .form(&ANSWER)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let page = readable(&app.server.get(&page_path).await.text());
    assert!(page.contains("L'avis de la personne"));
    assert!(page.contains("Plutôt satisfait(e)"));
    assert!(page.contains("En partie"));
    assert!(page.contains("Bernard a été très patient."));
}

#[tokio::test]
async fn retention_erases_the_comment_and_keeps_the_ratings() {
    let app = spawn_app().await;
    let asked = resolved(&app, Some(CITIZEN)).await;
    let link = link_in(&resolved_email(&app, CITIZEN).await, "/avis/");
    app.server
        .post(&link)
        .form(&ANSWER)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    // Another resolved request whose person has not answered: its link goes too.
    let silent = resolved(&app, Some("silencieux@example.org")).await;
    let days = i64::from(app.config.retention_days);
    help_request::Entity::update_many()
        .col_expr(
            help_request::Column::ClosedAt,
            Expr::value(Utc::now() - Duration::days(days + 1)),
        )
        .exec(&app.db)
        .await
        .unwrap();

    let erased = retention::erase_expired(&app.db, Utc::now(), app.config.retention_days)
        .await
        .unwrap();
    assert_eq!(erased, 2);
    let kept = stored_answer(&app, asked.request.id).await.unwrap();
    assert_eq!(kept.comment, None, "the free text is personal data");
    assert_eq!(kept.satisfaction, "plutot_satisfait");
    assert_eq!(kept.solved, "en_partie");
    assert_eq!(
        feedback_token::Entity::find().count(&app.db).await.unwrap(),
        0,
        "no link outlives the retention period"
    );
    let unused = link_in(
        &resolved_email(&app, "silencieux@example.org").await,
        "/avis/",
    );
    app.server.get(&unused).await.assert_status_not_found();
    assert!(stored_answer(&app, silent.request.id).await.is_none());
}

#[tokio::test]
async fn the_admin_dashboard_counts_the_answers_and_the_share_of_satisfied() {
    let app = spawn_app().await;
    for (email, satisfaction) in [
        ("un@example.org", "tres_satisfait"),
        ("deux@example.org", "plutot_pas_satisfait"),
    ] {
        resolved(&app, Some(email)).await;
        let link = link_in(&resolved_email(&app, email).await, "/avis/");
        app.server
            .post(&link)
            .form(&[("satisfaction", satisfaction), ("regle", "oui")])
            .await
            .assert_status(StatusCode::SEE_OTHER);
    }
    crate::staff::logged_in_admin(&app).await;
    let page = app.server.get("/admin").await.text();
    assert!(
        page.contains("2 avis reçus : 50 % de personnes satisfaites"),
        "{page}"
    );
}
