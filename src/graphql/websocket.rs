//! `/graphql/ws`: graphql-transport-ws, authenticated by its `connection_init` payload
//! (`{"Authorization": "Bearer …"}`; browsers cannot set headers on a WebSocket) or, for
//! other clients, the upgrade request's `Authorization` header. A refused credential closes
//! the socket with 4403 Forbidden, as the protocol prescribes, before anything is executed;
//! revoking the token of an open socket closes it with 4403 within [`RECHECK`].

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::ALL_WEBSOCKET_PROTOCOLS;
use async_graphql::Data;
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::extract::ws::{CloseFrame, Message, WebSocket, WebSocketUpgrade};
use axum::extract::{ConnectInfo, State};
use axum::http::header::AUTHORIZATION;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use futures::{SinkExt, StreamExt};

use super::documents::Admitted;
use super::routes::client_correlation_id;
use super::routes::GraphqlState;
use super::{RequestIds, RequestScope};
use crate::auth::AuthFailure;

/// How long a client has to send `connection_init` (the protocol's 4408 otherwise).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an open socket's token is checked again: revoking it ends the connection.
const RECHECK: Duration = Duration::from_secs(5);

pub(super) async fn subscribe(
    State(state): State<GraphqlState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    let header = headers
        .get(AUTHORIZATION)
        .map(|v| v.to_str().unwrap_or("").to_owned());
    // One request id for the connection; its operations share it.
    let ids = match client_correlation_id(&headers, None) {
        Ok(given) => RequestIds::new(given),
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| serve(state, socket, protocol, client, header, ids))
}

async fn serve(
    state: GraphqlState,
    socket: WebSocket,
    protocol: GraphQLProtocol,
    client: SocketAddr,
    header: Option<String>,
    ids: RequestIds,
) {
    let (mut sink, mut stream) = socket.split();
    let init = match tokio::time::timeout(INIT_TIMEOUT, stream.next()).await {
        Ok(Some(Ok(message))) => message,
        Ok(_) => return,
        Err(_) => return close(&mut sink, 4408, "Connection initialisation timeout").await,
    };
    let credential = init_credential(&init).or(header);
    let actor = match state
        .gate
        .authenticate(credential.as_deref(), client.ip())
        .await
    {
        Ok(actor) => actor,
        Err(AuthFailure::Internal) => return close(&mut sink, 1011, "Internal error").await,
        Err(_) => return close(&mut sink, 4403, "Forbidden").await,
    };
    // Ending the input ends the connection: when the token is revoked or expires.
    let token_id = actor.as_ref().map(|a| a.token_id);
    let gate = state.gate.clone();
    let revoked = Arc::new(AtomicBool::new(false));
    let refused = {
        let revoked = revoked.clone();
        async move {
            match token_id {
                Some(id) => gate.until_refused(id, RECHECK).await,
                None => futures::future::pending().await,
            }
            revoked.store(true, Ordering::Relaxed);
        }
    };
    let mut data = Data::default();
    data.insert(RequestScope::live(&state.context, actor, ids));
    // The init message goes on to the protocol handler, which acknowledges it.
    let replayed = futures::stream::once(async move { Ok(init) })
        .chain(stream)
        .take_until(Box::pin(refused));
    // The protocol handler writes to a channel, so that the socket is still ours to close
    // with a frame once it is done.
    let admitted = Admitted {
        schema: state.schema.clone(),
        documents: state.documents.clone(),
    };
    let (outgoing, mut to_send) = futures::channel::mpsc::channel::<Message>(16);
    let protocol_done = GraphQLWebSocket::new_with_pair(outgoing, replayed, admitted, protocol)
        .with_data(data)
        .serve();
    let forward = async {
        while let Some(message) = to_send.next().await {
            let closing = matches!(message, Message::Close(_));
            if sink.send(message).await.is_err() || closing {
                return false;
            }
        }
        true
    };
    let ((), open) = futures::join!(protocol_done, forward);
    if open && revoked.load(Ordering::Relaxed) {
        close(
            &mut sink,
            4403,
            "Forbidden: the token was revoked or has expired",
        )
        .await;
    }
}

/// The credential of a `connection_init` payload: `Authorization` (any case) as in the HTTP
/// header, or a bare `token`.
fn init_credential(message: &Message) -> Option<String> {
    let Message::Text(text) = message else {
        return None;
    };
    let init: serde_json::Value = serde_json::from_str(text.as_str()).ok()?;
    let payload = init.get("payload")?.as_object()?;
    let header = payload
        .iter()
        .find(|(key, _)| key.eq_ignore_ascii_case("authorization"))
        .and_then(|(_, value)| value.as_str())
        .map(str::to_owned);
    header.or_else(|| {
        let token = payload.get("token")?.as_str()?;
        Some(format!("Bearer {token}"))
    })
}

async fn close(sink: &mut futures::stream::SplitSink<WebSocket, Message>, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
}
