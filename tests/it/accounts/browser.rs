//! A person signs in and out in a real (offline, headless) Chromium: no terminal, no script.

use ntm_tracker::auth::Role;

use super::{person, PASSWORD};
use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::TestDb;

#[tokio::test]
async fn a_person_signs_in_and_out_in_a_browser() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    person(&server.store, "lan", Role::Auditor, None).await;
    let browser = Browser::start().await;
    browser
        .open(&server.url("/nhat-ky"))
        .await
        .expect("the audit page loads");
    browser.click("header a.sign-in").await;
    browser
        .find("#username")
        .await
        .send_keys("lan")
        .await
        .expect("type");
    browser
        .find("#password")
        .await
        .send_keys("wrong password")
        .await
        .expect("type");
    browser.click("#dang-nhap button[type=submit]").await;
    let refused = browser.text("#password-error").await;
    assert!(
        refused.contains("Sai tên đăng nhập hoặc mật khẩu"),
        "{refused}"
    );

    browser
        .find("#username")
        .await
        .clear()
        .await
        .expect("clear");
    browser
        .find("#username")
        .await
        .send_keys("lan")
        .await
        .expect("type");
    browser
        .find("#password")
        .await
        .send_keys(PASSWORD)
        .await
        .expect("type");
    browser.click("#dang-nhap button[type=submit]").await;
    let who = browser.text_containing("header .who", "lan").await;
    assert!(who.contains("auditor"), "{who}");
    assert_eq!(browser.url().await, server.url("/"));
    let cookie_visible = browser.run("return document.cookie;").await;
    assert_eq!(cookie_visible, "", "the session cookie is HttpOnly");

    browser.click("header form.sign-out button").await;
    browser.find("header a.sign-in").await;
    browser.close().await;
}
