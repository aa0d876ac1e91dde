//! What a `/graphql` request carries: one operation (GET's query string, or a JSON object), or
//! a batch (a JSON array, POST only) of at most the batch limit, answered as an array in the
//! same order. A batch's operations run one after another (docs/decisions/batching.md).

use async_graphql::http::parse_query_string;
use axum::http::{Method, StatusCode};

use super::http_errors::RequestError;

/// Operations a batch holds at most by default (`NTM_BATCH_LIMIT`).
pub const DEFAULT_BATCH_LIMIT: usize = 10;

/// The operations of a request.
pub(super) enum Carried {
    One(Box<async_graphql::Request>),
    /// Each operation, or why it is not one.
    Batch(Vec<Result<async_graphql::Request, RequestError>>),
}

/// The operations of the query string (GET) or of the JSON body (POST), whose size the body
/// limit bounds; a batch larger than `batch_limit`, or empty, is refused whole.
pub(super) fn carried(
    method: &Method,
    query: Option<&str>,
    body: &[u8],
    batch_limit: usize,
) -> Result<Carried, RequestError> {
    if method == Method::GET {
        return parse_query_string(query.unwrap_or_default())
            .map(|request| Carried::One(Box::new(request)))
            .map_err(|e| RequestError::malformed(e.to_string()));
    }
    let is_array = body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[');
    if !is_array {
        return serde_json::from_slice(body).map(Carried::One).map_err(|e| {
            RequestError::malformed(format!("the body is not a GraphQL request: {e}"))
        });
    }
    let items: Vec<serde_json::Value> = serde_json::from_slice(body).map_err(|e| {
        RequestError::malformed(format!("the body is not a batch of GraphQL requests: {e}"))
    })?;
    if items.is_empty() {
        return Err(RequestError::malformed(
            "the batch is empty: send at least one operation",
        ));
    }
    if items.len() > batch_limit {
        let mut refusal = RequestError::new(
            StatusCode::BAD_REQUEST,
            "BATCH_TOO_LARGE",
            format!(
                "the batch holds {} operations; at most {batch_limit} are accepted",
                items.len()
            ),
        );
        for e in &mut refusal.errors {
            if let Some(extensions) = e.extensions.as_mut() {
                extensions.set("most", batch_limit);
                extensions.set("given", items.len());
            }
        }
        return Err(refusal);
    }
    Ok(Carried::Batch(
        items
            .into_iter()
            .map(|item| {
                serde_json::from_value(item).map_err(|e| {
                    RequestError::malformed(format!("this operation is not a GraphQL request: {e}"))
                })
            })
            .collect(),
    ))
}
