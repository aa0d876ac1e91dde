//! Lists of criteria come in the order the criteria set lists them (1, 2, …, 10, not 1, 10,
//! 11, …, 2), each named from the catalogue: a roll-up's `criteriaPassed`, a standing's
//! `criteria` and each criterion's `indicators`.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(criteria_and_indicators_keep_the_catalogue_order_with_names);

const SET: &str = "NTM-XA-2021-2025";

async fn record(server: &Server, mutation: &str, input_type: &str, input: Value) -> i64 {
    let query =
        format!("mutation($input: {input_type}!) {{ {mutation}(input: $input) {{ position }} }}");
    let data = server.data(&query, json!({ "input": input })).await;
    data[mutation]["position"].as_i64().expect("position")
}

async fn criteria_and_indicators_keep_the_catalogue_order_with_names(db: &TestDb) {
    let server = Server::start(db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let commune = register(
        &server,
        "Xã Thạch Bình",
        "COMMUNE",
        "18112",
        Some(&province),
    )
    .await;
    let common = |key: &str| json!({ "locality": commune, "idempotencyKey": key, "set": SET });
    let mut enrol = common("enrol");
    enrol["targetYear"] = json!(2024);
    enrol["effectiveOn"] = json!("2021-01-01");
    record(&server, "enrolLocality", "EnrolLocalityInput", enrol).await;
    for indicator in ["17.10", "17.2", "17.12", "17.1"] {
        let mut reading = common(&format!("reading {indicator}"));
        reading["indicator"] = json!(indicator);
        reading["value"] = json!({ "percent": 95 });
        reading["effectiveOn"] = json!("2021-02-01");
        record(
            &server,
            "recordIndicatorReading",
            "RecordIndicatorReadingInput",
            reading,
        )
        .await;
    }
    let mut last = 0;
    for criterion in ["10", "2", "19", "11", "1"] {
        let mut assessment = common(&format!("assess {criterion}"));
        assessment["criterion"] = json!(criterion);
        assessment["met"] = json!(true);
        assessment["level"] = json!("PROVINCIAL_COUNCIL");
        assessment["effectiveOn"] = json!("2021-03-01");
        last = record(
            &server,
            "assessCriterion",
            "AssessCriterionInput",
            assessment,
        )
        .await;
    }
    server.caught_up(last).await;

    let query = "query($parent: ID!, $commune: ID!) {
        summary(parent: $parent, set: \"NTM-XA-2021-2025\", on: \"2023-06-01\") { criteriaPassed { criterion nameVi nameEn units } }
        locality(id: $commune) { standings { set criteria { code indicators { code } } } } }";
    let data = server
        .data(query, json!({ "parent": province, "commune": commune }))
        .await;
    let passed = data["summary"]["criteriaPassed"]
        .as_array()
        .expect("criteriaPassed");
    let codes: Vec<&str> = passed
        .iter()
        .filter_map(|c| c["criterion"].as_str())
        .collect();
    let expected: Vec<String> = (1..=19).map(|n| n.to_string()).collect();
    assert_eq!(codes, expected, "criteriaPassed in the set's order");
    assert_eq!(passed[0]["nameVi"], "Quy hoạch");
    assert_eq!(passed[9]["nameVi"], "Thu nhập");
    assert!(passed
        .iter()
        .all(|c| c["nameEn"].as_str().is_some_and(|n| !n.is_empty())));
    let met: Vec<&str> = passed
        .iter()
        .filter(|c| c["units"] == 1)
        .filter_map(|c| c["criterion"].as_str())
        .collect();
    assert_eq!(met, ["1", "2", "10", "11", "19"]);

    let standings = data["locality"]["standings"].as_array().expect("standings");
    let standing = standings
        .iter()
        .find(|s| s["set"] == SET)
        .expect("the 2021 standing");
    let criteria = standing["criteria"].as_array().expect("criteria");
    let codes: Vec<&str> = criteria.iter().filter_map(|c| c["code"].as_str()).collect();
    assert_eq!(
        &codes[..19],
        expected.iter().map(String::as_str).collect::<Vec<_>>()
    );
    let seventeen = criteria
        .iter()
        .find(|c| c["code"] == "17")
        .expect("criterion 17");
    let indicators: Vec<&str> = seventeen["indicators"]
        .as_array()
        .expect("indicators")
        .iter()
        .filter_map(|i| i["code"].as_str())
        .collect();
    let catalogue: Vec<String> = (1..=12).map(|n| format!("17.{n}")).collect();
    assert_eq!(indicators, catalogue, "indicators in the criterion's order");
}
