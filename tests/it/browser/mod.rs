//! Pages in a real headless Chromium (`support::browser`), offline: nothing outside 127.0.0.1
//! is reachable, as on an office intranet without Internet.

mod checkpoints;
mod graphiql;
mod offline;

/// The URLs in `fetched` that leave `origin` (the test server, `http://127.0.0.1:<port>`);
/// inline `data:` resources stay in the page.
pub(crate) fn outside(fetched: &[String], origin: &str) -> Vec<String> {
    fetched
        .iter()
        .filter(|url| !url.starts_with(&format!("{origin}/")) && !url.starts_with("data:"))
        .cloned()
        .collect()
}
