//! `/graphql/ws`: graphql-transport-ws, authenticated by its `connection_init` payload
//! (`{"Authorization": "Bearer …"}`; browsers cannot set headers on a WebSocket) or, for
//! other clients, the upgrade request's `Authorization` header. A refused credential closes
//! the socket with 4403 Forbidden, as the protocol prescribes, before anything is executed;
//! revoking the token of an open socket closes it with 4403 within [`RECHECK`]. A browser page
//! of a signed-in person may instead open it with the session cookie: its `connection_init`
//! payload then carries the session's CSRF token (`csrfToken`), as a POST carries it in
//! `X-CSRF-Token`, and the socket closes with 4403 once the session ends.

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
use futures::channel::mpsc::Receiver;
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use uuid::Uuid;

use super::documents::Admitted;
use super::language::{translate_ws_text, Language};
use super::request_ids::client_correlation_id;
use super::routes::GraphqlState;
use super::{RequestIds, RequestScope};
use crate::auth::{Actor, AuthFailure, Gate, Role, SessionSecret, SignedIn};

/// How long a client has to send `connection_init` (the protocol's 4408 otherwise).
const INIT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often an open socket's token is checked again: revoking it ends the connection.
const RECHECK: Duration = Duration::from_secs(5);

/// The socket's writing half.
type Sink = SplitSink<WebSocket, Message>;

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
    let session = match header {
        Some(_) => None,
        None => match state.gate.person(&headers).await {
            Ok(session) => session,
            Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
    };
    // One request id for the connection; its operations share it.
    let ids = match client_correlation_id(&headers, None) {
        Ok(given) => RequestIds::new(given),
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let language = Language::of_headers(&headers);
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let credentials = Credentials { header, session };
            serve(state, socket, protocol, client, credentials, language, ids)
        })
}

/// What the upgrade request brought: its `Authorization` header, or the session its cookie
/// opens.
struct Credentials {
    header: Option<String>,
    session: Option<(SignedIn, SessionSecret)>,
}

/// What keeps an open connection admitted: its token, or its person's session.
enum Holder {
    Anonymous,
    Token(Uuid),
    Session(SessionSecret),
}

/// Serves one authenticated connection until the client leaves or its token is refused; its
/// errors are written in the language of the upgrade request's `Accept-Language`, or of its
/// `connection_init` payload's.
async fn serve(
    state: GraphqlState,
    socket: WebSocket,
    protocol: GraphQLProtocol,
    client: SocketAddr,
    credentials: Credentials,
    language: Language,
    ids: RequestIds,
) {
    let _open = state.context.metrics.websocket_opened();
    let (mut sink, mut stream) = socket.split();
    let admitted = admit(&state, &mut sink, &mut stream, client, credentials).await;
    let Some((init, actor, holder)) = admitted else {
        return;
    };
    let language = init_language(&init).unwrap_or(language);
    // Ending the input ends the connection: when the token is revoked or expires, or the
    // session ends.
    let privileged = actor.as_ref().is_some_and(|a| a.role == Role::Admin);
    let revoked = Arc::new(AtomicBool::new(false));
    let refused = refused(state.gate.clone(), holder, revoked.clone());
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
        shapes: state.shapes.clone(),
        persisted: state.persisted.clone(),
        privileged,
    };
    let (outgoing, mut to_send) = futures::channel::mpsc::channel::<Message>(16);
    let protocol_done = GraphQLWebSocket::new_with_pair(outgoing, replayed, admitted, protocol)
        .with_data(data)
        .serve();
    let sending = forward(&mut to_send, &mut sink, language);
    let ((), open) = futures::join!(protocol_done, sending);
    if open && revoked.load(Ordering::Relaxed) {
        close(
            &mut sink,
            4403,
            "Forbidden: the token was revoked or has expired, or the session ended",
        )
        .await;
    }
}

/// The `connection_init` message and the actor its credential (or the upgrade request's
/// header, or its session with the CSRF token in the payload) authenticates; `None` once the
/// client is gone or the socket is closed with the protocol's code.
async fn admit(
    state: &GraphqlState,
    sink: &mut Sink,
    stream: &mut SplitStream<WebSocket>,
    client: SocketAddr,
    credentials: Credentials,
) -> Option<(Message, Option<Actor>, Holder)> {
    let init = match tokio::time::timeout(INIT_TIMEOUT, first_message(stream)).await {
        Ok(Some(Ok(Message::Close(_)))) => return None,
        Ok(Some(Ok(message))) => message,
        Ok(_) => return None,
        Err(_) => {
            close(sink, 4408, "Connection initialisation timeout").await;
            return None;
        }
    };
    match message_type(&init).as_deref() {
        Some("connection_init") => {}
        // The protocol: anything before the acknowledgement is 4401, a message that is not one
        // of its messages 4400.
        Some(_) => {
            close(sink, 4401, "Unauthorized: connection_init comes first").await;
            return None;
        }
        None => {
            close(
                sink,
                4400,
                "Invalid message: not a graphql-transport-ws message",
            )
            .await;
            return None;
        }
    }
    let credential = init_credential(&init).or(credentials.header);
    if let (None, Some((person, secret))) = (&credential, credentials.session) {
        if !init_csrf_token(&init).is_some_and(|t| secret.is_csrf_token(&t)) {
            let reason =
                "Forbidden: a session needs its CSRF token as csrfToken in connection_init";
            close(sink, 4403, reason).await;
            return None;
        }
        return Some((init, Some(person.actor()), Holder::Session(secret)));
    }
    match state
        .gate
        .authenticate(credential.as_deref(), client.ip())
        .await
    {
        Ok(Some(actor)) => {
            let holder = Holder::Token(actor.token_id);
            Some((init, Some(actor), holder))
        }
        Ok(None) => Some((init, None, Holder::Anonymous)),
        Err(AuthFailure::Internal) => {
            close(sink, 1011, "Internal error").await;
            None
        }
        Err(AuthFailure::RateLimited) => {
            close(
                sink,
                4403,
                "Forbidden: too many failed authentications; retry in a minute",
            )
            .await;
            None
        }
        Err(AuthFailure::Unauthenticated) => {
            close(sink, 4403, "Forbidden").await;
            None
        }
    }
}

/// Ends when the connection's token is refused (revoked or expired) or its session ends,
/// marking `revoked`; never for an anonymous connection.
async fn refused(gate: Gate, holder: Holder, revoked: Arc<AtomicBool>) {
    match holder {
        Holder::Token(id) => gate.until_refused(id, RECHECK).await,
        Holder::Session(secret) => gate.until_session_ends(&secret, RECHECK).await,
        Holder::Anonymous => futures::future::pending().await,
    }
    revoked.store(true, Ordering::Relaxed);
}

/// Sends the protocol handler's messages to the socket: `true` if the handler is done with
/// the socket still open, `false` once it sent a close frame or the client is gone.
async fn forward(to_send: &mut Receiver<Message>, sink: &mut Sink, language: Language) -> bool {
    while let Some(mut message) = to_send.next().await {
        if let (Language::Vietnamese, Message::Text(text)) = (language, &message) {
            if let Some(translated) = translate_ws_text(text.as_str()) {
                message = Message::Text(translated.into());
            }
        }
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_err() || closing {
            return false;
        }
    }
    true
}

/// The client's first message, past the WebSocket's own pings and pongs.
async fn first_message(
    stream: &mut SplitStream<WebSocket>,
) -> Option<Result<Message, axum::Error>> {
    loop {
        match stream.next().await {
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => continue,
            other => return other,
        }
    }
}

/// The `type` of a protocol message; `None` for anything else.
fn message_type(message: &Message) -> Option<String> {
    let Message::Text(text) = message else {
        return None;
    };
    let message: serde_json::Value = serde_json::from_str(text.as_str()).ok()?;
    Some(message.get("type")?.as_str()?.to_owned())
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

/// The session's CSRF token a `connection_init` payload carries (`csrfToken`).
fn init_csrf_token(message: &Message) -> Option<String> {
    let Message::Text(text) = message else {
        return None;
    };
    let init: serde_json::Value = serde_json::from_str(text.as_str()).ok()?;
    Some(init.get("payload")?.get("csrfToken")?.as_str()?.to_owned())
}

/// The language a `connection_init` payload asks for, if it names one.
fn init_language(message: &Message) -> Option<Language> {
    let Message::Text(text) = message else {
        return None;
    };
    let init: serde_json::Value = serde_json::from_str(text.as_str()).ok()?;
    Language::of_init_payload(init.get("payload")?.as_object()?)
}

async fn close(sink: &mut Sink, code: u16, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = sink.send(Message::Close(Some(frame))).await;
}
