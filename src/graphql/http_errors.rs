//! How `/graphql` answers over HTTP (GraphQL over HTTP): the media type the client accepts, and
//! request errors, those refusing a request before it runs, as `{"errors": […]}` without `data`.

use async_graphql::{ErrorExtensionValues, ServerError, Value};
use async_graphql_axum::GraphQLResponse;
use axum::http::header::{ACCEPT, ALLOW, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

use super::error::label_engine_errors;
use super::persisted;
use crate::auth::AuthFailure;

pub const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
pub const JSON: &str = "application/json";

/// The media type of the answer: the spec's own, or plain JSON (the legacy one, the default).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Media {
    GraphqlResponse,
    Json,
}

impl Media {
    pub fn content_type(self) -> HeaderValue {
        match self {
            Media::GraphqlResponse => HeaderValue::from_static(GRAPHQL_RESPONSE_JSON),
            Media::Json => HeaderValue::from_static(JSON),
        }
    }
}

/// The media type `Accept` prefers (by `q`, then order); none, or `*/*` alone, is JSON; an
/// `Accept` naming neither is answered `406 Not Acceptable`.
pub fn negotiate(headers: &HeaderMap) -> Result<Media, Box<Response>> {
    let accept: Vec<&str> = headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if accept.is_empty() {
        return Ok(Media::Json);
    }
    let mut best: Option<(f32, Media)> = None;
    for range in accept.iter().flat_map(|a| a.split(',')) {
        let mut parts = range.split(';');
        let essence = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let media = match essence.as_str() {
            GRAPHQL_RESPONSE_JSON => Media::GraphqlResponse,
            JSON | "application/*" | "*/*" => Media::Json,
            _ => continue,
        };
        if q > 0.0 && best.is_none_or(|(b, _)| q > b) {
            best = Some((q, media));
        }
    }
    match best {
        Some((_, media)) => Ok(media),
        None => {
            let error = RequestError::new(
                StatusCode::NOT_ACCEPTABLE,
                "NOT_ACCEPTABLE",
                format!("/graphql answers {GRAPHQL_RESPONSE_JSON} or {JSON}; Accept names neither"),
            );
            Err(Box::new(error.into_response(Media::Json)))
        }
    }
}

/// A request refused before it ran.
#[derive(Debug)]
pub struct RequestError {
    pub errors: Vec<ServerError>,
    /// The status in any media type; `None`: a document refused (unparsable, invalid or
    /// inadmissible), `400` in the spec's media type and `200` in plain JSON.
    status: Option<StatusCode>,
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl RequestError {
    /// A refusal with this `status` whatever the media type, `code` and `message`.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        let mut error = ServerError::new(message, None);
        let mut extensions = ErrorExtensionValues::default();
        extensions.set("code", code);
        error.extensions = Some(extensions);
        RequestError {
            errors: vec![error],
            status: Some(status),
            headers: Vec::new(),
        }
    }

    /// A body that is not a GraphQL request: `400` in both media types.
    pub fn malformed(message: impl Into<String>) -> Self {
        RequestError::new(StatusCode::BAD_REQUEST, "VALIDATION", message)
    }

    /// A document refused by the parser, validation or admission. Apollo's persisted-query
    /// link stops using hashes after a `400`, so the hash it must resend with its text is `200`;
    /// a mutation sent with GET is `405` with `Allow: POST`.
    pub fn document(errors: Vec<ServerError>) -> Self {
        let mut response = async_graphql::Response::from_errors(errors);
        label_engine_errors(&mut response);
        let has = |key: &str, value: &str| {
            response.errors.iter().any(|e| {
                e.extensions
                    .as_ref()
                    .and_then(|x| x.get(key))
                    .is_some_and(|v| *v == Value::from(value))
            })
        };
        let (status, headers) = if has("limit", "QUERIES_ONLY") {
            let allow = (ALLOW, HeaderValue::from_static("POST"));
            (Some(StatusCode::METHOD_NOT_ALLOWED), vec![allow])
        } else if has("code", persisted::NOT_FOUND) {
            (Some(StatusCode::OK), Vec::new())
        } else {
            (None, Vec::new())
        };
        RequestError {
            errors: response.errors,
            status,
            headers,
        }
    }

    /// With a header, such as the `WWW-Authenticate` challenge of a `401`.
    pub fn with_header(mut self, name: HeaderName, value: &'static str) -> Self {
        self.headers.push((name, HeaderValue::from_static(value)));
        self
    }

    pub fn status(&self, media: Media) -> StatusCode {
        self.status.unwrap_or(match media {
            Media::GraphqlResponse => StatusCode::BAD_REQUEST,
            Media::Json => StatusCode::OK,
        })
    }

    /// The body: `{"errors": […]}`, with no `data`.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "errors": self.errors })
    }

    pub fn into_response(self, media: Media) -> Response {
        let status = self.status(media);
        let mut response = (status, axum::Json(self.body())).into_response();
        for (name, value) in self.headers {
            response.headers_mut().insert(name, value);
        }
        response
            .headers_mut()
            .insert(CONTENT_TYPE, media.content_type());
        response
    }
}

/// An executed request's response (with `data`), in `media`.
pub fn executed(response: async_graphql::Response, media: Media) -> Response {
    let mut response = GraphQLResponse::from(response).into_response();
    response
        .headers_mut()
        .insert(CONTENT_TYPE, media.content_type());
    response
}

/// A refused credential, nothing of it echoed: `401` with the `Bearer` challenge, or `429`
/// after too many from one address.
pub fn refused(failure: AuthFailure) -> RequestError {
    match failure {
        AuthFailure::Unauthenticated => RequestError::new(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "the bearer token is malformed, unknown, revoked or expired",
        )
        .with_header(WWW_AUTHENTICATE, "Bearer"),
        AuthFailure::RateLimited => RequestError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "RATE_LIMITED",
            "too many failed authentications from this address; retry in a minute",
        ),
        AuthFailure::Internal => RequestError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "INTERNAL",
            "internal error",
        ),
    }
}
