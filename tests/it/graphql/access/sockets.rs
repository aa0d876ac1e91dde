//! Tokens on graphql-transport-ws: in `connection_init`, refused with 4403; identities only
//! for auditors; a revoked token's socket ends.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use ntm_tracker::app::Origin;
use ntm_tracker::auth::{Role, Tokens};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use crate::support::graphql::register;
use crate::support::server::{token, Server, ADMIN};
use crate::support::websocket::{connect_to, next, next_json, Socket};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(
    a_bad_token_in_connection_init_closes_the_socket_with_4403,
    only_an_auditor_sees_actors_on_a_subscription
);

/// Opens a socket and sends `connection_init` with `payload`.
async fn connect(server: &Server, payload: Value) -> Socket {
    connect_to(&server.address.to_string(), payload).await
}

async fn a_bad_token_in_connection_init_closes_the_socket_with_4403(db: &TestDb) {
    let server = Server::start(db).await;
    let unknown = format!("Bearer ntm_{}", "ab".repeat(32));
    for payload in [
        json!({ "Authorization": unknown }),
        json!({ "authorization": "Bearer not-a-token" }),
        json!({ "token": "ntm_123" }),
    ] {
        let mut socket = connect(&server, payload.clone()).await;
        match next(&mut socket).await {
            Message::Close(Some(frame)) => assert_eq!(u16::from(frame.code), 4403, "{payload}"),
            other => panic!("{payload}: expected a close frame, got {other:?}"),
        }
    }
    // A good token in the payload is acknowledged.
    let mut socket = connect(&server, json!({ "Authorization": server.admin })).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
}

async fn only_an_auditor_sees_actors_on_a_subscription(db: &TestDb) {
    let server = Server::start(db).await;
    let (_, auditor) = token(&server.store, "Thanh tra", Role::Auditor, None, None).await;
    let after = server.event_count().await;
    let query =
        "subscription($after: Int) { events(after: $after) { position type actor metadata } }";
    let mut received = Vec::new();
    for payload in [json!({ "Authorization": auditor }), json!({})] {
        let mut socket = connect(&server, payload).await;
        assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
        let start = json!({ "id": "1", "type": "subscribe",
            "payload": { "query": query, "variables": { "after": after } } });
        socket
            .send(Message::text(start.to_string()))
            .await
            .expect("subscribe");
        received.push(socket);
    }
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let [auditor_socket, anonymous_socket] = &mut received[..] else {
        unreachable!("two sockets")
    };
    let seen_by_auditor = next_json(auditor_socket).await;
    let event = &seen_by_auditor["payload"]["data"]["events"];
    assert_eq!(event["type"], "LOCALITY_ESTABLISHED", "{seen_by_auditor:#}");
    assert_eq!(event["actor"], ADMIN);
    assert_eq!(event["metadata"]["role"], "admin");
    let seen_anonymously = next_json(anonymous_socket).await;
    let event = &seen_anonymously["payload"]["data"]["events"];
    assert_eq!(
        event["type"], "LOCALITY_ESTABLISHED",
        "{seen_anonymously:#}"
    );
    assert!(
        event["actor"].is_null() && event["metadata"].is_null(),
        "{event:#}"
    );
}

#[tokio::test]
async fn revoking_a_token_ends_its_open_sockets() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let (id, auditor) = token(&server.store, "Thanh tra", Role::Auditor, None, None).await;
    let mut socket = connect(&server, json!({ "Authorization": auditor })).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    Tokens::new(server.store.clone())
        .revoke(id, &Origin::cli("test"))
        .await
        .expect("revoke");
    // A close frame with the protocol's 4403, not a dropped connection (1006).
    let ended = tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match socket.next().await {
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await;
    assert_eq!(
        ended.ok(),
        Some(Some(4403)),
        "the socket outlived its token"
    );
}
