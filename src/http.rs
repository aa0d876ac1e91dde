//! The HTTP surface: one router for the service: health, readiness, metrics, the dashboard and
//! the GraphQL API, with CORS, compression and HTTP caching around them.

mod caching;
mod cors;

use std::time::Duration;

use axum::extract::State;
use axum::http::header::HeaderName;
use axum::http::{HeaderValue, StatusCode};
use axum::routing::get;
use axum::Router;
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::CompressionLayer;

use crate::app::clock::Clock;
use crate::app::{CatalogHandle, CommandService, Redecide};
use crate::auth::{Accounts, FailureLimiter, Gate, SessionSettings, Tokens};
use crate::blobs::{AttachmentSettings, BlobStore};
use crate::checkpoint::LogSettings;
use crate::graphql::{self, ApiContext, InProcess};
use crate::metrics::{self, count_http_requests, metrics_routes, Metrics, MetricsAccess};
use crate::projection::read::Readers;
use crate::projection::ProjectorHandle;
use crate::store::EventStore;
use crate::web::{self, Dashboard};

pub use cors::{default_allowed_headers, DEFAULT_ALLOWED_HEADERS, DEFAULT_MAX_AGE};

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
    /// Request headers a page may send (`NTM_CORS_HEADERS`).
    pub cors_headers: Vec<HeaderName>,
    /// How long a browser may keep a preflight's answer (`NTM_CORS_MAX_AGE`).
    pub cors_max_age: Duration,
    /// `__schema` and `__type` answer (`NTM_INTROSPECTION`); off, they are refused.
    pub introspection: bool,
    /// Who may read `/metrics` (`NTM_METRICS`, `NTM_METRICS_TOKEN`).
    pub metrics: MetricsAccess,
    /// Longest one HTTP request may run (`NTM_REQUEST_TIMEOUT`).
    pub request_timeout: Duration,
    /// Batches and trusted documents (`NTM_BATCH_LIMIT`, `NTM_TRUSTED_DOCUMENTS`).
    pub protocol: graphql::ProtocolSettings,
    /// The code of the unit the dashboard's home page shows (`NTM_HOME`); none: the provinces.
    pub home: Option<String>,
    /// Bytes of queries' answers kept while the store stands still (`NTM_RESPONSE_CACHE_MB`);
    /// 0: none.
    pub response_cache: usize,
    /// How long a person's session lasts and when sign-in locks out (`NTM_SESSION_HOURS`,
    /// `NTM_SIGNIN_FAILURES`, `NTM_LOCKOUT_MINUTES`).
    pub sessions: SessionSettings,
    /// The session cookie is always `Secure` (`NTM_SECURE_COOKIES`); else only when a proxy
    /// says the page came over TLS.
    pub secure_cookies: bool,
    /// Where attached files are kept and which are taken (`NTM_BLOB_DIR`,
    /// `NTM_ATTACHMENT_MAX_MB`, `NTM_ATTACHMENT_TYPES`).
    pub attachments: AttachmentSettings,
    /// The checkpoints' signing key, the log's name and the witnesses it knows
    /// (`NTM_CHECKPOINT_KEY`, `NTM_LOG_ORIGIN`, `NTM_WITNESS_KEYS`).
    pub log: LogSettings,
}

impl Default for AccessSettings {
    fn default() -> Self {
        AccessSettings {
            public_read: true,
            failures_per_minute: 10,
            cors_origins: Vec::new(),
            cors_headers: default_allowed_headers(),
            cors_max_age: DEFAULT_MAX_AGE,
            introspection: true,
            metrics: MetricsAccess::default(),
            request_timeout: graphql::REQUEST_TIMEOUT,
            protocol: graphql::ProtocolSettings::default(),
            home: None,
            response_cache: graphql::DEFAULT_RESPONSE_CACHE,
            sessions: SessionSettings::default(),
            secure_cookies: false,
            attachments: AttachmentSettings::default(),
            log: LogSettings::default(),
        }
    }
}

/// The service's router, built the same way by `ntm serve` and by the tests. Serve it with
/// `into_make_service_with_connect_info::<SocketAddr>()`: failures are limited per address.
pub fn app(state: AppState) -> Router {
    let metrics = Metrics::default();
    let readers = Readers::new(state.store.db().clone());
    let sources = metrics::Sources {
        store: state.store.clone(),
        readers: readers.clone(),
        clock: state.clock,
    };
    let context = ApiContext {
        store: state.store.clone(),
        catalog: state.catalog.clone(),
        projections: state.projections.clone(),
        public_read: state.access.public_read,
        readers,
        commands: CommandService::new(state.store.clone(), state.catalog.clone(), state.redecide)
            .with_clock(state.clock),
        clock: state.clock,
        request_timeout: state.access.request_timeout,
        introspection: state.access.introspection,
        metrics: metrics.clone(),
        responses: graphql::ResponseCache::new(state.access.response_cache),
        blobs: BlobStore::new(state.store.db().clone(), state.access.attachments.clone()),
        checkpoints: state
            .access
            .log
            .checkpoints(state.store.clone())
            .with_clock(state.clock),
    };
    let api = InProcess::new(context);
    let limiter = FailureLimiter::new(state.access.failures_per_minute, FAILURE_WINDOW);
    let accounts = Accounts::new(state.store.clone(), state.access.sessions);
    let tokens = Tokens::new(state.store.clone());
    let gate = Gate::new(tokens, accounts, limiter, state.clock);
    let cors = cors::cors(&state.access);
    let protocol = state.access.protocol.clone();
    let metrics_access = state.access.metrics.clone();
    let home = state.access.home.clone();
    let dashboard = Dashboard::new(api.clone(), home, gate.clone(), state.access.secure_cookies);
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(state)
        .merge(web::routes(dashboard))
        .merge(graphql::routes(&api, gate, protocol))
        .merge(metrics_routes(metrics.clone(), sources, metrics_access))
        .layer(compression())
        .layer(axum::middleware::from_fn(caching::cache_graphql))
        .layer(axum::middleware::from_fn_with_state(
            metrics,
            count_http_requests,
        ));
    match cors {
        Some(layer) => router.layer(layer),
        None => router,
    }
}

/// gzip or br, as the client's `Accept-Encoding` prefers, on bodies of 32 bytes or more; never
/// on a protocol switch (the WebSocket upgrade) or a body-less answer.
fn compression() -> CompressionLayer<impl Predicate> {
    let has_body = |status: StatusCode, _: axum::http::Version, _: &_, _: &_| {
        !matches!(
            status,
            StatusCode::SWITCHING_PROTOCOLS | StatusCode::NO_CONTENT | StatusCode::NOT_MODIFIED
        )
    };
    CompressionLayer::new()
        .no_deflate()
        .no_zstd()
        .compress_when(DefaultPredicate::new().and(has_body))
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
