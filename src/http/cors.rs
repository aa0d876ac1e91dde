//! CORS: which browser origins may call the API, with which headers, and how long a browser
//! may keep a preflight's answer (`NTM_CORS_*`).

use std::time::Duration;

use axum::http::header::{HeaderName, ETAG};
use axum::http::Method;
use tower_http::cors::{AllowOrigin, CorsLayer};

use super::AccessSettings;

/// The request headers our clients send: the token, JSON, languages, the correlation id, and
/// what Apollo Client and its persisted-query link add.
pub const DEFAULT_ALLOWED_HEADERS: [&str; 9] = [
    "authorization",
    "content-type",
    "accept",
    "accept-language",
    "x-correlation-id",
    "apollo-require-preflight",
    "x-apollo-operation-name",
    "apollographql-client-name",
    "apollographql-client-version",
];

/// How long a browser may reuse a preflight's answer by default.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(600);

/// The response headers a page's script may read: the request's ids and the entity tag.
const EXPOSED_HEADERS: [&str; 2] = ["x-request-id", "x-correlation-id"];

/// [`DEFAULT_ALLOWED_HEADERS`] as header names.
pub fn default_allowed_headers() -> Vec<HeaderName> {
    DEFAULT_ALLOWED_HEADERS
        .iter()
        .map(|name| HeaderName::from_static(name))
        .collect()
}

/// No CORS headers at all unless origins are configured: browsers then refuse cross-origin
/// calls.
pub fn cors(settings: &AccessSettings) -> Option<CorsLayer> {
    (!settings.cors_origins.is_empty()).then(|| {
        let exposed = EXPOSED_HEADERS
            .iter()
            .map(|name| HeaderName::from_static(name));
        CorsLayer::new()
            .allow_origin(AllowOrigin::list(settings.cors_origins.iter().cloned()))
            .allow_methods([Method::GET, Method::POST])
            .allow_headers(settings.cors_headers.clone())
            .expose_headers(exposed.chain([ETAG]).collect::<Vec<_>>())
            .max_age(settings.cors_max_age)
    })
}
