//! `Locality.summary` (issue 19, item 3): the same roll-up as `Query.summary(parent: <id>)`, read
//! on the day the locality is read on; its children name their locality (code, name, kind on
//! the date) in the same request, in a few statements whatever their number, and come in the
//! order asked for.

use serde_json::{json, Value};

use super::series::history;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_locality_sums_up_its_units_as_summary_does,
    children_name_their_locality_and_come_in_the_order_asked
);

const FIGURES: &str = "on set units unrecognised averageCriteriaMet atRisk
    pendingAcknowledgement levels { level units exactly change } averageCriteriaMetChange
    previous { on units levels { level units } }
    children { units levels { level units } locality { code name kind } }";

async fn a_locality_sums_up_its_units_as_summary_does(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let query = format!(
        "query($id: ID!, $on: Date!, $before: Date!) {{
            summary(parent: $id, on: $on, compareTo: $before) {{ {FIGURES} }}
            locality(id: $id) {{ summary(on: $on, compareTo: $before) {{ {FIGURES} }} }} }}"
    );
    for (parent, on, before) in [
        (&h.city, "2020-12-31", "2019-12-31"),
        (&h.province, "2024-06-30", "2018-12-31"),
    ] {
        let vars = json!({ "id": parent, "on": on, "before": before });
        let data = server.data(&query, vars).await;
        assert_eq!(
            data["locality"]["summary"], data["summary"],
            "{parent} on {on}"
        );
        assert!(data["summary"]["units"].as_i64() > Some(0), "{data:#}");
    }
    // Read on a date, a locality sums up its units of that date by default.
    let dated = format!(
        "query($id: ID!) {{ summary(parent: $id, on: \"2019-12-31\") {{ {FIGURES} }}
            locality(id: $id, on: \"2019-12-31\") {{ summary {{ {FIGURES} }} }} }}"
    );
    let data = server.data(&dated, json!({ "id": h.city })).await;
    assert_eq!(data["locality"]["summary"], data["summary"]);
    assert_eq!(data["summary"]["on"], "2019-12-31");
}

/// The children's `field` values, in the order given.
fn column(children: &Value, field: &str) -> Vec<Value> {
    let all = children.as_array().cloned().unwrap_or_default();
    all.iter()
        .map(|c| match field {
            "units" => c["units"].clone(),
            _ => c["locality"][field].clone(),
        })
        .collect()
}

async fn children_name_their_locality_and_come_in_the_order_asked(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    let table = "query($id: ID!, $on: Date!, $order: SummaryOrder!, $descending: Boolean!) {
        summary(parent: $id, on: $on) { children(orderBy: $order, descending: $descending) {
            units locality { code name kind } } } }";
    let read = |parent: &str, on: &str, order: &str, descending: bool| json!({ "id": parent, "on": on, "order": order, "descending": descending });
    // The statements do not grow with the children: the province's 13 districts and the
    // city's 6 communes, each table in as many.
    let mut counts = Vec::new();
    for (parent, on) in [(&h.province, "2019-12-31"), (&h.city, "2019-12-31")] {
        let response = server.post(table, read(parent, on, "CODE", false)).await;
        assert!(response.get("errors").is_none(), "{response:#}");
        let children = &response["data"]["summary"]["children"];
        assert!(children.as_array().map(Vec::len) > Some(4), "{children:#}");
        let codes = column(children, "code");
        let numbers: Vec<u64> = codes
            .iter()
            .map(|c| c.as_str().and_then(|c| c.parse().ok()).expect("a code"))
            .collect();
        assert!(numbers.windows(2).all(|w| w[0] < w[1]), "{codes:?}");
        counts.push(response["extensions"]["sqlStatements"].clone());
    }
    assert_eq!(counts[0], counts[1], "{counts:?}");
    assert!(counts[0].as_u64() <= Some(4), "{counts:?}");

    // The province's districts on 31/12/2019, named on that date.
    let on = "2019-12-31";
    let data = server
        .data(table, read(&h.province, on, "NAME", false))
        .await;
    let names = column(&data["summary"]["children"], "name");
    let mut sorted = names.clone();
    sorted.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    assert_eq!(names, sorted);
    assert!(names.contains(&json!("Thành phố Hà Tĩnh")) && names.contains(&json!("Huyện Lộc Hà")));
    let kinds = column(&data["summary"]["children"], "kind");
    assert!(kinds.iter().all(|k| k == "DISTRICT"), "{kinds:?}");
    // By units, most first; the reverse of the fewest first but for ties, ordered by id.
    let data = server
        .data(table, read(&h.province, on, "UNITS", true))
        .await;
    let most: Vec<i64> = column(&data["summary"]["children"], "units")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    assert!(most.windows(2).all(|w| w[0] >= w[1]), "{most:?}");
    let data = server
        .data(table, read(&h.province, on, "UNITS", false))
        .await;
    let fewest: Vec<i64> = column(&data["summary"]["children"], "units")
        .iter()
        .filter_map(Value::as_i64)
        .collect();
    let mut reversed = most.clone();
    reversed.reverse();
    assert_eq!(fewest, reversed);

    // By the share recognised: Thạch Trung (2018) and Thạch Môn (2019) put the city first.
    let share = "query($id: ID!) { summary(parent: $id, on: \"2019-12-31\") {
        children(orderBy: RECOGNISED_PERCENT, descending: true) { unrecognised units
            locality { code } } } }";
    let data = server.data(share, json!({ "id": h.province })).await;
    let first = &data["summary"]["children"][0];
    assert_eq!(first["locality"]["code"], "436", "{data:#}");
    assert_eq!(
        first["units"]
            .as_i64()
            .zip(first["unrecognised"].as_i64())
            .map(|(u, n)| u - n),
        Some(2)
    );
}
