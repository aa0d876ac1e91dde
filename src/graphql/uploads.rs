//! The GraphQL multipart request spec on `/graphql` (files beside the operations, as
//! `importFacts` takes them): a multipart body may be as large as one upload, a JSON body keeps
//! the small limit of a query with its variables.

use async_graphql::http::{receive_batch_body, MultipartOptions};
use async_graphql::BatchRequest;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, StatusCode};

use super::batch::Carried;
use super::http_errors::RequestError;
use super::imports::MAX_UPLOAD_BYTES;
use super::routes::MAX_BODY_BYTES;

/// Largest body the route reads: one upload with its operations and map.
pub const MAX_MULTIPART_BYTES: usize = MAX_UPLOAD_BYTES + MAX_BODY_BYTES;

/// Whether the body is `multipart/form-data`.
pub(super) fn is_multipart(headers: &HeaderMap) -> bool {
    content_type(headers)
        .split(';')
        .next()
        .is_some_and(|essence| essence.trim().eq_ignore_ascii_case("multipart/form-data"))
}

fn content_type(headers: &HeaderMap) -> &str {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}

/// The operations of a multipart body with its files set in their variables; one file at most.
pub(super) async fn carried(
    headers: &HeaderMap,
    body: &[u8],
    batch_limit: usize,
) -> Result<Carried, RequestError> {
    let options = MultipartOptions::default()
        .max_file_size(MAX_UPLOAD_BYTES)
        .max_num_files(1);
    let received = receive_batch_body(Some(content_type(headers)), body, options).await;
    match received.map_err(|e| RequestError::malformed(format!("the multipart body: {e}")))? {
        BatchRequest::Single(request) => Ok(Carried::One(Box::new(request))),
        BatchRequest::Batch(requests) if requests.len() > batch_limit => {
            Err(RequestError::malformed(format!(
                "the batch holds {} operations; at most {batch_limit} are accepted",
                requests.len()
            )))
        }
        BatchRequest::Batch(requests) => Ok(Carried::Batch(requests.into_iter().map(Ok).collect())),
    }
}

/// A JSON body over the limit of a query with its variables.
pub(super) fn too_large() -> RequestError {
    RequestError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "PAYLOAD_TOO_LARGE",
        format!("a JSON body is at most {MAX_BODY_BYTES} bytes"),
    )
}
