//! The volunteer's side of issue 20: safe in-person help (an organisation that wants vetted
//! volunteers in homes proposes remote help only to the others, and says so everywhere they
//! look), a desk ("Mon espace"), answers that end their part behind a confirmation, proposals
//! that say what, where, in which language and for whom, a "Je ne peux pas" that tells the truth
//! and whose reason the moderators read, and a sign-up that keeps the password while a commune
//! is chosen.

use axum::http::StatusCode;
use chrono::Utc;
use entity::states::{EventKind, RequestStatus};
use entity::{help_request, organisation, proposal, request_event, volunteer_profile};
use entraide::matching::rounds::RoundOutcome;
use entraide::reference::{CategorySet, ModeSet};
use entraide::requests::intake::NewRequest;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::accounts::{
    PASSWORD, account_of, log_in, logged_in_volunteer, sign_up, signup_form, with,
};
use crate::fixtures::PARIS_16;
use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;
use crate::staff::{add_organisation, logged_in_moderator};

/// What a page says, with the few entities askama writes turned back into characters.
fn readable(html: &str) -> String {
    html.replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// How Josette's request (Paris 16e, where the sign-up form's volunteers live) is asked.
struct Ask {
    modes: &'static [&'static str],
    categories: &'static [&'static str],
    langue: Option<&'static str>,
    prenom_proche: Option<&'static str>,
}

impl Default for Ask {
    fn default() -> Self {
        Self {
            modes: &["telephone", "presentiel"],
            categories: &["email"],
            langue: None,
            prenom_proche: None,
        }
    }
}

/// Files Josette's request and opens it for matching; returns it as stored.
async fn josette_asks(app: &TestApp, ask: Ask) -> help_request::Model {
    let new = NewRequest {
        categories: CategorySet::from_slugs(ask.categories).unwrap(),
        description: Some("Ouvrir les photos que ma fille m'envoie".into()),
        modes: ModeSet::from_slugs(ask.modes).unwrap(),
        langue: ask.langue.map(str::to_owned),
        prenom_proche: ask.prenom_proche.map(str::to_owned),
        ..kit::new_request(PARIS_16)
    };
    let request = kit::file(app, &new).await.request;
    let outcome = kit::open(app, &request).await;
    assert!(matches!(outcome, RoundOutcome::Proposed(_)), "{outcome:?}");
    kit::request(app, request.id).await
}

/// The Paris organisation, which wants in-person help from vetted volunteers only.
async fn paris_requiring_vetting(app: &TestApp) -> organisation::Model {
    let paris = add_organisation(app, "Entraide Numérique Paris", "75", false).await;
    let mut active = paris.into_active_model();
    active.vetting_required = Set(true);
    active.update(&app.db).await.unwrap()
}

async fn vet(app: &TestApp, email: &str) {
    let account = account_of(app, email).await.unwrap();
    let mut profile = kit::volunteer_profile(app, account.id)
        .await
        .into_active_model();
    profile.vetted_at = Set(Some(Utc::now()));
    volunteer_profile::ActiveModel::update(profile, &app.db)
        .await
        .unwrap();
}

async fn proposal_for(app: &TestApp, request_id: i64, email: &str) -> proposal::Model {
    let volunteer = account_of(app, email).await.unwrap();
    proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request_id))
        .filter(proposal::Column::VolunteerId.eq(volunteer.id))
        .order_by_desc(proposal::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal for this volunteer")
}

const REMOTE_ONLY: &str = "Vous pouvez aider Josette par téléphone. L'aide chez la personne demande d'avoir été rencontré par l'association.";

#[tokio::test]
async fn an_unvetted_volunteer_is_proposed_remote_help_only_and_told_so_on_every_page_and_email() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    let paris = paris_requiring_vetting(&app).await;
    logged_in_volunteer(&app, "karim@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    assert_eq!(request.organisation_id, Some(paris.id));
    let p = proposal_for(&app, request.id, "karim@example.org").await;

    let proposed = app
        .mailbox
        .delivered("karim@example.org", |e| {
            e.subject.contains("pouvez-vous aider")
        })
        .await;
    let html = readable(&proposed.html)
        .replace("<strong>", "")
        .replace("</strong>", "");
    for body in [&proposed.text, &html] {
        assert!(body.contains(REMOTE_ONLY), "{body}");
        assert!(body.contains("Comment aider : par téléphone"), "{body}");
        assert!(!body.contains("en personne"), "{body}");
    }

    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    assert!(page.contains(REMOTE_ONLY));
    assert!(!page.contains("en personne"));
    let listed = readable(&app.server.get("/benevole/propositions").await.text());
    assert!(listed.contains(REMOTE_ONLY));

    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let contact = app
        .mailbox
        .delivered("karim@example.org", |e| e.subject.contains("coordonnées"))
        .await;
    assert!(contact.text.contains(REMOTE_ONLY), "{}", contact.text);
    assert!(readable(&contact.html).contains(REMOTE_ONLY));
    assert!(!contact.text.contains("en personne"));
    for path in ["/benevole/demandes", "/benevole/espace"] {
        let page = readable(&app.server.get(path).await.text());
        assert!(page.contains(REMOTE_ONLY), "{path}");
        assert!(!page.contains("en personne"), "{path}");
    }
}

#[tokio::test]
async fn a_vetted_volunteer_or_an_organisation_without_the_rule_keeps_in_person_help() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    paris_requiring_vetting(&app).await;
    logged_in_volunteer(&app, "karim@example.org").await;
    vet(&app, "karim@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, request.id, "karim@example.org").await;
    let proposed = app
        .mailbox
        .delivered("karim@example.org", |e| {
            e.subject.contains("pouvez-vous aider")
        })
        .await;
    assert!(proposed.text.contains("par téléphone, en personne"));
    assert!(!proposed.text.contains("rencontré par l'association"));
    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    assert!(page.contains("par téléphone, en personne"));
    assert!(!page.contains("rencontré par l'association"));

    // Without an organisation wanting vetted volunteers, nobody needs to be.
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    assert!(page.contains("par téléphone, en personne"));
    assert!(!page.contains("rencontré par l'association"));
}

#[tokio::test]
async fn an_unvetted_volunteer_is_not_proposed_a_request_for_in_person_help_only() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    paris_requiring_vetting(&app).await;
    logged_in_volunteer(&app, "karim@example.org").await;
    let new = NewRequest {
        categories: CategorySet::from_slugs(&["email"]).unwrap(),
        description: None,
        modes: ModeSet::from_slugs(&["presentiel"]).unwrap(),
        email: None,
        ..kit::new_request(PARIS_16)
    };
    let request = kit::file(&app, &new).await.request;
    let outcome = kit::open(&app, &request).await;
    assert_eq!(outcome, RoundOutcome::NoVolunteer);
    assert!(kit::proposals_of(&app, request.id).await.is_empty());
}

#[tokio::test]
async fn my_space_shows_the_people_i_help_the_requests_proposed_and_my_profile() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let first = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, first.id, "marie@example.org").await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let second = josette_asks(&app, Ask::default()).await;
    let waiting = proposal_for(&app, second.id, "marie@example.org").await;

    let home = readable(&app.server.get("/").await.text());
    assert!(home.contains(r#"<a href="/benevole/espace">Mon espace</a>"#));
    let desk = app.server.get("/benevole/espace").await;
    desk.assert_status_ok();
    assert_eq!(desk.header("cache-control"), "no-store");
    let desk = readable(&desk.text());
    assert!(desk.contains("Les personnes que j'aide (1)"), "{desk}");
    assert!(desk.contains("Demandes proposées (1)"));
    assert!(desk.contains(r#"href="/benevole/profil""#));
    assert!(desk.contains("Mon profil"));
    assert!(
        desk.contains(
            r#"<a class="lien-appel" href="tel:+33145000000">Appeler Josette au 01 45 00 00 00</a>"#
        ),
        "{desk}"
    );
    assert!(desk.contains(&format!("/benevole/propositions/{}", waiting.id)));

    let contact = app
        .mailbox
        .delivered("marie@example.org", |e| e.subject.contains("coordonnées"))
        .await;
    assert!(contact.html.contains(r#"href="tel:+33145000000""#));
    assert!(contact.html.contains("Appeler Josette au 01 45 00 00 00"));

    // Somebody else's desk shows none of it.
    app.server.post("/deconnexion").await;
    logged_in_volunteer(&app, "curieux@example.org").await;
    let other = readable(&app.server.get("/benevole/espace").await.text());
    assert!(other.contains("Les personnes que j'aide (0)"));
    assert!(!other.contains("01 45 00 00 00"));
}

#[tokio::test]
async fn solving_and_giving_back_ask_for_a_confirmation_first() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await;

    // The held page links to the confirmations: no single tap closes anything.
    let held = readable(&app.server.get("/benevole/demandes").await.text());
    let solved = format!("/benevole/demandes/{}/resolue", request.id);
    let give_back = format!("/benevole/demandes/{}/rendre", request.id);
    assert!(held.contains(&format!(r#"href="{solved}""#)));
    assert!(held.contains(&format!(r#"href="{give_back}""#)));
    assert!(!held.contains(&format!(r#"action="{solved}""#)));
    assert!(!held.contains(&format!(r#"action="{give_back}""#)));

    let confirm = app.server.get(&solved).await;
    confirm.assert_status_ok();
    let confirm = readable(&confirm.text());
    assert!(confirm.contains("Le problème de Josette est-il résolu ?"));
    assert!(confirm.contains(&format!(r#"action="{solved}""#)));
    assert!(confirm.contains("Oui, c'est résolu"));
    let confirm = readable(&app.server.get(&give_back).await.text());
    assert!(confirm.contains("Vous ne pouvez plus aider Josette ?"));
    assert!(confirm.contains(&format!(r#"action="{give_back}""#)));
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::PriseEnCharge,
        "looking changes nothing"
    );

    // Only the volunteer holding the request gets its confirmation pages.
    app.server.post("/deconnexion").await;
    logged_in_volunteer(&app, "curieux@example.org").await;
    app.server
        .get(&solved)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .get(&give_back)
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server.post("/deconnexion").await;
    log_in(&app, "marie@example.org", PASSWORD).await;

    app.server
        .post(&solved)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::Resolue
    );
    app.server
        .get(&solved)
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_proposal_says_who_what_where_in_which_language_and_for_whom() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(
        &app,
        Ask {
            modes: &["telephone"],
            categories: &["proches", "email"],
            langue: Some("en"),
            prenom_proche: None,
        },
    )
    .await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let distance = format!("{:.0}", p.distance_km.max(1.0));
    let proposed = app
        .mailbox
        .delivered("marie@example.org", |e| {
            e.subject.contains("pouvez-vous aider")
        })
        .await;
    assert_eq!(
        proposed.subject,
        format!(
            "Josette, Paris 16e ({distance} km) : ses e-mails et appels vidéo avec ses proches — pouvez-vous aider ?"
        )
    );
    assert!(proposed.text.contains("Langue : anglais"));
    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    assert!(page.contains("<dt>Langue</dt><dd>anglais</dd>"), "{page}");
    assert!(!page.contains("Pour un proche"));

    // Asked by Sandrine for her mother Josette.
    let request = josette_asks(
        &app,
        Ask {
            modes: &["telephone"],
            categories: &["email"],
            langue: None,
            prenom_proche: Some("Mauricette"),
        },
    )
    .await;
    assert!(request.pour_un_proche);
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    assert!(page.contains("<h1>Mauricette a besoin d'aide</h1>"));
    assert!(
        page.contains("<dt>Pour un proche</dt><dd>Demande faite par Josette pour Mauricette</dd>")
    );
    assert!(page.contains("<dt>Langue</dt><dd>français</dd>"));
    let proposed = app
        .mailbox
        .delivered("marie@example.org", |e| {
            e.subject.starts_with("Mauricette,")
        })
        .await;
    // Who asked for whom, in the words of the relative's request (one line, not two).
    assert!(
        proposed
            .text
            .contains("Demande faite pour Mauricette par Josette"),
        "{}",
        proposed.text
    );
}

/// The flash the proposals list shows after an answer.
async fn flash_after_declining(app: &TestApp, proposal_id: i64, reason: Option<&str>) -> String {
    let path = format!("/benevole/propositions/{proposal_id}/refuser");
    let response = match reason {
        Some(reason) => app.server.post(&path).form(&[("raison", reason)]).await,
        None => app.server.post(&path).await,
    };
    response.assert_status(StatusCode::SEE_OTHER);
    readable(&app.server.get("/benevole/propositions").await.text())
}

#[tokio::test]
async fn after_je_ne_peux_pas_the_message_is_true_and_the_reason_reaches_the_moderators() {
    let app = spawn_app_with(|c| {
        c.matching.proposals_per_round = 1;
        c.matching.max_rounds = 3;
    })
    .await;
    let paris = add_organisation(&app, "Entraide Numérique Paris", "75", false).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let page = readable(
        &app.server
            .get(&format!("/benevole/propositions/{}", p.id))
            .await
            .text(),
    );
    for reason in ["pas_disponible", "pas_mon_domaine", "trop_loin"] {
        assert!(page.contains(&format!(r#"name="raison" value="{reason}""#)));
    }

    // Nobody else to ask: no promise of another volunteer.
    let flash = flash_after_declining(&app, p.id, Some("trop_loin")).await;
    assert!(!flash.contains("Nous proposons la demande à un autre bénévole"));
    assert!(flash.contains("Nous n'avons pas d'autre bénévole à qui la proposer pour l'instant"));
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    let declined: Vec<request_event::Model> = request_event::Entity::find()
        .filter(request_event::Column::RequestId.eq(request.id))
        .filter(request_event::Column::Kind.eq(EventKind::Declined.slug()))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(declined.len(), 1);
    assert_eq!(
        declined[0].details.as_deref(),
        Some("Marie ne peut pas aider : trop loin")
    );

    // Someone else to ask: then it is said.
    app.server.post("/deconnexion").await;
    logged_in_volunteer(&app, "bernard@example.org").await;
    app.server.post("/deconnexion").await;
    log_in(&app, "marie@example.org", PASSWORD).await;
    let second = josette_asks(&app, Ask::default()).await;
    let first_asked = kit::proposals_of(&app, second.id).await;
    let mine = proposal_for(&app, second.id, "marie@example.org").await;
    assert_eq!(
        first_asked.iter().map(|p| p.id).collect::<Vec<_>>(),
        [mine.id],
        "same place, same record: the older account is asked first"
    );
    let flash = flash_after_declining(&app, mine.id, None).await;
    assert!(
        flash.contains("Nous proposons la demande à un autre bénévole"),
        "{flash}"
    );
    assert!(
        proposal_for(&app, second.id, "bernard@example.org")
            .await
            .status
            .slug()
            == "en_attente"
    );

    // The moderators read the answers on the timeline; the person does not.
    app.server.post("/deconnexion").await;
    logged_in_moderator(&app, paris.id).await;
    let timeline = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}", request.id))
            .await
            .text(),
    );
    assert!(
        timeline.contains("Un bénévole ne peut pas aider"),
        "{timeline}"
    );
    assert!(timeline.contains("Marie ne peut pas aider : trop loin"));
    let timeline = readable(
        &app.server
            .get(&format!("/moderation/demandes/{}", second.id))
            .await
            .text(),
    );
    assert!(
        !timeline.contains("Un bénévole ne peut pas aider"),
        "without a reason, the proposal's state says it all"
    );
    let citizen = entraide::requests::follow::timeline(&app.db, request.id)
        .await
        .unwrap();
    assert!(citizen.iter().all(|e| e.kind != EventKind::Declined));
}

#[tokio::test]
async fn when_others_were_asked_at_the_same_time_the_message_says_so() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 2).await;
    logged_in_volunteer(&app, "bernard@example.org").await;
    app.server.post("/deconnexion").await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    assert_eq!(kit::proposals_of(&app, request.id).await.len(), 2);
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    let flash = flash_after_declining(&app, p.id, Some("pas_disponible")).await;
    assert!(flash.contains("D'autres bénévoles ont reçu cette demande en même temps que vous"));
    assert!(!flash.contains("Nous proposons la demande à un autre bénévole"));
}

#[tokio::test]
async fn a_sign_up_asked_to_choose_a_commune_keeps_the_typed_password() {
    let app = spawn_app_with(|_| {}).await;
    // 51300 is the postcode of several communes: the form asks which one.
    let form = with(signup_form("marie@example.org"), "commune", Some("51300"));
    let response = sign_up(&app, &form).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(response.header("cache-control"), "no-store");
    let html = readable(&response.text());
    assert!(html.contains("Choisissez votre commune dans la liste."));
    assert!(html.contains(r#"name="commune_insee""#));
    assert_eq!(
        html.matches(&format!(r#"value="{PASSWORD}""#)).count(),
        2,
        "both password fields keep what was typed"
    );

    // A refused password is never sent back.
    let form = with(form, "password_confirm", Some("un autre mot de passe"));
    let html = sign_up(&app, &form).await.text();
    assert!(!html.contains(PASSWORD));
}

#[tokio::test]
async fn giving_back_says_truly_what_happens_next() {
    let app = spawn_app_with(|c| c.matching.proposals_per_round = 1).await;
    logged_in_volunteer(&app, "marie@example.org").await;
    let request = josette_asks(&app, Ask::default()).await;
    let p = proposal_for(&app, request.id, "marie@example.org").await;
    app.server
        .post(&format!("/benevole/propositions/{}/accepter", p.id))
        .await;
    app.server
        .post(&format!("/benevole/demandes/{}/rendre", request.id))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        kit::request(&app, request.id).await.status,
        RequestStatus::SansBenevole
    );
    let page = readable(&app.server.get("/benevole/demandes").await.text());
    assert!(page.contains("Nous n'avons pas d'autre bénévole pour cette personne en ce moment"));
    assert!(!page.contains("Nous cherchons un autre bénévole"));
}
