//! One GraphQL operation of an HTTP request: its persisted text found, its document admitted,
//! run in its span and scope before the request's deadline, and its response shaped.

use async_graphql::{ErrorExtensionValues, ServerError, Value};
use axum::http::{HeaderMap, Method};
use tokio::time::Instant;
use tracing::Instrument;
use uuid::Uuid;

use super::error::label_engine_errors;
use super::http_errors::RequestError;
use super::request_ids::operation_ids;
use super::response_cache::Shelving;
use super::response_shape::Asked;
use super::routes::GraphqlState;
use super::{RequestIds, RequestScope};
use crate::auth::{Actor, Role};

/// What an operation came to: run (its response has `data`), answered from a kept answer
/// already in the spec's shape (`data`'s JSON text apart, the response carrying the rest), or
/// refused before it ran.
pub(super) enum Answer {
    Executed(async_graphql::Response),
    Kept {
        response: async_graphql::Response,
        data: axum::body::Bytes,
    },
    Refused(RequestError),
}

impl Answer {
    /// The body of an executed or kept answer: `{"data": …, "extensions": …}` as
    /// `async_graphql::Response` writes it, so that both give the same bytes.
    pub(super) fn kept_body(response: &async_graphql::Response, data: &[u8]) -> Vec<u8> {
        let mut body = Vec::with_capacity(data.len() + 64);
        body.extend_from_slice(b"{\"data\":");
        body.extend_from_slice(data);
        if !response.extensions.is_empty() {
            body.extend_from_slice(b",\"extensions\":");
            if serde_json::to_writer(&mut body, &response.extensions).is_err() {
                body.extend_from_slice(b"{}");
            }
        }
        body.push(b'}');
        body
    }
}

/// The HTTP request an operation is part of.
pub(super) struct Carrier<'a> {
    pub method: &'a Method,
    pub headers: &'a HeaderMap,
    pub actor: &'a Option<Actor>,
    pub request_id: Uuid,
    /// When the request's time is up, for all its operations together.
    pub deadline: Instant,
}

/// Admits and runs one operation; its ids, once known, name it in the response.
pub(super) async fn answer(
    state: &GraphqlState,
    carrier: &Carrier<'_>,
    mut request: async_graphql::Request,
) -> (Answer, Option<RequestIds>) {
    let ids = match operation_ids(carrier.headers, &request, carrier.request_id) {
        Ok(ids) => ids,
        Err(refusal) => return (Answer::Refused(refusal), None),
    };
    let privileged = carrier
        .actor
        .as_ref()
        .is_some_and(|a| a.role == Role::Admin);
    let register = match state.persisted.resolve(&mut request, privileged) {
        Ok(register) => register,
        Err(error) => {
            return (
                Answer::Refused(RequestError::document(vec![error])),
                Some(ids),
            )
        }
    };
    let queries_only = carrier.method == Method::GET;
    let document = match state.documents.admit_into(&mut request, queries_only) {
        Ok(document) => document,
        Err(error) => {
            return (
                Answer::Refused(RequestError::document(vec![error])),
                Some(ids),
            )
        }
    };
    if let Some(hash) = register {
        state.persisted.remember(hash, &request.query);
    }
    let (operation, variables) = (request.operation_name.clone(), request.variables.clone());
    let shelving = Shelving::default();
    let answer = match run(state, carrier, request.data(shelving.clone()), ids).await {
        Answer::Executed(mut response) => {
            let kept = shelving.take();
            match kept.as_ref().and_then(|kept| kept.shaped()) {
                Some(data) => Answer::Kept {
                    response,
                    data: data.clone(),
                },
                None => {
                    let asked = Asked {
                        document: &document,
                        operation: operation.as_deref(),
                        variables: &variables,
                    };
                    state.shapes.shape_response(&mut response, &asked);
                    // A kept answer's text is written once and sent as it is, now and later.
                    match kept
                        .as_ref()
                        .and_then(|kept| kept.set_shaped(&response.data))
                    {
                        Some(data) => {
                            response.data = Value::Null;
                            Answer::Kept { response, data }
                        }
                        None => Answer::Executed(response),
                    }
                }
            }
        }
        other => other,
    };
    (answer, Some(ids))
}

/// Runs an admitted request in its span and scope before the deadline; the response tells how
/// many SQL statements it cost. A response without data whose errors have no path failed
/// validation: the engine refused it before running it.
async fn run(
    state: &GraphqlState,
    carrier: &Carrier<'_>,
    request: async_graphql::Request,
    ids: RequestIds,
) -> Answer {
    let span = tracing::info_span!(
        "graphql",
        request_id = %ids.request_id,
        correlation_id = %ids.correlation_id,
    );
    let scope = RequestScope::new(&state.context, carrier.actor.clone(), ids);
    let statements = scope.reads.statements.clone();
    let execution = state.schema.execute(request.data(scope)).instrument(span);
    let budget = state.context.request_timeout;
    let mut response = match tokio::time::timeout_at(carrier.deadline, execution).await {
        Ok(response) => response,
        Err(_) => over_budget(budget),
    };
    let validated = !response.errors.is_empty()
        && response.data == Value::Null
        && response.errors.iter().all(|e| e.path.is_empty())
        && !response.errors.iter().any(is_timeout);
    if validated {
        return Answer::Refused(RequestError::document(response.errors));
    }
    label_engine_errors(&mut response);
    // How many SQL statements the request cost: lets clients and tests see N+1 regressions.
    // Not on GET, the cacheable read: its body (and so its ETag) is the same whether the
    // answer was computed or kept (`response_cache.rs`), which cost different statements.
    if carrier.method != Method::GET {
        response
            .extensions
            .insert("sqlStatements".into(), Value::from(statements.get()));
    }
    Answer::Executed(response)
}

fn is_timeout(error: &ServerError) -> bool {
    error
        .extensions
        .as_ref()
        .and_then(|e| e.get("code"))
        .is_some_and(|code| *code == Value::from("TIMEOUT"))
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
