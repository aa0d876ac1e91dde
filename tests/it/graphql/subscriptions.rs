//! `events(after:)` over graphql-transport-ws: every event exactly once, in order, while
//! mutations run concurrently, across a disconnect and a resume.

use futures::SinkExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::websocket::{next_json, Socket};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_resumed_subscription_delivers_every_event_once_in_order,
    standing_changes_arrive_after_the_projection,
    an_unknown_set_or_a_malformed_subtree_is_refused_at_once,
);

/// Connects, acknowledges and starts one subscription.
pub(super) async fn subscribe(server: &Server, query: &str, variables: Value) -> Socket {
    let url = format!("ws://{}/graphql/ws", server.address);
    let mut request = url.into_client_request().expect("request");
    request.headers_mut().insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let init = json!({ "type": "connection_init" }).to_string();
    socket.send(Message::text(init)).await.expect("init");
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    let start = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": query, "variables": variables } });
    socket
        .send(Message::text(start.to_string()))
        .await
        .expect("subscribe");
    socket
}

/// The next subscription payload's data.
pub(super) async fn next_data(socket: &mut Socket) -> Value {
    let message = next_json(socket).await;
    assert_eq!(message["type"], "next", "{message:#}");
    assert!(message["payload"].get("errors").is_none(), "{message:#}");
    message["payload"]["data"].clone()
}

const EVENTS: &str = "subscription($after: Int) { events(after: $after) { position type } }";

async fn a_resumed_subscription_delivers_every_event_once_in_order(db: &TestDb) {
    let server = std::sync::Arc::new(Server::start(db).await);
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let start = server.event_count().await;
    let mut socket = subscribe(&server, EVENTS, json!({ "after": start })).await;

    // Three writers register 10 communes each, concurrently with the reading.
    let writers: Vec<_> = (0..3)
        .map(|w| {
            let server = server.clone();
            tokio::spawn(async move {
                for i in 0..10 {
                    let code = format!("{:05}", 18_000 + w * 10 + i);
                    register(&server, &format!("Xã {w}-{i}"), "COMMUNE", &code, None).await;
                }
            })
        })
        .collect();
    let mut received: Vec<i64> = Vec::new();
    while received.len() < 12 {
        let data = next_data(&mut socket).await;
        received.push(data["events"]["position"].as_i64().expect("position"));
    }
    socket.close(None).await.expect("close");
    for writer in writers {
        writer.await.expect("writer");
    }
    let end = server.event_count().await;
    assert_eq!(end, start + 30);

    let resume_after = *received.last().expect("some events");
    let mut socket = subscribe(&server, EVENTS, json!({ "after": resume_after })).await;
    while received.last().copied() < Some(end) {
        let data = next_data(&mut socket).await;
        received.push(data["events"]["position"].as_i64().expect("position"));
    }
    let expected: Vec<i64> = (start + 1..=end).collect();
    assert_eq!(
        received, expected,
        "every event exactly once, in position order"
    );
}

async fn standing_changes_arrive_after_the_projection(db: &TestDb) {
    let server = Server::start(db).await;
    let commune = register(&server, "Xã Thạch Bình", "COMMUNE", "18112", None).await;
    let query =
        "subscription($after: Int) { standingChanged(set: \"NTM-XA-2021-2025\", after: $after) {
        localityId set enrolled criteriaMet criteria { code official } } }";
    let after = server.event_count().await;
    let mut socket = subscribe(&server, query, json!({ "after": after })).await;
    // Registration has no standing for the set; enrolment creates one.
    server
        .data(
            "mutation($input: EnrolLocalityInput!) { enrolLocality(input: $input) { position } }",
            json!({ "input": { "locality": commune, "idempotencyKey": "enrol",
                "set": "NTM-XA-2021-2025", "targetYear": 2024, "effectiveOn": "2021-01-01" } }),
        )
        .await;
    let data = next_data(&mut socket).await;
    let changed = &data["standingChanged"];
    assert_eq!(
        (
            &changed["localityId"],
            &changed["set"],
            &changed["enrolled"],
            &changed["criteriaMet"]
        ),
        (
            &json!(commune),
            &json!("NTM-XA-2021-2025"),
            &json!(true),
            &json!(0)
        )
    );
    // A second change to the same locality arrives with fresh criteria (nothing cached).
    server
        .data(
            "mutation($input: AssessCriterionInput!) { assessCriterion(input: $input) { position } }",
            json!({ "input": { "locality": commune, "idempotencyKey": "assess", "set": "NTM-XA-2021-2025",
                "criterion": "2", "met": true, "level": "PROVINCIAL_COUNCIL", "effectiveOn": "2021-06-01" } }),
        )
        .await;
    let data = next_data(&mut socket).await;
    let changed = &data["standingChanged"];
    assert_eq!(changed["criteriaMet"], 1, "{changed:#}");
    let criteria = changed["criteria"].as_array().into_iter().flatten();
    let criterion_2 = criteria.into_iter().find(|c| c["code"] == "2");
    assert_eq!(criterion_2.map(|c| &c["official"]), Some(&json!("MET")));
}

/// `standingChanged` with an unknown set, or a subtree that is no locality id, is refused when
/// it is asked for (an `error` message with its code), not left silent forever.
async fn an_unknown_set_or_a_malformed_subtree_is_refused_at_once(db: &TestDb) {
    let server = Server::start(db).await;
    let cases = [
        (json!({ "set": "NOPE" }), "NOT_FOUND"),
        (json!({ "subtree": "abc" }), "VALIDATION"),
    ];
    for (variables, code) in cases {
        let query = "subscription($set: String, $subtree: ID) {
            standingChanged(set: $set, subtree: $subtree) { set } }";
        let mut socket = subscribe(&server, query, variables).await;
        let message = next_json(&mut socket).await;
        let errors = match message["type"].as_str() {
            Some("error") => message["payload"].clone(),
            _ => message["payload"]["errors"].clone(),
        };
        assert_eq!(errors[0]["extensions"]["code"], code, "{message:#}");
    }
}
