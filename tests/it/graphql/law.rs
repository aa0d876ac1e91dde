//! The law enforced on write, through the API: each refused write answers `VALIDATION` with
//! the broken rule's name in `extensions.rule` and records nothing; every override is listed.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    writes_the_law_forbids_are_refused_by_rule_name,
    every_override_is_listed_with_its_reason_and_actor
);

const NTM_2016: &str = "NTM-XA-2016-2020";
const NTM_2021: &str = "NTM-XA-2021-2025";
const NANG_CAO: &str = "NTM-XA-NANG-CAO-2021-2025";
const REASON: &str = "criteria assessments predate this register";

const GRANT: &str = "mutation($input: GrantRecognitionInput!) {
    grantRecognition(input: $input) { position } }";

fn progress(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

fn grant(locality: &str, set: &str, level: &str, decision: &str, on: &str, year: i32) -> Value {
    progress(
        locality,
        &format!("grant {decision}"),
        json!({ "set": set, "level": level, "decision": decision, "signedOn": on,
                "effectiveOn": on, "issuer": "UBND tỉnh Hà Tĩnh", "signer": "Chủ tịch",
                "standardYear": year, "overrideReason": REASON }),
    )
}

fn with(mut base: Value, field: &str, value: Value) -> Value {
    base[field] = value;
    base
}

/// Sends the mutation, checks `VALIDATION` and the rule named, and that nothing was recorded.
async fn refused_by(server: &Server, mutation: &str, input: Value, rule: &str) {
    let before = server.event_count().await;
    let error = server.error(mutation, json!({ "input": input })).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
    assert_eq!(error["extensions"]["rule"], rule, "{error:#}");
    let message = error["message"].as_str().unwrap_or_default();
    assert!(
        message.contains(rule),
        "the message names the rule: {message}"
    );
    assert_eq!(server.event_count().await, before, "nothing recorded");
}

async fn enrol(server: &Server, locality: &str, set: &str, on: &str) {
    let input = progress(
        locality,
        &format!("enrol {locality} {set}"),
        json!({ "set": set, "targetYear": 2025, "effectiveOn": on }),
    );
    mutate(server, "enrolLocality", "EnrolLocalityInput", input).await;
}

async fn writes_the_law_forbids_are_refused_by_rule_name(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    for (set, on) in [
        (NTM_2016, "2019-01-01"),
        (NTM_2021, "2021-01-01"),
        (NANG_CAO, "2023-01-01"),
    ] {
        enrol(&server, &commune, set, on).await;
    }
    let kieu_mau = grant(
        &commune,
        NTM_2016,
        "NTM_KIEU_MAU",
        "1/QĐ-UBND",
        "2019-10-01",
        2019,
    );
    let kieu_mau = with(kieu_mau, "outstandingField", json!("văn hóa"));
    refused_by(&server, GRANT, kieu_mau, "LEVEL_NOT_IN_SET").await;
    let urban = grant(
        &commune,
        NTM_2016,
        "VAN_MINH_DO_THI",
        "2/QĐ-UBND",
        "2019-10-01",
        2019,
    );
    refused_by(&server, GRANT, urban, "LEVEL_NOT_FOR_KIND").await;
    let nang_cao = grant(
        &commune,
        NANG_CAO,
        "NTM_NANG_CAO",
        "3/QĐ-UBND",
        "2024-06-01",
        2024,
    );
    refused_by(&server, GRANT, nang_cao, "NANG_CAO_REQUIRES_NTM").await;
    let year_2030 = grant(&commune, NTM_2016, "NTM", "4/QĐ-UBND", "2019-12-20", 2030);
    refused_by(&server, GRANT, year_2030, "STANDARD_YEAR_OUTSIDE_SET").await;
    let before_act = grant(&commune, NTM_2021, "NTM", "5/QĐ-UBND", "2021-12-20", 2021);
    refused_by(&server, GRANT, before_act, "DECISION_BEFORE_SET").await;
    let because = grant(&commune, NTM_2016, "NTM", "6/QĐ-UBND", "2019-10-01", 2019);
    let because = with(because, "overrideReason", json!("because"));
    refused_by(&server, GRANT, because, "OVERRIDE_REASON_TOO_SHORT").await;

    // A council vote of 40 % followed by a grant (no override).
    let vote = progress(
        &commune,
        "vote 40",
        json!({ "set": NTM_2016, "level": "NTM", "inFavour": 40.0, "effectiveOn": "2019-09-20" }),
    );
    mutate(
        &server,
        "recordAppraisalVote",
        "RecordAppraisalVoteInput",
        vote,
    )
    .await;
    let plain = grant(&commune, NTM_2016, "NTM", "7/QĐ-UBND", "2019-10-01", 2019);
    let plain = with(plain, "overrideReason", Value::Null);
    refused_by(&server, GRANT, plain, "COUNCIL_VOTE_BELOW_MAJORITY").await;

    // Granted lawfully (with an override), then a revocation dated before it.
    let lawful = grant(&commune, NTM_2016, "NTM", "8/QĐ-UBND", "2019-10-01", 2019);
    mutate(&server, "grantRecognition", "GrantRecognitionInput", lawful).await;
    let revoke = "mutation($input: RevokeRecognitionInput!) { revokeRecognition(input: $input) { position } }";
    let early = progress(
        &commune,
        "revoke early",
        json!({ "decision": "9/QĐ-UBND", "revoked": "8/QĐ-UBND", "reason": "rớt chuẩn",
                "issuer": "UBND tỉnh Hà Tĩnh", "effectiveOn": "2019-09-01" }),
    );
    refused_by(&server, revoke, early.clone(), "REVOCATION_BEFORE_GRANT").await;
    let own = with(early, "decision", json!("8/QĐ-UBND"));
    let own = with(own, "effectiveOn", json!("2020-09-01"));
    refused_by(&server, revoke, own, "REVOCATION_NEEDS_OWN_DECISION").await;

    // An acknowledgement into another set at another level.
    let successor = merged_successor(&server, &commune).await;
    let acknowledge = "mutation($input: AcknowledgeAfterMergerInput!) {
        acknowledgeAfterMerger(input: $input) { position } }";
    let elsewhere = progress(
        &successor,
        "ack elsewhere",
        json!({ "decision": "10/QĐ-UBND", "set": NANG_CAO, "level": "NTM_NANG_CAO",
                "standardYear": 2019, "acknowledges": ["8/QĐ-UBND"], "effectiveOn": "2023-09-15" }),
    );
    refused_by(
        &server,
        acknowledge,
        elsewhere.clone(),
        "ACKNOWLEDGEMENT_NOT_AT_PENDING_LEVEL",
    )
    .await;
    let at_its_level = with(
        with(elsewhere, "set", json!(NTM_2016)),
        "level",
        json!("NTM"),
    );
    mutate(
        &server,
        "acknowledgeAfterMerger",
        "AcknowledgeAfterMergerInput",
        at_its_level,
    )
    .await;
}

/// The commune merged with a new neighbour into a new commune on 1/1/2020; returns the successor.
async fn merged_successor(server: &Server, commune: &str) -> String {
    let neighbour = register(server, "Xã Thạch Hòa", "COMMUNE", "18113", None).await;
    let merged = server
        .data(
            "mutation($input: MergeLocalitiesInput!) { mergeLocalities(input: $input) {
                events { localityId type } } }",
            json!({ "input": { "sources": [commune, neighbour], "effectiveOn": "2020-01-01",
                "legalAct": "653/2019/UBTVQH14", "idempotencyKey": "merger",
                "newLocality": { "name": "Xã Mới", "kind": "COMMUNE", "code": "18114",
                                 "thresholdRegion": "BTB" } } }),
        )
        .await;
    merged["mergeLocalities"]["events"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|e| e["type"] == "LOCALITIES_MERGED")
        .and_then(|e| e["localityId"].as_str())
        .expect("successor")
        .to_owned()
}

async fn every_override_is_listed_with_its_reason_and_actor(db: &TestDb) {
    let server = Server::start(db).await;
    let (_, approver) = token(&server.store, "VPĐP Hà Tĩnh", Role::Approver, None, None).await;
    let (_, recorder) = token(&server.store, "Cán bộ xã", Role::Recorder, None, None).await;
    let overridden = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    let evidenced = register(&server, "Xã Thạch Hòa", "COMMUNE", "18113", None).await;
    for commune in [&overridden, &evidenced] {
        enrol(&server, commune, NTM_2016, "2019-01-01").await;
    }
    let input = grant(
        &overridden,
        NTM_2016,
        "NTM",
        "1/QĐ-UBND",
        "2019-10-01",
        2019,
    );
    let as_recorder = server
        .post_as(Some(&recorder), GRANT, json!({ "input": input.clone() }))
        .await;
    assert_eq!(as_recorder["errors"][0]["extensions"]["code"], "FORBIDDEN");
    let as_approver = server
        .post_as(Some(&approver), GRANT, json!({ "input": input }))
        .await;
    assert!(as_approver["errors"].is_null(), "{as_approver:#}");
    // Every criterion of the 2016 set officially met, then a grant without an override.
    let criteria = server
        .data(
            &format!("{{ criteriaSet(code: \"{NTM_2016}\") {{ criteria {{ code }} }} }}"),
            json!({}),
        )
        .await;
    for c in criteria["criteriaSet"]["criteria"]
        .as_array()
        .expect("criteria")
    {
        let code = c["code"].as_str().expect("code");
        let assess = progress(
            &evidenced,
            &format!("assess {code}"),
            json!({ "set": NTM_2016, "criterion": code, "met": true,
                    "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2019-09-01" }),
        );
        mutate(&server, "assessCriterion", "AssessCriterionInput", assess).await;
    }
    let plain = grant(&evidenced, NTM_2016, "NTM", "2/QĐ-UBND", "2019-10-01", 2019);
    let plain = with(plain, "overrideReason", Value::Null);
    let granted = mutate(&server, "grantRecognition", "GrantRecognitionInput", plain).await;

    server
        .caught_up(granted["position"].as_i64().expect("position"))
        .await;
    let listed = server
        .data(
            "{ events(filter: {overridden: true}) { edges { node { type localityId overrideReason actor } } } }",
            json!({}),
        )
        .await;
    let edges = listed["events"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 1, "{listed:#}");
    assert_eq!(
        edges[0]["node"],
        json!({ "type": "RECOGNITION_GRANTED", "localityId": overridden,
                "overrideReason": REASON, "actor": "VPĐP Hà Tĩnh" })
    );
    let others = server
        .data(
            "query($id: ID!) { events(filter: {overridden: false, locality: $id, types: [RECOGNITION_GRANTED]}) {
                edges { node { overrideReason } } } }",
            json!({ "id": evidenced }),
        )
        .await;
    assert_eq!(
        others["events"]["edges"],
        json!([{ "node": { "overrideReason": null } }])
    );
}
