//! The event feed and the `events` subscription follow the subtree of one day, ended units
//! included (docs/decisions/tree-on-a-date.md), on Hà Tĩnh's real units.

use serde_json::{json, Value};

use super::dated_tree::{id_of, ENROL};
use super::subscriptions::{next_data, subscribe};
use crate::support::ha_tinh;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    the_subtree_of_an_event_feed_is_that_of_its_day,
    a_subscription_follows_the_subtree_of_its_day
);

const FEED: &str =
    "query($f: EventFilter, $after: String) { events(filter: $f, first: 500, after: $after) {
    pageInfo { hasNextPage endCursor } edges { node { localityId type } } } }";

/// Every event of `filter`: (locality id, type).
async fn feed(server: &Server, filter: Value) -> Vec<(String, String)> {
    let mut events = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = server
            .data(FEED, json!({ "f": filter, "after": after }))
            .await;
        let page = &data["events"];
        events.extend(page["edges"].as_array().into_iter().flatten().map(|e| {
            let node = &e["node"];
            let id = node["localityId"].as_str().unwrap_or_default().to_owned();
            (id, node["type"].as_str().unwrap_or_default().to_owned())
        }));
        if page["pageInfo"]["hasNextPage"] != true {
            return events;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

async fn the_subtree_of_an_event_feed_is_that_of_its_day(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;
    let loc_ha = id_of(&server, "448", "2024-06-30").await;
    let ho_do = id_of(&server, "18598", "2024-06-30").await;

    // On 30/6/2024: Lộc Hà and its 12 units, with every event of theirs (Hộ Độ's move to the
    // city and its merger in 2025 included).
    let then = feed(&server, json!({ "subtree": loc_ha, "on": "2024-06-30" })).await;
    let mut localities: Vec<&str> = then.iter().map(|(id, _)| id.as_str()).collect();
    localities.sort_unstable();
    localities.dedup();
    assert_eq!(localities.len(), 13);
    assert!(
        then.contains(&(ho_do.clone(), "MERGED_INTO".to_owned())),
        "{then:?}"
    );
    // Today Lộc Hà has ended with nothing under it: its own events only.
    let now = feed(&server, json!({ "subtree": loc_ha })).await;
    assert!(
        !now.is_empty() && now.iter().all(|(id, _)| id == &loc_ha),
        "{now:?}"
    );
    // The city's feed today keeps the units that ended in it (Thạch Đồng in 2020, Hộ Độ in
    // 2025) but not those it never held on that day.
    let city = id_of(&server, "436", "2024-06-30").await;
    let thach_dong = id_of(&server, "18106", "2019-12-01").await;
    let in_city = feed(&server, json!({ "subtree": city })).await;
    assert!(in_city.iter().any(|(id, _)| id == &thach_dong));
    assert!(in_city.iter().any(|(id, _)| id == &ho_do));
    let before_ho_do = feed(&server, json!({ "subtree": city, "on": "2024-06-30" })).await;
    assert!(before_ho_do.iter().any(|(id, _)| id == &thach_dong));
    assert!(!before_ho_do.iter().any(|(id, _)| id == &ho_do));
}

const SUBSCRIBE: &str = "subscription($f: EventFilter, $after: Int) {
    events(filter: $f, after: $after) { localityId type } }";

/// Enrols the holder of `code` in the 2021–2025 set.
async fn enrol(server: &Server, code: &str) -> String {
    let id = id_of(server, code, "2024-06-30").await;
    let input = json!({ "input": { "locality": id, "idempotencyKey": format!("enrol {code}"),
        "set": "NTM-XA-2021-2025", "targetYear": 2025, "effectiveOn": "2021-01-01" } });
    server.data(ENROL, input).await;
    id
}

async fn a_subscription_follows_the_subtree_of_its_day(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;
    let loc_ha = id_of(&server, "448", "2024-06-30").await;
    let thach_ha = id_of(&server, "445", "2024-06-30").await;
    let after = server.event_count().await;
    let start = |subtree: &str, on: Option<&str>| {
        let filter = json!({ "subtree": subtree, "on": on });
        subscribe(&server, SUBSCRIBE, json!({ "f": filter, "after": after }))
    };
    let mut loc_ha_then = start(&loc_ha, Some("2024-06-30")).await;
    let mut thach_ha_then = start(&thach_ha, Some("2024-06-30")).await;
    let mut thach_ha_now = start(&thach_ha, None).await;

    // Xã Tân Lộc was Lộc Hà's until 1/1/2025 and is Thạch Hà's since; xã Ngọc Sơn always was.
    let tan_loc = enrol(&server, "18409").await;
    let ngoc_son = enrol(&server, "18565").await;
    let first = |data: Value| data["events"]["localityId"].as_str().map(str::to_owned);
    assert_eq!(
        first(next_data(&mut loc_ha_then).await),
        Some(tan_loc.clone())
    );
    assert_eq!(first(next_data(&mut thach_ha_now).await), Some(tan_loc));
    assert_eq!(
        first(next_data(&mut thach_ha_then).await),
        Some(ngoc_son),
        "Tân Lộc was not Thạch Hà's on 30/6/2024"
    );
}
