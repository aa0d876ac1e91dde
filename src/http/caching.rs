//! HTTP caching of `/graphql` (docs/decisions/http-caching.md): a GET answered 200 gets a
//! strong `ETag` (a hash of the body as sent) and `If-None-Match` gets 304 without a body;
//! `Cache-Control` is `private, no-cache` unless the schema marked the response immutable
//! (`graphql::caching`); anything else (POST, errors refused before execution) is `no-store`.

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, ETAG, IF_NONE_MATCH, VARY};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

/// Present data: a client may keep it but must ask again (cheap with `If-None-Match`).
const REVALIDATE: &str = "private, no-cache";
/// What a response must not be kept for: a POST, a refusal.
const NO_STORE: &str = "no-store";
/// The request headers a `/graphql` answer depends on.
const VARY_ON: &str = "Authorization, Accept, Accept-Encoding, Accept-Language";

/// Middleware on the whole router; only `/graphql` is touched. Runs outside the compression
/// layer, so the tag is of the bytes sent: each encoding has its own, as RFC 9110 wants of a
/// strong validator.
pub async fn cache_graphql(request: Request, next: Next) -> Response {
    if request.uri().path() != "/graphql" {
        return next.run(request).await;
    }
    let is_get = request.method() == Method::GET;
    let asked = request.headers().get(IF_NONE_MATCH).cloned();
    let mut response = next.run(request).await;
    response
        .headers_mut()
        .insert(VARY, HeaderValue::from_static(VARY_ON));
    if !is_get || response.status() != StatusCode::OK {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
        return response;
    }
    if !response.headers().contains_key(CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    }
    tagged(response, asked.as_ref()).await
}

/// The response with its `ETag`, or 304 when `asked` (`If-None-Match`) names it.
async fn tagged(response: Response, asked: Option<&HeaderValue>) -> Response {
    let (mut parts, body) = response.into_parts();
    let bytes = match to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::warn!(%error, "a GraphQL response body failed while being tagged");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tag = entity_tag(&bytes);
    if asked.is_some_and(|asked| matches(asked, &tag)) {
        return not_modified(&parts.headers, tag);
    }
    parts.headers.insert(ETAG, tag);
    Response::from_parts(parts, Body::from(bytes))
}

/// `"<hex>"`: the first 128 bits of the SHA-256 of `body`.
fn entity_tag(body: &[u8]) -> HeaderValue {
    let digest = Sha256::digest(body);
    let text = format!("\"{}\"", hex::encode(&digest[..16]));
    HeaderValue::from_str(&text).unwrap_or_else(|_| HeaderValue::from_static("\"\""))
}

/// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/` is ignored, `*` matches anything.
fn matches(asked: &HeaderValue, tag: &HeaderValue) -> bool {
    let (Ok(asked), Ok(tag)) = (asked.to_str(), tag.to_str()) else {
        return false;
    };
    asked
        .split(',')
        .map(|candidate| candidate.trim().trim_start_matches("W/"))
        .any(|candidate| candidate == "*" || candidate == tag)
}

/// 304 with the headers a cache needs to refresh its copy (RFC 9110 §15.4.5), and no body.
fn not_modified(headers: &HeaderMap, tag: HeaderValue) -> Response {
    let mut response = StatusCode::NOT_MODIFIED.into_response();
    let kept = response.headers_mut();
    kept.insert(ETAG, tag);
    for name in [CACHE_CONTROL, VARY] {
        if let Some(value) = headers.get(&name) {
            kept.insert(name, value.clone());
        }
    }
    for name in ["x-request-id", "x-correlation-id"] {
        if let Some(value) = headers.get(name) {
            kept.insert(name, value.clone());
        }
    }
    response
}
