//! A first name is a name (letters of any script, spaces, hyphens, apostrophes, 1 to 50
//! characters) wherever one is typed: volunteer sign-up and profile, the citizen's request form,
//! a moderator's invitation.

use axum::http::StatusCode;

use crate::accounts::{account_of, logged_in_volunteer, sign_up, signup_form, with};
use crate::helpers::{TestApp, spawn_app};
use crate::staff::{add_organisation, logged_in_admin};

/// Words of the message shown next to a field holding something else than a name.
const NOT_A_NAME: &str = "Un prénom ne peut contenir que des lettres";
/// Words of the message shown next to a field holding more than 50 characters.
const TOO_LONG: &str = "50 caractères au plus";

/// Checks that `response` is the form again, with `message` next to `field`.
fn refused(response: &axum_test::TestResponse, field: &str, message: &str, typed: &str) -> String {
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text();
    assert!(html.contains(message), "{typed:?}: {message}");
    assert!(
        html.contains(&format!(r#"id="{field}-erreur""#)),
        "{typed:?}: message next to {field}"
    );
    assert!(!html.contains("<script>"), "{typed:?}: escaped");
    html
}

#[tokio::test]
async fn signup_refuses_what_is_not_a_first_name_and_keeps_what_was_typed() {
    let app = spawn_app().await;
    let too_long = "a".repeat(51);
    for (n, (typed, message)) in [
        ("<script>", NOT_A_NAME),
        ("http://x.fr", NOT_A_NAME),
        ("Marie2", NOT_A_NAME),
        ("12345", NOT_A_NAME),
        (too_long.as_str(), TOO_LONG),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("refus{n}@exemple.fr");
        let response = sign_up(&app, &with(signup_form(&email), "prenom", Some(typed))).await;
        let html = refused(&response, "prenom", message, typed);
        if typed != "<script>" {
            assert!(
                html.contains(&format!(r#"value="{typed}""#)),
                "{typed} kept"
            );
        }
        assert!(account_of(&app, &email).await.is_none(), "{typed}");
    }
}

#[tokio::test]
async fn signup_accepts_first_names_of_every_kind() {
    let app = spawn_app().await;
    for (n, (typed, stored)) in [
        ("Jean-Édouard", "Jean-Édouard"),
        ("N'Diaye", "N'Diaye"),
        ("N\u{2019}Diaye", "N\u{2019}Diaye"),
        ("Zoë", "Zoë"),
        ("Zoe\u{308}", "Zoë"),
        ("  Marie  Claire ", "Marie Claire"),
        ("Владимир", "Владимир"),
    ]
    .into_iter()
    .enumerate()
    {
        let email = format!("accord{n}@exemple.fr");
        sign_up(&app, &with(signup_form(&email), "prenom", Some(typed)))
            .await
            .assert_status_ok();
        let account = account_of(&app, &email).await.expect("an account");
        assert_eq!(account.prenom, stored, "{typed:?}");
    }
}

#[tokio::test]
async fn profile_keeps_the_first_name_when_the_new_one_is_not_a_name() {
    let app = spawn_app().await;
    logged_in_volunteer(&app, "marie@exemple.fr").await;
    let response = app
        .server
        .post("/benevole/profil")
        .form(&[
            ("prenom", "Marie <b>"),
            ("commune", "75016"),
            ("rayon_km", "15"),
            ("max_demandes", "2"),
            ("modes", "visio"),
            ("categories", "sante"),
        ])
        .await;
    let html = refused(&response, "prenom", NOT_A_NAME, "Marie <b>");
    assert!(html.contains(r#"value="Marie &#60;b&#62;""#) || html.contains("Marie &lt;b&gt;"));
    let account = account_of(&app, "marie@exemple.fr").await.unwrap();
    assert_eq!(account.prenom, "Marie");
}

/// The hidden time stamp of a freshly shown request form.
async fn form_stamp(app: &TestApp) -> String {
    let page = app.server.get("/demande").await.text();
    let start = page.find(r#"name="debut" value=""#).unwrap() + r#"name="debut" value=""#.len();
    page[start..].split('"').next().unwrap().to_owned()
}

/// A complete request form for someone's relative, with the two first names given.
async fn request_form(app: &TestApp, prenom: &str, proche: &str) -> Vec<(&'static str, String)> {
    vec![
        ("categories", "demarches".into()),
        ("modes", "telephone".into()),
        ("commune", "20000".into()),
        ("prenom", prenom.into()),
        ("pour_un_proche", "oui".into()),
        ("prenom_proche", proche.into()),
        ("email", "josette.martin@example.org".into()),
        ("langue", "".into()),
        ("consentement", "oui".into()),
        ("site_web", "".into()),
        ("debut", form_stamp(app).await),
    ]
}

#[tokio::test]
async fn request_form_holds_the_names_of_the_person_and_their_relative_to_the_same_rule() {
    let app = spawn_app().await;
    let form = request_form(&app, "http://x.fr", "Gaston").await;
    let response = app.server.post("/demande").form(&form).await;
    refused(&response, "prenom", NOT_A_NAME, "http://x.fr");

    let form = request_form(&app, "Josette", "<script>").await;
    let response = app.server.post("/demande").form(&form).await;
    refused(&response, "prenom_proche", NOT_A_NAME, "<script>");

    let form = request_form(&app, "Marie-Zoë", "N\u{2019}Golo").await;
    let response = app.server.post("/demande").form(&form).await;
    assert_eq!(response.status_code(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn moderator_invitation_holds_the_first_name_to_the_same_rule() {
    let app = spawn_app().await;
    let marne = add_organisation(&app, "Marne Solidaire", "51", false).await;
    logged_in_admin(&app).await;
    let response = app
        .server
        .post("/admin/moderateurs/inviter")
        .form(&[
            ("prenom", "Julie 2"),
            ("email", "julie@exemple.fr"),
            ("organisation", &marne.id.to_string()),
        ])
        .await;
    refused(&response, "prenom", NOT_A_NAME, "Julie 2");
    assert!(account_of(&app, "julie@exemple.fr").await.is_none());
}
