use axum::http::StatusCode;
use entity::states::RequestStatus;
use entity::{help_request, outbox_email, request_event};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, PaginatorTrait, QueryFilter, Set,
};

use crate::helpers::{TestApp, spawn_app, spawn_app_with};

/// The hidden time stamp of a freshly shown form.
pub async fn form_stamp(app: &TestApp) -> String {
    let page = app.server.get("/demande").await.text();
    let start = page
        .find(r#"name="debut" value=""#)
        .expect("the form has a time stamp")
        + r#"name="debut" value=""#.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// A form as (field, value) pairs.
type FormFields = Vec<(&'static str, String)>;

/// A complete, valid form, as (field, value) pairs.
pub fn valid_form(stamp: &str) -> Vec<(&'static str, String)> {
    vec![
        ("categories", "demarches".into()),
        ("categories", "sante".into()),
        (
            "description",
            "Je n'arrive pas à télécharger mon attestation sur le site d'Ameli.".into(),
        ),
        ("modes", "telephone".into()),
        ("modes", "presentiel".into()),
        ("commune", "20000".into()),
        ("prenom", "Josette".into()),
        ("email", "josette.martin@example.org".into()),
        ("telephone", "06 12 34 56 78".into()),
        ("langue", "".into()),
        ("consentement", "oui".into()),
        ("site_web", "".into()),
        ("debut", stamp.to_owned()),
    ]
}

fn without(form: &[(&'static str, String)], field: &str) -> Vec<(&'static str, String)> {
    form.iter().filter(|(k, _)| *k != field).cloned().collect()
}

fn with(
    form: &[(&'static str, String)],
    field: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    let mut form = without(form, field);
    form.push((field, value.to_owned()));
    form
}

async fn count_requests(app: &TestApp) -> u64 {
    help_request::Entity::find().count(&app.db).await.unwrap()
}

/// Sends the form and returns the follow-up path it redirects to.
async fn file_request(app: &TestApp, form: &[(&'static str, String)]) -> String {
    let response = app.server.post("/demande").form(form).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let location = response.header("location").to_str().unwrap().to_owned();
    assert!(
        location.starts_with("/suivi/") && location.ends_with("?bienvenue=1"),
        "{location}"
    );
    location
}

#[tokio::test]
async fn a_citizen_with_an_email_files_a_request_and_follows_it() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let location = file_request(&app, &valid_form(&stamp)).await;

    let page = app.server.get(&location).await;
    page.assert_status_ok();
    let page = page.text();
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, RequestStatus::Nouvelle);
    assert!(!request.a_rappeler);
    assert_eq!(request.commune_insee, "2A004");
    assert_eq!(request.departement, "2A");
    assert_eq!(request.telephone.as_deref(), Some("+33612345678"));
    assert_eq!(request.email.as_deref(), Some("josette.martin@example.org"));
    assert!(request.reference.starts_with("ENT-"));
    let token = location
        .trim_start_matches("/suivi/")
        .trim_end_matches("?bienvenue=1");
    assert_eq!(token.len(), 64);
    assert_ne!(request.follow_token_hash, token, "only the hash is stored");

    assert!(page.contains("Votre demande est bien enregistrée"));
    assert!(page.contains(&request.reference));
    assert!(
        page.contains(&format!("http://localhost:3000/suivi/{token}")),
        "the private link is shown"
    );
    assert!(page.contains("Et maintenant&nbsp;?"));
    assert!(page.contains("En attente de validation"));
    assert!(page.contains("Demande envoyée"));
    assert!(page.contains("Ajaccio"));

    let email = app
        .mailbox
        .delivered("josette.martin@example.org", |e| {
            e.subject.contains(&request.reference)
        })
        .await;
    assert!(
        email
            .subject
            .starts_with("Votre demande d'aide est bien enregistrée")
    );
    assert!(email.text.contains(&request.reference));
    assert!(
        email
            .text
            .contains(&format!("http://localhost:3000/suivi/{token}"))
    );
    assert!(
        email
            .html
            .contains(&format!("http://localhost:3000/suivi/{token}"))
    );
    assert!(
        email
            .text
            .contains("Faire une démarche administrative en ligne")
    );

    let events = request_event::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(
        (events[0].kind.slug(), events[0].to_status.map(|s| s.slug())),
        ("creee", Some("nouvelle"))
    );
}

#[tokio::test]
async fn a_citizen_with_only_a_telephone_is_marked_to_call_back() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let form = with(&valid_form(&stamp), "email", "");
    let form = with(&form, "telephone", "+33 (0)4 95 12 34 56");
    let location = file_request(&app, &form).await;

    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(request.a_rappeler);
    assert_eq!(request.email, None);
    assert_eq!(request.telephone.as_deref(), Some("+33495123456"));
    assert_eq!(
        outbox_email::Entity::find().count(&app.db).await.unwrap(),
        0,
        "no address, no e-mail"
    );
    let page = app.server.get(&location).await.text();
    assert!(page.contains("04 95 12 34 56"));
}

#[tokio::test]
async fn a_request_for_a_relative_keeps_their_first_name() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let form = with(&valid_form(&stamp), "pour_un_proche", "oui");
    let form = with(&form, "prenom_proche", "Marcel");
    let form = with(&form, "langue", "pt");
    file_request(&app, &form).await;
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(request.pour_un_proche);
    assert_eq!(request.prenom_proche.as_deref(), Some("Marcel"));
    assert_eq!(request.langue.as_deref(), Some("pt"));
}

#[tokio::test]
async fn each_mistake_is_explained_next_to_its_field_and_the_answers_are_kept() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let base = valid_form(&stamp);
    let too_long = "a".repeat(2001);
    let cases: Vec<(&str, FormFields, &str)> = vec![
        (
            "categories",
            without(&base, "categories"),
            "Choisissez au moins un sujet.",
        ),
        (
            "categories",
            [
                base.clone(),
                vec![
                    ("categories", "email".into()),
                    ("categories", "argent".into()),
                ],
            ]
            .concat(),
            "Choisissez au plus 3 sujets",
        ),
        (
            "description",
            with(&base, "description", &too_long),
            "Votre texte est trop long",
        ),
        (
            "modes",
            without(&base, "modes"),
            "Choisissez au moins une façon d&#39;être aidé.",
        ),
        (
            "commune",
            with(&base, "commune", "Zzyzxville"),
            "Nous ne trouvons pas cette commune",
        ),
        (
            "prenom",
            with(&base, "prenom", "  "),
            "Indiquez votre prénom.",
        ),
        (
            "email",
            with(&with(&base, "email", ""), "telephone", ""),
            "Indiquez au moins un moyen de vous joindre",
        ),
        (
            "email",
            with(&base, "email", "josette.martin"),
            "il manque le signe @",
        ),
        (
            "telephone",
            with(&base, "telephone", "06 12 34"),
            "Ce numéro de téléphone n&#39;est pas complet",
        ),
        (
            "prenom_proche",
            with(&base, "pour_un_proche", "oui"),
            "Indiquez le prénom de la personne que vous aidez.",
        ),
        (
            "consentement",
            without(&base, "consentement"),
            "cochez la case d&#39;accord",
        ),
        (
            "langue",
            with(&base, "langue", "klingon"),
            "Choisissez une langue dans la liste.",
        ),
    ];
    for (field, form, message) in cases {
        let response = app.server.post("/demande").form(&form).await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let page = response.text();
        assert!(
            page.contains(&format!(r#"id="{field}-erreur""#)),
            "{field}: error next to the field"
        );
        assert!(page.contains(message), "{field}: {message}");
        assert!(
            page.contains(r#"id="resume-erreurs""#),
            "{field}: summary at the top"
        );
        if field != "prenom" {
            assert!(
                page.contains(r#"value="Josette""#),
                "{field}: the other answers are kept"
            );
        }
        if field != "description" {
            assert!(
                page.contains("Je n&#39;arrive pas à télécharger"),
                "{field}: the description is kept"
            );
        }
        assert!(
            page.contains(r#"value="demarches" checked"#) || field == "categories",
            "{field}: boxes stay ticked"
        );
    }
    assert_eq!(count_requests(&app).await, 0, "nothing half-written");
}

#[tokio::test]
async fn a_postcode_shared_by_several_communes_asks_which_one_then_accepts_the_choice() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let form = with(&valid_form(&stamp), "commune", "51300");
    let page = app.server.post("/demande").form(&form).await.text();
    assert!(
        page.contains(r#"name="commune_insee""#),
        "candidates offered"
    );
    assert!(page.contains("Vitry-le-François"));
    assert!(
        page.contains(r##"href="#commune""##),
        "the summary asks to choose"
    );
    assert_eq!(count_requests(&app).await, 0);

    let form = with(&form, "commune_insee", "51649");
    file_request(&app, &form).await;
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.commune_insee, "51649");
}

#[tokio::test]
async fn one_address_may_file_only_a_few_requests_an_hour() {
    let app = spawn_app_with(|c| c.requests_per_ip_per_hour = 2).await;
    let stamp = form_stamp(&app).await;
    file_request(&app, &valid_form(&stamp)).await;
    file_request(&app, &valid_form(&stamp)).await;
    let response = app.server.post("/demande").form(&valid_form(&stamp)).await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);
    let page = response.text();
    assert!(page.contains("Plusieurs demandes ont déjà été envoyées depuis cette connexion"));
    assert!(page.contains(r#"value="Josette""#), "the answers are kept");
    assert_eq!(count_requests(&app).await, 2, "nothing stored");
}

#[tokio::test]
async fn a_robot_filling_the_hidden_field_stores_nothing() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let response = app
        .server
        .post("/demande")
        .form(&with(
            &valid_form(&stamp),
            "site_web",
            "http://spam.example",
        ))
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .contains("Votre demande n&#39;a pas encore été envoyée")
    );
    assert_eq!(count_requests(&app).await, 0);
}

#[tokio::test]
async fn a_form_sent_too_fast_or_without_its_stamp_stores_nothing() {
    let app = spawn_app_with(|c| c.form_min_fill = std::time::Duration::from_secs(60)).await;
    let stamp = form_stamp(&app).await;
    let response = app.server.post("/demande").form(&valid_form(&stamp)).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .contains("Votre demande n&#39;a pas encore été envoyée")
    );
    let forged = app
        .server
        .post("/demande")
        .form(&with(&valid_form(&stamp), "debut", "1.abc"))
        .await;
    forged.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_requests(&app).await, 0);
}

#[tokio::test]
async fn an_unknown_follow_up_link_is_not_found() {
    let app = spawn_app().await;
    app.server
        .get(&format!("/suivi/{}", "ab".repeat(32)))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .get("/suivi/n-importe-quoi")
        .await
        .assert_status(StatusCode::NOT_FOUND);
    app.server
        .post(&format!("/suivi/{}/annuler", "cd".repeat(32)))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_citizen_cancels_once_and_the_timeline_says_so() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let location = file_request(&app, &valid_form(&stamp)).await;
    let follow = location.trim_end_matches("?bienvenue=1").to_owned();

    let confirm = app.server.get(&format!("{follow}/annuler")).await;
    confirm.assert_status_ok();
    assert!(confirm.text().contains("Oui, annuler ma demande"));

    let response = app.server.post(&format!("{follow}/annuler")).await;
    response.assert_status(StatusCode::SEE_OTHER);
    let page = app.server.get(&follow).await.text();
    assert!(page.contains("Votre demande est annulée."));
    assert!(page.contains("Annulée"));
    assert!(page.contains("Demande annulée"));
    assert!(
        !page.contains("Annuler ma demande</a>"),
        "no more cancel button"
    );

    app.server
        .post(&format!("{follow}/annuler"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let again = app.server.get(&follow).await.text();
    assert!(again.contains("ne peut plus être annulée"));

    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, RequestStatus::Annulee);
    assert!(request.closed_at.is_some());
    let cancellations = request_event::Entity::find()
        .filter(request_event::Column::Kind.eq("annulee"))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(cancellations, 1, "recorded once");
    let email = app
        .mailbox
        .delivered("josette.martin@example.org", |e| {
            e.subject.contains("annulée")
        })
        .await;
    assert!(email.text.contains(&request.reference));
}

#[tokio::test]
async fn only_a_request_a_volunteer_took_can_be_marked_solved() {
    let app = spawn_app().await;
    let stamp = form_stamp(&app).await;
    let location = file_request(&app, &valid_form(&stamp)).await;
    let follow = location.trim_end_matches("?bienvenue=1").to_owned();
    assert!(
        !app.server
            .get(&follow)
            .await
            .text()
            .contains("Mon problème est résolu")
    );
    app.server.post(&format!("{follow}/resolue")).await;
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        request.status,
        RequestStatus::Nouvelle,
        "not taken yet: nothing changes"
    );

    let mut taken = request.into_active_model();
    taken.status = Set(entity::states::RequestStatus::PriseEnCharge);
    taken.update(&app.db).await.unwrap();
    assert!(
        app.server
            .get(&follow)
            .await
            .text()
            .contains("Mon problème est résolu")
    );
    app.server
        .post(&format!("{follow}/resolue"))
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let request = help_request::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(request.status, RequestStatus::Resolue);
    let page = app.server.get(&follow).await.text();
    assert!(page.contains("Problème résolu"));
}

#[tokio::test]
async fn the_privacy_notice_states_the_retention_period() {
    let app = spawn_app_with(|c| c.retention_days = 90).await;
    let page = app.server.get("/confidentialite").await;
    page.assert_status_ok();
    let page = page.text();
    assert!(page.contains("90 jours"));
    assert!(page.contains("Vos droits"));
    assert!(page.contains("CNIL"));
}

#[tokio::test]
async fn the_form_is_one_accessible_page_in_the_expected_order() {
    let app = spawn_app().await;
    let page = app.server.get("/demande").await.text();
    // Issue 20: « Pour qui demandez-vous de l'aide ? » comes first, then the relative's details.
    let order = [
        r#"name="pour_un_proche""#,
        r#"name="prenom_proche""#,
        r#"name="telephone_proche""#,
        r#"name="qui_appeler""#,
        r#"name="categories""#,
        r#"<textarea id="description" name="description""#,
        r#"name="modes""#,
        r#"name="commune""#,
        r#"name="prenom""#,
        r#"name="telephone""#,
        r#"name="email""#,
        r#"name="langue""#,
        r#"name="consentement""#,
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|f| page.find(f).unwrap_or_else(|| panic!("{f} missing")))
        .collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "fields in the product's order"
    );
    for id in [
        "description",
        "commune",
        "prenom",
        "telephone",
        "email",
        "langue",
        "prenom_proche",
    ] {
        assert!(page.contains(&format!(r#"for="{id}""#)), "{id} has a label");
    }
    assert!(page.contains(r#"href="/confidentialite""#));
}
