//! What browsers and public deployments need: CORS preflights with configurable headers and
//! `Max-Age`, exposed headers, and introspection switched off.

use axum::http::{HeaderName, HeaderValue};
use ntm_tracker::AccessSettings;
use serde_json::json;

use super::header;
use crate::support::server::Server;
use crate::support::TestDb;

const ORIGIN: &str = "https://ntm.example.vn";

async fn preflight(server: &Server, headers: &str) -> reqwest::Response {
    reqwest::Client::new()
        .request(reqwest::Method::OPTIONS, server.url("/graphql"))
        .header("Origin", ORIGIN)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", headers)
        .send()
        .await
        .expect("OPTIONS")
}

#[tokio::test]
async fn a_preflight_allows_the_configured_headers_for_max_age() {
    let db = TestDb::sqlite().await;
    let access = AccessSettings {
        cors_origins: vec![HeaderValue::from_static(ORIGIN)],
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, access).await;
    let asked = "authorization, content-type, x-correlation-id, apollo-require-preflight";
    let response = preflight(&server, asked).await;
    assert_eq!(header(&response, "access-control-allow-origin"), ORIGIN);
    assert_eq!(header(&response, "access-control-max-age"), "600");
    let allowed = header(&response, "access-control-allow-headers");
    for name in asked.split(", ") {
        assert!(allowed.contains(name), "{name} in {allowed}");
    }
    let answer = reqwest::Client::new()
        .get(server.url("/graphql"))
        .query(&[("query", "{ __typename }")])
        .header("Origin", ORIGIN)
        .send()
        .await
        .expect("GET");
    let exposed = header(&answer, "access-control-expose-headers");
    for name in ["x-request-id", "x-correlation-id", "etag"] {
        assert!(exposed.contains(name), "{name} exposed: {exposed}");
    }
    drop(server);

    let access = AccessSettings {
        cors_origins: vec![HeaderValue::from_static(ORIGIN)],
        cors_headers: vec![HeaderName::from_static("x-team")],
        cors_max_age: std::time::Duration::from_secs(60),
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, access).await;
    let response = preflight(&server, "x-team").await;
    assert_eq!(header(&response, "access-control-allow-headers"), "x-team");
    assert_eq!(header(&response, "access-control-max-age"), "60");
}

#[tokio::test]
async fn introspection_can_be_switched_off() {
    let db = TestDb::sqlite().await;
    let introspect = "{ __schema { queryType { name } } }";
    let open = Server::start(&db).await;
    let data = open.data(introspect, json!({})).await;
    assert_eq!(data["__schema"]["queryType"]["name"], "Query");
    drop(open);

    let access = AccessSettings {
        failures_per_minute: 10_000,
        introspection: false,
        ..AccessSettings::default()
    };
    let server = Server::start_with(&db, access).await;
    for query in [
        introspect,
        "{ __type(name: \"Locality\") { name } }",
        "query { ...Peek } fragment Peek on Query { ... on Query { __schema { types { name } } } }",
    ] {
        let response = server.post(query, json!({})).await;
        let error = &response["errors"][0];
        assert_eq!(error["extensions"]["code"], "VALIDATION", "{response:#}");
        assert_eq!(
            error["extensions"]["limit"], "INTROSPECTION_DISABLED",
            "{response:#}"
        );
        assert!(
            response.get("data").is_none_or(|d| d.is_null()),
            "{response:#}"
        );
    }
    assert_eq!(
        server.data("{ __typename }", json!({})).await["__typename"],
        "Query"
    );
    // Responses are still shaped from the schema: a failed non-null field nulls `data`.
    let response = server
        .post(
            "{ a: __typename b: summary(parent: \"x\", set: \"NOPE\") { units } }",
            json!({}),
        )
        .await;
    assert!(response["data"].is_null(), "{response:#}");
    assert!(
        response["errors"][0]["extensions"]["code"].is_string(),
        "{response:#}"
    );
}
