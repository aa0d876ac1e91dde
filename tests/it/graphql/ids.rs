//! Every event the API writes carries the request's id and the client's correlation id, and
//! names the event it follows from: an auditor can ask which events one request, one
//! conversation or one merger caused. A key reused for another command is refused.

use serde_json::{json, Value};
use uuid::Uuid;

use crate::support::graphql::{enrolled_commune, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_merger_is_correlated_and_names_its_cause_on_every_side,
    a_retraction_names_the_event_it_withdraws,
    a_correlation_id_that_is_not_a_uuid_is_refused,
    an_idempotency_key_reused_for_another_command_is_refused
);

const MERGE: &str = "mutation($input: MergeLocalitiesInput!) {
    mergeLocalities(input: $input) { events { eventId type localityId } position } }";

const FEED: &str = "query($filter: EventFilter) { events(filter: $filter, first: 50) {
    edges { node { eventId type localityId requestId correlationId causationId } } } }";

/// A POST as the admin with extra headers: the response's headers and JSON body.
async fn post_with(
    server: &Server,
    headers: &[(&str, &str)],
    query: &str,
    variables: Value,
) -> (reqwest::StatusCode, reqwest::header::HeaderMap, Value) {
    let mut request = reqwest::Client::new()
        .post(server.url("/graphql"))
        .header("Authorization", &server.admin);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request
        .json(&json!({ "query": query, "variables": variables }))
        .send()
        .await
        .expect("POST /graphql");
    let (status, headers) = (response.status(), response.headers().clone());
    (status, headers, response.json().await.expect("JSON"))
}

fn header(headers: &reqwest::header::HeaderMap, name: &str) -> String {
    headers[name].to_str().expect("text").to_owned()
}

async fn feed(server: &Server, filter: Value, position: i64) -> Vec<Value> {
    server.caught_up(position).await;
    let data = server.data(FEED, json!({ "filter": filter })).await;
    data["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn a_merger_is_correlated_and_names_its_cause_on_every_side(db: &TestDb) {
    let server = Server::start(db).await;
    let a = register(&server, "Xã Thạch Môn", "COMMUNE", "18097", None).await;
    let b = register(&server, "Xã Thạch Đồng", "COMMUNE", "18098", None).await;
    let conversation = Uuid::now_v7().to_string();
    let input = json!({ "input": { "sources": [a, b],
        "newLocality": { "name": "Xã Đồng Môn", "kind": "COMMUNE", "code": "18103",
                         "thresholdRegion": "BTB" },
        "effectiveOn": "2020-01-01", "legalAct": "653/2019/UBTVQH14",
        "idempotencyKey": "merger dong mon" } });
    let (status, headers, body) = post_with(
        &server,
        &[("X-Correlation-Id", &conversation)],
        MERGE,
        input,
    )
    .await;
    assert!(
        status.is_success() && body.get("errors").is_none(),
        "{body:#}"
    );
    assert_eq!(header(&headers, "x-correlation-id"), conversation);
    let request = header(&headers, "x-request-id");
    assert!(request.parse::<Uuid>().is_ok() && request != conversation);
    let merged = &body["data"]["mergeLocalities"];
    let position = merged["position"].as_i64().expect("position");
    let decision = merged["events"]
        .as_array()
        .expect("events")
        .iter()
        .find(|e| e["type"] == "LOCALITIES_MERGED")
        .expect("the merger's own event")
        .clone();

    let events = feed(&server, json!({ "correlationId": conversation }), position).await;
    assert_eq!(events.len(), 4, "{events:#?}");
    for event in &events {
        assert_eq!(event["requestId"], request.as_str());
        assert_eq!(event["correlationId"], conversation.as_str());
        let on_successor = event["localityId"] == decision["localityId"];
        let expected_cause = match on_successor {
            true => Value::Null,
            false => decision["eventId"].clone(),
        };
        assert_eq!(event["causationId"], expected_cause, "{event:#}");
    }
    let caused = feed(
        &server,
        json!({ "causationId": decision["eventId"] }),
        position,
    )
    .await;
    let types: Vec<&Value> = caused.iter().map(|e| &e["type"]).collect();
    assert_eq!(types, ["MERGED_INTO", "MERGED_INTO"]);

    // A request without a correlation id is its own conversation.
    let c = register(&server, "Xã Thạch Hạ", "COMMUNE", "18100", None).await;
    let position = server.event_count().await;
    let events = feed(&server, json!({ "locality": c }), position).await;
    assert_eq!(events[0]["correlationId"], events[0]["requestId"]);
    assert_ne!(events[0]["requestId"], request.as_str());
}

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { events { eventId position } position } }";

fn reading(locality: &str, key: &str, percent: u32) -> Value {
    json!({ "input": {
        "locality": locality, "idempotencyKey": key, "set": "NTM-XA-2021-2025",
        "indicator": "2.1", "value": { "percent": percent }, "effectiveOn": "2021-02-01" } })
}

async fn a_retraction_names_the_event_it_withdraws(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let recorded = server.data(READING, reading(&commune, "r1", 80)).await;
    let withdrawn = &recorded["recordIndicatorReading"]["events"][0];
    let retracted = server
        .data(
            "mutation($input: RetractEventInput!) { retractEvent(input: $input) { position } }",
            json!({ "input": { "position": withdrawn["position"], "reason": "typed 80 for 60",
                               "idempotencyKey": "retract r1" } }),
        )
        .await;
    let position = retracted["retractEvent"]["position"]
        .as_i64()
        .expect("position");
    let caused = feed(
        &server,
        json!({ "causationId": withdrawn["eventId"] }),
        position,
    )
    .await;
    assert_eq!(caused.len(), 1, "{caused:#?}");
    assert_eq!(caused[0]["type"], "EVENT_RETRACTED");
}

async fn a_correlation_id_that_is_not_a_uuid_is_refused(db: &TestDb) {
    let server = Server::start(db).await;
    let before = server.event_count().await;
    let input = json!({ "input": { "name": "Xã Thạch Bình", "kind": "COMMUNE", "code": "18112",
        "thresholdRegion": "BTB", "effectiveOn": "2019-01-01", "idempotencyKey": "k" } });
    let query = "mutation($input: RegisterLocalityInput!) {
        registerLocality(input: $input) { position } }";
    let (status, _, body) = post_with(
        &server,
        &[("X-Correlation-Id", "đợt 1 năm 2024")],
        query,
        input,
    )
    .await;
    assert_eq!(status, reqwest::StatusCode::BAD_REQUEST);
    assert_eq!(body["errors"][0]["extensions"]["code"], "VALIDATION");
    assert_eq!(body["errors"][0]["extensions"]["field"], "correlationId");
    assert_eq!(server.event_count().await, before, "nothing written");
}

async fn an_idempotency_key_reused_for_another_command_is_refused(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let first = server.data(READING, reading(&commune, "k", 80)).await;
    let retried = server.data(READING, reading(&commune, "k", 80)).await;
    assert_eq!(first, retried, "a retry answers with the first result");
    let count = server.event_count().await;
    let error = server.error(READING, reading(&commune, "k", 60)).await;
    assert_eq!(error["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED");
    assert_eq!(error["extensions"]["field"], "idempotencyKey");
    assert_eq!(server.event_count().await, count, "nothing written");
}
