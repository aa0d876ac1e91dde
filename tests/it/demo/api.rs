//! The published figures asked as a new user asks them: one `summary` per date over HTTP, with
//! the denominator the press used; and `ntm export standings` summed line by line gives the same
//! numbers as `summary` for the same question.

use std::sync::Arc;

use chrono::NaiveDate;
use ntm_tracker::app::progress::Quiet;
use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::export::standings::{self, Query};
use ntm_tracker::export::Format;
use ntm_tracker::store::EventStore;
use serde_json::{json, Value};

use crate::support::server::Server;
use crate::support::TestDb;

const SUMMARY: &str = "query($parent: ID!, $on: Date!) { summary(parent: $parent, on: $on) {
    set units unitsWithData unrecognised averageCriteriaMet atRisk cannotBeAssessed
    pendingAcknowledgement levels { level units exactly percent }
    bands { from to units } children { units locality { code } } } }";

/// The summary of Hà Tĩnh (code 42 on the date) on `on`.
async fn province_summary(server: &Server, on: &str) -> Value {
    let found = server
        .data(
            "query($on: Date) { locality(code: \"42\", on: $on) { id } }",
            json!({ "on": on }),
        )
        .await;
    let parent = found["locality"]["id"]
        .as_str()
        .expect("Hà Tĩnh")
        .to_owned();
    server
        .data(SUMMARY, json!({ "parent": parent, "on": on }))
        .await["summary"]
        .clone()
}

fn level(summary: &Value, level: &str) -> (i64, i64) {
    let found = summary["levels"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|l| l["level"] == level)
        .unwrap_or_else(|| panic!("{level} in {summary:#}"));
    (
        found["units"].as_i64().expect("units"),
        found["exactly"].as_i64().expect("exactly"),
    )
}

/// Percent cut to hundredths, as the press writes 158 of 229 = 68.99 %.
fn hundredths(percent: &Value) -> i64 {
    (percent.as_f64().expect("percent") * 100.0).floor() as i64
}

pub async fn published_figures_through_the_api(db: &TestDb, store: &EventStore) {
    let server = Server::start(db).await;
    server
        .caught_up(store.last_position().await.expect("position"))
        .await;

    // End of 2018: 158 of 229 communes (68.99 %), 17.7 criteria per commune, none below 11.
    let end_2018 = province_summary(&server, "2018-12-31").await;
    assert_eq!(end_2018["set"], "NTM-XA-2016-2020");
    assert_eq!(end_2018["units"], 229, "{end_2018:#}");
    assert_eq!(level(&end_2018, "NTM"), (158, 158));
    let ntm = end_2018["levels"][0]["percent"].clone();
    assert_eq!(hundredths(&ntm), 6899);
    let average = end_2018["averageCriteriaMet"].as_f64().expect("average");
    assert_eq!(format!("{average:.1}"), "17.7");
    let bands = end_2018["bands"].as_array().expect("bands");
    assert_eq!(bands.last().expect("band")["units"], 0, "under 5");
    assert_eq!(bands[bands.len() - 2]["units"], 0, "5 to 9");
    // One row per district (and town) of the province, summing to the province.
    let children = end_2018["children"].as_array().expect("children");
    let summed: i64 = children
        .iter()
        .map(|c| c["units"].as_i64().unwrap_or(0))
        .sum();
    assert_eq!(summed, 229);
    assert!(children.len() >= 12, "{} children", children.len());

    // Đợt 1 năm 2019: 173.
    let batch_2019 = province_summary(&server, "2019-09-30").await;
    assert_eq!(level(&batch_2019, "NTM").0, 173, "{batch_2019:#}");

    // Against the end of 2018: +15 communes NTM, on a denominator that did not change.
    let parent = server
        .data(
            "{ locality(code: \"42\", on: \"2019-09-30\") { id } }",
            json!({}),
        )
        .await["locality"]["id"]
        .clone();
    let compared = server
        .data(
            "query($p: ID!) { summary(parent: $p, on: \"2019-09-30\", compareTo: \"2018-12-31\") {
                levels { level units change } previous { on set units levels { level units } } } }",
            json!({ "p": parent }),
        )
        .await["summary"]
        .clone();
    assert_eq!(compared["levels"][0]["change"], 15, "{compared:#}");
    assert_eq!(compared["previous"]["on"], "2018-12-31");
    assert_eq!(compared["previous"]["units"], 229);
    assert_eq!(compared["previous"]["levels"][0]["units"], 158);

    // 30/6/2025: every commune NTM (170 in the GSO list; the press wrote 169/169, see
    // docs/decisions/demo-mergers-2020.md), 69 nâng cao and 18 kiểu mẫu, graded by the
    // 2021–2025 set although most NTM decisions were taken under 2016–2020.
    let mid_2025 = province_summary(&server, "2025-06-30").await;
    assert_eq!(mid_2025["set"], "NTM-XA-2021-2025");
    assert_eq!(mid_2025["units"], 170, "{mid_2025:#}");
    assert_eq!(level(&mid_2025, "NTM").0, 170);
    assert_eq!(level(&mid_2025, "NTM_NANG_CAO").0, 69);
    assert_eq!(level(&mid_2025, "NTM_KIEU_MAU"), (18, 18));
    assert_eq!(mid_2025["unrecognised"], 0);
    assert_eq!(mid_2025["pendingAcknowledgement"], 0);

    let catalog = Arc::new(Catalog::shipped().expect("catalogue"));
    for on in ["2018-12-31", "2020-06-30", "2023-06-30", "2025-06-30"] {
        let summary = province_summary(&server, on).await;
        let exported = export(store, &catalog, on).await;
        assert_eq!(summed_export(&exported), figures(&summary), "on {on}");
    }
}

/// `ntm export standings --on <on> --parent 42 --format json`, parsed.
async fn export(store: &EventStore, catalog: &Arc<Catalog>, on: &str) -> Value {
    let query = Query {
        set: None,
        on: on.parse::<NaiveDate>().expect("date"),
        parent: Some("42".parse().expect("code")),
        format: Format::Json,
    };
    let mut out = Vec::new();
    standings::export(store, catalog.clone(), &query, &mut out, &Quiet)
        .await
        .expect("export");
    serde_json::from_slice(&out).expect("JSON")
}

/// The figures both give: units, per level held or above, criteria met, at risk, pending.
fn figures(summary: &Value) -> Value {
    json!({
        "set": summary["set"],
        "units": summary["units"],
        "ntm": level(summary, "NTM").0,
        "nang_cao": level(summary, "NTM_NANG_CAO").0,
        "kieu_mau": level(summary, "NTM_KIEU_MAU").0,
        "criteria_met": (summary["averageCriteriaMet"].as_f64().unwrap_or(0.0)
            * summary["units"].as_f64().unwrap_or(0.0)).round() as i64,
        "at_risk": summary["atRisk"],
        "cannot_be_assessed": summary["cannotBeAssessed"],
        "pending": summary["pendingAcknowledgement"],
    })
}

fn summed_export(exported: &Value) -> Value {
    let lines: Vec<&Value> = exported["standings"]
        .as_array()
        .expect("standings")
        .iter()
        .filter(|l| l["kind"] == "commune")
        .collect();
    let at_least = |levels: &[&str]| {
        lines
            .iter()
            .filter(|l| levels.iter().any(|level| l["recognised_level"] == *level))
            .count()
    };
    let risk = |spellings: &[&str]| {
        lines
            .iter()
            .filter(|l| spellings.iter().any(|s| l["at_risk"] == *s))
            .count()
    };
    json!({
        "set": exported["set"],
        "units": lines.len(),
        "ntm": at_least(&["ntm", "ntm-nang-cao", "ntm-kieu-mau"]),
        "nang_cao": at_least(&["ntm-nang-cao", "ntm-kieu-mau"]),
        "kieu_mau": at_least(&["ntm-kieu-mau"]),
        "criteria_met": lines.iter().map(|l| l["criteria_met"].as_i64().unwrap_or(0)).sum::<i64>(),
        "at_risk": risk(&["key-criterion-failing", "half-or-more-failing"]),
        "cannot_be_assessed": risk(&["cannot-be-assessed"]),
        "pending": lines.iter().filter(|l| l["pending_acknowledgement"].as_i64().unwrap_or(0) > 0).count(),
    })
}
