//! The tree on a date (issue 17, item 4), on Hà Tĩnh's real units: `children` and
//! `localities` follow the tree of the day asked, every locality of a dated read shows that
//! day's code, name, kind and parent, and ended units leave present lists unless asked for.

use serde_json::{json, Value};

use crate::support::ha_tinh;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    lists_and_children_follow_the_tree_of_the_day,
    codes_read_on_each_side_of_each_change,
    a_roll_up_and_the_list_of_its_parent_count_the_same_units
);

/// The id of the locality holding `code` on `on`.
pub(super) async fn id_of(server: &Server, code: &str, on: &str) -> String {
    let data = server
        .data(
            "query($code: String!, $on: Date) { locality(code: $code, on: $on) { id } }",
            json!({ "code": code, "on": on }),
        )
        .await;
    data["locality"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no holder of {code} on {on}"))
        .to_owned()
}

const LIST: &str = "query($f: LocalityFilter) { localities(filter: $f, first: 500) {
    totalCount edges { node { id name code kind parent { code } } } } }";

/// `localities(filter)`: its total and its nodes.
async fn list(server: &Server, filter: Value) -> (i64, Vec<Value>) {
    let data = server.data(LIST, json!({ "f": filter })).await;
    let page = &data["localities"];
    let nodes = page["edges"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["node"].clone())
        .collect();
    (page["totalCount"].as_i64().expect("totalCount"), nodes)
}

fn names(nodes: &[Value]) -> Vec<&str> {
    let mut names: Vec<&str> = nodes.iter().filter_map(|n| n["name"].as_str()).collect();
    names.sort_unstable();
    names
}

const CHILDREN: &str = "query($code: String!, $on: Date, $ended: Boolean) {
    locality(code: $code, on: $on) { name children(includeEnded: $ended) { name code kind parent { code name } } } }";

/// The children of the holder of `code` read on `on`.
async fn children(server: &Server, code: &str, on: &str, ended: bool) -> Vec<Value> {
    let variables = json!({ "code": code, "on": on, "ended": ended });
    let response = server.post(CHILDREN, variables).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    // The store's positions (for the kept answers), the holder of the code, then the locality
    // with its periods and its children of the day in one statement (ended ones apart), their
    // parent being the locality read already.
    let statements = response["extensions"]["sqlStatements"].as_u64();
    assert_eq!(statements, Some(if ended { 4 } else { 3 }));
    let data = &response["data"];
    data["locality"]["children"]
        .as_array()
        .cloned()
        .expect("children")
}

/// The child named `name` among `children`.
fn child<'a>(children: &'a [Value], name: &str) -> &'a Value {
    children
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no {name} in {children:#?}"))
}

async fn lists_and_children_follow_the_tree_of_the_day(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;

    // Thành phố Hà Tĩnh (research §5.3): 16 units at the end of 2019, 15 from the 2020 merger,
    // 27 from 1/1/2025.
    let in_2019 = children(&server, "436", "2019-12-01", false).await;
    assert_eq!(in_2019.len(), 16, "{:?}", names(&in_2019));
    assert!(
        names(&in_2019).contains(&"Xã Thạch Môn") && names(&in_2019).contains(&"Xã Thạch Đồng")
    );
    let in_2020 = children(&server, "436", "2020-06-01", false).await;
    assert_eq!(in_2020.len(), 15, "{:?}", names(&in_2020));
    assert_eq!(child(&in_2020, "Xã Đồng Môn")["code"], "18103");
    assert!(!names(&in_2020).contains(&"Xã Thạch Môn"));
    // Children read on the date: Thạch Trung a commune in 2020, a ward in 2025, under the city.
    let thach_trung = child(&in_2020, "Xã Thạch Trung");
    assert_eq!(thach_trung["kind"], "COMMUNE");
    assert_eq!(thach_trung["parent"]["name"], "Thành phố Hà Tĩnh");
    let in_2025 = children(&server, "436", "2025-01-01", false).await;
    assert_eq!(in_2025.len(), 27, "{:?}", names(&in_2025));
    assert_eq!(child(&in_2025, "Phường Thạch Trung")["kind"], "WARD");
    assert_eq!(child(&in_2025, "Phường Trần Phú")["code"], "18094");
    assert_eq!(child(&in_2025, "Xã Hộ Độ")["code"], "18598");
    assert!(!names(&in_2025).contains(&"Phường Thạch Linh"));
    // Ended units only when asked for, where they stood when they ended.
    let with_ended = children(&server, "436", "2020-06-01", true).await;
    assert_eq!(with_ended.len(), 17, "Thạch Môn and Thạch Đồng besides");
    assert_eq!(child(&with_ended, "Xã Thạch Đồng")["code"], "18106");

    // Huyện Lộc Hà on 30/6/2024: 11 communes and a township; it merged into Thạch Hà on
    // 1/1/2025, its units following, Hộ Độ to the city.
    let loc_ha = id_of(&server, "448", "2024-06-30").await;
    let communes = json!({ "within": loc_ha, "on": "2024-06-30", "kind": "COMMUNE" });
    let (total, nodes) = list(&server, communes).await;
    assert_eq!(total, 11, "{:?}", names(&nodes));
    assert!(nodes.iter().all(|n| n["parent"]["code"] == "448"));
    let (all, _) = list(&server, json!({ "within": loc_ha, "on": "2024-06-30" })).await;
    assert_eq!(all, 12, "with thị trấn Lộc Hà");
    let (today, _) = list(&server, json!({ "within": loc_ha })).await;
    assert_eq!(today, 0, "Lộc Hà has ended: nothing stands under it today");
    let thach_ha = id_of(&server, "445", "2024-06-30").await;
    let tan_loc = json!({ "within": thach_ha, "name": "tan loc" });
    let (moved, nodes) = list(&server, tan_loc).await;
    assert_eq!(
        (moved, nodes[0]["parent"]["code"].clone()),
        (1, json!("445"))
    );

    // The province on 30/6/2024 lists Lộc Hà, whose children are read on that day too.
    let province = id_of(&server, "42", "2024-06-30").await;
    let districts = "query($f: LocalityFilter) { localities(filter: $f, first: 50) {
        edges { node { code children { code } } } } }";
    let filter = json!({ "within": province, "on": "2024-06-30", "kind": "DISTRICT" });
    let data = server.data(districts, json!({ "f": filter })).await;
    let edges = data["localities"]["edges"].as_array().expect("edges");
    let loc_ha_node = edges
        .iter()
        .find(|e| e["node"]["code"] == "448")
        .expect("Lộc Hà listed on 30/6/2024");
    assert_eq!(
        loc_ha_node["node"]["children"].as_array().map(Vec::len),
        Some(12)
    );
    let (now, nodes) = list(&server, json!({ "within": province, "kind": "DISTRICT" })).await;
    assert!(
        !nodes.iter().any(|n| n["code"] == "448"),
        "{now} districts today"
    );
    let ended = json!({ "within": province, "kind": "DISTRICT", "ended": true });
    let (gone, nodes) = list(&server, ended).await;
    assert_eq!((gone, names(&nodes)), (1, vec!["Huyện Lộc Hà"]));
}

const READ: &str = "query($code: String!, $on: Date) { locality(code: $code, on: $on) {
    id name code kind thresholdRegion parent { code name kind }
    predecessors { locality { name } } successors { locality { name code } } } }";

async fn read(server: &Server, code: &str, on: &str) -> Value {
    let data = server.data(READ, json!({ "code": code, "on": on })).await;
    data["locality"].clone()
}

async fn codes_read_on_each_side_of_each_change(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;
    // A threshold region of its own from 1/6/2019 for xã Thạch Bình (18112).
    let thach_binh = id_of(&server, "18112", "2024-12-31").await;
    let region = json!({ "input": { "locality": thach_binh, "idempotencyKey": "region",
        "change": { "thresholdAssigned": { "region": "BTB" } }, "effectiveOn": "2019-06-01" } });
    let position = server
        .data(
            "mutation($input: RecordLineageChangeInput!) { recordLineageChange(input: $input) { position } }",
            region,
        )
        .await["recordLineageChange"]["position"]
        .as_i64()
        .expect("position");
    server.caught_up(position).await;
    assert_eq!(
        read(&server, "18112", "2019-01-01").await["thresholdRegion"],
        Value::Null
    );
    assert_eq!(
        read(&server, "18112", "2024-12-31").await["thresholdRegion"],
        "BTB"
    );

    // Xã Thạch Trung (18088): a commune of the city until 31/12/2024, a ward from 1/1/2025,
    // part of phường Trần Phú (18100) from 1/7/2025.
    let commune = read(&server, "18088", "2019-01-01").await;
    assert_eq!(
        (commune["name"].clone(), commune["kind"].clone()),
        (json!("Xã Thạch Trung"), json!("COMMUNE"))
    );
    let commune = read(&server, "18088", "2024-12-31").await;
    assert_eq!(commune["kind"], "COMMUNE");
    assert_eq!(commune["parent"]["code"], "436");
    let ward = read(&server, "18088", "2025-01-01").await;
    assert_eq!(
        (ward["name"].clone(), ward["kind"].clone()),
        (json!("Phường Thạch Trung"), json!("WARD"))
    );
    assert_eq!(ward["id"], commune["id"]);
    assert_eq!(ward["parent"]["name"], "Thành phố Hà Tĩnh");
    assert_eq!(ward["successors"][0]["locality"]["code"], "18100");
    assert_eq!(read(&server, "18088", "2025-07-01").await, Value::Null);

    // "Phường Trần Phú": 18070 until 31/12/2024, 18094 (with Thạch Linh) until 30/6/2025,
    // 18100 (Thạch Trung, Đồng Môn, Thạch Hạ, Hộ Độ) from 1/7/2025, under the province.
    let first = read(&server, "18070", "2024-12-31").await;
    assert_eq!(first["name"], "Phường Trần Phú");
    assert_eq!(read(&server, "18070", "2025-01-01").await, Value::Null);
    let thach_linh = read(&server, "18094", "2024-12-31").await;
    assert_eq!(thach_linh["name"], "Phường Thạch Linh");
    let second = read(&server, "18094", "2025-01-01").await;
    assert_eq!(second["name"], "Phường Trần Phú");
    let mut before: Vec<&str> = second["predecessors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|p| p["locality"]["name"].as_str())
        .collect();
    before.sort_unstable();
    assert_eq!(before, ["Phường Thạch Linh", "Phường Trần Phú"]);
    assert!(second["id"] != first["id"] && second["id"] != thach_linh["id"]);
    assert_eq!(
        second["successors"][0]["locality"]["name"],
        "Phường Thành Sen"
    );
    assert_eq!(read(&server, "18094", "2025-07-01").await, Value::Null);
    let thach_ha = read(&server, "18100", "2025-06-30").await;
    assert_eq!(
        (thach_ha["name"].clone(), thach_ha["kind"].clone()),
        (json!("Phường Thạch Hạ"), json!("WARD"))
    );
    let third = read(&server, "18100", "2025-07-01").await;
    assert_eq!(third["name"], "Phường Trần Phú");
    assert_eq!(third["parent"]["code"], "42");
    assert_eq!(third["predecessors"].as_array().map(Vec::len), Some(4));
    assert!(third["id"] != second["id"] && third["id"] != thach_ha["id"]);
}

pub(super) const ENROL: &str =
    "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { position } }";

async fn a_roll_up_and_the_list_of_its_parent_count_the_same_units(db: &TestDb) {
    let server = Server::start(db).await;
    ha_tinh::record(&server).await;
    let loc_ha = id_of(&server, "448", "2024-06-30").await;
    let communes = json!({ "within": loc_ha, "on": "2024-06-30", "kind": "COMMUNE" });
    let (_, nodes) = list(&server, communes).await;
    let mut position = 0;
    for node in &nodes {
        let key = format!("enrol {}", node["id"]);
        let input = json!({ "input": { "locality": node["id"], "idempotencyKey": key,
            "set": "NTM-XA-2021-2025", "targetYear": 2025, "effectiveOn": "2021-01-01" } });
        position = server.data(ENROL, input).await["enrolLocality"]["position"]
            .as_i64()
            .expect("position");
    }
    server.caught_up(position).await;
    let summary = server
        .data(
            "query($p: ID!) { summary(parent: $p, set: \"NTM-XA-2021-2025\", on: \"2024-06-30\") { units } }",
            json!({ "p": loc_ha }),
        )
        .await;
    assert_eq!(summary["summary"]["units"], 11);
    assert_eq!(nodes.len(), 11);
}
