//! The dashboard in a real headless Chromium, offline, on the demo (issue 20): the published
//! figures read off the pages, overview → heat map → commune, the language switch, the date
//! form and the search box, nothing fetched from outside the server. Each page's screenshot
//! is saved under `target/tmp/screenshots/` (the ones in `docs/screenshots/` come from here).

use std::path::PathBuf;

use crate::browser::outside;
use crate::support::browser::Browser;
use crate::support::server::Server;

fn screenshots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot directory");
    dir
}

/// The figure card `key`'s value as the browser shows it.
async fn figure(browser: &Browser, key: &str) -> String {
    browser
        .text(&format!("[data-figure=\"{key}\"] .value"))
        .await
}

pub async fn walk(server: &Server, engine: &str) {
    let browser = Browser::start().await;
    let shots = screenshots();

    // The overview of Hà Tĩnh at the end of 2018: 158 of 229 communes NTM.
    browser
        .open(&server.url("/?on=2018-12-31"))
        .await
        .expect("the overview");
    browser.text_containing("h1", "Tỉnh Hà Tĩnh").await;
    assert_eq!(figure(&browser, "units").await, "229");
    assert_eq!(figure(&browser, "NTM").await, "158");
    assert_eq!(figure(&browser, "average").await, "17,7");
    browser
        .screenshot(&shots.join(format!("tong-quan-{engine}.png")))
        .await;

    // The date form: Đợt 1 năm 2019, 173 communes.
    let field = browser.find("#on").await;
    assert_eq!(
        field.prop("value").await.expect("value").as_deref(),
        Some("31/12/2018")
    );
    field.clear().await.expect("clear the date");
    field.send_keys("30/09/2019").await.expect("type a date");
    browser.click("form.date button[type=submit]").await;
    browser
        .text_containing("[data-figure=\"NTM\"] .value", "173")
        .await;
    assert!(browser.url().await.contains("on=30%2F09%2F2019"));

    // The language switch keeps the date.
    browser.click("a[lang=en]").await;
    browser
        .text_containing("[data-figure=\"units\"]", "Units")
        .await;
    assert_eq!(figure(&browser, "NTM").await, "173");
    assert!(
        browser.url().await.contains("on=2019-09-30"),
        "links keep the date"
    );
    browser.click("a[lang=vi]").await;
    browser
        .text_containing("[data-figure=\"units\"]", "Số đơn vị")
        .await;

    // Overview → heat map: a letter in every cell.
    browser.click("a[href*='/bang-tieu-chi']").await;
    browser.text_containing("h1", "Bảng tiêu chí").await;
    let first_cell = browser.text("#heat-map tbody td.cell a").await;
    assert!(
        ["Đ", "C", "?"].contains(&first_cell.as_str()),
        "{first_cell}"
    );
    browser
        .screenshot(&shots.join(format!("bang-tieu-chi-{engine}.png")))
        .await;

    // Heat map → the commune, at the criterion of the cell.
    browser.click("#heat-map tbody td.cell a").await;
    browser.find("#tieu-chi-1").await;
    let at = browser.url().await;
    assert!(at.contains("/xa/") && at.ends_with("#tieu-chi-1"), "{at}");

    // A newcomer on the home page, today: search from the header without diacritics.
    browser.open(&server.url("/")).await.expect("the home page");
    browser
        .find("#q")
        .await
        .send_keys("thach trung")
        .await
        .expect("type in the search box");
    browser.click("form.search button[type=submit]").await;
    browser.text_containing("#results", "Thạch Trung").await;
    browser
        .screenshot(&shots.join(format!("tim-kiem-{engine}.png")))
        .await;
    // The second click: Thạch Trung's page on its last day (30/06/2025), its history across the
    // 2025 merger (the ward it became in 2020, its successor from 1/7/2025).
    browser.click("#results tbody a").await;
    browser.text_containing("h1", "Thạch Trung").await;
    assert!(browser.url().await.contains("on=2025-06-30"));
    browser
        .screenshot(&shots.join(format!("xa-{engine}.png")))
        .await;

    // The audit log.
    browser.click("header nav a[href^='/nhat-ky']").await;
    browser.find("#events tbody tr").await;
    browser
        .screenshot(&shots.join(format!("nhat-ky-{engine}.png")))
        .await;

    // On a phone's width nothing but a table's own scroll box is wider than the window.
    browser.resize(360, 740).await;
    browser
        .open(&server.url("/?on=2018-12-31"))
        .await
        .expect("the overview");
    let overflow = browser
        .run("return document.documentElement.scrollWidth - document.documentElement.clientWidth;")
        .await;
    assert_eq!(
        overflow,
        serde_json::json!(0),
        "the page is wider than 360 px"
    );

    let fetched = browser.fetched_urls().await;
    assert_eq!(outside(&fetched, &server.url("")), Vec::<String>::new());
    browser.close().await;
}
