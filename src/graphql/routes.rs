//! HTTP adapter of the schema: `/graphql` (POST and GET), `/graphql/ws` (graphql-transport-ws)
//! and GraphiQL at `/graphiql`. Each request gets its own scope: actor (from `Authorization:
//! Bearer`, or the socket's `connection_init` payload), loaders, statement count.

use std::net::SocketAddr;
use std::sync::Arc;

use async_graphql::http::{parse_query_string, GraphiQLSource};
use async_graphql::{ErrorExtensionValues, ServerError, Value};
use async_graphql_axum::GraphQLResponse;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, DefaultBodyLimit, RawQuery, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use tracing::Instrument;
use uuid::Uuid;

use super::documents::Documents;
use super::error::label_engine_errors;
use super::response_shape::{Asked, Shapes};
use super::websocket::subscribe;
use super::{schema, ApiContext, NtmSchema, RequestIds, RequestScope};
use crate::auth::{Actor, AuthFailure, Gate};

/// Largest request body accepted (a query with its variables); larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
pub(super) struct GraphqlState {
    pub schema: NtmSchema,
    pub context: ApiContext,
    pub gate: Gate,
    pub documents: Documents,
    pub shapes: Arc<Shapes>,
}

/// The GraphQL routes, ready to merge into the service's router; serve them with
/// `into_make_service_with_connect_info::<SocketAddr>()` (failures are limited per address).
pub fn routes(context: ApiContext, gate: Gate) -> Router {
    let schema = schema(context.clone());
    let shapes = Arc::new(Shapes::from_sdl(&schema.sdl()));
    let state = GraphqlState {
        schema,
        context,
        gate,
        documents: Documents::default(),
        shapes,
    };
    Router::new()
        .route("/graphql", get(execute).post(execute))
        .route("/graphql/ws", get(subscribe))
        .route("/graphiql", get(graphiql))
        .layer(axum::middleware::from_fn(
            super::language::errors_in_language,
        ))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}

/// The request from the query string (GET) or the JSON body (POST), whose size the body limit
/// bounds.
fn parse_request(
    method: &Method,
    query: Option<&str>,
    body: &[u8],
) -> Result<async_graphql::Request, String> {
    if method == Method::GET {
        parse_query_string(query.unwrap_or_default()).map_err(|e| e.to_string())
    } else {
        serde_json::from_slice(body).map_err(|e| format!("the body is not a GraphQL request: {e}"))
    }
}

/// One request over HTTP: authenticated, admitted, run, and answered with its ids.
async fn execute(
    State(state): State<GraphqlState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    method: Method,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let authorization = headers.get(AUTHORIZATION).map(|v| v.to_str().unwrap_or(""));
    let actor = match state.gate.authenticate(authorization, client.ip()).await {
        Ok(actor) => actor,
        Err(failure) => return refused(failure),
    };
    if method == Method::POST && !is_json(&headers) {
        return unsupported_media_type();
    }
    let mut request = match parse_request(&method, query.as_deref(), &body) {
        Ok(request) => request,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let document = match state
        .documents
        .admit_into(&mut request, method == Method::GET)
    {
        Ok(document) => document,
        Err(refusal) => return not_admitted(refusal),
    };
    let ids = match request_ids(&headers, &request) {
        Ok(ids) => ids,
        Err(refusal) => return *refusal,
    };
    let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
    let mut response = run(&state, actor, request, ids).await;
    let asked = Asked {
        document: &document,
        operation: operation.as_deref(),
        variables: &variables,
    };
    state.shapes.shape_response(&mut response, &asked);
    with_ids(GraphQLResponse::from(response).into_response(), ids)
}

/// A document refused by admission, answered as the engine answers its own errors; a mutation
/// sent with GET is `405 Method Not Allowed` with `Allow: POST` (GraphQL over HTTP).
fn not_admitted(refusal: ServerError) -> Response {
    let queries_only = refusal
        .extensions
        .as_ref()
        .and_then(|e| e.get("limit"))
        .is_some_and(|limit| *limit == Value::from("QUERIES_ONLY"));
    let mut response = async_graphql::Response::from_errors(vec![refusal]);
    label_engine_errors(&mut response);
    let mut response = GraphQLResponse::from(response).into_response();
    if queries_only {
        *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
        response
            .headers_mut()
            .insert(axum::http::header::ALLOW, HeaderValue::from_static("POST"));
    }
    response
}

/// Runs an admitted request in its span and scope within the request budget; the response
/// tells how many SQL statements it cost.
async fn run(
    state: &GraphqlState,
    actor: Option<Actor>,
    request: async_graphql::Request,
    ids: RequestIds,
) -> async_graphql::Response {
    let span = tracing::info_span!(
        "graphql",
        request_id = %ids.request_id,
        correlation_id = %ids.correlation_id,
    );
    let scope = RequestScope::new(&state.context, actor, ids);
    let statements = scope.reads.statements.clone();
    let execution = state.schema.execute(request.data(scope)).instrument(span);
    let budget = state.context.request_timeout;
    let mut response = match tokio::time::timeout(budget, execution).await {
        Ok(response) => response,
        Err(_) => over_budget(budget),
    };
    label_engine_errors(&mut response);
    // How many SQL statements the request cost: lets clients and tests see N+1 regressions.
    response
        .extensions
        .insert("sqlStatements".into(), Value::from(statements.get()));
    response
}

/// The response naming its request (`X-Request-Id`) and conversation (`X-Correlation-Id`).
fn with_ids(mut response: Response, ids: RequestIds) -> Response {
    let headers = response.headers_mut();
    for (name, id) in [
        (REQUEST_ID, ids.request_id),
        (CORRELATION_ID, ids.correlation_id),
    ] {
        if let Ok(value) = HeaderValue::from_str(&id.to_string()) {
            headers.insert(name, value);
        }
    }
    response
}

/// The header a client ties several requests together with, and the one each response names
/// its request with.
pub const CORRELATION_ID: &str = "x-correlation-id";
pub const REQUEST_ID: &str = "x-request-id";

/// The client's correlation id, from the `X-Correlation-Id` header or else the request's
/// `correlationId` extension; `Err` when it is not a UUID.
pub(super) fn client_correlation_id(
    headers: &HeaderMap,
    extensions: Option<&Value>,
) -> Result<Option<Uuid>, String> {
    let given = match headers.get(CORRELATION_ID) {
        Some(value) => Some(value.to_str().unwrap_or_default().to_owned()),
        None => match extensions {
            Some(Value::String(text)) => Some(text.clone()),
            Some(_) => return Err("correlationId must be a UUID string".into()),
            None => None,
        },
    };
    given
        .map(|text| {
            text.trim()
                .parse()
                .map_err(|_| format!("correlation id {text:?} is not a UUID"))
        })
        .transpose()
}

fn request_ids(
    headers: &HeaderMap,
    request: &async_graphql::Request,
) -> Result<RequestIds, Box<Response>> {
    let extension = request.extensions.get("correlationId");
    match client_correlation_id(headers, extension) {
        Ok(given) => Ok(RequestIds::new(given)),
        Err(message) => {
            let body = serde_json::json!({
                "data": null,
                "errors": [{
                    "message": message,
                    "extensions": { "code": "VALIDATION", "field": "correlationId" },
                }],
            });
            Err(Box::new(
                (StatusCode::BAD_REQUEST, axum::Json(body)).into_response(),
            ))
        }
    }
}

/// A POST body is JSON (GraphQL over HTTP): a browser may send `text/plain` to any origin
/// without asking (no CORS preflight), so accepting it would let any web page a signed-in
/// user visits run mutations.
fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.eq_ignore_ascii_case("application/graphql-response+json")
}

fn unsupported_media_type() -> Response {
    let body = serde_json::json!({
        "data": null,
        "errors": [{
            "message": "a POST to /graphql needs Content-Type: application/json",
            "extensions": { "code": "VALIDATION" },
        }],
    });
    (StatusCode::UNSUPPORTED_MEDIA_TYPE, axum::Json(body)).into_response()
}

/// The answer to a request that ran out of its `budget`; its statements were dropped with it
/// (read connections close, their servers stop at their statement timeout).
fn over_budget(budget: std::time::Duration) -> async_graphql::Response {
    let mut error = ServerError::new(
        format!(
            "the request took longer than {} s and was stopped: ask for less at once",
            budget.as_secs_f64()
        ),
        None,
    );
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", "TIMEOUT");
    extensions.set("limit", "REQUEST_TIMEOUT");
    error.extensions = Some(extensions);
    async_graphql::Response::from_errors(vec![error])
}

/// A refused credential as a GraphQL error response; nothing of the credential is echoed.
fn refused(failure: AuthFailure) -> Response {
    let (status, code, message) = match failure {
        AuthFailure::Unauthenticated => (
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "the bearer token is malformed, unknown, revoked or expired",
        ),
        AuthFailure::RateLimited => (
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many failed authentications from this address; retry in a minute",
        ),
        AuthFailure::Internal => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal error",
        ),
    };
    let body = serde_json::json!({
        "data": null,
        "errors": [{ "message": message, "extensions": { "code": code } }],
    });
    let challenge = [(WWW_AUTHENTICATE, "Bearer")];
    match failure {
        AuthFailure::Unauthenticated => (status, challenge, axum::Json(body)).into_response(),
        _ => (status, axum::Json(body)).into_response(),
    }
}

async fn graphiql() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .subscription_endpoint("/graphql/ws")
            .title("ntm-tracker GraphQL")
            .finish(),
    )
}
