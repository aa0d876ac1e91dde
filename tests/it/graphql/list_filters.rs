//! The `localities` list's filters (ids, codes, kinds, name with LIKE wildcards taken
//! literally, criteria met, criterion status, recognised level, pending acknowledgement), each
//! combinable, and its orders (name, code, criteria met, level, recognition date) paged forward
//! and backward in both directions with nulls last.

use ntm_tracker::domain::diacritics::search_key;
use serde_json::{json, Value};

use crate::support::graphql::{mutate, register};
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    filters_combine_and_take_wildcards_literally,
    orders_page_both_ways_with_nulls_last
);

const SET: &str = "NTM-XA-2021-2025";

/// The ids of a province, a district and five units below it: three communes enrolled in
/// [`SET`], Thạch Trung with criterion 1 met and recognised NTM on 1/2/2024, Thạch Hạ
/// recognised NTM (by override) on 1/6/2023.
struct Tree {
    thach_trung: String,
    tran_phu: String,
}

fn input(locality: &str, key: &str, fields: Value) -> Value {
    let mut input = json!({ "locality": locality, "idempotencyKey": key });
    if let (Some(i), Some(f)) = (input.as_object_mut(), fields.as_object()) {
        i.extend(f.clone());
    }
    input
}

async fn grant(server: &Server, unit: &str, on: &str) {
    let fields = json!({ "set": SET, "level": "NTM", "decision": format!("{}/QĐ-UBND", &on[..4]),
        "signedOn": on, "effectiveOn": on, "issuer": "UBND tỉnh Hà Tĩnh",
        "signer": "Chủ tịch", "standardYear": 2023, "overrideReason": "recognised by override for the list test" });
    let key = format!("grant {unit}");
    let input = input(unit, &key, fields);
    mutate(server, "grantRecognition", "GrantRecognitionInput", input).await;
}

async fn tree(server: &Server) -> Tree {
    let province = register(server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let city = register(
        server,
        "Thành phố Hà Tĩnh",
        "DISTRICT",
        "436",
        Some(&province),
    )
    .await;
    let mut units = Vec::new();
    for (name, kind, code) in [
        ("Xã Thạch Trung", "COMMUNE", "18088"),
        ("Xã Thạch Hạ", "COMMUNE", "18100"),
        ("Xã Đồng Môn", "COMMUNE", "18103"),
        ("Phường Trần Phú", "WARD", "18070"),
        ("Thị trấn Lộc Hà", "TOWNSHIP", "18601"),
    ] {
        units.push(register(server, name, kind, code, Some(&city)).await);
    }
    for unit in &units[..3] {
        let fields = json!({ "set": SET, "targetYear": 2024, "effectiveOn": "2021-01-01" });
        let input = input(unit, &format!("enrol {unit}"), fields);
        mutate(server, "enrolLocality", "EnrolLocalityInput", input).await;
    }
    let assess = json!({ "set": SET, "criterion": "1", "met": true,
        "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2021-06-01" });
    let input = input(&units[0], "assess 1", assess);
    mutate(server, "assessCriterion", "AssessCriterionInput", input).await;
    grant(server, &units[0], "2024-02-01").await;
    grant(server, &units[1], "2023-06-01").await;
    server.caught_up(server.event_count().await).await;
    Tree {
        thach_trung: units[0].clone(),
        tran_phu: units[3].clone(),
    }
}

const LIST: &str = "query($f: LocalityFilter) { localities(filter: $f, first: 500) {
    totalCount edges { node { id name } } } }";

/// The sorted names the list gives for `filter`, checked against its `totalCount`.
async fn names(server: &Server, filter: Value) -> Vec<String> {
    let data = server.data(LIST, json!({ "f": filter })).await;
    let page = &data["localities"];
    let mut names: Vec<String> = page["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["node"]["name"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(page["totalCount"], names.len(), "{filter}");
    names.sort_unstable();
    names
}

/// The code and field of the one error `filter` (with `extra` arguments) gets.
async fn refused(server: &Server, filter: Value, extra: &str) -> (Value, Value) {
    let query =
        format!("query($f: LocalityFilter) {{ localities(filter: $f{extra}) {{ totalCount }} }}");
    let error = server.error(&query, json!({ "f": filter })).await;
    let extensions = &error["extensions"];
    (extensions["code"].clone(), extensions["field"].clone())
}

async fn filters_combine_and_take_wildcards_literally(db: &TestDb) {
    let server = Server::start(db).await;
    let tree = tree(&server).await;
    let codes = json!({ "codes": ["18088", "18103"] });
    assert_eq!(
        names(&server, codes).await,
        ["Xã Thạch Trung", "Xã Đồng Môn"]
    );
    let ids = json!({ "ids": [tree.thach_trung, tree.tran_phu] });
    assert_eq!(
        names(&server, ids).await,
        ["Phường Trần Phú", "Xã Thạch Trung"]
    );
    assert!(names(&server, json!({ "ids": [] })).await.is_empty());
    let kinds = json!({ "kinds": ["WARD", "TOWNSHIP"] });
    assert_eq!(
        names(&server, kinds).await,
        ["Phường Trần Phú", "Thị trấn Lộc Hà"]
    );
    let both = json!({ "kinds": ["WARD", "COMMUNE"], "kind": "WARD" });
    assert_eq!(names(&server, both).await, ["Phường Trần Phú"]);
    let thach = json!({ "name": "THẠCH", "kinds": ["COMMUNE"] });
    assert_eq!(
        names(&server, thach).await,
        ["Xã Thạch Hạ", "Xã Thạch Trung"]
    );
    assert_eq!(
        names(&server, json!({ "name": "đông" })).await,
        ["Xã Đồng Môn"]
    );
    for wildcard in ["_", "%", "\\", "x%a"] {
        let filter = json!({ "name": wildcard });
        assert!(names(&server, filter).await.is_empty(), "{wildcard:?}");
    }
    assert!(names(&server, json!({ "on": "2018-06-01" }))
        .await
        .is_empty());

    // The present standings of the set.
    let met = json!({ "set": SET, "criteriaMet": { "min": 1 } });
    assert_eq!(names(&server, met).await, ["Xã Thạch Trung"]);
    let none = json!({ "set": SET, "criteriaMet": { "max": 0 } });
    assert_eq!(names(&server, none).await, ["Xã Thạch Hạ", "Xã Đồng Môn"]);
    let criterion = json!({ "set": SET, "criterion": { "code": "1", "status": "MET" } });
    assert_eq!(names(&server, criterion).await, ["Xã Thạch Trung"]);
    let unknown = json!({ "set": SET, "criterion": { "code": "1", "status": "UNKNOWN" },
        "name": "thach" });
    assert_eq!(names(&server, unknown).await, ["Xã Thạch Hạ"]);
    let recognised = json!({ "recognisedLevel": "NTM", "pendingAcknowledgement": false });
    assert_eq!(
        names(&server, recognised).await,
        ["Xã Thạch Hạ", "Xã Thạch Trung"]
    );
    let pending = json!({ "set": SET, "pendingAcknowledgement": true });
    assert!(names(&server, pending).await.is_empty());

    // Refused: malformed ids, standing filters without a set, first with last.
    let validation = json!("VALIDATION");
    let malformed = refused(&server, json!({ "ids": ["abc"] }), "").await;
    assert_eq!(malformed, (validation.clone(), json!("ids")));
    let no_set = refused(&server, json!({ "criteriaMet": { "min": 1 } }), "").await;
    assert_eq!(no_set, (validation.clone(), json!("criteriaMet")));
    let both = refused(&server, json!({}), ", first: 2, last: 2").await;
    assert_eq!(both, (validation, json!("last")));
}

const PAGE: &str = "query($f: LocalityFilter, $o: LocalityOrdering, $first: Int, $after: String,
    $last: Int, $before: String) {
    localities(filter: $f, orderBy: $o, first: $first, after: $after, last: $last, before: $before) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { id name code } } } }";

/// Every node of the list, `size` at a time: forward with `first`/`after` or backward with
/// `last`/`before`; in list order either way.
async fn all_pages(server: &Server, order: Value, size: i32, backward: bool) -> Vec<Value> {
    let filter = json!({ "set": SET });
    let filter = if order["field"] == "CRITERIA_MET" {
        filter
    } else {
        json!({})
    };
    let mut nodes: Vec<Value> = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let vars = if backward {
            json!({ "f": filter, "o": order, "last": size, "before": cursor })
        } else {
            json!({ "f": filter, "o": order, "first": size, "after": cursor })
        };
        let page = server.data(PAGE, vars).await["localities"].clone();
        let mut got: Vec<Value> = page["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["node"].clone())
            .collect();
        let info = &page["pageInfo"];
        let (near, far) = if backward {
            ("hasNextPage", "hasPreviousPage")
        } else {
            ("hasPreviousPage", "hasNextPage")
        };
        assert_eq!(
            info[near],
            cursor.is_some(),
            "{order}: the cursor's own side"
        );
        let more = info[far].clone();
        if backward {
            got.append(&mut nodes);
            nodes = got;
            cursor = info["startCursor"].as_str().map(str::to_owned);
        } else {
            nodes.append(&mut got);
            cursor = info["endCursor"].as_str().map(str::to_owned);
        }
        if more != true {
            return nodes;
        }
    }
}

async fn orders_page_both_ways_with_nulls_last(db: &TestDb) {
    let server = Server::start(db).await;
    tree(&server).await;
    let ids = |nodes: &[Value]| -> Vec<String> {
        nodes
            .iter()
            .filter_map(|n| n["id"].as_str().map(str::to_owned))
            .collect()
    };
    for field in ["NAME", "CODE", "CRITERIA_MET", "LEVEL", "RECOGNISED_ON"] {
        for direction in ["ASC", "DESC"] {
            let order = json!({ "field": field, "direction": direction });
            let forward = all_pages(&server, order.clone(), 2, false).await;
            let backward = all_pages(&server, order.clone(), 3, true).await;
            assert_eq!(ids(&forward), ids(&backward), "{order}");
            let mut unique = ids(&forward);
            unique.sort_unstable();
            unique.dedup();
            // Criteria met is ordered within the filter's set: its three communes.
            let listed = if field == "CRITERIA_MET" { 3 } else { 7 };
            assert_eq!((forward.len(), unique.len()), (listed, listed), "{order}");
            let key = |n: &Value| match field {
                "NAME" => search_key(n["name"].as_str().unwrap_or_default()),
                _ => n["code"].as_str().unwrap_or_default().to_owned(),
            };
            let keys: Vec<String> = forward.iter().map(key).collect();
            let sorted = |w: &[String]| {
                if direction == "ASC" {
                    w[0] <= w[1]
                } else {
                    w[0] >= w[1]
                }
            };
            if matches!(field, "NAME" | "CODE") {
                assert!(keys.windows(2).all(sorted), "{order}: {keys:?}");
            }
            let first_two: Vec<&str> = forward[..2]
                .iter()
                .filter_map(|n| n["code"].as_str())
                .collect();
            // Criteria met: 18088 has 1, the other two enrolled 0, the rest none (last).
            // Recognised: 18100 on 1/6/2023, 18088 on 1/2/2024, the rest never (last).
            let expected: Option<[&str; 2]> = match (field, direction) {
                ("RECOGNISED_ON", "ASC") => Some(["18100", "18088"]),
                ("RECOGNISED_ON", "DESC") => Some(["18088", "18100"]),
                ("CRITERIA_MET", "DESC") => {
                    Some(["18088", forward[1]["code"].as_str().unwrap_or("")])
                }
                _ => None,
            };
            if let Some(expected) = expected {
                assert_eq!(first_two, expected, "{order}");
            }
            if field == "CRITERIA_MET" {
                let enrolled: Vec<&str> = forward[..3]
                    .iter()
                    .filter_map(|n| n["code"].as_str())
                    .collect();
                assert!(
                    enrolled
                        .iter()
                        .all(|c| ["18088", "18100", "18103"].contains(c)),
                    "{order}"
                );
                let third = if direction == "ASC" {
                    "18088"
                } else {
                    enrolled[2]
                };
                assert_eq!(enrolled[2], third, "{order}");
            }
            if field == "LEVEL" {
                let recognised: Vec<&str> = forward[..2]
                    .iter()
                    .filter_map(|n| n["code"].as_str())
                    .collect();
                assert!(
                    recognised.contains(&"18088") && recognised.contains(&"18100"),
                    "{order}"
                );
            }
        }
    }
    // A cursor belongs to its order; ordering by criteria met needs a set.
    let by_code = json!({ "o": { "field": "CODE" }, "first": 1 });
    let page = server.data(PAGE, by_code).await;
    let cursor = page["localities"]["pageInfo"]["endCursor"].clone();
    let by_name = json!({ "o": { "field": "NAME" }, "first": 1, "after": cursor });
    let error = server.error(PAGE, by_name).await;
    assert_eq!(error["extensions"]["field"], "after", "{error:#}");
    let no_set = json!({ "o": { "field": "CRITERIA_MET" }, "first": 1 });
    let error = server.error(PAGE, no_set).await;
    assert_eq!(error["extensions"]["field"], "orderBy", "{error:#}");
}
