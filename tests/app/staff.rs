//! Fixtures for organisations, moderators and admins: rows written straight to the database (the
//! admin pages that create them have their own tests), and logins through the real login form.

use chrono::Utc;
use entity::{account, membership, organisation};
use entraide::accounts::Passwords;
use sea_orm::{ActiveModelTrait, Set};

use crate::accounts::{PASSWORD, log_in};
use crate::helpers::TestApp;

/// An active organisation; `departements` empty means national.
pub async fn add_organisation(
    app: &TestApp,
    name: &str,
    departements: &str,
    auto_approve: bool,
) -> organisation::Model {
    let now = Utc::now();
    organisation::ActiveModel {
        name: Set(name.to_owned()),
        contact_email: Set(format!(
            "contact-{}@example.org",
            uuid::Uuid::new_v4().simple()
        )),
        national: Set(departements.trim().is_empty()),
        departements: Set(departements.to_owned()),
        auto_approve: Set(auto_approve),
        vetting_required: Set(false),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// A verified account of `role` (`moderateur` or `admin`) whose password is [`PASSWORD`].
pub async fn add_staff(app: &TestApp, role: &str, prenom: &str) -> account::Model {
    let now = Utc::now();
    let hash = Passwords::new(1).hash(PASSWORD).await.unwrap();
    account::ActiveModel {
        email: Set(format!(
            "{}-{}@example.org",
            prenom.to_lowercase(),
            uuid::Uuid::new_v4().simple()
        )),
        password_hash: Set(hash),
        prenom: Set(prenom.to_owned()),
        nom: Set(None),
        role: Set(entity::states::Role::from_slug(role).expect("a known role")),
        email_verified_at: Set(Some(now)),
        session_epoch: Set(0),
        deleted_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap()
}

/// Makes `account_id` a moderator of `organisation_id`, with immediate e-mails.
pub async fn add_membership(app: &TestApp, organisation_id: i64, account_id: i64) {
    membership::ActiveModel {
        organisation_id: Set(organisation_id),
        account_id: Set(account_id),
        notification: Set("immediat".into()),
        last_digest_at: Set(None),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .unwrap();
}

/// A moderator of `organisation_id`, logged in on the app's client.
pub async fn logged_in_moderator(app: &TestApp, organisation_id: i64) -> account::Model {
    let moderator = add_staff(app, "moderateur", "Modo").await;
    add_membership(app, organisation_id, moderator.id).await;
    log_in(app, &moderator.email, PASSWORD)
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    moderator
}

/// An admin, logged in on the app's client.
pub async fn logged_in_admin(app: &TestApp) -> account::Model {
    let admin = add_staff(app, "admin", "Admin").await;
    log_in(app, &admin.email, PASSWORD)
        .await
        .assert_status(axum::http::StatusCode::SEE_OTHER);
    admin
}
