//! The Brevo transport against a local server speaking Brevo's transactional SMS API over TCP: its
//! path, its `api-key` header, its JSON body; a 5xx is retried with backoff and the text goes out
//! once, a 4xx is final.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use chrono::Duration;
use entity::states::OutboxStatus;
use entraide::tokens::SecretKey;
use serde_json::{Value, json};

use super::{MOBILE, paris, phone_only};
use crate::fixtures::REIMS;
use crate::helpers::{TestApp, spawn_app_with};
use crate::kit;

const API_KEY: &str = "xkeysib-cle-de-test";

/// What the fake provider received, and what it answers next (then 201).
#[derive(Clone, Default)]
struct Provider {
    received: Arc<Mutex<Vec<Value>>>,
    answers: Arc<Mutex<VecDeque<(StatusCode, Value)>>>,
}

async fn send_sms(
    State(provider): State<Provider>,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> (StatusCode, Json<Value>) {
    if headers.get("api-key").and_then(|k| k.to_str().ok()) != Some(API_KEY) {
        return (
            StatusCode::UNAUTHORIZED,
            Json(json!({"code": "unauthorized", "message": "Key not found"})),
        );
    }
    provider.received.lock().unwrap().push(body);
    let next = provider.answers.lock().unwrap().pop_front();
    let (status, answer) = next.unwrap_or((
        StatusCode::CREATED,
        json!({"reference": "ab1cde2fgh3i4jklmno", "messageId": 1511882900176220u64, "smsCount": 2, "usedCredits": 0.7, "remainingCredits": 82.85}),
    ));
    (status, Json(answer))
}

/// Starts the provider on 127.0.0.1:0 and the application pointed at it.
async fn app_with_provider(answers: Vec<(StatusCode, Value)>) -> (TestApp, Provider) {
    app_with_provider_and_key(answers, API_KEY).await
}

/// [`app_with_provider`], the application using `key`.
async fn app_with_provider_and_key(
    answers: Vec<(StatusCode, Value)>,
    key: &str,
) -> (TestApp, Provider) {
    let provider = Provider::default();
    provider.answers.lock().unwrap().extend(answers);
    let router = axum::Router::new()
        .route("/v3/transactionalSMS/sms", post(send_sms))
        .with_state(provider.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    let app = spawn_app_with(|config| {
        config.sms.url = Some(format!("http://{address}").parse().unwrap());
        config.sms.api_key = Some(SecretKey::from_bytes(key.as_bytes().to_vec()));
    })
    .await;
    (app, provider)
}

#[tokio::test]
async fn an_outage_is_retried_with_backoff_and_the_text_goes_out_once() {
    let (app, provider) = app_with_provider(vec![(
        StatusCode::INTERNAL_SERVER_ERROR,
        json!({"code": "internal_error", "message": "Service indisponible"}),
    )])
    .await;
    let created = kit::file(&app, &phone_only(REIMS, MOBILE)).await;
    let noon = paris(1, 12, 0);

    let first = app.drain_sms(noon).await;
    assert_eq!((first.sent, first.failed), (0, 1));
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Pending);
    assert_eq!(row.attempts, 1);
    assert!(
        row.last_error.as_deref().unwrap().contains("500"),
        "{row:?}"
    );
    assert!(row.next_attempt_at > noon, "waits before the next attempt");

    assert_eq!(app.drain_sms(noon + Duration::seconds(10)).await.sent, 0);
    assert_eq!(app.drain_sms(noon + Duration::minutes(5)).await.sent, 1);
    assert_eq!(app.drain_sms(noon + Duration::hours(5)).await.sent, 0);

    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Sent);
    assert_eq!(row.provider_id.as_deref(), Some("1511882900176220"));
    let received = provider.received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "one failed call, one delivery");
    let body = &received[1];
    assert_eq!(body["sender"], "Entraide");
    assert_eq!(body["recipient"], "33612345678");
    assert_eq!(body["type"], "transactional");
    assert_eq!(body["tag"], "sms_request_received");
    assert_eq!(body["unicodeEnabled"], false);
    let content = body["content"].as_str().unwrap();
    assert!(content.contains(&created.request.reference), "{content}");
    assert!(content.contains("http://localhost:3000/s/"), "{content}");
}

#[tokio::test]
async fn a_refusal_is_final_and_not_retried() {
    let (app, provider) = app_with_provider(vec![(
        StatusCode::BAD_REQUEST,
        json!({"code": "invalid_parameter", "message": "Invalid phone number 33612345678"}),
    )])
    .await;
    kit::file(&app, &phone_only(REIMS, MOBILE)).await;
    let noon = paris(1, 12, 0);
    assert_eq!(app.drain_sms(noon).await.failed, 1);
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Failed);
    let error = row.last_error.clone().unwrap();
    assert!(
        error.contains("400") && error.contains("invalid_parameter"),
        "{error}"
    );
    assert!(
        !error.contains("612345678"),
        "no telephone number kept: {error}"
    );

    assert_eq!(app.drain_sms(noon + Duration::days(1)).await.failed, 0);
    assert_eq!(provider.received.lock().unwrap().len(), 1, "not retried");

    // An operator puts it back in the queue: it goes out.
    assert_eq!(
        entraide::sms::outbox::retry_failed(&app.db, noon)
            .await
            .unwrap(),
        1
    );
    assert_eq!(app.drain_sms(noon + Duration::minutes(1)).await.sent, 1);
}

#[tokio::test]
async fn a_wrong_api_key_is_final_too() {
    let (app, provider) = app_with_provider_and_key(Vec::new(), "xkeysib-fausse").await;
    kit::file(&app, &phone_only(REIMS, MOBILE)).await;
    assert_eq!(app.drain_sms(paris(1, 12, 0)).await.failed, 1);
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Failed);
    assert!(row.last_error.as_deref().unwrap().contains("401"));
    assert!(provider.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn an_unreachable_provider_is_retried() {
    // A port nobody listens on any more.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let app = spawn_app_with(|config| {
        config.sms.url = Some(format!("http://{address}").parse().unwrap());
        config.sms.api_key = Some(SecretKey::from_bytes(API_KEY.as_bytes().to_vec()));
    })
    .await;
    kit::file(&app, &phone_only(REIMS, MOBILE)).await;
    assert_eq!(app.drain_sms(paris(1, 12, 0)).await.failed, 1);
    let row = &app.sms_rows(None).await[0];
    assert_eq!(row.status, OutboxStatus::Pending, "{row:?}");
    assert!(row.last_error.as_deref().unwrap().contains("cannot reach"));
}
