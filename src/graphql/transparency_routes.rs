//! The transparency log over HTTP, open to anyone (hashes and sizes, never an event's content):
//! `GET /checkpoint` and `/checkpoints/{size}` (signed notes with their cosignatures),
//! `POST /checkpoints/{size}/cosignatures` (a witness's line, checked against the witnesses
//! this log knows), `GET /proof/inclusion` and `/proof/consistency` (RFC 6962, base64).

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::json;

use super::http_errors::{Media, RequestError};
use super::routes::GraphqlState;
use crate::checkpoint::{CheckpointError, KeptCheckpoint};
use crate::merkle::base64_hashes;
use crate::store::StoreError;

/// Bytes of a cosignature body: a few signature lines.
const MAX_COSIGNATURE_BYTES: usize = 4 * 1024;

pub fn routes(state: GraphqlState) -> Router {
    Router::new()
        .route("/checkpoint", get(latest))
        .route("/checkpoints/{size}", get(at))
        .route(
            "/checkpoints/{size}/cosignatures",
            post(cosignature).layer(axum::extract::DefaultBodyLimit::max(MAX_COSIGNATURE_BYTES)),
        )
        .route("/proof/inclusion", get(inclusion))
        .route("/proof/consistency", get(consistency))
        .with_state(state)
}

fn refusal(status: StatusCode, code: &str, message: impl Into<String>) -> Response {
    RequestError::new(status, code, message).into_response(Media::Json)
}

fn failure(error: CheckpointError) -> Response {
    match error {
        CheckpointError::NoKey => refusal(StatusCode::NOT_FOUND, "NOT_FOUND", error.to_string()),
        CheckpointError::Unknown(_) => {
            refusal(StatusCode::NOT_FOUND, "NOT_FOUND", error.to_string())
        }
        CheckpointError::UnknownWitness | CheckpointError::Note(_) => refusal(
            StatusCode::UNPROCESSABLE_ENTITY,
            "VALIDATION",
            error.to_string(),
        ),
        CheckpointError::Store(error) => store_failure(error),
    }
}

fn store_failure(error: StoreError) -> Response {
    match error {
        StoreError::TreeTooSmall { .. } | StoreError::NotInTree { .. } => {
            refusal(StatusCode::NOT_FOUND, "NOT_FOUND", error.to_string())
        }
        error => {
            tracing::error!(%error, "transparency log read failed");
            refusal(
                StatusCode::INTERNAL_SERVER_ERROR,
                "INTERNAL",
                "the log could not be read",
            )
        }
    }
}

/// A signed note as `text/plain`; a checkpoint never changes, the newest does.
fn note(kept: KeptCheckpoint, immutable: bool) -> Response {
    let mut response = kept.cosigned_note().into_response();
    let headers = response.headers_mut();
    headers.insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    // Cosignatures may still arrive: the newest is asked again each time, the others may be
    // kept a minute.
    let cache = if immutable {
        "public, max-age=60"
    } else {
        "no-cache"
    };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn latest(State(state): State<GraphqlState>) -> Response {
    match state.context.checkpoints.latest().await {
        Ok(Some(kept)) => note(kept, false),
        Ok(None) => refusal(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "no checkpoint has been made yet",
        ),
        Err(error) => failure(error),
    }
}

/// A malformed size, position or query string: `400 VALIDATION` naming it.
fn malformed(rejection: impl std::fmt::Display) -> Response {
    refusal(StatusCode::BAD_REQUEST, "VALIDATION", rejection.to_string())
}

async fn at(State(state): State<GraphqlState>, size: Result<Path<u64>, PathRejection>) -> Response {
    let Path(size) = match size {
        Ok(size) => size,
        Err(rejection) => return malformed(rejection),
    };
    match state.context.checkpoints.at(size).await {
        Ok(Some(kept)) => note(kept, true),
        Ok(None) => failure(CheckpointError::Unknown(size)),
        Err(error) => failure(error),
    }
}

/// Keeps a witness's cosignature line; `201` with who signed and when.
async fn cosignature(
    State(state): State<GraphqlState>,
    size: Result<Path<u64>, PathRejection>,
    body: String,
) -> Response {
    let Path(size) = match size {
        Ok(size) => size,
        Err(rejection) => return malformed(rejection),
    };
    match state.context.checkpoints.add_cosignature(size, &body).await {
        Ok(kept) => (
            StatusCode::CREATED,
            Json(json!({
                "treeSize": size,
                "witness": kept.witness,
                "keyId": kept.key_id,
                "signedAt": kept.signed_at,
            })),
        )
            .into_response(),
        Err(error) => failure(error),
    }
}

#[derive(Deserialize)]
struct InclusionQuery {
    position: i64,
    size: u64,
}

async fn inclusion(
    State(state): State<GraphqlState>,
    query: Result<Query<InclusionQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return malformed(rejection),
    };
    let store = &state.context.store;
    match store.inclusion_proof(query.position, query.size).await {
        Ok(proof) => Json(json!({
            "position": query.position,
            "leafIndex": query.position - 1,
            "treeSize": query.size,
            "hashes": base64_hashes(&proof),
        }))
        .into_response(),
        Err(error) => store_failure(error),
    }
}

#[derive(Deserialize)]
struct ConsistencyQuery {
    from: u64,
    to: u64,
}

async fn consistency(
    State(state): State<GraphqlState>,
    query: Result<Query<ConsistencyQuery>, QueryRejection>,
) -> Response {
    let Query(query) = match query {
        Ok(query) => query,
        Err(rejection) => return malformed(rejection),
    };
    if query.from > query.to {
        let message = format!("from ({}) is after to ({})", query.from, query.to);
        return refusal(StatusCode::BAD_REQUEST, "VALIDATION", message);
    }
    match state
        .context
        .store
        .consistency_proof(query.from, query.to)
        .await
    {
        Ok(proof) => Json(json!({
            "from": query.from,
            "to": query.to,
            "hashes": base64_hashes(&proof),
        }))
        .into_response(),
        Err(error) => store_failure(error),
    }
}
