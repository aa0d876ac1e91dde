//! A graphql-transport-ws client for the subscription and socket tests.

use std::time::Duration;

use futures::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

/// A client socket to a test server.
pub type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// Opens a socket to the server at `address` and sends `connection_init` with `payload`.
pub async fn connect_to(address: &str, payload: Value) -> Socket {
    connect_with(address, &[], payload).await
}

/// [`connect_to`] with `headers` on the upgrade request (a browser's cookie, say).
pub async fn connect_with(
    address: &str,
    headers: &[(&'static str, &str)],
    payload: Value,
) -> Socket {
    let url = format!("ws://{address}/graphql/ws");
    let mut request = url.into_client_request().expect("request");
    for (name, value) in headers {
        let value = value.parse().expect("header value");
        request.headers_mut().insert(*name, value);
    }
    let protocol = "graphql-transport-ws".parse().expect("header");
    request
        .headers_mut()
        .insert("Sec-WebSocket-Protocol", protocol);
    let (mut socket, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connect");
    let init = json!({ "type": "connection_init", "payload": payload }).to_string();
    socket.send(Message::text(init)).await.expect("init");
    socket
}

/// The next message, within 20 s.
pub async fn next(socket: &mut Socket) -> Message {
    tokio::time::timeout(Duration::from_secs(20), socket.next())
        .await
        .expect("a message within 20 s")
        .expect("socket open")
        .expect("message")
}

/// The next text message as JSON, skipping any other frame.
pub async fn next_json(socket: &mut Socket) -> Value {
    loop {
        if let Message::Text(text) = next(socket).await {
            return serde_json::from_str(text.as_str()).expect("JSON");
        }
    }
}
