//! The service's Prometheus metrics, served at `/metrics` (docs/decisions/metrics.md): what the
//! requests count as they run, and what `scrape` reads from the database when asked.

mod endpoint;
mod http;
mod scrape;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;

pub use endpoint::{metrics_routes, MetricsAccess, MetricsToken};
pub use http::count_http_requests;
pub use scrape::Sources;

/// Distinct operation names kept as label values; the ones named later count as `other`.
pub const MAX_OPERATION_NAMES: usize = 100;
/// The label of an operation without a name.
pub const ANONYMOUS: &str = "anonymous";
/// The label of operation names beyond [`MAX_OPERATION_NAMES`].
pub const OTHER: &str = "other";

/// GraphQL requests by operation and outcome.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OperationLabels {
    /// The operation's name, `anonymous` or `other`.
    operation: String,
    /// `query`, `mutation`, or `unknown` when the document did not parse.
    kind: &'static str,
    /// `ok`, or the first error's `extensions.code`.
    code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct HttpLabels {
    /// The route's pattern (`/graphql`), or `unmatched`: never the raw path.
    route: String,
    method: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    /// `main` (sqlx: appends, projector, roll-ups) or `read` (the API's read connections).
    pool: &'static str,
    /// `open` or `idle`.
    state: &'static str,
}

/// The metrics of one process; cheap to clone.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    graphql_requests: Family<OperationLabels, Counter>,
    graphql_seconds: Family<KindLabels, Histogram>,
    http_requests: Family<HttpLabels, Counter>,
    websockets_open: Gauge,
    subscriptions_active: Gauge,
    events_appended: Counter,
    projection_lag_events: Gauge,
    projection_lag_seconds: Gauge<f64, std::sync::atomic::AtomicU64>,
    pool_connections: Family<PoolLabels, Gauge>,
    /// The operation names seen, up to [`MAX_OPERATION_NAMES`].
    names: Mutex<HashSet<String>>,
    /// One scrape at a time: the appended-events counter is moved to the log's head.
    scraping: tokio::sync::Mutex<()>,
}

/// Latency buckets from 1 ms to about 16 s.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("ntm");
        let inner = Inner {
            graphql_requests: Family::default(),
            graphql_seconds: Family::new_with_constructor(latency_histogram),
            http_requests: Family::default(),
            websockets_open: Gauge::default(),
            subscriptions_active: Gauge::default(),
            events_appended: Counter::default(),
            projection_lag_events: Gauge::default(),
            projection_lag_seconds: Gauge::default(),
            pool_connections: Family::default(),
            names: Mutex::default(),
            scraping: tokio::sync::Mutex::new(()),
            registry: Registry::default(),
        };
        registry.register(
            "graphql_requests",
            "GraphQL requests executed, by operation name, kind and outcome code",
            inner.graphql_requests.clone(),
        );
        registry.register(
            "graphql_request_duration_seconds",
            "Time to parse, validate and execute a GraphQL request, by operation kind",
            inner.graphql_seconds.clone(),
        );
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern, method and status",
            inner.http_requests.clone(),
        );
        registry.register(
            "websocket_connections_open",
            "GraphQL WebSocket connections open",
            inner.websockets_open.clone(),
        );
        registry.register(
            "subscriptions_active",
            "GraphQL subscriptions running",
            inner.subscriptions_active.clone(),
        );
        registry.register(
            "events_appended",
            "Events in the log (its head position: positions have no gaps); rate() is the append rate",
            inner.events_appended.clone(),
        );
        registry.register(
            "projection_lag_events",
            "Events appended but not yet projected (log head minus the projection checkpoint)",
            inner.projection_lag_events.clone(),
        );
        registry.register(
            "projection_lag_seconds",
            "Age of the oldest event not yet projected; 0 when the projections are caught up",
            inner.projection_lag_seconds.clone(),
        );
        registry.register(
            "db_pool_connections",
            "Database connections by pool and state",
            inner.pool_connections.clone(),
        );
        Metrics(Arc::new(Inner { registry, ..inner }))
    }
}

impl Metrics {
    /// Counts one GraphQL request that took `elapsed`; `code` is `ok` or its first error's code.
    pub fn graphql_request(
        &self,
        name: Option<&str>,
        kind: &'static str,
        code: &str,
        elapsed: Duration,
    ) {
        let labels = OperationLabels {
            operation: self.operation_label(name),
            kind,
            code: code.to_owned(),
        };
        self.0.graphql_requests.get_or_create(&labels).inc();
        self.0
            .graphql_seconds
            .get_or_create(&KindLabels { kind })
            .observe(elapsed.as_secs_f64());
    }

    /// The label of operation `name`: itself while fewer than [`MAX_OPERATION_NAMES`] names
    /// were seen, so clients naming operations at random cannot grow the label set unbounded.
    fn operation_label(&self, name: Option<&str>) -> String {
        let Some(name) = name else {
            return ANONYMOUS.to_owned();
        };
        let mut names = match self.0.names.lock() {
            Ok(names) => names,
            Err(poisoned) => poisoned.into_inner(),
        };
        if names.contains(name) {
            return name.to_owned();
        }
        if names.len() < MAX_OPERATION_NAMES {
            names.insert(name.to_owned());
            return name.to_owned();
        }
        OTHER.to_owned()
    }

    /// An open WebSocket connection, counted until the guard is dropped.
    pub fn websocket_opened(&self) -> Open {
        Open::new(self.0.websockets_open.clone())
    }

    /// A running subscription, counted until the guard is dropped.
    pub fn subscription_started(&self) -> Open {
        Open::new(self.0.subscriptions_active.clone())
    }

    fn http_request(&self, route: String, method: String, status: u16) {
        let labels = HttpLabels {
            route,
            method,
            status,
        };
        self.0.http_requests.get_or_create(&labels).inc();
    }
}

/// Something counted in a gauge while it lives.
pub struct Open(Gauge);

impl Open {
    fn new(gauge: Gauge) -> Self {
        gauge.inc();
        Open(gauge)
    }
}

impl Drop for Open {
    fn drop(&mut self) {
        self.0.dec();
    }
}
