//! Public read, what anonymous readers see of the audit feed, CORS and the failure limit.

use axum::http::HeaderValue;
use ntm_tracker::auth::Role;
use ntm_tracker::AccessSettings;
use serde_json::json;

use crate::support::graphql::register;
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(anonymous_readers_see_no_identities_and_can_be_shut_out);

const FEED: &str = "{ events(first: 500) { edges { node { type actor } } } }";

async fn anonymous_readers_see_no_identities_and_can_be_shut_out(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let (_, viewer) = token(&server.store, "Báo chí", Role::Viewer, None, None).await;
    let (_, auditor) = token(&server.store, "Thanh tra", Role::Auditor, None, None).await;
    let types = |response: &serde_json::Value| -> Vec<(String, serde_json::Value)> {
        let edges = response["data"]["events"]["edges"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        edges
            .iter()
            .map(|e| {
                (
                    e["node"]["type"].as_str().unwrap_or("").to_owned(),
                    e["node"]["actor"].clone(),
                )
            })
            .collect()
    };
    // Token events (names, roles, scopes) and actors only for auditors.
    for (header, code) in [
        (None, "UNAUTHENTICATED"),
        (Some(viewer.as_str()), "FORBIDDEN"),
    ] {
        let seen = types(&server.post_as(header, FEED, json!({})).await);
        assert_eq!(
            seen,
            vec![("LOCALITY_ESTABLISHED".to_owned(), json!(null))],
            "{header:?}"
        );
        let by_actor = "{ events(filter: { actor: \"test admin\" }) { edges { node { type } } } }";
        let refused = server.post_as(header, by_actor, json!({})).await;
        assert_eq!(
            refused["errors"][0]["extensions"]["code"], code,
            "{refused:#}"
        );
    }
    let seen = types(&server.post_as(Some(&auditor), FEED, json!({})).await);
    assert_eq!(
        seen.iter().filter(|(t, _)| t == "TOKEN_CREATED").count(),
        3,
        "{seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|(_, actor)| actor.is_null()).count(),
        0,
        "{seen:?}"
    );

    // Present standing is public by default; NTM_PUBLIC_READ=false needs a token for it.
    let read = "query($id: ID!) { locality(id: $id) { name } }";
    server.caught_up(server.event_count().await).await;
    let public = server.post_as(None, read, json!({ "id": province })).await;
    assert_eq!(public["data"]["locality"]["name"], "Tỉnh Hà Tĩnh");
    drop(server);
    let access = AccessSettings {
        public_read: false,
        ..AccessSettings::default()
    };
    let private = Server::start_with(db, access).await;
    let anonymous = private.post_as(None, read, json!({ "id": province })).await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous:#}"
    );
    let viewed = private
        .post_as(Some(&viewer), read, json!({ "id": province }))
        .await;
    assert_eq!(
        viewed["data"]["locality"]["name"], "Tỉnh Hà Tĩnh",
        "{viewed:#}"
    );
}

#[tokio::test]
async fn failed_authentications_are_limited_per_address() {
    let db = TestDb::sqlite().await;
    let access = AccessSettings {
        failures_per_minute: 3,
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, access).await;
    let query = "{ criteriaSets { code } }";
    let bad = format!("Bearer ntm_{}", "cd".repeat(32));
    // A refused token is 401 with a Bearer challenge, and counts as a failure.
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("Authorization", &bad)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["www-authenticate"], "Bearer");
    for _ in 0..2 {
        let response = server.post_as(Some(&bad), query, json!({})).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"],
            "UNAUTHENTICATED"
        );
    }
    // Past the limit even a good token is not checked until the minute is over.
    for header in [bad.as_str(), server.admin.as_str()] {
        let response = server.post_as(Some(header), query, json!({})).await;
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "RATE_LIMITED",
            "{response:#}"
        );
    }
    // Anonymous reads do not present a credential and stay open.
    let response = server.post_as(None, query, json!({})).await;
    assert!(response["errors"].is_null(), "{response:#}");
}

#[tokio::test]
async fn cors_is_off_unless_origins_are_listed() {
    let db = TestDb::sqlite().await;
    let allowed = "https://ntm.example.vn";
    let preflight = |server: &Server, origin: &str| {
        let request = reqwest::Client::new()
            .request(reqwest::Method::OPTIONS, server.url("/graphql"))
            .header("Origin", origin)
            .header("Access-Control-Request-Method", "POST")
            .header(
                "Access-Control-Request-Headers",
                "authorization, content-type",
            );
        async move {
            let response = request.send().await.expect("OPTIONS");
            response
                .headers()
                .get("access-control-allow-origin")
                .map(|v| v.to_str().unwrap_or("").to_owned())
        }
    };
    let closed = Server::start(&db).await;
    assert_eq!(preflight(&closed, allowed).await, None);
    drop(closed);
    let access = AccessSettings {
        cors_origins: vec![HeaderValue::from_static(allowed)],
        ..AccessSettings::default()
    };
    let open = Server::start_with(&db, access).await;
    assert_eq!(preflight(&open, allowed).await.as_deref(), Some(allowed));
    assert_eq!(preflight(&open, "https://evil.example").await, None);
}
