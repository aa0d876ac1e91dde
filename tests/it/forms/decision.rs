//! `recordDecision`: one decision over many communes is one append (one request id, one run
//! of positions); a refused commune, or one outside the approver's scope, writes nothing.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use super::{district_with_communes, NTM_2021};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_decision_over_seven_communes_is_one_append,
    a_refused_commune_writes_nothing_and_is_named,
    a_scoped_approver_outside_its_scope_writes_nothing,
);

const RECORD: &str = "mutation($input: RecordDecisionInput!) {
  recordDecision(input: $input) { version position
    events { position type localityId requestId } } }";

/// QĐ 1763/QĐ-UBND recognising `communes` (the criteria predate the register: override).
fn decision(communes: &[String], key: &str) -> Value {
    json!({ "input": { "kind": "RECOGNITION", "decision": "1763/QĐ-UBND",
        "signedOn": "2024-06-01", "effectiveOn": "2024-06-01", "issuer": "UBND tỉnh Hà Tĩnh",
        "signer": "Phó Chủ tịch", "set": NTM_2021, "level": "NTM", "standardYear": 2024,
        "batch": "đợt 1 năm 2024",
        "overrideReason": "hồ sơ thẩm định lập trước khi có sổ theo dõi",
        "localities": communes, "idempotencyKey": key } })
}

async fn a_decision_over_seven_communes_is_one_append(db: &TestDb) {
    let server = Server::start(db).await;
    let (_, _, communes) = district_with_communes(&server, "42", 7, &[]).await;
    let before = server.event_count().await;
    let data = server.data(RECORD, decision(&communes, "qd 1763")).await;
    let events = data["recordDecision"]["events"]
        .as_array()
        .expect("events")
        .clone();
    assert_eq!(events.len(), 7, "{data:#}");
    assert_eq!(server.event_count().await, before + 7);
    let positions: Vec<i64> = events
        .iter()
        .map(|e| e["position"].as_i64().expect("position"))
        .collect();
    let first = positions[0];
    assert_eq!(
        positions,
        (first..first + 7).collect::<Vec<_>>(),
        "one run of positions"
    );
    assert_eq!(first, before + 1);
    let request = &events[0]["requestId"];
    assert!(request.is_string());
    for (event, commune) in events.iter().zip(&communes) {
        assert_eq!(event["type"], "RECOGNITION_GRANTED");
        assert_eq!(&event["localityId"], commune);
        assert_eq!(&event["requestId"], request, "one request");
    }
    assert_eq!(data["recordDecision"]["position"], json!(first + 6));

    // The same key again answers with the first result and writes nothing.
    let again = server.data(RECORD, decision(&communes, "qd 1763")).await;
    assert_eq!(
        again["recordDecision"]["position"],
        data["recordDecision"]["position"]
    );
    assert_eq!(server.event_count().await, before + 7);
    // Each commune holds it.
    server.caught_up(first + 6).await;
    for commune in &communes {
        let held = server
            .data(
                "query($id: ID!) { locality(id: $id) { recognised(on: \"2024-12-31\") {
                recognition { decision level batch } } } }",
                json!({ "id": commune }),
            )
            .await;
        let recognition = &held["locality"]["recognised"]["recognition"];
        assert_eq!(recognition["decision"], "1763/QĐ-UBND", "{held:#}");
        assert_eq!(recognition["batch"], "đợt 1 năm 2024");
    }
}

async fn a_refused_commune_writes_nothing_and_is_named(db: &TestDb) {
    let server = Server::start(db).await;
    let (_, _, communes) = district_with_communes(&server, "42", 7, &[4]).await;
    let before = server.event_count().await;
    let error = server
        .error(RECORD, decision(&communes, "qd refused"))
        .await;
    let extensions = &error["extensions"];
    assert_eq!(extensions["code"], "VALIDATION", "{error:#}");
    assert_eq!(
        extensions["locality"],
        json!(communes[4]),
        "names the commune"
    );
    assert_eq!(extensions["field"], "set");
    assert_eq!(extensions["problem"], "NOT_ENROLLED");
    assert_eq!(server.event_count().await, before, "nothing written");

    // A commune listed twice is refused too, before anything is read.
    let twice = [communes[0].clone(), communes[0].clone()];
    let error = server.error(RECORD, decision(&twice, "qd twice")).await;
    assert_eq!(
        error["extensions"]["problem"], "DUPLICATE_LOCALITY",
        "{error:#}"
    );
    // A decision without its issuer names the field.
    let mut no_issuer = decision(&communes[..1], "qd no issuer");
    no_issuer["input"]["issuer"] = Value::Null;
    let error = server.error(RECORD, no_issuer).await;
    assert_eq!(error["extensions"]["field"], "issuer", "{error:#}");
    assert_eq!(server.event_count().await, before, "nothing written");
}

async fn a_scoped_approver_outside_its_scope_writes_nothing(db: &TestDb) {
    let server = Server::start(db).await;
    let (ha_tinh, _, inside) = district_with_communes(&server, "42", 3, &[]).await;
    let (_, _, outside) = district_with_communes(&server, "40", 1, &[]).await;
    let (_, approver) = token(&server.store, "vpdp", Role::Approver, Some(&ha_tinh), None).await;
    let mut listed = inside.clone();
    listed.push(outside[0].clone());
    let before = server.event_count().await;
    let refused = server
        .post_as(Some(&approver), RECORD, decision(&listed, "qd scope"))
        .await;
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "FORBIDDEN",
        "{refused:#}"
    );
    assert_eq!(server.event_count().await, before, "nothing written");

    let allowed = server
        .post_as(Some(&approver), RECORD, decision(&inside, "qd inside"))
        .await;
    assert!(allowed["errors"].is_null(), "{allowed:#}");
    assert_eq!(server.event_count().await, before + 3);
}
