use serde_json::json;

use crate::helpers::spawn_app;

#[tokio::test]
async fn healthz_says_the_process_is_up() {
    let app = spawn_app().await;
    let response = app.server.get("/healthz").await;
    response.assert_status_ok();
    response.assert_json(&json!({ "status": "ok" }));
}

#[tokio::test]
async fn readyz_says_the_database_answers() {
    let app = spawn_app().await;
    let response = app.server.get("/readyz").await;
    response.assert_status_ok();
    response.assert_json(&json!({ "status": "ok", "database": "ok" }));
}

#[tokio::test]
async fn readyz_is_unavailable_when_the_database_does_not_answer() {
    let app = spawn_app().await;
    app.db.close_by_ref().await.unwrap();
    let response = app.server.get("/readyz").await;
    response.assert_status(axum::http::StatusCode::SERVICE_UNAVAILABLE);
    response.assert_json(&json!({ "status": "unavailable", "database": "unreachable" }));
}

#[tokio::test]
async fn shutdown_stops_the_server_and_the_workers() {
    let database = crate::helpers::TestDatabase::create().await;
    let mut config = entraide::Config::from_lookup(|_| None).unwrap();
    config.database_url = database.url();
    config.bind_addr = "127.0.0.1:0".parse().unwrap();
    let app = entraide::Application::build(config).await.unwrap();
    let port = app.port();
    let workers = app.workers();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(
        app.into_server(Box::pin(async move {
            let _ = stopped.await;
        }))
        .into_future(),
    );
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_ok()
    );

    stop.send(()).unwrap();
    let finished = tokio::time::timeout(std::time::Duration::from_secs(10), server).await;
    assert!(
        matches!(finished, Ok(Ok(Ok(())))),
        "the server stops cleanly"
    );
    tokio::time::timeout(std::time::Duration::from_secs(10), workers.stop())
        .await
        .expect("the workers stop");
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port))
            .await
            .is_err(),
        "no longer listening"
    );
}
