use axum::http::StatusCode;
use entity::volunteer_profile;
use sea_orm::EntityTrait;

use super::*;
use crate::helpers::spawn_app;

async fn profile_of(app: &TestApp, email: &str) -> volunteer_profile::Model {
    let account = account_of(app, email).await.unwrap();
    volunteer_profile::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_profile_shows_and_edits_everything_given_at_signup() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let page = app.server.get("/benevole/profil").await;
    page.assert_status_ok();
    let html = page.text();
    assert!(html.contains(r#"value="Marie""#));
    assert!(html.contains(r#"value="Dupont""#));
    assert!(html.contains(r#"name="rayon_km" value="15""#));
    assert!(html.contains(r#"name="modes" value="presentiel" checked"#));
    assert!(html.contains(r#"name="categories" value="email" checked"#));
    assert!(html.contains(r#"name="langues" value="en" checked"#));
    assert!(html.contains("Paris 16e"), "the commune is shown: {html}");
    assert!(html.contains("Le mercredi après-midi"));

    let invalid = app
        .server
        .post("/benevole/profil")
        .form(&[
            ("prenom", "Marie"),
            ("commune", "75016"),
            ("rayon_km", "500"),
            ("max_demandes", "2"),
            ("modes", "visio"),
            ("categories", "sante"),
        ])
        .await;
    invalid.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.text().contains("entre 1 et 100"));
    assert!(
        invalid.text().contains(r#"value="500""#),
        "keeps what was typed"
    );

    let saved = app
        .server
        .post("/benevole/profil")
        .form(&[
            ("prenom", "Marie-Claire"),
            ("nom", ""),
            ("commune", "51300 Vitry-le-François"),
            ("rayon_km", "30"),
            ("modes", "visio"),
            ("categories", "sante"),
            ("categories", "securite"),
            ("langues", "lsf"),
            ("langues", "ar"),
            ("max_demandes", "5"),
            ("disponibilites", "Le soir"),
        ])
        .await;
    saved.assert_status(StatusCode::SEE_OTHER);
    let account = account_of(&app, "marie@exemple.fr").await.unwrap();
    assert_eq!(account.prenom, "Marie-Claire");
    assert_eq!(account.nom, None);
    let profile = profile_of(&app, "marie@exemple.fr").await;
    assert_eq!(profile.commune_insee, "51649");
    assert_eq!(profile.departement, "51");
    assert_eq!(profile.rayon_km, 30);
    assert_eq!(
        entraide::reference::ModeSet::from_bits(profile.modes).slugs(),
        ["visio"]
    );
    assert_eq!(
        entraide::reference::CategorySet::from_bits(profile.categories).slugs(),
        ["sante", "securite"]
    );
    assert_eq!(profile.langues, "ar lsf");
    assert_eq!(profile.max_demandes, 5);
    assert_eq!(profile.disponibilites, "Le soir");
    let page = app.server.get("/benevole/profil").await;
    assert!(page.text().contains("Votre profil est enregistré."));
}

#[tokio::test]
async fn changing_the_password_needs_the_current_one() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let refused = app
        .server
        .post("/benevole/profil/mot-de-passe")
        .form(&[
            ("mot_de_passe_actuel", "pas le bon du tout"),
            ("nouveau_mot_de_passe", "une nouvelle phrase"),
            ("nouveau_mot_de_passe_confirm", "une nouvelle phrase"),
        ])
        .await;
    refused.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .text()
            .contains("Ce n&#39;est pas votre mot de passe actuel")
            || refused
                .text()
                .contains("Ce n'est pas votre mot de passe actuel")
    );

    let changed = app
        .server
        .post("/benevole/profil/mot-de-passe")
        .form(&[
            ("mot_de_passe_actuel", PASSWORD),
            ("nouveau_mot_de_passe", "une nouvelle phrase"),
            ("nouveau_mot_de_passe_confirm", "une nouvelle phrase"),
        ])
        .await;
    changed.assert_status(StatusCode::SEE_OTHER);
    app.server.get("/benevole/profil").await.assert_status_ok();
    app.server.post("/deconnexion").await;
    log_in(&app, "marie@exemple.fr", PASSWORD)
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    log_in(&app, "marie@exemple.fr", "une nouvelle phrase")
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_new_address_takes_effect_only_once_confirmed() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let wrong = app
        .server
        .post("/benevole/profil/email")
        .form(&[
            ("nouvel_email", "marie@nouveau.fr"),
            ("mot_de_passe_email", "pas le bon du tout"),
        ])
        .await;
    wrong.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text().contains(r#"value="marie@nouveau.fr""#));

    app.server
        .post("/benevole/profil/email")
        .form(&[
            ("nouvel_email", " Marie@Nouveau.FR"),
            ("mot_de_passe_email", PASSWORD),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        account_of(&app, "marie@exemple.fr").await.is_some(),
        "unchanged until confirmed"
    );
    let message = app
        .mailbox
        .delivered("Marie@nouveau.fr", |e| {
            e.subject.contains("nouvelle adresse")
        })
        .await;
    let link = link_in(&message, "/verifier-email/");
    let opened = app.server.get(&link).await;
    opened.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&opened), "/benevole/profil");
    assert!(account_of(&app, "marie@exemple.fr").await.is_none());
    assert!(account_of(&app, "Marie@nouveau.fr").await.is_some());
    app.server.get(&link).await.assert_status(StatusCode::GONE);

    app.server.post("/deconnexion").await;
    log_in(&app, "Marie@nouveau.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_volunteer_pauses_until_a_date_and_resumes() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let past = app
        .server
        .post("/benevole/pause")
        .form(&[("jusqu_au", "2020-01-01")])
        .await;
    past.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.text().contains("une date à venir"));

    let date = (chrono::Utc::now() + chrono::Duration::days(20)).date_naive();
    app.server
        .post("/benevole/pause")
        .form(&[("jusqu_au", date.format("%Y-%m-%d").to_string())])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let profile = profile_of(&app, "marie@exemple.fr").await;
    assert_eq!(profile.paused_until.unwrap().date_naive(), date);
    let page = app.server.get("/benevole/profil").await;
    assert!(
        page.text().contains(&format!(
            "en pause jusqu&#39;au {}",
            date.format("%d/%m/%Y")
        )) || page
            .text()
            .contains(&format!("en pause jusqu'au {}", date.format("%d/%m/%Y")))
    );

    app.server
        .post("/benevole/pause")
        .form(&[("reprendre", "oui")])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        profile_of(&app, "marie@exemple.fr")
            .await
            .paused_until
            .is_none()
    );
}

#[tokio::test]
async fn the_profile_form_sent_back_unchanged_keeps_the_commune() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let html = app.server.get("/benevole/profil").await.text();
    let start = html.find(r#"name="commune" value=""#).unwrap() + r#"name="commune" value=""#.len();
    let shown = &html[start..start + html[start..].find('"').unwrap()];
    app.server
        .post("/benevole/profil")
        .form(&[
            ("prenom", "Marie"),
            ("commune", shown),
            ("rayon_km", "15"),
            ("modes", "telephone"),
            ("categories", "appareil"),
            ("max_demandes", "3"),
        ])
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert_eq!(
        profile_of(&app, "marie@exemple.fr").await.commune_insee,
        "75116"
    );
}
