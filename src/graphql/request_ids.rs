//! The ids of a request over HTTP: the client's correlation id (header or extension), checked,
//! and the response headers naming both.

use async_graphql::Value;
use axum::http::{HeaderMap, HeaderValue};
use axum::response::Response;
use uuid::Uuid;

use super::http_errors::RequestError;
use super::RequestIds;

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

/// The ids of one operation of the HTTP request `request_id`: correlated as its client asks,
/// else with the request itself.
pub(super) fn operation_ids(
    headers: &HeaderMap,
    request: &async_graphql::Request,
    request_id: Uuid,
) -> Result<RequestIds, RequestError> {
    let extension = request.extensions.get("correlationId");
    match client_correlation_id(headers, extension) {
        Ok(given) => Ok(RequestIds {
            request_id,
            correlation_id: given.unwrap_or(request_id),
        }),
        Err(message) => {
            let mut error = RequestError::malformed(message);
            for e in &mut error.errors {
                if let Some(extensions) = e.extensions.as_mut() {
                    extensions.set("field", "correlationId");
                }
            }
            Err(error)
        }
    }
}

/// The response naming its request (`X-Request-Id`) and conversation (`X-Correlation-Id`).
pub(super) fn with_ids(mut response: Response, ids: RequestIds) -> Response {
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
