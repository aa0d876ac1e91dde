//! The catalogue's provenance made countable in the API: the targets of a set by provenance and
//! the criteria readings can grade for a region or commune group in a year.

use serde_json::json;

use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_set_counts_its_targets_and_the_criteria_readings_can_grade);

const QUERY: &str =
    "query($code: String!, $region: ThresholdRegion, $group: CommuneGroup, $year: Int) {
    criteriaSet(code: $code) {
        targetProvenance { verified recalled inferred unknown }
        gradable(region: $region, group: $group, year: $year) {
            criteria gradable gradableOnVerified notGradable untranscribed } } }";

async fn a_set_counts_its_targets_and_the_criteria_readings_can_grade(db: &TestDb) {
    let server = Server::start(db).await;
    let ask = |code: &str, region: Option<&str>, year: Option<i32>| json!({ "code": code, "region": region, "group": null, "year": year });
    let btb_2020 = server
        .data(QUERY, ask("NTM-XA-2016-2020", Some("BTB"), Some(2020)))
        .await;
    assert_eq!(
        btb_2020["criteriaSet"],
        json!({
            "targetProvenance": { "verified": 52, "recalled": 29, "inferred": 0, "unknown": 11 },
            "gradable": { "criteria": 19, "gradable": 17, "gradableOnVerified": 3,
                          "notGradable": ["2", "17"], "untranscribed": 0 }
        })
    );
    // Without a year, the last year of the set's period; 2021–2025 for a BTB commune.
    let btb = server
        .data(QUERY, ask("NTM-XA-2021-2025", Some("BTB"), None))
        .await;
    let gradable = &btb["criteriaSet"]["gradable"];
    assert_eq!(
        (
            gradable["gradable"].as_i64(),
            gradable["gradableOnVerified"].as_i64()
        ),
        (Some(7), Some(2))
    );
    assert_eq!(
        gradable["notGradable"],
        json!(["2", "4", "6", "8", "9", "10", "11", "12", "14", "15", "16", "17"])
    );
    // A partial set counts the official criteria it does not transcribe.
    let nc = server
        .data(
            QUERY,
            ask("NTM-XA-NANG-CAO-2021-2025", Some("BTB"), Some(2024)),
        )
        .await;
    assert_eq!(nc["criteriaSet"]["gradable"]["untranscribed"], 14);
    assert_eq!(nc["criteriaSet"]["gradable"]["criteria"], 19);
    // A region the schema does not know is refused.
    let refused = server
        .post(QUERY, ask("NTM-XA-2021-2025", Some("HT"), None))
        .await;
    assert!(
        refused["errors"][0]["message"].as_str().is_some(),
        "{refused:#}"
    );
}
