//! A person signs in, makes an account and signs out in a real (offline, headless) Chromium:
//! no terminal, no script.

use ntm_tracker::auth::Role;

use super::{person, PASSWORD};
use crate::support::browser::Browser;
use crate::support::server::Server;
use crate::support::TestDb;

#[tokio::test]
async fn a_person_signs_in_and_out_in_a_browser() {
    let db = TestDb::sqlite().await;
    let server = Server::start(&db).await;
    person(&server.store, "lan", Role::Admin, None).await;
    let browser = Browser::start().await;
    // The users page sends an anonymous reader to sign in first, and back after.
    let users = server.url("/quan-tri/nguoi-dung");
    browser.open(&users).await.expect("the page loads");
    browser
        .find("#username")
        .await
        .send_keys("lan")
        .await
        .expect("type");
    let wrong = browser.find("#password").await;
    wrong.send_keys("wrong password").await.expect("type");
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
    let password = browser.find("#password").await;
    password.send_keys(PASSWORD).await.expect("type");
    browser.click("#dang-nhap button[type=submit]").await;
    let who = browser.text_containing("header .who", "lan").await;
    assert!(who.contains("admin"), "{who}");
    assert_eq!(browser.url().await, users);
    let cookie_visible = browser.run("return document.cookie;").await;
    assert_eq!(cookie_visible, "", "the session cookie is HttpOnly");

    browser
        .find("#new-username")
        .await
        .send_keys("hoa")
        .await
        .expect("type");
    let new_password = browser.find("#new-password").await;
    new_password.send_keys(PASSWORD).await.expect("type");
    browser.click("#tao-tai-khoan button[type=submit]").await;
    let row = browser.text("tr[data-username=hoa]").await;
    assert!(row.contains("viewer"), "{row}");

    browser.click("header form.sign-out button").await;
    browser.find("header a.sign-in").await;
    browser.close().await;
}
