//! One reading from end to end over real HTTP: a scoped recorder's token records it through the
//! mutation, the standing read with the mutation's `minPosition` shows it, and an auditor sees
//! the event in the audit feed with the recorder as its actor.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_recorded_reading_reads_back_with_its_actor);

const SET: &str = "NTM-XA-2016-2020";
/// Recorded as the actor of the reading: the name of the token, never anything from input.
const RECORDER: &str = "Cán bộ VP Điều phối NTM Hà Tĩnh";

/// `data` of a request sent with `authorization`, which must have no errors.
async fn data_as(server: &Server, authorization: &str, query: &str, variables: Value) -> Value {
    let response = server.post_as(Some(authorization), query, variables).await;
    assert!(response.get("errors").is_none(), "errors: {response:#}");
    response["data"].clone()
}

async fn a_recorded_reading_reads_back_with_its_actor(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let commune = register(
        &server,
        "Xã Thạch Trung",
        "COMMUNE",
        "18088",
        Some(&province),
    )
    .await;
    let (_, recorder) = token(
        &server.store,
        RECORDER,
        Role::Recorder,
        Some(&province),
        None,
    )
    .await;
    let (_, auditor) = token(&server.store, "kiểm toán", Role::Auditor, None, None).await;

    data_as(
        &server,
        &recorder,
        "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }",
        json!({ "input": { "locality": commune, "idempotencyKey": "enrol", "set": SET,
                           "targetYear": 2019, "effectiveOn": "2019-01-01" } }),
    )
    .await;
    // Indicator 12 (lao động có việc làm), target ≥ 90 %.
    let recorded = data_as(
        &server,
        &recorder,
        "mutation($input: RecordIndicatorReadingInput!) { recordIndicatorReading(input: $input) {
            events { position type actor } version position } }",
        json!({ "input": { "locality": commune, "idempotencyKey": "reading 12", "set": SET,
                           "indicator": "12", "value": { "percent": 92.5 },
                           "effectiveOn": "2019-06-30",
                           "evidence": { "document": "45/BC-UBND" } } }),
    )
    .await["recordIndicatorReading"]
        .clone();
    let position = recorded["position"].as_i64().expect("position");
    assert_eq!(recorded["version"], 3, "established, enrolled, recorded");
    assert_eq!(recorded["events"][0]["type"], "INDICATOR_RECORDED");
    assert_eq!(recorded["events"][0]["position"], position);

    // No wait on the projector here: `minPosition` is how a client reads its own write.
    let standing = data_as(
        &server,
        &recorder,
        "query($id: ID!, $set: String!, $after: Int) {
            standing(locality: $id, set: $set, minPosition: $after) {
                enrolled criteria { code computed indicators {
                    code status readOn reading { kind value text } } } } }",
        json!({ "id": commune, "set": SET, "after": position }),
    )
    .await["standing"]
        .clone();
    assert_eq!(standing["enrolled"], true, "{standing:#}");
    let criterion = standing["criteria"]
        .as_array()
        .and_then(|all| all.iter().find(|c| c["code"] == "12"))
        .unwrap_or_else(|| panic!("criterion 12 in {standing:#}"));
    assert_eq!(criterion["computed"], "MET", "{criterion:#}");
    let indicator = &criterion["indicators"][0];
    assert_eq!(indicator["code"], "12");
    assert_eq!(indicator["status"], "MET");
    assert_eq!(indicator["readOn"], "2019-06-30");
    assert_eq!(indicator["reading"]["kind"], "PERCENT");
    assert_eq!(indicator["reading"]["value"], 92.5);

    let feed = data_as(
        &server,
        &auditor,
        "query($id: ID!, $after: Int) {
            events(filter: { locality: $id, types: [INDICATOR_RECORDED] }, minPosition: $after) {
                edges { node { position type effectiveOn actor payload } } } }",
        json!({ "id": commune, "after": position }),
    )
    .await;
    let edges = feed["events"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 1, "{feed:#}");
    let event = &edges[0]["node"];
    assert_eq!(event["position"], position);
    assert_eq!(event["type"], "INDICATOR_RECORDED");
    assert_eq!(event["effectiveOn"], "2019-06-30");
    assert_eq!(event["actor"], RECORDER);
    assert_eq!(event["payload"]["indicator"], "12", "{event:#}");
}
