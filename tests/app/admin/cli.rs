//! `entraide admin create`, run as a real process against the test app's database: it prints a
//! single-use link that works in the browser, and never takes a password.

use entity::states::Role;
use std::process::Output;

use axum::http::StatusCode;

use super::log_out;
use crate::accounts::{account_of, location, log_in};
use crate::helpers::{TestApp, spawn_app};
use crate::kit;
use crate::staff::add_staff;

const BASE_URL: &str = "https://entraide.example";

fn admin_create(app: &TestApp, args: &[&str]) -> Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_entraide"))
        .args(["admin", "create"])
        .args(args)
        .env("DATABASE_URL", &app.config.database_url)
        .env("BASE_URL", BASE_URL)
        .env("MAIL_DIR", &app.config.mail.dir)
        .env("RUST_LOG", "warn")
        .output()
        .expect("the command runs")
}

/// The path of the link the command printed (its base URL checked and removed).
fn printed_link(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout.clone()).unwrap();
    let link = stdout
        .split_whitespace()
        .find(|w| w.starts_with(&format!("{BASE_URL}/invitation/")))
        .unwrap_or_else(|| panic!("a link in {stdout}"));
    link.trim_start_matches(BASE_URL).to_owned()
}

#[tokio::test]
async fn an_admin_created_from_the_command_line_chooses_a_password_through_the_printed_link() {
    let app = spawn_app().await;
    let output = admin_create(&app, &["--email", "Chef@Exemple.FR", "--prenom", "Claire"]);
    let link = printed_link(&output);

    let account = account_of(&app, "Chef@exemple.fr").await.unwrap();
    assert_eq!(account.role, Role::Admin);
    assert_eq!(account.prenom, "Claire");
    assert!(account.email_verified_at.is_none());
    assert!(account.password_hash.is_empty(), "no usable password yet");
    let entries = kit::audit_entries_for_action(&app, "compte.creer_admin").await;
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].actor_role, "systeme");
    assert_eq!(entries[0].actor_id, None);
    assert_eq!(entries[0].target_id, Some(account.id));

    log_in(&app, "chef@exemple.fr", "n'importe quel mot de passe")
        .await
        .assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let form = app.server.get(&link).await;
    form.assert_status_ok();
    assert!(form.text().contains("Claire"));
    let done = app
        .server
        .post(&link)
        .form(&[
            ("password", "la phrase de Claire"),
            ("password_confirm", "la phrase de Claire"),
        ])
        .await;
    done.assert_status(StatusCode::SEE_OTHER);
    assert_eq!(location(&done), "/admin");
    app.server.get("/admin").await.assert_status_ok();

    log_out(&app).await;
    log_in(&app, "Chef@exemple.fr", "la phrase de Claire")
        .await
        .assert_status(StatusCode::SEE_OTHER);
    app.server.get(&link).await.assert_status(StatusCode::GONE);
}

#[tokio::test]
async fn an_existing_admin_gets_a_fresh_link_and_other_roles_are_refused() {
    let app = spawn_app().await;
    let first = printed_link(&admin_create(&app, &["--email", "chef@exemple.fr"]));
    let again = admin_create(&app, &["--email", "chef@exemple.fr"]);
    let second = printed_link(&again);
    assert_ne!(first, second);
    assert!(String::from_utf8_lossy(&again.stdout).contains("already an admin"));
    assert_eq!(
        account_of(&app, "chef@exemple.fr").await.unwrap().prenom,
        "Administrateur",
        "a default first name"
    );
    app.server.get(&first).await.assert_status(StatusCode::GONE);
    app.server.get(&second).await.assert_status_ok();
    assert_eq!(
        kit::audit_entries_for_action(&app, "compte.lien_admin")
            .await
            .len(),
        1
    );

    let moderator = add_staff(&app, "moderateur", "Paul").await;
    let refused = admin_create(&app, &["--email", &moderator.email]);
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("moderateur account"));
    assert_eq!(
        account_of(&app, &moderator.email).await.unwrap().role,
        Role::Moderateur,
        "nothing changed"
    );

    let invalid = admin_create(&app, &["--email", "pas-une-adresse"]);
    assert!(!invalid.status.success());
    assert!(String::from_utf8_lossy(&invalid.stderr).contains("invalid address"));
    assert_eq!(
        kit::audit_entries_for_action(&app, "compte.creer_admin")
            .await
            .len(),
        1,
        "refusals write nothing"
    );
}
