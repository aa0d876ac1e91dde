//! A headless Chromium driven over WebDriver: each `Browser` starts its own `chromedriver` on a
//! free loopback port (tests run in parallel), with a fresh profile in a temporary directory,
//! offline: every request outside 127.0.0.1 fails, as on an office intranet without Internet,
//! so no test depends on the Internet. Debian's packages provide both programs; a test fails,
//! never skips, when they are missing.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};
use tempfile::TempDir;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
const INSTALL: &str = "apt-get install chromium chromium-driver";

/// How long `chromedriver` may take to listen, and an element to appear.
const PATIENCE: Duration = Duration::from_secs(30);

/// One Chromium session and the `chromedriver` that serves it (ended on drop).
pub struct Browser {
    client: Client,
    driver: Child,
    driver_address: SocketAddr,
    _profile: TempDir,
}

impl Browser {
    /// Starts `chromedriver` and an offline headless session; panics with the install command
    /// when Chromium or its driver is missing.
    pub async fn start() -> Browser {
        for program in [CHROMIUM, CHROMEDRIVER] {
            assert!(
                Path::new(program).exists(),
                "{program} is missing: the browser tests need it (`{INSTALL}`)"
            );
        }
        let profile = tempfile::tempdir().expect("profile directory");
        let (driver, driver_address) = start_driver();
        let arguments = chromium_arguments(profile.path());
        let client = connect(driver_address, &arguments).await;
        let page_load = fantoccini::wd::TimeoutConfiguration::new(None, Some(PATIENCE), None);
        client
            .update_timeouts(page_load)
            .await
            .expect("page-load timeout");
        Browser {
            client,
            driver,
            driver_address,
            _profile: profile,
        }
    }

    /// Loads `url` and waits for its `load` event; a page that cannot load is an error.
    pub async fn open(&self, url: &str) -> Result<(), fantoccini::error::CmdError> {
        self.client.goto(url).await
    }

    /// The first element matching `css`, waiting for it up to 30 s.
    pub async fn find(&self, css: &str) -> Element {
        self.client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("no element {css} within {PATIENCE:?}: {error}"))
    }

    /// The visible text of the first element matching `css`; found again when the page
    /// replaced it between finding and reading (a navigation or a script still running).
    pub async fn text(&self, css: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            match self.find(css).await.text().await {
                Ok(text) => return text,
                Err(error) if is_stale(&error) && Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(50)).await
                }
                Err(error) => panic!("element text of {css}: {error}"),
            }
        }
    }

    /// Waits up to 30 s until the text of `css` contains `wanted`, and returns that text.
    pub async fn text_containing(&self, css: &str, wanted: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let text = self.text(css).await;
            if text.contains(wanted) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "{css} never showed {wanted:?}; last: {text}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Clicks the first element matching `css`.
    pub async fn click(&self, css: &str) {
        self.find(css).await.click().await.expect("click");
    }

    /// Runs `script` (a function body; `return` gives the result) in the page.
    pub async fn run(&self, script: &str) -> Value {
        self.client
            .execute(script, Vec::new())
            .await
            .expect("script")
    }

    /// Every URL the page has fetched: the document itself and each resource.
    pub async fn fetched_urls(&self) -> Vec<String> {
        let names = self
            .run(
                "return performance.getEntries()
                   .filter(e => e.entryType === 'navigation' || e.entryType === 'resource')
                   .map(e => e.name);",
            )
            .await;
        serde_json::from_value(names).expect("a list of URLs")
    }

    /// Sets the window's size, e.g. 360 × 740 for a phone.
    pub async fn resize(&self, width: u32, height: u32) {
        self.client
            .set_window_size(width, height)
            .await
            .expect("window size");
    }

    /// The address of the page shown.
    pub async fn url(&self) -> String {
        self.client
            .current_url()
            .await
            .expect("the current URL")
            .to_string()
    }

    /// Saves the viewport as a PNG file.
    pub async fn screenshot(&self, file: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(file, png).expect("write the screenshot");
    }

    /// Ends the session (Chromium quits) and its `chromedriver`.
    pub async fn close(self) {
        self.client.clone().close().await.expect("end the session");
        // Drop stops chromedriver.
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // After a failed test the session is still open: the driver's shutdown quits Chromium.
        stop_driver(&mut self.driver, self.driver_address);
    }
}

/// Chromium's switches: headless, quiet (no updates, sync or first-run traffic), a fixed window,
/// this profile, and offline: every request goes to a proxy that is never there (Chromium sends
/// loopback past a proxy on its own) and every host but 127.0.0.1 fails to resolve.
fn chromium_arguments(profile: &Path) -> Vec<String> {
    let mut arguments: Vec<String> = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,900",
    ]
    .map(String::from)
    .to_vec();
    arguments.push(format!("--user-data-dir={}", profile.display()));
    arguments.push("--proxy-server=127.0.0.1:1".into());
    arguments.push("--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1".into());
    arguments
}

/// `chromedriver` on a free loopback port, once it answers.
fn start_driver() -> (Child, SocketAddr) {
    let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    let mut driver = Command::new(CHROMEDRIVER)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|error| panic!("{CHROMEDRIVER} does not start ({INSTALL}): {error}"));
    let deadline = Instant::now() + PATIENCE;
    while TcpStream::connect(address).is_err() {
        if let Ok(Some(status)) = driver.try_wait() {
            panic!("{CHROMEDRIVER} exited with {status} before listening on {address}");
        }
        assert!(Instant::now() < deadline, "{CHROMEDRIVER} never listened");
        std::thread::sleep(Duration::from_millis(20));
    }
    (driver, address)
}

/// A session of headless Chromium with these switches.
async fn connect(driver: SocketAddr, arguments: &[String]) -> Client {
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": { "binary": CHROMIUM, "args": arguments },
    });
    let capabilities = serde_json::from_value(capabilities).expect("capabilities object");
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://{driver}"))
        .await
        .unwrap_or_else(|error| panic!("no Chromium session from chromedriver: {error}"))
}

/// Asks `chromedriver` to quit its browsers and exit (`GET /shutdown`), then makes sure it has.
fn stop_driver(driver: &mut Child, address: SocketAddr) {
    if let Ok(None) = driver.try_wait() {
        if let Ok(mut stream) = TcpStream::connect(address) {
            let request = format!("GET /shutdown HTTP/1.1\r\nHost: {address}\r\n\r\n");
            let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = stream.write_all(request.as_bytes());
            let _ = stream.read(&mut [0; 512]);
        }
        let deadline = Instant::now() + Duration::from_secs(5);
        while matches!(driver.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

/// The element was replaced after it was found.
fn is_stale(error: &fantoccini::error::CmdError) -> bool {
    matches!(
        error,
        fantoccini::error::CmdError::Standard(e)
            if e.error == fantoccini::error::ErrorStatus::StaleElementReference
    )
}
