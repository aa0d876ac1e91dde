//! The HTTP server on a real loopback socket.

use ntm_tracker::{app, AppState};

use crate::helpers::TestDb;

#[tokio::test]
async fn health_and_readiness_answer_over_http() {
    let db = TestDb::sqlite().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let router = app(AppState {
        store: db.store().await,
    });
    tokio::spawn(async move { axum::serve(listener, router).await });

    let client = reqwest::Client::new();
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let response = client
            .get(format!("http://{address}{path}"))
            .send()
            .await
            .expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.text().await.expect("body"), body);
    }
    db.db.close().await;
    let response = client
        .get(format!("http://{address}/readyz"))
        .send()
        .await
        .expect("GET");
    assert_eq!(response.status(), 503, "a closed database is not ready");
}
