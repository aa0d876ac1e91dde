//! GraphQL over HTTP (issue 19): a request refused before it runs is answered `{"errors": […]}`
//! without `data` (one test per kind of refusal, each answered with `data` before), and the
//! media type follows `Accept`: the spec's own with 4xx for refused documents, or plain JSON.

use reqwest::header::{ACCEPT, CONTENT_TYPE};
use serde_json::{json, Value};

use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    requests_refused_before_running_have_no_data,
    executed_requests_keep_their_data,
    accept_chooses_the_media_type_and_the_status,
);

const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// Status, `Content-Type` and body of a POST of `body` with these headers.
async fn post_raw(server: &Server, headers: &[(&str, &str)], body: String) -> (u16, String, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .body(body);
    if !headers
        .iter()
        .any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
    {
        request = request.header(CONTENT_TYPE, "application/json");
    }
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("POST");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let text = response.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, content_type, body)
}

fn query(text: &str) -> String {
    json!({ "query": text }).to_string()
}

/// A refusal: its name, the request's headers and body, the status and code expected.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, String, u16, &'a str);

/// `body` is a request error: errors with codes, and no `data` key at all.
fn assert_request_error(body: &Value, code: &str) {
    assert!(
        body.get("data").is_none(),
        "a request error has no data: {body:#}"
    );
    assert_eq!(body["errors"][0]["extensions"]["code"], code, "{body:#}");
}

async fn requests_refused_before_running_have_no_data(db: &TestDb) {
    let server = Server::start(db).await;
    let aliases: String = (0..=ntm_tracker::graphql::MAX_ALIASES)
        .map(|i| format!(" a{i}: __typename"))
        .collect();
    let cases: Vec<Case> = vec![
        ("unparsable body", vec![], "{\"query\": ".to_owned(), 400, "VALIDATION"),
        ("parse error", vec![], query("{ localities {"), 200, "VALIDATION"),
        ("validation error", vec![], query("{ noSuchField }"), 200, "VALIDATION"),
        ("unknown operation", vec![], json!({"query": "query A { __typename }", "operationName": "B"}).to_string(), 200, "VALIDATION"),
        ("admission", vec![], query(&format!("{{{aliases} }}")), 200, "VALIDATION"),
        ("bad correlation id", vec![("X-Correlation-Id", "đợt 1")], query("{ __typename }"), 400, "VALIDATION"),
        ("unauthenticated", vec![("Authorization", "Bearer nope")], query("{ __typename }"), 401, "UNAUTHENTICATED"),
        ("unsupported media type", vec![("Content-Type", "text/plain")], query("{ __typename }"), 415, "VALIDATION"),
        (
            "unknown persisted query",
            vec![],
            json!({ "extensions": { "persistedQuery": { "version": 1, "sha256Hash": "ab".repeat(32) } } }).to_string(),
            200,
            "PERSISTED_QUERY_NOT_FOUND",
        ),
    ];
    for (case, headers, body, status, code) in cases {
        let (got, _, response) = post_raw(&server, &headers, body).await;
        assert_eq!(got, status, "{case}: {response:#}");
        assert_request_error(&response, code);
    }
}

/// A field that fails while running leaves `data` (here `null`: `summary` is non-null).
async fn executed_requests_keep_their_data(db: &TestDb) {
    let server = Server::start(db).await;
    let failing =
        "{ summary(parent: \"0190f5e0-0000-7000-8000-000000000000\", set: \"NOPE\") { units } }";
    for accept in [None, Some(GRAPHQL_RESPONSE)] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let (status, _, response) = post_raw(&server, &headers, query(failing)).await;
        assert_eq!(status, 200, "{response:#}");
        assert_eq!(response.get("data"), Some(&Value::Null), "{response:#}");
        assert_eq!(response["errors"][0]["path"], json!(["summary"]));
    }
    let (status, _, response) = post_raw(&server, &[], query("{ __typename }")).await;
    assert_eq!(
        (status, &response["data"]),
        (200, &json!({ "__typename": "Query" }))
    );
}

async fn accept_chooses_the_media_type_and_the_status(db: &TestDb) {
    let server = Server::start(db).await;
    let invalid = query("{ noSuchField }");
    let fine = query("{ __typename }");
    // The spec's media type: a refused document is 400.
    let spec = [("Accept", GRAPHQL_RESPONSE)];
    let (status, content_type, body) = post_raw(&server, &spec, invalid.clone()).await;
    assert_eq!((status, content_type.as_str()), (400, GRAPHQL_RESPONSE));
    assert_request_error(&body, "VALIDATION");
    let (status, content_type, _) = post_raw(&server, &spec, fine.clone()).await;
    assert_eq!((status, content_type.as_str()), (200, GRAPHQL_RESPONSE));
    // Plain JSON (asked for, `*/*`, or no Accept): 200 for the same refusal.
    for accept in [Some("application/json"), Some("*/*"), None] {
        let headers: Vec<(&str, &str)> = accept.map(|a| ("Accept", a)).into_iter().collect();
        let (status, content_type, body) = post_raw(&server, &headers, invalid.clone()).await;
        assert_eq!(
            (status, content_type.as_str()),
            (200, "application/json"),
            "{accept:?}"
        );
        assert_request_error(&body, "VALIDATION");
    }
    // Preference by q, as Apollo Client and graphql-http send it.
    let both = [(
        "Accept",
        "application/json;q=0.9, application/graphql-response+json",
    )];
    let (_, content_type, _) = post_raw(&server, &both, fine.clone()).await;
    assert_eq!(content_type, GRAPHQL_RESPONSE);
    // Neither: 406, with a JSON error.
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header(CONTENT_TYPE, "application/json")
        .header(ACCEPT, "text/html")
        .body(fine)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 406);
    let body: Value = response.json().await.expect("JSON");
    assert_request_error(&body, "NOT_ACCEPTABLE");
}
