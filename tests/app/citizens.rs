//! Issue 20, the citizens' points: a human to call, a link back in every e-mail, the way back for
//! people without e-mail, who will call and how, a request for a relative, "Ce n'est pas réglé".

use axum::http::StatusCode;
use entity::states::{ProposalStatus, RequestStatus};
use entity::{help_request, organisation, proposal};
use entraide::matching::answers::{self, Acceptance};
use entraide::matching::rounds;
use entraide::requests::Actor;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, Set};

use crate::accounts::location;
use crate::fixtures::{Volunteer, add_volunteer};
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::requests::{form_stamp, valid_form};
use crate::staff::{add_organisation, logged_in_admin, logged_in_moderator};

const JOSETTE: &str = "josette.martin@example.org";

/// `form` with `field` set to `value` (replacing what it held).
fn with(
    form: &[(&'static str, String)],
    field: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut form: Vec<_> = form.iter().filter(|(k, _)| *k != field).cloned().collect();
    form.push((field, value.to_owned()));
    form
}

/// A request from Reims (51) sent through the form; returns the follow-up secret.
async fn file(app: &TestApp, form: &[(&'static str, String)]) -> String {
    let response = app.server.post("/demande").form(form).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let location = location(&response);
    location
        .strip_prefix("/suivi/")
        .and_then(|rest| rest.strip_suffix("?bienvenue=1"))
        .expect("the follow-up page")
        .to_owned()
}

async fn reims_form(app: &TestApp) -> Vec<(&'static str, String)> {
    let stamp = form_stamp(app).await;
    with(
        &with(&valid_form(&stamp), "commune", "51100 Reims"),
        "modes",
        "telephone",
    )
}

async fn latest(app: &TestApp) -> help_request::Model {
    help_request::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .last()
        .unwrap()
}

async fn with_telephone(app: &TestApp, o: organisation::Model) -> organisation::Model {
    let mut row = o.into_active_model();
    row.telephone = Set(Some("+33145678910".into()));
    row.horaires = Set(Some("du lundi au vendredi, 9 h–17 h".into()));
    row.update(&app.db).await.unwrap()
}

/// Bernard, nearby, takes the request `id` (opened for matching first).
async fn taken_by_bernard(app: &TestApp, id: i64) -> entity::account::Model {
    let bernard = add_volunteer(
        app,
        Volunteer {
            prenom: "Bernard",
            ..Default::default()
        },
    )
    .await;
    let request = help_request::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    if request.status == RequestStatus::Nouvelle {
        rounds::open_request(&app.db, &app.config, &request, Actor::Admin, None)
            .await
            .unwrap();
    }
    let offer = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(id))
        .filter(proposal::Column::VolunteerId.eq(bernard.id))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a proposal for Bernard");
    let won = answers::accept(&app.db, &app.config, offer.id, bernard.id)
        .await
        .unwrap();
    assert_eq!(won, Acceptance::Won);
    bernard
}

/// What a person reads: `html` without its tags, entities and non-breaking spaces.
fn text_of(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in plain(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

fn plain(html: &str) -> String {
    html.replace("&nbsp;", " ")
        .replace('\u{a0}', " ")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
}

#[tokio::test]
async fn the_organisations_telephone_is_on_the_pages_and_in_every_email_with_the_follow_link() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Entraide Numérique Marne", "51", false).await;
    with_telephone(&app, marne).await;
    let token = file(&app, &reims_form(&app).await).await;
    let request = latest(&app).await;
    let call = format!(
        "Une question ? Appelez Entraide Numérique Marne au 01 45 67 89 10 (du lundi au vendredi, 9 h–17 h) et donnez votre numéro {}.",
        request.reference
    );

    let welcome = app
        .server
        .get(&format!("/suivi/{token}?bienvenue=1"))
        .await
        .text();
    assert!(text_of(&welcome).contains(&call), "{welcome}");
    assert!(welcome.contains(r#"href="tel:+33145678910""#));

    let received = app
        .mailbox
        .delivered(JOSETTE, |e| e.subject.contains(&request.reference))
        .await;
    assert!(received.text.contains(&call), "{}", received.text);
    assert!(
        received.text.contains(&format!(
            "Suivre ma demande : http://localhost:3000/suivi/{token}"
        )) || received.text.contains(&format!("/suivi/{token}")),
        "{}",
        received.text
    );
    assert!(text_of(&received.html).contains(&call));

    // A later e-mail carries the same link, read back from the sealed secret.
    taken_by_bernard(&app, request.id).await;
    let found = app
        .mailbox
        .delivered(JOSETTE, |e| e.subject.contains("Bernard va vous aider"))
        .await;
    assert!(
        found.text.contains(&format!("/suivi/{token}")),
        "{}",
        found.text
    );
    assert!(found.html.contains("Suivre ma demande"));
    assert!(found.text.contains(&call));
}

#[tokio::test]
async fn without_an_organisation_the_operators_number_is_given() {
    let app = spawn_app_with(|config| {
        config.operator_name = "Entraide France".into();
        config.operator_phone = Some("+33999999999".into());
        config.operator_hours = None;
    })
    .await;
    let token = file(&app, &reims_form(&app).await).await;
    let reference = latest(&app).await.reference;
    let page = text_of(&app.server.get(&format!("/suivi/{token}")).await.text());
    assert!(
        page.contains(&format!(
            "Une question ? Appelez Entraide France au 09 99 99 99 99 et donnez votre numéro {reference}."
        )),
        "{page}"
    );
}

#[tokio::test]
async fn the_admin_gives_an_organisation_a_telephone_and_hours() {
    let app = spawn_app().await;
    logged_in_admin(&app).await;
    let form = [
        ("nom", "Marne Solidaire"),
        ("email_contact", "contact@marne.example"),
        ("departements", "51"),
        ("telephone", "01 45 67 89 10"),
        ("horaires", "du lundi au vendredi, 9 h–17 h"),
    ];
    app.server
        .post("/admin/organisations/nouvelle")
        .form(&form)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let stored = organisation::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.telephone.as_deref(), Some("+33145678910"));
    assert_eq!(
        stored.horaires.as_deref(),
        Some("du lundi au vendredi, 9 h–17 h")
    );
    let edit = app
        .server
        .get(&format!("/admin/organisations/{}", stored.id))
        .await
        .text();
    assert!(edit.contains(r#"value="01 45 67 89 10""#), "{edit}");

    let mut bad = form.to_vec();
    bad[3] = ("telephone", "01 45");
    let refused = app
        .server
        .post("/admin/organisations/nouvelle")
        .form(&bad)
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(plain(&refused.text()).contains("n'est pas complet"));
}

#[tokio::test]
async fn telephone_only_people_are_told_there_is_nothing_to_do_and_come_back_with_their_reference()
{
    let app = spawn_app().await;
    let form = with(&reims_form(&app).await, "email", "");
    let token = file(&app, &form).await;
    let reference = latest(&app).await.reference;

    let welcome = plain(
        &app.server
            .get(&format!("/suivi/{token}?bienvenue=1"))
            .await
            .text(),
    );
    assert!(welcome.contains(
        "Vous n'avez rien à faire : l'association ou un bénévole vous appellera au <span class=\"sans-coupure\">06 12 34 56 78</span>."
    ), "{welcome}");
    assert!(welcome.contains("Imprimer cette page"));
    assert!(welcome.contains("les 4 derniers chiffres de votre téléphone"));

    app.server.get("/suivi").await.assert_status_ok();
    let typed = reference.to_lowercase().replace('-', " ");
    let back = app
        .server
        .post("/suivi")
        .form(&[("reference", typed.as_str()), ("chiffres", "5678")])
        .await;
    back.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&back), format!("/suivi/{token}"));
}

#[tokio::test]
async fn the_way_back_answers_the_same_for_an_unknown_reference_and_stops_guessing() {
    let app = spawn_app().await;
    let form = with(&reims_form(&app).await, "email", "");
    file(&app, &form).await;
    let reference = latest(&app).await.reference;

    let wrong_digits = app
        .server
        .post("/suivi")
        .form(&[("reference", reference.as_str()), ("chiffres", "0000")])
        .await;
    let unknown = app
        .server
        .post("/suivi")
        .form(&[("reference", "ENT-ZZZZZZ"), ("chiffres", "5678")])
        .await;
    assert_eq!(wrong_digits.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.status_code(), wrong_digits.status_code());
    let strip = |page: String, typed: &str| page.replace(typed, "");
    assert_eq!(
        strip(unknown.text(), "ENT-ZZZZZZ"),
        strip(wrong_digits.text(), &reference),
        "the same answer whether the reference exists or not"
    );

    // Four more failures for this reference (five in all), then even the right digits wait.
    for _ in 0..4 {
        app.server
            .post("/suivi")
            .form(&[("reference", reference.as_str()), ("chiffres", "1111")])
            .await;
    }
    let blocked = app
        .server
        .post("/suivi")
        .form(&[("reference", reference.as_str()), ("chiffres", "5678")])
        .await;
    blocked.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let stored = entity::follow_lookup::Entity::find()
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        stored.iter().all(|row| !row.reference_key.contains(&reference)
            && !row.ip_key.contains("127.0.0.1")),
        "only keyed hashes are stored"
    );
}

#[tokio::test]
async fn a_dead_follow_link_says_what_it_means_and_what_to_do() {
    let app = spawn_app().await;
    let page = app.server.get(&format!("/suivi/{}", "ab".repeat(32))).await;
    page.assert_status(StatusCode::NOT_FOUND);
    let text = plain(&page.text());
    assert!(text.contains("Ce lien de suivi ne fonctionne pas"));
    assert!(text.contains(r#"href="/suivi""#));
    assert!(!text.contains("Code de l'erreur"));
}

#[tokio::test]
async fn once_taken_the_page_says_who_will_call_how_and_never_asks_money() {
    let app = spawn_app().await;
    let token = file(&app, &reims_form(&app).await).await;
    let request = latest(&app).await;
    taken_by_bernard(&app, request.id).await;

    let page = plain(&app.server.get(&format!("/suivi/{token}")).await.text());
    assert!(page.contains("Bernard va vous appeler au <span class=\"sans-coupure\">06 12 34 56 78</span> dans les 2 jours."), "{page}");
    assert!(page.contains(&format!(
        "« Bonjour, je suis Bernard, bénévole d'Entraide, pour votre demande <span class=\"sans-coupure\">{}</span>. »",
        request.reference
    )));
    assert!(
        page.contains("ne vous demandera jamais d'argent, de mot de passe ni de code bancaire")
    );
    assert!(page.contains("<dt>En vos mots</dt>"));
    assert!(page.contains("Je n'arrive pas à télécharger mon attestation"));
    assert!(
        page.contains("<dt>Comment</dt><dd>par téléphone</dd>"),
        "{page}"
    );
    assert!(
        !page.contains("Proposée à des bénévoles"),
        "no internal steps"
    );
    assert_eq!(page.matches("Nous cherchons un bénévole").count(), 1);

    let email = app
        .mailbox
        .delivered(JOSETTE, |e| e.subject.contains("Bernard va vous aider"))
        .await;
    assert!(
        email
            .text
            .contains("Bernard va vous appeler au 06 12 34 56 78 dans les 2 jours.")
    );
    assert!(
        email
            .text
            .contains("jamais d'argent, de mot de passe ni de code bancaire")
    );
}

#[tokio::test]
async fn mon_probleme_est_resolu_asks_for_a_confirmation_first() {
    let app = spawn_app().await;
    let token = file(&app, &reims_form(&app).await).await;
    let request = latest(&app).await;
    taken_by_bernard(&app, request.id).await;

    let page = app.server.get(&format!("/suivi/{token}")).await.text();
    assert!(page.contains(&format!(r#"href="/suivi/{token}/resolue""#)));
    assert!(
        !page.contains(&format!(r#"action="/suivi/{token}/resolue""#)),
        "no one-tap form"
    );
    let confirm = app.server.get(&format!("/suivi/{token}/resolue")).await;
    confirm.assert_status_ok();
    let confirm = confirm.text();
    assert!(confirm.contains(&format!(r#"action="/suivi/{token}/resolue""#)));
    assert!(confirm.contains("Non, revenir à ma demande"));
    assert_eq!(latest(&app).await.status, RequestStatus::PriseEnCharge);

    app.server
        .post(&format!("/suivi/{token}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(latest(&app).await.status, RequestStatus::Resolue);
    // She said so herself: nothing to take back.
    let page = app.server.get(&format!("/suivi/{token}")).await.text();
    assert!(!page.contains("pas-regle"));
    app.server
        .post(&format!("/suivi/{token}/pas-regle"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(latest(&app).await.status, RequestStatus::Resolue);
}

#[tokio::test]
async fn ce_nest_pas_regle_sends_a_request_the_volunteer_solved_back_to_the_moderators() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    let nadia = logged_in_moderator(&app, marne.id).await;
    let token = file(&app, &reims_form(&app).await).await;
    let request = latest(&app).await;
    let bernard = taken_by_bernard(&app, request.id).await;
    assert!(
        answers::mark_solved_by_volunteer(&app.db, &app.config, request.id, bernard.id)
            .await
            .unwrap()
    );

    let resolved = app
        .mailbox
        .delivered(JOSETTE, |e| e.subject.contains("Votre demande est résolue"))
        .await;
    assert!(
        resolved.text.contains(&format!("/suivi/{token}/pas-regle")),
        "{}",
        resolved.text
    );
    let page = plain(&app.server.get(&format!("/suivi/{token}")).await.text());
    assert!(
        page.contains("<strong>Bernard</strong> vous a aidé(e)."),
        "{page}"
    );
    assert!(page.contains(&format!(r#"href="/suivi/{token}/pas-regle""#)));
    let confirm = app
        .server
        .get(&format!("/suivi/{token}/pas-regle"))
        .await
        .text();
    assert!(confirm.contains("Bernard a indiqué"));
    assert_eq!(
        latest(&app).await.status,
        RequestStatus::Resolue,
        "a page view changes nothing"
    );

    app.server
        .post(&format!("/suivi/{token}/pas-regle"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let reopened = latest(&app).await;
    assert_eq!(reopened.status, RequestStatus::SansBenevole);
    assert_eq!(reopened.volunteer_id, None);
    assert_eq!(reopened.closed_at, None);
    let held = proposal::Entity::find()
        .filter(proposal::Column::RequestId.eq(request.id))
        .filter(proposal::Column::VolunteerId.eq(bernard.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(held.status, ProposalStatus::Declined);
    let alerts = app
        .outbox_rows("moderation_no_volunteer", Some(&nadia.email))
        .await;
    assert_eq!(alerts.len(), 1);
    assert!(
        alerts[0].subject.starts_with("Pas réglé"),
        "{}",
        alerts[0].subject
    );
    let page = plain(&app.server.get(&format!("/suivi/{token}")).await.text());
    assert!(page.contains("Vous avez signalé que le problème n'est pas réglé"));
    assert!(!page.contains(&format!(r#"href="/suivi/{token}/pas-regle""#)));
}

#[tokio::test]
async fn a_request_for_a_relative_says_who_asked_and_whom_to_call() {
    let app = spawn_app().await;
    let mut form = reims_form(&app).await;
    for (field, value) in [
        ("pour_un_proche", "oui"),
        ("prenom", "Sandrine"),
        ("prenom_proche", "Josette"),
        ("lien_proche", "fille"),
        ("telephone_proche", "03 26 11 22 33"),
        ("qui_appeler", "moi"),
    ] {
        form = with(&form, field, value);
    }
    file(&app, &form).await;
    let request = latest(&app).await;
    assert!(request.pour_un_proche);
    assert_eq!(request.prenom_proche.as_deref(), Some("Josette"));
    assert_eq!(request.lien_proche.as_deref(), Some("fille"));
    assert_eq!(request.telephone_proche.as_deref(), Some("+33326112233"));
    assert!(!request.contacter_proche);

    let bernard = taken_by_bernard(&app, request.id).await;
    let said = "Demande faite par sa fille Sandrine, qui sera votre contact";
    let proposal = &app.outbox_rows("proposal", Some(&bernard.email)).await[0];
    assert!(proposal.body_text.contains(said), "{}", proposal.body_text);
    let confirmed = &app
        .outbox_rows("proposal_confirmed", Some(&bernard.email))
        .await[0];
    assert!(
        confirmed.body_text.contains(said),
        "{}",
        confirmed.body_text
    );
    assert!(
        confirmed
            .body_text
            .contains("Téléphone de Josette : 03 26 11 22 33")
    );
    assert!(!confirmed.body_text.contains("aidée"), "no guessed gender");
}

#[tokio::test]
async fn the_volunteer_may_call_the_relative_if_the_form_gives_their_number() {
    let app = spawn_app().await;
    let mut form = reims_form(&app).await;
    for (field, value) in [
        ("pour_un_proche", "oui"),
        ("prenom", "Sandrine"),
        ("prenom_proche", "Josette"),
        ("qui_appeler", "proche"),
    ] {
        form = with(&form, field, value);
    }
    let refused = app.server.post("/demande").form(&form).await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text();
    assert!(page.contains("indiquez son numéro de téléphone"));
    assert!(
        page.contains(r#"value="Josette""#),
        "the form keeps what was typed"
    );

    file(&app, &with(&form, "telephone_proche", "03 26 11 22 33")).await;
    let request = latest(&app).await;
    assert!(request.contacter_proche);
    let bernard = taken_by_bernard(&app, request.id).await;
    let confirmed = &app
        .outbox_rows("proposal_confirmed", Some(&bernard.email))
        .await[0];
    assert!(
        confirmed
            .body_text
            .contains("Demande faite pour Josette par Sandrine ; votre contact sera Josette"),
        "{}",
        confirmed.body_text
    );
    assert!(confirmed.body_text.contains("Contactez Josette"));
}

#[tokio::test]
async fn a_commune_field_with_exactly_one_match_selects_it() {
    let app = spawn_app().await;
    let form = with(&reims_form(&app).await, "commune", "Vitry-le-Fran");
    let page = app.server.post("/demande").form(&form).await;
    page.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let page = page.text();
    let radios: Vec<&str> = page.split(r#"type="radio" id="commune-"#).skip(1).collect();
    assert_eq!(radios.len(), 1, "one commune offered");
    assert!(
        radios[0].split('>').next().unwrap().contains("checked"),
        "and selected"
    );
}

#[tokio::test]
async fn the_follow_up_page_keeps_references_and_numbers_whole_and_french_spacing() {
    let app = spawn_app().await;
    let token = file(&app, &reims_form(&app).await).await;
    let reference = latest(&app).await.reference;
    let page = app
        .server
        .get(&format!("/suivi/{token}?bienvenue=1"))
        .await
        .text();
    assert!(page.contains(&format!(r#"<span class="sans-coupure">{reference}</span>"#)));
    assert!(page.contains("Où en est ma demande&nbsp;?"));
    assert!(
        !page.contains(" ?<") && !page.contains(" :<"),
        "no breakable space before ? or :"
    );
    let home = app.server.get("/").await.text();
    assert!(
        home.contains(r#"href="/suivi""#),
        "the way back from the home page"
    );
}

#[tokio::test]
async fn the_home_page_gives_the_operators_number_next_to_jai_besoin_daide() {
    let app = spawn_app_with(|config| {
        config.operator_phone = Some("+33999999999".into());
        config.operator_hours = Some("du lundi au vendredi, 9 h–17 h".into());
    })
    .await;
    let home = text_of(&app.server.get("/").await.text());
    assert!(
        home.contains("Ou appelez le 09 99 99 99 99 (du lundi au vendredi, 9 h–17 h)."),
        "{home}"
    );
    let without = spawn_app().await;
    assert!(!text_of(&without.server.get("/").await.text()).contains("Ou appelez le"));
}
