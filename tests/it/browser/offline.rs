//! The offline browser really is offline: an external host fails, the loopback server answers.

use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::TestDb;

#[tokio::test]
async fn an_offline_browser_reaches_only_the_loopback_server() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    let browser = Browser::start().await;
    // The proxy that is never there refuses them: the block is the browser's, not whatever
    // this machine's network happens to allow (without it, a machine with no DNS answers
    // ERR_NAME_NOT_RESOLVED, and one with Internet access loads the page).
    for external in [
        "http://example.com/",
        "https://www.google.com/",
        "http://1.1.1.1/",
    ] {
        let error = browser
            .open(external)
            .await
            .expect_err("an external page must not load offline");
        assert!(
            error
                .to_string()
                .contains("net::ERR_PROXY_CONNECTION_FAILED"),
            "{external}: {error}"
        );
    }
    browser
        .open(&server.url("/healthz"))
        .await
        .expect("the loopback server loads");
    assert_eq!(browser.text("body").await, "ok");
    // A page's own request to another host fails too, not only a navigation.
    let fetched = browser
        .run(
            "return fetch('http://example.com/', { mode: 'no-cors' })
               .then(() => 'reached', error => 'failed: ' + error.message);",
        )
        .await;
    assert!(
        fetched.as_str().is_some_and(|s| s.starts_with("failed")),
        "{fetched}"
    );
    browser.close().await;
}
