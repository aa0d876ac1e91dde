//! `GET /metrics`: open to whoever reaches the listener, behind a bearer token, or not served
//! (`NTM_METRICS`, `NTM_METRICS_TOKEN`; docs/decisions/metrics.md).

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use subtle::ConstantTimeEq;

use super::{Metrics, Sources};

/// The media type of the text [`Metrics::scrape`] writes.
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// Who may read `/metrics`.
#[derive(Clone, Default)]
pub enum MetricsAccess {
    /// Anyone who reaches the listener (the default: keep the port inside the network).
    #[default]
    Open,
    /// Only requests with `Authorization: Bearer <secret>`.
    Token(String),
    /// `/metrics` is not served (404).
    Off,
}

impl std::fmt::Debug for MetricsAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MetricsAccess::Open => f.write_str("Open"),
            MetricsAccess::Token(_) => f.write_str("Token(***)"),
            MetricsAccess::Off => f.write_str("Off"),
        }
    }
}

/// The secret of `/metrics` (`NTM_METRICS_TOKEN`), never shown by `Debug`.
#[derive(Clone)]
pub struct MetricsToken(pub String);

impl std::fmt::Debug for MetricsToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("***")
    }
}

impl std::str::FromStr for MetricsToken {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text.trim() {
            "" => Err("the metrics token is empty".into()),
            secret => Ok(MetricsToken(secret.to_owned())),
        }
    }
}

#[derive(Clone)]
struct Endpoint {
    metrics: Metrics,
    sources: Sources,
    access: MetricsAccess,
}

/// The `/metrics` route, or none when `access` is [`MetricsAccess::Off`].
pub fn metrics_routes(metrics: Metrics, sources: Sources, access: MetricsAccess) -> Router {
    if matches!(access, MetricsAccess::Off) {
        return Router::new();
    }
    let endpoint = Endpoint {
        metrics,
        sources,
        access,
    };
    Router::new()
        .route("/metrics", get(scrape))
        .with_state(endpoint)
}

async fn scrape(State(endpoint): State<Endpoint>, headers: HeaderMap) -> Response {
    if let MetricsAccess::Token(secret) = &endpoint.access {
        if !bears(&headers, secret) {
            let challenge = [(WWW_AUTHENTICATE, "Bearer")];
            return (
                StatusCode::UNAUTHORIZED,
                challenge,
                "a metrics token is needed\n",
            )
                .into_response();
        }
    }
    match endpoint.metrics.scrape(&endpoint.sources).await {
        Ok(text) => ([(CONTENT_TYPE, OPENMETRICS)], text).into_response(),
        Err(error) => {
            tracing::warn!(%error, "metrics scrape failed");
            (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable\n").into_response()
        }
    }
}

/// The request carries `Bearer <secret>`, compared in constant time.
fn bears(headers: &HeaderMap, secret: &str) -> bool {
    let given = headers
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .unwrap_or_default();
    bool::from(given.as_bytes().ct_eq(secret.as_bytes()))
}
