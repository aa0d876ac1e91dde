//! The audit feed read newest first and backwards from the head: `order`, `last`/`before`,
//! `afterPosition`/`beforePosition`, `totalCount` (in SQL and in Rust) and `head`.

use serde_json::{json, Value};

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    the_feed_pages_from_either_end_in_either_order,
    the_feed_counts_its_events_and_names_its_head,
);

const PAGE: &str = "query($order: EventOrder, $first: Int, $after: String, $last: Int,
    $before: String, $afterPosition: Int, $beforePosition: Int) {
    events(order: $order, first: $first, after: $after, last: $last, before: $before,
        afterPosition: $afterPosition, beforePosition: $beforePosition,
        filter: {types: [LOCALITY_ESTABLISHED]}) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { position } } } }";

/// The positions of a page and its page info.
async fn page(server: &Server, arguments: Value) -> (Vec<i64>, Value) {
    let data = server.data(PAGE, arguments).await;
    let events = &data["events"];
    let positions = events["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"]["position"].as_i64().expect("position"))
        .collect();
    (positions, events["pageInfo"].clone())
}

/// Registers `n` communes; the positions of their events.
async fn communes(server: &Server, n: usize) -> Vec<i64> {
    let start = server.event_count().await;
    for i in 0..n {
        let code = format!("{:05}", 18_300 + i);
        register(server, &format!("Xã {i}"), "COMMUNE", &code, None).await;
    }
    (start + 1..=server.event_count().await).collect()
}

async fn the_feed_pages_from_either_end_in_either_order(db: &TestDb) {
    let server = Server::start(db).await;
    let all = communes(&server, 12).await;
    assert_eq!(all.len(), 12);
    let newest: Vec<i64> = all.iter().rev().copied().collect();

    // Newest first, page after page.
    let (one, info) = page(&server, json!({ "order": "NEWEST_FIRST", "first": 5 })).await;
    assert_eq!(one, newest[..5]);
    assert_eq!(
        (&info["hasNextPage"], &info["hasPreviousPage"]),
        (&json!(true), &json!(false))
    );
    let after = info["endCursor"].clone();
    let (two, info) = page(
        &server,
        json!({ "order": "NEWEST_FIRST", "first": 5, "after": after }),
    )
    .await;
    assert_eq!(two, newest[5..10]);
    assert_eq!(info["hasPreviousPage"], true);
    let after = info["endCursor"].clone();
    let (three, info) = page(
        &server,
        json!({ "order": "NEWEST_FIRST", "first": 5, "after": after }),
    )
    .await;
    assert_eq!(
        (three.as_slice(), &info["hasNextPage"]),
        (&newest[10..], &json!(false))
    );

    // Oldest first, from the end backwards: the newest five, in the list's order.
    let (tail, info) = page(&server, json!({ "last": 5 })).await;
    assert_eq!(tail, all[7..]);
    assert_eq!(
        (&info["hasPreviousPage"], &info["hasNextPage"]),
        (&json!(true), &json!(false))
    );
    let before = info["startCursor"].clone();
    let (earlier, info) = page(&server, json!({ "last": 5, "before": before })).await;
    assert_eq!(
        (earlier.as_slice(), &info["hasNextPage"]),
        (&all[2..7], &json!(true))
    );
    // Newest first, the last two are the oldest two, newest of them first.
    let (oldest, _) = page(&server, json!({ "order": "NEWEST_FIRST", "last": 2 })).await;
    assert_eq!(oldest, vec![all[1], all[0]]);

    // Positions bound the list in either order, as the subscription's `after` does.
    let (window, _) = page(
        &server,
        json!({ "afterPosition": all[2], "beforePosition": all[6], "first": 50 }),
    )
    .await;
    assert_eq!(window, all[3..6]);
    let (window, _) = page(
        &server,
        json!({ "order": "NEWEST_FIRST", "afterPosition": all[2], "beforePosition": all[6] }),
    )
    .await;
    assert_eq!(window, vec![all[5], all[4], all[3]]);

    for (arguments, field) in [
        (json!({ "first": 1, "last": 1 }), "last"),
        (json!({ "last": 501 }), "last"),
        (json!({ "before": "zz", "last": 2 }), "before"),
    ] {
        let error = server.error(PAGE, arguments).await;
        assert_eq!(
            (&error["extensions"]["code"], &error["extensions"]["field"]),
            (&json!("VALIDATION"), &json!(field)),
            "{error:#}"
        );
    }
}

async fn the_feed_counts_its_events_and_names_its_head(db: &TestDb) {
    let server = Server::start(db).await;
    let all = communes(&server, 7).await;
    let count = |filter: Value, extra: &str| {
        let query = format!(
            "query($f: EventFilter) {{ events(filter: $f, first: 2{extra}) {{ totalCount edges {{ cursor }} }} }}"
        );
        let server = &server;
        async move { server.data(&query, json!({ "f": filter })).await["events"]["totalCount"].clone() }
    };
    // SQL counts the types; the actor (metadata) is matched in Rust; both count every page.
    assert_eq!(
        count(json!({ "types": ["LOCALITY_ESTABLISHED"] }), "").await,
        json!(7)
    );
    assert_eq!(
        count(
            json!({ "actor": "test admin", "types": ["LOCALITY_ESTABLISHED"] }),
            ""
        )
        .await,
        json!(7)
    );
    assert_eq!(count(json!({ "actor": "nobody" }), "").await, json!(0));
    let window = format!(", afterPosition: {}", all[4]);
    assert_eq!(
        count(json!({ "types": ["LOCALITY_ESTABLISHED"] }), &window).await,
        json!(2)
    );
    let total = count(json!({}), "").await.as_i64().expect("total");
    let head = server
        .data("{ head { position recordedAt projected } }", json!({}))
        .await["head"]
        .clone();
    let end = server.event_count().await;
    assert_eq!(head["position"], json!(end));
    assert!(head["recordedAt"].is_string(), "{head:#}");
    // The admin sees every event, token events included.
    assert_eq!(total, end);
    server.caught_up(end).await;
    let head = server.data("{ head { projected } }", json!({})).await;
    assert_eq!(head["head"]["projected"], json!(end));
}
