//! With `Accept-Language: vi` (or `acceptLanguage: "vi"` in a socket's `connection_init`), each
//! error's `message` is Vietnamese and the English one is in `extensions.messageEn`; codes
//! and every other field are unchanged. One case per family of codes; English stays the
//! default (docs/decisions/error-language.md).

use futures::SinkExt;
use ntm_tracker::auth::Role;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::graphql::enrolled_commune;
use crate::support::server::{token, Server};
use crate::support::websocket::{connect_to, next_json};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    every_family_of_codes_reads_in_vietnamese,
    english_stays_the_default_and_q_values_decide,
    a_socket_asking_for_vietnamese_gets_vietnamese_errors
);

const UNKNOWN_SET: &str =
    "query($parent: ID!) { summary(parent: $parent, set: \"NOPE\") { units } }";

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { position } }";

fn reading(locality: &str, key: &str, percent: u32, on: &str, expected: Option<i64>) -> Value {
    json!({ "input": { "locality": locality, "idempotencyKey": key, "set": "NTM-XA-2021-2025",
        "indicator": "2.1", "value": { "percent": percent }, "effectiveOn": on,
        "expectedVersion": expected } })
}

/// The status, `Content-Language` and first error of a POST with these headers.
async fn first_error(
    server: &Server,
    headers: &[(&str, &str)],
    query: &str,
    variables: Value,
) -> (u16, Option<String>, Value) {
    let mut request = reqwest::Client::new().post(server.url("/graphql"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("POST /graphql");
    let status = response.status().as_u16();
    let language = response
        .headers()
        .get("content-language")
        .map(|v| v.to_str().expect("text").to_owned());
    let body: Value = response.json().await.expect("JSON");
    (status, language, body["errors"][0].clone())
}

/// Asserts a Vietnamese error of `code` whose message contains `words`, with its English
/// message kept.
fn vietnamese(error: &Value, code: &str, words: &str) {
    assert_eq!(error["extensions"]["code"], code, "{error:#}");
    let message = error["message"].as_str().expect("message");
    assert!(message.contains(words), "{words:?} not in {message:?}");
    let english = error["extensions"]["messageEn"]
        .as_str()
        .expect("messageEn");
    assert!(!english.is_empty() && english != message, "{error:#}");
}

async fn every_family_of_codes_reads_in_vietnamese(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let admin = [
        ("Authorization", server.admin.as_str()),
        ("Accept-Language", "vi-VN"),
    ];
    let ask = |query: &'static str, variables: Value| {
        let server = &server;
        async move { first_error(server, &admin, query, variables).await }
    };
    let unknown_set = json!({ "parent": commune });
    let (_, language, error) = ask(UNKNOWN_SET, unknown_set).await;
    assert_eq!(language.as_deref(), Some("vi"));
    vietnamese(&error, "NOT_FOUND", "Không tìm thấy bộ tiêu chí «NOPE»");
    assert_eq!(
        error["extensions"]["messageEn"],
        "criteria set NOPE not found"
    );

    let future = reading(&commune, "future", 80, "2999-01-01", None);
    let (_, _, error) = ask(READING, future).await;
    vietnamese(&error, "VALIDATION", "Giá trị không hợp lệ ở «effectiveOn»");
    assert_eq!(error["extensions"]["field"], "effectiveOn");

    let enrol = json!({ "input": { "locality": commune, "idempotencyKey": "enrol nc",
        "set": "NTM-XA-NANG-CAO-2021-2025", "targetYear": 2024, "effectiveOn": "2022-06-01" } });
    let enrolling =
        "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }";
    server.data(enrolling, enrol).await;
    let nang_cao = json!({ "input": { "locality": commune, "idempotencyKey": "nc",
        "set": "NTM-XA-NANG-CAO-2021-2025", "level": "NTM_NANG_CAO", "decision": "3/QĐ-UBND",
        "signedOn": "2024-06-01", "effectiveOn": "2024-06-01", "issuer": "UBND tỉnh Hà Tĩnh",
        "signer": "Chủ tịch", "standardYear": 2024,
        "overrideReason": "criteria assessments predate this register" } });
    let grant =
        "mutation($input: GrantRecognitionInput!) { grantRecognition(input: $input) { position } }";
    let (_, _, error) = ask(grant, nang_cao).await;
    vietnamese(
        &error,
        "VALIDATION",
        "trái quy định: xã chỉ được công nhận nông thôn mới nâng cao",
    );
    assert_eq!(error["extensions"]["rule"], "NANG_CAO_REQUIRES_NTM");

    let (_, _, error) = ask("{ nope }", json!({})).await;
    vietnamese(&error, "VALIDATION", "Yêu cầu GraphQL không hợp lệ");

    let first = server
        .data(READING, reading(&commune, "k", 80, "2021-02-01", None))
        .await;
    assert!(first["recordIndicatorReading"]["position"].is_i64());
    let (_, _, error) = ask(READING, reading(&commune, "k", 60, "2021-02-01", None)).await;
    vietnamese(&error, "IDEMPOTENCY_KEY_REUSED", "Khóa chống ghi trùng");

    let (_, _, error) = ask(
        READING,
        reading(&commune, "stale", 60, "2021-02-01", Some(1)),
    )
    .await;
    vietnamese(&error, "VERSION_CONFLICT", "phiên bản 1");

    let (_, _, error) = ask(
        "{ locality(code: \"42\", minPosition: 999999) { id } }",
        json!({}),
    )
    .await;
    vietnamese(&error, "NOT_READY", "chưa đến vị trí 999999");

    let (_, viewer) = token(&server.store, "xem", Role::Viewer, None, None).await;
    let as_viewer = [
        ("Authorization", viewer.as_str()),
        ("Accept-Language", "vi"),
    ];
    let other = reading(&commune, "v", 60, "2021-02-01", None);
    let (_, _, error) = first_error(&server, &as_viewer, READING, other).await;
    vietnamese(&error, "FORBIDDEN", "Không được phép");

    let unknown = [("Authorization", "Bearer nope"), ("Accept-Language", "vi")];
    let (status, _, error) =
        first_error(&server, &unknown, "{ criteriaSets { code } }", json!({})).await;
    assert_eq!(status, 401);
    vietnamese(&error, "UNAUTHENTICATED", "Cần mã truy cập");

    let get = reqwest::Client::new()
        .get(server.url("/graphql?query=mutation%7BretractEvent%7D"))
        .header("Accept-Language", "vi")
        .send()
        .await
        .expect("GET");
    assert_eq!(get.status().as_u16(), 405);
    let body: Value = get.json().await.expect("JSON");
    vietnamese(
        &body["errors"][0],
        "VALIDATION",
        "chỉ được dùng để truy vấn",
    );
}

async fn english_stays_the_default_and_q_values_decide(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let unknown_set = json!({ "parent": commune });
    for accept in [None, Some("en-US,vi;q=0.9"), Some("fr"), Some("vi;q=0")] {
        let mut headers = vec![("Authorization", server.admin.as_str())];
        headers.extend(accept.map(|a| ("Accept-Language", a)));
        let (_, language, error) =
            first_error(&server, &headers, UNKNOWN_SET, unknown_set.clone()).await;
        assert_eq!(
            error["message"], "criteria set NOPE not found",
            "{accept:?}"
        );
        assert!(error["extensions"].get("messageEn").is_none());
        assert_eq!(language, None);
    }
    let headers = [
        ("Authorization", server.admin.as_str()),
        ("Accept-Language", "en;q=0.5, vi"),
    ];
    let (_, _, error) = first_error(&server, &headers, UNKNOWN_SET, unknown_set).await;
    vietnamese(&error, "NOT_FOUND", "Không tìm thấy");
}

async fn a_socket_asking_for_vietnamese_gets_vietnamese_errors(db: &TestDb) {
    let server = Server::start(db).await;
    let payload = json!({ "Authorization": server.admin, "acceptLanguage": "vi" });
    let mut socket = connect_to(&server.address.to_string(), payload).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    let start = json!({ "id": "1", "type": "subscribe", "payload": {
        "query": "subscription { standingChanged(set: \"NOPE\") { set } }" } });
    socket
        .send(Message::text(start.to_string()))
        .await
        .expect("subscribe");
    let message = next_json(&mut socket).await;
    let errors = match message["type"].as_str() {
        Some("error") => message["payload"].clone(),
        _ => message["payload"]["errors"].clone(),
    };
    vietnamese(&errors[0], "NOT_FOUND", "Không tìm thấy bộ tiêu chí «NOPE»");
}
