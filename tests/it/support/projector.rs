//! The shipped catalogue, loaded once per test binary, and a projector configuration that
//! follows the log within milliseconds.

use std::sync::Arc;
use std::time::Duration;

use ntm_tracker::domain::catalog::Catalog;
use ntm_tracker::projection::ProjectorConfig;

/// The catalogue shipped in `catalog/`.
pub fn catalog() -> Arc<Catalog> {
    static CATALOG: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| Arc::new(Catalog::shipped().expect("catalogue")))
        .clone()
}

/// Polls every 5 ms, takes over within 50 ms; also sends `tracing` to the test's output.
pub fn fast() -> ProjectorConfig {
    let _ = tracing_subscriber::fmt().with_test_writer().try_init();
    ProjectorConfig {
        batch_size: 2_048,
        poll_interval: Duration::from_millis(5),
        takeover_interval: Duration::from_millis(50),
        ..ProjectorConfig::default()
    }
}
