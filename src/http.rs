//! The HTTP surface: one router for the service, health and readiness.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

use crate::store::EventStore;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: EventStore,
}

/// The service's router, built the same way by `ntm serve` and by the tests.
pub fn app(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The process can reach its database.
async fn readyz(State(state): State<AppState>) -> (StatusCode, &'static str) {
    match state.store.db().ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(error) => {
            tracing::warn!(%error, "readiness check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}
