//! A reading's value is refused by the API by the same rules as by `ntm import readings`: a
//! percentage with a third decimal is never rounded away, a count must fit GraphQL's `Int`.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(values_beyond_what_the_import_takes_are_refused);

const READING: &str = "mutation($input: RecordIndicatorReadingInput!) {
    recordIndicatorReading(input: $input) { version } }";
const NANG_CAO: &str = "NTM-XA-NANG-CAO-2021-2025";

fn reading(locality: &str, key: &str, set: &str, indicator: &str, value: Value) -> Value {
    json!({ "input": {
        "locality": locality, "idempotencyKey": key, "set": set,
        "indicator": indicator, "value": value, "effectiveOn": "2022-02-01" } })
}

async fn values_beyond_what_the_import_takes_are_refused(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    for set in ["NTM-XA-2021-2025", NANG_CAO] {
        let enrol = json!({ "input": { "locality": commune, "idempotencyKey": format!("enrol {set}"),
            "set": set, "targetYear": 2024, "effectiveOn": "2021-01-01" } });
        server
            .data(
                "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { version } }",
                enrol,
            )
            .await;
    }
    let refused = [
        (
            "NTM-XA-2021-2025",
            "2.1",
            json!({ "percent": 85.555 }),
            "85.555",
        ),
        (
            NANG_CAO,
            "KM-THON-THONG-MINH",
            json!({ "count": 2_147_483_648_i64 }),
            "2147483648",
        ),
        (NANG_CAO, "KM-THON-THONG-MINH", json!({ "count": -1 }), "-1"),
    ];
    let before = server.event_count().await;
    for (set, indicator, value, shown) in refused {
        let error = server
            .error(READING, reading(&commune, shown, set, indicator, value))
            .await;
        assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
        assert_eq!(error["extensions"]["field"], "value", "{error:#}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(shown), "{message}");
    }
    assert_eq!(server.event_count().await, before, "nothing recorded");
    let accepted = [
        ("NTM-XA-2021-2025", "2.1", json!({ "percent": 85.55 })),
        ("NTM-XA-2021-2025", "2.1", json!({ "percent": 73.65 })),
        (
            NANG_CAO,
            "KM-THON-THONG-MINH",
            json!({ "count": 2_147_483_647 }),
        ),
    ];
    for (n, (set, indicator, value)) in accepted.into_iter().enumerate() {
        let key = format!("accepted {n}");
        server
            .data(READING, reading(&commune, &key, set, indicator, value))
            .await;
    }
    let readings = server
        .store
        .read_stream(
            &ntm_tracker::app::codec::locality_stream_of(&commune),
            ntm_tracker::store::StreamRange::all(),
        )
        .await
        .expect("stream");
    let values: Vec<Value> = readings
        .iter()
        .filter(|e| e.event_type == "IndicatorRecorded")
        .map(|e| serde_json::from_str::<Value>(&e.payload).expect("JSON")["value"].clone())
        .collect();
    assert_eq!(values.len(), 3, "{values:?}");
    assert!(values[0].to_string().contains("85.55"), "{values:?}");
}
