//! Behind a reverse proxy, every per-address rule counts the citizen the proxy saw — not the proxy,
//! and not an address the client wrote into `X-Forwarded-For` itself.

use axum::http::StatusCode;

use crate::helpers::{TestApp, spawn_app_with};
use crate::requests::{form_stamp, valid_form};

/// Behind one trusted proxy (nginx appending `$remote_addr`), two requests an hour per address.
async fn behind_a_proxy() -> TestApp {
    spawn_app_with(|c| {
        c.trust_proxy = true;
        c.requests_per_ip_per_hour = 2;
        c.public_forms_per_ip_per_hour = 2;
    })
    .await
}

async fn file_request(app: &TestApp, stamp: &str, forwarded_for: &str) -> StatusCode {
    app.server
        .post("/demande")
        .add_header("x-forwarded-for", forwarded_for)
        .form(&valid_form(stamp))
        .await
        .status_code()
}

#[tokio::test]
async fn behind_a_proxy_the_request_limit_counts_each_citizen_not_the_proxy() {
    let app = behind_a_proxy().await;
    let stamp = form_stamp(&app).await;
    // Every request reaches the service from the proxy's address; five citizens file theirs.
    for n in 1..=5 {
        let status = file_request(&app, &stamp, &format!("198.51.100.{n}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "citizen {n}");
    }
    assert_eq!(
        file_request(&app, &stamp, "198.51.100.1").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        file_request(&app, &stamp, "198.51.100.1").await,
        StatusCode::TOO_MANY_REQUESTS,
        "the third request of one citizen in the hour"
    );
    assert_eq!(
        file_request(&app, &stamp, "198.51.100.2").await,
        StatusCode::SEE_OTHER,
        "the others are not affected"
    );
}

#[tokio::test]
async fn a_forged_left_most_forwarded_address_dodges_no_limit() {
    let app = behind_a_proxy().await;
    let stamp = form_stamp(&app).await;
    // The client writes a new address at each try; the proxy appends the one it saw.
    let forged = |n: u32| format!("10.66.0.{n}, 203.0.113.50");

    // The help request form.
    assert_eq!(
        file_request(&app, &stamp, &forged(1)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        file_request(&app, &stamp, &forged(2)).await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        file_request(&app, &stamp, &forged(3)).await,
        StatusCode::TOO_MANY_REQUESTS
    );

    // Logins: 20 failures from one address, whatever it claims, then refusal.
    for n in 0..20 {
        let response = app
            .server
            .post("/connexion")
            .add_header("x-forwarded-for", forged(n))
            .form(&[
                ("email", format!("inconnu{n}@example.org").as_str()),
                ("password", "devine"),
            ])
            .await;
        response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    }
    let response = app
        .server
        .post("/connexion")
        .add_header("x-forwarded-for", forged(99))
        .form(&[("email", "encore@example.org"), ("password", "devine")])
        .await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);

    // The public account forms (here the forgotten-password form).
    for n in 0..2 {
        let response = app
            .server
            .post("/mot-de-passe-oublie")
            .add_header("x-forwarded-for", forged(n))
            .form(&[("email", "quelquun@example.org")])
            .await;
        assert_ne!(response.status_code(), StatusCode::TOO_MANY_REQUESTS);
    }
    let response = app
        .server
        .post("/mot-de-passe-oublie")
        .add_header("x-forwarded-for", forged(7))
        .form(&[("email", "quelquun@example.org")])
        .await;
    response.assert_status(StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn without_a_trusted_proxy_the_header_is_ignored() {
    let app = spawn_app_with(|c| c.requests_per_ip_per_hour = 2).await;
    let stamp = form_stamp(&app).await;
    for n in 1..=2 {
        let status = file_request(&app, &stamp, &format!("198.51.100.{n}")).await;
        assert_eq!(status, StatusCode::SEE_OTHER);
    }
    assert_eq!(
        file_request(&app, &stamp, "198.51.100.3").await,
        StatusCode::TOO_MANY_REQUESTS,
        "every request comes from the same connection"
    );
}
