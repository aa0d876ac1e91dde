//! HTTP adapter of the schema: `/graphql` (POST, JSON or multipart, and GET), `/graphql/ws`
//! (graphql-transport-ws) and GraphiQL at `/graphiql` (its page and assets: `graphiql.rs`).
//! Each request gets its own
//! scope: actor (from `Authorization: Bearer`, a session cookie whose POSTs carry
//! `X-CSRF-Token`, or the socket's `connection_init` payload), loaders, statement count.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, RawQuery, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use uuid::Uuid;

use super::batch::{carried, Carried, DEFAULT_BATCH_LIMIT};
use super::documents::Documents;
use super::graphiql;
use super::http_errors::{executed, negotiate, refused, Media, RequestError};
use super::operation::{answer, Answer, Carrier};
use super::persisted::Persisted;
use super::request_ids::{client_correlation_id, with_ids};
use super::response_shape::Shapes;
use super::trusted::TrustedDocuments;
use super::uploads;
use super::websocket::subscribe;
use super::{ApiContext, InProcess, NtmSchema, RequestIds};
use crate::auth::cookie::CSRF_HEADER;
use crate::auth::{Actor, Gate};
use axum::extract::rejection::BytesRejection;

/// Largest JSON request body accepted (a query with its variables); larger ones get 413. A
/// multipart body (an upload) may hold a file of `imports::MAX_UPLOAD_BYTES`.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

/// How `/graphql` takes its operations (`NTM_BATCH_LIMIT`, `NTM_TRUSTED_DOCUMENTS`).
#[derive(Clone, Debug)]
pub struct ProtocolSettings {
    /// Operations one array body may hold.
    pub batch_limit: usize,
    /// The only documents run for callers other than admins, when set.
    pub trusted_documents: Option<Arc<TrustedDocuments>>,
}

impl Default for ProtocolSettings {
    fn default() -> Self {
        ProtocolSettings {
            batch_limit: DEFAULT_BATCH_LIMIT,
            trusted_documents: None,
        }
    }
}

#[derive(Clone)]
pub(super) struct GraphqlState {
    pub schema: NtmSchema,
    pub context: ApiContext,
    pub gate: Gate,
    pub documents: Documents,
    pub shapes: Arc<Shapes>,
    pub persisted: Persisted,
    pub batch_limit: usize,
}

/// The GraphQL routes over `api`'s schema (the one the dashboard runs its documents on), ready
/// to merge into the service's router; serve them with
/// `into_make_service_with_connect_info::<SocketAddr>()` (failures are limited per address).
pub fn routes(api: &InProcess, gate: Gate, protocol: ProtocolSettings) -> Router {
    let (schema, context) = (api.schema().clone(), api.context().clone());
    let shapes = Arc::new(Shapes::from_sdl(&schema.sdl()));
    let state = GraphqlState {
        schema,
        context,
        gate,
        documents: Documents::default(),
        shapes,
        persisted: Persisted::new(protocol.trusted_documents),
        batch_limit: protocol.batch_limit,
    };
    let attachments = super::attachment_routes::routes(state.clone());
    let transparency = super::transparency_routes::routes(state.clone());
    Router::new()
        .route("/graphql", get(execute).post(execute))
        .route("/graphql/ws", get(subscribe))
        .route("/graphiql", get(graphiql::page))
        .route(graphiql::ASSETS_PATH, get(graphiql::asset))
        .layer(axum::middleware::from_fn(
            super::language::errors_in_language,
        ))
        .layer(axum::middleware::from_fn(limit_json_bodies))
        .layer(DefaultBodyLimit::max(uploads::MAX_MULTIPART_BYTES))
        .with_state(state)
        .merge(attachments)
        .merge(transparency)
}

/// A body that is not an upload is read to `MAX_BODY_BYTES` at most (413 beyond): only a
/// multipart request makes the service buffer up to an upload's size.
async fn limit_json_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if uploads::is_multipart(request.headers()) {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    let limited = axum::body::Body::new(http_body_util::Limited::new(body, MAX_BODY_BYTES));
    next.run(axum::extract::Request::from_parts(parts, limited))
        .await
}

/// One request over HTTP: authenticated once, then each of its operations admitted, run and
/// answered in the media type the client accepts, with the request's ids.
async fn execute(
    State(state): State<GraphqlState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let media = match negotiate(&headers) {
        Ok(media) => media,
        Err(response) => return *response,
    };
    let body = match body {
        Ok(body) => body,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return uploads::too_large().into_response(media)
        }
        Err(e) => {
            let refusal = RequestError::new(e.status(), "BAD_REQUEST", e.body_text());
            return refusal.into_response(media);
        }
    };
    let actor = match actor_of(&state.gate, &method, &headers, client).await {
        Ok(actor) => actor,
        Err(refusal) => return refusal.into_response(media),
    };
    let multipart = method == Method::POST && uploads::is_multipart(&headers);
    if method == Method::POST && !multipart && !is_json(&headers) {
        return unsupported_media_type().into_response(media);
    }
    let operations = match multipart {
        true => uploads::carried(&headers, &body, state.batch_limit).await,
        false => carried(&method, query.as_deref(), &body, state.batch_limit),
    };
    let operations = match operations {
        Ok(operations) => operations,
        Err(refusal) => return refusal.into_response(media),
    };
    let carrier = Carrier {
        method: &method,
        headers: &headers,
        actor: &actor,
        request_id: Uuid::now_v7(),
        deadline: tokio::time::Instant::now() + state.context.request_timeout,
    };
    match operations {
        Carried::One(request) => match answer(&state, &carrier, *request).await {
            (answered, Some(ids)) => with_ids(one(answered, media), ids),
            (answered, None) => one(answered, media),
        },
        Carried::Batch(requests) => {
            let mut answers = Vec::with_capacity(requests.len());
            for request in requests {
                answers.push(match request {
                    Ok(request) => answer(&state, &carrier, request).await.0,
                    Err(refusal) => Answer::Refused(refusal),
                });
            }
            let correlation = client_correlation_id(&headers, None).ok().flatten();
            let ids = RequestIds {
                request_id: carrier.request_id,
                correlation_id: correlation.unwrap_or(carrier.request_id),
            };
            with_ids(batch(answers, media), ids)
        }
    }
}

/// The bearer token's holder; without `Authorization`, the person the session cookie signs in,
/// whose POSTs must carry the session's CSRF token in `X-CSRF-Token`: a page of another site
/// can make the browser send the cookie (were `SameSite` ignored), never read the token.
pub(super) async fn actor_of(
    gate: &Gate,
    method: &Method,
    headers: &HeaderMap,
    client: SocketAddr,
) -> Result<Option<Actor>, RequestError> {
    if let Some(authorization) = headers.get(AUTHORIZATION) {
        let authorization = authorization.to_str().unwrap_or("");
        return gate
            .authenticate(Some(authorization), client.ip())
            .await
            .map_err(refused);
    }
    let Some((person, secret)) = gate.person(headers).await.map_err(refused)? else {
        return Ok(None);
    };
    let token = headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
    if *method == Method::POST && !token.is_some_and(|t| secret.is_csrf_token(t)) {
        return Err(RequestError::new(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            "a POST signed in by a session cookie needs the session's X-CSRF-Token header",
        ));
    }
    Ok(Some(person.actor()))
}

fn one(answer: Answer, media: Media) -> Response {
    match answer {
        Answer::Executed(response) => executed(response, media),
        Answer::Kept { response, data } => {
            // The bytes and headers `executed` gives the same answer.
            let body = Answer::kept_body(&response, &data);
            let mut sent = Response::new(axum::body::Body::from(body));
            sent.headers_mut()
                .insert(CONTENT_TYPE, media.content_type());
            sent.headers_mut().extend(response.http_headers);
            sent
        }
        Answer::Refused(refusal) => refusal.into_response(media),
    }
}

/// A batch's answers in its order: `200`, each a response or a request error (no `data`).
fn batch(answers: Vec<Answer>, media: Media) -> Response {
    let items: Vec<serde_json::Value> = answers
        .into_iter()
        .map(|answer| match answer {
            Answer::Executed(response) => {
                serde_json::to_value(&response).unwrap_or(serde_json::Value::Null)
            }
            Answer::Kept { response, data } => {
                serde_json::from_slice(&Answer::kept_body(&response, &data))
                    .unwrap_or(serde_json::Value::Null)
            }
            Answer::Refused(refusal) => refusal.body(),
        })
        .collect();
    let mut response = (StatusCode::OK, axum::Json(items)).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, media.content_type());
    response
}

/// A POST body is JSON (GraphQL over HTTP) or multipart (an upload): a browser may send
/// `text/plain` to any origin without asking (no CORS preflight), so accepting it would let any
/// web page a signed-in user visits run mutations. (A multipart form may be sent so too: with
/// a session cookie it needs the `X-CSRF-Token` header all the same, which no other site can
/// read.)
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("application/graphql-response+json")
}

fn unsupported_media_type() -> RequestError {
    RequestError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        "VALIDATION",
        "a POST to /graphql needs Content-Type: application/json",
    )
}
