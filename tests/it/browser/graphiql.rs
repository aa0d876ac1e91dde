//! GraphiQL works with no Internet access: every file comes from the server, its editor
//! appears, a query runs and a subscription delivers.

use std::time::Instant;

use super::outside;
use crate::support::browser::Browser;
use crate::support::graphql::register;
use crate::support::server::Server;
use crate::support::TestDb;

const QUERY: &str = "{ head { position } }";

#[tokio::test]
async fn graphiql_runs_a_query_in_an_offline_browser() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let started = Instant::now();
    let browser = Browser::start().await;
    let session = started.elapsed();

    let page = reqwest::Url::parse_with_params(&server.url("/graphiql"), [("query", QUERY)])
        .expect("GraphiQL URL");
    browser.open(page.as_str()).await.expect("GraphiQL loads");
    browser.find(".graphiql-query-editor .CodeMirror").await;
    let loaded = started.elapsed();
    let editor = browser.text(".graphiql-query-editor").await;
    assert!(
        editor.contains("position"),
        "the query from ?query=: {editor}"
    );

    browser.click(".graphiql-execute-button").await;
    let result = browser
        .text_containing(".result-window", "\"position\"")
        .await;
    assert!(result.contains("\"head\""), "{result}");
    eprintln!(
        "chromedriver and session: {session:?}; GraphiQL's editor shown: {:?} after start; result: {:?}",
        loaded - session,
        started.elapsed() - loaded,
    );

    let fetched = browser.fetched_urls().await;
    let origin = server.url("");
    assert_eq!(outside(&fetched, &origin), Vec::<String>::new());
    for file in [
        "react-18.3.1",
        "react-dom-18.3.1",
        "graphiql-3.9.0.min.js",
        "graphiql-3.9.0.min.css",
    ] {
        assert!(
            fetched
                .iter()
                .any(|url| url.contains("/graphiql/assets/") && url.contains(file)),
            "{file} among {fetched:?}"
        );
    }
    assert!(
        fetched.contains(&format!("{origin}/graphql")),
        "{fetched:?}"
    );

    // Kept for the documentation (docs/tests.md says where).
    let shots = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    let shot = shots.join("graphiql.png");
    browser.screenshot(&shot).await;
    let png = std::fs::read(&shot).expect("read the screenshot");
    assert!(
        png.starts_with(b"\x89PNG\r\n\x1a\n") && png.len() > 10_000,
        "{shot:?}"
    );
    browser.close().await;
}

/// GraphiQL's subscriptions: the graphql-ws client bundled in its build, over `/graphql/ws`.
#[tokio::test]
async fn graphiql_receives_a_subscription_in_an_offline_browser() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    register(&server, "Tỉnh Hà Tĩnh", "PROVINCE", "42", None).await;
    let browser = Browser::start().await;
    let subscription = "subscription { events(after: 0) { position type } }";
    let page = reqwest::Url::parse_with_params(&server.url("/graphiql"), [("query", subscription)])
        .expect("GraphiQL URL");
    browser.open(page.as_str()).await.expect("GraphiQL loads");
    browser.find(".graphiql-query-editor .CodeMirror").await;
    browser.click(".graphiql-execute-button").await;
    let result = browser
        .text_containing(".result-window", "LOCALITY_ESTABLISHED")
        .await;
    assert!(result.contains("\"events\""), "{result}");
    browser.close().await;
}
