//! The `Node` interface: `node`/`nodes` read localities, events and standings back by global
//! id, in the order asked, null for what is unknown or hidden, in a bounded number of
//! statements; `Event.locality` costs the same for a page of 5 as of 40.

use ntm_tracker::auth::Role;
use serde_json::{json, Value};

use crate::support::graphql::{enrolled_commune, mutate, register};
use crate::support::server::{token, Server};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    nodes_read_back_localities_events_and_standings_in_the_order_asked,
    node_ids_are_checked_and_nodes_are_bounded,
    nodes_and_event_localities_cost_a_constant_number_of_statements,
);

const NODES: &str = "query($ids: [ID!]!) { nodes(ids: $ids) { __typename id
    ... on Locality { name }
    ... on Event { type position eventId }
    ... on Standing { set criteriaMet position } } }";

/// Assesses criterion `criterion` of the commune as met; the position of the event.
async fn assess(server: &Server, commune: &str, criterion: &str) -> i64 {
    let input = json!({ "locality": commune, "idempotencyKey": format!("assess {commune} {criterion}"),
        "set": "NTM-XA-2021-2025", "criterion": criterion, "met": true,
        "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2021-06-01" });
    let result = mutate(server, "assessCriterion", "AssessCriterionInput", input).await;
    result["position"].as_i64().expect("position")
}

async fn nodes_read_back_localities_events_and_standings_in_the_order_asked(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = enrolled_commune(&server).await;
    let first = assess(&server, &commune, "2").await;
    let (_, viewer) = token(&server.store, "Báo chí", Role::Viewer, None, None).await;
    let last = assess(&server, &commune, "3").await;
    server.caught_up(last).await;
    let before_last = server
        .data(
            "query($p: Int!) { events(afterPosition: $p, first: 1) { edges { node { recordedAt } } } }",
            json!({ "p": first }),
        )
        .await["events"]["edges"][0]["node"]["recordedAt"]
        .clone();
    let read = server
        .data(
            "query($id: ID!, $known: DateTime!) { locality(id: $id) { id
                standings { id position }
                standing(set: \"NTM-XA-2021-2025\", on: \"2021-12-31\", knownAt: $known) {
                    id position criteriaMet }
                history(first: 10) { edges { node { id eventId type } } } } }",
            json!({ "id": commune, "known": before_last }),
        )
        .await;
    let locality = &read["locality"];
    assert_eq!(locality["id"], json!(commune));
    let present = &locality["standings"][0];
    let standing_id = format!("standing:{commune}:NTM-XA-2021-2025");
    assert_eq!(
        (&present["id"], &present["position"]),
        (&json!(standing_id), &json!(last))
    );
    // Time travel as known just before the last assessment: the one before it is the last
    // event it includes.
    let dated = &locality["standing"];
    assert_eq!(
        (&dated["position"], &dated["criteriaMet"]),
        (&json!(first), &json!(1))
    );
    let dated_id = dated["id"].as_str().expect("dated id").to_owned();
    assert!(
        dated_id.starts_with(&format!("{standing_id}:2021-12-31:")),
        "{dated_id}"
    );
    let event = &locality["history"]["edges"][0]["node"];
    assert_eq!(event["id"], event["eventId"]);
    let token_event = server
        .data(
            "{ events(filter: {types: [TOKEN_CREATED]}, last: 1) { edges { node { id } } } }",
            json!({}),
        )
        .await["events"]["edges"][0]["node"]["id"]
        .clone();
    let unknown = "0190a0b0-0000-7000-8000-00000000beef";
    let other_set = format!("standing:{commune}:NTM-XA-2016-2020");
    let ids = json!([
        dated_id,
        commune,
        unknown,
        event["id"],
        standing_id,
        token_event,
        other_set
    ]);

    let as_admin = server.data(NODES, json!({ "ids": ids })).await["nodes"].clone();
    let types: Vec<&Value> = as_admin
        .as_array()
        .expect("list")
        .iter()
        .map(|n| &n["__typename"])
        .collect();
    let expected = ["Standing", "Locality", "", "Event", "Standing", "Event", ""];
    let expected: Vec<Value> = expected
        .iter()
        .map(|t| if t.is_empty() { Value::Null } else { json!(t) })
        .collect();
    assert_eq!(types, expected.iter().collect::<Vec<_>>(), "{as_admin:#}");
    assert_eq!(as_admin[0]["criteriaMet"], 1, "graded again as known then");
    assert_eq!(as_admin[0]["id"], json!(dated_id));
    assert_eq!(as_admin[1]["name"], "Xã Thạch Bình");
    // Each node has the fields of its own type's fragment only.
    assert!(as_admin[1].get("type").is_none() && as_admin[3].get("name").is_none());
    assert!(as_admin[4].get("eventId").is_none(), "{as_admin:#}");
    assert_eq!(
        (&as_admin[3]["type"], &as_admin[3]["id"]),
        (&json!("LOCALITY_ESTABLISHED"), &event["id"])
    );
    assert_eq!(
        (&as_admin[4]["criteriaMet"], &as_admin[4]["position"]),
        (&json!(2), &json!(last))
    );
    assert_eq!(as_admin[5]["type"], "TOKEN_CREATED");

    // A viewer does not see token events, through node as through the feed.
    let as_viewer = server
        .post_as(Some(&viewer), NODES, json!({ "ids": ids }))
        .await;
    assert!(as_viewer.get("errors").is_none(), "{as_viewer:#}");
    assert_eq!(as_viewer["data"]["nodes"][5], Value::Null);
    assert_eq!(as_viewer["data"]["nodes"][1]["id"], json!(commune));
    let one = server
        .post_as(
            Some(&viewer),
            "query($id: ID!) { node(id: $id) { id } }",
            json!({ "id": token_event }),
        )
        .await;
    assert_eq!(one["data"]["node"], Value::Null, "{one:#}");
}

async fn node_ids_are_checked_and_nodes_are_bounded(db: &TestDb) {
    let server = Server::start(db).await;
    for id in [
        "abc",
        "standing:abc:NTM-XA-2021-2025",
        "standing:0190a0b0-0000-7000-8000-000000000001",
    ] {
        let error = server
            .error(
                "query($id: ID!) { node(id: $id) { id } }",
                json!({ "id": id }),
            )
            .await;
        assert_eq!(error["extensions"]["code"], "VALIDATION", "{id}: {error:#}");
        assert_eq!(error["extensions"]["field"], "id", "{error:#}");
    }
    let many: Vec<String> = (0..501)
        .map(|i| format!("0190a0b0-0000-7000-8000-{i:012}"))
        .collect();
    let error = server
        .error(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": many }),
        )
        .await;
    assert_eq!(
        (&error["extensions"]["code"], &error["extensions"]["field"]),
        (&json!("VALIDATION"), &json!("ids")),
        "{error:#}"
    );
    let fewer = &many[..500];
    let data = server
        .data(
            "query($ids: [ID!]!) { nodes(ids: $ids) { id } }",
            json!({ "ids": fewer }),
        )
        .await;
    let nodes = data["nodes"].as_array().expect("list");
    assert!(nodes.len() == 500 && nodes.iter().all(Value::is_null));
}

/// Statements of one request: `nodes` of `n` communes, their events and standings, and a feed
/// page of `n` events with their localities (and the localities' standings).
async fn statements(server: &Server, communes: &[String], events: &[Value]) -> (u64, u64) {
    let standings: Vec<String> = communes
        .iter()
        .map(|c| format!("standing:{c}:NTM-XA-2021-2025"))
        .collect();
    let ids: Vec<Value> = communes
        .iter()
        .map(|c| json!(c))
        .chain(events.iter().cloned())
        .chain(standings.iter().map(|s| json!(s)))
        .collect();
    let response = server.post(NODES, json!({ "ids": ids })).await;
    let nodes = response["data"]["nodes"].as_array().expect("nodes");
    assert!(nodes.iter().all(|n| !n.is_null()), "{response:#}");
    let nodes_cost = response["extensions"]["sqlStatements"]
        .as_u64()
        .expect("count");
    let feed = server
        .post(
            "query($n: Int!) { events(order: NEWEST_FIRST, first: $n, filter: {types: [PROGRAMME_ENROLLED]}) {
                edges { node { locality { name standings { criteriaMet } } } } } }",
            json!({ "n": communes.len() }),
        )
        .await;
    let edges = feed["data"]["events"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), communes.len(), "{feed:#}");
    assert!(
        edges
            .iter()
            .all(|e| e["node"]["locality"]["name"].is_string()),
        "{feed:#}"
    );
    let feed_cost = feed["extensions"]["sqlStatements"].as_u64().expect("count");
    (nodes_cost, feed_cost)
}

async fn nodes_and_event_localities_cost_a_constant_number_of_statements(db: &TestDb) {
    let server = Server::start(db).await;
    let mut communes = Vec::new();
    let mut last = 0;
    for i in 0..40 {
        let code = format!("{:05}", 18_200 + i);
        let commune = register(&server, &format!("Xã {i}"), "COMMUNE", &code, None).await;
        let input = json!({ "locality": commune, "idempotencyKey": format!("enrol {i}"),
            "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" });
        last = mutate(&server, "enrolLocality", "EnrolLocalityInput", input).await["position"]
            .as_i64()
            .expect("position");
        communes.push(commune);
    }
    server.caught_up(last).await;
    let events: Vec<Value> = server
        .data("{ events(first: 100, filter: {types: [LOCALITY_ESTABLISHED]}) { edges { node { id } } } }", json!({}))
        .await["events"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["id"].clone())
        .collect();
    let small = statements(&server, &communes[..5], &events[..5]).await;
    let large = statements(&server, &communes, &events).await;
    assert_eq!(small, large, "the same statements for 5 as for 40");
    // With the read of the store's positions for the kept answers.
    assert!(large.0 <= 4 && large.1 <= 4, "{large:?}");
}
