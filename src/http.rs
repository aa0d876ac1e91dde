//! The HTTP surface: one router for the service: health, readiness and the GraphQL API.

use std::time::Duration;

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::routing::get;
use axum::Router;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::app::clock::Clock;
use crate::app::{CatalogHandle, CommandService, Redecide};
use crate::auth::{FailureLimiter, Gate, Tokens};
use crate::graphql::{self, ApiContext};
use crate::projection::read::Readers;
use crate::projection::ProjectorHandle;
use crate::store::EventStore;

/// Window of the failed-authentication limit.
const FAILURE_WINDOW: Duration = Duration::from_secs(60);

/// What every request handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: EventStore,
    /// The catalogue, replaced whole when a version is published.
    pub catalog: CatalogHandle,
    /// The projector's progress, for read-your-writes (`minPosition`).
    pub projections: ProjectorHandle,
    pub access: AccessSettings,
    /// How commands without `expectedVersion` decide again after a version conflict.
    pub redecide: Redecide,
    /// What "now" and "today" are: the system's clock, or a fixed one in tests.
    pub clock: Clock,
}

/// Who may do what without a token, and who may call from a browser.
#[derive(Clone, Debug)]
pub struct AccessSettings {
    /// Anonymous requests may read, without identities (`NTM_PUBLIC_READ`).
    pub public_read: bool,
    /// Failed authentications accepted per client address and minute.
    pub failures_per_minute: u32,
    /// Browser origins allowed to call the API (CORS); empty: none.
    pub cors_origins: Vec<HeaderValue>,
    /// Longest one HTTP request may run (`NTM_REQUEST_TIMEOUT`).
    pub request_timeout: Duration,
    /// Batches and trusted documents (`NTM_BATCH_LIMIT`, `NTM_TRUSTED_DOCUMENTS`).
    pub protocol: graphql::ProtocolSettings,
}

impl Default for AccessSettings {
    fn default() -> Self {
        AccessSettings {
            public_read: true,
            failures_per_minute: 10,
            cors_origins: Vec::new(),
            request_timeout: graphql::REQUEST_TIMEOUT,
            protocol: graphql::ProtocolSettings::default(),
        }
    }
}

/// The service's router, built the same way by `ntm serve` and by the tests. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: failures are limited per address.
pub fn app(state: AppState) -> Router {
    let context = ApiContext {
        store: state.store.clone(),
        catalog: state.catalog.clone(),
        projections: state.projections.clone(),
        public_read: state.access.public_read,
        readers: Readers::new(state.store.db().clone()),
        commands: CommandService::new(state.store.clone(), state.catalog.clone(), state.redecide)
            .with_clock(state.clock),
        clock: state.clock,
        request_timeout: state.access.request_timeout,
    };
    let limiter = FailureLimiter::new(state.access.failures_per_minute, FAILURE_WINDOW);
    let gate = Gate::new(Tokens::new(state.store.clone()), limiter, state.clock);
    let cors = cors(&state.access.cors_origins);
    let protocol = state.access.protocol.clone();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(graphql::routes(context, gate, protocol));
    match cors {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// No CORS headers at all unless origins are configured: browsers then refuse cross-origin
/// calls.
fn cors(origins: &[HeaderValue]) -> Option<CorsLayer> {
    (!origins.is_empty()).then(|| {
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers([AUTHORIZATION, CONTENT_TYPE])
    })
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
