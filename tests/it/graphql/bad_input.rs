//! Refused requests: each answers with the right `extensions.code` (and field) and records
//! nothing; an idempotent retry records nothing twice.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(refused_inputs_name_their_code_and_record_nothing);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { version position } }";

fn reading(locality: &str, key: &str, value: Value, on: &str) -> Value {
    json!({ "input": {
        "locality": locality, "idempotencyKey": key, "set": "NTM-XA-2021-2025",
        "indicator": "2.1", "value": value, "effectiveOn": on } })
}

/// Sends `query`, checks the error's code (and field), and that no event was recorded.
async fn refused(server: &Server, query: &str, variables: Value, code: &str, field: Option<&str>) {
    let before = server.event_count().await;
    let error = server.error(query, variables).await;
    assert_eq!(error["extensions"]["code"], code, "{error:#}");
    if let Some(field) = field {
        assert_eq!(error["extensions"]["field"], field, "{error:#}");
    }
    assert_eq!(
        server.event_count().await,
        before,
        "nothing recorded: {error:#}"
    );
}

async fn refused_inputs_name_their_code_and_record_nothing(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    let enrol = json!({ "input": { "locality": commune, "idempotencyKey": "enrol",
        "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" } });
    let enrolled = server
        .data("mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version position } }", enrol.clone())
        .await;
    assert_eq!(enrolled["enrolLocality"]["version"], 2);

    let set = server
        .data("{ criteriaSet(code: \"NTM-XA-2021-2025\") { criteria { code indicators { code kind } } } }", json!({}))
        .await;
    let transport = &set["criteriaSet"]["criteria"][1];
    assert_eq!(
        transport["indicators"][0],
        json!({ "code": "2.1", "kind": "PERCENT" }),
        "{set:#}"
    );
    let (right, wrong) = (json!({ "percent": 80 }), json!({ "flag": true }));

    let unknown = uuid::Uuid::now_v7().to_string();
    refused(
        &server,
        READING,
        reading(&unknown, "k1", right.clone(), "2021-02-01"),
        "NOT_FOUND",
        None,
    )
    .await;
    let mut unknown_indicator = reading(&commune, "k2", right.clone(), "2021-02-01");
    unknown_indicator["input"]["indicator"] = json!("99.9");
    refused(
        &server,
        READING,
        unknown_indicator,
        "VALIDATION",
        Some("indicator"),
    )
    .await;
    refused(
        &server,
        READING,
        reading(&commune, "k3", wrong, "2021-02-01"),
        "VALIDATION",
        Some("value"),
    )
    .await;
    refused(
        &server,
        READING,
        reading(&commune, "k4", right.clone(), "2999-01-01"),
        "VALIDATION",
        Some("effectiveOn"),
    )
    .await;
    refused(
        &server,
        READING,
        reading(&commune, "k5", json!({ "percent": 120 }), "2021-02-01"),
        "VALIDATION",
        Some("value"),
    )
    .await;
    refused(
        &server,
        READING,
        reading(&commune, "k6", right.clone(), "2021-13-45"),
        "VALIDATION",
        None,
    )
    .await;
    let mut stale = reading(&commune, "k7", right.clone(), "2021-02-01");
    stale["input"]["expectedVersion"] = json!(1);
    let before = server.event_count().await;
    let conflict = server.error(READING, stale).await;
    assert_eq!(
        conflict["extensions"],
        json!({ "code": "VERSION_CONFLICT", "expected": 1, "actual": 2 })
    );
    assert_eq!(server.event_count().await, before);

    // The same key twice: one event, the same answer.
    let first = server
        .data(
            READING,
            reading(&commune, "k8", right.clone(), "2021-02-01"),
        )
        .await;
    let again = server
        .data(READING, reading(&commune, "k8", right, "2021-02-01"))
        .await;
    assert_eq!(first, again);
    assert_eq!(server.event_count().await, before + 1);

    // A retraction keeps the original in the log; a second one, or an unknown position, is refused.
    let retract = "mutation($input: RetractEventInput!) { retractEvent(input: $input) { version events { type } } }";
    let position = first["recordIndicatorReading"]["position"].clone();
    let input = |key: &str, position: Value| json!({ "input": { "position": position, "reason": "entered twice", "idempotencyKey": key } });
    let retracted = server.data(retract, input("r1", position.clone())).await;
    assert_eq!(
        retracted["retractEvent"],
        json!({ "version": 4, "events": [{ "type": "EVENT_RETRACTED" }] })
    );
    refused(
        &server,
        retract,
        input("r2", position),
        "VALIDATION",
        Some("position"),
    )
    .await;
    refused(
        &server,
        retract,
        input("r3", json!(99_999)),
        "NOT_FOUND",
        None,
    )
    .await;
    let revoke = "mutation($input: RevokeRecognitionInput!) { revokeRecognition(input: $input) { version } }";
    let unknown_decision = json!({ "input": { "locality": commune, "idempotencyKey": "v1", "decision": "77/QĐ-UBND",
        "revoked": "76/QĐ-UBND", "reason": "criteria no longer met", "issuer": "UBND tỉnh",
        "effectiveOn": "2021-03-01" } });
    refused(
        &server,
        revoke,
        unknown_decision,
        "VALIDATION",
        Some("revoked"),
    )
    .await;
    let history = server
        .data(
            "query($id: ID!) { locality(id: $id) { history { edges { node { type } } } } }",
            json!({ "id": commune }),
        )
        .await;
    let types: Vec<&str> = history["locality"]["history"]["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["type"].as_str())
        .collect();
    assert_eq!(
        types,
        [
            "LOCALITY_ESTABLISHED",
            "PROGRAMME_ENROLLED",
            "INDICATOR_RECORDED",
            "EVENT_RETRACTED"
        ]
    );

    refused(
        &server,
        "{ locality(id: \"x\", code: \"18112\") { id } }",
        json!({}),
        "VALIDATION",
        Some("id"),
    )
    .await;
    refused(
        &server,
        "query($id: ID!) { locality(id: $id) { standing(set: \"NO-SUCH-SET\") { criteriaMet } } }",
        json!({ "id": commune }),
        "NOT_FOUND",
        None,
    )
    .await;
    refused(
        &server,
        "{ localities(first: 501) { totalCount } }",
        json!({}),
        "VALIDATION",
        Some("first"),
    )
    .await;
    let deep = format!(
        "{{ locality(code: \"18112\") {{ {} id {} }} }}",
        "parent { ".repeat(20),
        "}".repeat(20)
    );
    refused(&server, &deep, json!({}), "VALIDATION", None).await;
    // Nested pages multiply: 500 localities × 500 events each.
    let costly = "{ localities(first: 500) { edges { node { history(first: 500) { edges { node { position } } } } } } }";
    refused(&server, costly, json!({}), "VALIDATION", None).await;
    refused(
        &server,
        "{ localities { nope } }",
        json!({}),
        "VALIDATION",
        None,
    )
    .await;

    let oversized =
        json!({ "query": format!("{{ criteriaSets {{ code }} }} #{}", "x".repeat(100_000)) });
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .json(&oversized)
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 413, "the body limit refuses it");
    let answer: Value = response.json().await.expect("a typed error");
    assert_eq!(
        answer["errors"][0]["extensions"]["code"],
        "PAYLOAD_TOO_LARGE"
    );

    // Without a length announced (chunked), a JSON body is refused at the same limit.
    let chunks = futures::stream::iter((0..40).map(|_| Ok::<_, std::io::Error>(vec![b' '; 4096])));
    let response = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("Content-Type", "application/json")
        .body(reqwest::Body::wrap_stream(chunks))
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), 413, "a streamed body is cut too");
}
