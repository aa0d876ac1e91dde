//! GraphiQL at `/graphiql`, served whole from the binary so it works without Internet access:
//! our page and the pinned production builds of React and GraphiQL vendored in
//! `assets/graphiql/` (package, version and sha256 of each file in its `MANIFEST`).

use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, X_CONTENT_TYPE_OPTIONS};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

/// Where the vendored files are served: `/graphiql/assets/<file>`.
pub const ASSETS_PATH: &str = "/graphiql/assets/{file}";

/// The page: loads the assets below, talks to `/graphql` and `/graphql/ws`.
const PAGE: &str = include_str!("graphiql.html");

/// A file name carries its package's version, so a cached copy never goes stale.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// The page names the assets of this release: a browser asks again before reusing it.
const REVALIDATE: &str = "no-cache";

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// One vendored file: its name under [`ASSETS_PATH`], media type and bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

const ASSETS: [Asset; 4] = [
    Asset {
        name: "react-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        bytes: include_bytes!("../../assets/graphiql/react-18.3.1.production.min.js"),
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        bytes: include_bytes!("../../assets/graphiql/react-dom-18.3.1.production.min.js"),
    },
    Asset {
        name: "graphiql-3.9.0.min.js",
        content_type: JAVASCRIPT,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.js"),
    },
    Asset {
        name: "graphiql-3.9.0.min.css",
        content_type: CSS,
        bytes: include_bytes!("../../assets/graphiql/graphiql-3.9.0.min.css"),
    },
];

/// `GET /graphiql`: the page.
pub async fn page() -> Response {
    let mut response = Html(PAGE).into_response();
    response
        .headers_mut()
        .insert(CACHE_CONTROL, HeaderValue::from_static(REVALIDATE));
    response
}

/// `GET /graphiql/assets/<file>`: a vendored file, cacheable for a year; 404 for any other name.
pub async fn asset(Path(file): Path<String>) -> Response {
    let Some(asset) = ASSETS.iter().find(|asset| asset.name == file) else {
        return (StatusCode::NOT_FOUND, "no such GraphiQL asset").into_response();
    };
    let headers = [
        (CONTENT_TYPE, HeaderValue::from_static(asset.content_type)),
        (CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE)),
        (X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
    ];
    (headers, asset.bytes).into_response()
}

#[cfg(test)]
mod tests {
    use super::{ASSETS, PAGE};

    /// The page loads exactly the vendored files, and nothing from another origin.
    #[test]
    fn the_page_names_every_asset_and_no_other_origin() {
        let prefix = "/graphiql/assets/";
        let named: Vec<&str> = PAGE
            .split(prefix)
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        let mut served: Vec<&str> = ASSETS.iter().map(|asset| asset.name).collect();
        let mut named_sorted = named.clone();
        named_sorted.sort_unstable();
        served.sort_unstable();
        assert_eq!(named_sorted, served, "{named:?}");
        assert!(!PAGE.contains("http://") && !PAGE.contains("https://") && !PAGE.contains("//cdn"));
    }
}
