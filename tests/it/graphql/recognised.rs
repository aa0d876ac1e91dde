//! Recognised status is the locality's, not a set's, asked as a new user asks it through the
//! API: a 2018 recognition under the 2016–2020 set still holds in 2023 and is measured against
//! the 2021–2025 set then in force; a later district "not met" lowers a provincial "met"; a
//! criterion without data never passes the revocation rule; a commune that became a ward holds
//! no commune level; the province's roll-up counts it all with its denominator.

use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(recognised_status_holds_across_sets_and_follows_time);

const NTM_2016: &str = "NTM-XA-2016-2020";
const NTM_2021: &str = "NTM-XA-2021-2025";

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

async fn assess(server: &Server, commune: &str, criterion: &str, met: bool, on: &str, level: &str) {
    let key = format!("assess {criterion} {on} {level}");
    let fields = json!({ "set": NTM_2021, "criterion": criterion, "met": met,
                         "level": level, "effectiveOn": on });
    mutate(
        server,
        "assessCriterion",
        "AssessCriterionInput",
        input(commune, &key, fields),
    )
    .await;
}

const STATUS: &str = "query($id: ID!, $on: Date!) { locality(id: $id) {
    recognised(on: $on) { kind gradedBy atRisk pendingAcknowledgement
        recognition { level set decision standardYear batch } }
    old: standing(set: \"NTM-XA-2016-2020\", on: $on) { inForce atRisk recognition { set } }
    new: standing(set: \"NTM-XA-2021-2025\", on: $on) { inForce atRisk criteriaMet
        recognition { level set } criteria { code official } } } }";

async fn status(server: &Server, id: &str, on: &str) -> Value {
    server.caught_up(server.event_count().await).await;
    server.data(STATUS, json!({ "id": id, "on": on })).await["locality"].clone()
}

async fn summary(server: &Server, parent: &str, on: &str, programme: &str) -> Value {
    server.caught_up(server.event_count().await).await;
    let query = "query($p: ID!, $on: Date!, $programme: Programme!) {
        summary(parent: $p, on: $on, programme: $programme) { set units unitsWithData atRisk
            cannotBeAssessed levels { level units } unrecognised } }";
    let variables = json!({ "p": parent, "on": on, "programme": programme });
    server.data(query, variables).await["summary"].clone()
}

async fn recognised_status_holds_across_sets_and_follows_time(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let commune = register(&server, "Xã Mỹ Lộc", "COMMUNE", "18511", Some(&province)).await;
    for (set, on) in [(NTM_2016, "2019-01-01"), (NTM_2021, "2021-01-01")] {
        let fields = json!({ "set": set, "targetYear": 2025, "effectiveOn": on });
        let key = format!("enrol {set}");
        mutate(
            &server,
            "enrolLocality",
            "EnrolLocalityInput",
            input(&commune, &key, fields),
        )
        .await;
    }
    let grant = json!({ "set": NTM_2016, "level": "NTM", "decision": "100/QĐ-UBND",
        "signedOn": "2019-06-01", "effectiveOn": "2019-06-01", "issuer": "UBND tỉnh Hà Tĩnh",
        "signer": "Chủ tịch", "standardYear": 2019, "batch": "đợt 1 năm 2019",
        "overrideReason": "criteria assessments predate this register" });
    mutate(
        &server,
        "grantRecognition",
        "GrantRecognitionInput",
        input(&commune, "grant", grant),
    )
    .await;

    // 2023: the 2021–2025 set is in force; criterion 2 met by the province in 2022, nothing
    // else known: whether the commune is at risk cannot be said.
    assess(
        &server,
        &commune,
        "2",
        true,
        "2022-06-01",
        "PROVINCIAL_COUNCIL",
    )
    .await;
    let mid_2023 = status(&server, &commune, "2023-06-30").await;
    let recognised = &mid_2023["recognised"];
    assert_eq!(recognised["gradedBy"], NTM_2021);
    assert_eq!(recognised["recognition"]["set"], NTM_2016, "{mid_2023:#}");
    assert_eq!(recognised["recognition"]["level"], "NTM");
    assert_eq!(recognised["recognition"]["batch"], "đợt 1 năm 2019");
    assert_eq!(recognised["atRisk"], "CANNOT_BE_ASSESSED");
    assert_eq!(mid_2023["new"]["inForce"], true);
    assert_eq!(mid_2023["new"]["recognition"]["set"], NTM_2016);
    assert_eq!(mid_2023["new"]["atRisk"], "CANNOT_BE_ASSESSED");
    assert_eq!(mid_2023["old"]["inForce"], false);
    assert_eq!(
        mid_2023["old"]["atRisk"],
        Value::Null,
        "a superseded set grades no risk"
    );

    // Monitoring in 2024: the district finds criterion 2 and five more not met, income (10, a
    // key criterion) among them, and the rest met: 6 of 19 fail with a key one.
    for criterion in (1..=19).map(|c| c.to_string()) {
        let met = !["2", "3", "5", "10", "12", "15"].contains(&criterion.as_str());
        assess(
            &server,
            &commune,
            &criterion,
            met,
            "2024-03-01",
            "DISTRICT_APPRAISAL",
        )
        .await;
    }
    let mid_2024 = status(&server, &commune, "2024-06-30").await;
    let two = mid_2024["new"]["criteria"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["code"] == "2"))
        .cloned()
        .expect("criterion 2");
    assert_eq!(
        two["official"], "NOT_MET",
        "a later district appraisal lowers it"
    );
    assert_eq!(mid_2024["new"]["criteriaMet"], 13);
    assert_eq!(mid_2024["recognised"]["atRisk"], "KEY_CRITERION_FAILING");

    let roll_up = summary(&server, &province, "2024-06-30", "NONG_THON_MOI").await;
    assert_eq!(roll_up["set"], NTM_2021);
    assert_eq!(roll_up["units"], 1);
    assert_eq!(roll_up["levels"][0], json!({ "level": "NTM", "units": 1 }));
    assert_eq!(roll_up["atRisk"], 1);

    // 1/1/2025 the commune becomes a ward: it holds no commune level, counts among the wards.
    let change = json!({ "change": { "reclassified": "WARD" }, "effectiveOn": "2025-01-01",
                         "legalAct": "1283/NQ-UBTVQH15" });
    let ward = input(&commune, "ward", change);
    mutate(
        &server,
        "recordLineageChange",
        "RecordLineageChangeInput",
        ward,
    )
    .await;
    let as_ward = status(&server, &commune, "2025-03-01").await;
    assert_eq!(as_ward["recognised"]["kind"], "WARD");
    assert_eq!(
        as_ward["recognised"]["recognition"],
        Value::Null,
        "{as_ward:#}"
    );
    assert_eq!(as_ward["recognised"]["atRisk"], Value::Null);
    let communes = summary(&server, &province, "2025-03-01", "NONG_THON_MOI").await;
    assert_eq!(communes["units"], 0);
    let wards = summary(&server, &province, "2025-03-01", "VAN_MINH_DO_THI").await;
    assert_eq!(wards["units"], 1);
    assert_eq!(wards["unitsWithData"], 0);
    assert_eq!(wards["unrecognised"], 1);
    // A page asks every unit's status in one statement, however many units.
    register(
        &server,
        "Xã Thạch Bình",
        "COMMUNE",
        "18112",
        Some(&province),
    )
    .await;
    server.caught_up(server.event_count().await).await;
    let page = server
        .post(
            "query($p: ID!) { localities(filter: {within: $p, on: \"2024-06-30\"}) {
                edges { node { code recognised(on: \"2024-06-30\") { recognition { level } } } } } }",
            json!({ "p": province }),
        )
        .await;
    let edges = page["data"]["localities"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 2, "{page:#}");
    let ntm: Vec<&Value> = edges
        .iter()
        .filter(|e| e["node"]["recognised"]["recognition"]["level"] == "NTM")
        .collect();
    assert_eq!(ntm.len(), 1);
    let statements = page["extensions"]["sqlStatements"].as_i64().expect("count");
    let without = server
        .post(
            "query($p: ID!) { localities(filter: {within: $p, on: \"2024-06-30\"}) {
                edges { node { code } } } }",
            json!({ "p": province }),
        )
        .await["extensions"]["sqlStatements"]
        .as_i64()
        .expect("count");
    assert_eq!(
        statements,
        without + 1,
        "one statement for the page's statuses"
    );

    // Its history keeps the commune's recognition.
    let before = status(&server, &commune, "2024-12-31").await;
    assert_eq!(
        before["recognised"]["recognition"]["decision"],
        "100/QĐ-UBND"
    );
}
