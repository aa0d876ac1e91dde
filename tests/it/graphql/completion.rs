//! A district recognised by the Prime Minister and its communes, through the API: the decision
//! must be a …/QĐ-TTg; one commune of three revoked puts the district at risk (≥ 30 %) and fails
//! QĐ 320's first condition; the province counts the district by its recognised level.

use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_district_is_measured_by_its_communes);

const NTM_2021: &str = "NTM-XA-2021-2025";
const HUYEN: &str = "NTM-HUYEN-2021-2025";
const REASON: &str = "assessments predate this register";

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

async fn enrol(server: &Server, unit: &str, set: &str) {
    let fields = json!({ "set": set, "targetYear": 2024, "effectiveOn": "2022-03-08" });
    let key = format!("enrol {set} {unit}");
    mutate(
        server,
        "enrolLocality",
        "EnrolLocalityInput",
        input(unit, &key, fields),
    )
    .await;
}

fn grant(unit: &str, set: &str, level: &str, decision: &str) -> Value {
    let fields = json!({ "set": set, "level": level, "decision": decision,
        "signedOn": "2023-06-01", "effectiveOn": "2023-06-01", "issuer": "Thủ tướng Chính phủ",
        "signer": "Phó Thủ tướng", "standardYear": 2023, "overrideReason": REASON });
    input(unit, &format!("grant {decision}"), fields)
}

const COMPLETION: &str = "query($p: ID!, $on: Date!) { summary(parent: $p, on: $on) {
    completion { level met atRisk recognisedLevel conditions { code actual met basis } }
    districts { huyen huyenNtm townsCities computedNotMet } } }";

async fn summary(server: &Server, parent: &str, on: &str) -> Value {
    server.caught_up(server.event_count().await).await;
    let vars = json!({ "p": parent, "on": on });
    server.data(COMPLETION, vars).await["summary"].clone()
}

fn condition<'a>(completion: &'a Value, code: &str) -> &'a Value {
    let all = completion["conditions"].as_array().expect("conditions");
    all.iter().find(|c| c["code"] == code).expect("condition")
}

async fn a_district_is_measured_by_its_communes(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let district = register(
        &server,
        "Huyện Thạch Hà",
        "DISTRICT",
        "445",
        Some(&province),
    )
    .await;
    let mut communes = Vec::new();
    for (name, code) in [
        ("Xã Thạch Hải", "18571"),
        ("Xã Thạch Kênh", "18574"),
        ("Xã Thạch Sơn", "18577"),
    ] {
        let commune = register(&server, name, "COMMUNE", code, Some(&district)).await;
        enrol(&server, &commune, NTM_2021).await;
        let decision = format!("{}/QĐ-UBND", &code[2..]);
        mutate(
            &server,
            "grantRecognition",
            "GrantRecognitionInput",
            grant(&commune, NTM_2021, "NTM", &decision),
        )
        .await;
        communes.push(commune);
    }
    enrol(&server, &district, HUYEN).await;

    // A province's decision cannot recognise a huyện; the Prime Minister's can.
    let by_province = grant(&district, HUYEN, "HUYEN_NTM", "12/QĐ-UBND");
    let mutation =
        "mutation($input: GrantRecognitionInput!) { grantRecognition(input: $input) { version } }";
    let before = server.event_count().await;
    let error = server
        .error(mutation, json!({ "input": by_province }))
        .await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
    assert_eq!(
        error["extensions"]["rule"],
        "DISTRICT_RECOGNISED_BY_PRIME_MINISTER"
    );
    assert_eq!(server.event_count().await, before, "nothing recorded");
    let by_pm = grant(&district, HUYEN, "HUYEN_NTM", "525/QĐ-TTg");
    mutate(&server, "grantRecognition", "GrantRecognitionInput", by_pm).await;

    // End of 2023: every commune NTM, none nâng cao; the district's own criteria unknown.
    let end_2023 = summary(&server, &district, "2023-12-31").await;
    let c = &end_2023["completion"];
    assert_eq!(c["level"], "HUYEN_NTM");
    assert_eq!(c["recognisedLevel"], "HUYEN_NTM");
    assert_eq!(condition(c, "320-I-1")["actual"], "3 / 3 (100.0 %)");
    assert_eq!(condition(c, "320-I-1")["met"], "MET");
    assert_eq!(condition(c, "320-I-2")["met"], "NOT_MET");
    assert_eq!(condition(c, "320-I-3")["actual"], "0 / 0", "no thị trấn");
    assert_eq!(condition(c, "320-I-3")["met"], "MET");
    assert_eq!(c["met"], "NOT_MET");
    assert_eq!(c["atRisk"], "CANNOT_BE_ASSESSED", "{c:#}");

    // 2024: one commune of three (33 %) revoked: the district is at risk by rule (a).
    let revoke = json!({ "decision": "90/QĐ-UBND", "revoked": "571/QĐ-UBND",
        "reason": "rớt chuẩn", "issuer": "UBND tỉnh Hà Tĩnh", "effectiveOn": "2024-01-15" });
    mutate(
        &server,
        "revokeRecognition",
        "RevokeRecognitionInput",
        input(&communes[0], "revoke", revoke),
    )
    .await;
    let mid_2024 = summary(&server, &district, "2024-06-30").await;
    let c = &mid_2024["completion"];
    assert_eq!(condition(c, "320-I-1")["actual"], "2 / 3 (66.7 %)");
    assert_eq!(condition(c, "320-I-1")["met"], "NOT_MET");
    assert_eq!(c["atRisk"], "COMMUNES_REVOKED", "{c:#}");
    assert_eq!(mid_2024["districts"], Value::Null);

    // The province counts the huyện by the level it holds.
    let province_2024 = summary(&server, &province, "2024-06-30").await;
    let tally = &province_2024["districts"];
    assert_eq!(
        (tally["huyen"].clone(), tally["huyenNtm"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(tally["computedNotMet"], 1);
    let c = &province_2024["completion"];
    assert_eq!(condition(c, "321-1")["actual"], "1 / 1 (100.0 %)");
    assert_eq!(condition(c, "321-1")["met"], "MET");
    assert_eq!(condition(c, "321-4")["actual"], "0 / 3 (0.0 %)");
    assert_eq!(condition(c, "321-5")["basis"], "ASSESSMENT");
    assert_eq!(c["met"], "NOT_MET");
}
