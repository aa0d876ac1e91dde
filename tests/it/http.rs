//! The HTTP server on a real loopback socket.

use crate::support::server::Server;
use crate::support::TestDb;

#[tokio::test]
async fn health_and_readiness_answer_over_http() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let client = reqwest::Client::new();
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let response = client.get(server.url(path)).send().await.expect("GET");
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.text().await.expect("body"), body);
    }
    db.db.close().await;
    let response = client.get(server.url("/readyz")).send().await.expect("GET");
    assert_eq!(response.status(), 503, "a closed database is not ready");
    // A fault of ours reaches the client as INTERNAL, without the database's error text.
    let error = server
        .error("{ localities { totalCount } }", serde_json::json!({}))
        .await;
    assert_eq!(error["extensions"]["code"], "INTERNAL", "{error:#}");
    assert_eq!(error["message"], "internal error");
}
