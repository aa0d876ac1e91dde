//! The HTTP surface: one router for the service: health, readiness and the GraphQL API.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::Router;

use crate::domain::catalog::Catalog;
use crate::graphql::{self, Actor, ApiContext};
use crate::projection::ProjectorHandle;
use crate::store::EventStore;

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: EventStore,
    pub catalog: std::sync::Arc<Catalog>,
    /// The projector's progress, for read-your-writes (`minPosition`).
    pub projections: ProjectorHandle,
    /// The actor recorded on every mutation until tokens exist (`NTM_LOCAL_ACTOR`).
    pub local_actor: String,
}

/// The service's router, built the same way by `ntm serve` and by the tests.
pub fn app(state: AppState) -> Router {
    let context = ApiContext {
        store: state.store.clone(),
        catalog: state.catalog.clone(),
        projections: state.projections.clone(),
    };
    let actor = Actor {
        name: state.local_actor.clone(),
        // The local actor may do everything until tokens and roles exist (DESIGN §6).
        role: "admin".into(),
    };
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(graphql::routes(context, actor))
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
