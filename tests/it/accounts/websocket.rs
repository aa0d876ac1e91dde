//! `/graphql/ws` opened by a signed-in person's browser: the session cookie on the upgrade, the
//! session's CSRF token in `connection_init`; without the token it is closed 4403, and it
//! closes 4403 once the person signs out.

use futures::SinkExt;
use ntm_tracker::auth::Role;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

use super::{person, Visitor, PASSWORD};
use crate::support::graphql::enrolled_commune;
use crate::support::server::Server;
use crate::support::websocket::{connect_with, next, next_json, Socket};
use crate::support::{on_both_engines, TestDb};

on_both_engines!(a_session_opens_the_socket_with_its_csrf_token_until_it_ends);

const LAST_ACTOR: &str = "{ events(last: 1) { edges { node { actor } } } }";

/// The actor of the log's last event as the socket's holder may see it.
async fn last_actor(socket: &mut Socket, id: &str) -> Value {
    let start = json!({ "id": id, "type": "subscribe", "payload": { "query": LAST_ACTOR } });
    let start = Message::text(start.to_string());
    socket.send(start).await.expect("subscribe");
    let answer = next_json(socket).await;
    assert_eq!(answer["type"], "next", "{answer:#}");
    answer["payload"]["data"]["events"]["edges"][0]["node"]["actor"].clone()
}

/// The close code the server ends the socket with, skipping other frames.
async fn close_code(socket: &mut Socket) -> u16 {
    loop {
        if let Message::Close(frame) = next(socket).await {
            return frame.map_or(0, |f| u16::from(f.code));
        }
    }
}

async fn a_session_opens_the_socket_with_its_csrf_token_until_it_ends(db: &TestDb) {
    let server = Server::start(db).await;
    enrolled_commune(&server).await;
    person(&server.store, "kiem-toan", Role::Auditor, None).await;
    let mut visitor = Visitor::of(&server);
    visitor.sign_in("kiem-toan", PASSWORD).await;
    let cookie = visitor.session.clone().expect("signed in");
    let csrf = visitor.csrf().await;
    let address = server.address.to_string();
    let headers = [("Cookie", cookie.as_str())];

    for payload in [json!({}), json!({ "csrfToken": "forged" })] {
        let mut refused = connect_with(&address, &headers, payload.clone()).await;
        assert_eq!(close_code(&mut refused).await, 4403, "{payload}");
    }

    let mut socket = connect_with(&address, &headers, json!({ "csrfToken": csrf })).await;
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
    // The person is an auditor: the socket sees who recorded the enrolment.
    assert!(last_actor(&mut socket, "1").await.is_string());

    // Without the cookie, the same query is anonymous: no identities.
    let mut anonymous = connect_with(&address, &[], json!({})).await;
    assert_eq!(next_json(&mut anonymous).await["type"], "connection_ack");
    assert!(last_actor(&mut anonymous, "1").await.is_null());

    let out = visitor
        .post_form("/dang-xuat", &[("csrf", &csrf)], "")
        .await;
    assert_eq!(out.status(), reqwest::StatusCode::SEE_OTHER);
    assert_eq!(
        close_code(&mut socket).await,
        4403,
        "closed once signed out"
    );
}
