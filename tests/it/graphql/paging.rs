//! Paging over 1,000 localities (no duplicates, no gaps, in both orders, forward and backward) and the cost of a page
//! with standings in SQL statements, which must not grow with the page.

use std::collections::HashSet;

use chrono::NaiveDate;
use ntm_tracker::app::codec::encode;
use ntm_tracker::domain::event::{LocalityEstablished, LocalityEvent, ProgrammeEnrolled};
use ntm_tracker::domain::locality::LocalityId;
use ntm_tracker::domain::terms::LocalityKind;
use ntm_tracker::store::{AppendRequest, ExpectedVersion, Metadata};
use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(pages_cover_a_thousand_localities_at_a_bounded_cost);

const COMMUNES: usize = 1_000;

fn date(s: &str) -> NaiveDate {
    s.parse().expect("date")
}

/// 1,000 communes under `district`, ten per name (so ties are broken by id), each enrolled.
async fn thousand_communes(server: &Server, district: &str) -> i64 {
    let parent: LocalityId = district.parse().expect("id");
    let streams = (0..COMMUNES)
        .map(|i| {
            let id = LocalityId(uuid::Uuid::now_v7());
            let events = [
                LocalityEvent::LocalityEstablished(LocalityEstablished {
                    effective_on: date("2019-01-01"),
                    legal_act: None,
                    name: format!("Xã Thạch Đồng {}", i % 100),
                    kind: LocalityKind::Commune,
                    code: Some(format!("{:05}", 20_000 + i).parse().expect("code")),
                    parent: Some(parent.clone()),
                    threshold_region: None,
                    commune_group: None,
                    formed_from: Vec::new(),
                }),
                LocalityEvent::ProgrammeEnrolled(ProgrammeEnrolled {
                    effective_on: date("2021-01-01"),
                    set: "NTM-XA-2021-2025".parse().expect("set"),
                    target_year: 2024,
                    legal_act: None,
                }),
            ];
            encode(&id, ExpectedVersion::Exact(0), &events).expect("events")
        })
        .collect();
    let request = AppendRequest {
        streams,
        metadata: Metadata::system("test"),
        idempotency_key: None,
    };
    server
        .store
        .append(request)
        .await
        .expect("append")
        .last_position()
}

const PAGE: &str = "query($first: Int, $after: String, $order: LocalityOrdering, $within: ID, $p: Int) {
    localities(first: $first, after: $after, orderBy: $order, filter: {within: $within}, minPosition: $p) {
        totalCount pageInfo { hasNextPage endCursor } edges { node { id name code } } } }";

async fn all_pages(server: &Server, order: &str, district: &str, position: i64) -> Vec<Value> {
    let mut nodes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let vars = json!({ "first": 97, "after": after, "order": { "field": order }, "within": district, "p": position });
        let page = server.data(PAGE, vars).await["localities"].clone();
        assert_eq!(page["totalCount"], COMMUNES);
        nodes.extend(
            page["edges"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|e| e["node"].clone()),
        );
        if page["pageInfo"]["hasNextPage"] != true {
            return nodes;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(str::to_owned);
    }
}

const PAGE_BACKWARD: &str = "query($before: String, $order: LocalityOrdering, $within: ID) {
    localities(last: 89, before: $before, orderBy: $order, filter: {within: $within}) {
        pageInfo { hasPreviousPage startCursor } edges { node { id name code } } } }";

/// The whole list read from its end, `last: 89` before each page's start, in list order.
async fn pages_backward(server: &Server, order: &str, district: &str) -> Vec<Value> {
    let mut nodes: Vec<Value> = Vec::new();
    let mut before: Option<String> = None;
    loop {
        let vars = json!({ "before": before, "order": { "field": order }, "within": district });
        let page = server.data(PAGE_BACKWARD, vars).await["localities"].clone();
        let mut got: Vec<Value> = page["edges"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|e| e["node"].clone())
            .collect();
        got.append(&mut nodes);
        nodes = got;
        if page["pageInfo"]["hasPreviousPage"] != true {
            return nodes;
        }
        before = page["pageInfo"]["startCursor"].as_str().map(str::to_owned);
    }
}

const WITH_STANDINGS: &str = "query($first: Int, $within: ID) {
    localities(first: $first, filter: {within: $within}) { edges { node { id name version
        parent { name } periods { validFrom code } predecessors { kind }
        standings { set criteriaMet recognition { decision } criteria { code status } } } } } }";

async fn statements(server: &Server, first: i32, district: &str) -> u64 {
    let response = server
        .post(
            WITH_STANDINGS,
            json!({ "first": first, "within": district }),
        )
        .await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let edges = response["data"]["localities"]["edges"]
        .as_array()
        .expect("edges");
    assert_eq!(edges.len(), first as usize);
    assert_eq!(
        edges[0]["node"]["standings"][0]["criteria"]
            .as_array()
            .map(Vec::len),
        Some(19)
    );
    let versions = edges.iter().map(|e| e["node"]["version"].as_i64());
    assert!(
        versions.into_iter().all(|v| v == Some(2)),
        "established and enrolled"
    );
    response["extensions"]["sqlStatements"]
        .as_u64()
        .expect("sqlStatements")
}

async fn pages_cover_a_thousand_localities_at_a_bounded_cost(db: &TestDb) {
    let server = Server::start(db).await;
    let district = register(&server, "Thành phố Hà Tĩnh", "DISTRICT", "436", None).await;
    let position = thousand_communes(&server, &district).await;
    let started = std::time::Instant::now();
    server.caught_up(position).await;
    eprintln!("projected {position} events in {:?}", started.elapsed());

    for order in ["NAME", "CODE"] {
        let nodes = all_pages(&server, order, &district, position).await;
        let ids: HashSet<&str> = nodes.iter().filter_map(|n| n["id"].as_str()).collect();
        assert_eq!(
            (nodes.len(), ids.len()),
            (COMMUNES, COMMUNES),
            "no duplicates, no gaps"
        );
        let key = |n: &Value| {
            n[if order == "NAME" { "name" } else { "code" }]
                .as_str()
                .map(str::to_owned)
        };
        let keys: Vec<Option<String>> = nodes.iter().map(key).collect();
        if order == "CODE" {
            assert!(keys.windows(2).all(|w| w[0] <= w[1]), "ordered by code");
        }
        let backward = pages_backward(&server, order, &district).await;
        assert!(backward == nodes, "last/before pages the same list");
    }

    let small = statements(&server, 10, &district).await;
    let large = statements(&server, 100, &district).await;
    eprintln!("SQL statements: page of 10 → {small}, page of 100 → {large}");
    assert_eq!(small, large, "a page's cost does not grow with its size");
    // The store's positions (for the kept answers), the candidates, the parents, and every
    // other kind the nodes ask for in one statement.
    assert!(
        large <= 4,
        "{large} statements for a page of 100 with standings"
    );
    let nested = children_statements(&server, &district).await;
    eprintln!("SQL statements: 1,000 children with standings and criteria → {nested}");
    // With the read of the store's positions for the kept answers.
    assert!(
        nested <= 3,
        "{nested} statements: the loaders batch siblings"
    );
}

const CHILDREN: &str = "query($id: ID) {
    locality(id: $id) { children { id standings { set criteria { code status } } } } }";

/// Statements for a district's children with their standings: no page primes these loaders,
/// so only the loaders' batching of sibling fields keeps the count bounded.
async fn children_statements(server: &Server, district: &str) -> u64 {
    let response = server.post(CHILDREN, json!({ "id": district })).await;
    assert!(response.get("errors").is_none(), "{response:#}");
    let children = response["data"]["locality"]["children"]
        .as_array()
        .expect("children");
    assert_eq!(children.len(), COMMUNES);
    assert!(children.iter().all(|c| c["standings"][0]["criteria"]
        .as_array()
        .is_some_and(|list| !list.is_empty())));
    response["extensions"]["sqlStatements"]
        .as_u64()
        .expect("sqlStatements")
}
