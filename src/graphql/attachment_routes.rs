//! `POST /tep` takes a file to attach to a fact (multipart, field `file`) and answers its SHA-256;
//! `GET /tep/{sha256}` gives it back after checking its bytes still hash to it. Uploads need a
//! token or session that may record (a session's POST carries `X-CSRF-Token` or a `csrf`
//! field before the file); downloads need what reading the facts needs.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::attachments::{download_path, percent_encoded};
use super::http_errors::{Media, RequestError};
use super::routes::{actor_of, GraphqlState};
use crate::auth::{Actor, Right};
use crate::blobs::{media, BlobError};

/// Bytes of a multipart body beyond the file itself (boundaries, headers, the CSRF field).
const ENVELOPE_BYTES: usize = 64 * 1024;

pub fn routes(state: GraphqlState) -> Router {
    let limit = state.context.blobs.settings().max_bytes + ENVELOPE_BYTES;
    Router::new()
        .route("/tep", post(upload))
        .route("/tep/{sha256}", get(download))
        .layer(DefaultBodyLimit::max(limit))
        .with_state(state)
}

fn refusal(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    RequestError::new(status, code, message).into_response(Media::Json)
}

/// Stores the file of field `file`; answers `201` with its hash, type, size and download path.
async fn upload(
    State(state): State<GraphqlState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    mut multipart: Multipart,
) -> Response {
    // A session's CSRF token may come as a form field before the file (a plain HTML form).
    let mut csrf_field = None;
    let mut file = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) => return refusal(e.status(), "BAD_REQUEST", e.body_text()),
        };
        match field.name() {
            Some("csrf") => csrf_field = field.text().await.ok(),
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                match field.bytes().await {
                    Ok(bytes) => file = Some((name, bytes)),
                    Err(e) => return refusal(e.status(), "BAD_REQUEST", e.body_text()),
                }
                break;
            }
            _ => {}
        }
    }
    let mut headers = headers;
    if let Some(token) = csrf_field.and_then(|t| HeaderValue::from_str(&t).ok()) {
        headers
            .entry(crate::auth::cookie::CSRF_HEADER)
            .or_insert(token);
    }
    let actor = match actor_of(&state.gate, &Method::POST, &headers, client).await {
        Ok(actor) => actor,
        Err(refused) => return refused.into_response(Media::Json),
    };
    if let Err(response) = may_record(actor.as_ref()) {
        return *response;
    }
    let Some((name, bytes)) = file else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "VALIDATION",
            "no file: send it as the multipart field \"file\" with its file name",
        );
    };
    let now = state.context.clock.now();
    match state.context.blobs.put(&name, &bytes, now).await {
        Ok(stored) => {
            let answer = json!({
                "sha256": stored.sha256,
                "name": name,
                "mediaType": stored.media_type,
                "size": stored.size,
                "url": download_path(&stored.sha256, &name),
            });
            (StatusCode::CREATED, Json(answer)).into_response()
        }
        Err(e @ BlobError::TooLarge { .. }) => {
            refusal(StatusCode::PAYLOAD_TOO_LARGE, "TOO_LARGE", e.to_string())
        }
        Err(e @ (BlobError::TypeNotAllowed { .. } | BlobError::NotItsType { .. })) => refusal(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "TYPE_NOT_ALLOWED",
            e.to_string(),
        ),
        Err(e @ BlobError::Empty) => refusal(StatusCode::BAD_REQUEST, "VALIDATION", e.to_string()),
        Err(e) => {
            tracing::error!(error = %e, "the blob store refused a file");
            refusal(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", e.to_string())
        }
    }
}

/// Uploads need the right to record facts.
fn may_record(actor: Option<&Actor>) -> Result<(), Box<Response>> {
    match actor {
        None => Err(Box::new(refusal(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "uploading a file needs a token or a signed-in person",
        ))),
        Some(actor) if !actor.role.grants(Right::Record) => Err(Box::new(refusal(
            StatusCode::FORBIDDEN,
            "FORBIDDEN",
            format!("role {} may not record facts", actor.role.as_str()),
        ))),
        Some(_) => Ok(()),
    }
}

#[derive(Deserialize)]
struct Named {
    /// The name to save it as (its type is named by its extension).
    ten: Option<String>,
}

/// The file stored as `sha256`, checked against it; `409 ALTERED` when its bytes changed.
async fn download(
    State(state): State<GraphqlState>,
    ConnectInfo(client): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(sha256): Path<String>,
    Query(named): Query<Named>,
) -> Response {
    let actor = match actor_of(&state.gate, &Method::GET, &headers, client).await {
        Ok(actor) => actor,
        Err(refused) => return refused.into_response(Media::Json),
    };
    if actor.is_none() && !state.context.public_read {
        return refusal(
            StatusCode::UNAUTHORIZED,
            "UNAUTHENTICATED",
            "reading needs a token or a signed-in person",
        );
    }
    let bytes = match state.context.blobs.get(&sha256).await {
        Ok(bytes) => bytes,
        Err(e @ BlobError::NotFound(_)) => {
            return refusal(StatusCode::NOT_FOUND, "NOT_FOUND", e.to_string())
        }
        Err(e @ BlobError::Altered { .. }) => {
            tracing::error!(error = %e, "a stored file no longer matches its hash");
            return refusal(StatusCode::CONFLICT, "ALTERED", e.to_string());
        }
        Err(e) => return refusal(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", e.to_string()),
    };
    let name = named.ten.unwrap_or_else(|| sha256.clone());
    let media_type = media::media_type(&name).unwrap_or("application/octet-stream");
    let disposition = format!(
        "attachment; filename=\"{}\"; filename*=UTF-8''{}",
        ascii_name(&name),
        percent_encoded(&name)
    );
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media_type));
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    // The bytes under a hash never change: a browser may keep them.
    headers.insert(
        axum::http::header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=31536000, immutable"),
    );
    response
}

/// The name with what is not plain ASCII replaced, for clients without `filename*`.
fn ascii_name(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect()
}
