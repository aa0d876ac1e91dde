//! Errors on graphql-transport-ws, through a real WebSocket client: refused `subscribe`
//! documents carry `extensions.code` as over HTTP, and a connection that does not start with
//! `connection_init` is closed with the protocol's code (4401, or 4400 for a non-message).

use futures::SinkExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use crate::support::server::Server;
use crate::support::websocket::{connect_to, next, next_json, Socket};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    refused_subscribe_documents_carry_codes,
    a_connection_must_start_with_connection_init,
);

/// The messages answering a `subscribe` of `payload`, up to its `complete` or `error`.
async fn subscribe(socket: &mut Socket, id: &str, payload: Value) -> Vec<Value> {
    let start = json!({ "id": id, "type": "subscribe", "payload": payload });
    socket
        .send(Message::text(start.to_string()))
        .await
        .expect("subscribe");
    let mut messages = Vec::new();
    loop {
        let message = next_json(socket).await;
        let done = message["type"] == "complete" || message["type"] == "error";
        messages.push(message);
        if done {
            return messages;
        }
    }
}

/// The codes of the errors among `messages`.
fn codes(messages: &[Value]) -> Vec<String> {
    messages
        .iter()
        .flat_map(|m| {
            let errors = match m["type"].as_str() {
                Some("error") => m["payload"].clone(),
                _ => m["payload"]["errors"].clone(),
            };
            errors.as_array().cloned().unwrap_or_default()
        })
        .map(|e| {
            e["extensions"]["code"]
                .as_str()
                .unwrap_or("none")
                .to_owned()
        })
        .collect()
}

async fn refused_subscribe_documents_carry_codes(db: &TestDb) {
    let server = Server::start(db).await;
    let mut socket = connect_to(&server.address.to_string(), json!({})).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    let aliases: String = (0..=ntm_tracker::graphql::MAX_ALIASES)
        .map(|i| format!(" a{i}: events {{ position }}"))
        .collect();
    let unknown_hash = json!({ "persistedQuery": { "version": 1, "sha256Hash": "cd".repeat(32) } });
    for (id, payload, code) in [
        (
            "parse",
            json!({ "query": "subscription { events {" }),
            "VALIDATION",
        ),
        (
            "validation",
            json!({ "query": "subscription { noSuchField }" }),
            "VALIDATION",
        ),
        (
            "variables",
            json!({ "query": "subscription($a: Int!) { events(after: $a) { position } }" }),
            "VALIDATION",
        ),
        (
            "admission",
            json!({ "query": format!("subscription {{{aliases} }}") }),
            "VALIDATION",
        ),
        (
            "persisted",
            json!({ "query": "", "extensions": unknown_hash }),
            "PERSISTED_QUERY_NOT_FOUND",
        ),
    ] {
        let messages = subscribe(&mut socket, id, payload).await;
        let codes = codes(&messages);
        assert!(
            !codes.is_empty() && codes.iter().all(|c| c == code),
            "{id}: {messages:#?}"
        );
    }
    // The socket still serves after its refusals.
    let fine = subscribe(&mut socket, "ok", json!({ "query": "{ __typename }" })).await;
    assert_eq!(
        fine[0]["payload"]["data"]["__typename"], "Query",
        "{fine:#?}"
    );
}

/// A socket on which the client's first message is `first`: the close code it gets.
async fn closed_with(server: &Server, first: Message) -> u16 {
    let url = format!("ws://{}/graphql/ws", server.address);
    let mut request = url.into_client_request().expect("request");
    let protocol = "graphql-transport-ws".parse().expect("header");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol);
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    socket.send(first).await.expect("send");
    match next(&mut socket).await {
        Message::Close(Some(frame)) => u16::from(frame.code),
        other => panic!("expected a close frame, got {other:?}"),
    }
}

async fn a_connection_must_start_with_connection_init(db: &TestDb) {
    let server = Server::start(db).await;
    let subscribe = json!({ "id": "1", "type": "subscribe",
        "payload": { "query": "subscription { events { position } }" } });
    assert_eq!(
        closed_with(&server, Message::text(subscribe.to_string())).await,
        4401
    );
    assert_eq!(closed_with(&server, Message::text("not json")).await, 4400);
    assert_eq!(
        closed_with(&server, Message::text("{\"id\": 1}")).await,
        4400
    );
}
