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

/// The shipped catalogue with the test restatement of NTM-XA-2021-2025 for Hà Tĩnh's territory
/// (`tests/fixtures/HT-NTM-XA-2024-2025.toml`), as an office would publish it.
pub fn catalog_with_fixture() -> Arc<Catalog> {
    static CATALOG: std::sync::OnceLock<Arc<Catalog>> = std::sync::OnceLock::new();
    CATALOG
        .get_or_init(|| {
            let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
            let files = ["catalog", "tests/fixtures"].into_iter().flat_map(|dir| {
                let entries = std::fs::read_dir(root.join(dir)).expect("catalogue directory");
                entries.map(|e| e.expect("entry").path())
            });
            let sources = files
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .map(|p| {
                    let name = p.file_name().expect("name").to_string_lossy().into_owned();
                    (name, std::fs::read_to_string(&p).expect("read"))
                });
            Arc::new(Catalog::from_sources(sources).expect("catalogue with the fixture"))
        })
        .clone()
}
