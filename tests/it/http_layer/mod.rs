//! The HTTP layer around the API (issue 19, item 4): compression, caching of GET reads, CORS,
//! the introspection switch and `/metrics`, over real requests.

mod browser;
mod caching;
mod compression;
mod graphiql_assets;
mod metrics;

use crate::support::server::Server;

/// `GET /graphql?query=…` as an anonymous client, with these extra headers.
pub(super) async fn get(
    server: &Server,
    query: &str,
    headers: &[(&str, &str)],
) -> reqwest::Response {
    let mut request = reqwest::Client::new()
        .get(server.url("/graphql"))
        .query(&[("query", query)]);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    request.send().await.expect("GET /graphql")
}

/// A response header as text ("" when absent).
pub(super) fn header(response: &reqwest::Response, name: &str) -> String {
    response
        .headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}
