use axum::http::StatusCode;
use entity::states::Role;
use entity::{account_token, volunteer_profile};
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, PaginatorTrait, Set};

use super::*;
use crate::helpers::spawn_app;

#[tokio::test]
async fn signup_page_labels_every_field_and_links_to_the_charter() {
    let app = spawn_app().await;
    let page = app.server.get("/benevole/inscription").await;
    page.assert_status_ok();
    let html = page.text();
    for name in [
        "prenom",
        "nom",
        "email",
        "password",
        "password_confirm",
        "commune",
        "rayon_km",
        "max_demandes",
        "disponibilites",
        "charte",
    ] {
        assert!(
            html.contains(&format!(r#"for="{name}""#)),
            "label for {name}"
        );
        assert!(html.contains(&format!(r#"name="{name}""#)), "input {name}");
    }
    for (name, value) in [
        ("modes", "visio"),
        ("categories", "securite"),
        ("langues", "lsf"),
    ] {
        assert!(html.contains(&format!(r#"name="{name}" value="{value}""#)));
        assert!(html.contains(&format!(r#"for="{name}-{value}""#)));
    }
    assert!(
        html.contains(r#"name="rayon_km" value="10""#),
        "default radius"
    );
    assert!(
        html.contains(r#"name="max_demandes" value="2""#),
        "default maximum"
    );
    assert!(html.contains(r#"href="/charte-benevole""#));

    let charter = app.server.get("/charte-benevole").await;
    charter.assert_status_ok();
    let text = charter.text();
    for words in [
        "bienveillant",
        "gratuitement",
        "mot de passe",
        "bancaires",
        "confidentiel",
        "modérateurs",
    ] {
        assert!(text.contains(words), "the charter says {words}");
    }
}

#[tokio::test]
async fn volunteer_signs_up_confirms_the_address_and_logs_in() {
    let app = spawn_app().await;
    let response = sign_up(&app, &signup_form("marie@exemple.fr")).await;
    response.assert_status_ok();
    assert!(response.text().contains("Vérifiez votre boîte e-mail"));

    let account = account_of(&app, "marie@exemple.fr")
        .await
        .expect("an account");
    assert!(account.email_verified_at.is_none(), "unverified at first");
    assert_eq!(account.role, Role::Benevole);
    assert_eq!(account.nom.as_deref(), Some("Dupont"));
    assert!(
        account
            .password_hash
            .starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "argon2id with OWASP parameters: {}",
        account.password_hash
    );
    let profile = volunteer_profile::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a profile");
    assert_eq!(profile.commune_insee, "75116");
    assert_eq!(profile.departement, "75");
    assert!((profile.latitude - 48.86).abs() < 0.1);
    assert_eq!(profile.rayon_km, 15);
    assert_eq!(
        entraide::reference::ModeSet::from_bits(profile.modes).slugs(),
        ["telephone", "presentiel"]
    );
    assert_eq!(
        entraide::reference::CategorySet::from_bits(profile.categories).slugs(),
        ["appareil", "email"]
    );
    assert_eq!(profile.langues, "en");
    assert_eq!(profile.max_demandes, 3);

    let link = verification_link(&app, "marie@exemple.fr").await;
    let token = link.trim_start_matches("/verifier-email/");
    assert_eq!(token.len(), 64, "256 random bits");
    let stored = account_token::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].token_hash, token, "only the hash is stored");
    assert_eq!(stored[0].token_hash, entraide::tokens::hash_token(token));

    let opened = app.server.get(&link).await;
    opened.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&opened), "/connexion");
    let account = account_of(&app, "marie@exemple.fr").await.unwrap();
    assert!(account.email_verified_at.is_some());

    let login = log_in(&app, "marie@exemple.fr", PASSWORD).await;
    login.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&login), "/benevole/profil");
    let space = app.server.get("/benevole/profil").await;
    space.assert_status_ok();
    assert!(space.text().contains("Mon espace"));
    assert!(space.text().contains(r#"action="/deconnexion""#));
}

#[tokio::test]
async fn a_registered_address_gets_the_same_answer_and_its_owner_is_warned() {
    let app = spawn_app().await;
    let first = sign_up(&app, &signup_form("marie@exemple.fr")).await;
    let mut again = signup_form("marie@exemple.fr");
    again = with(again, "prenom", Some("Mallory"));
    let second = sign_up(&app, &again).await;
    assert_eq!(first.status_code(), second.status_code());
    assert_eq!(first.text(), second.text(), "no account enumeration");
    assert_eq!(
        entity::account::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
    let warning = app
        .mailbox
        .delivered("marie@exemple.fr", |e| {
            e.subject.contains("Quelqu'un a voulu")
        })
        .await;
    assert!(warning.text.contains("Bonjour Marie"));
    assert!(warning.text.contains("/connexion"));
    assert!(warning.text.contains("/mot-de-passe-oublie"));
    assert!(warning.html.contains("/mot-de-passe-oublie"));
}

#[tokio::test]
async fn addresses_are_trimmed_and_their_domain_lower_cased() {
    let app = spawn_app().await;
    sign_up(&app, &signup_form("  Marie.Dupont@Exemple.FR "))
        .await
        .assert_status_ok();
    assert!(account_of(&app, "Marie.Dupont@exemple.fr").await.is_some());
}

#[tokio::test]
async fn mistakes_are_shown_next_to_their_field_in_french_and_the_form_keeps_what_was_typed() {
    let app = spawn_app().await;
    let mut form = signup_form("marie@exemple.fr");
    form = with(form, "prenom", Some(" "));
    form = with(form, "password", Some("Zq7secret"));
    form = with(form, "modes", None);
    form = with(form, "categories", None);
    form = with(form, "rayon_km", Some("0"));
    form = with(form, "max_demandes", Some("11"));
    form = with(form, "disponibilites", Some(&"x".repeat(501)));
    form = with(form, "charte", None);
    let response = sign_up(&app, &form).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(
        html.contains("informations sont à corriger"),
        "error summary"
    );
    for (field, message) in [
        ("prenom", "Indiquez votre prénom."),
        ("password", "au moins 10 caractères"),
        ("modes", "au moins une façon"),
        ("categories", "au moins un sujet"),
        ("rayon_km", "entre 1 et 100"),
        ("max_demandes", "entre 1 et 10"),
        ("disponibilites", "500 caractères au plus"),
        ("charte", "acceptez la charte"),
    ] {
        assert!(html.contains(message), "{field}: {message}");
        assert!(html.contains(&format!(r#"id="{field}-erreur""#)), "{field}");
        assert!(
            html.contains(&format!(r##"href="#{field}""##)),
            "summary links to {field}"
        );
    }
    assert!(html.contains(r#"aria-invalid="true""#));
    assert!(html.contains(r#"value="marie@exemple.fr""#), "e-mail kept");
    assert!(html.contains(r#"value="Dupont""#), "name kept");
    assert!(html.contains(r#"value="75016""#), "commune kept");
    assert!(
        html.contains(r#"name="langues" value="en" checked"#),
        "choices kept"
    );
    assert!(!html.contains("Zq7secret"), "never the password");
    assert_eq!(
        entity::account::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        0
    );
}

#[tokio::test]
async fn passwords_must_differ_from_the_address_and_match_their_confirmation() {
    let app = spawn_app().await;
    let form = with(
        signup_form("marie@exemple.fr"),
        "password",
        Some("marie@exemple.fr"),
    );
    let form = with(form, "password_confirm", Some("marie@exemple.fr"));
    let response = sign_up(&app, &form).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .contains("ne doit pas être votre adresse e-mail")
    );

    let form = with(
        signup_form("marie@exemple.fr"),
        "password_confirm",
        Some("autre chose encore"),
    );
    let response = sign_up(&app, &form).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.text().contains("ne sont pas identiques"));

    let long = "m".repeat(129);
    let form = with(signup_form("marie@exemple.fr"), "password", Some(&long));
    let response = sign_up(&app, &form).await;
    assert!(response.text().contains("128 caractères au plus"));
}

#[tokio::test]
async fn a_postcode_shared_by_several_communes_asks_which_one() {
    let app = spawn_app().await;
    let form = with(signup_form("marie@exemple.fr"), "commune", Some("51300"));
    let response = sign_up(&app, &form).await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(html.contains("Choisissez votre commune dans la liste."));
    assert!(html.contains(r#"name="commune_insee""#));

    let mut form = form;
    form.push(("commune_insee", "51649".to_owned()));
    sign_up(&app, &form).await.assert_status_ok();
    let account = account_of(&app, "marie@exemple.fr").await.unwrap();
    let profile = volunteer_profile::Entity::find_by_id(account.id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(profile.commune_insee, "51649");
}

#[tokio::test]
async fn a_confirmation_link_works_once() {
    let app = spawn_app().await;
    sign_up(&app, &signup_form("marie@exemple.fr")).await;
    let link = verification_link(&app, "marie@exemple.fr").await;
    app.server
        .get(&link)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    let again = app.server.get(&link).await;
    again.assert_status(StatusCode::GONE);
    assert!(again.text().contains("Ce lien a déjà servi"));
    app.server
        .get(&format!("/verifier-email/{}", "0".repeat(64)))
        .await
        .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_expired_confirmation_link_offers_a_new_email() {
    let app = spawn_app().await;
    sign_up(&app, &signup_form("marie@exemple.fr")).await;
    let link = verification_link(&app, "marie@exemple.fr").await;
    let token = account_token::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (token.expires_at - token.created_at).num_hours(),
        48,
        "valid 48 hours"
    );
    let mut expired = token.into_active_model();
    expired.expires_at = Set(chrono::Utc::now() - chrono::Duration::minutes(1));
    expired.update(&app.db).await.unwrap();

    let page = app.server.get(&link).await;
    page.assert_status(StatusCode::GONE);
    let html = page.text();
    assert!(html.contains("Ce lien a expiré"));
    assert!(html.contains(r#"action="/verifier-email/renvoyer""#));
    assert!(
        account_of(&app, "marie@exemple.fr")
            .await
            .unwrap()
            .email_verified_at
            .is_none()
    );

    app.server
        .post("/verifier-email/renvoyer")
        .form(&[("email", "marie@exemple.fr")])
        .await
        .assert_status_ok();
    app.drain_outbox().await;
    let fresh = app
        .mailbox
        .all()
        .iter()
        .filter(|e| e.subject.contains("Confirmez votre adresse"))
        .map(|e| link_in(e, "/verifier-email/"))
        .find(|l| *l != link)
        .unwrap_or_default();
    assert!(!fresh.is_empty(), "a new link arrives");
    app.server
        .get(&fresh)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    assert!(
        account_of(&app, "marie@exemple.fr")
            .await
            .unwrap()
            .email_verified_at
            .is_some()
    );
}

#[tokio::test]
async fn the_case_of_letters_in_an_address_does_not_matter() {
    let app = spawn_app().await;
    verified_volunteer(&app, "Marie@exemple.fr").await;
    log_in(&app, "marie@EXEMPLE.fr", PASSWORD)
        .await
        .assert_status(StatusCode::SEE_OTHER);
    sign_up(&app, &signup_form("MARIE@exemple.fr"))
        .await
        .assert_status_ok();
    assert_eq!(
        entity::account::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        1,
        "one account per address"
    );
    app.mailbox
        .delivered("Marie@exemple.fr", |e| {
            e.subject.contains("Quelqu'un a voulu")
        })
        .await;
}
