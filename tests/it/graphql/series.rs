//! Series over dates (issue 19, item 3), on Hà Tĩnh's real units with a history across the
//! 2020 merger and the 2025 reorganisation: `standingSeries` gives on each date what
//! `standing(on)` gives, `summarySeries` what `summary(on)` gives, each date asked separately;
//! a backwards or too long series is refused, and the request's cost counts its dates.

use serde_json::{json, Value};

use super::dated_tree::id_of;
use crate::support::graphql::mutate;
use crate::support::ha_tinh;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_standing_series_grades_each_date_as_standing_on_it_does,
    a_summary_series_sums_each_date_as_summary_on_it_does,
    a_backwards_or_too_long_series_is_refused
);

const NTM_2016: &str = "NTM-XA-2016-2020";
const NTM_2021: &str = "NTM-XA-2021-2025";
const REASON: &str = "assessments predate this register";

/// The localities of the history, by their ids.
pub(crate) struct History {
    pub province: String,
    pub city: String,
    /// Xã Thạch Trung: a commune until 2024, a ward in 2025, merged into Trần Phú on 1/7/2025.
    pub thach_trung: String,
    /// When the history was known without the 2023 monitoring.
    pub before_monitoring: String,
}

async fn enrol(server: &Server, unit: &str, set: &str, on: &str) {
    let input = json!({ "locality": unit, "idempotencyKey": format!("enrol {set} {unit}"),
        "set": set, "targetYear": 2025, "effectiveOn": on });
    mutate(server, "enrolLocality", "EnrolLocalityInput", input).await;
}

pub(super) async fn assess(
    server: &Server,
    unit: &str,
    set: &str,
    criteria: &[(u32, bool)],
    on: &str,
) {
    for (criterion, met) in criteria {
        let input = json!({ "locality": unit, "set": set, "criterion": criterion.to_string(),
            "met": met, "level": "PROVINCIAL_COUNCIL", "effectiveOn": on,
            "idempotencyKey": format!("assess {unit} {set} {criterion} {on}") });
        mutate(server, "assessCriterion", "AssessCriterionInput", input).await;
    }
}

pub(super) async fn grant(
    server: &Server,
    unit: &str,
    set: &str,
    (level, on, decision): (&str, &str, &str),
) {
    let year: i32 = on[..4].parse().expect("year");
    let input = json!({ "locality": unit, "set": set, "level": level, "decision": decision,
        "signedOn": on, "effectiveOn": on, "issuer": "UBND tỉnh Hà Tĩnh", "signer": "Chủ tịch",
        "standardYear": year, "overrideReason": REASON,
        "idempotencyKey": format!("grant {unit} {decision}") });
    mutate(server, "grantRecognition", "GrantRecognitionInput", input).await;
}

/// Every criterion of the 2016–2020 set met.
fn all_met(count: u32) -> Vec<(u32, bool)> {
    (1..=count).map(|c| (c, true)).collect()
}

/// Hà Tĩnh's tree (`ha_tinh::record`) with standings and recognitions in Thành phố Hà Tĩnh
/// from 2017 to 2024: Thạch Trung NTM in 2018, then at risk under the 2021–2025 set; Thạch Môn
/// NTM in 2019 and merged into Đồng Môn in 2020 (pending acknowledgement); Thạch Hạ NTM in 2022.
pub(crate) async fn history(server: &Server) -> History {
    ha_tinh::record(server).await;
    let thach_trung = id_of(server, "18088", "2019-06-30").await;
    let thach_mon = id_of(server, "18103", "2019-06-30").await;
    let thach_ha = id_of(server, "18100", "2019-06-30").await;
    for unit in [&thach_trung, &thach_mon, &thach_ha] {
        enrol(server, unit, NTM_2016, "2016-06-01").await;
    }
    assess(server, &thach_trung, NTM_2016, &all_met(19), "2017-09-01").await;
    grant(
        server,
        &thach_trung,
        NTM_2016,
        ("NTM", "2018-03-15", "118/QĐ-UBND"),
    )
    .await;
    assess(server, &thach_mon, NTM_2016, &all_met(12), "2018-05-01").await;
    grant(
        server,
        &thach_mon,
        NTM_2016,
        ("NTM", "2019-04-20", "219/QĐ-UBND"),
    )
    .await;
    enrol(server, &thach_trung, NTM_2021, "2021-01-01").await;
    enrol(server, &thach_ha, NTM_2021, "2021-01-01").await;
    assess(server, &thach_ha, NTM_2021, &all_met(19), "2021-11-01").await;
    grant(
        server,
        &thach_ha,
        NTM_2021,
        ("NTM", "2022-09-01", "322/QĐ-UBND"),
    )
    .await;
    assess(server, &thach_trung, NTM_2021, &all_met(8), "2022-06-01").await;
    server.caught_up(server.event_count().await).await;
    let before_monitoring = ntm_tracker::app::clock::Clock::SYSTEM.now().to_rfc3339();
    // 2023 monitoring: 6 of 19 criteria fail in Thạch Trung, income (10, a key one) among
    // them: at risk of revocation (QĐ 18/2022).
    let monitored: Vec<(u32, bool)> = (1..=19)
        .map(|c| (c, ![2, 3, 5, 10, 12, 15].contains(&c)))
        .collect();
    assess(server, &thach_trung, NTM_2021, &monitored, "2023-08-01").await;
    server.caught_up(server.event_count().await).await;
    History {
        province: id_of(server, "42", "2019-06-30").await,
        city: id_of(server, "436", "2019-06-30").await,
        thach_trung,
        before_monitoring,
    }
}

const STANDING: &str = "on exists enrolled criteriaMet criteriaTotal levelReached atRisk
    gradedBy setVersion pendingAcknowledgement recognition { level decision set recognisedOn }
    criteria { code status official computed }";

fn items(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

async fn a_standing_series_grades_each_date_as_standing_on_it_does(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let series = format!(
        "query($id: ID!, $set: String!, $from: Date!, $to: Date!, $every: SeriesInterval!,
            $knownAt: DateTime) {{ locality(id: $id) {{
            standingSeries(set: $set, from: $from, to: $to, every: $every, knownAt: $knownAt)
            {{ {STANDING} }} }} }}"
    );
    let alone = format!(
        "query($id: ID!, $set: String!, $on: Date!, $knownAt: DateTime) {{
            standing(locality: $id, set: $set, on: $on, knownAt: $knownAt) {{ {STANDING} }} }}"
    );
    let asks = [
        (NTM_2016, "2016-01-01", "2025-12-31", "YEAR", None),
        (NTM_2021, "2021-01-01", "2025-09-30", "QUARTER", None),
        (
            NTM_2021,
            "2023-01-01",
            "2024-02-10",
            "MONTH",
            Some(h.before_monitoring.clone()),
        ),
    ];
    for (set, from, to, every, known_at) in asks {
        let variables = json!({ "id": h.thach_trung, "set": set, "from": from, "to": to,
            "every": every, "knownAt": known_at });
        let data = server.data(&series, variables).await;
        let dated = items(&data["locality"]["standingSeries"]);
        assert_eq!(dated.last().map(|s| s["on"].clone()), Some(json!(to)));
        for standing in &dated {
            let on = standing["on"].as_str().expect("on");
            let variables = json!({ "id": h.thach_trung, "set": set, "on": on,
                "knownAt": known_at });
            let one = server.data(&alone, variables).await;
            assert_eq!(standing, &one["standing"], "{set} on {on} ({every})");
        }
        match every {
            "YEAR" => assert_eq!(dated.len(), 10),
            "QUARTER" => assert_eq!(dated.len(), 19),
            _ => assert_eq!(dated.len(), 14),
        }
    }
    // The history as it reads: NTM from 2018, the key criterion failing from the 2023
    // monitoring (not yet known before it), gone with the merger of 1/7/2025.
    let by_year = json!({ "id": h.thach_trung, "set": NTM_2021, "from": "2017-01-01",
        "to": "2025-12-31", "every": "YEAR" });
    let years = items(&server.data(&series, by_year).await["locality"]["standingSeries"]);
    let risk: Vec<&Value> = years.iter().map(|s| &s["atRisk"]).collect();
    assert_eq!(years[0]["recognition"], Value::Null);
    assert_eq!(years[1]["recognition"]["decision"], "118/QĐ-UBND");
    assert_eq!(risk[6], "KEY_CRITERION_FAILING", "{years:#?}");
    assert_eq!(years[8]["exists"], false);
}

const SUMMARY: &str = "on set units unitsWithData unrecognised averageCriteriaMet below atRisk
    cannotBeAssessed pendingAcknowledgement levels { level units exactly percent }
    bands { from to units } criteriaPassed { criterion units }
    children { units unrecognised atRisk pendingAcknowledgement levels { level units }
        locality { id code name kind } }";

async fn a_summary_series_sums_each_date_as_summary_on_it_does(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let series = format!(
        "query($id: ID!, $from: Date!, $to: Date!, $every: SeriesInterval!, $set: String) {{
            locality(id: $id) {{ summarySeries(from: $from, to: $to, every: $every, set: $set)
            {{ {SUMMARY} }} }} }}"
    );
    let alone = format!(
        "query($id: ID!, $on: Date!, $set: String) {{ summary(parent: $id, on: $on, set: $set)
            {{ {SUMMARY} }} }}"
    );
    let asks = [
        (&h.city, "2016-01-01", "2025-12-31", "YEAR", None),
        (&h.province, "2017-01-01", "2025-06-30", "YEAR", None),
        (&h.city, "2019-10-01", "2020-06-30", "MONTH", Some(NTM_2016)),
    ];
    for (parent, from, to, every, set) in asks {
        let variables = json!({ "id": parent, "from": from, "to": to, "every": every,
            "set": set });
        let response = server.post(&series, variables).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        let dated = items(&response["data"]["locality"]["summarySeries"]);
        assert_eq!(dated.last().map(|s| s["on"].clone()), Some(json!(to)));
        for summary in &dated {
            let on = summary["on"].as_str().expect("on");
            let one = server
                .data(&alone, json!({ "id": parent, "on": on, "set": set }))
                .await;
            assert_eq!(summary, &one["summary"], "summary of {parent} on {on}");
        }
    }
    // The city's year ends from 2017: Thạch Trung NTM in 2018, Thạch Môn in 2019, merged away
    // in 2020 (Đồng Môn holds nothing), Thạch Hạ in 2022; one commune fewer from 2020.
    let years = json!({ "id": h.city, "from": "2017-01-01", "to": "2022-12-31", "every": "YEAR" });
    let data = server.data(&series, years).await;
    let dated = items(&data["locality"]["summarySeries"]);
    let ntm: Vec<i64> = dated
        .iter()
        .filter_map(|s| s["levels"][0]["units"].as_i64())
        .collect();
    assert_eq!(ntm, [0, 1, 2, 1, 1, 2], "{dated:#?}");
    let units: Vec<i64> = dated.iter().filter_map(|s| s["units"].as_i64()).collect();
    assert_eq!(
        units[2],
        units[3] + 1,
        "Thạch Môn and Thạch Đồng merged: {units:?}"
    );
}

async fn a_backwards_or_too_long_series_is_refused(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;
    let city = id_of(&server, "436", "2019-06-30").await;
    let series = "query($id: ID!, $from: Date!, $to: Date!, $every: SeriesInterval!) {
        locality(id: $id) { summarySeries(from: $from, to: $to, every: $every) { units } } }";
    let standing = "query($id: ID!, $from: Date!, $to: Date!, $every: SeriesInterval!) {
        locality(id: $id) { standingSeries(set: \"NTM-XA-2016-2020\", from: $from, to: $to,
            every: $every) { criteriaMet } } }";
    for (from, to, every, field) in [
        ("2020-01-02", "2020-01-01", "YEAR", "from"),
        ("2010-01-01", "2020-12-31", "MONTH", "to"),
    ] {
        let variables = json!({ "id": city, "from": from, "to": to, "every": every });
        for document in [series, standing] {
            let error = server.error(document, variables.clone()).await;
            assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
            assert_eq!(error["extensions"]["field"], field, "{error:#}");
        }
    }
    // Ten years of months is a valid series, but 120 roll-ups cost more than a request may.
    let months = json!({ "id": city, "from": "2015-01-01", "to": "2024-12-31", "every": "MONTH" });
    let error = server.error(series, months.clone()).await;
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{error:#}");
    assert_eq!(error["extensions"]["limit"], "MAX_COMPLEXITY", "{error:#}");
    // Grading 120 dates of one stream is cheap enough.
    let data = server.data(standing, months).await;
    assert_eq!(
        data["locality"]["standingSeries"].as_array().map(Vec::len),
        Some(120)
    );
}
