//! The screens of a frontend team's dashboard, each ONE request (issue 19): the province by
//! district on a past date with its years, a district's heat map, a commune's timeline, the
//! audit feed newest first with locality names, what changed between two dates, and search.
//! Each answer is checked for what the screen shows, and each request's cost in SQL statements
//! is bounded, so that a screen cannot silently turn into N+1 reads. (The communes at risk
//! today are a filter of `localities`, tested in `list_filters`; under the 2026–2030 set, which
//! has no revocation rule, none is at risk, so the fixture has none to show.)

use serde_json::{json, Value};

use super::series::{history, History};

use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(every_dashboard_screen_is_one_request);

/// Runs one screen's request; its data, after checking it had no error and cost at most
/// `statements` SQL statements.
async fn screen(
    server: &Server,
    name: &str,
    query: &str,
    variables: Value,
    statements: i64,
) -> Value {
    let body = server.post(query, variables).await;
    assert!(body.get("errors").is_none(), "{name}: {body:#}");
    let cost = body["extensions"]["sqlStatements"]
        .as_i64()
        .expect("sqlStatements");
    assert!(
        cost <= statements,
        "{name} cost {cost} statements (at most {statements})"
    );
    body["data"].clone()
}

fn list(value: &Value) -> Vec<Value> {
    value.as_array().cloned().unwrap_or_default()
}

fn names(edges: &Value) -> Vec<String> {
    list(edges)
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const PROVINCE: &str = "query Province($province: ID!, $on: Date!) {
    locality(id: $province, on: $on) { id name code
      summary(on: $on, set: \"NTM-XA-2016-2020\") { units unrecognised averageCriteriaMet atRisk
        pendingAcknowledgement levels { level units percent } bands { from to units }
        children(orderBy: CODE) { units averageCriteriaMet atRisk levels { level units percent }
          locality { id name code kind } } }
      summarySeries(from: \"2017-01-01\", to: $on, every: YEAR, set: \"NTM-XA-2016-2020\") {
        on units averageCriteriaMet levels { level units } } } }";

async fn province_by_district(server: &Server, h: &History) {
    let variables = json!({ "province": h.province, "on": "2019-12-31" });
    let data = screen(server, "province", PROVINCE, variables, 40).await;
    let province = &data["locality"];
    assert_eq!(province["code"], "42");
    let children = list(&province["summary"]["children"]);
    let city = children
        .iter()
        .find(|c| c["locality"]["id"] == json!(h.city))
        .expect("the city is a child of the province");
    // Thạch Trung (2018) and Thạch Môn (2019) are NTM in the city at the end of 2019.
    let ntm = list(&city["levels"])
        .into_iter()
        .find(|l| l["level"] == "NTM")
        .expect("NTM level");
    assert_eq!(ntm["units"], 2, "{city:#}");
    let codes: Vec<&str> = children
        .iter()
        .filter_map(|c| c["locality"]["code"].as_str())
        .collect();
    let mut sorted = codes.clone();
    sorted.sort_by_key(|c| c.parse::<u32>().unwrap_or(u32::MAX));
    assert_eq!(codes, sorted, "children come in the order of their codes");
    let years = list(&province["summarySeries"]);
    let dates: Vec<&str> = years.iter().filter_map(|y| y["on"].as_str()).collect();
    assert_eq!(dates, ["2017-12-31", "2018-12-31", "2019-12-31"]);
    let ntm_units = |levels: &Value| {
        list(levels)
            .into_iter()
            .find(|l| l["level"] == "NTM")
            .map(|l| l["units"].clone())
    };
    assert_eq!(
        ntm_units(&years[2]["levels"]),
        ntm_units(&province["summary"]["levels"]),
        "the series' last year is the summary of the date"
    );
}

const HEAT_MAP: &str = "query HeatMap($district: ID!, $on: Date!) {
    localities(filter: { within: $district, kinds: [COMMUNE, WARD], on: $on }, first: 100,
        orderBy: { field: CODE }) { totalCount
      edges { node { id name code
        standing(set: \"NTM-XA-2016-2020\", on: $on) { id criteriaMet
          criteria { code nameVi status official computed } } } } } }";

async fn district_heat_map(server: &Server, h: &History) {
    let variables = json!({ "district": h.city, "on": "2019-12-31" });
    let data = screen(server, "heat map", HEAT_MAP, variables, 60).await;
    let edges = list(&data["localities"]["edges"]);
    assert_eq!(data["localities"]["totalCount"], json!(edges.len()));
    let row = edges
        .iter()
        .find(|e| e["node"]["id"] == json!(h.thach_trung))
        .expect("Thạch Trung is on the map");
    let cells = list(&row["node"]["standing"]["criteria"]);
    assert_eq!(cells.len(), 19);
    assert_eq!(cells[0]["code"], "1");
    assert_eq!(cells[9]["code"], "10", "criteria in the order of the set");
    assert!(cells.iter().all(|c| c["status"] == "MET"), "{cells:#?}");
}

const TIMELINE: &str = "query Timeline($id: ID!) {
    locality(id: $id) { id name code endedOn
      periods { validFrom name code kind }
      successors { kind effectiveOn legalAct locality { id name } }
      standingSeries(set: \"NTM-XA-2021-2025\", from: \"2017-01-01\", to: \"2025-12-31\") {
        id on exists criteriaMet atRisk recognition { level decision } }
      history(first: 100) { totalCount edges { node { position type effectiveOn } } } } }";

async fn commune_timeline(server: &Server, h: &History) {
    let data = screen(
        server,
        "timeline",
        TIMELINE,
        json!({ "id": h.thach_trung }),
        30,
    )
    .await;
    let commune = &data["locality"];
    let years = list(&commune["standingSeries"]);
    assert_eq!(years.len(), 9);
    assert_eq!(years[1]["recognition"]["decision"], "118/QĐ-UBND");
    assert_eq!(years[6]["atRisk"], "KEY_CRITERION_FAILING");
    let merged = list(&commune["successors"]);
    assert_eq!(merged.len(), 1, "{commune:#}");
    assert_eq!(merged[0]["effectiveOn"], "2025-07-01");
    let history = list(&commune["history"]["edges"]);
    assert_eq!(commune["history"]["totalCount"], json!(history.len()));
    assert!(history
        .iter()
        .any(|e| e["node"]["type"] == "RECOGNITION_GRANTED"));
}

const FEED: &str = "query Feed($province: ID!) {
    head { position projected }
    events(filter: { subtree: $province }, order: NEWEST_FIRST, first: 20) { totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { id position type recordedAt locality { id name code }
        details { __typename } } } } }";

async fn audit_feed(server: &Server, h: &History) {
    let data = screen(server, "feed", FEED, json!({ "province": h.province }), 12).await;
    let edges = list(&data["events"]["edges"]);
    assert_eq!(edges.len(), 20);
    let positions: Vec<i64> = edges
        .iter()
        .filter_map(|e| e["node"]["position"].as_i64())
        .collect();
    assert!(positions.windows(2).all(|p| p[0] > p[1]), "newest first");
    assert_eq!(data["head"]["position"], json!(positions[0]));
    // The last write of the history: the 2023 monitoring of Thạch Trung.
    // The locality of an event is read today: Thạch Trung's last name, a ward's.
    assert_eq!(edges[0]["node"]["locality"]["name"], "Phường Thạch Trung");
    assert_eq!(
        edges[0]["node"]["details"]["__typename"],
        "CriterionAssessedDetails"
    );
    assert!(data["events"]["totalCount"].as_i64().unwrap_or(0) > 20);
}

const CHANGES: &str = "query Changes($id: ID!, $from: Date!, $to: Date!) {
    diff(locality: $id, set: \"NTM-XA-2021-2025\", from: $from, to: $to) {
      criteriaMetFrom criteriaMetTo criteria { code nameVi from to } }
    before: standing(locality: $id, set: \"NTM-XA-2021-2025\", on: $from) { id criteriaMet }
    after: standing(locality: $id, set: \"NTM-XA-2021-2025\", on: $to) { id criteriaMet } }";

async fn changes_between_dates(server: &Server, h: &History) {
    let variables = json!({ "id": h.thach_trung, "from": "2022-12-31", "to": "2023-12-31" });
    let data = screen(server, "changes", CHANGES, variables, 12).await;
    let diff = &data["diff"];
    assert_eq!(diff["criteriaMetFrom"], data["before"]["criteriaMet"]);
    assert_eq!(diff["criteriaMetTo"], data["after"]["criteriaMet"]);
    // 2022: criteria 1 to 8 met; the 2023 monitoring: 2, 3 and 5 fail, 9 to 19 are assessed.
    assert_eq!(
        (
            diff["criteriaMetFrom"].clone(),
            diff["criteriaMetTo"].clone()
        ),
        (json!(8), json!(13))
    );
    let changed: Vec<String> = list(&diff["criteria"])
        .iter()
        .filter(|c| c["from"] != c["to"])
        .filter_map(|c| c["code"].as_str().map(str::to_owned))
        .collect();
    let expected: Vec<String> = ["2", "3", "5"]
        .into_iter()
        .map(str::to_owned)
        .chain((9..=19).map(|c| c.to_string()))
        .collect();
    assert_eq!(changed, expected, "{diff:#}");
    assert_ne!(
        data["before"]["id"], data["after"]["id"],
        "each dated standing has its own id"
    );
}

const SEARCH: &str = "query Search($text: String!) {
    localities(filter: { name: $text, includeEnded: true }, first: 10,
        orderBy: { field: NAME }) { totalCount
      edges { node { id name code kind endedOn parent { name } } } } }";

async fn search_without_diacritics(server: &Server, h: &History) {
    let data = screen(
        server,
        "search",
        SEARCH,
        json!({ "text": "thach trung" }),
        8,
    )
    .await;
    let edges = &data["localities"]["edges"];
    // Found by its last name, a ward's since 2025, whose folded form holds "thach trung".
    assert_eq!(names(edges), ["Phường Thạch Trung"], "{edges:#}");
    assert!(list(edges)
        .iter()
        .any(|e| e["node"]["id"] == json!(h.thach_trung)));
}

async fn every_dashboard_screen_is_one_request(db: &TestDb) {
    let server = Server::start(db).await;
    let h = history(&server).await;
    province_by_district(&server, &h).await;
    district_heat_map(&server, &h).await;
    commune_timeline(&server, &h).await;
    audit_feed(&server, &h).await;
    changes_between_dates(&server, &h).await;
    search_without_diacritics(&server, &h).await;
}
