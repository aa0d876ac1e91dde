//! The dashboard's own files, compiled into the binary: nothing is fetched from elsewhere.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::IntoResponse;

/// Where the stylesheet is served; its name carries the crate's version so that a browser
/// may keep it as long as the version stands.
pub const STYLESHEET: &str = concat!("/tai-nguyen/site-", env!("CARGO_PKG_VERSION"), ".css");

const SITE_CSS: &str = include_str!("../../assets/web/site.css");

/// The stylesheet.
pub async fn stylesheet() -> impl IntoResponse {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        SITE_CSS,
    )
}
