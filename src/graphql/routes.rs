//! HTTP adapter of the schema: `/graphql` (POST and GET), `/graphql/ws` (graphql-transport-ws)
//! and GraphiQL at `/graphiql`. Each request gets its own scope: actor, loaders, statement count.

use async_graphql::http::{parse_query_string, GraphiQLSource, ALL_WEBSOCKET_PROTOCOLS};
use async_graphql::{Data, Value};
use async_graphql_axum::{GraphQLProtocol, GraphQLResponse, GraphQLWebSocket};
use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, RawQuery, State};
use axum::http::{Method, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use super::error::label_engine_errors;
use super::{schema, Actor, ApiContext, NtmSchema, RequestScope};

/// Largest request body accepted (a query with its variables); larger ones get 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Clone)]
struct GraphqlState {
    schema: NtmSchema,
    context: ApiContext,
    actor: Actor,
}

/// The GraphQL routes, ready to merge into the service's router.
pub fn routes(context: ApiContext, actor: Actor) -> Router {
    let state = GraphqlState {
        schema: schema(context.clone()),
        context,
        actor,
    };
    Router::new()
        .route("/graphql", get(execute).post(execute))
        .route("/graphql/ws", get(subscribe))
        .route("/graphiql", get(graphiql))
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

async fn execute(
    State(state): State<GraphqlState>,
    method: Method,
    RawQuery(query): RawQuery,
    body: Bytes,
) -> Response {
    let request = match parse_request(&method, query.as_deref(), &body) {
        Ok(request) => request,
        Err(message) => return (StatusCode::BAD_REQUEST, message).into_response(),
    };
    let scope = RequestScope::new(&state.context, state.actor.clone());
    let statements = scope.reads.statements.clone();
    let mut response = state.schema.execute(request.data(scope)).await;
    label_engine_errors(&mut response);
    // How many SQL statements the request cost: lets clients and tests see N+1 regressions.
    response
        .extensions
        .insert("sqlStatements".into(), Value::from(statements.get()));
    GraphQLResponse::from(response).into_response()
}

async fn subscribe(
    State(state): State<GraphqlState>,
    protocol: GraphQLProtocol,
    upgrade: WebSocketUpgrade,
) -> Response {
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let mut data = Data::default();
            data.insert(RequestScope::live(&state.context, state.actor.clone()));
            GraphQLWebSocket::new(socket, state.schema.clone(), protocol)
                .with_data(data)
                .serve()
        })
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
