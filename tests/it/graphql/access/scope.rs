//! Scopes are judged on the fact's effective date, from the streams (no projector lag).

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use super::fixture::NTM_2021;
use crate::support::graphql::{mutate, register};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_transferred_locality_leaves_the_scope_on_the_transfer_date,
    a_just_registered_locality_is_in_scope_at_once
);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { position } }";

fn reading(locality: &str, on: &str) -> Value {
    json!({ "input": { "locality": locality, "idempotencyKey": format!("reading {on}"),
        "set": NTM_2021, "indicator": "2.1", "value": { "percent": 75 }, "effectiveOn": on } })
}

async fn a_transferred_locality_leaves_the_scope_on_the_transfer_date(db: &TestDb) {
    let server = Server::start(db).await;
    let ha_tinh = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let nghe_an = register(&server, "Tỉnh Nghệ An", "PROVINCE", "40", None).await;
    let commune = register(&server, "Xã Sơn Kim", "COMMUNE", "18010", Some(&ha_tinh)).await;
    let enrol = json!({ "locality": commune, "idempotencyKey": "enrol", "set": NTM_2021,
        "targetYear": 2025, "effectiveOn": "2021-01-01" });
    mutate(&server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    let transfer = json!({ "locality": commune, "idempotencyKey": "transfer",
        "change": { "transferred": { "parent": nghe_an } }, "effectiveOn": "2025-07-01",
        "legalAct": "1656/NQ-UBTVQH15" });
    mutate(
        &server,
        "recordLineageChange",
        "RecordLineageChangeInput",
        transfer,
    )
    .await;

    let (_, ha_tinh_recorder) = token(
        &server.store,
        "VPĐP Hà Tĩnh",
        Role::Recorder,
        Some(&ha_tinh),
        None,
    )
    .await;
    let (_, nghe_an_recorder) = token(
        &server.store,
        "VPĐP Nghệ An",
        Role::Recorder,
        Some(&nghe_an),
        None,
    )
    .await;
    let as_caller = |header: &str, on: &str| {
        let (header, variables) = (header.to_owned(), reading(&commune, on));
        let server = &server;
        async move { server.post_as(Some(&header), READING, variables).await }
    };
    let before = server.event_count().await;
    let back_dated = as_caller(&ha_tinh_recorder, "2024-03-01").await;
    assert!(back_dated["errors"].is_null(), "{back_dated:#}");
    let after_transfer = as_caller(&ha_tinh_recorder, "2025-08-01").await;
    assert_eq!(
        after_transfer["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{after_transfer:#}"
    );
    assert_eq!(
        server.event_count().await,
        before + 1,
        "the refused reading recorded nothing"
    );

    // The other province's recorder: the mirror image.
    let before_transfer = as_caller(&nghe_an_recorder, "2024-04-01").await;
    assert_eq!(
        before_transfer["errors"][0]["extensions"]["code"],
        "FORBIDDEN"
    );
    let since_transfer = as_caller(&nghe_an_recorder, "2025-09-01").await;
    assert!(since_transfer["errors"].is_null(), "{since_transfer:#}");
    assert_eq!(server.event_count().await, before + 2);

    // A retraction needs the right of what it withdraws: the reading, not a recognition.
    let grant = json!({ "locality": commune, "idempotencyKey": "grant", "set": NTM_2021,
        "level": "NTM", "decision": "1763/QĐ-UBND", "signedOn": "2024-06-01", "effectiveOn": "2024-06-01",
        "issuer": "UBND tỉnh Hà Tĩnh", "signer": "Chủ tịch", "standardYear": 2024,
        "overrideReason": "test: criteria predate the register" });
    let granted = mutate(&server, "grantRecognition", "GrantRecognitionInput", grant).await;
    let retract =
        "mutation($input: RetractEventInput!) { retractEvent(input: $input) { position } }";
    let retraction = |position: &Value, key: &str| json!({ "input": { "position": position, "reason": "error", "idempotencyKey": key } });
    let reading_position = &back_dated["data"]["recordIndicatorReading"]["position"];
    let own = server
        .post_as(
            Some(&ha_tinh_recorder),
            retract,
            retraction(reading_position, "r1"),
        )
        .await;
    assert!(own["errors"].is_null(), "{own:#}");
    let recognition = server
        .post_as(
            Some(&ha_tinh_recorder),
            retract,
            retraction(&granted["position"], "r2"),
        )
        .await;
    assert_eq!(
        recognition["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{recognition:#}"
    );
}

async fn a_just_registered_locality_is_in_scope_at_once(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let (_, approver) = token(
        &server.store,
        "Sở NN",
        Role::Approver,
        Some(&province),
        None,
    )
    .await;
    let (_, recorder) = token(&server.store, "VPĐP", Role::Recorder, Some(&province), None).await;
    let register_as = |code: &str, kind: &str, parent: &str| {
        let variables = json!({ "input": { "name": "Mới", "kind": kind, "code": code, "parent": parent,
            "thresholdRegion": "BTB", "effectiveOn": "2019-01-01", "idempotencyKey": code } });
        let (server, approver) = (&server, approver.clone());
        async move {
            let query =
                "mutation($input: RegisterLocalityInput!) { registerLocality(input: $input) {
                events { localityId } } }";
            let response = server.post_as(Some(&approver), query, variables).await;
            response["data"]["registerLocality"]["events"][0]["localityId"]
                .as_str()
                .unwrap_or_else(|| panic!("registered: {response:#}"))
                .to_owned()
        }
    };
    // District, then commune below it, then enrolment by the recorder: each immediately
    // after the previous write, without waiting for the projector.
    let district = register_as("436", "DISTRICT", &province).await;
    let commune = register_as("18106", "COMMUNE", &district).await;
    let enrol = json!({ "input": { "locality": commune, "idempotencyKey": "enrol", "set": NTM_2021,
        "targetYear": 2025, "effectiveOn": "2021-01-01" } });
    let enrolled = server
        .post_as(
            Some(&recorder),
            "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }",
            enrol,
        )
        .await;
    assert_eq!(
        enrolled["data"]["enrolLocality"]["version"], 2,
        "{enrolled:#}"
    );
    // Outside the province: an approver cannot register a new province.
    let query =
        "mutation($input: RegisterLocalityInput!) { registerLocality(input: $input) { position } }";
    let root = json!({ "input": { "name": "Tỉnh khác", "kind": "PROVINCE", "code": "40",
        "effectiveOn": "2019-01-01", "idempotencyKey": "root" } });
    let refused = server.post_as(Some(&approver), query, root).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused:#}"
    );
}
