//! An idempotency key answers a retry of the same input with the first result and refuses
//! another input with `IDEMPOTENCY_KEY_REUSED`: "the same input" is the mutation's arguments
//! with variables substituted, as canonical JSON (docs/decisions/idempotency-key-reuse.md).

use serde_json::{json, Value};

use crate::support::graphql::enrolled_commune;
use ntm_tracker::auth::Role;

use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    the_same_input_written_otherwise_is_a_retry,
    another_input_under_the_same_key_is_refused_and_writes_nothing,
    a_registration_without_an_id_is_retried_with_the_first_id,
    the_same_key_of_another_token_is_another_command
);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { events { eventId position } version position } }";

fn reading(locality: &str, key: &str, percent: f64, note: Option<&str>) -> Value {
    let mut input = json!({
        "idempotencyKey": key, "locality": locality, "set": "NTM-XA-2021-2025",
        "indicator": "2.1", "value": { "percent": percent }, "effectiveOn": "2021-02-01" });
    if let Some(note) = note {
        input["evidence"] = json!({ "note": note });
    }
    json!({ "input": input })
}

async fn the_same_input_written_otherwise_is_a_retry(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let first = server
        .data(READING, reading(&commune, "k", 80.0, None))
        .await;
    let count = server.event_count().await;
    // Literal arguments in another order, a whole float as an integer, an explicit null.
    let literal = format!(
        "mutation {{ recordIndicatorReading(input: {{ effectiveOn: \"2021-02-01\",
            value: {{ percent: 80 }}, indicator: \"2.1\", set: \"NTM-XA-2021-2025\",
            locality: \"{commune}\", evidence: null, idempotencyKey: \"k\" }})
            {{ events {{ eventId position }} version position }} }}"
    );
    let retried = server.data(&literal, json!({})).await;
    assert_eq!(first, retried, "a retry answers with the first result");
    assert_eq!(server.event_count().await, count, "nothing written twice");
}

async fn another_input_under_the_same_key_is_refused_and_writes_nothing(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    server
        .data(READING, reading(&commune, "k", 80.0, None))
        .await;
    let count = server.event_count().await;
    for other in [
        reading(&commune, "k", 60.0, None),
        reading(&commune, "k", 80.0, Some("biên bản")),
    ] {
        let error = server.error(READING, other).await;
        assert_eq!(error["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED");
        assert_eq!(error["extensions"]["field"], "idempotencyKey");
    }
    assert_eq!(server.event_count().await, count, "nothing written");
}

async fn a_registration_without_an_id_is_retried_with_the_first_id(db: &TestDb) {
    let server = Server::start(db).await;
    let register = "mutation($input: RegisterLocalityInput!) {
        registerLocality(input: $input) { events { localityId eventId } version position } }";
    let input = json!({ "input": { "name": "Xã Thạch Trung", "kind": "COMMUNE",
        "code": "18088", "thresholdRegion": "BTB", "effectiveOn": "2019-01-01",
        "idempotencyKey": "register 18088" } });
    let first = server.data(register, input.clone()).await;
    let retried = server.data(register, input.clone()).await;
    assert_eq!(first, retried, "the id generated first is the one answered");
    let mut renamed = input;
    renamed["input"]["name"] = json!("Phường Thạch Trung");
    let error = server.error(register, renamed).await;
    assert_eq!(error["extensions"]["code"], "IDEMPOTENCY_KEY_REUSED");
}

async fn the_same_key_of_another_token_is_another_command(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    server
        .data(READING, reading(&commune, "k", 80.0, None))
        .await;
    let (_, recorder) = token(&server.store, "recorder two", Role::Recorder, None, None).await;
    let response = server
        .post_as(Some(&recorder), READING, reading(&commune, "k", 60.0, None))
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    // Registered, enrolled, the admin's reading, then this one.
    assert_eq!(response["data"]["recordIndicatorReading"]["version"], 4);
}
