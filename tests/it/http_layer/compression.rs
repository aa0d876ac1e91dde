//! gzip and br as the client's `Accept-Encoding` asks, and WebSocket upgrades untouched.

use std::io::Read;

use futures::SinkExt;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

use super::{get, header};
use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::websocket::next_json;
use crate::support::TestDb;

const LIST: &str = "{ localities(first: 50) { edges { node { id name code kind } } } }";

#[tokio::test]
async fn responses_are_compressed_as_the_client_asks() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let province = register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    for n in 0..10 {
        let name = format!("Huyện {n}");
        register(
            &server,
            &name,
            "DISTRICT",
            &format!("4{n:02}"),
            Some(&province),
        )
        .await;
    }
    server.caught_up(server.event_count().await).await;
    let plain = get(&server, LIST, &[]).await;
    assert_eq!(header(&plain, "content-encoding"), "");
    let plain: Value = serde_json::from_slice(&plain.bytes().await.expect("body")).expect("JSON");
    assert_eq!(
        plain["data"]["localities"]["edges"]
            .as_array()
            .map(Vec::len),
        Some(11)
    );

    for (accepted, expected) in [("gzip", "gzip"), ("br", "br"), ("gzip, br;q=1.0", "br")] {
        let response = get(&server, LIST, &[("Accept-Encoding", accepted)]).await;
        assert_eq!(
            header(&response, "content-encoding"),
            expected,
            "{accepted}"
        );
        let sent = response.bytes().await.expect("body");
        let mut decoded = Vec::new();
        match expected {
            "gzip" => flate2::read::GzDecoder::new(&sent[..]).read_to_end(&mut decoded),
            _ => brotli_decompressor::Decompressor::new(&sent[..], 4096).read_to_end(&mut decoded),
        }
        .expect("decodes");
        assert!(sent.len() < decoded.len(), "{expected} is smaller");
        let decoded: Value = serde_json::from_slice(&decoded).expect("JSON");
        assert_eq!(decoded["data"], plain["data"], "{expected}");
    }
}

#[tokio::test]
async fn a_websocket_upgrade_passes_the_compression_layer() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let url = format!("ws://{}/graphql/ws", server.address);
    let mut request = url.into_client_request().expect("request");
    let headers = request.headers_mut();
    headers.insert(
        "Sec-WebSocket-Protocol",
        "graphql-transport-ws".parse().expect("header"),
    );
    headers.insert("Accept-Encoding", "gzip, br".parse().expect("header"));
    let (mut socket, upgraded) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the upgrade succeeds");
    assert_eq!(upgraded.status(), 101);
    assert!(upgraded.headers().get("content-encoding").is_none());
    let init = json!({ "type": "connection_init" }).to_string();
    socket.send(Message::text(init)).await.expect("init");
    assert_eq!(next_json(&mut socket).await["type"], "connection_ack");
}
