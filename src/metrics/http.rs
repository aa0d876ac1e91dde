//! Counts every HTTP response by route pattern, method and status.

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::Metrics;

/// Middleware (`axum::middleware::from_fn_with_state`): counts the response once it is made.
/// The route is the matched pattern, so paths that match nothing share one label.
pub async fn count_http_requests(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |path| path.as_str().to_owned());
    let method = known_method(request.method()).to_owned();
    let response = next.run(request).await;
    metrics.http_request(route, method, response.status().as_u16());
    response
}

/// The method's name when it is one of HTTP's own, else `other`: a client cannot grow the label
/// set by sending made-up methods.
fn known_method(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [
        Method::GET,
        Method::POST,
        Method::HEAD,
        Method::OPTIONS,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
    ]
    .into_iter()
    .zip(["GET", "POST", "HEAD", "OPTIONS", "PUT", "PATCH", "DELETE"])
    .find_map(|(known, name)| (known == method).then_some(name))
    .unwrap_or("other")
}
