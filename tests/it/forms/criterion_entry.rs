//! `recordCriterionEntry`: a criterion's readings and assessment are one append; a bad item
//! names itself (`extensions.item`) and nothing is written.

use serde_json::{json, Value};

use super::{district_with_communes, NTM_2021};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_criterion_entry_is_one_append_or_nothing);

const ENTRY: &str = "mutation($input: RecordCriterionEntryInput!) {
  recordCriterionEntry(input: $input) { position events { position type requestId } } }";

fn entry(commune: &str, second: f64, key: &str) -> Value {
    json!({ "input": { "locality": commune, "set": NTM_2021, "criterion": "2",
        "effectiveOn": "2024-03-01", "idempotencyKey": key,
        "readings": [
            { "indicator": "2.1", "value": { "percent": 80 } },
            { "indicator": "2.2", "value": { "percent": second }, "effectiveOn": "2024-02-01",
              "evidence": { "document": "45/BC-UBND" } } ],
        "assessment": { "met": true, "level": "COMMUNE_SELF_ASSESSMENT" } } })
}

async fn a_criterion_entry_is_one_append_or_nothing(db: &TestDb) {
    let server = Server::start(db).await;
    let (_, _, communes) = district_with_communes(&server, "42", 1, &[]).await;
    let before = server.event_count().await;

    let error = server.error(ENTRY, entry(&communes[0], 150.0, "bad")).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
    assert_eq!(error["extensions"]["field"], "value");
    assert_eq!(error["extensions"]["item"], 1, "the second reading");
    assert_eq!(server.event_count().await, before, "nothing written");

    let mut future = entry(&communes[0], 90.0, "future");
    future["input"]["assessment"]["effectiveOn"] = json!("2999-01-01");
    let error = server.error(ENTRY, future).await;
    assert_eq!(
        error["extensions"]["problem"], "EFFECTIVE_IN_FUTURE",
        "{error:#}"
    );
    assert_eq!(error["extensions"]["item"], 2, "the assessment");
    assert_eq!(server.event_count().await, before, "nothing written");

    let data = server.data(ENTRY, entry(&communes[0], 90.0, "good")).await;
    let events = data["recordCriterionEntry"]["events"]
        .as_array()
        .expect("events")
        .clone();
    let types: Vec<&str> = events
        .iter()
        .map(|e| e["type"].as_str().expect("type"))
        .collect();
    assert_eq!(
        types,
        [
            "INDICATOR_RECORDED",
            "INDICATOR_RECORDED",
            "CRITERION_ASSESSED"
        ]
    );
    assert!(events
        .iter()
        .all(|e| e["requestId"] == events[0]["requestId"]));
    assert_eq!(server.event_count().await, before + 3);
}
