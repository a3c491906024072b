//! Limits that hold whatever the concurrency: an attempt (or a request) is reserved in the same
//! transaction as the count that allows it, so fifty simultaneous tries get exactly the allowance.

use std::net::IpAddr;

use axum::http::StatusCode;
use entity::{help_request, login_attempt};
use entraide::accounts::Passwords;
use entraide::accounts::login::{ACCOUNT_LIMIT, IP_LIMIT, PasswordCheck, confirm_password};
use futures_util::future::join_all;
use sea_orm::{EntityTrait, PaginatorTrait};

use crate::accounts::PASSWORD;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::requests::{form_stamp, valid_form};
use crate::staff::add_staff;

/// How many of `statuses` are `status`.
fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

async fn attempts_recorded(app: &TestApp) -> u64 {
    login_attempt::Entity::find().count(&app.db).await.unwrap()
}

async fn wrong_logins(app: &TestApp, emails: &[String]) -> Vec<StatusCode> {
    let tries = emails.iter().map(|email| async move {
        app.server
            .post("/connexion")
            .form(&[("email", email.as_str()), ("password", "une devinette")])
            .await
            .status_code()
    });
    join_all(tries).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_simultaneous_guesses_on_one_account_verify_at_most_five() {
    let app = spawn_app().await;
    let alice = add_staff(&app, "moderateur", "Alice").await;
    let statuses = wrong_logins(&app, &vec![alice.email.clone(); 50]).await;
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        ACCOUNT_LIMIT as usize,
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        50 - ACCOUNT_LIMIT as usize
    );
    assert_eq!(attempts_recorded(&app).await, ACCOUNT_LIMIT);
    // Even the right password waits for the window now.
    let response = crate::accounts::log_in(&app, &alice.email, PASSWORD).await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_simultaneous_guesses_from_one_address_verify_at_most_twenty() {
    let app = spawn_app().await;
    let emails: Vec<String> = (0..50).map(|n| format!("inconnu{n}@example.org")).collect();
    let statuses = wrong_logins(&app, &emails).await;
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        IP_LIMIT as usize,
        "{statuses:?}"
    );
    assert_eq!(
        count(&statuses, StatusCode::TOO_MANY_REQUESTS),
        50 - IP_LIMIT as usize
    );
    assert_eq!(attempts_recorded(&app).await, IP_LIMIT);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_simultaneous_password_confirmations_verify_at_most_five() {
    let app = spawn_app().await;
    let alice = add_staff(&app, "moderateur", "Alice").await;
    let passwords = Passwords::new(2);
    let tries = (0..50u8).map(|n| {
        let (app, passwords, alice) = (&app, &passwords, &alice);
        // From fifty addresses: the account's limit is what holds.
        let ip: IpAddr = format!("198.51.100.{n}").parse().unwrap();
        async move {
            confirm_password(
                &app.db,
                passwords,
                &app.config.secret_key,
                alice,
                "une devinette",
                ip,
            )
            .await
            .unwrap()
        }
    });
    let checks = join_all(tries).await;
    let wrong = checks
        .iter()
        .filter(|c| **c == PasswordCheck::Wrong)
        .count();
    let throttled = checks
        .iter()
        .filter(|c| **c == PasswordCheck::Throttled)
        .count();
    assert_eq!(
        (wrong, throttled),
        (ACCOUNT_LIMIT as usize, 45),
        "{checks:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simultaneous_requests_from_one_address_stop_at_the_limit() {
    let app = spawn_app_with(|c| c.requests_per_ip_per_hour = 5).await;
    let stamp = form_stamp(&app).await;
    let form = valid_form(&stamp);
    let tries = (0..20).map(|_| {
        let (app, form) = (&app, &form);
        async move { app.server.post("/demande").form(form).await.status_code() }
    });
    let statuses = join_all(tries).await;
    assert_eq!(count(&statuses, StatusCode::SEE_OTHER), 5, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 15);
    let stored = help_request::Entity::find().count(&app.db).await.unwrap();
    assert_eq!(stored, 5);
}
